"""Turn a campaign's findings into a `FindingsReport`: headline figures, comparisons and top reasons.

Every figure comes from `analysis.findings.finding` and is copied cell by cell (`Figure.from_cell`),
so the report prints what the engine published and nothing else. Headline figures and the comparison
between audiences come from the *same* findings (one per audience and measure): audiences are
different people, so no total links the tables, and a cell hidden in one cannot be worked out from
another. The free-text sections and the methodology are in `report.text_sections` and
`report.methodology`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis import wording
from analysis.disclosure import Cell, DisclosurePolicy, ProtectedTable
from analysis.findings import ComparisonLine, Finding, Settings, finding
from analysis.load import CampaignData
from analysis.quotes.bank import ProposedQuote
from analysis.quotes.redaction import Redactor
from analysis.report import text_sections
from analysis.report.methodology import methodology
from analysis.report.model import (
    SECTION_KINDS,
    Bar,
    Block,
    Chart,
    Comparison,
    Figure,
    FindingsReport,
    HeadlineFigure,
    Row,
    Section,
    Table,
    audience_label,
)
from analysis.report.priorities import GROUPS, KEY, SEED_PRIORITIES, PriorityConfig, who_raised
from analysis.stats import chi_square_test
from analysis.text.records import TextAnswer
from analysis.weighting import load_population, weight_campaign
from questionnaires.model import AUDIENCES, Question

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
#: Question keys that ask "why": tick-all or ranking questions whose key says so.
REASON_WORDS = ("reason", "why", "what_would_help")
#: Under this base a percentage carries a caution.
SMALL_BASE = 50
TITLES = {
    "headlines": "Headline figures",
    "comparisons": "How audiences compare",
    "reasons": "Top reasons",
    "themes": "What people raised, by audience",
    "quotes": "In their own words",
    "word_clouds": "Word clouds",
    "priorities": "Our priorities and who raised them",
    "methodology": "How the survey was done",
}


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


def audience_view(data: CampaignData, audiences: Sequence[str]) -> CampaignData:
    """The campaign with only these audiences' questions (the same responses; others simply didn't answer)."""
    wanted = set(audiences)
    columns = {k: c for k, c in data.columns.items() if c.audience in wanted}
    return dataclasses.replace(data, columns=columns, dimensions={})


def campaign_audiences(data: CampaignData) -> list[str]:
    """The audiences that answered, in the standard order."""
    present = {data.questionnaires[q].audience for q in data.questionnaire_ids}
    return [a for a in AUDIENCES if a in present]


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
    headline_findings = {
        a: [f for m in spec.headline_measures if (f := _maybe(audience_view(campaign, [a]), m, settings))]
        for a in audiences
    }
    wanted = set(spec.sections)
    sections: list[Section] = []
    notes: list[str] = []
    evidence: dict[str, list[str]] = {}
    for found in headline_findings.values():
        for f in found:
            evidence.setdefault(f.id, []).append(f.statement)
            notes += [n for n in f.notes[1:] if n not in notes]  # the first note is the suppression rule
    if "headlines" in wanted:
        sections.append(_headlines(headline_findings))
    if "comparisons" in wanted:
        sections.append(_comparisons(campaign, headline_findings, spec, settings))
    if "reasons" in wanted:
        sections.append(_reasons(campaign, audiences, spec, settings))
    themes_table = None
    if data.text and wanted & {"themes", "priorities"}:
        themes_section, themes_table = text_sections.themes(data, audiences, settings.policy, TITLES["themes"])
        if "themes" in wanted:
            sections.append(themes_section)
    if data.text and "quotes" in wanted:
        sections.append(text_sections.quotes(data, audiences, spec, TITLES["quotes"]))
    if data.text and "word_clouds" in wanted:
        sections.append(text_sections.clouds(data, audiences, settings.policy, TITLES["word_clouds"]))
    if "priorities" in wanted:
        theme_keys = {k: data.theme_labels.get(k, k) for k in {t for a in data.text for t in a.themes}}
        priorities = who_raised(spec.priorities, themes_table, theme_keys, evidence, spec.priority_responses)
        sections.append(Section("priorities", "priorities", TITLES["priorities"], priorities=priorities, key=dict(KEY)))
    if "methodology" in wanted:
        data_date = spec.data_date or dt.date.today().isoformat()
        small = [h for found in headline_findings.values() for h in found if _small(h)]
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
    )


def _maybe(view: CampaignData, measure: str, settings: Settings) -> Finding | None:
    """The audience's finding for a measure, when the audience was asked it and it has a headline."""
    if not view.find(measure=measure):
        return None
    f = finding(view, measure=measure, settings=settings)
    # Asked but answered by nobody (a follow-up nobody reached, or a question added late): nothing to say.
    return f if f.headline is not None and f.base.value != 0 else None


