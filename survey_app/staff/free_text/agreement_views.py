"""Agreement pages: start a sample, code it blind, compare, resolve disagreements."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.extensions import db
from survey_app.staff.auth import DATA_ROLES, audit, campaign_for_user_or_404, role_required, staff_user
from survey_app.staff.free_text.agreement import (
    DEFAULT_SIZE,
    MAX_SIZE,
    agreed_unrecorded,
    answer_text,
    codings_by_analyst,
    comparison,
    join_sample,
    may_see_comparison,
    record_agreed,
    record_decision,
    sample_codebook,
    sample_for_campaign_or_404,
    samples_of,
    save_coding,
    start_sample,
)
from survey_app.staff.free_text.forms import AgreementStartForm, AnswerThemesForm
from survey_app.staff.free_text.insights import free_text_questions, question_wording


@role_required(*DATA_ROLES)
def agreement_samples(campaign_id: int) -> str:
    """The campaign's agreement samples, and the form to start one."""
    campaign = campaign_for_user_or_404(campaign_id)
    samples = samples_of(campaign)
    counts = {s.id: {a: len(c) for a, c in codings_by_analyst(s).items()} for s in samples}
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


@role_required(*DATA_ROLES)
def agreement_start(campaign_id: int) -> WerkzeugResponse:
    """Start a new agreement sample of the size and questions chosen."""
    campaign = campaign_for_user_or_404(campaign_id)
    back = redirect(url_for("staff.agreement_samples", campaign_id=campaign.id))
    form = AgreementStartForm(free_text_questions(campaign), MAX_SIZE)
    if not form.validate():
        flash(form.message, "error")
        return back
    questions, size = form.questions, form.sample_size
    sample = start_sample(campaign, size, questions, staff_user().id)
    audit("agreement_started", f"campaign:{campaign.id}", sample=sample.id, size=sample.size, questions=questions)
    db.session.commit()
    flash(_("Sample started with %(n)s answers. Each analyst codes it on their own.", n=sample.size), "success")
    return redirect(url_for("staff.agreement_code", campaign_id=campaign.id, sample_id=sample.id))


@role_required(*DATA_ROLES)
def agreement_code(campaign_id: int, sample_id: int) -> str | WerkzeugResponse:
    """The next answer for this analyst to code blind: no suggestions, no colleague's codes."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    if user.id not in sample.analysts() and len(sample.analysts()) == 2:
        flash(_("Two analysts are already coding this sample. Start a new sample to take part."), "error")
        return redirect(url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id))
    mine = codings_by_analyst(sample).get(user.id, {})
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
    page = render_template(
        "staff/free_text/agreement_code.html",
        campaign=campaign,
        sample=sample,
        item=item,
        text=answer_text(item),
        themes=book.active_themes(),
        done=len(mine),
        answer_id=answer_id,
        question=question_wording(campaign).get(item.question_key, ""),
        skip=sorted(skip | {answer_id}),
    )
    db.session.commit()
    return page


@role_required(*DATA_ROLES)
def agreement_save(campaign_id: int, sample_id: int) -> WerkzeugResponse:
    """Save this analyst's themes for one sampled answer and go to the next."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    next_url = url_for("staff.agreement_code", campaign_id=campaign.id, sample_id=sample.id)
    form = AnswerThemesForm()
    response_id, question_key = form.answer_key
    item = next((i for i in sample.items if (i.response_id, i.question_key) == (response_id, question_key)), None)
    if item is None:
        flash(_("That answer is not in this sample. Here is the next one."), "error")
        return redirect(next_url)
    if not join_sample(sample, user.id):
        flash(_("Two analysts are already coding this sample. Start a new sample to take part."), "error")
        return redirect(url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id))
    book = sample_codebook(sample)
    chosen = sorted(form.chosen({t.key for t in book.active_themes()}))
    save_coding(sample, item, user.id, chosen)
    audit("agreement_coded", f"response:{response_id}", sample=sample.id, question=question_key, themes=chosen)
    db.session.commit()
    flash(_("Saved: %(themes)s.", themes=", ".join(book[t].label for t in chosen) or _("no theme")), "success")
    return redirect(next_url)


@role_required(*DATA_ROLES)
def agreement_sample(campaign_id: int, sample_id: int) -> str:
    """Per-theme agreement, overall alpha and the disagreements to resolve (once both may see them)."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    book = sample_codebook(sample)
    codings = codings_by_analyst(sample)
    progress = [(analyst, len(codings.get(analyst, {}))) for analyst in sample.analysts()]
    visible = may_see_comparison(sample, user.id)
    result = comparison(sample, book) if visible else None
    audit("agreement_viewed", f"campaign:{campaign.id}", sample=sample.id, compared=result is not None)
    labels = {t.key: t.label for t in book.all_themes()}
    agreed = len(agreed_unrecorded(sample, result[1])) if result else 0
    page = render_template(
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
    db.session.commit()
    return page


@role_required(*DATA_ROLES)
def agreement_resolve(campaign_id: int, sample_id: int) -> WerkzeugResponse:
    """Record the agreed themes for a disagreement as reviewed codes (they train the coder like any review)."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    back = url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id)
    form = AnswerThemesForm()
    response_id, question_key = form.answer_key
    item = next((i for i in sample.items if (i.response_id, i.question_key) == (response_id, question_key)), None)
    if item is None or not may_see_comparison(sample, user.id) or sample.second_analyst_id is None:
        flash(_("Choose a disagreement from this sample to resolve."), "error")
        return redirect(back)
    book = sample_codebook(sample)
    chosen = form.chosen({t.key for t in book.active_themes()})
    decided = record_decision(item, chosen, sample.codebook_version_id, user.id)
    audit("agreement_resolved", f"response:{response_id}", sample=sample.id, question=question_key, **decided)
    db.session.commit()
    flash(
        _("Resolved: %(themes)s.", themes=", ".join(book[t].label for t in sorted(chosen)) or _("no theme")), "success"
    )
    return redirect(f"{back}#disagreements")


@role_required(*DATA_ROLES)
def agreement_record_agreed(campaign_id: int, sample_id: int) -> WerkzeugResponse:
    """Record every answer both analysts coded alike as reviewed codes (two people agreeing is a good label)."""
    campaign = campaign_for_user_or_404(campaign_id)
    sample = sample_for_campaign_or_404(campaign, sample_id)
    user = staff_user()
    back = url_for("staff.agreement_sample", campaign_id=campaign.id, sample_id=sample.id)
    result = comparison(sample, sample_codebook(sample)) if may_see_comparison(sample, user.id) else None
    if result is None:
        flash(_("Both analysts need to have coded answers first."), "error")
        return redirect(back)
    recorded = record_agreed(sample, result[1], user.id)
    audit("agreement_agreed_recorded", f"campaign:{campaign.id}", sample=sample.id, answers=recorded)
    db.session.commit()
    flash(_("Recorded %(n)s agreed answers as reviewed codes.", n=recorded), "success")
    return redirect(back)


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/agreement", view_func=agreement_samples, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/agreement", view_func=agreement_start, methods=["POST"])
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/code", view_func=agreement_code, methods=["GET"]
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/code", view_func=agreement_save, methods=["POST"]
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>", view_func=agreement_sample, methods=["GET"]
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/resolve",
        view_func=agreement_resolve,
        methods=["POST"],
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/coding/agreement/<int:sample_id>/agreed",
        view_func=agreement_record_agreed,
        methods=["POST"],
    )
