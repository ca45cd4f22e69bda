"""Which codes are applied without review, theme by theme: the analyst's choice read against the
model's curve, held back while a coder that began from other answers is unchecked.

No database here: the staff workspace (`survey_app.staff.free_text`) and the report loader
(`analysis.report.text_load`) each read the rows and decide with these functions, so the review
queue, the progress page, exports and reports treat the same code the same way.

The analyst chooses in one of three ways, stored on the campaign's coder row (`coder_model`):

- one confidence for every theme (`auto_apply_threshold`, the default 0.9);
- a target precision (`target_precision`): each theme's confidence is the lowest whose codes reached
  it on answers the model did not train on (its out-of-fold curve, `analysis.coding.automation`).
  After retraining the confidences follow the new model's curve. A theme whose curve has too few
  codes to show the precision stays with people: its codes are never applied automatically;
- a number for one theme (`theme_thresholds`), which wins over both and is kept across retraining.

A coder that began from a starting model (other campaigns' answers, or the public set) applies
nothing until the campaign's own reviewed answers show the choice is safe (`in_effect`).
An answer is coded automatically only when every theme is clear-cut under its own confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from analysis.coding.automation import HELD_CONFIDENCE, overall_confidence, theme_confidences
from analysis.coding.codebook import Codebook
from analysis.coding.counted import DECIDED, KEPT
from analysis.coding.transfer import Expectation, micro_scores

DEFAULT_THRESHOLD = 0.9
#: own reviewed answers, and codes at or above the analyst's threshold among them, before those
#: answers can show that the threshold is safe for a coder that began from a starting model
SUPPORT_ANSWERS = 100
SUPPORT_CODES = 30


class Choice(Protocol):
    """The analyst's auto-apply choice as stored on a coder row (an ORM object or a Core row)."""

    @property
    def auto_apply_threshold(self) -> float: ...
    @property
    def target_precision(self) -> float | None: ...
    @property
    def theme_thresholds(self) -> dict[str, Any] | None: ...


class TrainedCoder(Choice, Protocol):
    """A coder row: the choice it carries, its saved file and what training measured."""

    @property
    def file_name(self) -> str: ...
    @property
    def metrics(self) -> dict[str, Any] | None: ...


class MadeCode(Protocol):
    """A stored code with who made it (a `theme_code` row or its ORM object)."""

    theme_key: str
    status: str
    confidence: float
    source: str
    model_version: int | None


@dataclass(frozen=True)
class ThemeThresholds:
    """The confidence each theme's codes are applied at, and the themes that stay with people."""

    #: the one confidence: for themes without their own, and the furthest from the fence a theme must
    #: be to be ruled out (a theme held to a higher confidence needs more to be applied, not ruled out)
    default: float = DEFAULT_THRESHOLD
    confidence: dict[str, float] = field(default_factory=dict)
    held: frozenset[str] = frozenset()

    def at(self, theme: str) -> float:
        """The theme's confidence (for a theme held by people: how sure the coder must be it is absent)."""
        return self.confidence.get(theme, self.default)

    def applies(self, theme: str, p: float) -> bool:
        """Whether a code at confidence `p` is applied without review."""
        return theme not in self.held and p >= self.at(theme)

    def unsure(self, theme: str, p: float) -> bool:
        """Whether a code at confidence `p` needs a person: neither applied nor clearly absent."""
        return not self.applies(theme, p) and p > 1 - min(self.at(theme), self.default)


def curve_of(model: TrainedCoder | None) -> dict[str, Any] | None:
    """The trained model's out-of-fold automation curves, or None (rules only, or a model saved before)."""
    if model is None or not model.file_name:
        return None
    counts = (model.metrics or {}).get("automation")
    return counts if counts and counts.get("answers") else None


def resolve(choice: Choice | None, curve: dict[str, Any] | None, themes: list[str]) -> ThemeThresholds:
    """Each theme's confidence under the analyst's `choice` and the current model's `curve`."""
    if choice is None:
        return ThemeThresholds()
    default = float(choice.auto_apply_threshold)
    chosen: dict[str, float | None] = {}
    if choice.target_precision and curve is not None:
        default = overall_confidence(curve, choice.target_precision) or HELD_CONFIDENCE
        chosen = theme_confidences(curve, choice.target_precision)
        chosen = {t: chosen.get(t) for t in themes}
    confidence: dict[str, float] = {}
    held = set()
    for theme in themes:
        if (set_by_analyst := fixed(choice, theme)) is not None:
            confidence[theme] = set_by_analyst
        elif theme in chosen:
            if (c := chosen[theme]) is None:
                held.add(theme)
                confidence[theme] = default
            else:
                confidence[theme] = c
    return ThemeThresholds(default, confidence, frozenset(held))


