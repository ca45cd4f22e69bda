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

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.coding.agreement import AgreementReport, agreement_report
from analysis.coding.codebook import Codebook, codebook_from_dict
from survey_app.extensions import db
from survey_app.models.agreement import AgreementCoding, AgreementItem, AgreementSample
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CodebookVersion, ThemeCode
from survey_app.models.responses import Answer, Response
from survey_app.staff import bp, clock
from survey_app.staff.auth import DATA_ROLES, audit, campaign_for_user_or_404, deny, role_required, staff_user
from survey_app.staff.text_insights import campaign_codebook_for, free_text_questions, question_wording

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
    _, codebook = campaign_codebook_for(campaign.id)
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


def _codings(sample: AgreementSample) -> dict[int, dict[tuple[str, str], list[str]]]:
    out: dict[int, dict[tuple[str, str], list[str]]] = {}
    for c in db.session.scalars(select(AgreementCoding).where(AgreementCoding.sample_id == sample.id)):
        out.setdefault(c.analyst_id, {})[(c.response_id, c.question_key)] = list(c.themes)
    return out


def _text(item: AgreementItem) -> str:
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
    codings = _codings(sample)
    first, second = codings.get(sample.first_analyst_id or 0, {}), codings.get(sample.second_analyst_id, {})
    both = [
        item
        for item in sample.items
        if (item.response_id, item.question_key) in first and (item.response_id, item.question_key) in second
    ]
    keys = [(i.response_id, i.question_key) for i in both]
    report = agreement_report(
        [first[k] for k in keys], [second[k] for k in keys], [t.key for t in book.active_themes()]
    )
    disagreements = [
        Disagreement(both[i], _text(both[i]), sorted(first[keys[i]]), sorted(second[keys[i]]))
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
    codings = _codings(sample)
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


def _may_see_comparison(sample: AgreementSample, user_id: int) -> bool:
    """A participant sees the other's codes only once they have coded every answer themselves."""
    if user_id not in sample.analysts():
        return True
    mine = _codings(sample).get(user_id, {})
    return all((i.response_id, i.question_key) in mine for i in sample.items)


# ---- views -----------------------------------------------------------------------------------------


@bp.get("/campaigns/<int:campaign_id>/coding/agreement")
@role_required(*DATA_ROLES)
def agreement_samples(campaign_id: int) -> str:
    """The campaign's agreement samples, and the form to start one."""
    campaign = campaign_for_user_or_404(campaign_id)
    samples = list(
        db.session.scalars(
            select(AgreementSample)
            .where(AgreementSample.campaign_id == campaign.id)
            .order_by(AgreementSample.id.desc())
        )
    )
    counts = {s.id: {a: len(c) for a, c in _codings(s).items()} for s in samples}
    return render_template(
        "staff/free_text/agreement_list.html",
        campaign=campaign,
        samples=samples,
        counts=counts,
        questions=free_text_questions(campaign),
        wording=question_wording(campaign),
        default_size=DEFAULT_SIZE,
        max_size=MAX_SIZE,
    )


@bp.post("/campaigns/<int:campaign_id>/coding/agreement")
@role_required(*DATA_ROLES)
def agreement_start(campaign_id: int) -> WerkzeugResponse:
    """Start a new agreement sample of the size and questions chosen."""
    campaign = campaign_for_user_or_404(campaign_id)
    back = redirect(url_for("staff.agreement_samples", campaign_id=campaign.id))
    available = free_text_questions(campaign)
    questions = [q for q in request.form.getlist("question") if q in available]
    try:
        size = int(request.form.get("size", ""))
    except ValueError:
        size = 0
    if not questions or not 1 <= size <= MAX_SIZE:
        flash(_("Choose at least one question and a sample size from 1 to %(max)s.", max=MAX_SIZE), "error")
        return back
    sample = start_sample(campaign, size, questions, staff_user().id)
    audit("agreement_started", f"campaign:{campaign.id}", sample=sample.id, size=sample.size, questions=questions)
    flash(_("Sample started with %(n)s answers. Each analyst codes it on their own.", n=sample.size), "success")
    return redirect(url_for("staff.agreement_code", campaign_id=campaign.id, sample_id=sample.id))


@bp.get("/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/code")
@role_required(*DATA_ROLES)
def agreement_code(campaign_id: int, sample_id: int) -> str | WerkzeugResponse:
    """The next answer for this analyst to code blind: no suggestions, no colleague's codes."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    if user.id not in sample.analysts() and len(sample.analysts()) == 2:
        flash(_("Two analysts are already coding this sample. Start a new sample to take part."), "error")
        return redirect(url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id))
    mine = _codings(sample).get(user.id, {})
    skip = set(request.args.getlist("skip"))
    todo = [i for i in sample.items if (i.response_id, i.question_key) not in mine]
    item = next((i for i in todo if f"{i.response_id}:{i.question_key}" not in skip), None) or (
        todo[0] if todo else None
    )
    book = sample_codebook(sample)
    if item is None:
        return render_template("staff/free_text/agreement_code.html", campaign=campaign, sample=sample, item=None)
    audit("agreement_coding_viewed", f"response:{item.response_id}", sample=sample.id, question=item.question_key)
    answer_id = f"{item.response_id}:{item.question_key}"
    return render_template(
        "staff/free_text/agreement_code.html",
        campaign=campaign,
        sample=sample,
        item=item,
        text=_text(item),
        themes=book.active_themes(),
        done=len(mine),
        answer_id=answer_id,
        question=question_wording(campaign).get(item.question_key, ""),
        skip=sorted(skip | {answer_id}),
    )


@bp.post("/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/code")
@role_required(*DATA_ROLES)
def agreement_save(campaign_id: int, sample_id: int) -> WerkzeugResponse:
    """Save this analyst's themes for one sampled answer and go to the next."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    next_url = url_for("staff.agreement_code", campaign_id=campaign.id, sample_id=sample.id)
    response_id, _sep, question_key = request.form.get("answer", "").partition(":")
    item = next((i for i in sample.items if (i.response_id, i.question_key) == (response_id, question_key)), None)
    if item is None:
        flash(_("That answer is not in this sample. Here is the next one."), "error")
        return redirect(next_url)
    if user.id not in sample.analysts():
        if sample.first_analyst_id is None:
            sample.first_analyst_id = user.id
        elif sample.second_analyst_id is None:
            sample.second_analyst_id = user.id
        else:
            flash(_("Two analysts are already coding this sample. Start a new sample to take part."), "error")
            return redirect(url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id))
    book = sample_codebook(sample)
    chosen = sorted(set(request.form.getlist("theme")) & {t.key for t in book.active_themes()})
    coding = db.session.scalar(
        select(AgreementCoding).where(
            AgreementCoding.sample_id == sample.id,
            AgreementCoding.response_id == response_id,
            AgreementCoding.question_key == question_key,
            AgreementCoding.analyst_id == user.id,
        )
    )
    if coding is None:
        db.session.add(
            AgreementCoding(
                sample_id=sample.id,
                response_id=response_id,
                question_key=question_key,
                analyst_id=user.id,
                themes=chosen,
                coded_on=clock.today(),
            )
        )
    else:
        coding.themes, coding.coded_on = chosen, clock.today()
    db.session.flush()
    audit("agreement_coded", f"response:{response_id}", sample=sample.id, question=question_key, themes=chosen)
    flash(_("Saved: %(themes)s.", themes=", ".join(book[t].label for t in chosen) or _("no theme")), "success")
    return redirect(next_url)


