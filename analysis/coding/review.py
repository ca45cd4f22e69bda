"""The review loop: automatic codes above the analyst's threshold are applied, the rest are queued.

People are the source of truth. Every automatic code carries a confidence and its evidence; the
analyst chooses a confidence threshold; codes at or above it are applied, and answers with any theme
the coder is unsure of go to a review queue, those that teach the model most first (uncertainty
weighted towards themes people have coded least: `active.py`). Accepting, rejecting and adding
themes are recorded; a reviewed answer's themes are then exactly what the reviewer left, and those
answers train the next model. Where the answers come from several questions, the question each
answered (`questions`) goes with it to the coder, when coding and when retraining: the same words can
mean different themes under "what is good?" and "what worries you?". Nothing here touches a
database: the staff workspace stores `Code`s and `Decision`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from analysis.coding.active import Candidate, rank
from analysis.coding.codebook import Codebook
from analysis.coding.engine import ThemeCoder

Source = Literal["rule", "model", "human"]
Action = Literal["accept", "reject", "add"]
MIN_TO_TRAIN = 20


@dataclass(frozen=True)
class Code:
    """One theme on one answer, as the coder or a person left it."""

    answer_id: str
    theme: str
    confidence: float
    source: Source
    codebook_version: str
    #: the words that triggered the theme, for the review screen
    evidence: tuple[str, ...] = ()
    #: "applied" (above the threshold), "suggested" (queued for review), "accepted", "rejected", "added"
    status: str = "suggested"


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one theme for one answer."""

    answer_id: str
    theme: str
    action: Action
    reviewer: str = ""


