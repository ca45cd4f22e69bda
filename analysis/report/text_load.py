"""A campaign's coded free text as `TextAnswer` records, read with SQLAlchemy Core (no Flask).

Themes are read as every staff page reads them (`analysis.coding.counted`): people's decisions, and
the coder's confident codes on answers nobody reviewed, as the campaign's current codebook names
them. Answers that raised a safeguarding flag are left out: they are someone's situation, not
material for a leaflet. The quotes the communications lead chose from the quote bank (and that still
stand, see `analysis.quotes.chosen`) are marked on their records (`extra["chosen_for"]`), so the
report quotes them rather than an automatic pick. A professional's record carries their `sector`,
so quotes name their role group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Column, ColumnElement, Engine, Float, Integer, MetaData, String, Table, select

from analysis import schema as t
from analysis.coding.codebook import Codebook, CodebookError, codebook_from_dict, load_codebook
from analysis.coding.counted import AnswerThemes, answer_themes
from analysis.load import CampaignData, connect
from analysis.quotes.chosen import CHOSEN_FOR, Choice, drop_reason
from analysis.quotes.redaction import Redactor
from analysis.text.records import TextAnswer

#: the auto-apply threshold when the campaign never set one (as the workspace's default)
DEFAULT_CERTAIN = 0.9
#: statuses that can count (the analyst export reads these); which of them count for an answer is
#: `analysis.coding.counted.answer_themes`'s decision
COUNTED_STATUSES = ("applied", "accepted", "added")

# The columns read here, mirroring survey_app/models (coding and safeguarding).
_metadata = MetaData()
theme_code = Table(
    "theme_code",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("response_id", String(32)),
    Column("question_key", String(80)),
    Column("theme_key", String(80)),
    Column("codebook_version_id", Integer),
    Column("confidence", Float),
    Column("status", String(10)),
)
codebook_version = Table(
    "codebook_version",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("version", Integer),
    Column("content", JSON),
)
coder_model = Table(
    "coder_model",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("auto_apply_threshold", Float),
)
quote_choice = Table(
    "quote_choice",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("response_id", String(32)),
    Column("question_key", String(80)),
    Column("theme_key", String(80)),
    Column("decision", String(10)),
)
safeguarding_flag = Table(
    "safeguarding_flag",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("response_id", String(32)),
    Column("question_key", String(80)),
)


@dataclass
class CampaignText:
    """The records, everyone as the attribution population, a redactor and the theme labels."""

    records: list[TextAnswer] = field(default_factory=list)
    population: list[TextAnswer] = field(default_factory=list)
    redactor: Redactor = field(default_factory=Redactor)
    theme_labels: dict[str, str] = field(default_factory=dict)


def load_text(database: str | Engine, data: CampaignData) -> CampaignText:
    """Every free-text answer of the campaign with who gave it (coarsely) and its counted themes."""
    campaign_id = data.campaign.id
    facts_of = _demographics(data)
    with connect(database) as conn:
        responses = conn.execute(
            select(t.response.c.id, t.response.c.audience, t.questionnaire_version.c.questionnaire_id)
            .join(t.questionnaire_version, t.questionnaire_version.c.id == t.response.c.questionnaire_version_id)
            .where(t.response.c.campaign_id == campaign_id)
        ).all()
        in_campaign = select(t.response.c.id).where(t.response.c.campaign_id == campaign_id)
        wanted = {key for keys in facts_of.values() for key in keys}
        facts: dict[str, dict[str, str]] = defaultdict(dict)
        qid_of = {r.id: r.questionnaire_id for r in responses}
        if wanted:
            for rid, key, value in conn.execute(
                select(t.answer.c.response_id, t.answer.c.question_key, t.answer.c.value).where(
                    t.answer.c.response_id.in_(in_campaign),
                    t.answer.c.question_key.in_(wanted),
                    t.answer.c.value.is_not(None),
                )
            ).all():
                kind = facts_of.get(qid_of.get(rid, ""), {}).get(key)
                if kind:
                    facts[rid][kind[0]] = kind[1].get(value, value)
        book, coding = coded_answers(conn, campaign_id, in_campaign, with_suggestions=False)
        themes = {key: found.counted for key, found in coding.items()}
        labels = {theme.key: theme.label for theme in book.all_themes()}
        choices: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for choice in conn.execute(
            select(quote_choice.c.response_id, quote_choice.c.question_key, quote_choice.c.theme_key)
            .where(quote_choice.c.campaign_id == campaign_id, quote_choice.c.decision == "use")
            .order_by(quote_choice.c.id)
        ).all():
            choices[(choice.response_id, choice.question_key)].append(choice)
        flagged = {
            (r, q)
            for r, q in conn.execute(
                select(safeguarding_flag.c.response_id, safeguarding_flag.c.question_key).where(
                    safeguarding_flag.c.response_id.in_(in_campaign)
                )
            )
        }
        audience = {r.id: r.audience for r in responses}
        records = []
        for rid, key, text in conn.execute(
            select(t.answer.c.response_id, t.answer.c.question_key, t.answer.c.text)
            .where(t.answer.c.response_id.in_(in_campaign), t.answer.c.text.is_not(None), t.answer.c.value.is_(None))
            .order_by(t.answer.c.response_id, t.answer.c.question_key)
        ).all():
            if (rid, key) in flagged or (rid, None) in flagged:
                continue
            coded = themes.get((rid, key), {})
            person = facts.get(rid, {})
            extra: dict[str, Any] = {"sector": person.get("sector")}
            chosen = _standing(choices.get((rid, key), []), book, coding.get((rid, key)), bool((text or "").strip()))
            if chosen:
                extra[CHOSEN_FOR] = chosen
            records.append(
                TextAnswer(
                    text=text or "",
                    audience=audience[rid],
                    themes=tuple(sorted(coded)),
                    age_band=person.get("age_band"),
                    gender=person.get("gender"),
                    area=person.get("area"),
                    confidence=coded or None,
                    respondent=rid,
                    extra=extra,
                )
            )
        schools = list(
            conn.scalars(
                select(t.collection_point.c.name).where(
                    t.collection_point.c.campaign_id == campaign_id, t.collection_point.c.kind == "school"
                )
            )
        )
    population = [
        TextAnswer(
            text="",
            audience=r.audience,
            respondent=r.id,
            age_band=facts.get(r.id, {}).get("age_band"),
            gender=facts.get(r.id, {}).get("gender"),
            area=facts.get(r.id, {}).get("area"),
            extra={"sector": facts.get(r.id, {}).get("sector")},
        )
        for r in responses
    ]
    places = sorted(
        {
            label
            for kinds in facts_of.values()
            for kind, lookup in kinds.values()
            if kind == "area"
            for label in lookup.values()
        }
    )
    return CampaignText(records, population, Redactor(schools=schools, places=places), labels)


def _demographics(data: CampaignData) -> dict[str, dict[str, tuple[str, dict[str, str]]]]:
    """Questionnaire id -> question key -> (age_band / gender / area, value -> label for areas)."""
    out: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}
    for qid, questionnaire in data.questionnaires.items():
        keys: dict[str, tuple[str, dict[str, str]]] = {}
        for q in questionnaire.questions():
            if q.demographic == "age_band":
                keys[q.key] = ("age_band", {})
            elif q.demographic in ("gender", "gender_adult"):
                keys[q.key] = ("gender", {})
            elif q.type == "area":
                keys[q.key] = ("area", {o.value: o.label for o in q.options})
            elif q.key == "sector" and questionnaire.audience == "professionals":
                keys[q.key] = ("sector", {})  # the stored value: attribution maps it to a role group
        out[qid] = keys
    return out


def coded_answers(
    conn: Any, campaign_id: int, in_campaign: Any, *, with_suggestions: bool
) -> tuple[Codebook, dict[tuple[str, str], AnswerThemes]]:
    """The campaign's codebook, and each coded answer's reading (analysis.coding.counted), by
    (response id, question key). Suggestions waiting for review count in no report, so a report
    leaves them in the database; an export shows them as "waiting for review"."""
    book = _campaign_book(conn, campaign_id)
    certain = conn.scalar(
        select(coder_model.c.auto_apply_threshold)
        .where(coder_model.c.campaign_id == campaign_id)
        .order_by(coder_model.c.id.desc())
        .limit(1)
    )
    wanted: list[ColumnElement[bool]] = [theme_code.c.response_id.in_(in_campaign)]
    if not with_suggestions:
        wanted.append(theme_code.c.status != "suggested")
    codes: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for code in conn.execute(
        select(
            theme_code.c.response_id,
            theme_code.c.question_key,
            theme_code.c.theme_key,
            theme_code.c.confidence,
            theme_code.c.status,
        )
        .where(*wanted)
        .order_by(theme_code.c.id)
    ).all():
        codes[(code.response_id, code.question_key)].append(code)
    threshold = float(certain or DEFAULT_CERTAIN)
    return book, {key: answer_themes(book, own, threshold) for key, own in codes.items()}


def _campaign_book(conn: Any, campaign_id: int) -> Codebook:
    """The campaign's current codebook: its newest edited version, or the shipped file's."""
    content = conn.scalar(
        select(codebook_version.c.content)
        .where(codebook_version.c.campaign_id == campaign_id)
        .order_by(codebook_version.c.version.desc(), codebook_version.c.id.desc())
        .limit(1)
    )
    if content is not None:
        try:
            return codebook_from_dict(content, f"campaign {campaign_id}'s codebook")
        except CodebookError:
            pass
    return load_codebook()


def _standing(choices: list[Any], book: Codebook, found: Any, has_text: bool) -> tuple[str, ...]:
    """The themes (as now named) the lead chose one answer's quote for, where the choice still stands."""
    out = []
    for choice in choices:
        why = drop_reason(
            Choice(choice.response_id, choice.question_key, choice.theme_key),
            answer_exists=has_text,
            flagged=False,  # flagged answers are not read at all
            resolve=book.resolve,
            reviewed=bool(found and found.reviewed),
            kept_themes=found.counted if found else {},
        )
        now = book.resolve(choice.theme_key)
        if why is None and now is not None and now not in out:
            out.append(now)
    return tuple(out)
