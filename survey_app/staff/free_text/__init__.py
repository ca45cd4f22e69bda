"""Free text: theme coding review, the codebook, two-analyst agreement, and free text at a glance."""