@bp.get("/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>")
@role_required(*DATA_ROLES)
def agreement_sample(campaign_id: int, sample_id: int) -> str:
    """Per-theme agreement, overall alpha and the disagreements to resolve (once both may see them)."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    book = sample_codebook(sample)
    codings = _codings(sample)
    progress = [(analyst, len(codings.get(analyst, {}))) for analyst in sample.analysts()]
    visible = _may_see_comparison(sample, user.id)
    result = comparison(sample, book) if visible else None
    audit("agreement_viewed", f"campaign:{campaign.id}", sample=sample.id, compared=result is not None)
    labels = {t.key: t.label for t in book.all_themes()}
    agreed = len(agreed_unrecorded(sample, result[1])) if result else 0
    return render_template(
        "staff/free_text/agreement.html",
        campaign=campaign,
        sample=sample,
        book=book,
        agreed=agreed,
        labels=labels,
        progress=progress,
        visible=visible,
        user_id=user.id,
        report=result[0] if result else None,
        disagreements=result[1] if result else [],
        themes=book.active_themes(),
        wording=question_wording(campaign),
    )


@bp.post("/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/resolve")
@role_required(*DATA_ROLES)
def agreement_resolve(campaign_id: int, sample_id: int) -> WerkzeugResponse:
    """Record the agreed themes for a disagreement as reviewed codes (they train the coder like any review)."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    back = url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id)
    response_id, _sep, question_key = request.form.get("answer", "").partition(":")
    item = next((i for i in sample.items if (i.response_id, i.question_key) == (response_id, question_key)), None)
    if item is None or not _may_see_comparison(sample, user.id) or sample.second_analyst_id is None:
        flash(_("Choose a disagreement from this sample to resolve."), "error")
        return redirect(back)
    book = sample_codebook(sample)
    chosen = set(request.form.getlist("theme")) & {t.key for t in book.active_themes()}
    decided = record_decision(item, chosen, sample.codebook_version_id, user.id)
    db.session.flush()
    audit("agreement_resolved", f"response:{response_id}", sample=sample.id, question=question_key, **decided)
    flash(
        _("Resolved: %(themes)s.", themes=", ".join(book[t].label for t in sorted(chosen)) or _("no theme")), "success"
    )
    return redirect(f"{back}#disagreements")


@bp.post("/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/agreed")
@role_required(*DATA_ROLES)
def agreement_record_agreed(campaign_id: int, sample_id: int) -> WerkzeugResponse:
    """Record every answer both analysts coded alike as reviewed codes (two people agreeing is a good label)."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    back = url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id)
    result = comparison(sample, sample_codebook(sample)) if _may_see_comparison(sample, user.id) else None
    if result is None:
        flash(_("Both analysts need to have coded answers first."), "error")
        return redirect(back)
    first = _codings(sample).get(sample.first_analyst_id or 0, {})
    recorded = 0
    for item in agreed_unrecorded(sample, result[1]):
        record_decision(item, set(first[(item.response_id, item.question_key)]), sample.codebook_version_id, user.id)
        recorded += 1
    db.session.flush()
    audit("agreement_agreed_recorded", f"campaign:{campaign.id}", sample=sample.id, answers=recorded)
    flash(_("Recorded %(n)s agreed answers as reviewed codes.", n=recorded), "success")
    return redirect(back)
