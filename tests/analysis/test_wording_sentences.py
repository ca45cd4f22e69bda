"""Sentences say only what the published figures support: no hidden top answer, no false "too few"."""

from __future__ import annotations

import pytest

from analysis import wording
from analysis.adjustment import adjust_report
from analysis.disclosure import Cell, ProtectedCounts, ProtectedTable, protect_counts, protect_table
from analysis.finding_model import Breakdown, ComparisonLine, Finding
from analysis.stats import Comparison
from analysis.wording import breakdown_sentence, headline, to_text
from questionnaires.model import Option, Question

REASONS = ["Anti-social behaviour", "Groups hanging around", "Poor lighting", "Drugs", "Gangs"]


def _finding(table: ProtectedCounts, kind: str = "multiple", subject: str = "young people") -> Finding:
    return Finding(
        "reasons", "Why do you feel unsafe?", subject, kind, ["young_people"], table, None, None, None, [], []
    )


def test_a_shown_answer_is_not_called_top_when_a_hidden_one_could_be_larger() -> None:
    # 34 of 42 ticked anti-social behaviour: hidden, because the 8 who did not tick it are few.
    table = protect_counts(dict(zip(REASONS, [34, 32, 20, 15, 12], strict=True)), total=42, exclusive=False)
    assert table["Anti-social behaviour"].suppressed and not table["Groups hanging around"].suppressed
    sentence = headline(_finding(table))
    assert "top answer" not in sentence and "most often" in sentence
    assert "hidden to protect privacy" in sentence
    assert "\u201cGroups hanging around\u201d" in sentence


def test_a_single_choice_top_is_named_only_when_hidden_answers_cannot_reach_it() -> None:
    answers = ["Yes", "No", "Not sure"]
    safe = protect_counts(dict(zip(answers, [60, 30, 4], strict=True)), total=100, exclusive=True)
    assert headline(_finding(safe, kind="single")).startswith("The most common answer")
    # 40 shown of 100, the other 60 hidden between two answers: either could be larger.
    close = ProtectedCounts(
        tuple(answers), (Cell(None), Cell(40, 40.0, (31.0, 50.0)), Cell(None)), Cell(100, None), subtotals={}
    )
    sentence = headline(_finding(close, kind="single"))
    assert not sentence.startswith("The most common answer") and "may be as common or more common" in sentence


def test_ties_are_joint_top() -> None:
    table = protect_counts(dict(zip(REASONS, [136, 136, 90, 40, 30], strict=True)), total=300, exclusive=False)
    sentence = headline(_finding(table))
    assert "joint top answers" in sentence and "was the top answer" not in sentence
    assert "each 45%" in sentence
    answers = ["Yes", "No", "Don't know"]
    single = protect_counts(dict(zip(answers, [12, 12, 10], strict=True)), total=34, exclusive=True)
    sentence = headline(_finding(single, kind="single"))
    assert "joint most common answers" in sentence and "The most common answer" not in sentence


def test_answers_tied_at_the_top_are_named_together_even_when_a_hidden_one_could_be_larger() -> None:
    # Two shown answers with 14 each of 24, one hidden that could be as large: neither may be named alone.
    answers = ["Anti-social behaviour", "Poor street lighting", "Other"]
    cells = (Cell(14, 58.3, (38.8, 75.5)), Cell(14, 58.3, (38.8, 75.5)), Cell(None))
    table = ProtectedCounts(tuple(answers), cells, Cell(24, None), subtotals={})
    sentence = headline(_finding(table))
    assert "“Anti-social behaviour” and “Poor street lighting” were given most often" in sentence
    assert "each 58%" in sentence and "may be as common or more common" in sentence


def test_a_follower_tied_with_the_second_is_named_too() -> None:
    table = protect_counts(dict(zip(REASONS, [45, 43, 32, 32, 12], strict=True)), total=100, exclusive=False)
    sentence = headline(_finding(table))
    followers = sentence.split("followed by ", 1)[1]
    assert "“Poor lighting” (32%)" in followers and f"“{REASONS[3]}” (32%)" in followers


