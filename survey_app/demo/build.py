"""The entry point: make the demo campaign, its collection points and its synthetic responses.

Set-up and bookkeeping only: which questionnaires, how many responses each, on which days, and
inserting them in batches. Who answers is people.py; what they answer is answers.py.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections import Counter
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import func, insert, select

from survey_app.demo.answers import Generator
from survey_app.demo.people import Person, Plan, draw_person, plan_for
from survey_app.demo.places import POINTS
from survey_app.extensions import db
from survey_app.models import Answer, Campaign, CollectionPoint, Response
from survey_app.questionnaire_store import current_versions, load_questionnaires
from survey_app.survey.submission import answer_rows

CAMPAIGN_SLUG = "youth-safety"
CAMPAIGN_DESCRIPTION = (
    "Trafford's Community Safety Partnership wants to hear from children, young people, young "
    "adults, parents and carers, and people who work with them, about feeling safe: in your area, "
    "at school and online.\n\n"
    "The survey is anonymous. We don't ask for your name, address or email. You can skip any "
    "question. What you tell us will help decide how the council, police, schools, health and "
    "youth services work together to prevent violence."
)
#: The demo's calendar is counted from the day it is built, so that whenever someone tries it the
#: campaign is open (there is something to answer) and has a term's worth of answers behind it.
WEEKS_BEHIND = 13
WEEKS_OPEN = 30
HALF_TERM_WEEK = 7
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
CODE_LENGTH = 6
BATCH = 500  # responses per insert batch

#: Share of responses per audience (renormalised over the audiences actually loaded).
AUDIENCE_SHARE = {
    "children": 0.25,
    "young_people": 0.45,
    "young_adults": 0.10,
    "parents_carers": 0.15,
    "professionals": 0.05,
}
#: Questionnaires that take a set share of their audience's responses (the rest split the remainder):
#: the easy-read version is chosen by some pupils with special educational needs, not by half of them.
QUESTIONNAIRE_SHARE = {"young-people-easy-read": 0.08}


class Calendar(NamedTuple):
    opens_on: dt.date
    closes_on: dt.date
    half_term: tuple[dt.date, dt.date]

    @property
    def name(self) -> str:
        return f"Trafford Youth Safety Survey {self.opens_on.year}"


def calendar_for(today: dt.date) -> Calendar:
    """A campaign that opened on a Monday about a term ago, with a half-term week, still open for months."""
    opens = today - dt.timedelta(weeks=WEEKS_BEHIND)
    opens -= dt.timedelta(days=opens.weekday())
    half_term = opens + dt.timedelta(weeks=HALF_TERM_WEEK)
    return Calendar(opens, opens + dt.timedelta(weeks=WEEKS_OPEN), (half_term, half_term + dt.timedelta(days=4)))


def build_demo(responses: int = 3000, seed: int = 2026, today: dt.date | None = None) -> str:
    """Load the questionnaires and make the demo campaign with `responses` synthetic responses.

    Run inside an app context, as a job that owns its unit of work (`flask demo`, test fixtures):
    it commits once, when everything is made. Adds no campaign (and says so) if the demo campaign
    already exists. The same seed always gives the same answers; their days move with `today`.
    """
    started = time.perf_counter()
    folder = current_app.config["COMMUNITY_VOICE"].questionnaire_folder
    loaded = load_questionnaires(folder)

    existing = db.session.scalar(select(Campaign).filter_by(slug=CAMPAIGN_SLUG))
    if existing is not None:
        db.session.commit()  # questionnaire files that changed are still loaded
        count = db.session.scalar(select(func.count()).select_from(Response).filter_by(campaign_id=existing.id))
        message = (
            f'Demo data is already present: the campaign "{existing.name}" has {count:,} responses. '
            f"Nothing was added. Link: /c/{CAMPAIGN_SLUG}"
        )
        if existing.closes_on < (today or dt.date.today()):
            message += (
                f"\nIt closed on {existing.closes_on:%d %B %Y}, so the survey can no longer be answered; "
                "start from an empty database for a demo that is open today."
            )
        return message

    ids = sorted({r.questionnaire_id for r in loaded})
    versions = sorted(current_versions(ids), key=lambda v: v.questionnaire_id)
    if not versions:
        return f"No questionnaires were found in {folder}, so no demo data was made."
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
    today = today or dt.date.today()
    calendar = calendar_for(today)

    campaign = Campaign(
        slug=CAMPAIGN_SLUG,
        name=calendar.name,
        description=CAMPAIGN_DESCRIPTION,
        opens_on=calendar.opens_on,
        closes_on=calendar.closes_on,
        questionnaire_ids=ids,
    )
    db.session.add(campaign)
    taken = set(db.session.scalars(select(CollectionPoint.code)))
    points = []
    for spec in POINTS:
        code = _code(rng, taken)
        points.append(CollectionPoint(campaign=campaign, name=spec.name, kind=spec.kind, code=code))
    db.session.add_all(points)
    db.session.flush()

    plans = [plan_for(v) for v in versions]
    end = today
    # The days answers came in have their own random stream, so the answers a seed gives do not
    # change with the day the demo is built.
    day_rng = random.Random(f"{seed}-days")  # noqa: S311 - repeatable synthetic data, not secrets
    dates = _dates(day_rng, calendar, end)
    generator = Generator(rng)
    order = _allocate(rng, plans, responses)

    counts: Counter[str] = Counter()
    response_rows: list[dict[str, Any]] = []
    answer_dicts: list[dict[str, Any]] = []
    first_day, last_day = end, calendar.opens_on
    for plan in order:
        person = draw_person(rng, plan)
        answers = generator.answers(plan, person)
        submitted = _submission_day(day_rng, dates, person)
        first_day, last_day = min(first_day, submitted), max(last_day, submitted)
        response_id = secrets.token_hex(16)
        response_rows.append(
            {
                "id": response_id,
                "questionnaire_version_id": plan.version.id,
                "audience": plan.questionnaire.audience,
                "language": "en",
                "campaign_id": campaign.id,
                "collection_point_id": points[person.point].id,
                "completion": "complete",
                "submitted_on": submitted,
                "idempotency_key": secrets.token_hex(16),
            }
        )
        for key, answer in answers.items():
            for row in answer_rows(plan.questionnaire.question(key), answer):
                answer_dicts.append(
                    {
                        "response_id": response_id,
                        "question_key": row.question_key,
                        "position": row.position,
                        "measure": row.measure,
                        "value": row.value,
                        "rank": row.rank,
                        "text": row.text,
                        "number": row.number,
                    }
                )
        counts[plan.questionnaire.audience] += 1
        if len(response_rows) >= BATCH:
            _flush(response_rows, answer_dicts)
    _flush(response_rows, answer_dicts)
    db.session.commit()

    seconds = time.perf_counter() - started
    lines = [
        f'Made the demo campaign "{calendar.name}" with {len(points)} collection points '
        f"and {sum(counts.values()):,} synthetic responses"
        + (f" (submitted {first_day:%d %b %Y} to {last_day:%d %b %Y})" if counts else "")
        + ":"
    ]
    for audience in sorted(counts, key=lambda a: -counts[a]):
        lines.append(f"  {audience:<16}{counts[audience]:>7,}")
    lines.append(f"Link: /c/{CAMPAIGN_SLUG}   (took {seconds:.1f} s)")
    return "\n".join(lines)


def _allocate(rng: random.Random, plans: list[Plan], total: int) -> list[Plan]:
    """Split `total` over the questionnaires by audience share (largest remainder), in random order."""
    by_audience: dict[str, list[Plan]] = {}
    for plan in plans:
        by_audience.setdefault(plan.questionnaire.audience, []).append(plan)
    weights = {}
    for audience, group in by_audience.items():
        fixed = {
            p.version.questionnaire_id: QUESTIONNAIRE_SHARE[p.version.questionnaire_id]
            for p in group
            if p.version.questionnaire_id in QUESTIONNAIRE_SHARE
        }
        rest = [p for p in group if p.version.questionnaire_id not in fixed]
        for plan in group:
            qid = plan.version.questionnaire_id
            within = fixed[qid] if qid in fixed else (1 - sum(fixed.values())) / len(rest)
            weights[qid] = AUDIENCE_SHARE.get(audience, 0.05) * within
    scale = total / sum(weights.values())
    exact = {qid: w * scale for qid, w in weights.items()}
    counts = {qid: int(x) for qid, x in exact.items()}
    for qid in sorted(exact, key=lambda q: (-(exact[q] - counts[q]), q))[: total - sum(counts.values())]:
        counts[qid] += 1
    order = [plan for plan in plans for _ in range(counts[plan.version.questionnaire_id])]
    rng.shuffle(order)
    return order


def _dates(rng: random.Random, calendar: Calendar, end: dt.date) -> dict[str, list[dt.date]]:
    """Candidate submission days for each kind of collection point (pick uniformly from a list).

    Schools run the survey in a couple of lessons (weekdays, not half term); the youth club on
    club nights; the fun day on one Saturday; paper copies are typed in on Fridays; online answers
    come every day, most after the launch and after reminders.
    """
    start = calendar.opens_on
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    off = calendar.half_term
    term = [d for d in days if d.weekday() < 5 and not off[0] <= d <= off[1]] or days
    out: dict[str, list[dt.date]] = {}
    online: list[dt.date] = []
    for d in days:
        week = (d - start).days // 7
        weight = 6 if week < 2 else 3 if week in (6, 7) else 2
        weight += 1 if d.weekday() < 5 else 0
        weight += 3 if d > end - dt.timedelta(7) else 0  # closing reminder
        online += [d] * weight
    out["online"] = online
    out["youth_club"] = [d for d in days if d.weekday() in (1, 3)] or days
    saturdays = [d for d in days if d.weekday() == 5]
    out["event"] = [saturdays[min(4, len(saturdays) - 1)]] if saturdays else days
    out["paper"] = [d for d in days if d.weekday() == 4 and d > start + dt.timedelta(10)] or days
    for role in ("primary", "secondary", "college"):
        out[role] = term
    for i, spec in enumerate(POINTS):
        if spec.kind == "school" and len(term) > 10:
            sessions = rng.sample(term[5:], 2)
            # most pupils answer in the two lessons; a few catch up on other days
            out[f"point:{i}"] = sessions * 12 + rng.sample(term, min(6, len(term)))
    return out


def _submission_day(rng: random.Random, dates: dict[str, list[dt.date]], person: Person) -> dt.date:
    role = POINTS[person.point].role
    return rng.choice(dates.get(f"point:{person.point}") or dates[role])


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _flush(response_rows: list[dict[str, Any]], answer_dicts: list[dict[str, Any]]) -> None:
    """Insert a batch with Core bulk inserts (much faster than ORM objects) and empty the lists."""
    if response_rows:
        db.session.execute(insert(Response), response_rows)
    if answer_dicts:
        db.session.execute(insert(Answer), answer_dicts)
    response_rows.clear()
    answer_dicts.clear()
