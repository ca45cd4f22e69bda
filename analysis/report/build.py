"""Turn a campaign's findings into a `FindingsReport`: what the lead chose (`ReportSpec`), the inputs
(`ReportData`) and `build_report`, which puts the sections together.

Every figure comes from `analysis.findings.findings_together` and is copied cell by cell
(`Figure.from_cell`), so the report prints what the engine published and nothing else. Every finding
the report shows is requested first and protected as one publication (`report_findings`), so no
table of the report gives away what another hides. The sections are made in
`report.findings_sections` (headlines, comparisons, top reasons), `report.text_sections` (themes,
quotes, word clouds), `report.priorities` and `report.methodology`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from analysis.adjustment import adjust_report, methodology_note
from analysis.comparisons import NOT_COMPARED
from analysis.disclosure import DisclosurePolicy
from analysis.findings import Finding, FindingRequest, Settings, findings_together
from analysis.load import CampaignData
from analysis.quotes.bank import ProposedQuote
from analysis.quotes.redaction import Redactor
from analysis.report import findings_sections, text_sections
from analysis.report.blocks import (
    TITLES,
    audience_view,
    campaign_audiences,
    is_small,
)
from analysis.report.methodology import methodology
from analysis.report.model import (
    SECTION_KINDS,
    FindingsReport,
    Section,
    audience_label,
)
from analysis.report.priorities import (
    NO_FREE_TEXT,
    NOT_CODED,
    SEED_PRIORITIES,
    PriorityConfig,
    key_for,
    who_raised,
)
from analysis.text.records import TextAnswer
from analysis.weighting import load_population, weight_campaign

#: Measures shown as headline figures unless the spec says otherwise (those a strategy quotes).
DEFAULT_HEADLINES = (
    "feel_safe_area",
    "worry_knife_crime",
    "carried_weapon",
    "belong_local_area",
    "places_to_go",
    "trusted_adult",
    "police_confidence",
)


@dataclass
class ReportSpec:
    """What the lead chose: audiences, sections, measures, narrative and priorities (JSON-friendly)."""

    title: str = ""
    #: audience keys (children, young_people, ...); empty = every audience in the campaign
    audiences: list[str] = field(default_factory=list)
    #: word clouds are opt-in: drawing them redacts every answer, the slowest step of a build
    sections: list[str] = field(default_factory=lambda: [k for k in SECTION_KINDS if k != "word_clouds"])
    headline_measures: list[str] = field(default_factory=lambda: list(DEFAULT_HEADLINES))
    #: question keys for top reasons; empty = every "why" question asked
    reason_questions: list[str] = field(default_factory=list)
    top_reasons: int = 5
    #: section kind -> the lead's own words beside it
    narrative: dict[str, str] = field(default_factory=dict)
    priorities: list[PriorityConfig] = field(default_factory=lambda: list(SEED_PRIORITIES))
    #: priority key -> what the partnership will do
    priority_responses: dict[str, str] = field(default_factory=dict)
    quotes_per_theme: int = 1
    max_quotes: int = 8
    #: ISO date the answers were read; empty = today
    data_date: str = ""
    #: the partnership publishing the report (the documents' author); never a person's name
    organisation: str = ""
    weight: bool = False
    threshold: int = 10
    round_to: int | None = None


@dataclass
class ReportData:
    """The inputs: a loaded campaign, an optional earlier wave, and the coded free text."""

    campaign: CampaignData
    earlier: CampaignData | None = None
    #: free-text answers with their themes (see `analysis.text.records`); empty = no free-text sections
    text: list[TextAnswer] = field(default_factory=list)
    #: everyone in the campaign, for quote attribution (defaults to `text`)
    population: list[TextAnswer] | None = None
    redactor: Redactor | None = None
    theme_labels: dict[str, str] = field(default_factory=dict)
    #: quotes the lead chose from the bank; None = the bank's own first proposals
    quotes: list[ProposedQuote] | None = None
    #: benchmarks, phrases and weights; the spec's threshold and rounding replace its policy
    settings: Settings | None = None


def build_report(data: ReportData, spec: ReportSpec) -> FindingsReport:
    """The findings report for a campaign, from the analysis engine's protected findings."""
    campaign = data.campaign
    audiences = [a for a in (spec.audiences or campaign_audiences(campaign)) if a in campaign_audiences(campaign)]
    settings = dataclasses.replace(data.settings or Settings())
    settings.policy = DisclosurePolicy(threshold=spec.threshold, round_to=spec.round_to)
    settings.earlier = data.earlier
    if spec.weight and settings.weights is None:
        population = load_population()
        settings.weights = weight_campaign(campaign, population)
        if data.earlier is not None:
            settings.earlier_weights = weight_campaign(data.earlier, population)
    wanted = set(spec.sections)
    headline_findings, reason_findings = report_findings(campaign, audiences, spec, settings)
    compared = (
        findings_sections.audience_comparisons(campaign, headline_findings, spec, settings)
        if "comparisons" in wanted
        else []
    )
    # Published together, so tested together: the methodology states this adjustment.
    tests = adjust_report(
        [f for found in (*headline_findings.values(), *reason_findings.values()) for f in found],
        others=[c.test for c in compared],
    )
    for c, test in zip(compared, tests, strict=True):
        c.test = test
    sections: list[Section] = []
    notes: list[str] = []
    evidence: dict[str, list[str]] = {}
    for found in headline_findings.values():
        for f in found:
            evidence.setdefault(f.id, []).append(f.statement)
            # The first note is the suppression rule. Gathered under "Sources and notes", far from the
            # finding, a "Not compared with …" note says whose figure it is about.
            for n in f.notes[1:]:
                if n.startswith(NOT_COMPARED):
                    n = f"{f.subject[0].upper()}{f.subject[1:]}, \u201c{f.question}\u201d: n{n[1:]}"
                if n not in notes:
                    notes.append(n)
    if "headlines" in wanted:
        sections.append(findings_sections.headlines(headline_findings))
    if "comparisons" in wanted:
        sections.append(findings_sections.comparisons(headline_findings, compared))
    if "reasons" in wanted:
        sections.append(findings_sections.reasons(reason_findings, spec))
    themes_table = None
    # The themes table and the word clouds' tables count the same people: protected as one system.
    published = text_sections.publish_text(data, audiences, settings.policy, words="word_clouds" in wanted)
    if data.text and wanted & {"themes", "priorities"}:
        themes_section, themes_table = text_sections.themes(
            data, audiences, settings.policy, TITLES["themes"], published
        )
        if "themes" in wanted:
            sections.append(themes_section)
    if data.text and "quotes" in wanted:
        sections.append(text_sections.quotes(data, audiences, spec, TITLES["quotes"]))
    if data.text and "word_clouds" in wanted:
        sections.append(text_sections.clouds(published, settings.policy, TITLES["word_clouds"]))
    if "priorities" in wanted:
        theme_keys = {k: data.theme_labels.get(k, k) for k in {t for a in data.text for t in a.themes}}
        priorities = who_raised(spec.priorities, themes_table, theme_keys, evidence, spec.priority_responses)
        section = Section(
            "priorities", "priorities", TITLES["priorities"], priorities=priorities, key=key_for(priorities)
        )
        if themes_table is None:
            section.paragraphs.append(NOT_CODED if data.text else NO_FREE_TEXT)
        sections.append(section)
    if "methodology" in wanted:
        # The methodology states the adjustment once; "Sources and notes" need not repeat it.
        notes = [n for n in notes if n != methodology_note()]
        data_date = spec.data_date or dt.date.today().isoformat()
        small = [h for found in headline_findings.values() for h in found if is_small(h)]
        sections.append(methodology(campaign, audiences, settings, data_date, small, TITLES["methodology"]))
    for s in sections:
        s.narrative = spec.narrative.get(s.kind, "")
    earlier = None
    if data.earlier is not None:
        opened = data.earlier.campaign.opens_on
        earlier = f"{data.earlier.campaign.name} ({opened.year})" if opened else data.earlier.campaign.name
    return FindingsReport(
        title=spec.title or f"What our communities tell us: {campaign.campaign.name}",
        campaign_slug=campaign.campaign.slug,
        campaign_name=campaign.campaign.name,
        data_date=spec.data_date or dt.date.today().isoformat(),
        audiences=[audience_label(a) for a in audiences],
        earlier=earlier,
        sections=sections,
        suppression_note=settings.policy.note,
        notes=notes,
        organisation=spec.organisation,
    )


