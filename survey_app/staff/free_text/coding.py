"""Theme coding in the staff workspace: code a campaign's free text and review the queue.

The engine (analysis.coding) decides; this module reads the campaign's codebook, its coder in use
and the analyst's auto-apply choice (CoderModel; `analysis.coding.auto_apply` turns it into each
theme's confidence), stores the codes (ThemeCode), and shows one answer at a time for review:
the answer, suggested themes with their evidence, and keys to accept, reject or add (1–9 toggle a
theme, S saves and moves on, K skips). Analysts and administrators only: it shows raw free text.
The audit log records theme keys and counts, never what anyone wrote.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from flask import Flask
from sqlalchemy import delete, select

from analysis.coding.active import Candidate, rank
from analysis.coding.auto_apply import ThemeThresholds, curve_of, resolve
from analysis.coding.codebook import Codebook, codebook_from_dict, load_codebook
from analysis.coding.counted import DECIDED, KEPT
from survey_app.extensions import db
from survey_app.models.coding import CodebookVersion, CoderModel, ThemeCode
from survey_app.models.responses import Answer, Response
from survey_app.staff import clock
from survey_app.staff.free_text import coder_files

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from analysis.coding.engine import ThemeCoder

#: themes below this confidence are not shown as suggestions (unless the rules found words for them)
SUGGEST_MIN = 0.2


@dataclass
class QueueItem:
    """One answer waiting for review."""

    response_id: str
    question_key: str
    uncertainty: float
    #: the themes the coder is unsure of, the one that puts the answer where it is first
    unsure: tuple[str, ...] = ()


def shipped_codebook() -> tuple[Codebook, CodebookVersion]:
    """The shipped codebook file and its stored version (stored the first time it is used)."""
    book = load_codebook()
    row = db.session.scalar(
        select(CodebookVersion).where(
            CodebookVersion.campaign_id.is_(None), CodebookVersion.content_hash == book.fingerprint
        )
    )
    if row is None:
        row = CodebookVersion(
            name=book.name,
            version=book.version,
            content_hash=book.fingerprint,
            content=book.to_dict(),
            created_on=clock.today(),
        )
        db.session.add(row)
        db.session.flush()
    return book, row


def campaign_codebook(campaign_id: int) -> tuple[Codebook, CodebookVersion]:
    """The campaign's current codebook: its newest edited version, or the shipped file's until it edits one."""
    row = db.session.scalar(
        select(CodebookVersion)
        .where(CodebookVersion.campaign_id == campaign_id)
        .order_by(CodebookVersion.version.desc(), CodebookVersion.id.desc())
        .limit(1)
    )
    if row is None:
        return shipped_codebook()
    return codebook_from_dict(row.content, f"codebook version {row.id}"), row


def current_codebook(campaign_id: int | None = None) -> tuple[Codebook, CodebookVersion]:
    """The campaign's current codebook (see campaign_codebook), or the shipped one when no campaign is named."""
    return shipped_codebook() if campaign_id is None else campaign_codebook(campaign_id)


def latest_model(campaign_id: int, codebook_id: int) -> CoderModel | None:
    """The campaign's coder in use (newest first), if any."""
    return db.session.scalar(
        select(CoderModel)
        .where(CoderModel.campaign_id == campaign_id, CoderModel.codebook_version_id == codebook_id)
        .order_by(CoderModel.version.desc())
        .limit(1)
    )


def choice_for(campaign_id: int, codebook_id: int) -> CoderModel | None:
    """The row holding the analyst's auto-apply choice for the campaign (it outlives codebook versions)."""
    return latest_model(campaign_id, codebook_id) or db.session.scalar(
        select(CoderModel).where(CoderModel.campaign_id == campaign_id).order_by(CoderModel.id.desc()).limit(1)
    )


def thresholds_for(campaign_id: int, codebook_id: int, book: Codebook) -> ThemeThresholds:
    """Each theme's auto-apply confidence: the analyst's choice read against the current model's curve."""
    from survey_app.staff.free_text import starting  # lazy: starting builds on this module

    resolved = resolve(
        choice_for(campaign_id, codebook_id), curve_of(latest_model(campaign_id, codebook_id)), book.keys()
    )
    # a coder that began from other campaigns' answers applies nothing until this campaign's own support it
    return starting.gated(campaign_id, codebook_id, book, resolved)


def outdated_model(campaign_id: int, codebook_id: int) -> CoderModel | None:
    """A coder the campaign trained under an earlier codebook version, when none is trained for this one:
    it cannot code the edited themes, so the codebook's rules code until the analyst retrains."""
    if (current := latest_model(campaign_id, codebook_id)) is not None and current.file_name:
        return None
    return db.session.scalar(
        select(CoderModel)
        .where(
            CoderModel.campaign_id == campaign_id,
            CoderModel.codebook_version_id != codebook_id,
            CoderModel.file_name != "",
        )
        .order_by(CoderModel.id.desc())
        .limit(1)
    )


