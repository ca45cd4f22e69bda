"""Disclosure across tables published together: an LP attacker over a whole output recovers no hidden figure.

The attacker sees every published figure of every table in a publication, knows how they add up
(as sets of people: a pooled row is the sum of each questionnaire's rows) and that counts are not
negative, and for each hidden figure minimises and maximises its value with an LP. A figure whose
minimum equals its maximum is recovered.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from analysis.disclosure import DEFAULT_POLICY, DisclosurePolicy, ProtectedCounts, ProtectedTable
from analysis.disclosure.publication import LinkedTable, hidden_positions, protect_publication
from analysis.findings import Settings, full_report, linked_tables, links_of, report_requests
from analysis.load import CampaignData, load_campaign

THRESHOLD = 10
Published = ProtectedTable | ProtectedCounts


def recovered(
    tables: Sequence[tuple[LinkedTable, Published]], threshold: int = THRESHOLD
) -> list[tuple[int, float, float]]:
    """(true value, min, max) of every hidden figure an LP attacker pins to one value.

    Hidden figures that are zero are left out (zeros are published anyway), and so are implied
    figures (people in no column, people who did not tick) of 0 or at least the threshold.
    """
    out: list[tuple[int, float, float]] = []
    links: dict[object, list[tuple[LinkedTable, Published]]] = {}
    for table, published in tables:
        links.setdefault(table.link, []).append((table, published))
    for group in links.values():
        grids = [t.grid() for t, _ in group]
        members = np.concatenate([t.members(g) for (t, _), g in zip(group, grids, strict=True)])
        someone = members.any(axis=0)
        _, first, sizes = np.unique(
            np.packbits(members[:, someone].T, axis=1), axis=0, return_index=True, return_counts=True
        )
        atoms = members[:, someone][:, first].astype(float)
        assert np.array_equal(atoms @ sizes, [v for g in grids for v in g.values])
        seen, hidden, n = [], [], 0
        for (_, published), grid in zip(group, grids, strict=True):
            hides = hidden_positions(grid, published)
            for i, value in enumerate(grid.values):
                if grid.shown[i] and i not in hides:
                    seen.append((n + i, value))
                elif (grid.shown[i] and value > 0) or 0 < value < threshold:
                    hidden.append((n + i, value))
            n += len(grid.values)
        a_eq = np.array([atoms[i] for i, _ in seen]).reshape(len(seen), atoms.shape[1])
        b_eq = np.array([v for _, v in seen], dtype=float)
        done: set[bytes] = set()
        for i, value in hidden:
            key = atoms[i].tobytes()
            if key in done:
                continue
            done.add(key)
            low = linprog(atoms[i], A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            high = linprog(-atoms[i], A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            assert low.status == 0 and high.status in (0, 3)
            top = -high.fun if high.status == 0 else np.inf
            if top - low.fun < 0.5:
                out.append((value, low.fun, top))
    return out


def report_tables(data: CampaignData, report: list, settings: Settings) -> list[tuple[LinkedTable, Published]]:
    """Every table of a full findings output, as sets of people, with what it publishes."""
    requests = report_requests(data)
    links = links_of(data, requests)
    return [
        (table, published)
        for request, result, link in zip(requests, report, links, strict=True)
        for _, table, published in linked_tables(data, request, result, link, settings)
    ]


# --- the leaks found in the findings and on the dashboard ------------------------------------------


def _people(groups: dict[str, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Who is in which group and gave which answer, from counts per group and answer."""
    group, answer = [], []
    for name, counts in groups.items():
        for a, count in enumerate(counts):
            group += [name] * count
            answer += [a] * count
    return np.array(group), np.array(answer)


def test_a_pooled_row_minus_one_questionnaire_does_not_give_away_the_other() -> None:
    # Feel safe in the area: the pooled "young people" row 109/164/33/21/12 is the young people's
    # questionnaire 101/155/28/19/10 plus the easy-read version's 8/9/5/2/2, which it hides.
    group, answer = _people({"main": [101, 155, 28, 19, 10], "easy read": [8, 9, 5, 2, 2]})
    answers = [answer == a for a in range(5)]
    labels = ["very safe", "fairly safe", "neither", "fairly unsafe", "very unsafe"]
    everyone = np.ones(group.size, dtype=bool)
    tables = [
        LinkedTable([group == "main"], answers, ["main"], labels),
        LinkedTable([group == "easy read"], answers, ["easy read"], labels),
        LinkedTable([everyone], answers, ["young people"], labels),
    ]
    published = protect_publication(tables)
    easy, main, pooled = published[1].cells[0], published[0].cells[0], published[2].cells[0]
    assert all(cell.suppressed for cell in easy)
    for a in range(5):  # pooled − main would give the easy-read count
        assert pooled[a].suppressed or main[a].suppressed
    assert not recovered(list(zip(tables, published, strict=True)))


