"""One interface for the three ways of coding: rules from the codebook, the learned coder, and people.

`ThemeCoder` codes answers with whatever it has: the codebook's rules at a cold start, and the learned
coder (blended with the rules while examples are few) once people have coded some answers. Every
result carries per-theme probabilities, yes/no decisions, the evidence behind them and the codebook
version, so a code can always be traced back to how it was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analysis.coding.codebook import Codebook, codebook_from_keys
from analysis.coding.learned import CoderSettings, LearnedCoder
from analysis.coding.model_file import ModelFileError, dumps, loads
from analysis.coding.rules import RuleMatch, RulesCoder

RULE_DECISION = 0.5


@dataclass
class CodingResult:
    """One answer, coded."""

    probabilities: dict[str, float]
    decisions: dict[str, bool]
    #: theme -> the words that triggered it (negated matches are shown as such)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    matches: list[RuleMatch] = field(default_factory=list)
    source: str = "rule"
    codebook_version: str = ""

    @property
    def themes(self) -> list[str]:
        """The themes decided yes, most likely first."""
        return sorted((k for k, v in self.decisions.items() if v), key=lambda k: -self.probabilities[k])


class ThemeCoder:
    """Codes answers with a codebook's rules, a learned model, or both."""

    def __init__(
        self, codebook: Codebook | None = None, themes: list[str] | None = None, settings: CoderSettings | None = None
    ) -> None:
        if codebook is None and not themes:
            raise ValueError("a coder needs a codebook or a list of themes")
        self.codebook = codebook or codebook_from_keys(list(themes or []))
        self.themes: list[str] = list(themes) if themes else self.codebook.keys()
        self.settings = settings or CoderSettings()
        self.rules = RulesCoder(self.codebook) if codebook is not None else None
        if self.rules is not None and not self.rules.has_phrases:
            self.rules = None
        ruled = set(self.rules.keys) if self.rules else set()
        self.rule_mask = np.array([t in ruled for t in self.themes], dtype=bool)
        self.learned: LearnedCoder | None = None

    @property
    def version_label(self) -> str:
        """The codebook version recorded with every code."""
        return self.codebook.version_label

    # ---- rules ------------------------------------------------------------------------------------

    def rule_scores(self, texts: list[str]) -> np.ndarray | None:
        """The rules' per-theme scores (columns in `self.themes` order), or None without phrases."""
        if self.rules is None or not self.rule_mask.any():
            return None
        out = np.full((len(texts), len(self.themes)), 0.0)
        for i, text in enumerate(texts):
            scores, _ = self.rules.score(text)
            out[i] = [scores.get(t, 0.0) for t in self.themes]
        return out

    # ---- learning ---------------------------------------------------------------------------------

    def fit(self, texts: list[str], Y: Any, questions: Sequence[str] | None = None) -> ThemeCoder:
        """Train the learned coder on coded answers (`Y`: one 0/1 column per theme, `self.themes` order);
        `questions`, where given, names the question each answer answered."""
        n = len(texts)
        texts, Y = self._with_descriptions(list(texts), np.asarray(Y))
        # the codebook's own words answer no question
        asked = None if questions is None else [*questions, *[""] * (len(texts) - n)]
        learned = LearnedCoder(self.themes, self.settings)
        learned.fit(texts, Y, self.rule_scores(texts), rule_mask=self.rule_mask, questions=asked)
        self.learned = learned
        return self

    def _with_descriptions(self, texts: list[str], Y: np.ndarray) -> tuple[list[str], np.ndarray]:
        """The coded answers plus, for each theme with few examples and no phrases, its codebook words.

        Each description goes in twice so its words pass the vectoriser's minimum document count
        even when no answer uses them yet (a theme named "Parking" with one coded answer).
        """
        below = self.settings.describe_below
        if below <= 0:
            return texts, Y
        counts = Y.sum(axis=0)
        extra_texts, extra_rows = [], []
        for j, key in enumerate(self.themes):
            # a theme with phrases has the codebook's words already, through the rules
            if key not in self.codebook or counts[j] >= below or self.rule_mask[j]:
                continue
            theme = self.codebook[key]
            words = " ".join([theme.label, theme.definition, *theme.includes, *theme.examples]).strip()
            if not words:
                continue
            row = np.zeros(Y.shape[1], dtype=Y.dtype)
            row[j] = 1
            extra_texts += [words, words]
            extra_rows += [row, row]
        if not extra_texts:
            return texts, Y
        return texts + extra_texts, np.vstack([Y, *extra_rows])

    def retrained(self, texts: list[str], Y: Any, questions: Sequence[str] | None = None) -> ThemeCoder:
        """A new coder with the same codebook, trained on these answers (the old one keeps working)."""
        fresh = ThemeCoder(self.codebook if self.rules is not None else None, self.themes, self.settings)
        return fresh.fit(texts, Y, questions)

    # ---- coding -----------------------------------------------------------------------------------

    def probabilities(self, texts: list[str], questions: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-theme probabilities and decisions for many answers (matrices, `self.themes` columns);
        `questions` names the question each answered, for a coder trained with them."""
        texts = list(texts)
        rules = self.rule_scores(texts)
        if self.learned is not None:
            P = self.learned.predict_proba(texts, rules, questions)
            return P, self.learned.decide(P)
        if rules is None:
            raise ValueError("this coder has no phrases and no training: train it on coded answers first")
        return rules, rules >= RULE_DECISION

    @property
    def thresholds(self) -> np.ndarray:
        """The per-theme decision thresholds in use."""
        if self.learned is not None:
            return self.learned.thresholds
        return np.full(len(self.themes), RULE_DECISION)

    @property
    def auto_confidence(self) -> dict[str, float]:
        """Target precision ("0.90") -> the auto-apply confidence chosen for it on out-of-fold answers."""
        # models saved before this was learned have none
        return dict(getattr(self.learned, "auto_confidence", {}) or {})

    def code(self, texts: list[str], questions: Sequence[str] | None = None) -> list[CodingResult]:
        """Code answers, with evidence from the rules where there are any."""
        texts = list(texts)
        P, D = self.probabilities(texts, questions)
        source = "model" if self.learned is not None else "rule"
        results = []
        for i, text in enumerate(texts):
            matches = self.rules.matches(text) if self.rules is not None else []
            evidence: dict[str, list[str]] = {}
            for m in matches:
                evidence.setdefault(m.theme, []).append(m.explain())
            results.append(
                CodingResult(
                    probabilities={t: round(float(P[i, j]), 4) for j, t in enumerate(self.themes)},
                    decisions={t: bool(D[i, j]) for j, t in enumerate(self.themes)},
                    evidence=evidence,
                    matches=matches,
                    source=source,
                    codebook_version=self.version_label,
                )
            )
        return results

    # ---- files ------------------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the coder to a file, stamped with the library versions that trained it (`model_file`)."""
        Path(path).write_bytes(dumps(self))

    @staticmethod
    def load(path: str | Path) -> ThemeCoder:
        """Read a coder written by `save`; refused (LibraryMismatch) if this server's libraries differ.

        Trusted files only: unpickling can run code.
        """
        coder = loads(Path(path).read_bytes(), str(path))
        if not isinstance(coder, ThemeCoder):
            raise ModelFileError(f"{path}: not a theme coder written by `python -m analysis.coding train`")
        return coder
