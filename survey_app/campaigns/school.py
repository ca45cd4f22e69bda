"""School sessions: a coordinator sets one up for a class; pupils join with its code, no login."""

from __future__ import annotations

import datetime as dt
import random

from flask import session
from sqlalchemy import select, update

from survey_app.campaigns.codes import SESSION_CODE_LENGTH, insert_with_code
from survey_app.campaigns.setup import SetupError
from survey_app.extensions import db
from survey_app.models import CollectionPoint, QuestionnaireVersion, Response, SchoolSession
from survey_app.models.school_sessions import YEAR_GROUPS
from survey_app.questionnaire_store import current_versions

#: The Flask session key holding the school session a browser joined (an id, never a person).
SESSION_KEY = "school_session"
#: Years 3 to 6 answer the children's questionnaire (8 to 11); Years 7 to 13 the young people's (11 to 18).
LAST_PRIMARY_YEAR = 6


def audience_for_year(year_group: int) -> str:
    """Which audience a school year belongs to."""
    return "children" if year_group <= LAST_PRIMARY_YEAR else "young_people"


def is_easy_read(version: QuestionnaireVersion) -> bool:
    """Whether a questionnaire is an easy-read one (short sentences, symbols)."""
    return version.questionnaire.presentation == "easy-read"


def questionnaire_for_year(point: CollectionPoint, year_group: int, easy_read: bool = False) -> QuestionnaireVersion:
    """The campaign's questionnaire for pupils in this year group (its easy-read one if asked, for a
    class or group with special educational needs)."""
    if year_group not in YEAR_GROUPS:
        raise SetupError(
            f"Year {year_group} is not a school year we have a questionnaire for. "
            f"Choose Year {YEAR_GROUPS[0]} to Year {YEAR_GROUPS[-1]}."
        )
    audience = audience_for_year(year_group)
    ids = point.campaign.questionnaire_ids or None
    matches = sorted(
        (v for v in current_versions(ids) if v.audience == audience and is_easy_read(v) == easy_read),
        key=lambda v: v.questionnaire_id,
    )
    if not matches:
        kind = "easy-read questionnaire" if easy_read else "questionnaire"
        raise SetupError(
            f"The campaign \u201c{point.campaign.name}\u201d has no {kind} for Year {year_group} "
            f"({audience.replace('_', ' ')}). Add one to the campaign first."
        )
    return matches[0]


def create_session(
    point: CollectionPoint,
    year_group: int,
    expected_pupils: int,
    label: str = "",
    rng: random.Random | None = None,
    today: dt.date | None = None,
    easy_read: bool = False,
) -> SchoolSession:
    """Set up a session for a class and give it a fresh code (flushes)."""
    if expected_pupils < 1:
        raise SetupError("Please say how many pupils you expect: 1 or more.")
    version = questionnaire_for_year(point, year_group, easy_read)
    return insert_with_code(
        lambda code: SchoolSession(
            collection_point_id=point.id,
            code=code,
            label=label.strip(),
            year_group=year_group,
            questionnaire_id=version.questionnaire_id,
            expected_pupils=expected_pupils,
            completed=0,
            opened_on=today or dt.date.today(),
        ),
        SESSION_CODE_LENGTH,
        rng,
    )


def session_by_code(code: str) -> SchoolSession | None:
    """The school session with this code, if any."""
    return db.session.scalar(select(SchoolSession).filter_by(code=code))


def close_session(school_session: SchoolSession, today: dt.date | None = None) -> None:
    """Stop new pupils joining; anyone part-way through can still send their answers."""
    if school_session.closed_on is None:
        school_session.closed_on = today or dt.date.today()


def count_completion(response: Response) -> None:
    """Count a submitted response against the browser's school session, in the submit's own transaction.

    A counter, not a link: nothing records which response came from which class.
    """
    session_id = session.get(SESSION_KEY)
    if session_id is None:
        return
    db.session.execute(
        update(SchoolSession).where(SchoolSession.id == int(session_id)).values(completed=SchoolSession.completed + 1)
    )