def report_findings(
    campaign: CampaignData, audiences: list[str], spec: ReportSpec, settings: Settings
) -> tuple[dict[str, list[Finding]], dict[str, list[Finding]]]:
    """Every finding the report shows (headlines, and why-questions if wanted) per audience, protected together.

    Each audience's findings are over its own questions (`audience_view`: its questionnaires pooled,
    as the easy-read version beside the standard one), and `findings_together` takes one view, so it
    is called once per audience with every request of that audience. That is still one publication:
    a response belongs to one audience, so findings of different audiences share no people, and the
    engine solves findings that share no answers apart anyway.
    """
    headlines: dict[str, list[Finding]] = {}
    reasons: dict[str, list[Finding]] = {}
    for audience in audiences:
        view = audience_view(campaign, [audience])
        measures = [m for m in spec.headline_measures if view.find(measure=m)]
        keys = findings_sections.reason_keys(view, spec) if "reasons" in spec.sections else []
        requests = [FindingRequest(measure=m) for m in measures] + [FindingRequest(key=k) for k in keys]
        found = findings_together(view, requests, settings) if requests else []
        # Asked but answered by nobody (a follow-up nobody reached, or a question added late): nothing to say.
        headlines[audience] = [f for f in found[: len(measures)] if f.headline is not None and f.base.value != 0]
        reasons[audience] = found[len(measures) :]
    return headlines, reasons
