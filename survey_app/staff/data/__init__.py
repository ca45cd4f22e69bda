"""The data the partnership holds: export, retention and deletion, and the population table."""
