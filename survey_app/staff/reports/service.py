"""Saved reports: their choices as a report spec, building them from the answers, and publishing.

The numbers always come from `analysis.report` (disclosure control included); this module only
stores the lead's choices and, on publishing, a frozen copy of the built report. Functions here
flush and never commit: the view or command that calls them owns the unit of work.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from analysis.load import load_campaign
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.model import SECTION_KINDS, FindingsReport
from analysis.report.priorities import not_yet_known
from analysis.report.text_load import load_text
from analysis.report.text_sections import NOT_FINISHED
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.reports import PublishedReport, SavedReport
from survey_app.models.responses import Response
from survey_app.models.staff import Partnership
from survey_app.staff import clock
from survey_app.staff.results.priorities import partnership_priorities

#: The sections that need coded free text (loading it is the slow part of a build).
TEXT_SECTIONS = frozenset({"themes", "quotes", "word_clouds", "priorities"})
#: A new report's sections: every kind but word clouds, which redact every answer (slow).
DEFAULT_SECTIONS = [k for k in SECTION_KINDS if k != "word_clouds"]


@dataclass
class Choices:
    """What the lead chose on the builder form."""

    title: str
    earlier_campaign_id: int | None
    audiences: list[str]
    sections: list[str]
    narrative: dict[str, str]
    priority_responses: dict[str, str]


def response_count(campaign: Campaign) -> int:
    """How many responses the campaign has now (to say when more have arrived since a save)."""
    return db.session.scalar(select(func.count()).where(Response.campaign_id == campaign.id)) or 0


def new_since_save(report: SavedReport) -> int:
    """How many responses arrived after the report was last saved."""
    campaign = db.session.get(Campaign, report.campaign_id)
    return max(0, response_count(campaign) - report.responses_at_save) if campaign else 0


def apply_choices(report: SavedReport, choices: Choices, user_id: int) -> SavedReport:
    """Store the lead's choices on a (new or existing) report, stamped with who and when."""
    report.title = choices.title
    report.earlier_campaign_id = choices.earlier_campaign_id
    report.audiences = list(choices.audiences)
    report.sections = [k for k in SECTION_KINDS if k in choices.sections]
    report.narrative = {k: v for k, v in choices.narrative.items() if v.strip() and k in report.sections}
    report.priority_responses = {k: v for k, v in choices.priority_responses.items() if v.strip()}
    report.updated_by, report.updated_on = user_id, clock.today()
    if report.id is None:
        report.created_by, report.created_on = user_id, clock.today()
        db.session.add(report)
    campaign = db.session.get(Campaign, report.campaign_id)
    report.responses_at_save = response_count(campaign) if campaign else 0
    db.session.flush()
    return report


def duplicate(report: SavedReport, user_id: int) -> SavedReport:
    """A copy of the report's choices (never its published snapshots), titled as a copy."""
    copy = SavedReport(partnership_id=report.partnership_id, campaign_id=report.campaign_id)
    choices = Choices(
        f"{report.title} (copy)"[:200],
        report.earlier_campaign_id,
        report.audiences,
        report.sections,
        dict(report.narrative),
        dict(report.priority_responses),
    )
    return apply_choices(copy, choices, user_id)


def spec_of(report: SavedReport) -> ReportSpec:
    """The analysis side's report spec for the saved choices, dated today."""
    return ReportSpec(
        title=report.title,
        audiences=list(report.audiences),
        sections=list(report.sections),
        narrative=dict(report.narrative),
        priority_responses=dict(report.priority_responses),
        # the partnership's own priorities (renamed, re-mapped, added), the seeds until it changes them
        priorities=partnership_priorities(report.partnership_id),
        data_date=clock.today().isoformat(),
        organisation=partnership_name(report.partnership_id),
    )


def partnership_name(partnership_id: int | None) -> str:
    """The partnership's name, as the author of the documents it publishes ("" when there is none)."""
    partnership = db.session.get(Partnership, partnership_id) if partnership_id is not None else None
    return partnership.name if partnership else ""


