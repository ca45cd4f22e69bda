"""How far the coding of a campaign's free text has got, and every theme's count, in words that say
what happened.

Each free-text answer is in exactly one state: coded by people (someone reviewed it), suggested by
the model and waiting for review (a theme the coder is unsure of), coded by the model at high
certainty (every theme it has was applied automatically), or no theme yet (not coded, or the coder
found nothing it could suggest). A theme counts an answer when a person gave it the theme or the
model applied it at high certainty; suggestions waiting for review are shown beside, never counted.

All the figures on a page are one publication: the states, every theme split into people and model,
the suggestions, and themes by audience count the same answers, so they are protected together
(`protect_publication`) and no hidden count can be worked out by subtracting shown ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from analysis.coding.codebook import Theme
from analysis.coding.counted import answer_themes
from analysis.disclosure import Cell, DisclosurePolicy, LinkedTable, ProtectedTable, protect_publication
from analysis.report.model import audience_label
from analysis.text.records import DEFAULT_THRESHOLD
from survey_app.extensions import db
from survey_app.models.coding import ThemeCode
from survey_app.models.responses import Answer, Response
from survey_app.staff.free_text.coding import campaign_codebook, thresholds_for

STATES = ("people", "model", "waiting", "none")


@dataclass(frozen=True)
class ThemeRow:
    """One theme of the codebook: answers coded with it by people and by the model, and suggestions."""

    key: str
    label: str
    sub_theme: bool
    total: Cell
    by_people: Cell
    by_model: Cell
    waiting: Cell


@dataclass(frozen=True)
class CodingProgress:
    """The answers in each state, every theme, and themes by audience, all protected together."""

    answers: Cell
    states: dict[str, Cell]
    themes: list[ThemeRow]
    by_audience: ProtectedTable | None
    #: whether the coder has been run on this campaign at all
    ever_coded: bool
    threshold: int

    @property
    def nothing_coded(self) -> bool:
        """No answer has a theme yet, from people or the model."""
        return self.states["people"].value == 0 and self.states["model"].value == 0


def campaign_codes(campaign_id: int) -> dict[tuple[str, str], list[ThemeCode]]:
    """Every code of the campaign's answers, under any codebook version, by (response id, question key)."""
    codes: dict[tuple[str, str], list[ThemeCode]] = defaultdict(list)
    for code in db.session.scalars(
        select(ThemeCode)
        .join(Response, ThemeCode.response_id == Response.id)
        .where(Response.campaign_id == campaign_id)
        .order_by(ThemeCode.id)
    ):
        codes[(code.response_id, code.question_key)].append(code)
    return codes


def text_answers(campaign_id: int) -> list[tuple[str, str, str]]:
    """(response id, question key, audience) of every typed free-text answer, in a fixed order."""
    return [
        (r, q, a)
        for r, q, a, text in db.session.execute(
            select(Answer.response_id, Answer.question_key, Response.audience, Answer.text)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign_id, Answer.text.is_not(None), Answer.value.is_(None))
            .order_by(Answer.response_id, Answer.question_key)
        )
        if (text or "").strip()
    ]


