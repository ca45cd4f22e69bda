"""The safeguarding queue: responses the safeguarding rules flagged, for safeguarding reviewers only.

A reviewer sees the matched words (answers stay anonymous: there is nobody to name), the campaign,
collection point and day, why it was flagged, and how old the item is; and records an outcome with a
note. Opening the queue and recording outcomes are audited; the matched words never go into the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.safeguarding import flag_response
from survey_app.staff import clock

OUTCOME_LABELS = {
    "no_action": "No action needed",
    "signposting_sufficient": "Signposting was sufficient",
    "shared_with_dsl": "Information shared with the school's designated safeguarding lead under the partnership protocol",
    "other": "Other (say what in the note)",
}

REVIEWER = "safeguarding_reviewer"


def written_answers(rows: Sequence[Any]) -> dict[tuple[str, str | None], str]:
    """The whole answer each flag's rule matched in, so the reviewer reads the words in context."""
    wanted = {(flag.response_id, flag.question_key) for flag, _, _ in rows if flag.question_key}
    if not wanted:
        return {}
    texts: dict[tuple[str, str | None], list[str]] = {}
    for response_id, key, text in db.session.execute(
        select(Answer.response_id, Answer.question_key, Answer.text)
        .where(Answer.response_id.in_({r for r, _ in wanted}), Answer.text.is_not(None))
        .order_by(Answer.position)
    ):
        if (response_id, key) in wanted and text:
            texts.setdefault((response_id, key), []).append(text)
    return {k: " / ".join(v) for k, v in texts.items()}


def highlight(text: str, matched: str | None) -> list[tuple[str, bool]]:
    """The text in pieces, each marked True where it is one of the matched words (for <mark>)."""
    words = [w.strip() for w in (matched or "").split(";") if w.strip()]
    if not text or not words:
        return [(text, False)] if text else []
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    pieces, last = [], 0
    for m in pattern.finditer(text):
        pieces += [(text[last : m.start()], False), (m.group(0), True)]
        last = m.end()
    pieces.append((text[last:], False))
    return [(piece, marked) for piece, marked in pieces if piece]


def open_count(partnership_id: int) -> int:
    """How many of the partnership's flags wait for review."""
    return len(
        db.session.scalars(
            select(SafeguardingFlag.id)
            .join(Response, SafeguardingFlag.response_id == Response.id)
            .join(Campaign, Response.campaign_id == Campaign.id)
            .where(Campaign.partnership_id == partnership_id, SafeguardingFlag.outcome.is_(None))
        ).all()
    )


def queue_items(partnership_id: int, show: str) -> tuple[str, list[dict[str, Any]]]:
    """Flags waiting for review (oldest first), or those reviewed (newest first), each with its
    campaign, collection point, age and the whole answer with the matched words marked."""
    query = (
        select(SafeguardingFlag, Campaign, CollectionPoint)
        .join(Response, SafeguardingFlag.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .outerjoin(CollectionPoint, Response.collection_point_id == CollectionPoint.id)
        .where(Campaign.partnership_id == partnership_id)
    )
    if show == "open":
        query = query.where(SafeguardingFlag.outcome.is_(None)).order_by(
            SafeguardingFlag.flagged_on, SafeguardingFlag.id
        )
    else:
        show = "reviewed"
        query = query.where(SafeguardingFlag.outcome.is_not(None)).order_by(
            SafeguardingFlag.reviewed_on.desc(), SafeguardingFlag.id.desc()
        )
    rows = db.session.execute(query.limit(500)).all()
    today = clock.today()
    written = written_answers(rows)
    items = [
        {
            "flag": flag,
            "campaign": campaign,
            "point": point,
            "age_days": (today - flag.flagged_on).days,
            "written": highlight(written.get((flag.response_id, flag.question_key), ""), flag.matched_text),
        }
        for flag, campaign, point in rows
    ]
    return show, items


def record_outcome(flag: SafeguardingFlag, outcome: str, note: str) -> str | None:
    """Record what was done about a flag; returns the outcome it had before."""
    previous = flag.outcome
    flag.outcome, flag.outcome_note, flag.reviewed_on = outcome, note[:4000], clock.today()
    return previous


def flag_unchecked_responses(partnership_id: int) -> int:
    """Run the safeguarding rules over a partnership's responses that never met them (the demo builder
    inserts in bulk, bypassing submission) so the demo's queue has work in it. Campaigns that already
    have flags are left alone. Returns how many responses were flagged."""
    campaigns = select(Campaign.id).where(Campaign.partnership_id == partnership_id)
    if db.session.scalar(
        select(func.count())
        .select_from(SafeguardingFlag)
        .join(Response, SafeguardingFlag.response_id == Response.id)
        .where(Response.campaign_id.in_(campaigns))
    ):
        return 0
    versions = {v.id: v.questionnaire for v in db.session.scalars(select(QuestionnaireVersion))}
    flagged = 0
    for response in db.session.scalars(select(Response).where(Response.campaign_id.in_(campaigns))):
        answers: dict[str, dict[str, Any]] = {}
        for a in response.answers:  # back to the canonical {"values", "text", "number"} form
            entry = answers.setdefault(a.question_key, {"values": []})
            if a.value is not None:
                entry["values"].append(a.value)
            if a.text:
                entry["text"] = a.text
            if a.number is not None:
                entry["number"] = a.number
        if flag_response(response, versions[response.questionnaire_version_id], answers):
            flagged += 1
    return flagged