def _weighted(f: Finding) -> bool:
    """Whether the engine weighted this finding's percentages (its weighting lines say so per questionnaire)."""
    return any(": weighted to " in line for line in f.weighting)


def _small(f: Finding) -> bool:
    return f.base.value is not None and f.base.value < SMALL_BASE


def comparison_sentence(line: ComparisonLine) -> str:
    """How the engine's headline sentence words one comparison."""
    if line.kind == "benchmark":
        return f"{line.words} {line.label} of {line.theirs:g}%"
    if line.words == "similar to":
        return f"similar to {line.label} ({wording.pct(line.theirs)})"
    return f"{line.words} {line.label} (from {wording.pct(line.theirs)})"


def headline_figure(f: Finding) -> HeadlineFigure:
    """One finding's headline (its top box) with the base, interval and comparisons."""
    assert f.headline is not None
    comparisons = [
        Comparison(
            c.kind,
            c.label,
            c.theirs,
            c.words,
            comparison_sentence(c),
            c.test.p_value,
            c.test.significant,
            c.citation,
        )
        for c in f.comparisons
    ]
    return HeadlineFigure(
        f.id,
        f.question,
        f.subject,
        f.headline,
        Figure.from_cell(f.table.subtotals[f.headline]),
        Figure.from_cell(f.base),
        f.statement,
        comparisons,
        _small(f),
        _weighted(f),
    )


def answers_block(f: Finding, block_id: str, title: str) -> Block:
    """A finding's answers as a table and a bar chart (the sentence is the engine's)."""
    rows = [Row(label, [Figure.from_cell(cell)]) for label, cell in f.table.items()]
    rows += [
        Row(f"{label} (together)", [Figure.from_cell(cell)])
        for label, cell in f.table.subtotals.items()
        if label not in f.table.labels
    ]
    rows.append(Row("Total who answered", [Figure.count(f.base)]))
    table = Table(
        f"{block_id}-table",
        f"{f.question} Answers from {f.subject}; base: everyone who answered ({f.base.display}).",
        "Answer",
        ["Number (%)"],
        rows,
        _footnotes(f),
        base_header="",
    )
    bars = [Bar(label, Figure.from_cell(cell)) for label, cell in f.table.items()]
    return Block(block_id, title, f.statement, table, _chart(block_id, title, f.statement, bars, table.id))


def _chart(block_id: str, title: str, finding_text: str, bars: list[Bar], table_id: str) -> Chart:
    hidden = sum(1 for b in bars if b.figure.suppressed or b.figure.percent is None)
    alt = f"Bar chart: {title.rstrip('.?!:')}. {finding_text}"
    if hidden:
        alt += f" {hidden} {'value is' if hidden == 1 else 'values are'} not drawn, to protect privacy."
    return Chart(f"{block_id}-chart", title, alt, bars, table_id)


def _footnotes(f: Finding) -> list[str]:
    notes = list(f.weighting)
    if _small(f):
        notes.append(f"Fewer than {SMALL_BASE} people answered: treat these percentages with caution.")
    return notes


def _headlines(found: dict[str, list[Finding]]) -> Section:
    section = Section("headlines", "headlines", TITLES["headlines"])
    for audience, findings in found.items():
        for f in findings:
            section.headlines.append(headline_figure(f))
            block = answers_block(f, f"headline-{audience}-{f.id}", f"{f.question} ({f.subject})")
            # The big number and its table carry a headline; the charts are in the comparisons, so a
            # report has a chart per idea rather than one per audience and question.
            block.chart = None
            section.blocks.append(block)
    if not section.headlines:
        section.paragraphs.append("None of the headline questions was asked of the audiences in this report.")
    return section