def progress_tables(campaign_id: int) -> tuple[list[LinkedTable], list[Theme], bool]:
    """The page's figures as tables over one list of answers (states; themes by people and by the
    model; suggestions; themes by audience), the themes in column order, and whether any answer has
    been coded."""
    book, row = campaign_codebook(campaign_id)
    # each theme under its own confidence, as the review queue reads it: "waiting" is what it asks about
    thresholds = thresholds_for(campaign_id, row.id, book)
    answers = text_answers(campaign_id)
    codes = campaign_codes(campaign_id)
    themes = book.active_themes(sub_themes=True)
    keys = [t.key for t in themes]
    n = len(answers)
    state = np.zeros(n, dtype=int)
    counted = {k: np.zeros(n, dtype=bool) for k in keys}
    suggested = {k: np.zeros(n, dtype=bool) for k in keys}
    reviewed = np.zeros(n, dtype=bool)
    for i, (response_id, question_key, _audience) in enumerate(answers):
        found = answer_themes(book, codes.get((response_id, question_key), []), thresholds)
        reviewed[i] = found.reviewed
        for key in found.counted:
            if key in counted:
                counted[key][i] = True
        for key in found.waiting:
            if key in suggested:
                suggested[key][i] = True
        if found.reviewed:
            state[i] = STATES.index("people")
        elif found.waiting:
            state[i] = STATES.index("waiting")
        elif found.counted:
            state[i] = STATES.index("model")
        else:
            state[i] = STATES.index("none")
    everyone = np.ones(n, dtype=bool)
    audiences = sorted({a for _, _, a in answers})
    of_audience = np.array([a for _, _, a in answers], dtype=object)
    link = "free-text answers"
    labels = [t.label for t in themes]
    tables = [
        LinkedTable(
            [everyone], [state == s for s in range(len(STATES))], ["All answers"], list(STATES), link=link, keep=3
        ),
        LinkedTable(
            [reviewed, ~reviewed],
            [counted[k] for k in keys],
            ["people", "model"],
            labels,
            exclusive=False,
            link=link,
            keep=2,
        ),
        LinkedTable([~reviewed], [suggested[k] for k in keys], ["waiting"], labels, exclusive=False, link=link),
        LinkedTable(
            [of_audience == a for a in audiences],
            [counted[k] for k in keys],
            # headed as on the results page ("Young people"): each column is a group of answers
            [audience_label(a) for a in audiences],
            labels,
            exclusive=False,
            link=link,
            keep=1,
        ),
    ]
    return tables, themes, bool(codes)


def coding_progress(campaign_id: int, threshold: int = DEFAULT_THRESHOLD) -> CodingProgress:
    """Where the campaign's coding stands, disclosure-controlled (see the module docstring)."""
    tables, themes, ever_coded = progress_tables(campaign_id)
    return progress_with(tables, themes, ever_coded, threshold)[0]


def progress_with(
    tables: list[LinkedTable],
    themes: list[Theme],
    ever_coded: bool,
    threshold: int = DEFAULT_THRESHOLD,
    beside: Sequence[LinkedTable] = (),
) -> tuple[CodingProgress, list[ProtectedTable]]:
    """The progress of `progress_tables`, protected as one publication with the other tables shown
    beside it on the same page over the same answers (`beside`), and every table protected in order
    (`tables` then `beside`; none of `tables` when there are no answers)."""
    policy = DisclosurePolicy(threshold=threshold)
    if not tables[0].rows[0].any():
        zero = Cell(0)
        rows = [ThemeRow(t.key, t.label, bool(t.parent), zero, zero, zero, zero) for t in themes]
        return CodingProgress(zero, dict.fromkeys(STATES, zero), rows, None, ever_coded, threshold), []
    protected = protect_publication([*tables, *beside], policy)
    status, how, waiting_table, by_audience = protected[: len(tables)]
    rows = [
        ThemeRow(
            t.key,
            t.label,
            bool(t.parent),
            how.col_totals[j],
            how.cells[0][j],
            how.cells[1][j],
            waiting_table.cells[0][j],
        )
        for j, t in enumerate(themes)
    ]
    progress = CodingProgress(
        status.row_totals[0],
        dict(zip(STATES, status.cells[0], strict=True)),
        rows,
        by_audience,
        ever_coded,
        threshold,
    )
    return progress, protected


def working_progress(campaign_id: int) -> CodingProgress:
    """The answers in each state as exact counts, for the analysts' coding page: a working page for
    people who read the answers themselves, not a publication (no theme table)."""
    tables, _themes, ever_coded = progress_tables(campaign_id)
    counts, bases = tables[0].counts()
    states = {state: Cell(n) for state, n in zip(STATES, counts[0], strict=True)}
    return CodingProgress(Cell(bases[0]), states, [], None, ever_coded, 1)
