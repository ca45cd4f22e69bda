"""The methodology section, generated: dates, collection points, numbers by audience, weighting,
the suppression rule, what the intervals mean, how the comparisons were adjusted for their number
(`analysis.adjustment.methodology_note`), and the caution where numbers are small.

The two tables (responses by audience and by collection point) split the same people, so they are
protected as one publication (`protect_publication`, one link), remainder included: neither, nor the
two together, reveals a small group.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.adjustment import DEFAULT_METHOD, methodology_note
from analysis.disclosure import DisclosurePolicy, LinkedTable, ProtectedCounts, protect_publication
from analysis.disclosure.publication import as_counts
from analysis.findings import Finding, Settings
from analysis.load import CampaignData
from analysis.report.layout import long_date
from analysis.report.model import Figure, Row, Section, Table, audience_label
from analysis.wording import join_words
from questionnaires.model import AUDIENCES

NO_POINT = "Online link or no collection point"


def _date(value: dt.date | None) -> str:
    return long_date(value.isoformat()) if value else "not set"


def response_tables(data: CampaignData, audiences: list[str]) -> tuple[LinkedTable, LinkedTable]:
    """Responses by audience and by collection point, as sets of the campaign's respondents (one link)."""
    audience_of = data.audience_of()
    in_report = np.isin(audience_of, [AUDIENCES.index(a) for a in audiences]) & data.took_part()
    by_audience = LinkedTable(
        [in_report],
        [audience_of == AUDIENCES.index(a) for a in audiences],
        ["all"],
        [audience_label(a) for a in audiences],
        link="respondents",
    )
    points = data.point_index
    named = [j for j, _ in enumerate(data.point_names) if (in_report & (points == j)).any()]
    by_point = LinkedTable(
        [in_report],
        [in_report & (points == j) for j in named] + [in_report & (points < 0)],
        ["all"],
        [data.point_names[j] for j in named] + [NO_POINT],
        link="respondents",
    )
    return by_audience, by_point


def _ages_meeting(data: CampaignData, audiences: list[str]) -> str:
    """Why "children aged 8 to 11" and "young people aged 11 to 18" share an age, when the report has both.

    Each survey is chosen by what the person says about themselves ("I'm at primary school (aged 8 to
    11)"), so the ranges meet where a school year holds both ages; nobody answered two surveys.
    """
    ranges: dict[str, tuple[int, int]] = {}
    chose: dict[str, str] = {}
    for q in data.questionnaires.values():
        if q.audience in audiences and q.age_range is not None and q.presentation == "standard":
            ranges[q.audience] = q.age_range
            chose[q.audience] = q.respondent_label
    ordered = sorted(ranges.items(), key=lambda item: item[1])
    meets = [(a, b) for a, b in zip(ordered, ordered[1:], strict=False) if a[1][1] == b[1][0]]
    if not meets:
        return ""
    ages = [str(a[1][1]) for a, _ in meets]
    choices = join_words([f"\u201c{chose[audience]}\u201d" for audience, _ in ordered])
    return (
        f"The surveys\u2019 age ranges meet at {join_words(ages)} because people chose the survey that described "
        f"them ({choices}), and someone of {'that age' if len(meets) == 1 else 'those ages'} could be in either "
        f"group. Each response is to one survey, so the answers of someone aged {join_words(ages, 'or')} are "
        "counted in one group only."
    )


def response_counts(
    data: CampaignData, audiences: list[str], policy: DisclosurePolicy
) -> tuple[ProtectedCounts, ProtectedCounts, int]:
    """The two response tables protected together, and how many collection points were used."""
    tables = response_tables(data, audiences)
    by_audience, by_point = (as_counts(t) for t in protect_publication(tables, policy))
    return by_audience, by_point, len(tables[1].col_labels) - 1


