"""What an export holds: variables with short stable names, labels and values, and the table of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from analysis.load import CampaignData
from questionnaires.model import Questionnaire

_SPSS_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}


@dataclass
class Variable:
    """One column: a short stable name, the question as its label, and its values."""

    name: str
    label: str
    #: floats (NaN = missing) for "numeric"; str or None for "text"
    values: np.ndarray | list[str | None]
    kind: str = "numeric"
    #: code -> label (numeric variables with labelled codes)
    value_labels: dict[int, str] = field(default_factory=dict)
    #: whether CSV and Excel show the label rather than the code (categories, not 0/1 flags or ranks)
    show_labels: bool = False


@dataclass
class ExportTable:
    """The whole export: variables in column order, and the notes that say what is protected."""

    campaign: str
    slug: str
    variables: list[Variable]
    notes: list[str]
    original_text: bool
    rows: int

    def __getitem__(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)


class Names:
    """Short, unique names a statistics package accepts: letters, digits and _, at most 64 characters."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, *parts: str) -> str:
        raw = "_".join(p for p in parts if p)
        name = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_")[:60] or "v"
        if not name[0].isalpha() or name in _SPSS_RESERVED:
            name = f"v_{name}"[:60]
        candidate, n = name, 2
        while candidate in self.used:
            candidate, n = f"{name}_{n}", n + 1
        self.used.add(candidate)
        return candidate


def short_code(questionnaire_id: str) -> str:
    """A stable short code for a questionnaire: "young-people-easy-read" -> "yper", "children" -> "chi"."""
    parts = [p for p in re.split(r"[^a-z0-9]+", questionnaire_id.lower()) if p]
    return "".join(p[0] for p in parts) if len(parts) > 1 else (parts[0][:3] if parts else "q")


def var_base(data: CampaignData, questionnaire: Questionnaire, key: str) -> str:
    """The key, with the questionnaire's short code when another questionnaire asks the same key."""
    shared = sum(1 for q in data.questionnaires.values() if any(x.key == key for x in q.questions())) > 1
    return f"{key}_{short_code(questionnaire.id)}" if shared else key
