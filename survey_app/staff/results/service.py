"""A campaign's results for the workspace: headline figures by audience, comparisons, top reasons,
themes by audience and the partnership's priorities, for the whole campaign or one audience, area or
school.

Every figure comes from the analysis engine, protected as one publication per page:

- each audience's findings (its headline measures and why-questions) are made together by
  `findings_together`, which solves every table that shares people as one system (`joint_hidden`,
  the engine's `protect_publication`); audiences are different people, so no figure links them;
- the themes table counts the people who wrote free text, and goes through `protect_publication`
  in the report's themes section; the top themes per audience and the priorities key only repeat
  its published cells;
- a filtered page is compared by the engine with the whole campaign (`check_differencing`): a
  question or a themes table whose filtered base is a few people short of the whole is left out,
  never shown, and the page says so. Only groups of at least the threshold, whose complement is as
  large, are offered as filters, and an area and a school are not combined.

Building takes seconds on a large campaign, so the loaded answers are kept per campaign and the
built page per campaign, filters, day and state of the answers and codes (`cache`): a page is
rebuilt only when answers, codes or priorities change.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select

from analysis.dimensions import DIMENSIONS, dimension
from analysis.disclosure import DEFAULT_POLICY
from analysis.findings import Finding, FindingRequest, Settings, findings_together
from analysis.load import CampaignData, load_campaign
from analysis.pooling import pool
from analysis.report import findings_sections, text_sections
from analysis.report.blocks import TITLES, across_audiences, audience_view, campaign_audiences
from analysis.report.build import DEFAULT_HEADLINES, ReportData, ReportSpec
from analysis.report.model import Block, Priority, Table, audience_label
from analysis.report.priorities import PriorityConfig, key_for, who_raised
from analysis.report.text_load import CampaignText, load_text
from questionnaires.model import AUDIENCES
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.coding import ThemeCode
from survey_app.models.responses import Response
from survey_app.staff import clock
from survey_app.staff.results.sections import (
    Family,
    add_findings,
    comparisons_table,
    measure_block,
    theme_differences,
)

#: Pages kept per worker (campaign × filters); a page is a few hundred kilobytes of numbers and SVG.
PAGES_KEPT = 32
#: Loaded campaigns kept per worker (their answers as arrays and their free text).
CAMPAIGNS_KEPT = 2


@dataclass(frozen=True)
class Filters:
    """What the page is about: every audience, area and school unless chosen ("" or 0 = all)."""

    audience: str = ""
    area: str = ""
    school: int = 0
    #: an earlier campaign of the partnership to compare with (0 = none; imported figures still show)
    earlier: int = 0


@dataclass
class FilterChoices:
    """The groups large enough to be chosen: (value, label) each."""

    audiences: list[tuple[str, str]] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)
    schools: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Loaded:
    """A campaign's answers, free text and schools, as read at one state of the answers."""

    data: CampaignData
    text: CampaignText
    #: collection point position (as in `data.point_names`) -> its id
    point_ids: list[int]
    #: school id -> the responses that came through it (to filter free text)
    school_responses: dict[int, set[str]]
    choices: FilterChoices


@dataclass
class ResultsPage:
    """Everything the results page shows, already protected and worded."""

    campaign_name: str
    data_date: str
    filters: Filters
    selection: str
    audiences: list[str]
    measures: list[tuple[Block, Table | None]] = field(default_factory=list)
    reasons: list[Block] = field(default_factory=list)
    themes: list[Block] = field(default_factory=list)
    themes_table: Table | None = None
    theme_notes: list[str] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    key: dict[str, str] = field(default_factory=dict)
    adjustment: str | None = None
    suppression_note: str = DEFAULT_POLICY.note
    #: what was left out to protect a small group, and why
    withheld: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: each audience's findings as one publication: (audience view, requests, findings), for audits
    publication: list[tuple[CampaignData, list[FindingRequest], list[Finding]]] = field(
        default_factory=list, repr=False
    )


_pages: OrderedDict[tuple[Any, ...], ResultsPage] = OrderedDict()
_campaigns: OrderedDict[tuple[Any, ...], Loaded] = OrderedDict()


def state_of(campaign: Campaign) -> tuple[int, int, int]:
    """How many responses and counted codes the campaign has, and the newest code: changes when anything does."""
    responses = db.session.scalar(select(func.count()).where(Response.campaign_id == campaign.id)) or 0
    coded = db.session.execute(
        select(func.count(ThemeCode.id), func.max(ThemeCode.id))
        .join(Response, Response.id == ThemeCode.response_id)
        .where(Response.campaign_id == campaign.id)
    ).one()
    return responses, coded[0] or 0, coded[1] or 0


