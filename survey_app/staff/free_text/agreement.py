"""Two analysts code the same random sample blind; the workspace shows how far they agree.

An analyst starts a sample of a campaign's free-text answers. The first two analysts to save a
coding take part; each codes every answer without seeing the other's themes or the coder's
suggestions (themes in codebook order, nothing pre-ticked). The comparison is shown only when
both are taking part, and never to a participant who has not finished, so nobody's coding can be
steered by the other's. Disagreements are resolved into ThemeCode decisions, which train the
coder like any review. Analysts and administrators only: the screens show raw free text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from analysis.coding.codebook import Codebook, codebook_from_dict
from survey_app.extensions import db
from survey_app.models.agreement import AgreementCoding, AgreementItem, AgreementSample
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CodebookVersion, ThemeCode
from survey_app.models.responses import Answer, Response
from survey_app.staff import clock
from survey_app.staff.auth import deny
from survey_app.staff.free_text.coding import campaign_codebook

if TYPE_CHECKING:
    from analysis.coding.agreement import AgreementReport

DEFAULT_SIZE = 50

MAX_SIZE = 500


@dataclass
class Disagreement:
    """One answer the two analysts coded differently."""

    item: AgreementItem
    text: str
    first: list[str]
    second: list[str]

    @property
    def answer_id(self) -> str:
        """The form value naming the answer."""
        return f"{self.item.response_id}:{self.item.question_key}"


def sample_for_campaign_or_404(campaign: Campaign, sample_id: int) -> AgreementSample:
    """The sample, if it belongs to this campaign; otherwise 404 (audited)."""
    sample = db.session.get(AgreementSample, sample_id)
    if sample is None or sample.campaign_id != campaign.id:
        deny(404, "agreement sample of another campaign or none", f"agreement_sample:{sample_id}")
    return sample


def sample_codebook(sample: AgreementSample) -> Codebook:
    """The codebook version the sample is coded against."""
    version = db.session.get(CodebookVersion, sample.codebook_version_id)
    assert version is not None  # a foreign key
    return codebook_from_dict(version.content, version.label)


def start_sample(campaign: Campaign, size: int, question_keys: list[str], started_by: int) -> AgreementSample:
    """Draw a random sample of the campaign's free-text answers to those questions."""
    _, codebook = campaign_codebook(campaign.id)
    rows = sorted(
        {
            (r, q)
            for r, q in db.session.execute(
                select(Answer.response_id, Answer.question_key)
                .join(Response)
                .where(
                    Response.campaign_id == campaign.id,
                    Answer.text.is_not(None),
                    Answer.value.is_(None),
                    Answer.question_key.in_(question_keys),
                )
            )
        }
    )
    # The operating system's randomness: nobody can predict or steer which answers are drawn.
    drawn = random.SystemRandom().sample(rows, min(size, len(rows)))
    sample = AgreementSample(
        campaign_id=campaign.id,
        codebook_version_id=codebook.id,
        question_keys=question_keys,
        size=len(drawn),
        started_by=started_by,
        started_on=clock.today(),
    )
    sample.items = [AgreementItem(response_id=r, question_key=q, position=i) for i, (r, q) in enumerate(drawn)]
    db.session.add(sample)
    db.session.flush()
    return sample


def codings_by_analyst(sample: AgreementSample) -> dict[int, dict[tuple[str, str], list[str]]]:
    out: dict[int, dict[tuple[str, str], list[str]]] = {}
    for c in db.session.scalars(select(AgreementCoding).where(AgreementCoding.sample_id == sample.id)):
        out.setdefault(c.analyst_id, {})[(c.response_id, c.question_key)] = list(c.themes)
    return out


def answer_text(item: AgreementItem) -> str:
    return (
        db.session.scalar(
            select(Answer.text)
            .where(
                Answer.response_id == item.response_id,
                Answer.question_key == item.question_key,
                Answer.text.is_not(None),
            )
            .limit(1)
        )
        or ""
    )


def comparison(sample: AgreementSample, book: Codebook) -> tuple[AgreementReport, list[Disagreement]] | None:
    """Agreement over the answers both analysts have coded, and the disagreements; None before two take part."""
    if sample.second_analyst_id is None:
        return None
    codings = codings_by_analyst(sample)
    first, second = codings.get(sample.first_analyst_id or 0, {}), codings.get(sample.second_analyst_id, {})
    both = [
        item
        for item in sample.items
        if (item.response_id, item.question_key) in first and (item.response_id, item.question_key) in second
    ]
    keys = [(i.response_id, i.question_key) for i in both]
    # NLTK's agreement measures: imported when a comparison is shown, not when a worker starts
    # (start-up time and memory matter for web workers).
    from analysis.coding.agreement import agreement_report

    report = agreement_report(
        [first[k] for k in keys], [second[k] for k in keys], [t.key for t in book.active_themes()]
    )
    disagreements = [
        Disagreement(both[i], answer_text(both[i]), sorted(first[keys[i]]), sorted(second[keys[i]]))
        for i in report.disagreements
    ]
    return report, disagreements


