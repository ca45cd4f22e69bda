"""Load one campaign's answers from the database into tidy, columnar tables (numpy arrays).

Every response is a row; every question of every questionnaire is a column keyed by
(questionnaire id, question key) and findable by its shared `measure`. Answers are streamed in
chunks with SQLAlchemy Core, so half a million responses fit comfortably in memory:

* single-answer questions (choices, scales, faces, areas, demographics): an int16 option code per
  response, −1 when not answered (or not asked: another questionnaire);
* tick-all-that-apply: a bit mask per response (bit j = option j ticked), 0 when not answered;
* ranking: an int8 rank per option and response (1 = first choice, 0 = not ranked);
* numbers: float, NaN when not answered. Free text is not loaded here.

Question wording, option order, top box and measure come from the stored questionnaire versions
(`questionnaires.model.Questionnaire`), never from Flask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from sqlalchemy import Connection, Engine, String, cast, create_engine, func, or_, select

from analysis import schema as t
from analysis.waves import EarlierFigure, load_figures
from questionnaires.model import AUDIENCES, Option, Question, Questionnaire

CHUNK = 50_000
MAX_TICK_OPTIONS = 64


class CampaignNotFound(LookupError):
    """No campaign has that slug."""


@dataclass(frozen=True)
class CampaignInfo:
    """The campaign's name and dates."""

    id: int
    slug: str
    name: str
    opens_on: dt.date | None
    closes_on: dt.date | None


@dataclass
class QuestionColumn:
    """One question of one questionnaire, as an array over all of the campaign's responses."""

    questionnaire: Questionnaire
    question: Question
    #: options in questionnaire order (values met only in older versions or in the data at the end)
    options: list[Option]
    #: "single", "multiple", "ranking" or "number"
    kind: str
    data: np.ndarray
    code_of: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The question key."""
        return self.question.key

    @property
    def measure(self) -> str | None:
        """The shared measure id, if any."""
        return self.question.measure

    @property
    def audience(self) -> str:
        """Who the questionnaire is for."""
        return self.questionnaire.audience

    def answered(self) -> np.ndarray:
        """Boolean mask of responses that answered this question."""
        if self.kind == "single":
            return self.data >= 0
        if self.kind == "multiple":
            return self.data != 0
        if self.kind == "ranking":
            return np.asarray((self.data > 0).any(axis=0))
        return np.asarray(~np.isnan(self.data))

    def code(self, value: str) -> int:
        """The option index of a stored value, adding an option for a value no definition knows."""
        code = self.code_of.get(value)
        if code is None:
            code = len(self.options)
            if self.kind == "multiple" and code >= MAX_TICK_OPTIONS:
                raise ValueError(f"question {self.key} has more than {MAX_TICK_OPTIONS} options")
            self.options.append(Option(value=value, label=value))
            self.code_of[value] = code
            if self.kind == "ranking":
                self.data = np.vstack([self.data, np.zeros((1, self.data.shape[1]), dtype=self.data.dtype)])
        return code


@dataclass
class Dimension:
    """A way of splitting respondents into groups (age band, area, ...), with −1 for not known."""

    name: str
    title: str
    labels: list[str]
    codes: np.ndarray


@dataclass
class CampaignData:
    """Everything analysis needs about one campaign's responses."""

    campaign: CampaignInfo
    #: questionnaire id -> newest version's definition
    questionnaires: dict[str, Questionnaire]
    #: per response: index into `questionnaire_ids`
    questionnaire_index: np.ndarray
    questionnaire_ids: list[str]
    #: per response: index into `point_names`, −1 when it came through no collection point
    point_index: np.ndarray
    point_names: list[str]
    columns: dict[tuple[str, str], QuestionColumn]
    #: breakdown dimensions already worked out (see `analysis.dimensions.dimension`)
    dimensions: dict[str, Dimension] = field(default_factory=dict, repr=False)
    #: an earlier wave's headline figures imported for this campaign (compared when no earlier campaign is)
    imported: list[EarlierFigure] = field(default_factory=list)
    #: per response: its id, in row order (kept only when asked for, as a record-level export needs)
    response_ids: list[str] = field(default_factory=list, repr=False)
    #: per response: it answered at least one question (free text included); a response sent with
    #: every question skipped says nothing, so reports do not count it among the people who took part
    answered_any: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool), repr=False)

    @property
    def n(self) -> int:
        """Number of responses."""
        return int(self.questionnaire_index.size)

    def took_part(self) -> np.ndarray:
        """Per response: it answered at least one question (every response, if that was not read)."""
        if self.answered_any.size != self.n:
            return np.ones(self.n, dtype=bool)
        return self.answered_any

    def audience_of(self) -> np.ndarray:
        """Per response: index into `questionnaires.model.AUDIENCES`."""
        lookup = np.array([AUDIENCES.index(self.questionnaires[q].audience) for q in self.questionnaire_ids] or [0])
        return lookup[self.questionnaire_index]

    def questionnaire_mask(self, questionnaire_id: str) -> np.ndarray:
        """Boolean mask of responses to one questionnaire."""
        if questionnaire_id not in self.questionnaire_ids:
            return np.zeros(self.n, dtype=bool)
        return self.questionnaire_index == self.questionnaire_ids.index(questionnaire_id)

    def find(self, key: str | None = None, measure: str | None = None) -> list[QuestionColumn]:
        """Columns with this question key and/or measure, in audience order."""
        found = [
            c
            for c in self.columns.values()
            if (key is None or c.key == key) and (measure is None or c.measure == measure)
        ]
        return sorted(found, key=lambda c: (AUDIENCES.index(c.audience), c.questionnaire.id))