def test_a_runner_up_inside_the_interval_is_called_similar() -> None:
    table = protect_counts(dict(zip(REASONS, [50, 45, 20, 15, 12], strict=True)), total=100, exclusive=False)
    sentence = headline(_finding(table))
    assert "\u201cGroups hanging around\u201d (45%, not clearly below the top answer)" in sentence
    assert "\u201cPoor lighting\u201d (20%)" in sentence


def test_a_hidden_total_is_never_called_fewer_than_the_threshold() -> None:
    # 39 professionals answered; the total was hidden to protect another cell, but 37 in the top box shows.
    table = ProtectedCounts(("Agree", "Disagree"), (Cell(37), Cell(None)), Cell(None), subtotals={"Agree": Cell(37)})
    sentence = headline(_finding(table, kind="single", subject="professionals"))
    assert "Fewer than" not in sentence
    assert sentence.startswith("At least 37 professionals answered")
    nothing = ProtectedCounts(("Agree", "Disagree"), (Cell(None), Cell(None)), Cell(None))
    assert "Fewer than" not in headline(_finding(nothing, kind="single", subject="professionals"))
    none = protect_counts({"Agree": 0, "Disagree": 0}, total=0)
    assert headline(_finding(none, kind="single")).startswith("Fewer than 10 young people answered")


def _table(rows: list[str], bases: list[int | None], focus_cells: list[Cell]) -> ProtectedTable:
    return ProtectedTable(
        tuple(rows),
        ("Yes", "No"),
        tuple((Cell(None), Cell(None)) for _ in rows),
        tuple(Cell(b) for b in bases),
        (Cell(None), Cell(None)),
        Cell(sum(b or 0 for b in bases)),
        subtotals={"Yes": (tuple(focus_cells), Cell(None))},
    )


def test_large_groups_with_hidden_figures_are_not_called_too_few() -> None:
    question = Question.__new__(Question)  # the sentence does not read the question
    table = _table(["Young people", "Children"], [326, 74], [Cell(None), Cell(None)])
    sentence = breakdown_sentence(question, "audience", table, "Yes", None)
    assert "Too few" not in sentence and "hidden to protect privacy" in sentence
    one = _table(["Young people"], [326], [Cell(300, 92.0, (89.0, 95.0))])
    sentence = breakdown_sentence(question, "audience", one, "Yes", None)
    assert "Too few" not in sentence and "one group (Young people)" in sentence
    # Bases hidden to protect other tables (326 and 74 answered): still not "too few".
    hidden = _table(["Young people", "Young adults"], [None, None], [Cell(None), Cell(None)])
    sentence = breakdown_sentence(question, "audience", hidden, "Yes", None)
    assert "Too few" not in sentence and "hidden to protect privacy" in sentence
    small = _table(["Young people", "Children"], [0, 6], [Cell(None), Cell(None)])
    assert breakdown_sentence(question, "audience", small, "Yes", None).startswith("Too few")


def test_an_answer_that_holds_or_is_quoted_whole() -> None:
    answers = ["Often or always", "Some of the time", "Never"]
    table = protect_counts(
        dict(zip(answers, [20, 30, 50], strict=True)),
        total=100,
        subtotals={"Often or always or Some of the time": [0, 1]},
    )
    f = _finding(table, kind="single")
    f.headline = "Often or always or Some of the time"
    f.question = "How often do you feel pressure from friends?"
    assert headline(f).startswith(
        "50% of young people answered \u201cOften or always\u201d or \u201cSome of the time\u201d to \u201cHow often"
    )


def test_only_adjusted_results_are_called_different() -> None:
    findings = []
    for p_value in (0.03, 0.04):
        table = protect_counts({"Yes": 60, "No": 40}, total=100, subtotals={"Yes": [0]})
        f = _finding(table, kind="single")
        f.headline = "Yes"
        test = Comparison(0.6, 0.7, -2.1, p_value)
        f.comparisons = [
            ComparisonLine("benchmark", "the national figure", table.subtotals["Yes"], 70, test, "lower than")
        ]
        f.statement = headline(f)
        findings.append(f)
    assert "lower than the national figure" in findings[0].statement
    adjust_report(findings, "holm")  # 0.03 × 2 and 0.04 × 1, kept in order: 0.06 and 0.06
    for f in findings:
        assert f.comparisons[0].test.adjusted_p == pytest.approx(0.06)
        assert f.comparisons[0].words == "similar to" and "similar to the national figure" in f.statement
        assert any("Holm" in note for note in f.notes)