def loaded(campaign: Campaign) -> Loaded:
    """The campaign's answers and free text as they are now (read once per state)."""
    key = (campaign.id, state_of(campaign))
    if key in _campaigns:
        _campaigns.move_to_end(key)
        return _campaigns[key]
    # The loaders read through their own connection: what they read is what has been committed.
    data = load_campaign(db.engine, campaign.slug)
    text = load_text(db.engine, data)
    points = list(
        db.session.execute(
            select(CollectionPoint.id, CollectionPoint.kind)
            .where(CollectionPoint.campaign_id == campaign.id)
            .order_by(CollectionPoint.id)
        )
    )
    school_ids = [pid for pid, kind in points if kind == "school"]
    school_responses: dict[int, set[str]] = {pid: set() for pid in school_ids}
    for rid, pid in db.session.execute(
        select(Response.id, Response.collection_point_id).where(
            Response.campaign_id == campaign.id, Response.collection_point_id.in_(school_ids)
        )
    ):
        if pid is not None:
            school_responses[pid].add(rid)
    result = Loaded(data, text, [pid for pid, _ in points], school_responses, FilterChoices())
    result.choices = _choices(result)
    _campaigns[key] = result
    while len(_campaigns) > CAMPAIGNS_KEPT:
        _campaigns.popitem(last=False)
    return result


def _large_enough(n: int, everyone: int) -> bool:
    """A group may be chosen when it, and everyone else, are at least the threshold."""
    threshold = DEFAULT_POLICY.threshold
    return n >= threshold and everyone - n >= threshold


def _choices(source: Loaded) -> FilterChoices:
    data = source.data
    audience_of = data.audience_of()
    audiences = [
        (a, audience_label(a))
        for a in campaign_audiences(data)
        if int((audience_of == AUDIENCES.index(a)).sum()) >= DEFAULT_POLICY.threshold
    ]
    area = dimension(data, "area")
    # "Somewhere else" and "I don't know" are answers to the area question, not places to filter by.
    is_area = DIMENSIONS["area"][1]
    not_places = {o.label for c in data.columns.values() if is_area and is_area(c) for o in c.options if o.special}
    areas = [
        (label, label)
        for code, label in enumerate(area.labels)
        if label not in not_places and _large_enough(int((area.codes == code).sum()), data.n)
    ]
    schools = [
        (pid, data.point_names[position])
        for position, pid in enumerate(source.point_ids)
        if pid in source.school_responses and _large_enough(int((data.point_index == position).sum()), data.n)
    ]
    return FilterChoices(audiences, sorted(areas), sorted(schools, key=lambda s: s[1]))


def results_page(
    campaign: Campaign, filters: Filters, priorities: list[PriorityConfig], earlier: Campaign | None = None
) -> ResultsPage:
    """The page for these filters, built now or kept from an earlier request at the same state."""
    today = clock.today().isoformat()
    source = loaded(campaign)
    before = loaded(earlier).data if earlier is not None else None
    key = (
        campaign.id,
        state_of(campaign),
        state_of(earlier) if earlier is not None else None,
        filters,
        today,
        tuple((p.key, p.label, tuple(p.themes), tuple(p.measures)) for p in priorities),
    )
    if key in _pages:
        _pages.move_to_end(key)
        return _pages[key]
    started = time.perf_counter()
    page = build_page(source, filters, priorities, today, before)
    page.seconds = time.perf_counter() - started
    _pages[key] = page
    while len(_pages) > PAGES_KEPT:
        _pages.popitem(last=False)
    return page


def forget() -> None:
    """Drop every kept page and campaign (tests, and after the data are deleted)."""
    _pages.clear()
    _campaigns.clear()


def _where(source: Loaded, filters: Filters) -> tuple[np.ndarray | None, str]:
    data = source.data
    if filters.area:
        area = dimension(data, "area")
        return area.codes == area.labels.index(filters.area), f"living in {filters.area}"
    if filters.school:
        position = source.point_ids.index(filters.school)
        return data.point_index == position, f"who answered through {data.point_names[position]}"
    return None, ""