@contextmanager
def connect(database: str | Engine) -> Iterator[Connection]:
    """A connection to a database URL (its engine disposed afterwards) or from an engine (left open)."""
    engine = database if isinstance(database, Engine) else create_engine(database)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        if engine is not database:
            engine.dispose()


def campaign_slugs(database: str | Engine) -> list[str]:
    """Every campaign's slug."""
    with connect(database) as conn:
        return list(conn.scalars(select(t.campaign.c.slug).order_by(t.campaign.c.opens_on, t.campaign.c.slug)))


def load_campaign(
    database: str | Engine, slug: str, *, complete_only: bool = False, chunk: int = CHUNK, keep_ids: bool = False
) -> CampaignData:
    """Load every response of a campaign (all audiences), streaming answers in chunks.

    With `keep_ids`, the response ids are kept in row order, so rows can be joined to other records.
    """
    with connect(database) as conn:
        row = conn.execute(select(t.campaign).where(t.campaign.c.slug == slug)).mappings().first()
        if row is None:
            raise CampaignNotFound(f"no campaign has the slug '{slug}'")
        info = CampaignInfo(row["id"], row["slug"], row["name"], row["opens_on"], row["closes_on"])
        where = [t.response.c.campaign_id == info.id]
        if complete_only:
            where.append(t.response.c.completion == "complete")

        versions = {
            r.id: r
            for r in conn.execute(
                select(t.questionnaire_version).where(
                    t.questionnaire_version.c.id.in_(
                        select(t.response.c.questionnaire_version_id).where(*where).distinct()
                    )
                )
            )
        }
        questionnaires, version_to_q, option_lists = _questionnaires(versions.values())
        qids = sorted(questionnaires, key=lambda q: (AUDIENCES.index(questionnaires[q].audience), q))
        version_index = {vid: qids.index(qid) for vid, qid in version_to_q.items()}

        points = list(
            conn.execute(
                select(t.collection_point.c.id, t.collection_point.c.name)
                .where(t.collection_point.c.campaign_id == info.id)
                .order_by(t.collection_point.c.id)
            )
        )
        point_pos = {pid: i for i, (pid, _) in enumerate(points)}

        ids: dict[str, int] = {}
        q_index: list[int] = []
        p_index: list[int] = []
        result = conn.execution_options(yield_per=chunk).execute(
            select(t.response.c.id, t.response.c.questionnaire_version_id, t.response.c.collection_point_id).where(
                *where
            )
        )
        for part in result.partitions():
            for rid, vid, pid in part:
                ids[rid] = len(ids)
                q_index.append(version_index[vid])
                p_index.append(point_pos.get(pid, -1))
        n = len(ids)
        questionnaire_index = np.array(q_index, dtype=np.int16)
        del q_index

        store = _Store(
            n,
            [
                (questionnaires[qid], q, option_lists[qid][q.key])
                for qid in qids
                for q in questionnaires[qid].questions()
            ],
        )
        by_q = [{c.key: c for c in store.columns if c.questionnaire.id == qid} for qid in qids]
        answered_any = _read_answers(conn, where, ids, questionnaire_index, by_q, store, chunk)
        columns = {(c.questionnaire.id, c.key): c for c in store.columns}
        imported = load_figures(conn, info.id)

    return CampaignData(
        info,
        questionnaires,
        questionnaire_index,
        qids,
        np.array(p_index, dtype=np.int16),
        [name for _, name in points],
        columns,
        imported=imported,
        response_ids=list(ids) if keep_ids else [],
        answered_any=answered_any,
    )


