"""Save and come back later: a few easy words instead of an account or an email address.

The words are shown once and never stored: the database keeps only an HMAC of them (keyed with the
app's secret, so a copy of the database alone cannot be searched for codes) beside the draft they
reopen. A code works until the campaign closes. Wrong codes are limited twice over, neither way
knowing who is typing: a count in this browser's session (a few tries an hour), and the site-wide
bucket throttle (survey_app.campaigns.throttle) keyed on the first word.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import re
import secrets
from dataclasses import dataclass

from flask import current_app, session
from sqlalchemy.exc import IntegrityError

from survey_app.campaigns import throttle
from survey_app.campaigns.words import WORDS
from survey_app.extensions import db
from survey_app.models import Campaign, Draft, ResumeCode
from survey_app.survey.drafts import SESSION_DRAFT

#: Four words from 401: about 34.6 bits, with guessing throttled per browser and per first word.
WORDS_IN_CODE = 4
#: Wrong codes one browser may try in an hour.
TRIES_PER_BROWSER = 5
SESSION_TRIES = "resume_tries"
#: Wrong codes per first word per hour, site-wide: random guessing gets about 4,000 tries an hour in
#: all, against about 24 billion possible codes.
BUCKET_LIMIT = 10

_system = secrets.SystemRandom()


@dataclass(frozen=True)
class ResumeResult:
    """What typing a resume code led to: 'ok' (with the draft), 'wrong', 'expired', 'too_many' or 'busy'."""

    status: str
    draft: Draft | None = None
    tries_left: int = 0
    closed_on: dt.date | None = None


def make_words(rng: random.Random | None = None) -> list[str]:
    """A fresh code: WORDS_IN_CODE random easy words."""
    chooser = rng or _system
    return [chooser.choice(WORDS) for _ in range(WORDS_IN_CODE)]


def words_in(typed: str) -> list[str]:
    """The words someone typed, whatever they put between them and however they capitalised them."""
    return re.findall(r"[a-z]+", typed.lower())


def code_hash(words: list[str]) -> str:
    """The keyed hash stored for a code."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, " ".join(words).encode(), hashlib.sha256).hexdigest()


def expiry_for(draft: Draft, today: dt.date) -> dt.date:
    """The last day a code for this draft works: the campaign's closing day, else the keeping period."""
    campaign = db.session.get(Campaign, draft.campaign_id) if draft.campaign_id else None
    if campaign is not None:
        return campaign.closes_on
    return today + dt.timedelta(days=current_app.config["COMMUNITY_VOICE"].draft_days)


def save_for_later(draft: Draft, rng: random.Random | None = None, today: dt.date | None = None) -> str:
    """Give the draft a new resume code (replacing any earlier one) and return its words, once (flushes)."""
    today = today or dt.date.today()
    db.session.query(ResumeCode).filter_by(draft_token=draft.token).delete()
    for _ in range(10):
        words = make_words(rng)
        try:
            with db.session.begin_nested():
                db.session.add(
                    ResumeCode(code_hash=code_hash(words), draft_token=draft.token, expires_on=expiry_for(draft, today))
                )
        except IntegrityError:  # the same four words are already someone's code: pick again
            continue
        draft.active_on = today
        return " ".join(words)
    raise RuntimeError("could not find a free resume code")


def _tries() -> int:
    window, count = session.get(SESSION_TRIES, [0, 0])
    return int(count) if window == throttle.current_window() else 0


def resume(typed: str, today: dt.date | None = None) -> ResumeResult:
    """Reopen the draft a code belongs to, linking it to this browser; or say kindly why not."""
    today = today or dt.date.today()
    used = _tries()
    if used >= TRIES_PER_BROWSER:
        return ResumeResult("too_many")
    words = words_in(typed)
    bucket = throttle.bucket_for("resume", words[0] if words else "")
    if throttle.is_blocked(bucket, BUCKET_LIMIT):
        return ResumeResult("busy")
    found = db.session.get(ResumeCode, code_hash(words)) if len(words) == WORDS_IN_CODE else None
    if found is None:
        throttle.record_failure(bucket)
        session[SESSION_TRIES] = [throttle.current_window(), used + 1]
        return ResumeResult("wrong", tries_left=TRIES_PER_BROWSER - used - 1)
    campaign = db.session.get(Campaign, found.draft.campaign_id) if found.draft.campaign_id else None
    if found.expires_on < today or (campaign is not None and campaign.closes_on < today):
        return ResumeResult("expired", closed_on=campaign.closes_on if campaign else found.expires_on)
    found.draft.active_on = today
    session[SESSION_DRAFT] = found.draft.token
    session.pop(SESSION_TRIES, None)
    return ResumeResult("ok", draft=found.draft)
