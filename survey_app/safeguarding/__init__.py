"""Safeguarding at submission: flag an anonymous response for review, and choose the help to show.

A flag identifies no one and changes nothing about anonymity: it names the rule, the question and,
for free text, the few words that matched. Flags are made in the same transaction as the response,
so a response is never stored without the flags its answers call for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from flask import current_app
from flask_babel import gettext

from questionnaires.model import Answer, Questionnaire
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.safeguarding.rules import RuleBook, load


def rule_book() -> RuleBook:
    """The app's rules (the SAFEGUARDING_RULES_FILE setting; the shipped file by default)."""
    return load(Path(current_app.config["SAFEGUARDING_RULES_FILE"]))


def flag_response(response: Response, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[str]:
    """Add a flag for each rule the answers match; flushes, never commits. Returns the support topics."""
    book = rule_book()
    topics: list[str] = []
    for match in book.matches(questionnaire, answers):
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


def support_topics(response: Response) -> list[str]:
    """The support topics for a response already flagged (for a repeated submit)."""
    book = rule_book()
    by_id = {r.id: r.support for r in book.rules}
    flags = db.session.scalars(
        db.select(SafeguardingFlag).filter_by(response_id=response.id).order_by(SafeguardingFlag.id)
    )
    return list(dict.fromkeys(by_id[f.rule] for f in flags if f.rule in by_id))


def support_messages(topics: list[str], audience: str) -> list[str]:
    """The calm, specific help for these topics, worded for the audience."""
    book = rule_book()
    # Translated through messages.po (extracted from rules.yaml); English where there is no translation.
    return [gettext(text) for text in (book.support_text(t, audience) for t in topics) if text]