def methodology(
    data: CampaignData,
    audiences: list[str],
    settings: Settings,
    data_date_iso: str,
    small: list[Finding],
    title: str,
    method: str = DEFAULT_METHOD,
) -> Section:
    """The generated methodology section for a report on these audiences (`method`: the p-value adjustment used)."""
    info = data.campaign
    data_date = long_date(data_date_iso)
    section = Section("methodology", "methodology", title)
    section.paragraphs.append(
        f"The survey \u201c{info.name}\u201d was open from {_date(info.opens_on)} to {_date(info.closes_on)}. "
        f"The figures describe the answers received by {data_date}. Answers were anonymous: no names, contact "
        "details or exact times were collected."
    )
    by_audience, by_point, used = response_counts(data, audiences, settings.policy)
    section.tables.append(
        Table(
            "method-audiences",
            f"Responses to \u201c{info.name}\u201d by audience, received by {data_date}.",
            "Audience",
            ["Responses"],
            [Row(label, [Figure.count(cell)]) for label, cell in by_audience.items()]
            + [Row("Total", [Figure.count(by_audience.total)])],
            base_header="",
        )
    )
    skipped = int((np.isin(data.audience_of(), [AUDIENCES.index(a) for a in audiences]) & ~data.took_part()).sum())
    if skipped:
        if skipped < settings.policy.threshold:
            how_many = "A few responses"
        else:
            how_many = "1 response" if skipped == 1 else f"{skipped:,} responses"
        section.paragraphs.append(
            f"{how_many} skipped every question. They say nothing about what people think, so the tables "
            "of responses leave them out, and no other figure counts them."
        )
    meeting = _ages_meeting(data, audiences)
    if meeting:
        section.paragraphs.append(meeting)
    total = len(data.point_names)
    if not used:
        through = "no collection point"
    elif total == 1:
        through = "the campaign's one collection point"
    elif used == total:
        through = f"{'both' if total == 2 else f'all {total}'} of the campaign's collection points"
    else:
        through = f"{used} of the campaign's {total} collection points"
    # The general link is named only when someone used it (its row is left out of the table when none did).
    by_link = "" if by_point[NO_POINT].value == 0 else " or through the survey's general link"
    section.paragraphs.append(
        f"Responses came through {through} (a collection point is a school, group, event or poster with its "
        f"own link or code){by_link}; the table shows how many came through each."
    )
    section.tables.append(
        Table(
            "method-points",
            f"Responses by collection point (audiences in this report), received by {data_date}.",
            "Collection point",
            ["Responses"],
            [
                Row(label, [Figure.count(cell)])
                for label, cell in by_point.items()
                if label != NO_POINT or cell.value != 0
            ]
            # The same people as the audience table, whose total is published beside it.
            + [Row("Total", [Figure.count(by_point.total)])],
            base_header="",
        )
    )
    if settings.weights is not None:
        section.paragraphs.append(
            "Percentages are weighted to the population by age band and sex, separately for each questionnaire; "
            "counts are the real number of people (unweighted). "
            + " ".join(r.describe() for r in settings.weights.reports)
        )
    else:
        section.paragraphs.append(
            "The figures are not weighted: they describe the people who took part, who may differ from everyone "
            "in the area (for example if some schools or groups took part more than others)."
        )
    section.paragraphs.append(
        "Percentages are of everyone who answered the question, including \u201cDon\u2019t know\u201d and "
        "\u201cPrefer not to say\u201d. For questions where people could tick more than one answer, each answer is "
        "out of the people who ticked anything, so the percentages can add up to more than 100%."
    )
    # One paragraph for the tests: the adjustment is stated as the engine states it, not said twice.
    section.paragraphs.append(
        "Each percentage has a 95% confidence interval (a Wilson score interval): the range the figure for "
        "everyone like the people who answered would probably lie in. Differences are called higher, lower, an "
        "increase or a reduction only when a statistical test finds them significant; otherwise they are "
        f"described as similar. {methodology_note(method)} A figure is compared with an earlier survey or a "
        "published benchmark only for the same question and the same ages; audiences asked in their own words "
        "are compared on their top answers to the same measure."
    )
    section.paragraphs.append(f"Protecting privacy: {settings.policy.note}")
    if small:
        who = sorted({f"{f.subject} (\u201c{f.question}\u201d, {f.base.display} answered)" for f in small})
        section.paragraphs.append(
            "Some figures are based on fewer than 50 people, so a few answers either way would change them "
            "noticeably; treat them with caution: " + "; ".join(who) + "."
        )
    return section
