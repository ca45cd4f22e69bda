"""Quotes that are safe to publish: PII redaction, attribution coarsening and the quote bank."""