def test_the_top_answer_is_named_when_the_engine_knows_it_is_published() -> None:
    table = protect_counts(dict(zip(REASONS, [165, 120, 20, 15, 3], strict=True)), total=187, exclusive=False)
    f = _finding(table)
    assert "may be as common or more common" in headline(f)  # from the published cells alone, it might not be
    f.top_shown = True
    assert headline(f).startswith("\u201cAnti-social behaviour\u201d was the top answer")


def test_a_hidden_top_box_is_not_called_too_few_answers() -> None:
    answers = ["Very safe", "Fairly safe", "Fairly unsafe"]
    table = ProtectedCounts(
        tuple(answers),
        (Cell(None), Cell(None), Cell(40, 13.0)),
        Cell(313),
        subtotals={"Very safe or Fairly safe": Cell(None)},
    )
    f = _finding(table, kind="single")
    f.headline = "Very safe or Fairly safe"
    sentence = headline(f)
    assert "Too few" not in sentence
    assert sentence.startswith("Of the 313 young people who answered")
    assert "\u201cVery safe\u201d or \u201cFairly safe\u201d is hidden to protect privacy" in sentence
    # It may be small itself or hidden for another figure: the sentence gives both, so it tells neither.
    assert sentence.endswith("(it is small, or a small number could otherwise be worked out).")


def test_a_one_answer_top_box_is_one_column_in_a_breakdown() -> None:
    table = protect_table(
        [[20, 30], [25, 25]], row_labels=["Female", "Male"], col_labels=["Yes", "No"], subtotals={"Yes": [0]}
    )
    answers = protect_counts({"Yes": 45, "No": 55}, total=100, subtotals={"Yes": [0]})
    f = _finding(answers, kind="single")
    f.breakdowns = [Breakdown("gender", "gender", table, "Yes", None, "By gender ...")]
    header = next(line for line in to_text([f]).splitlines() if line.strip().startswith("Group |"))
    assert header.split(" | ") == ["    Group", "Base", "Yes", "No"]


def test_every_answer_hidden_is_not_called_too_few() -> None:
    # 29 parents: every reason hidden to protect other tables, though 22 gave one of them.
    table = ProtectedCounts(tuple(REASONS), tuple(Cell(None) for _ in REASONS), Cell(29))
    sentence = headline(_finding(table, subject="parents and carers"))
    assert "Too few" not in sentence
    assert sentence.startswith("The answers of the 29 parents and carers who answered")


def test_a_spread_across_groups_says_whose_share_it_is() -> None:
    question = Question.__new__(Question)  # the sentence does not read the question
    groups = ["Young people", "Parents and carers"]
    cells = [Cell(60, 60.0, (50.0, 69.0)), Cell(75, 75.0, (66.0, 82.0))]
    sentence = breakdown_sentence(question, "audience", _table(groups, [100, 100], cells), "Yes", None)
    assert (
        sentence
        == "By audience, the share answering \u201cYes\u201d ranged from 60% (Young people) to 75% (Parents and carers)."
    )
    # Audiences asked in their own words are compared on their top answers, not on a quoted label.
    table = _table(groups, [100, 100], cells)
    table.subtotals["Top two answers"] = table.subtotals.pop("Yes")
    sentence = breakdown_sentence(question, "audience", table, "Top two answers", None)
    assert sentence.startswith("By audience, the share giving one of the top two answers ranged from 60%")


