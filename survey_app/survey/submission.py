"""Answers become a response: the rows stored for each answer, and the one step every channel
(a browser's Send, a typed-in paper questionnaire) uses to record a response with its safeguarding
flags. Everything here flushes; the caller that owns the unit of work commits once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select

from analysis.text.redaction import without_identifiers
from questionnaires.model import Answer, Question
from survey_app.extensions import db
from survey_app.models import Answer as AnswerRow
from survey_app.models import Draft, QuestionnaireVersion, Response
from survey_app.safeguarding import flag_response


def record_response(
    version: QuestionnaireVersion,
    answers: Mapping[str, Answer],
    *,
    language: str,
    campaign_id: int | None,
    collection_point_id: int | None,
    idempotency_key: str,
    submitted_on: dt.date | None = None,
) -> Response:
    """Add a complete response with its answer rows and safeguarding flags (flushes, never commits).

    Only answers to questions that routing shows are kept: changing "Yes" to "No" on an earlier page
    drops the follow-up answers it no longer leads to. A key already used raises IntegrityError at
    the flush, before anything else is added.
    """
    questionnaire = version.questionnaire
    shown = questionnaire.visible_answers(dict(answers))
    response = Response(
        questionnaire_version_id=version.id,
        audience=version.audience,
        language=language,
        campaign_id=campaign_id,
        collection_point_id=collection_point_id,
        completion="complete",
        submitted_on=submitted_on or dt.date.today(),
        idempotency_key=idempotency_key,
    )
    for key, answer in shown.items():
        response.answers.extend(answer_rows(questionnaire.question(key), answer))
    db.session.add(response)
    db.session.flush()  # the UNIQUE key is checked here
    # Safeguarding flags go in the same transaction: never a response without its flags.
    flag_response(response, questionnaire, shown)
    return response


def submit(draft: Draft, idempotency_key: str) -> Response:
    """Turn a draft into a response and remove the draft (flushes; the caller commits).

    When a twin request with the same key (a double tap) got there first, the flush raises
    IntegrityError, or StaleDataError when the draft is already gone: the caller rolls back and
    finds that response with response_for_key().
    """
    response = record_response(
        draft.version,
        draft.answers,
        language=draft.language,
        campaign_id=draft.campaign_id,
        collection_point_id=draft.collection_point_id,
        idempotency_key=idempotency_key,
    )
    db.session.delete(draft)
    db.session.flush()
    return response


def response_for_key(idempotency_key: str) -> Response | None:
    """The response already sent with this idempotency key, if any."""
    return db.session.scalar(select(Response).filter_by(idempotency_key=idempotency_key))


def answer_rows(q: Question, answer: Answer) -> list[AnswerRow]:
    """Store an answer as rows: one per chosen option (with rank for rankings), text, or number.

    Words typed are stored without the names, phone numbers, emails, links, handles, postcodes and
    addresses in them: children write "a boy called Jake Smith at 12 Elm Road", and no respondent's
    answers may hold who anyone is. (Safeguarding rules read the answers as typed, before this.)
    """
    rows: list[AnswerRow] = []
    values = answer.get("values") or []
    text = without_identifiers(answer["text"]) if answer.get("text") else None
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