def _questionnaires(
    versions: Iterable,
) -> tuple[dict[str, Questionnaire], dict[int, str], dict[str, dict[str, list[Option]]]]:
    """Newest definition per questionnaire, version -> questionnaire id, and options over all versions."""
    newest: dict[str, tuple[int, Questionnaire]] = {}
    all_versions: dict[str, list[tuple[int, Questionnaire]]] = {}
    version_to_q = {}
    for v in versions:
        questionnaire = Questionnaire.from_dict(v.definition)
        version_to_q[v.id] = v.questionnaire_id
        all_versions.setdefault(v.questionnaire_id, []).append((v.version, questionnaire))
        if v.questionnaire_id not in newest or v.version > newest[v.questionnaire_id][0]:
            newest[v.questionnaire_id] = (v.version, questionnaire)
    option_lists: dict[str, dict[str, list[Option]]] = {}
    for qid, (_, questionnaire) in newest.items():
        lists = {q.key: list(q.options) for q in questionnaire.questions()}
        for _, older in sorted(all_versions[qid], key=lambda x: -x[0]):
            for q in older.questions():
                known = {o.value for o in lists.get(q.key, [])}
                lists.setdefault(q.key, []).extend(o for o in q.options if o.value not in known)
        option_lists[qid] = lists
    return {qid: q for qid, (_, q) in newest.items()}, version_to_q, option_lists


class _Store:
    """The arrays of every column, allocated as one matrix per kind (a row per column, contiguous).

    A chunk of answers is then written with one vectorised call per kind instead of one per column.
    """

    def __init__(self, n: int, questions: list[tuple[Questionnaire, Question, list[Option]]]):
        kinds = [_kind(q) for _, q, _ in questions]
        self.single = np.full((kinds.count("single"), n), -1, dtype=np.int16)
        self.multiple = np.zeros((kinds.count("multiple"), n), dtype=np.uint64)
        self.ranking = np.zeros(
            (sum(len(o) for (_, _, o), k in zip(questions, kinds, strict=True) if k == "ranking"), n), dtype=np.int8
        )
        self.columns: list[QuestionColumn] = []
        #: per column: (kind, first matrix row)
        self.slot: dict[int, tuple[str, int]] = {}
        used = {"single": 0, "multiple": 0, "ranking": 0}
        for (questionnaire, q, options), kind in zip(questions, kinds, strict=True):
            if kind is None:
                continue
            row = used.get(kind, 0)
            if kind == "single":
                data = self.single[row]
            elif kind == "multiple":
                data = self.multiple[row]
            elif kind == "ranking":
                data = self.ranking[row : row + len(options)]
            else:
                data = np.full(n, np.nan, dtype=np.float32)
            used[kind] = row + (len(options) if kind == "ranking" else 1)
            column = QuestionColumn(
                questionnaire, q, list(options), kind, data, {o.value: i for i, o in enumerate(options)}
            )
            self.slot[id(column)] = (kind, row)
            self.columns.append(column)


def _kind(q: Question) -> str | None:
    if q.is_text:
        return None
    return {"number": "number", "multiple_choice": "multiple", "ranking": "ranking"}.get(q.type, "single")