def _coder(app: Flask, campaign_id: int, book: Codebook, codebook_id: int) -> tuple[ThemeCoder, int | None]:
    # scikit-learn and NLTK come with the coder: imported when answers are coded, not when a worker
    # starts (start-up time and memory matter for web workers; most requests never code anything).
    from analysis.coding.engine import ThemeCoder
    from analysis.coding.model_file import ModelFileError

    model = latest_model(campaign_id, codebook_id)
    if model and model.file_name:
        try:
            trained = coder_files.load(model)
        except ModelFileError as exc:
            # After a library upgrade the saved model can't be used: the codebook's rules code
            # until the analyst retrains, rather than the page failing.
            logger.warning("Coder model %s not used, the rules code instead: %s", model.id, exc)
        else:
            if trained is not None:
                return trained, model.version
            logger.warning("Coder model %s has no saved coder, the rules code instead", model.id)
    return ThemeCoder(book), None


def coder_problem(campaign_id: int, codebook_id: int) -> str | None:
    """Why the campaign's trained coder cannot be used on this server, in words, or None."""
    return coder_files.problem(latest_model(campaign_id, codebook_id))


def free_text_answers(campaign_id: int) -> list[Answer]:
    """The campaign's typed answers (free-text questions; not the words typed beside "Other")."""
    return list(
        db.session.scalars(
            select(Answer)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign_id, Answer.text.is_not(None), Answer.value.is_(None))
            .order_by(Answer.response_id, Answer.question_key)
        )
    )


def codes_by_answer(campaign_id: int, codebook_id: int | None = None) -> dict[tuple[str, str], list[ThemeCode]]:
    """The campaign's codes by answer: made under one codebook version, or under any (None)."""
    query = (
        select(ThemeCode)
        .join(Response, ThemeCode.response_id == Response.id)
        .where(Response.campaign_id == campaign_id)
    )
    if codebook_id is not None:
        query = query.where(ThemeCode.codebook_version_id == codebook_id)
    rows = db.session.scalars(query.order_by(ThemeCode.id))
    out: dict[tuple[str, str], list[ThemeCode]] = {}
    for row in rows:
        out.setdefault((row.response_id, row.question_key), []).append(row)
    return out


def is_reviewed(codes: list[ThemeCode]) -> bool:
    """Whether a person has decided on the answer these codes belong to."""
    return any(c.status in DECIDED for c in codes)


def code_answers(app: Flask, campaign_id: int) -> int:
    """(Re)code every answer no person has reviewed yet, with the campaign's current coder."""
    book, row = campaign_codebook(campaign_id)
    coder, model_version = _coder(app, campaign_id, book, row.id)
    thresholds = thresholds_for(campaign_id, row.id, book)
    # Under every version: an answer people reviewed under an earlier codebook keeps their decision,
    # and an unreviewed one loses its old machine codes and is coded afresh under this version.
    existing = codes_by_answer(campaign_id)
    todo = [
        a for a in free_text_answers(campaign_id) if not is_reviewed(existing.get((a.response_id, a.question_key), []))
    ]
    stale = [c.id for a in todo for c in existing.get((a.response_id, a.question_key), [])]
    for start in range(0, len(stale), 500):
        db.session.execute(delete(ThemeCode).where(ThemeCode.id.in_(stale[start : start + 500])))
    source = "model" if coder.learned is not None else "rule"
    # with the question each answered: a coder trained on several questions tells their answers apart
    coded = coder.code([a.text or "" for a in todo], [a.question_key for a in todo])
    for a, result in zip(todo, coded, strict=True):
        for theme, p in result.probabilities.items():
            # Where in the answer and which codebook phrase, never the respondent's words themselves:
            # when retention removes the text, nothing quoted from it is left behind here.
            evidence = [
                {"phrase": m.phrase, "start": m.start, "end": m.end, "negated": m.negated}
                for m in result.matches
                if m.theme == theme
            ]
            if p < SUGGEST_MIN and not evidence:
                continue
            db.session.add(
                ThemeCode(
                    response_id=a.response_id,
                    question_key=a.question_key,
                    theme_key=theme,
                    codebook_version_id=row.id,
                    source=source,
                    confidence=float(p),
                    status="applied" if thresholds.applies(theme, p) else "suggested",
                    evidence=evidence[:10],
                    model_version=model_version,
                )
            )
    db.session.flush()
    return len(todo)


