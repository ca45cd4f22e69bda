"""The learned coder: multi-label theme coding that trains on answers people have coded.

TF-IDF word (1-2) and character (2-5) n-grams feed one linear SVM per theme (one-vs-rest, classes
weighted by their rarity), with each theme's features first scaled by their naive-Bayes log-count
ratio for that theme (NB-SVM, Wang & Manning 2012: strong on short texts and rare classes). Scores
become probabilities with Platt scaling fitted on out-of-fold scores from internal cross-validation,
and each theme's decision threshold is half the best F1 it reached on those same out-of-fold
probabilities (for calibrated probabilities that is where its F1 peaks; read off the F1 it reaches,
the threshold moves less with a few answers than the exact point where the peak fell). When the
training answers nearly always carry a theme, an answer left with none takes the theme nearest its
threshold, if that helped out of fold. Several model variants can be averaged (`variants`).

Where answers come from more than one question, the question each answered joins the features: one
indicator per question seen in training, and a second copy of the word features for each question
(an answer's words go only into its own question's copy), because "what was good?" and "what could we
do better?" answers use the same words for different themes. An answer to a question not seen in
training is spread over the Q known ones, 1/Q into each one's columns, so its score is the average of
its scores under each.

With a codebook, the rules' scores join the features, and while a theme has few coded examples its
probability leans on the rules (a pseudo-count blend), moving to the model as examples accumulate.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

from analysis.coding.automation import chosen_confidences
from analysis.coding.automation import curves as automation_curves
from analysis.coding.text import normalise_for_features


@dataclass
class CoderSettings:
    """Choices for the learned coder; the defaults are what bench/coding_eval.py reports."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    max_features: int = 300_000
    #: regularisation of the per-theme linear SVMs (smaller = smoother)
    C: float = 0.1
    #: stopping tolerance of the SVM solver: 1e-2 trains three times faster than 1e-3, with the same
    #: benchmark scores to the third decimal
    tol: float = 1e-2
    #: internal cross-validation folds for calibration and thresholds
    folds: int = 4
    #: how many coded examples a theme needs before the model counts as much as the rules
    rules_pseudo_count: float = 10.0
    #: the linear models averaged for each theme: "nb" scales features by the theme's naive-Bayes
    #: log-count ratio first (NB-SVM), "plain" is an SVM on the TF-IDF features as they are
    variants: tuple[str, ...] = ("nb",)
    #: themes with fewer coded examples than this also learn from the codebook's own words for them
    #: (label, definition, what it includes, examples), added as extra training answers
    describe_below: int = 50
    #: the weight of the question indicator beside the TF-IDF blocks (each of norm 1)
    question_weight: float = 1.0
    #: the weight of a second copy of the word features kept apart per question, so a word can mean
    #: one theme under one question and another under the next (0: off)
    question_words: float = 0.7
    n_jobs: int = 2
    random_state: int = 0


@dataclass
class TrainingReport:
    """What training did, for the CLI and the review screen."""

    n_answers: int
    n_themes: int
    positives: dict[str, int]
    thresholds: dict[str, float]
    at_least_one: bool
    seconds: float
    oof_f1: dict[str, float] = field(default_factory=dict)


def _features_text(texts: list[str]) -> list[str]:
    return [normalise_for_features(t) for t in texts]


