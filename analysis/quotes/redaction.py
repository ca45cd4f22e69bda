"""Redaction now lives in `analysis.text.redaction` (free text is redacted for word clouds and topics too).

These names stay importable from here for callers outside `analysis/` written before the move;
new code imports `analysis.text.redaction`.
"""

from analysis.text.redaction import Redaction, RedactionReport, Redactor, is_tag, strip_tags

__all__ = ["Redaction", "RedactionReport", "Redactor", "is_tag", "strip_tags"]