@dataclass
class ReviewLoop:
    """Codes, queue and decisions for a set of answers under one codebook version."""

    codebook: Codebook
    answers: dict[str, str]
    #: codes at or above this confidence are applied without review
    threshold: float = 0.9
    #: a theme's own confidence, where the analyst chose one (analysis.coding.automation.theme_confidences);
    #: a theme is ruled out at or below 1 - min(its confidence, `threshold`)
    theme_thresholds: dict[str, float] = field(default_factory=dict)
    coder: ThemeCoder | None = None
    decisions: list[Decision] = field(default_factory=list)
    #: answers a reviewer has finished with (their themes are now exactly the reviewer's)
    reviewed: set[str] = field(default_factory=set)
    model_version: int = 0
    #: the question each answer answered, where known (answer id -> question key): the same words can
    #: mean different themes under two questions, so the coder learns from it and codes with it
    questions: dict[str, str] = field(default_factory=dict)
    _probabilities: dict[str, dict[str, float]] = field(default_factory=dict)
    _evidence: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not all(0.5 <= t <= 1.0 for t in [self.threshold, *self.theme_thresholds.values()]):
            raise ValueError("the auto-apply threshold is a confidence between 0.5 and 1")
        if self.coder is None:
            self.coder = ThemeCoder(self.codebook)
        self.refresh()

    @property
    def themes(self) -> list[str]:
        """The themes being coded."""
        assert self.coder is not None
        return self.coder.themes

    @property
    def source(self) -> Source:
        """Where automatic codes come from now: the rules until a model has been trained."""
        assert self.coder is not None
        return "model" if self.coder.learned is not None else "rule"

    def refresh(self) -> None:
        """Recompute every answer's probabilities and evidence with the current coder."""
        assert self.coder is not None
        self._code(list(self.answers))

    def add_answers(self, answers: dict[str, str], questions: dict[str, str] | None = None) -> None:
        """Bring in new answers, with the question each answered where known (coded with the current coder)."""
        self.answers.update(answers)
        self.questions.update(questions or {})
        self._code(list(answers))

    def _code(self, ids: list[str]) -> None:
        assert self.coder is not None
        coded = self.coder.code([self.answers[i] for i in ids], self._asked(ids))
        for answer_id, result in zip(ids, coded, strict=True):
            self._probabilities[answer_id] = result.probabilities
            self._evidence[answer_id] = {k: tuple(v) for k, v in result.evidence.items()}

    def _asked(self, ids: list[str]) -> list[str] | None:
        """The question each of these answers answered ("" where unknown), or None when no answer has one."""
        return [self.questions.get(i, "") for i in ids] if self.questions else None

    # ---- what the analyst sees --------------------------------------------------------------------

    def uncertainty(self, answer_id: str) -> float:
        """1 when some theme's confidence sits on the fence (0.5), 0 when every theme is clear-cut."""
        probs = np.array(list(self._probabilities[answer_id].values()))
        return float(1.0 - np.abs(probs - 0.5).min() * 2) if len(probs) else 0.0

    def applies(self, theme: str, p: float) -> bool:
        """Whether a code at confidence `p` is applied without review (at the theme's own confidence)."""
        return p >= self.theme_thresholds.get(theme, self.threshold)

    def needs_review(self, answer_id: str) -> bool:
        """Whether any theme falls between the thresholds (neither applied nor ruled out)."""
        if answer_id in self.reviewed:
            return False
        return any(self.unsure(theme, p) for theme, p in self._probabilities[answer_id].items())

    def unsure(self, theme: str, p: float) -> bool:
        """Whether a theme at confidence `p` needs a person: neither applied nor ruled out."""
        return not self.applies(theme, p) and p > 1.0 - min(self.theme_thresholds.get(theme, 1.0), self.threshold)

    def queue(self, limit: int | None = None) -> list[str]:
        """Answers waiting for review, those that teach the coder most first (the staff queue's order)."""
        _, Y = self.training_data()
        examples = dict(zip(self.themes, Y.sum(axis=0).tolist(), strict=True))
        waiting = [Candidate((a,), self._probabilities[a]) for a in self.answers if self.needs_review(a)]
        order = [r.key[0] for r in rank(waiting, self.unsure, examples)]
        return order[:limit] if limit else order

    def suggestions(self, answer_id: str, minimum: float = 0.2) -> list[Code]:
        """The themes to show with an answer on the review screen, most likely first, with evidence."""
        probs = self._probabilities[answer_id]
        out = []
        for theme, p in sorted(probs.items(), key=lambda kv: -kv[1]):
            if p >= minimum or self._evidence[answer_id].get(theme):
                status = "applied" if self.applies(theme, p) else "suggested"
                out.append(
                    Code(
                        answer_id,
                        theme,
                        round(p, 4),
                        self.source,
                        self.codebook.version_label,
                        self._evidence[answer_id].get(theme, ()),
                        status,
                    )
                )
        return out

    # ---- decisions --------------------------------------------------------------------------------

    def _decide(self, answer_id: str, theme: str, action: Action, reviewer: str) -> None:
        if answer_id not in self.answers:
            raise KeyError(f"no answer {answer_id!r}")
        if theme not in self.themes:
            raise KeyError(f"theme {theme!r} is not an active theme of {self.codebook.version_label}")
        self.decisions.append(Decision(answer_id, theme, action, reviewer))

    def accept(self, answer_id: str, theme: str, reviewer: str = "") -> None:
        """The suggested theme is right."""
        self._decide(answer_id, theme, "accept", reviewer)

    def reject(self, answer_id: str, theme: str, reviewer: str = "") -> None:
        """The suggested theme is wrong."""
        self._decide(answer_id, theme, "reject", reviewer)

    def add(self, answer_id: str, theme: str, reviewer: str = "") -> None:
        """A theme the coder missed."""
        self._decide(answer_id, theme, "add", reviewer)

    def finish(self, answer_id: str, reviewer: str = "") -> None:
        """The reviewer is done with this answer: suggestions they did not reject count as accepted."""
        for code in self.suggestions(answer_id, minimum=0.5):
            if self.human_choice(answer_id, code.theme) is None:
                self.accept(answer_id, code.theme, reviewer)
        self.reviewed.add(answer_id)

    def human_choice(self, answer_id: str, theme: str) -> bool | None:
        """The latest reviewer decision on a theme for an answer: True (has it), False (hasn't), None."""
        for d in reversed(self.decisions):
            if d.answer_id == answer_id and d.theme == theme:
                return d.action != "reject"
        return None

    # ---- results and retraining -------------------------------------------------------------------

    def codes(self, answer_id: str) -> list[Code]:
        """The themes an answer has now: people's decisions first, then codes above the threshold."""
        out = []
        for theme, p in self._probabilities[answer_id].items():
            choice = self.human_choice(answer_id, theme)
            if choice is not None or answer_id in self.reviewed:
                if choice:
                    last = next(d for d in reversed(self.decisions) if d.answer_id == answer_id and d.theme == theme)
                    status = "added" if last.action == "add" else "accepted"
                    out.append(
                        Code(
                            answer_id,
                            theme,
                            1.0,
                            "human",
                            self.codebook.version_label,
                            self._evidence[answer_id].get(theme, ()),
                            status,
                        )
                    )
            elif self.applies(theme, p):
                out.append(
                    Code(
                        answer_id,
                        theme,
                        round(p, 4),
                        self.source,
                        self.codebook.version_label,
                        self._evidence[answer_id].get(theme, ()),
                        "applied",
                    )
                )
        return out

    def training_data(self) -> tuple[list[str], np.ndarray]:
        """Reviewed answers and their themes (one 0/1 column per theme), the material for retraining."""
        ids = self._reviewed_ids()
        Y = np.zeros((len(ids), len(self.themes)), dtype=int)
        for i, answer_id in enumerate(ids):
            for j, theme in enumerate(self.themes):
                Y[i, j] = int(bool(self.human_choice(answer_id, theme)))
        return [self.answers[a] for a in ids], Y

    def _reviewed_ids(self) -> list[str]:
        return [a for a in self.answers if a in self.reviewed]

    def retrain(self, *, min_answers: int = MIN_TO_TRAIN) -> bool:
        """Train a new model on everything reviewed so far and recode; False if there is too little yet."""
        texts, Y = self.training_data()
        if len(texts) < min_answers:
            return False
        assert self.coder is not None
        self.coder = self.coder.retrained(texts, Y, self._asked(self._reviewed_ids()))
        self.model_version += 1
        self.refresh()
        return True

    def progress(self) -> dict[str, int]:
        """Counts for the review screen's header."""
        applied = sum(1 for a in self.answers if a not in self.reviewed and not self.needs_review(a))
        return {
            "answers": len(self.answers),
            "reviewed": len(self.reviewed),
            "queued": len(self.queue()),
            "automatic": applied,
            "model_version": self.model_version,
        }
