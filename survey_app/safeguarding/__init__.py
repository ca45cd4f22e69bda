"""Safeguarding: flag an anonymous response for review, and choose the help to show, when it is needed.

A flag identifies no one and changes nothing about anonymity: it names the rule, the question and,
for free text, the few words that matched. Flags are made in the same transaction as the response,
so a response is never stored without the flags its answers call for. Help is chosen from the same
rules: after the page where an answer was given, and again once the answers are sent (kept on the
server in a note whose random token is all the browser holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import delete

from questionnaires.model import Answer, Questionnaire
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.models.support_notes import SupportNote
from survey_app.safeguarding.rules import Plan, RuleBook, load

#: How long help stays available after sending: today and tomorrow (dates only, never times).
NOTE_DAYS = 1


def rule_book() -> RuleBook:
    """The app's rules (the SAFEGUARDING_RULES_FILE setting; the shipped file by default)."""
    return load(Path(current_app.config["SAFEGUARDING_RULES_FILE"]))


def flag_response(response: Response, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[str]:
    """Add a flag for each rule the answers match that flags for this audience; flushes, never commits.
    Returns the support topics of the flags made (empty when nothing was flagged)."""
    topics: list[str] = []
    for match in rule_book().matches(questionnaire, answers):
        if not match.rule.flags_for(questionnaire.audience):
            continue  # help only: the partnership's rules do not send this to reviewers
        db.session.add(
            SafeguardingFlag(
                response_id=response.id,
                rule=match.rule.id,
                reason=match.rule.reason,
                question_key=match.question_key,
                matched_text=match.matched_text,
                flagged_on=response.submitted_on or dt.date.today(),
            )
        )
        if match.rule.support not in topics:
            topics.append(match.rule.support)
    db.session.flush()
    return topics


def page_topics(questionnaire: Questionnaire, answers: Mapping[str, Answer], keys: Iterable[str]) -> list[str]:
    """The help that the answers to these questions (one page's) call for, most urgent first."""
    wanted = set(keys)
    return rule_book().topics(questionnaire, {k: v for k, v in answers.items() if k in wanted})


def response_topics(response: Response) -> list[str]:
    """The help a sent response's answers call for, most urgent first (help-only rules included)."""
    answers: dict[str, dict[str, Any]] = {}
    for row in response.answers:  # back to the {"values", "text", "number"} form the rules read
        entry = answers.setdefault(row.question_key, {"values": []})
        if row.value is not None:
            entry["values"].append(row.value)
        if row.text:
            entry["text"] = row.text
        if row.number is not None:
            entry["number"] = row.number
    questionnaire = response.version.questionnaire
    return rule_book().topics(questionnaire, questionnaire.visible_answers(answers))


def support_plan(topics: Iterable[str], audience: str, known: Iterable[str] = ()) -> Plan:
    """The help for these topics, worded for the audience and translated: messages most urgent first,
    and the ids of the services that can help (each once). `known`: topics from earlier answers."""
    plan = rule_book().plan(topics, audience, known)
    # Translated through messages.po (extracted from rules.yaml); English where there is no translation.
    return Plan(tuple(gettext(m) for m in plan.messages), plan.services)


def support_messages(topics: list[str], audience: str) -> list[str]:
    """The calm, specific help for these topics, worded for the audience."""
    return list(support_plan(topics, audience).messages)


# --- after sending: a note on the server, a random token in the browser ---------------------------


def keep_note(audience: str, topics: list[str]) -> str:
    """Keep the help for the thank-you page on the server (flushes); returns the note's token."""
    today = dt.date.today()
    db.session.execute(delete(SupportNote).where(SupportNote.expires_on < today))
    note = SupportNote(audience=audience, topics=list(topics), expires_on=today + dt.timedelta(days=NOTE_DAYS))
    db.session.add(note)
    db.session.flush()
    return note.token


def read_note(token: str | None) -> SupportNote | None:
    """The note this token names, unless it has expired."""
    note = db.session.get(SupportNote, token) if token else None
    return note if note is not None and note.expires_on >= dt.date.today() else None


def drop_note(token: str | None) -> None:
    """Delete a note (a new person starts, or someone leaves quickly); the caller commits."""
    if token:
        db.session.execute(delete(SupportNote).where(SupportNote.token == token))