def test_a_table_whose_total_is_shown_elsewhere_gives_nothing_away() -> None:
    # Young adults' ages: 140, 36, 98 and 7 who preferred not to say, while the audience table shows 281.
    group, answer = _people({"young adults": [140, 36, 98, 7], "young people": [200, 150, 0, 12]})
    audiences = [group == "young adults", group == "young people"]
    ages = [answer == a for a in range(4)]
    everyone = np.ones(group.size, dtype=bool)
    tables = [
        LinkedTable([everyone], audiences, ["all"], ["young adults", "young people"]),
        LinkedTable([audiences[0]], ages, ["young adults"], ["18-20", "21-22", "23-25", "prefer not to say"]),
    ]
    # The age table as the dashboard showed it: its own total hidden, the rest but the 7 shown.
    grid = tables[1].grid()
    leaky = tables[1].protect(DEFAULT_POLICY, {grid.row_total_index[0], grid.grand_index})
    assert [c.display for c in leaky.cells[0]] == ["140", "36", "98", "[c]"]
    alone = tables[0].protect(DEFAULT_POLICY, set())
    assert 7 in [value for value, _, _ in recovered([(tables[0], alone), (tables[1], leaky)])]

    by_audience, age = protect_publication(tables)
    assert by_audience.cells[0][0].value == 281 and age.cells[0][3].suppressed
    assert not recovered([(tables[0], by_audience), (tables[1], age)])


def test_a_zero_hidden_for_a_small_group_is_hidden_wherever_it_is_shown_and_no_other_zero_is() -> None:
    # Three people in a small group all answered "y"; nobody answered "z" and nobody "q" to another
    # question. The breakdown hides the small group's row, zeros and all, and so the "z" total that
    # would show its zero; the headline table shows that same "z" total, so it must hide it too.
    # The other question's "q: 0" counts other things and stays shown.
    group, answer = _people({"small": [0, 3, 0], "big": [15, 15, 0]})
    answers = [answer == a for a in range(3)]
    other = [np.ones(group.size, dtype=bool), np.zeros(group.size, dtype=bool)]
    everyone = np.ones(group.size, dtype=bool)
    tables = [
        LinkedTable([group == "small", group == "big"], answers, ["small", "big"], ["x", "y", "z"]),
        LinkedTable([everyone], answers, ["everyone"], ["x", "y", "z"]),
        LinkedTable([everyone], other, ["everyone"], ["p", "q"]),
    ]
    breakdown, headline, other_question = protect_publication(tables)
    assert all(cell.suppressed for cell in breakdown.cells[0])
    assert breakdown.col_totals[2].suppressed
    assert headline.cells[0][2].suppressed
    assert other_question.cells[0][1].display == "0" and other_question.cells[0][0].display == "33"
    assert not recovered(list(zip(tables, (breakdown, headline, other_question), strict=True)))


# --- property: random linked systems (pooled + parts + margins) ----------------------------------

systems = st.integers(2, 3).flatmap(
    lambda parts: st.integers(2, 4).flatmap(
        lambda answers: st.tuples(
            st.lists(
                st.lists(st.one_of(st.integers(0, 12), st.integers(0, 60)), min_size=answers, max_size=answers),
                min_size=parts,
                max_size=parts,
            ),
            st.lists(st.integers(0, 2), min_size=parts, max_size=parts),
            st.booleans(),
        )
    )
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system=systems, top_box=st.booleans())
def test_no_hidden_figure_can_be_worked_out_from_a_whole_linked_publication(
    system: tuple[list[list[int]], list[int], bool], top_box: bool
) -> None:
    counts, audience_of, with_breakdown = system
    part, answer = [], []
    for p, row in enumerate(counts):
        for a, count in enumerate(row):
            part += [p] * count
            answer += [a] * count
    parts, answers_of = np.array(part, dtype=int), np.array(answer, dtype=int)
    audience = np.array(audience_of)[parts] if parts.size else parts
    n_answers = len(counts[0])
    answers = [answers_of == a for a in range(n_answers)]
    labels = [f"a{a}" for a in range(n_answers)]
    subtotals = {"top": [0, 1]} if top_box else {}
    everyone = np.ones(parts.size, dtype=bool)
    # each questionnaire's own table, a pooled table, and the pooled table by audience
    tables = [LinkedTable([parts == p], answers, [f"q{p}"], labels, subtotals=subtotals) for p in range(len(counts))]
    tables.append(LinkedTable([everyone], answers, ["all"], labels, subtotals=subtotals))
    if with_breakdown:
        present = sorted(set(audience_of))
        tables.append(LinkedTable([audience == g for g in present], answers, [f"g{g}" for g in present], labels))
    published = protect_publication(tables, DisclosurePolicy(threshold=THRESHOLD))
    for table in published:  # nothing published is small
        for row in (*table.cells, table.row_totals, table.col_totals, (table.total,)):
            assert not [c.value for c in row if c.value is not None and 0 < c.value < THRESHOLD]
    assert recovered(list(zip(tables, published, strict=True))) == []


# --- the whole findings output of a demo campaign ---------------------------------------------------


def test_the_attacker_recovers_nothing_from_the_full_findings_of_a_demo_campaign(shipped_app: Flask) -> None:
    from survey_app.demo import CAMPAIGN_SLUG, build_demo

    build_demo(responses=400)
    data = load_campaign(str(shipped_app.config["SQLALCHEMY_DATABASE_URI"]), CAMPAIGN_SLUG)
    settings_ = Settings()
    report = full_report(data, settings=settings_)
    tables = report_tables(data, report, settings_)
    assert len(tables) > 100
    # pooled measures sit in the same linked system as each questionnaire's own table
    assert len({t.link for t, _ in tables}) < len(tables)
    assert recovered(tables) == []