def build_page(
    source: Loaded,
    filters: Filters,
    priorities: list[PriorityConfig],
    data_date: str,
    earlier: CampaignData | None = None,
) -> ResultsPage:
    """Every part of the page from the engine's protected findings, with one adjusted family of tests."""
    data = source.data
    audiences = [filters.audience] if filters.audience else campaign_audiences(data)
    where, where_label = _where(source, filters)
    page = ResultsPage(
        data.campaign.name,
        data_date,
        filters,
        where_label,
        [audience_label(a) for a in audiences],
    )
    if filters.audience and where is not None:
        # Each choice is large enough alone; together they may not be: say so once, instead of a page
        # of hidden figures.
        chosen = int((where & (data.audience_of() == AUDIENCES.index(filters.audience))).sum())
        if chosen < DEFAULT_POLICY.threshold:
            page.withheld.append(
                f"Fewer than {DEFAULT_POLICY.threshold} of the people {where_label} are "
                f"{audience_label(filters.audience).lower()}, so nothing is shown for them together: choose the "
                "audience or the place on its own."
            )
            return page
    settings = Settings()
    if earlier is not None and where is None:
        settings.earlier = earlier
    elif earlier is not None:
        # The earlier survey is not split the same way: comparing one area's figure with everyone's then
        # would measure where people live, not a change.
        page.withheld.append(
            f"The comparison with {earlier.campaign.name} is shown for the whole campaign only, not for people "
            f"{where_label}."
        )
    spec = ReportSpec()
    headlines: dict[str, list[Finding]] = {}
    reasons: dict[str, list[Finding]] = {}
    for audience in audiences:
        view = audience_view(data, [audience])
        measures = [m for m in DEFAULT_HEADLINES if view.find(measure=m)]
        keys = findings_sections.reason_keys(view, spec)
        requests = [FindingRequest(measure=m, where=where, where_label=where_label) for m in measures]
        requests += [FindingRequest(key=k, where=where, where_label=where_label) for k in keys]
        requests = [r for r in requests if _safe(view, r, page)]
        found = findings_together(view, requests, settings) if requests else []
        page.publication.append((view, requests, found))
        headlines[audience] = [
            f for r, f in zip(requests, found, strict=True) if r.measure and f.headline and f.base.value != 0
        ]
        reasons[audience] = [f for r, f in zip(requests, found, strict=True) if r.key]
    family = Family()
    add_findings(family, [f for fs in headlines.values() for f in fs])
    per_measure = {m: [(a, f) for a in audiences for f in headlines[a] if f.id == m] for m in DEFAULT_HEADLINES}
    words = {m: across_audiences(data, m, per) for m, per in per_measure.items() if per}
    blocks = {m: measure_block(family, m, per_measure[m], DEFAULT_POLICY.threshold, w) for m, w in words.items()}
    page.reasons = findings_sections.reasons(reasons, spec).blocks
    themes_table = _themes(source, filters, audiences, page, family)
    page.adjustment = family.adjust()
    page.measures = [(block, comparisons_table(words[m].question, m, per_measure[m])) for m, block in blocks.items()]
    evidence: dict[str, list[str]] = {}
    for fs in headlines.values():
        for f in fs:
            evidence.setdefault(f.id, []).append(f.statement)
    labels = source.text.theme_labels
    theme_keys = {
        k: labels.get(k, k.replace("_", " ").capitalize()) for k in {t for r in source.text.records for t in r.themes}
    }
    page.priorities = who_raised(priorities, themes_table, theme_keys, evidence, {})
    page.key = key_for(page.priorities)
    return page


def _safe(view: CampaignData, request: FindingRequest, page: ResultsPage) -> bool:
    """Whether the engine will show this filtered question (its base is not a few short of the whole)."""
    if request.where is None:
        return True
    columns = view.find(request.key, request.measure)
    answered = pool(columns).answered
    gap = int(answered.sum()) - int((answered & request.where).sum())
    if 0 < gap < DEFAULT_POLICY.threshold:
        page.withheld.append(
            f"\u201c{columns[0].question.text}\u201d ({audience_label(columns[0].audience).lower()}) is not shown "
            f"for people {request.where_label}: so few others answered it that comparing with the whole campaign "
            "would reveal their answers."
        )
        return False
    return True


def _themes(source: Loaded, filters: Filters, audiences: list[str], page: ResultsPage, family: Family) -> Table | None:
    """The themes by audience for the page's people, unless comparing with the whole campaign would reveal a few."""
    records = [r for r in source.text.records if r.audience in audiences and r.text.strip()]
    chosen = records
    if filters.area:
        chosen = [r for r in records if r.area == filters.area]
    elif filters.school:
        people = source.school_responses.get(filters.school, set())
        chosen = [r for r in records if r.respondent in people]
    if chosen is not records:
        for audience in audiences:
            everyone = {r.respondent for r in records if r.audience == audience}
            picked = {r.respondent for r in chosen if r.audience == audience}
            if 0 < len(everyone) - len(picked) < DEFAULT_POLICY.threshold:
                page.withheld.append(
                    f"Themes are not shown for people {page.selection}: so few other "
                    f"{audience_label(audience).lower()} wrote an answer that comparing with the whole campaign "
                    "would reveal what they raised."
                )
                return None
    data = ReportData(source.data, text=chosen, theme_labels=source.text.theme_labels)
    section, table = text_sections.themes(data, audiences, DEFAULT_POLICY, TITLES["themes"])
    page.themes = section.blocks
    page.themes_table = table
    if table is None:
        page.theme_notes = list(section.paragraphs)
    else:
        theme_differences(family, table, page.theme_notes)
    return table
