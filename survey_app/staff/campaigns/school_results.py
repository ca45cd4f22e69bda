"""A school's own results: its headline figures beside the whole campaign's, once enough pupils took part.

Schools that see what their pupils said have a reason to take part again, as #BeeWell schools get a
report of their own. The page is built so that it can never show a small group:

- nothing at all (not even a count of answers) until at least the disclosure threshold of the
  school's pupils have sent answers;
- headline measures only (shared `measure`s, pooled over the questionnaires the school's pupils
  answered): no free text, no breakdowns, and no question about carrying weapons, which in one
  school's figures would point at a few pupils;
- the campaign's figures are for everyone who answered the same questionnaires as the school's
  pupils (children beside children, not beside parents);
- every figure on the page is protected together as one publication (`analysis.disclosure`), with
  the school and the rest of the campaign as separate rows: the campaign's figure is their sum, so
  a figure hidden for either cannot be worked out by subtracting one from the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from analysis.disclosure import DEFAULT_POLICY, Cell, LinkedTable, ProtectedTable, protect_publication
from analysis.load import CampaignData, load_campaign
from analysis.pooling import pool
from analysis.wording import in_own_words
from survey_app.extensions import db
from survey_app.models.campaigns import CollectionPoint

#: The headline measures a school sees, and how a line names the top box.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("feel_safe_area", "feel very or fairly safe in their local area"),
    ("feel_safe_day", "feel very or fairly safe in their area during the day"),
    ("feel_safe_dark", "feel very or fairly safe in their area after dark"),
    ("feel_safe_school", "feel very or fairly safe at school"),
    ("feel_safe_online", "feel very or fairly safe online"),
    ("places_to_go", "say there are good places to spend their free time"),
    ("trusted_adult", "have an adult they can trust"),
    ("worry_knife_crime", "are very or fairly worried about knife crime in their area"),
)
#: The answers counted for measures whose questions have no top box (yes/no questions).
YES = ("yes",)
SCHOOL, REST = "This school", "Rest of the campaign"


@dataclass(frozen=True)
class Line:
    """One headline: the school's figure and the whole campaign's, as published (hidden cells stay hidden)."""

    measure: str
    phrase: str
    school: Cell  #: pupils at the school giving the top answers (percent of those who answered)
    school_base: Cell
    campaign: Cell  #: everyone in the campaign answering the same questionnaires, giving the top answers
    campaign_base: Cell


@dataclass(frozen=True)
class SchoolResults:
    """What the page shows: `lines` is empty while too few pupils have taken part."""

    threshold: int
    enough: bool
    responses: Cell | None
    lines: tuple[Line, ...]
    #: every table the page publishes, as sets of responses beside what it shows (for audits)
    published: list[tuple[LinkedTable, ProtectedTable]] = field(default_factory=list, repr=False)


def school_results(point: CollectionPoint) -> SchoolResults:
    """The school's headline figures against the whole campaign, protected together; nothing below the threshold."""
    threshold = DEFAULT_POLICY.threshold
    data = load_campaign(db.engine, point.campaign.slug)
    school = _school_mask(data, point)
    if int(school.sum()) < threshold:
        return SchoolResults(threshold, False, None, ())
    # Like with like: the school's pupils beside everyone else who answered the same questionnaires
    # (a primary school's children beside the campaign's children, not beside parents and adults).
    peers = np.isin(data.questionnaire_index, np.unique(data.questionnaire_index[school]))
    rest = peers & ~school
    everyone = np.ones(data.n, dtype=bool)
    tables = [LinkedTable([school, rest], [everyone], [SCHOOL, REST], ["responses"])]
    kept: list[tuple[str, str]] = []
    for measure, phrase in HEADLINES:
        columns = data.find(measure=measure)
        if not columns:
            continue
        pooled = pool(columns)
        answered = pooled.answered
        if pooled.kind != "single" or not (answered & school).any():
            continue  # headlines are one-answer questions; this one was not asked of the school's pupils
        top = columns[0].question.top_box or YES
        hit = answered & np.isin(pooled.data, pooled.indices(top))
        tables.append(
            LinkedTable([school & answered, rest & answered], [hit, answered & ~hit], [SCHOOL, REST], ["top", "other"])
        )
        # A primary school's pupils answered "Quite safe": its lines say "very or quite safe".
        kept.append((measure, in_own_words(phrase, pooled.question, pooled.options)))
    protected = protect_publication(tables)
    responses = protected[0].row_totals[0]
    lines = tuple(
        Line(measure, phrase, table.cells[0][0], table.row_totals[0], table.col_totals[0], table.total)
        for (measure, phrase), table in zip(kept, protected[1:], strict=True)
    )
    return SchoolResults(threshold, True, responses, lines, list(zip(tables, protected, strict=True)))


def _school_mask(data: CampaignData, point: CollectionPoint) -> np.ndarray:
    """Which of the campaign's responses came through this school (points are indexed in id order)."""
    ids = list(
        db.session.scalars(
            select(CollectionPoint.id).filter_by(campaign_id=point.campaign_id).order_by(CollectionPoint.id)
        )
    )
    return np.asarray(data.point_index == ids.index(point.id)) if data.n else np.zeros(0, dtype=bool)
