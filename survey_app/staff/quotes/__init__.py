"""The quote bank: redacted, coarsely attributed quotes for the communications lead."""
