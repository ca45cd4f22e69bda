"""The duplicate guard: stop one device flooding a campaign without knowing who anyone is.

- A honeypot: a box people never see (hidden, skipped by the keyboard, marked "leave empty").
  Scripts that fill every box are thanked and nothing is saved.
- A minimum time on the check page, measured with a signed token in the form itself: the token
  says when the page was shown, for this draft only. Nothing about time is stored with the answers;
  the token goes back to the browser and is gone.
- A limit per browser session: after a few sets of answers from one browser session, it asks the
  person to stop. Shared devices in kiosk mode start a fresh session for every pupil instead.

There is no limit by IP address: a whole school shares one, and keeping addresses is off the table.
"""

from __future__ import annotations

import time

from flask import current_app, g, session
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import MultiDict

from survey_app.models import Draft

#: The hidden box's name: a name scripts like to fill in.
HONEYPOT = "website"
#: The form field carrying the signed "page shown at" token.
SHOWN_FIELD = "shown"
SESSION_SENT = "sent"
#: The session's copy of the first check-page token of the draft in hand (its submission key and when).
SESSION_SHOWN = "check_shown"
#: held_back()'s answer for a script: say thank you, save nothing.
SILENT = "silent"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="cv-check-page-shown")


def page_token(draft: Draft, shown_at: float | None = None) -> str:
    """A signed note of when the check page was shown, for this draft's submission only."""
    return _serializer().dumps([draft.submission_key, round(shown_at if shown_at is not None else time.time(), 1)])


def shown_token(draft: Draft) -> str:
    """The check page's token: from when this draft's check page was first shown, kept in the session.

    Back on the check page after a Change, a fresh token made the person wait again: a child who had
    checked everything, changed one answer and pressed Send was told to take a moment to check.
    """
    kept = session.get(SESSION_SHOWN)
    if isinstance(kept, str) and seconds_on_page(kept, draft) is not None:
        return kept
    token = page_token(draft)
    session[SESSION_SHOWN] = token
    return token


def seconds_on_page(token: str, draft: Draft) -> float | None:
    """How long ago the token was issued for this draft; None if it is missing, forged or another draft's."""
    try:
        key, shown_at = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if key != draft.submission_key:
        return None
    return time.time() - float(shown_at)


def held_back(form: MultiDict, draft: Draft, kiosk: bool = False) -> str | None:
    """Why a submit should not go through (a message for the page, or SILENT), or None to send it."""
    if form.get(HONEYPOT, "").strip():
        return SILENT
    minimum = float(
        current_app.config.get("MIN_SECONDS_ON_CHECK", current_app.config["COMMUNITY_VOICE"].min_seconds_on_check)
    )
    waited = seconds_on_page(form.get(SHOWN_FIELD, ""), draft) if minimum > 0 else minimum
    notice = None
    if waited is None or waited < minimum:
        notice = _(
            "Please take a moment to check your answers, then press the button again. Your answers are all still here."
        )
    elif browser_full(kiosk):
        notice = _(
            "Several sets of answers have already been sent from this browser, so we can't take "
            "any more from it right now. If someone else wants to take part, they can use their "
            "own device, or close this browser and open it again."
        )
    if notice is not None:
        g.guard_notice = notice  # shown on the check page, above the button
    return notice


def browser_full(kiosk: bool = False) -> bool:
    """Whether this browser session has sent as many sets of answers as it may (never for a kiosk)."""
    return not kiosk and int(session.get(SESSION_SENT, 0)) >= current_app.config["SENDS_PER_BROWSER"]


def count_send() -> None:
    """Count a sent set of answers against this browser session."""
    session[SESSION_SENT] = int(session.get(SESSION_SENT, 0)) + 1
