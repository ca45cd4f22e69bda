"""The plain record every text-analysis function takes: one free-text answer and who gave it.

A record is a `TextAnswer` or any mapping with the same keys, so callers can pass rows straight from
a CSV reader or a database query without importing anything from here:

| key | type | holds |
|---|---|---|
| `text` | str | the answer as written (never shown anywhere without redaction) |
| `audience` | str | the questionnaire's audience key: `children`, `young_people`, `young_adults`, `parents_carers`, `professionals` |
| `themes` | list of str | codebook theme keys coded for this answer (may be empty; `other` for "coded other") |
| `age_band` | str or None | the band as stored, e.g. `15-16`, `10`, `65+` |
| `gender` | str or None | the stored value: `girl`, `boy`, `woman`, `man`, `non_binary`, `self_describe`, `unsure`, `prefer_not_to_say` |
| `area` | str or None | the area label or value, e.g. `Stretford & Humphrey Park` |
| `confidence` | float, mapping theme -> float, or None | the coder's confidence; None means a person coded it (treated as certain) |
| `respondent` | str or None | an opaque id shared by one respondent's answers, so groups count people not answers |

Only `text` is required. Nothing here holds names, contact details or timestamps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.disclosure import DEFAULT_THRESHOLD

__all__ = [
    "AUDIENCE_LABELS",
    "DEFAULT_THRESHOLD",
    "OTHER_CODES",
    "TextAnswer",
    "as_answer",
    "as_answers",
    "audience_label",
]

#: Theme keys that mean "coded, but as nothing in the codebook".
OTHER_CODES = frozenset({"other", "none", "uncoded"})
#: `TextAnswer.extra` key: the coder was unsure of a theme and nobody has reviewed the answer yet
WAITING = "waiting_for_review"

#: How each audience is named in attribution and tables.
AUDIENCE_LABELS = {
    "children": "Child",
    "young_people": "Young person",
    "young_adults": "Young adult",
    "parents_carers": "Parent/Carer",
    "professionals": "Professional",
}


@dataclass(frozen=True)
class TextAnswer:
    """One free-text answer with the coarse facts about who gave it (see the module docstring)."""

    text: str
    audience: str = ""
    themes: tuple[str, ...] = ()
    age_band: str | None = None
    gender: str | None = None
    area: str | None = None
    confidence: float | Mapping[str, float] | None = None
    respondent: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def confidence_for(self, theme: str) -> float:
        """The coder's confidence in `theme` for this answer; 1.0 when a person coded it."""
        if self.confidence is None:
            return 1.0
        if isinstance(self.confidence, Mapping):
            return float(self.confidence.get(theme, 1.0 if theme in self.themes else 0.0))
        return float(self.confidence)


def as_answer(record: TextAnswer | Mapping[str, Any]) -> TextAnswer:
    """A `TextAnswer` from a `TextAnswer` or a plain mapping with the documented keys."""
    if isinstance(record, TextAnswer):
        return record
    themes = record.get("themes") or ()
    if isinstance(themes, str):
        themes = tuple(t.strip() for t in themes.split(";") if t.strip())
    known = {"text", "audience", "themes", "age_band", "gender", "area", "confidence", "respondent"}
    return TextAnswer(
        text=str(record.get("text") or ""),
        audience=str(record.get("audience") or ""),
        themes=tuple(themes),
        age_band=_blank_to_none(record.get("age_band")),
        gender=_blank_to_none(record.get("gender")),
        area=_blank_to_none(record.get("area")),
        confidence=record.get("confidence"),
        respondent=_blank_to_none(record.get("respondent")),
        extra={k: v for k, v in record.items() if k not in known},
    )


def as_answers(records: Iterable[TextAnswer | Mapping[str, Any]]) -> list[TextAnswer]:
    """Every record as a `TextAnswer`, keeping their order."""
    return [as_answer(r) for r in records]


def audience_label(audience: str) -> str:
    """The audience as people say it ("Parent/Carer"), or the key tidied up if it is not a known one."""
    return AUDIENCE_LABELS.get(audience, audience.replace("_", " ").capitalize())


def _blank_to_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
