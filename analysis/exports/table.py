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
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Column, Date, Engine, Integer, MetaData, String, Table, select

from analysis import schema as t
from analysis.coding.codebook import CodebookError, codebook_from_dict, load_codebook
from analysis.dimensions import AUDIENCE_NAMES
from analysis.load import CampaignData, QuestionColumn, connect, load_campaign
from analysis.report.text_load import COUNTED_STATUSES, codebook_version, safeguarding_flag, theme_code
from analysis.text.redaction import Redactor
from analysis.weighting import Population, load_population, weight_campaign
from questionnaires.model import AUDIENCES, Question, Questionnaire

#: How each free-text answer was coded (a person's decision wins over the machine's).
CODED = {1: "Reviewed by a person", 2: "Coded automatically (confident)", 3: "Waiting for review", 4: "No theme found"}
WITHHELD = "[withheld: raised a safeguarding flag]"
TICKED = {0: "Not ticked", 1: "Ticked"}
THEME = {0: "Theme not mentioned", 1: "Theme mentioned"}
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
_SPSS_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}


@dataclass
class Variable:
    """One column: a short stable name, the question as its label, and its values."""

    name: str
    label: str
    #: floats (NaN = missing) for "numeric"; str or None for "text"
    values: np.ndarray | list[str | None]
    kind: str = "numeric"
    #: code -> label (numeric variables with labelled codes)
    value_labels: dict[int, str] = field(default_factory=dict)
    #: whether CSV and Excel show the label rather than the code (categories, not 0/1 flags or ranks)
    show_labels: bool = False


@dataclass
class ExportTable:
    """The whole export: variables in column order, and the notes that say what is protected."""

    campaign: str
    slug: str
    variables: list[Variable]
    notes: list[str]
    original_text: bool
    rows: int

    def __getitem__(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)


def build_table(
    database: str | Engine, slug: str, *, original_text: bool = False, population: Population | None = None
) -> ExportTable:
    """The export table for a campaign; free text is redacted unless `original_text`."""
    data = load_campaign(database, slug, keep_ids=True)
    weights = weight_campaign(data, population or load_population())
    names = _Names()
    variables = _background(database, data, names)
    variables.append(Variable("weight", _weight_label(weights.population), weights.values.astype(float)))
    for column in data.columns.values():
        variables += _question_variables(data, column, names)
    text_vars, theme_vars = _text_variables(database, data, names, original_text)
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


class _Names:
    """Short, unique names a statistics package accepts: letters, digits and _, at most 64 characters."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, *parts: str) -> str:
        raw = "_".join(p for p in parts if p)
        name = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_")[:60] or "v"
        if not name[0].isalpha() or name in _SPSS_RESERVED:
            name = f"v_{name}"[:60]
        candidate, n = name, 2
        while candidate in self.used:
            candidate, n = f"{name}_{n}", n + 1
        self.used.add(candidate)
        return candidate


def short_code(questionnaire_id: str) -> str:
    """A stable short code for a questionnaire: "young-people-easy-read" -> "yper", "children" -> "chi"."""
    parts = [p for p in re.split(r"[^a-z0-9]+", questionnaire_id.lower()) if p]
    return "".join(p[0] for p in parts) if len(parts) > 1 else (parts[0][:3] if parts else "q")


def _weight_label(population: str) -> str:
    return f"Raking weight to {population} (age band x sex; mean 1 within each questionnaire)"


def _labelled(name: str, label: str, codes: np.ndarray, labels: list[str]) -> Variable:
    """Codes 0.. (−1 missing) as a variable with codes 1.. and value labels."""
    values = np.where(codes >= 0, codes + 1, np.nan).astype(float)
    return Variable(name, label, values, value_labels={i + 1: lb for i, lb in enumerate(labels)}, show_labels=True)


def _background(database: str | Engine, data: CampaignData, names: _Names) -> list[Variable]:
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


def _var_base(data: CampaignData, questionnaire: Questionnaire, key: str) -> str:
    """The key, with the questionnaire's short code when another questionnaire asks the same key."""
    shared = sum(1 for q in data.questionnaires.values() if any(x.key == key for x in q.questions())) > 1
    return f"{key}_{short_code(questionnaire.id)}" if shared else key


def _question_variables(data: CampaignData, column: QuestionColumn, names: _Names) -> list[Variable]:
    asked = data.questionnaire_mask(column.questionnaire.id)
    base = _var_base(data, column.questionnaire, column.key)
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