def record_decision(
    item: AgreementItem, chosen: set[str], codebook_version_id: int, reviewer_id: int
) -> dict[str, list[str]]:
    """Write the agreed themes for a sampled answer as a reviewer's ThemeCode decisions, as the review
    screen does: the coder's codes accepted or rejected, other themes added as human codes."""
    codes = {
        c.theme_key: c
        for c in db.session.scalars(
            select(ThemeCode).where(
                ThemeCode.response_id == item.response_id,
                ThemeCode.question_key == item.question_key,
                ThemeCode.codebook_version_id == codebook_version_id,
            )
        )
    }
    today = clock.today()
    decided: dict[str, list[str]] = {"accepted": [], "rejected": [], "added": []}
    for theme, code in codes.items():
        code.status = "accepted" if theme in chosen else "rejected"
        code.reviewer_id, code.decided_on = reviewer_id, today
        decided[code.status].append(theme)
    for theme in sorted(chosen - set(codes)):
        db.session.add(
            ThemeCode(
                response_id=item.response_id,
                question_key=item.question_key,
                theme_key=theme,
                codebook_version_id=codebook_version_id,
                source="human",
                confidence=1.0,
                status="added",
                evidence=[],
                reviewer_id=reviewer_id,
                decided_on=today,
            )
        )
        decided["added"].append(theme)
    item.resolved_by, item.resolved_on = reviewer_id, today
    return decided


def agreed_unrecorded(sample: AgreementSample, disagreements: list[Disagreement]) -> list[AgreementItem]:
    """Answers both analysts have coded, alike, that are not yet recorded as reviewed codes."""
    codings = codings_by_analyst(sample)
    first = codings.get(sample.first_analyst_id or 0, {})
    second = codings.get(sample.second_analyst_id or 0, {})
    differ = {(d.item.response_id, d.item.question_key) for d in disagreements}
    return [
        i
        for i in sample.items
        if (key := (i.response_id, i.question_key)) in first
        and key in second
        and key not in differ
        and i.resolved_on is None
    ]


def may_see_comparison(sample: AgreementSample, user_id: int) -> bool:
    """A participant sees the other's codes only once they have coded every answer themselves."""
    if user_id not in sample.analysts():
        return True
    mine = codings_by_analyst(sample).get(user_id, {})
    return all((i.response_id, i.question_key) in mine for i in sample.items)


def join_sample(sample: AgreementSample, user_id: int) -> bool:
    """Make the analyst one of the sample's two coders if they are not yet; False when two others are."""
    if user_id in sample.analysts():
        return True
    if sample.first_analyst_id is None:
        sample.first_analyst_id = user_id
    elif sample.second_analyst_id is None:
        sample.second_analyst_id = user_id
    else:
        return False
    return True


def save_coding(sample: AgreementSample, item: AgreementItem, analyst_id: int, themes: list[str]) -> None:
    """Store (or replace) one analyst's themes for one sampled answer."""
    coding = db.session.scalar(
        select(AgreementCoding).where(
            AgreementCoding.sample_id == sample.id,
            AgreementCoding.response_id == item.response_id,
            AgreementCoding.question_key == item.question_key,
            AgreementCoding.analyst_id == analyst_id,
        )
    )
    if coding is None:
        db.session.add(
            AgreementCoding(
                sample_id=sample.id,
                response_id=item.response_id,
                question_key=item.question_key,
                analyst_id=analyst_id,
                themes=themes,
                coded_on=clock.today(),
            )
        )
    else:
        coding.themes, coding.coded_on = themes, clock.today()
    db.session.flush()


def record_agreed(sample: AgreementSample, disagreements: list[Disagreement], reviewer_id: int) -> int:
    """Record every answer both analysts coded alike as reviewed codes; returns how many."""
    first = codings_by_analyst(sample).get(sample.first_analyst_id or 0, {})
    recorded = 0
    for item in agreed_unrecorded(sample, disagreements):
        record_decision(
            item, set(first[(item.response_id, item.question_key)]), sample.codebook_version_id, reviewer_id
        )
        recorded += 1
    db.session.flush()
    return recorded


def samples_of(campaign: Campaign) -> list[AgreementSample]:
    """The campaign's agreement samples, newest first."""
    return list(
        db.session.scalars(
            select(AgreementSample)
            .where(AgreementSample.campaign_id == campaign.id)
            .order_by(AgreementSample.id.desc())
        )
    )