def review_queue(campaign_id: int, codebook_id: int, threshold: float | ThemeThresholds) -> list[QueueItem]:
    """Unreviewed answers with a theme the coder is unsure of (under that theme's own confidence), in
    the order that teaches the coder most (`analysis.coding.active.rank`: unsure themes with few
    reviewed answers first)."""
    thresholds = threshold if isinstance(threshold, ThemeThresholds) else ThemeThresholds(threshold)
    by_answer = codes_by_answer(campaign_id, codebook_id)
    examples = Counter(c.theme_key for codes in by_answer.values() for c in codes if c.status in KEPT)
    waiting: dict[tuple[str, ...], Candidate] = {
        key: Candidate(key, {c.theme_key: c.confidence for c in codes})
        for key, codes in by_answer.items()
        if not is_reviewed(codes) and any(thresholds.unsure(c.theme_key, c.confidence) for c in codes)
    }
    return [
        QueueItem(
            r.key[0],
            r.key[1],
            max((1 - abs(2 * waiting[r.key].probabilities[t] - 1) for t in r.unsure), default=0.0),
            r.unsure,
        )
        for r in rank(list(waiting.values()), thresholds.unsure, examples)
    ]


def coding_counts(campaign_id: int, codebook_id: int, threshold: float | ThemeThresholds) -> dict[str, int]:
    """Answers, answers with any code, answers people reviewed, and answers in the review queue.

    How many are coded automatically is not here: "answers - reviewed - queued" also counted the
    answers with no theme (every one of them before the coder had run). The coding page reads it
    from `progress.working_progress`, as its Progress box does."""
    codes = codes_by_answer(campaign_id)
    return {
        "answers": len(free_text_answers(campaign_id)),
        "coded": len(codes),
        "reviewed": sum(1 for c in codes.values() if is_reviewed(c)),
        "queued": len(review_queue(campaign_id, codebook_id, threshold)),
    }


def set_threshold(
    app: Flask,
    campaign_id: int,
    value: float | None = None,
    *,
    target: float | None | Literal["keep"] = "keep",
    themes: dict[str, Any] | None = None,
) -> None:
    """Store the analyst's auto-apply choice and recode the unreviewed answers with it: the one
    confidence for every theme (`value`), a target precision (None: none), or per-theme numbers."""
    _, row = campaign_codebook(campaign_id)
    model = latest_model(campaign_id, row.id)
    if model is None:  # rules only so far: version 0 holds the analyst's choice
        model = CoderModel(
            campaign_id=campaign_id,
            codebook_version_id=row.id,
            version=0,
            trained_on_answers=0,
            trained_on=clock.today(),
            file_name="",
            metrics={},
        )
        db.session.add(model)
    if value is not None:
        model.auto_apply_threshold = value
    if target != "keep":
        model.target_precision = target
    if themes is not None:
        model.theme_thresholds = themes
    db.session.flush()
    code_answers(app, campaign_id)


def queued_answer(item: QueueItem) -> Answer | None:
    """The answer a queue item is about."""
    return db.session.get(Answer, (item.response_id, item.question_key, 0)) or db.session.scalar(
        select(Answer).where(
            Answer.response_id == item.response_id, Answer.question_key == item.question_key, Answer.text.is_not(None)
        )
    )


def question_text(answer: Answer | None) -> str:
    """The wording of the question an answer was given to, from its own questionnaire version (the same
    key is worded for each audience: "What should the partnership do …"), or "" when it is not there."""
    if answer is None:
        return ""
    try:
        return answer.response.version.questionnaire.question(answer.question_key).text
    except KeyError:  # a key no longer in the questionnaire: the page shows the key alone
        return ""


def record_review(
    campaign_id: int, response_id: str, question_key: str, chosen: set[str], reviewer_id: int
) -> dict[str, list[str]] | None:
    """The reviewer's themes for one answer: ticked suggestions accepted, the rest rejected, new ones
    added. Returns the theme keys by decision, or None when the answer has no codes to review."""
    book, row = campaign_codebook(campaign_id)
    codes = codes_by_answer(campaign_id).get((response_id, question_key), [])
    if not codes:
        return None
    today = clock.today()
    decided: dict[str, list[str]] = {"accepted": [], "rejected": [], "added": []}
    have = set()
    for code in codes:
        # A code made under an earlier version is decided as the theme it counts as now; one on a
        # retired theme is left as it was, shown as retired, since nobody can tick that theme now.
        now = book.resolve(code.theme_key)
        if now is None:
            continue
        have.add(now)
        code.status = "accepted" if now in chosen else "rejected"
        code.reviewer_id, code.decided_on = reviewer_id, today
        decided[code.status].append(code.theme_key)
    for theme in sorted(chosen - have):
        db.session.add(
            ThemeCode(
                response_id=response_id,
                question_key=question_key,
                theme_key=theme,
                codebook_version_id=row.id,
                source="human",
                confidence=1.0,
                status="added",
                evidence=[],
                reviewer_id=reviewer_id,
                decided_on=today,
            )
        )
        decided["added"].append(theme)
    db.session.flush()
    return decided
