"""An analyst's export of a campaign: one row per response, every column named, labelled and coded.

`build_table()` makes the table once, whatever the format (`analysis.exports.formats` writes it as
CSV, an Excel workbook or SPSS .sav). Answers come from the analysis engine's own loader, so the
counts are the engine's; weights are its raking weights (`analysis.weighting`); themes are the
counted codes the engine's free-text sections use (`analysis.report.text_load`).

Columns:
- background: response id (random, unordered), questionnaire, audience, language, collection point,
  completion, the week it was sent (never the day or time), the raking weight;
- one per one-answer question (codes 1, 2, ... with the options as value labels), per option of a
  tick-all question (1 ticked, 0 not), per option of a ranking (its rank), per number question;
- one per free-text question, redacted unless the original is asked for, and how it was coded;
- one 0/1 indicator per theme of the codebook, missing for people who wrote no free text.

A question asked in several questionnaires gets a column per questionnaire (their options and
wording differ), named with the questionnaire's short code after the key.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import Column, Date, Engine, Integer, MetaData, String, Table, select

from analysis.dimensions import AUDIENCE_NAMES
from analysis.exports.model import ExportTable, Names, Variable, var_base
from analysis.exports.text import text_variables
from analysis.load import CampaignData, QuestionColumn, connect, load_campaign
from analysis.weighting import Population, load_population, weight_campaign
from questionnaires.model import AUDIENCES

TICKED = {0: "Not ticked", 1: "Ticked"}
# The response columns read here (the shared schema leaves out the language), mirroring survey_app/models.
_response = Table(
    "response",
    MetaData(),
    Column("id", String(32), primary_key=True),
    Column("campaign_id", Integer),
    Column("completion", String(10)),
    Column("submitted_on", Date),
    Column("language", String(10)),
)


def build_table(
    database: str | Engine, slug: str, *, original_text: bool = False, population: Population | None = None
) -> ExportTable:
    """The export table for a campaign; free text is redacted unless `original_text`."""
    data = load_campaign(database, slug, keep_ids=True)
    weights = weight_campaign(data, population or load_population())
    names = Names()
    variables = _background(database, data, names)
    variables.append(Variable("weight", _weight_label(weights.population), weights.values.astype(float)))
    for column in data.columns.values():
        variables += _question_variables(data, column, names)
    text_vars, theme_vars = text_variables(database, data, names, original_text)
    variables += text_vars + theme_vars
    return ExportTable(data.campaign.name, data.campaign.slug, variables, notes(original_text), original_text, data.n)


def notes(original_text: bool) -> list[str]:
    """What the export protects and what it does not, for the workbook's notes and the codebook."""
    text = (
        "Free text is as people typed it (the analyst asked for the original): it may name people, schools, "
        "places and contact details."
        if original_text
        else "Free text is redacted: names, phone numbers, emails, links, social media handles, postcodes, "
        "addresses, streets, schools, places and ages are replaced by tags such as [name]. Redaction is "
        "automatic and can miss things: read before quoting."
    )
    return [
        "Record-level data for the partnership's trusted analysts. Not for publication or sharing.",
        "Protected in this file: no names, contact details, IP addresses, devices or times are collected; "
        "response ids are random and unordered; the date sent is given as its week only.",
        text,
        "Answers that raised a safeguarding flag are withheld (their text and themes): they are someone's "
        "situation, handled in the safeguarding queue.",
        "Not protected in this file: small groups are not suppressed. Counts made from it are not "
        "publishable figures: apply the disclosure rules (no count under 10 shown, and nothing that lets "
        "a hidden count be worked out) before any figure leaves the analysis.",
        "Not protected: combinations of age, gender, area and collection point can single out a person "
        "in a small group. Keep the file on the partnership's systems and delete it when the analysis is done.",
        "Weights are the analysis engine's raking weights (mean 1 within each questionnaire); 1 where a "
        "questionnaire could not be weighted. Counts and bases in published findings are unweighted.",
        "In the CSV and Excel data, answers show their labels; the SPSS file holds the codes in the "
        "codebook with these labels attached. Empty cells: not asked, or not answered.",
    ]


def _weight_label(population: str) -> str:
    return f"Raking weight to {population} (age band x sex; mean 1 within each questionnaire)"


def _labelled(name: str, label: str, codes: np.ndarray, labels: list[str]) -> Variable:
    """Codes 0.. (−1 missing) as a variable with codes 1.. and value labels."""
    values = np.where(codes >= 0, codes + 1, np.nan).astype(float)
    return Variable(name, label, values, value_labels={i + 1: lb for i, lb in enumerate(labels)}, show_labels=True)


def _background(database: str | Engine, data: CampaignData, names: Names) -> list[Variable]:
    index = {rid: i for i, rid in enumerate(data.response_ids)}
    language: list[str | None] = [None] * data.n
    completion = np.full(data.n, -1, dtype=np.int16)
    week: list[str | None] = [None] * data.n
    with connect(database) as conn:
        rows = conn.execute(
            select(_response.c.id, _response.c.completion, _response.c.submitted_on, _response.c.language).where(
                _response.c.campaign_id == data.campaign.id
            )
        )
        for rid, done, sent, lang in rows:
            i = index.get(rid)
            if i is None:
                continue
            language[i] = lang
            completion[i] = 0 if done == "complete" else 1
            week[i] = _week(sent)
    titles = [f"{data.questionnaires[q].title} ({q})" for q in data.questionnaire_ids]
    audiences = [AUDIENCE_NAMES.get(a, a).capitalize() for a in AUDIENCES]
    return [
        Variable(
            names("response_id"),
            "Response id (random; links rows of exports of this campaign)",
            list(data.response_ids),
            "text",
        ),
        _labelled(names("questionnaire"), "Questionnaire answered", data.questionnaire_index.astype(np.int64), titles),
        _labelled(names("audience"), "Who the questionnaire is for", data.audience_of().astype(np.int64), audiences),
        Variable(names("language"), "Language the survey was answered in", language, "text"),
        _labelled(
            names("collection_point"),
            "Collection point it came through",
            data.point_index.astype(np.int64),
            data.point_names,
        ),
        _labelled(
            names("completion"),
            "Completion",
            completion.astype(np.int64),
            ["Complete", "Partial (left before the end)"],
        ),
        Variable(names("sent_week"), "Week it was sent (ISO year and week; never the day or time)", week, "text"),
    ]


def _week(day: dt.date | None) -> str | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _question_variables(data: CampaignData, column: QuestionColumn, names: Names) -> list[Variable]:
    asked = data.questionnaire_mask(column.questionnaire.id)
    base = var_base(data, column.questionnaire, column.key)
    text = column.question.text
    if column.kind == "single":
        return [_labelled(names(base), text, column.data.astype(np.int64), [o.label for o in column.options])]
    if column.kind == "number":
        return [
            Variable(
                names(base),
                text + (f" ({column.question.unit})" if column.question.unit else ""),
                column.data.astype(float),
            )
        ]
    out = []
    answered = column.answered()
    for j, option in enumerate(column.options):
        if column.kind == "multiple":
            values = np.where(answered & asked, ((column.data >> np.uint64(j)) & np.uint64(1)).astype(float), np.nan)
            out.append(
                Variable(names(base, option.value), f"{text}: {option.label}", values, value_labels=dict(TICKED))
            )
        else:  # ranking: the rank given (1 = first choice), empty when not ranked
            ranks = column.data[j].astype(float)
            values = np.where(ranks > 0, ranks, np.nan)
            out.append(Variable(names(base, option.value), f"{text}: {option.label} (rank, 1 = first choice)", values))
    return out