def _fit_binary(
    X: Any, y: np.ndarray, C: float, tol: float, random_state: int, ratio: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """One theme's linear model as (weights, intercept); a theme with one class only is a constant score.

    With `ratio` (the theme's naive-Bayes log-count ratio per feature), features are first scaled by
    it (NB-SVM, Wang & Manning 2012), and it is folded back into the weights so coding stays one matrix
    product.
    """
    if y.min() == y.max():
        return np.zeros(X.shape[1], dtype=np.float32), (10.0 if y[0] else -10.0)
    if ratio is not None:
        X = X.multiply(ratio).tocsr()
    model = LinearSVC(C=C, class_weight="balanced", tol=tol, random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    w = model.coef_.ravel().astype(np.float32)
    return (w * ratio if ratio is not None else w), float(model.intercept_[0])


def _nb_ratios(X: Any, Y: np.ndarray) -> np.ndarray:
    """Each theme's log-count ratio per feature, from presence counts with add-one smoothing."""
    present = X.copy()
    present.data[:] = 1.0
    # (features x answers) @ (answers x themes): a dense themes-wide count, one sparse product
    with_theme = np.asarray(present.T @ Y.astype(np.float64)).T
    total = np.asarray(present.sum(axis=0)).ravel()
    p = 1.0 + with_theme
    q = 1.0 + (total - with_theme)
    return np.log((p / p.sum(axis=1, keepdims=True)) / (q / q.sum(axis=1, keepdims=True))).astype(np.float32)


def _stack(models: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
    return np.column_stack([w for w, _ in models]), np.array([b for _, b in models])


def _decision(models: tuple[np.ndarray, np.ndarray], X: Any) -> np.ndarray:
    W, b = models
    return np.asarray(X @ W) + b


def _platt(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling coefficients (a, b) so that p = 1 / (1 + exp(-(a * score + b)))."""
    if y.min() == y.max():
        return 0.0, (8.0 if y[0] else -8.0)
    # Platt's smoothed targets keep rare themes from collapsing to 0 or 1.
    n_pos, n_neg = y.sum(), len(y) - y.sum()
    targets = np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    X = np.concatenate([score, score])[:, None]
    yy = np.concatenate([np.ones_like(score), np.zeros_like(score)])
    w = np.concatenate([targets, 1 - targets])
    lr = LogisticRegression(C=1e4)
    lr.fit(X, yy, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _best_f1(p: np.ndarray, y: np.ndarray) -> float:
    """The best F1 one theme reaches at any threshold on probabilities `p` for answers coded `y`."""
    if not y.any():
        return 0.0
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    # coding the top k answers: F1 = 2·TP / (k + positives), at the k a threshold can reach (answers
    # with equal probabilities are coded together)
    f1 = 2 * np.cumsum(ys) / (np.arange(1, len(ys) + 1) + ys.sum())
    return float(f1[np.r_[ps[1:] != ps[:-1], True]].max())


def apply_at_least_one(P: np.ndarray, decisions: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Give an answer left with no theme its theme nearest to (relative to) its threshold."""
    out = decisions.copy()
    empty = ~out.any(axis=1)
    if empty.any():
        ratio = P[empty] / np.maximum(thresholds, 1e-6)
        out[np.where(empty)[0], ratio.argmax(axis=1)] = True
    return out


def _sample_f1(pred: np.ndarray, Y: np.ndarray) -> float:
    tp = (pred & (Y == 1)).sum(1)
    denom = pred.sum(1) + Y.sum(1)
    return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 1.0)))


class LearnedCoder:
    """Multi-label coder: `fit(texts, Y)`, then `predict_proba(texts)` and `decide(P)`."""

    def __init__(self, themes: list[str], settings: CoderSettings | None = None) -> None:
        self.themes = list(themes)
        self.settings = settings or CoderSettings()
        self.vectorizers: list[TfidfVectorizer] = []
        self.models: tuple[np.ndarray, np.ndarray] = (np.zeros((0, len(self.themes))), np.zeros(len(self.themes)))
        self.platt: np.ndarray = np.zeros((len(self.themes), 2))
        self.thresholds: np.ndarray = np.full(len(self.themes), 0.5)
        self.at_least_one = False
        self.positives: np.ndarray = np.zeros(len(self.themes), dtype=int)
        self.uses_rules = False
        self.rule_mask: np.ndarray = np.zeros(len(self.themes), dtype=bool)
        self.report: TrainingReport | None = None
        #: target precision ("0.90") -> the auto-apply confidence that reached it out of fold
        self.auto_confidence: dict[str, float] = {}
        #: the questions seen in training, each with its indicator column (empty: trained without them)
        self.questions: list[str] = []
        self.question_words = 0.0

    # ---- features ---------------------------------------------------------------------------------

    def _make_vectorizers(self) -> list[TfidfVectorizer]:
        s = self.settings
        return [
            TfidfVectorizer(
                ngram_range=s.word_ngrams,
                sublinear_tf=True,
                min_df=s.min_df,
                max_features=s.max_features,
                token_pattern=r"(?u)\b\w[\w']*\b|[^\w\s]",  # noqa: S106 - a regex, not a password
                dtype=np.float32,
            ),
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=s.char_ngrams,
                sublinear_tf=True,
                min_df=s.min_df,
                max_features=s.max_features,
                dtype=np.float32,
            ),
        ]

    def _features(
        self,
        texts: list[str],
        rule_scores: np.ndarray | None,
        questions: Sequence[str] | None = None,
        *,
        fit: bool = False,
    ) -> sp.csr_matrix:
        if fit:
            self.vectorizers = self._make_vectorizers()
            norm = _features_text(texts)
            blocks = [v.fit_transform(norm) for v in self.vectorizers]
            # one question only (or none given) tells the model nothing
            seen = sorted({q for q in (questions if questions is not None else ()) if isinstance(q, str) and q})
            self.questions = seen if len(seen) > 1 else []
            self.question_words = self.settings.question_words if self.questions else 0.0
        else:
            blocks = self._transform_parallel(texts)
        if self.uses_rules and rule_scores is not None:
            blocks.append(sp.csr_matrix(rule_scores[:, self.rule_mask].astype(np.float32)))
        if self.question_columns:
            blocks.append(self._question_block(len(texts), questions))
            if self.question_words:
                blocks.append(self._question_words(blocks[0], questions))
        X = sp.hstack(blocks, format="csr")
        X.sum_duplicates()  # canonical once here, so threads that share it never rewrite it
        return X

    @property
    def question_columns(self) -> list[str]:
        """The questions with an indicator column (coders saved before questions were learned have none)."""
        return getattr(self, "questions", [])

    @property
    def question_words(self) -> float:
        """The weight of the words kept apart per question, as trained (0 for coders saved before them)."""
        return getattr(self, "_question_words_weight", 0.0)

    @question_words.setter
    def question_words(self, weight: float) -> None:
        self._question_words_weight = weight

    def _question_block(self, n: int, questions: Sequence[str] | None) -> sp.csr_matrix:
        """One indicator column per training question. An answer to another question (or to an
        unknown one) is coded as if it answered each training question a little: 1/Q on every column,
        so it gets the average of what the questions taught rather than none of it."""
        if questions is not None and len(questions) != n:
            raise ValueError(f"expected {n} questions, one per answer, got {len(questions)}")
        return self._by_question(
            sp.csr_matrix(np.ones((n, 1), dtype=np.float32)), questions, self.settings.question_weight
        )

    def _question_words(self, words: sp.csr_matrix, questions: Sequence[str] | None) -> sp.csr_matrix:
        """The word features again, in one range of columns per training question: each answer's words
        go in its own question's range, so "waiting" can weigh for one theme under "what was good?" and
        another under "what could we do better?" (an answer to another question: 1/Q in each range)."""
        return self._by_question(words, questions, self.question_words)

    def _by_question(self, block: sp.csr_matrix, questions: Sequence[str] | None, weight: float) -> sp.csr_matrix:
        """`block` copied into one range of columns per training question: each row, times `weight`,
        in its own question's range; a row whose question is not one of them, times `weight / Q`, in
        every range."""
        column = {q: j for j, q in enumerate(self.question_columns)}
        n, k = block.shape[0], len(column)
        which = np.array([column.get(q, -1) for q in questions] if questions is not None else [-1] * n, dtype=int)
        # share[i, j]: how much of row i goes in question j's range
        share = np.zeros((n, k), dtype=np.float32)
        known = which >= 0
        share[known, which[known]] = weight
        share[~known] = weight / k
        copies = sp.hstack([sp.diags(share[:, j]) @ block for j in range(k)], format="csr")
        copies.eliminate_zeros()
        return copies

    def _transform_parallel(self, texts: list[str]) -> list[Any]:
        """Features for many answers: cleaned and vectorised in `n_jobs` processes when there are many."""
        n_jobs = self.settings.n_jobs
        if n_jobs <= 1 or len(texts) < 20_000:
            return _transform_chunk(self.vectorizers, texts)
        chunks = np.array_split(np.arange(len(texts)), n_jobs)
        parts = Parallel(n_jobs=n_jobs)(
            delayed(_transform_chunk)(self.vectorizers, [texts[i] for i in idx]) for idx in chunks
        )
        return [sp.vstack([p[b] for p in parts], format="csr") for b in range(len(self.vectorizers))]

    # ---- training ---------------------------------------------------------------------------------

    def _fit_models(self, X: Any, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One model per theme and variant: weight columns variant by variant, themes in order.

        The fits run in `n_jobs` processes, each fitting its share of the themes one after another,
        never in threads: liblinear (under LinearSVC) draws from one random generator per process,
        reseeded at the start of every fit, so two fits running at once in one process take numbers
        from each other's sequence and the models depend on how the threads happened to interleave.
        """
        s = self.settings
        ratios = _nb_ratios(X, Y) if "nb" in s.variants else None
        jobs = [
            (j, ratios[j] if v == "nb" and ratios is not None else None) for v in s.variants for j in range(Y.shape[1])
        ]
        if s.n_jobs <= 1 or len(jobs) < 2:
            return _stack(_fit_some(X, Y, jobs, s))
        shares = [jobs[w :: s.n_jobs] for w in range(min(s.n_jobs, len(jobs)))]
        fitted = Parallel(n_jobs=len(shares))(delayed(_fit_some)(X, Y, share, s) for share in shares)
        models: list[tuple[np.ndarray, float]] = [(np.zeros(0), 0.0)] * len(jobs)
        for w, part in enumerate(fitted):
            models[w :: len(shares)] = part
        return _stack(models)

    def fit(
        self,
        texts: list[str],
        Y: np.ndarray,
        rule_scores: np.ndarray | None = None,
        rule_mask: np.ndarray | None = None,
        questions: Sequence[str] | None = None,
    ) -> LearnedCoder:
        """Train on coded answers: `Y` has one 0/1 column per theme, in `self.themes` order.

        `rule_scores` (same shape as `Y`) are the codebook rules' scores; `rule_mask` marks the themes
        that have phrases, the only ones whose probabilities lean on the rules. `questions` names the
        question each answer answered ("" where unknown), when answers to several are coded together.
        """
        started = time.perf_counter()
        s = self.settings
        Y = np.asarray(Y, dtype=int)
        n, k = Y.shape
        if k != len(self.themes):
            raise ValueError(f"expected {len(self.themes)} theme columns, got {k}")
        self.uses_rules = rule_scores is not None
        self.rule_mask = np.ones(k, dtype=bool) if rule_mask is None else np.asarray(rule_mask, dtype=bool)
        self.positives = Y.sum(axis=0)
        X = self._features(texts, rule_scores, questions, fit=True)

        # Out-of-fold scores from internal cross-validation: the honest material for calibration,
        # thresholds and the at-least-one choice.
        folds = max(2, min(s.folds, n))
        oof = np.zeros((n, k * len(s.variants)))
        for train, test in KFold(folds, shuffle=True, random_state=s.random_state).split(X):
            oof[test] = _decision(self._fit_models(X[train], Y[train]), X[test])
        self.platt = np.array([_platt(oof[:, c], Y[:, c % k]) for c in range(oof.shape[1])])
        P = self._blend_rules(self._calibrated(oof), rule_scores)
        self._tune_thresholds(P, Y)
        # Chosen on out-of-fold probabilities, so the stated precision is what unseen answers get.
        self.auto_confidence = chosen_confidences(P, Y)
        # the curves the analyst chooses per-theme thresholds from: out of fold too, kept as counts
        self.automation = automation_curves(P, Y, self.themes)
        self.models = self._fit_models(X, Y)
        decisions = self.decide(P)
        f1 = {}
        for j, key in enumerate(self.themes):
            tp = (decisions[:, j] & (Y[:, j] == 1)).sum()
            denom = decisions[:, j].sum() + Y[:, j].sum()
            f1[key] = round(float(2 * tp / denom), 3) if denom else float("nan")
        self.report = TrainingReport(
            n,
            k,
            dict(zip(self.themes, self.positives.tolist(), strict=True)),
            dict(zip(self.themes, np.round(self.thresholds, 3).tolist(), strict=True)),
            self.at_least_one,
            round(time.perf_counter() - started, 2),
            f1,
        )
        return self

    def _calibrated(self, scores: np.ndarray) -> np.ndarray:
        """Platt-scaled probabilities, averaged over the variants."""
        P = _sigmoid(scores * self.platt[:, 0] + self.platt[:, 1])
        return P.reshape(P.shape[0], -1, len(self.themes)).mean(axis=1)

    def _blend_rules(self, P: np.ndarray, rule_scores: np.ndarray | None) -> np.ndarray:
        if rule_scores is None:
            return P
        w = self.positives / (self.positives + self.settings.rules_pseudo_count)
        w = np.where(self.rule_mask, w, 1.0)
        return w * P + (1 - w) * rule_scores

    def _tune_thresholds(self, P: np.ndarray, Y: np.ndarray) -> None:
        # For calibrated probabilities the threshold that maximises a theme's F1 is half that F1
        # (Lipton, Elkan & Naryanaswamy 2014). Taking half the best out-of-fold F1, rather than the
        # point where that best fell, gives a threshold that a handful of answers moves little, for
        # rare and common themes alike.
        thresholds = np.full(Y.shape[1], 1.01)  # a theme never seen is never decided automatically
        for j in range(Y.shape[1]):
            if Y[:, j].any():
                thresholds[j] = _best_f1(P[:, j], Y[:, j]) / 2
        self.thresholds = np.clip(thresholds, 0.02, 1.01)
        plain = self.thresholds <= P
        labelled_share = float((Y.sum(axis=1) > 0).mean())
        self.at_least_one = labelled_share >= 0.95 and (
            _sample_f1(apply_at_least_one(P, plain, self.thresholds), Y) > _sample_f1(plain, Y)
        )

    # ---- coding -----------------------------------------------------------------------------------

    def predict_proba(
        self, texts: list[str], rule_scores: np.ndarray | None = None, questions: Sequence[str] | None = None
    ) -> np.ndarray:
        """Per-theme probabilities, one row per answer (`questions`: the question each answered, if known)."""
        if self.uses_rules and rule_scores is None:
            raise ValueError("this coder was trained with the codebook's rules: pass their scores too")
        if not len(texts):
            return np.zeros((0, len(self.themes)))
        X = self._features(texts, rule_scores, questions)
        scores = _decision(self.models, X)
        P = self._calibrated(scores)
        return self._blend_rules(P, rule_scores)

    def decide(self, P: np.ndarray) -> np.ndarray:
        """Yes/no per theme from probabilities, with the tuned thresholds (and at-least-one if chosen)."""
        decisions = self.thresholds <= P
        return apply_at_least_one(P, decisions, self.thresholds) if self.at_least_one else decisions


def _fit_some(
    X: Any, Y: np.ndarray, jobs: list[tuple[int, np.ndarray | None]], s: CoderSettings
) -> list[tuple[np.ndarray, float]]:
    """Fit some themes' models one after another (theme column, naive-Bayes ratio or None)."""
    return [_fit_binary(X, Y[:, j], s.C, s.tol, s.random_state, ratio) for j, ratio in jobs]


def _transform_chunk(vectorizers: list[TfidfVectorizer], texts: list[str]) -> list[Any]:
    norm = _features_text(texts)
    return [v.transform(norm) for v in vectorizers]