def _text_variables(
    database: str | Engine, data: CampaignData, names: _Names, original: bool
) -> tuple[list[Variable], list[Variable]]:
    """The free-text columns (with how each was coded) and one indicator per theme."""
    index = {rid: i for i, rid in enumerate(data.response_ids)}
    questions: list[tuple[Questionnaire, Question]] = [
        (qn, q) for qn in data.questionnaires.values() for q in qn.questions() if q.is_text
    ]
    in_campaign = select(t.response.c.id).where(t.response.c.campaign_id == data.campaign.id)
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    others: dict[tuple[str, str], list[str]] = defaultdict(list)
    statuses: dict[tuple[str, str], set[str]] = defaultdict(set)
    themes: dict[str, set[str]] = defaultdict(set)
    with connect(database) as conn:
        for rid, key, value, text in conn.execute(
            select(t.answer.c.response_id, t.answer.c.question_key, t.answer.c.value, t.answer.c.text)
            .where(t.answer.c.response_id.in_(in_campaign), t.answer.c.text.is_not(None))
            .order_by(t.answer.c.response_id, t.answer.c.question_key, t.answer.c.position)
        ):
            (others if value is not None else texts)[(rid, key)].append(text)
        flagged: set[tuple[str, str | None]] = {
            (rid, key)
            for rid, key in conn.execute(
                select(safeguarding_flag.c.response_id, safeguarding_flag.c.question_key).where(
                    safeguarding_flag.c.response_id.in_(in_campaign)
                )
            )
        }
        version = conn.scalar(
            select(theme_code.c.codebook_version_id)
            .where(theme_code.c.response_id.in_(in_campaign))
            .order_by(theme_code.c.codebook_version_id.desc())
            .limit(1)
        )
        content = None
        if version is not None:
            for rid, key, theme, status in conn.execute(
                select(
                    theme_code.c.response_id, theme_code.c.question_key, theme_code.c.theme_key, theme_code.c.status
                ).where(theme_code.c.response_id.in_(in_campaign), theme_code.c.codebook_version_id == version)
            ):
                if (rid, key) in flagged or (rid, None) in flagged:
                    continue
                statuses[(rid, key)].add(status)
                if status in COUNTED_STATUSES:
                    themes[rid].add(theme)
            content = conn.scalar(select(codebook_version.c.content).where(codebook_version.c.id == version))
        schools = list(
            conn.scalars(
                select(t.collection_point.c.name).where(
                    t.collection_point.c.campaign_id == data.campaign.id, t.collection_point.c.kind == "school"
                )
            )
        )
    places = sorted(
        {o.label for qn in data.questionnaires.values() for q in qn.questions() if q.type == "area" for o in q.options}
    )
    redactor = None if original else Redactor(schools=schools, places=places)

    def shown(rid: str, key: str, parts: list[str]) -> str:
        if (rid, key) in flagged or (rid, None) in flagged:
            return WITHHELD
        joined = " ".join(parts)
        return joined if redactor is None else redactor.redact(joined).text

    grouped: dict[int, dict[str, list[tuple[str, list[str]]]]] = {}

    def by_key(answers: dict[tuple[str, str], list[str]]) -> dict[str, list[tuple[str, list[str]]]]:
        """The answers by question key (worked out once per kind), so each column reads only its own."""
        if id(answers) not in grouped:
            keyed: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
            for (rid, key), parts in answers.items():
                keyed[key].append((rid, parts))
            grouped[id(answers)] = keyed
        return grouped[id(answers)]

    wrote = np.zeros(data.n, dtype=bool)
    out: list[Variable] = []
    for questionnaire, q in questions:
        qrows = data.questionnaire_mask(questionnaire.id)
        values: list[str | None] = [None] * data.n
        coded = np.full(data.n, np.nan)
        for rid, parts in by_key(texts).get(q.key, []):
            i = index.get(rid)
            if i is None or not qrows[i]:
                continue
            values[i] = shown(rid, q.key, parts)
            if values[i] != WITHHELD:
                wrote[i] = True
                coded[i] = _how_coded(statuses.get((rid, q.key), set()))
        base = _var_base(data, questionnaire, q.key)
        out.append(Variable(names(base), q.text, values, "text"))
        out.append(
            Variable(
                names(base, "coded"),
                f"How \u201c{q.text}\u201d was coded",
                coded,
                value_labels=dict(CODED),
                show_labels=True,
            )
        )
    for (qid, key), column in data.columns.items():
        qrows = data.questionnaire_mask(qid)
        values = [None] * data.n
        found = False
        for rid, parts in by_key(others).get(key, []):
            i = index.get(rid)
            if i is not None and qrows[i]:
                values[i], found = shown(rid, key, parts), True
        if found:
            base = _var_base(data, column.questionnaire, key)
            out.append(
                Variable(
                    names(base, "othertext"), f"{column.question.text}: words typed with the answer", values, "text"
                )
            )
    book = _codebook(content)
    listed = {key for key, _ in book}
    book += [(key, key) for key in sorted({k for keys in themes.values() for k in keys} - listed)]
    indicators = []
    for theme_key, label in book:
        values_ = np.where(wrote, 0.0, np.nan)
        for rid, keys in themes.items():
            i = index.get(rid)
            if i is not None and theme_key in keys:
                values_[i] = 1.0
        indicators.append(Variable(names("theme", theme_key), f"Theme: {label}", values_, value_labels=dict(THEME)))
    return out, indicators


def _how_coded(found: set[str]) -> int:
    if found & {"accepted", "added", "rejected"}:
        return 1
    if "applied" in found:
        return 2
    if "suggested" in found:
        return 3
    return 4


def _codebook(content: object) -> list[tuple[str, str]]:
    """(theme key, label) for every active theme and sub-theme of the codebook the codes were made under."""
    try:
        book = codebook_from_dict(content) if content is not None else load_codebook()
    except CodebookError:
        book = load_codebook()
    return [(theme.key, theme.label) for theme in book.active_themes(sub_themes=True)]
