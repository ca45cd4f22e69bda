"""The respondent's journey: drafts kept server-side, saving pages, and the one-transaction submit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import session
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from questionnaires.model import Answer, Page, Question
from survey_app.extensions import db
from survey_app.models import Answer as AnswerRow
from survey_app.models import Draft, QuestionnaireVersion, Response
from survey_app.respond.answer_types import input_for
from survey_app.safeguarding import flag_response

SESSION_DRAFT = "draft"
#: Called with each new response inside the submit's transaction, before it commits (e.g. class counts).
on_submit: list[Callable[[Response], None]] = []


def start_draft(
    version: QuestionnaireVersion, language: str, campaign_id: int | None = None, collection_point_id: int | None = None
) -> Draft:
    """Begin a new set of answers and remember only its random token in the session cookie."""
    draft = Draft(
        version=version,
        language=language,
        campaign_id=campaign_id,
        collection_point_id=collection_point_id,
        answers={},
        pending={},
        active_on=dt.date.today(),
    )
    db.session.add(draft)
    db.session.flush()
    session[SESSION_DRAFT] = draft.token
    return draft


def current_draft() -> Draft | None:
    """The draft this browser is working on, if any."""
    token = session.get(SESSION_DRAFT)
    return db.session.get(Draft, token) if token else None


def forget_draft() -> None:
    """Drop the link between this browser and any draft."""
    session.pop(SESSION_DRAFT, None)


def read_page(questions: list[Question], form: Any) -> tuple[dict[str, Answer | None], dict[str, dict], dict[str, str]]:
    """Read a posted page: valid answers (None = cleared), raw input of invalid ones, and errors."""
    answers: dict[str, Answer | None] = {}
    pending: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for q in questions:
        handler = input_for(q)
        raw = handler.raw_from_form(q, form)
        answer, found = handler.parse(q, raw)
        if found:
            pending[q.key] = {"raw": raw, "errors": found}
            errors.update(found)
        else:
            answers[q.key] = answer
    return answers, pending, errors


def save_page(draft: Draft, page: Page, answers: dict[str, Answer | None], pending: dict[str, dict]) -> None:
    """Store a page's valid answers and keep the invalid input, so nothing typed is ever lost."""
    saved = dict(draft.answers)
    kept = {k: v for k, v in draft.pending.items() if k not in {q.key for q in page.questions}}
    for key, answer in answers.items():
        if answer is None:
            saved.pop(key, None)
        else:
            saved[key] = answer
    for key, raw in pending.items():
        saved.pop(key, None)
        kept[key] = raw
    # Reassign (not mutate) so SQLAlchemy sees the JSON columns change.
    draft.answers = saved
    draft.pending = kept
    draft.active_on = dt.date.today()


def submit(draft: Draft, idempotency_key: str) -> Response:
    """Turn a draft into a response, committed before returning; a repeat of the key changes nothing.

    Only answers to questions that routing shows are kept: changing "Yes" to "No" on an earlier page
    drops the follow-up answers it no longer leads to.
    """
    existing = response_for_key(idempotency_key)
    if existing is not None:
        return existing
    version = draft.version
    questionnaire = version.questionnaire
    response = Response(
        questionnaire_version_id=version.id,
        audience=version.audience,
        language=draft.language,
        campaign_id=draft.campaign_id,
        collection_point_id=draft.collection_point_id,
        completion="complete",
        submitted_on=dt.date.today(),
        idempotency_key=idempotency_key,
    )
    for key, answer in questionnaire.visible_answers(draft.answers).items():
        response.answers.extend(answer_rows(questionnaire.question(key), answer))
    try:
        db.session.add(response)
        db.session.flush()  # the UNIQUE key is checked here, before the draft goes
        for hook in on_submit:
            hook(response)
        # Safeguarding flags go in the same transaction: never a response without its flags.
        flag_response(response, questionnaire, questionnaire.visible_answers(draft.answers))
        db.session.delete(draft)
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # Another request with the same key (a double click) committed first: use its response.
        db.session.rollback()
        existing = response_for_key(idempotency_key)
        if existing is None:
            raise
        return existing
    return response


def response_for_key(idempotency_key: str) -> Response | None:
    """The response already sent with this idempotency key, if any."""
    return db.session.scalar(select(Response).filter_by(idempotency_key=idempotency_key))


def answer_rows(q: Question, answer: Answer) -> list[AnswerRow]:
    """Store an answer as rows: one per chosen option (with rank for rankings), text, or number."""
    rows: list[AnswerRow] = []
    values = answer.get("values") or []
    text = answer.get("text")
    for position, value in enumerate(values):
        option = q.option(value)
        rows.append(
            AnswerRow(
                question_key=q.key,
                position=position,
                measure=q.measure,
                value=value,
                rank=position + 1 if q.type == "ranking" else None,
                text=text if option is not None and option.other_text else None,
            )
        )
    if not values and text:
        rows.append(AnswerRow(question_key=q.key, position=0, measure=q.measure, text=text))
    if answer.get("number") is not None:
        rows.append(AnswerRow(question_key=q.key, position=0, measure=q.measure, number=answer["number"]))
    return rows