def _comparisons(
    campaign: CampaignData, found: dict[str, list[Finding]], spec: ReportSpec, settings: Settings
) -> Section:
    """Each headline measure across the audiences asked it, from the same findings as the headlines."""
    section = Section("comparisons", "comparisons", TITLES["comparisons"])
    for measure in spec.headline_measures:
        per = [(a, f) for a, fs in found.items() for f in fs if f.id == measure]
        if len(per) < 2:
            continue
        first = per[0][1]
        assert first.headline is not None
        labels = tuple(audience_label(a) for a, _ in per)
        cells = tuple(f.table.subtotals[f.headline or ""] for _, f in per)
        bases = tuple(f.base for _, f in per)
        question = campaign.find(measure=measure)[0].question
        sentence = _across_audiences(question, first, labels, cells, bases, settings.policy.threshold)
        rows = [
            Row(label, [Figure.from_cell(c)], Figure.from_cell(b))
            for label, c, b in zip(labels, cells, bases, strict=True)
        ]
        block_id = f"compare-{measure}"
        title = f"{first.headline}: {first.question}"
        table = Table(
            f"{block_id}-table",
            f"{first.question} Share answering {first.headline.lower()}, by audience; base: everyone in "
            "the audience who answered.",
            "Audience",
            [first.headline],
            rows,
        )
        bars = [Bar(label, Figure.from_cell(c)) for label, c in zip(labels, cells, strict=True)]
        section.blocks.append(
            Block(block_id, title, sentence, table, _chart(block_id, title, sentence, bars, table.id))
        )
    if not section.blocks:
        section.paragraphs.append("No headline question was asked of more than one audience in this report.")
    rows = [
        Row(
            f"{f.headline}: {f.subject}",
            [],
            texts=[
                f.table.subtotals[f.headline or ""].percent_display(),
                c.label,
                f"{c.theirs:g}%",
                c.words,
                c.citation,
            ],
        )
        for findings in found.values()
        for f in findings
        for c in f.comparisons
    ]
    if rows:
        section.tables.append(
            Table(
                "compare-benchmarks",
                "Headline figures compared with published benchmarks and the earlier survey: ours, theirs, and "
                "what a significance test allows us to say (5% level).",
                "Figure",
                ["Ours", "Compared with", "Theirs", "Difference", "Source"],
                rows,
                base_header="",
            )
        )
    return section


def _across_audiences(
    question: Question,
    f: Finding,
    labels: tuple[str, ...],
    cells: tuple[Cell, ...],
    bases: tuple[Cell, ...],
    threshold: int,
) -> str:
    """The engine's breakdown sentence, with a chi-square test on the published counts."""
    shown = [
        r
        for r, (c, b) in enumerate(zip(cells, bases, strict=True))
        if c.value is not None and b.value is not None and b.value >= threshold
    ]
    test = None
    if len(shown) > 1:
        test = chi_square_test([[cells[r].value or 0, (bases[r].value or 0) - (cells[r].value or 0)] for r in shown])
    hidden = Cell(None)
    table = ProtectedTable(
        labels,
        (f.headline or "",),
        tuple((c,) for c in cells),
        bases,
        (hidden,),
        hidden,
        subtotals={f.headline or "": (cells, hidden)},
    )
    return wording.breakdown_sentence(question, "audience", table, f.headline, test)


def _reasons(campaign: CampaignData, audiences: list[str], spec: ReportSpec, settings: Settings) -> Section:
    section = Section("reasons", "reasons", TITLES["reasons"])
    for audience in audiences:
        view = audience_view(campaign, [audience])
        keys = spec.reason_questions or sorted(
            {
                c.key
                for c in view.columns.values()
                if c.kind in ("multiple", "ranking") and any(w in c.key for w in REASON_WORDS)
            }
        )
        for key in keys:
            if not view.find(key):
                continue
            f = finding(view, key=key, settings=settings)
            ranked = sorted(
                ((label, cell) for label, cell in f.table.items() if cell.percent is not None and cell.value),
                key=lambda item: -(item[1].percent or 0),
            )[: spec.top_reasons]
            block_id = f"reasons-{audience}-{key}"
            title = f"{f.question} ({f.subject})"
            rows = [Row(label, [Figure.from_cell(cell)]) for label, cell in ranked]
            rows.append(Row("Total who answered", [Figure.count(f.base)]))
            table = Table(
                f"{block_id}-table",
                f"{f.question} The {len(ranked)} most common answers from {f.subject}; each is out of everyone "
                f"who answered ({f.base.display}), and people could give more than one.",
                "Answer",
                ["Number (%)"],
                rows,
                _footnotes(f) + _overlap(ranked),
                base_header="",
            )
            bars = [Bar(label, Figure.from_cell(cell)) for label, cell in ranked]
            section.blocks.append(
                Block(block_id, title, f.statement, table, _chart(block_id, title, f.statement, bars, table.id))
            )
    if not section.blocks:
        section.paragraphs.append("No question asking why was answered by enough people to report.")
    return section


def _overlap(ranked: list[tuple[str, Cell]]) -> list[str]:
    """Say when neighbouring answers' intervals overlap (similar), or their shares are equal (joint)."""
    notes = []
    for (a, x), (b, y) in zip(ranked, ranked[1:], strict=False):
        if x.percent is not None and x.percent == y.percent:
            notes.append(f"\u201c{a}\u201d and \u201c{b}\u201d are joint: the same share gave each.")
        elif x.ci and y.ci and x.ci[0] <= y.ci[1]:
            notes.append(f"\u201c{a}\u201d and \u201c{b}\u201d are similar: their 95% intervals overlap.")
    return notes


__all__ = ["GROUPS", "ReportData", "ReportSpec", "audience_view", "build_report"]
