"""A campaign's coded free text as `TextAnswer` records, read with SQLAlchemy Core (no Flask).

Themes are read as every staff page reads them (`analysis.coding.counted`): people's decisions, and
the coder's confident codes on answers nobody reviewed, as the campaign's current codebook names
them. "Confident" is each theme's auto-apply confidence in effect, worked out from the stored choice
as the review queue works it out (`analysis.coding.auto_apply`), starting-model hold included. Answers that raised a safeguarding flag are left out: they are someone's situation, not
material for a leaflet. The quotes the communications lead chose from the quote bank (and that still
stand, see `analysis.quotes.chosen`) are marked on their records (`extra["chosen_for"]`), so the
report quotes them rather than an automatic pick. A professional's record carries their `sector`,
so quotes name their role group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Engine, Float, Integer, MetaData, String, Table, select

from analysis import schema as t
from analysis.coding.auto_apply import Agreement, ThemeThresholds, agreement_of, curve_of, in_effect, resolve
from analysis.coding.codebook import Codebook, CodebookError, codebook_from_dict, load_codebook
from analysis.coding.counted import AnswerThemes, answer_themes
from analysis.load import CampaignData, connect
from analysis.quotes.chosen import CHOSEN_FOR, Choice, drop_reason
from analysis.quotes.redaction import Redactor
from analysis.text.records import WAITING, TextAnswer

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
    Column("source", String(10)),
    Column("confidence", Float),
    Column("status", String(10)),
    Column("model_version", Integer),
)
codebook_version = Table(
    "codebook_version",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("version", Integer),
    Column("content_hash", String(16)),
    Column("content", JSON),
)
coder_model = Table(
    "coder_model",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("codebook_version_id", Integer),
    Column("version", Integer),
    Column("auto_apply_threshold", Float),
    Column("file_name", String(200)),
    Column("metrics", JSON),
    Column("target_precision", Float),
    Column("theme_thresholds", JSON),
)
starting_model = Table(
    "coding_starting_model",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("themes", JSON),
    Column("coder_model_id", Integer),
    Column("in_use", Boolean),
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
        book, coding = coded_answers(conn, campaign_id, in_campaign)
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
            found = coding.get((rid, key))
            if found is not None and not found.reviewed and found.waiting:
                # Counted under no theme it may have: a report says so rather than read it as "not raised".
                extra[WAITING] = True
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
    conn: Any, campaign_id: int, in_campaign: Any
) -> tuple[Codebook, dict[tuple[str, str], AnswerThemes]]:
    """The campaign's codebook, and each coded answer's reading (analysis.coding.counted), by
    (response id, question key). Suggestions are read too: whether one counts, waits for review or
    is a confident "no" depends on its theme's confidence in effect now, not on its stored status."""
    book, codebook_id = _campaign_book(conn, campaign_id)
    codes: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for code in conn.execute(
        select(
            theme_code.c.response_id,
            theme_code.c.question_key,
            theme_code.c.theme_key,
            theme_code.c.source,
            theme_code.c.confidence,
            theme_code.c.status,
            theme_code.c.model_version,
        )
        .where(theme_code.c.response_id.in_(in_campaign))
        .order_by(theme_code.c.id)
    ).all():
        codes[(code.response_id, code.question_key)].append(code)
    thresholds = _thresholds(conn, campaign_id, codebook_id, book, codes)
    return book, {key: answer_themes(book, own, thresholds) for key, own in codes.items()}


_CODER = (
    coder_model.c.version,
    coder_model.c.auto_apply_threshold,
    coder_model.c.file_name,
    coder_model.c.metrics,
    coder_model.c.target_precision,
    coder_model.c.theme_thresholds,
)


def _thresholds(
    conn: Any, campaign_id: int, codebook_id: int | None, book: Codebook, codes: dict[tuple[str, str], list[Any]]
) -> ThemeThresholds:
    """Each theme's auto-apply confidence in effect, as the workspace's `coding.thresholds_for` reads
    it: the analyst's choice (kept on the coder in use, or the campaign's newest coder row) read
    against the coder's curve, held with people while a starting model is unchecked."""
    latest = conn.execute(
        select(*_CODER)
        .where(coder_model.c.campaign_id == campaign_id, coder_model.c.codebook_version_id == codebook_id)
        .order_by(coder_model.c.version.desc())
        .limit(1)
    ).first()
    choice = (
        latest
        or conn.execute(
            select(*_CODER).where(coder_model.c.campaign_id == campaign_id).order_by(coder_model.c.id.desc()).limit(1)
        ).first()
    )
    resolved = resolve(choice, curve_of(latest), book.keys())
    return in_effect(resolved, book.keys(), latest, lambda r: _agreement(conn, campaign_id, book, codes, r))


def _agreement(
    conn: Any, campaign_id: int, book: Codebook, codes: dict[tuple[str, str], list[Any]], thresholds: ThemeThresholds
) -> Agreement | None:
    """The starting model's agreement with reviewers, as `starting.agreement` measures it."""
    start = conn.execute(
        select(starting_model.c.themes, starting_model.c.coder_model_id)
        .where(starting_model.c.campaign_id == campaign_id, starting_model.c.in_use.is_(True))
        .order_by(starting_model.c.id.desc())
        .limit(1)
    ).first()
    if start is None or start.coder_model_id is None:
        return None
    cuts = {
        m.version: (m.metrics or {}).get("thresholds") or {}
        for m in conn.execute(
            select(coder_model.c.version, coder_model.c.metrics).where(
                coder_model.c.campaign_id == campaign_id, coder_model.c.id >= start.coder_model_id
            )
        )
    }
    return agreement_of(codes.values(), cuts, start.themes, book, thresholds)


def _campaign_book(conn: Any, campaign_id: int) -> tuple[Codebook, int | None]:
    """The campaign's current codebook and its stored version's id: its newest edited version, or
    the shipped file's (None when no campaign has used it yet)."""
    row = conn.execute(
        select(codebook_version.c.id, codebook_version.c.content)
        .where(codebook_version.c.campaign_id == campaign_id)
        .order_by(codebook_version.c.version.desc(), codebook_version.c.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        try:
            return codebook_from_dict(row.content, f"campaign {campaign_id}'s codebook"), row.id
        except CodebookError:
            pass
    book = load_codebook()
    shipped = conn.scalar(
        select(codebook_version.c.id).where(
            codebook_version.c.campaign_id.is_(None), codebook_version.c.content_hash == book.fingerprint
        )
    )
    return book, shipped


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