def build(report: SavedReport) -> FindingsReport:
    """Build the report from the answers as they are now (every figure disclosure-controlled)."""
    campaign = db.session.get(Campaign, report.campaign_id)
    earlier = db.session.get(Campaign, report.earlier_campaign_id) if report.earlier_campaign_id else None
    assert campaign is not None  # the foreign key cascades: a report never outlives its campaign
    # The loaders read through their own connection: what they read is what has been committed.
    data = load_campaign(db.engine, campaign.slug)
    before = load_campaign(db.engine, earlier.slug) if earlier else None
    spec = spec_of(report)
    text = load_text(db.engine, data) if set(spec.sections) & TEXT_SECTIONS else None
    inputs = ReportData(
        data,
        before,
        text.records if text else [],
        text.population if text else None,
        text.redactor if text else None,
        text.theme_labels if text else {},
    )
    return build_report(inputs, spec)


def gaps(built: FindingsReport) -> list[str]:
    """What the report would publish empty or not yet known, to say before it is published: a public page
    saying that no answer has been analysed, or quoting no one, is rarely what the lead meant."""
    out = []
    themes = built.section("themes")
    if themes is not None and not themes.tables and not themes.blocks:
        out.append("Themes: no free-text answer has been coded with themes yet, so this section only says so.")
    if themes is not None and any(p.startswith(NOT_FINISHED) for p in themes.paragraphs):
        out.append(
            "Themes: some free-text answers are still waiting for review, so they count under no theme yet "
            "(the section says how many)."
        )
    priorities = built.section("priorities")
    if priorities is not None and not_yet_known(priorities.priorities):
        out.append("Priorities: with no answer coded, the key says \u201cNot yet known\u201d for every group.")
    quotes = built.section("quotes")
    if quotes is not None and not quotes.quotes:
        out.append("Quotes: no quote is chosen, so this section quotes no one.")
    return out


def publish(report: SavedReport, public: bool, user_id: int, built: FindingsReport | None = None) -> PublishedReport:
    """Freeze the report as built now (or as `built`, just now); earlier live snapshots of it are withdrawn.

    One live copy: the new snapshot keeps the address of the report's last one, so links already shared
    (the public page, "You said, we did") show the newest published version instead of breaking."""
    frozen_now = (built or build(report)).to_json()
    for old in report.snapshots:
        if old.live:
            old.live, old.unpublished_on = False, clock.today()
    # the withdrawal reaches the database before the new live row that shares its address
    db.session.flush()
    snapshot = PublishedReport(
        report_id=report.id,
        snapshot=frozen_now,
        published_on=clock.today(),
        published_by=user_id,
        public=public,
        slug=report.snapshots[-1].slug if report.snapshots else secrets.token_urlsafe(12),
        live=True,
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def unpublish(snapshot: PublishedReport) -> None:
    """Withdraw a published snapshot (kept, marked withdrawn, so the record of what was published stays)."""
    snapshot.live, snapshot.unpublished_on = False, clock.today()
    db.session.flush()


def live_snapshot(report: SavedReport) -> PublishedReport | None:
    """The report's published copy, if it is published now."""
    return next((s for s in report.snapshots if s.live), None)


def frozen(snapshot: PublishedReport) -> FindingsReport:
    """The published report exactly as it was frozen."""
    return FindingsReport.from_json(snapshot.snapshot)


def published_for_partnership(partnership_id: int | None) -> list[tuple[PublishedReport, SavedReport]]:
    """The partnership's live published reports, newest first."""
    rows = db.session.execute(
        select(PublishedReport, SavedReport)
        .join(SavedReport, PublishedReport.report_id == SavedReport.id)
        .where(SavedReport.partnership_id == partnership_id, PublishedReport.live.is_(True))
        .order_by(PublishedReport.published_on.desc(), PublishedReport.id.desc())
    )
    return [(p, r) for p, r in rows]


def public_snapshot(slug: str) -> PublishedReport | None:
    """A live snapshot the lead chose to show without sign-in, by its public slug."""
    return db.session.scalar(
        select(PublishedReport).where(
            PublishedReport.slug == slug, PublishedReport.live.is_(True), PublishedReport.public.is_(True)
        )
    )