def _read_answers(
    conn: Connection,
    where: list,
    ids: dict[str, int],
    questionnaire_index: np.ndarray,
    by_q: list[dict[str, QuestionColumn]],
    store: _Store,
    chunk: int,
) -> np.ndarray:
    """Stream the answers (not free text) into the columns, one row per response; which responses answered anything.

    The database joins each response's answers into one string ("feel_safe_area:very_safe,
    what_would_help:cctv@1,...") so that half a million responses arrive as half a million rows
    rather than twenty million; the tokens are then turned into codes with one dictionary lookup
    each and written to the arrays with vectorised numpy calls.
    """
    a = t.answer
    token = (
        a.c.question_key
        + ":"
        + func.coalesce(a.c.value, "")
        + func.coalesce("@" + cast(a.c.rank, String), "")
        + func.coalesce("#" + cast(a.c.number, String), "")
    )
    conditions = [or_(a.c.value.is_not(None), a.c.number.is_not(None))]
    # With every response in the database in this campaign (the usual case), the filter on
    # response ids only costs time; rows of other responses would be skipped below anyway.
    if conn.scalar(select(func.count()).select_from(t.response)) != len(ids):
        conditions.append(a.c.response_id.in_(select(t.response.c.id).where(*where)))
    answered = np.zeros(len(ids), dtype=bool)
    query = select(a.c.response_id, func.aggregate_strings(token, ",")).where(*conditions).group_by(a.c.response_id)
    tables = [_TokenTable(keyed, store) for keyed in by_q]
    q_of = questionnaire_index.tolist()
    result = conn.execution_options(yield_per=chunk).execute(query)
    for part in result.partitions():
        groups: list[tuple[list[int], list[str]]] = [([], []) for _ in by_q]
        for rid, joined in part:
            i = ids.get(rid)
            if i is not None and joined:
                answered[i] = True
                rows, texts = groups[q_of[i]]
                rows.append(i)
                texts.append(joined)
        for table, (rows, texts) in zip(tables, groups, strict=True):
            if rows:
                table.write(rows, texts)
    # Free text is read elsewhere; here it only tells who answered something. Only the few responses
    # with no other answer are looked up (by the answer table's key), not every text answer.
    unanswered = [rid for rid, i in ids.items() if not answered[i]]
    for start in range(0, len(unanswered), 500):
        some = unanswered[start : start + 500]
        wrote = select(a.c.response_id).where(a.c.response_id.in_(some), a.c.text.is_not(None), a.c.text != "")
        for rid in conn.scalars(wrote.distinct()):
            answered[ids[rid]] = True
    return answered


class _TokenTable:
    """Every answer token one questionnaire can produce, with where it goes and what it writes."""

    KINDS = ("single", "multiple", "ranking")

    def __init__(self, keyed: dict[str, QuestionColumn], store: _Store):
        self.keyed = keyed
        self.store = store
        self.ids: dict[str, int] = {}
        kind: list[int] = []
        row: list[int] = []
        value: list[int] = []
        for column in keyed.values():
            column_kind, first = store.slot[id(column)]
            if column_kind == "number":
                continue
            for o, option in enumerate(column.options):
                for r in range(1, len(column.options) + 1) if column_kind == "ranking" else [0]:
                    self.ids[f"{column.key}:{option.value}" + (f"@{r}" if r else "")] = len(kind)
                    kind.append(self.KINDS.index(column_kind))
                    if column_kind == "single":
                        row.append(first)
                        value.append(o)
                    elif column_kind == "multiple":
                        row.append(first)
                        value.append(1 << o)
                    else:
                        row.append(first + o)
                        value.append(r)
        self.kind = np.array(kind, dtype=np.int8)
        self.row = np.array(row, dtype=np.int64)
        self.value = np.array(value, dtype=np.uint64)

    def write(self, rows: list[int], texts: list[str]) -> None:
        tokens = ",".join(texts).split(",")
        found = np.fromiter(map(self.ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        respondent = np.repeat(np.array(rows, dtype=np.int64), [text.count(",") + 1 for text in texts])
        unknown = found < 0
        for j in np.flatnonzero(unknown).tolist():  # numbers, and values no definition knows
            self._write_one(int(respondent[j]), tokens[j])
        found, respondent = found[~unknown], respondent[~unknown]
        kinds = self.kind[found]
        matrices: tuple[np.ndarray, ...] = (self.store.single, self.store.multiple, self.store.ranking)
        for k, matrix in enumerate(matrices):
            chosen = found[kinds == k]
            if not chosen.size:
                continue
            where = (self.row[chosen], respondent[kinds == k])
            if k == 1:
                np.bitwise_or.at(matrix, where, self.value[chosen])
            else:
                matrix[where] = self.value[chosen].astype(matrix.dtype)

    def _write_one(self, i: int, token: str) -> None:
        key, _, rest = token.partition(":")
        column = self.keyed.get(key)
        if column is None:
            return
        rest, _, number = rest.partition("#")
        value, _, rank = rest.partition("@")
        if column.kind == "number":
            if number:
                column.data[i] = float(number)
        elif value:
            code = column.code(value)
            if column.kind == "single":
                column.data[i] = code
            elif column.kind == "multiple":
                column.data[i] |= np.uint64(1) << np.uint64(code)
            else:
                column.data[code, i] = int(rank or 1)
