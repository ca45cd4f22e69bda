"""A campaign's free text as `analysis.text` records (text, audience, age band, gender, area, themes,
confidence), for the "free text at a glance" page (`insights_page`, which protects everything it
shows as one publication) and the quote bank.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from analysis.coding.auto_apply import ThemeThresholds
from analysis.coding.codebook import Codebook
from analysis.coding.counted import answer_themes
from analysis.text.records import TextAnswer
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.coding import CodebookVersion
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Response
from survey_app.staff.free_text.coding import campaign_codebook, thresholds_for
from survey_app.staff.free_text.progress import campaign_codes

# Redaction, sentiment and word clouds pull in scikit-learn, NLTK, VADER and wordcloud (seconds and
# ~150 MB): they are imported inside the functions that use them, not at start-up, because every web
# worker imports the staff pages and respondents' pages never need them.
if TYPE_CHECKING:
    from analysis.quotes.redaction import Redactor

GROUPINGS = ("theme", "audience")


@dataclass
class CampaignText:
    """A campaign's free-text answers as analysis records, everyone as the attribution population,
    and a redactor that knows the campaign's schools and areas."""

    records: list[TextAnswer]
    population: list[TextAnswer]
    redactor: Redactor
    book: Codebook
    codebook: CodebookVersion
    #: each theme's auto-apply confidence in effect, which the themes were read under
    thresholds: ThemeThresholds
    theme_labels: dict[str, str] = field(default_factory=dict)
    #: what the redactor looks for (the campaign's schools and places): the same text redacts the same way
    redacting: tuple[str, ...] = ()

    def key_of(self, index: int) -> tuple[str, str]:
        """(response id, question key) of the record at `index`."""
        extra = self.records[index].extra
        return str(extra["response_id"]), str(extra["question_key"])


def _demographic_keys(versions: list[QuestionnaireVersion]) -> tuple[dict[tuple[int, str], str], dict[str, str]]:
    """(questionnaire version id, question key) -> age_band / gender / area / sector, and area value -> label.

    A professional's `sector` is kept as its stored value: quote attribution names their role group
    from it ("Professional, Police"), never their own sex, age or area."""
    wanted: dict[tuple[int, str], str] = {}
    area_labels: dict[str, str] = {}
    for version in versions:
        for question in version.questionnaire.questions():
            if question.demographic == "age_band":
                wanted[(version.id, question.key)] = "age_band"
            elif question.demographic in ("gender", "gender_adult"):
                wanted[(version.id, question.key)] = "gender"
            elif question.type == "area":
                wanted[(version.id, question.key)] = "area"
                area_labels.update({o.value: o.label for o in question.options})
            elif question.key == "sector" and version.questionnaire.audience == "professionals":
                wanted[(version.id, question.key)] = "sector"
    return wanted, area_labels


def campaign_text(campaign: Campaign, question_key: str | None = None) -> CampaignText:
    """Every free-text answer of the campaign (or of one question) with who gave it and its themes."""
    from analysis.quotes.redaction import Redactor  # heavy: see the note at the top

    book, codebook = campaign_codebook(campaign.id)
    responses = db.session.execute(
        select(Response.id, Response.audience, Response.questionnaire_version_id).where(
            Response.campaign_id == campaign.id
        )
    ).all()
    versions = list(
        db.session.scalars(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.id.in_({r.questionnaire_version_id for r in responses})
            )
        )
    )
    wanted, area_labels = _demographic_keys(versions)
    version_of = {r.id: r.questionnaire_version_id for r in responses}
    facts: dict[str, dict[str, str]] = defaultdict(dict)
    keys = {key for _, key in wanted}
    if keys:
        for response_id, key, value in db.session.execute(
            select(Answer.response_id, Answer.question_key, Answer.value)
            .join(Response)
            .where(Response.campaign_id == campaign.id, Answer.question_key.in_(keys), Answer.value.is_not(None))
        ):
            kind = wanted.get((version_of[response_id], key))
            if kind and value is not None:
                facts[response_id][kind] = area_labels.get(value, value) if kind == "area" else value
    # The same reading of the codes as the theme table and the review queue (answer_themes): people's
    # decisions, and the model's confident codes (under each theme's own confidence) on answers
    # nobody reviewed, as the codebook stands now.
    thresholds = thresholds_for(campaign.id, codebook.id, book)
    themes = {key: answer_themes(book, codes, thresholds).counted for key, codes in campaign_codes(campaign.id).items()}
    audience = {r.id: r.audience for r in responses}
    query = (
        select(Answer.response_id, Answer.question_key, Answer.text)
        .join(Response)
        .where(Response.campaign_id == campaign.id, Answer.text.is_not(None), Answer.value.is_(None))
        .order_by(Answer.response_id, Answer.question_key)
    )
    if question_key:
        query = query.where(Answer.question_key == question_key)
    records = []
    for response_id, key, text in db.session.execute(query):
        coded = themes.get((response_id, key), {})
        person = facts.get(response_id, {})
        records.append(
            TextAnswer(
                text=text or "",
                audience=audience[response_id],
                themes=tuple(sorted(coded)),
                age_band=person.get("age_band"),
                gender=person.get("gender"),
                area=person.get("area"),
                confidence=coded or None,
                respondent=response_id,
                extra={"response_id": response_id, "question_key": key, "sector": person.get("sector")},
            )
        )
    population = [
        TextAnswer(
            text="",
            audience=r.audience,
            age_band=facts.get(r.id, {}).get("age_band"),
            gender=facts.get(r.id, {}).get("gender"),
            area=facts.get(r.id, {}).get("area"),
            respondent=r.id,
            extra={"sector": facts.get(r.id, {}).get("sector")},
        )
        for r in responses
    ]
    schools = [
        p.name
        for p in db.session.scalars(
            select(CollectionPoint).where(CollectionPoint.campaign_id == campaign.id, CollectionPoint.kind == "school")
        )
    ]
    places = [*area_labels.values(), *(campaign.areas or [])]
    redactor = Redactor(schools=schools, places=places)
    labels = {t.key: t.label for t in book.all_themes()}
    redacting = (*sorted(schools), "|", *sorted(places))
    return CampaignText(records, population, redactor, book, codebook, thresholds, labels, redacting)


def free_text_questions(campaign: Campaign) -> list[str]:
    """The keys of the campaign's free-text questions that have answers."""
    return list(
        db.session.scalars(
            select(Answer.question_key)
            .join(Response)
            .where(Response.campaign_id == campaign.id, Answer.text.is_not(None), Answer.value.is_(None))
            .distinct()
            .order_by(Answer.question_key)
        )
    )


def question_wording(campaign: Campaign) -> dict[str, str]:
    """Question key -> its wording, from the questionnaire versions the campaign's answers used."""
    ids = set(
        db.session.scalars(
            select(Response.questionnaire_version_id).where(Response.campaign_id == campaign.id).distinct()
        )
    )
    wording: dict[str, str] = {}
    for version in db.session.scalars(
        select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids)).order_by(QuestionnaireVersion.version)
    ):
        wording.update({q.key: q.text for q in version.questionnaire.questions() if q.is_text})
    return wording