def fixed(choice: Choice, theme: str) -> float | None:
    """The number the analyst set for this theme, if any."""
    entry = (choice.theme_thresholds or {}).get(theme)
    return float(entry["confidence"]) if isinstance(entry, dict) and "confidence" in entry else None


# ---- a coder that began from a starting model ---------------------------------------------------


@dataclass
class Agreement:
    """The coder's suggestions compared with reviewers' decisions on the campaign's own answers."""

    expectation: Expectation
    answers: int
    #: codes at or above the analyst's threshold, and how many of them reviewers kept
    confident: int = 0
    confident_kept: int = 0


def agreement_of(
    answers: Iterable[Sequence[MadeCode]],
    cuts: dict[int, dict[str, float]],
    themes: Sequence[str],
    book: Codebook,
    thresholds: ThemeThresholds | None = None,
) -> Agreement:
    """How the suggestions of the coders in `cuts` (model version -> the model's own yes/no cut per
    theme) compare with what reviewers decided, over each answer's codes (reviewed answers only count:
    suggested before anyone reviewed them, so never seen by the model that made them). Also counts
    the codes at or above each theme's auto-apply confidence and how many reviewers kept."""
    truth, pred = [], []
    confident = kept = 0
    for codes in answers:
        made = [c for c in codes if c.source == "model" and c.model_version in cuts]
        if not made or not any(c.status in DECIDED for c in codes):
            continue
        # the model's own yes/no cut per theme, as it decided when it suggested
        cut = cuts[made[0].model_version or 0]
        chosen = {book.resolve(c.theme_key) for c in codes if c.status in KEPT}
        said = {c.theme_key for c in made if c.confidence >= cut.get(c.theme_key, 0.5)}
        truth.append([k in chosen for k in themes])
        pred.append([k in said for k in themes])
        if thresholds is not None:
            for c in made:
                if c.confidence >= thresholds.at(c.theme_key):
                    confident += 1
                    kept += c.status == "accepted"
    if not truth:
        return Agreement(Expectation(0.0, 0.0, 0.0, 0, "own_answers"), 0)
    p, r, f1 = micro_scores(np.array(truth), np.array(pred))
    measured = Expectation(round(p, 3), round(r, 3), round(f1, 3), len(truth), "own_answers")
    return Agreement(measured, len(truth), confident, kept)


def _wilson_low(kept: int, n: int, z: float = 1.96) -> float:
    if n == 0:
        return 0.0
    p = kept / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def supports(found: Agreement | None, precision: float) -> bool:
    """Whether the campaign's own reviewed answers show automatic codes would be right often enough:
    enough reviewed answers and confident codes, and reviewers kept the confident codes at least as
    often as `precision` (the lower end of a 95% interval, so a lucky few do not count)."""
    if found is None:
        return False
    return (
        found.answers >= SUPPORT_ANSWERS
        and found.confident >= SUPPORT_CODES
        and _wilson_low(found.confident_kept, found.confident) >= precision
    )


def in_effect(
    resolved: ThemeThresholds,
    themes: list[str],
    model: TrainedCoder | None,
    agreement: Callable[[ThemeThresholds], Agreement | None],
) -> ThemeThresholds:
    """The auto-apply confidences in effect: the analyst's choice (`resolved`), unless the coder in use
    (`model`) began from a starting model and the campaign's own reviewed answers (`agreement`, asked
    only then) do not yet support it; then every theme stays with people (its codes are suggestions,
    never applied without review)."""
    if model is None or not (model.metrics or {}).get("starting"):
        return resolved
    wanted = model.target_precision or resolved.default
    if supports(agreement(resolved), wanted):
        return resolved
    return replace(resolved, confidence=dict.fromkeys(themes, HELD_CONFIDENCE), held=frozenset(themes))
