"""The safeguarding queue: responses the safeguarding rules flagged, for safeguarding reviewers only.

A reviewer sees the matched words (answers stay anonymous: there is nobody to name), the campaign,
collection point and day, why it was flagged, and how old the item is; and records an outcome with a
note. Opening the queue and recording outcomes are audited; the matched words never go into the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.responses import Answer, Response
from survey_app.models.safeguarding import OUTCOMES, SafeguardingFlag
from survey_app.staff import bp, clock
from survey_app.staff.auth import audit, flag_for_user_or_404, role_required, staff_user

OUTCOME_LABELS = {
    "no_action": "No action needed",
    "signposting_sufficient": "Signposting was sufficient",
    "shared_with_dsl": "Information shared with the school's designated safeguarding lead under the partnership protocol",
    "other": "Other (say what in the note)",
}
REVIEWER = "safeguarding_reviewer"


@bp.get("/safeguarding")
@role_required(REVIEWER)
def safeguarding_queue() -> str:
    """Flags waiting for review (oldest first), then those reviewed, with their outcomes."""
    show = request.args.get("show", "open")
    user = staff_user()
    query = (
        select(SafeguardingFlag, Campaign, CollectionPoint)
        .join(Response, SafeguardingFlag.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .outerjoin(CollectionPoint, Response.collection_point_id == CollectionPoint.id)
        .where(Campaign.partnership_id == user.partnership_id)
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
    written = _written(rows)
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
    audit("safeguarding_queue_viewed", show=show, items=len(items), flags=[flag.id for flag, _, _ in rows][:100])
    return render_template(
        "staff/safeguarding.html",
        items=items,
        show=show,
        outcomes=OUTCOME_LABELS,
        open_count=_open_count(user.partnership_id),
    )


def _written(rows: Sequence[Any]) -> dict[tuple[str, str | None], str]:
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


def _open_count(partnership_id: int) -> int:
    return len(
        db.session.scalars(
            select(SafeguardingFlag.id)
            .join(Response, SafeguardingFlag.response_id == Response.id)
            .join(Campaign, Response.campaign_id == Campaign.id)
            .where(Campaign.partnership_id == partnership_id, SafeguardingFlag.outcome.is_(None))
        ).all()
    )


@bp.post("/safeguarding/<int:flag_id>/outcome")
@role_required(REVIEWER)
def safeguarding_outcome(flag_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Record what was done about one flag."""
    flag = flag_for_user_or_404(flag_id)
    outcome = request.form.get("outcome", "")
    note = request.form.get("note", "").strip()
    if outcome not in OUTCOMES or (outcome == "other" and not note):
        flash("Choose an outcome" + (" and say what was done in the note" if outcome == "other" else "") + ".", "error")
        return redirect(url_for("staff.safeguarding_queue", _anchor=f"flag-{flag.id}"))
    previous = flag.outcome
    flag.outcome, flag.outcome_note, flag.reviewed_on = outcome, note[:4000], clock.today()
    # The note may describe the response: the log records that a note was written, not what it says.
    audit("safeguarding_outcome", f"flag:{flag.id}", outcome=outcome, previous=previous, note_written=bool(note))
    flash("Outcome recorded.", "success")
    return redirect(url_for("staff.safeguarding_queue"))
