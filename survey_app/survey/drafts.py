"""Unfinished answers: a draft kept on the server, reached only through a random token in the
browser's session cookie, filled in page by page so nothing typed is ever lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import session
from sqlalchemy.orm import joinedload

from questionnaires.model import Answer, Page, Question
from survey_app.extensions import db
from survey_app.models import Draft, QuestionnaireVersion
from survey_app.survey.answer_types import input_for

#: The session cookie's key for the draft's token (resuming with a code sets it too).
SESSION_DRAFT = "draft"


def start_draft(
    version: QuestionnaireVersion, language: str, campaign_id: int | None = None, collection_point_id: int | None = None
) -> Draft:
    """Begin a new set of answers and remember only its random token in the session cookie (flushes)."""
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


#: built once: the loader option costs more to build than to use
_WITH_VERSION = [joinedload(Draft.version)]


def current_draft() -> Draft | None:
    """The draft this browser is working on, if any."""
    token = session.get(SESSION_DRAFT)
    # Every page needs the version too: one query for both instead of a second one on first use.
    return db.session.get(Draft, token, options=_WITH_VERSION) if token else None


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