def test_an_interval_that_rounds_onto_the_figure_compared_with_gets_a_decimal() -> None:
    """ "3% (95% CI 2–5%), lower than the national figure of 5%" read as a contradiction; 4.7 is below 5."""
    from analysis.finding_model import ComparisonLine
    from analysis.stats import Comparison

    table = ProtectedCounts(
        ("Yes", "No"), (Cell(10, 3.0, (1.9, 4.7)), Cell(320, 97.0, (95.3, 98.1))), Cell(330), subtotals={}
    )
    table.subtotals["Yes"] = table.cells[0]
    f = Finding(
        "carried",
        "Have you carried a knife?",
        "young people",
        "single",
        ["young_people"],
        table,
        None,
        "Yes",
        None,
        [],
        [],
    )
    test = Comparison(0.03, 0.05, -2.5, 0.01)
    f.comparisons = [ComparisonLine("benchmark", "the national figure", table.cells[0], 5, test, "lower than")]
    sentence = headline(f)
    assert "(95% CI 1.9–4.7%), lower than the national figure of 5%" in sentence, sentence
    # The table beside the sentence prints the interval the same way.
    from analysis.report.blocks import answers_block

    rows = {r.label: r.cells[0] for r in answers_block(f, "b", "t").table.rows}
    assert rows["Yes"].ci_display == "1.9–4.7%" and rows["No"].ci_display == "95–98%"
    f.comparisons = [ComparisonLine("benchmark", "the national figure", table.cells[0], 8, test, "lower than")]
    assert "(95% CI 2–5%)" in headline(f)


def test_one_group_shown_beside_hidden_ones_is_not_called_hidden() -> None:
    """ "The figures for “Yes” by audience are hidden" sat above a table showing young people's 18 (3%)."""
    question = Question.__new__(Question)
    table = _table(["Young people", "Young adults"], [600, 137], [Cell(18, 3.0, (1.9, 4.7)), Cell(None)])
    sentence = breakdown_sentence(question, "audience", table, "Yes", None)
    assert sentence.startswith("Only one audience group's figure for \u201cYes\u201d can be shown (Young people)")
    assert "are hidden to protect privacy" not in sentence.split(";")[0]


def test_a_phrase_takes_the_answers_people_were_given() -> None:
    question = Question(
        key="feel_safe_area",
        type="single",
        text="Safe?",
        page="p",
        scale="safety4",
        top_box=("very_safe", "fairly_safe"),
    )
    standard = [Option("very_safe", "Very safe"), Option("fairly_safe", "Fairly safe")]
    childrens = [Option("very_safe", "Very safe"), Option("fairly_safe", "Quite safe")]
    phrase = "they feel very or fairly safe in their local area"
    assert wording.in_own_words(phrase, question, standard) == phrase
    assert wording.in_own_words(phrase, question, childrens) == "they feel very or quite safe in their local area"
    # A phrase in other words is left as it was.
    assert wording.in_own_words("they feel safe", question, childrens) == "they feel safe"
    assert wording.either(["Strongly agree", "Agree"]) == "strongly agree or agree"


def test_an_interval_whose_rounded_end_is_the_figure_itself_gets_a_decimal() -> None:
    """ "15 (2%) | 2–4%" read as if 2% were the lowest the figure could be; it is 1.5–4.0%."""
    from analysis.report.model import Figure

    close = Cell(15, 2.4, (1.5, 4.0))
    assert wording.ci_decimals(close) == 1 and Figure.from_cell(close).ci_display == "1.5–4.0%"
    clear = Cell(500, 82.0, (80.1, 83.8))
    assert wording.ci_decimals(clear) == 0 and Figure.from_cell(clear).ci_display == "80–84%"
    # Beside a benchmark its rounded end would equal, as before.
    assert wording.ci_decimals(Cell(20, 3.0, (1.9, 4.7)), against=[5.0]) == 1


def test_groups_tied_at_an_end_of_a_spread_are_all_named_and_one_hidden_group_is_the_other() -> None:
    question = Question.__new__(Question)  # the sentence does not read the question
    groups = ["Children", "Young people", "Young adults"]
    cells = [Cell(78, 78.0, (69.0, 85.0)), Cell(74, 74.0, (65.0, 81.0)), Cell(78, 78.0, (69.0, 85.0))]
    sentence = breakdown_sentence(question, "audience", _table(groups, [100, 100, 100], cells), "Yes", None)
    assert sentence.endswith("ranged from 74% (Young people) to 78% (Children and Young adults).")
    two = _table(["Young people", "Children"], [326, 74], [Cell(300, 92.0, (89.0, 95.0)), Cell(None)])
    assert "(Young people); the other is hidden" in breakdown_sentence(question, "audience", two, "Yes", None)
