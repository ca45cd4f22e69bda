"""The safeguarding queue: flagged answers for safeguarding reviewers, and their outcomes."""
