"""What the free text says, in aggregate: sentiment by theme and by audience, and word clouds.

Also the one place that turns a campaign's answers into `analysis.text` records (text, audience,
age band, gender, area, themes, confidence), which the quote bank uses too. Only aggregates and
images leave this module: sentiment tables through `analysis.disclosure`, clouds drawn from redacted
text with groups under the disclosure threshold refused, so the communications lead may see it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from analysis.coding.codebook import Codebook
from analysis.coding.counted import answer_themes
from analysis.text.records import DEFAULT_THRESHOLD, TextAnswer, audience_label
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.coding import CodebookVersion
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Response
from survey_app.staff.free_text.coding import campaign_codebook, threshold_for
from survey_app.staff.free_text.progress import campaign_codes

# Redaction, sentiment and word clouds pull in scikit-learn, NLTK, VADER and wordcloud (seconds and
# ~150 MB): they are imported inside the functions that use them, not at start-up, because every web
# worker imports the staff pages and respondents' pages never need them.
if TYPE_CHECKING:
    from analysis.quotes.redaction import Redaction, Redactor
    from analysis.text.sentiment import SentimentSummary
    from analysis.text.words import WordCloudImage
    from survey_app.staff.free_text.progress import CodingProgress

GROUPINGS = ("theme", "audience")

#: A word is drawn only if this many different answers use it (see analysis.text.words).
MIN_ANSWERS = 3


@dataclass
class CampaignText:
    """A campaign's free-text answers as analysis records, everyone as the attribution population,
    and a redactor that knows the campaign's schools and areas."""

    records: list[TextAnswer]
    population: list[TextAnswer]
    redactor: Redactor
    book: Codebook
    codebook: CodebookVersion
    theme_labels: dict[str, str] = field(default_factory=dict)

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
    # The same reading of the codes as the theme table (progress.answer_themes): people's decisions,
    # and the model's confident codes on answers nobody reviewed, as the codebook stands now.
    certain = threshold_for(campaign.id, codebook.id)
    themes = {key: answer_themes(book, codes, certain).counted for key, codes in campaign_codes(campaign.id).items()}
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
    redactor = Redactor(schools=schools, places=[*area_labels.values(), *(campaign.areas or [])])
    labels = {t.key: t.label for t in book.all_themes()}
    return CampaignText(records, population, redactor, book, codebook, labels)


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


class _Already:
    """A stand-in redactor for texts this module has already redacted (redaction is the slow part)."""

    def redact(self, text: str) -> Redaction:
        from analysis.quotes.redaction import Redaction  # heavy: see the note at the top

        return Redaction(text)


def _group_texts(data: CampaignText, by: str) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(data.records):
        if record.text.strip():
            for key in record.themes if by == "theme" else (record.audience,):
                groups[key].append(i)
    return groups


@dataclass
class CloudGroup:
    """One theme's or audience's word cloud, as the page lists it."""

    key: str
    label: str
    answers: int
    too_small: bool
    #: (word, answers using it) rows for the table beside the cloud; empty when nothing may be drawn
    table: list[tuple[str, str]] = field(default_factory=list)
    #: the theme table hides this group's count, so the cloud's caption must not give it
    count_hidden: bool = False


def hidden_groups(progress: CodingProgress | None) -> dict[str, set[str]]:
    """The themes (keys) and audiences (labels) whose answer counts the theme table hides. The tone
    tables and the clouds repeat those counts, so they hide them too, or the page would give away
    what the theme table protects."""
    if progress is None:
        return {"theme": set(), "audience": set()}
    audiences: set[str] = set()
    if progress.by_audience is not None:
        table = progress.by_audience
        audiences = {label for label, base in zip(table.row_labels, table.row_totals, strict=True) if base.suppressed}
    return {"theme": {row.key for row in progress.themes if row.total.suppressed}, "audience": audiences}


def cloud_groups(
    data: CampaignText, by: str, threshold: int = DEFAULT_THRESHOLD, progress: CodingProgress | None = None
) -> list[CloudGroup]:
    """Each group with its word table (from redacted text), or marked too small to draw."""
    from analysis.text.words import word_frequencies  # heavy: see the note at the top

    hidden = hidden_groups(progress)[by]
    redacted: dict[int, str] = {}
    out = []
    for key, members in sorted(_group_texts(data, by).items(), key=lambda kv: (-len(kv[1]), kv[0])):
        label = data.theme_labels.get(key, key) if by == "theme" else audience_label(key)
        if len(members) < threshold:
            out.append(CloudGroup(key, label, len(members), True))
            continue
        for i in members:
            if i not in redacted:
                redacted[i] = data.redactor.redact(data.records[i].text).text
        counts = word_frequencies([redacted[i] for i in members], _Already(), MIN_ANSWERS)  # type: ignore[arg-type]  # a redactor for text already redacted
        table = [(w, str(n) if n >= threshold else _("fewer than %(n)s", n=threshold)) for w, n in counts.items()]
        out.append(CloudGroup(key, label, len(members), False, table, (key if by == "theme" else label) in hidden))
    return out


def cloud_image(data: CampaignText, by: str, group: str, threshold: int = DEFAULT_THRESHOLD) -> WordCloudImage | None:
    """The cloud for one group, from its redacted answers; None when the group is too small or has no word to draw."""
    from analysis.text.words import GroupTooSmall, NoWordsToDraw, draw, word_frequencies  # heavy: see the top

    members = _group_texts(data, by).get(group, [])
    if len(members) < threshold:
        return None
    texts = [data.redactor.redact(data.records[i].text).text for i in members]
    try:
        frequencies = word_frequencies(texts, _Already(), MIN_ANSWERS)  # type: ignore[arg-type]  # a redactor for text already redacted
        return draw(frequencies, group, len(members), threshold=threshold)
    except (GroupTooSmall, NoWordsToDraw):
        return None


def sentiment_tables(data: CampaignText, progress: CodingProgress | None = None) -> dict[str, list[SentimentSummary]]:
    """Sentiment by theme and by audience, small groups suppressed.

    Its "answers" column repeats the theme table's totals and audience bases, which are protected
    together with figures this table does not know about: a group the theme table hides is hidden
    here too, or the two tables side by side would give it away.
    """
    from analysis.text.sentiment import summarise  # heavy: see the note at the top

    hidden = hidden_groups(progress)
    hidden_themes, hidden_audiences = hidden["theme"], hidden["audience"]

    def hide(row: SentimentSummary, hidden: bool) -> SentimentSummary:
        return replace(row, suppressed=True, counts=None, mean_compound=None) if hidden else row

    by_theme = [
        hide(replace(row, label=data.theme_labels.get(row.group, row.group)), row.group in hidden_themes)
        for row in summarise(data.records, by="theme")
    ]
    by_audience = [hide(row, row.label in hidden_audiences) for row in summarise(data.records, by="audience")]
    return {"theme": by_theme, "audience": by_audience}
