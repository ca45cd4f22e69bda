"""A campaign's results in the workspace, and the partnership's priorities."""
