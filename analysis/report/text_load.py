"""A campaign's coded free text as `TextAnswer` records, read with SQLAlchemy Core (no Flask).

For the command line; the staff workspace has its own reader with the campaign's edited codebook
and passes records in. Counted codes are the ones the workspace counts: confident machine codes
("applied") and people's decisions ("accepted", "added"), all from the newest codebook version the
campaign's codes use. Answers that raised a safeguarding flag are left out: they are someone's
situation, not material for a leaflet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import JSON, Column, Engine, Float, Integer, MetaData, String, Table, func, select

from analysis import schema as t
from analysis.coding.codebook import CodebookError, codebook_from_dict, load_codebook
from analysis.load import CampaignData, connect
from analysis.quotes.redaction import Redactor
from analysis.text.records import TextAnswer

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
    Column("content", JSON),
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
        version = conn.scalar(
            select(func.max(theme_code.c.codebook_version_id)).where(theme_code.c.response_id.in_(in_campaign))
        )
        themes: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        labels: dict[str, str] = {}
        if version is not None:
            for rid, key, theme, confidence, status in conn.execute(
                select(
                    theme_code.c.response_id,
                    theme_code.c.question_key,
                    theme_code.c.theme_key,
                    theme_code.c.confidence,
                    theme_code.c.status,
                ).where(
                    theme_code.c.response_id.in_(in_campaign),
                    theme_code.c.codebook_version_id == version,
                    theme_code.c.status.in_(COUNTED_STATUSES),
                )
            ).all():
                themes[(rid, key)][theme] = 1.0 if status in ("accepted", "added") else float(confidence)
            content = conn.scalar(select(codebook_version.c.content).where(codebook_version.c.id == version))
            labels = _labels(content)
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
    if not labels:
        labels = _labels(load_codebook().to_dict())
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
        out[qid] = keys
    return out


def _labels(content: object) -> dict[str, str]:
    try:
        book = codebook_from_dict(content)
    except CodebookError:
        return {}
    return {theme.key: theme.label for theme in book.all_themes()}
