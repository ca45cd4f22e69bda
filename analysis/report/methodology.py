"""The methodology section, generated: dates, collection points, numbers by audience, weighting,
the suppression rule, what the intervals mean, and the caution where numbers are small.

The two tables (responses by audience and by collection point) split the same total, and each is
protected with `protect_counts` including the remainder, so neither reveals a small group.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.disclosure import protect_counts
from analysis.findings import Finding, Settings
from analysis.load import CampaignData
from analysis.report.layout import long_date
from analysis.report.model import Figure, Row, Section, Table, audience_label
from questionnaires.model import AUDIENCES

NO_POINT = "Online link or no collection point"


def _date(value: dt.date | None) -> str:
    return long_date(value.isoformat()) if value else "not set"


def methodology(
    data: CampaignData,
    audiences: list[str],
    settings: Settings,
    data_date_iso: str,
    small: list[Finding],
    title: str,
) -> Section:
    """The generated methodology section for a report on these audiences."""
    info = data.campaign
    data_date = long_date(data_date_iso)
    section = Section("methodology", "methodology", title)
    section.paragraphs.append(
        f"The survey \u201c{info.name}\u201d was open from {_date(info.opens_on)} to {_date(info.closes_on)}. "
        f"The figures describe the answers received by {data_date}. Answers were anonymous: no names, contact "
        "details or exact times were collected."
    )
    audience_of = data.audience_of()
    counts = np.bincount(audience_of, minlength=len(AUDIENCES))
    wanted = [AUDIENCES.index(a) for a in audiences]
    by_audience = protect_counts(
        {audience_label(AUDIENCES[i]): int(counts[i]) for i in wanted},
        total=int(counts[wanted].sum()),
        policy=settings.policy,
    )
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
    in_report = np.isin(audience_of, wanted)
    points = data.point_index[in_report]
    per_point = np.bincount(points[points >= 0], minlength=len(data.point_names))
    named = {name: int(n) for name, n in zip(data.point_names, per_point.tolist(), strict=True) if n}
    named[NO_POINT] = int((points < 0).sum())
    by_point = protect_counts(named, total=int(in_report.sum()), policy=settings.policy)
    used = sum(1 for name in named if name != NO_POINT)
    section.paragraphs.append(
        f"Responses came through {used} of the campaign's {len(data.point_names)} collection points (each a "
        "school, group, event or poster with its own link or code) or through the survey's general link; the "
        "table shows how many came through each."
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
            ],
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
        "out of the people who ticked anything, so the percentages add up to more than 100%."
    )
    section.paragraphs.append(
        "Each percentage has a 95% confidence interval (a Wilson score interval): the range the figure for "
        "everyone like the people who answered would probably lie in. Differences are called higher, lower, an "
        "increase or a reduction only when a statistical test finds them significant at the 5% level; "
        "otherwise they are described as similar. Comparisons are made only on the same question for the same "
        "audiences."
    )
    section.paragraphs.append(f"Protecting privacy: {settings.policy.note}")
    if small:
        who = sorted({f"{f.subject} (\u201c{f.question}\u201d, {f.base.display} answered)" for f in small})
        section.paragraphs.append(
            "Some figures are based on fewer than 50 people, so a few answers either way would change them "
            "noticeably; treat them with caution: " + "; ".join(who) + "."
        )
    return section
