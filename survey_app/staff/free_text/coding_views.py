"""Theme coding pages: how far coding has got, the threshold, retraining, and the review screen."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app import jobs
from survey_app.extensions import db
from survey_app.staff.auth import DATA_ROLES, audit, role_required, staff_user
from survey_app.staff.free_text.coding import (
    MIN_TO_TRAIN,
    RETRAIN_JOB,
    code_answers,
    coder_problem,
    codes_by_answer,
    coding_counts,
    latest_model,
    outdated_model,
    queued_answer,
    record_review,
    review_queue,
    set_threshold,
    threshold_for,
    training_data,
)
from survey_app.staff.free_text.forms import AnswerThemesForm, ThresholdForm
from survey_app.staff.free_text.pages import campaign_and_codebook, refused, saved
from survey_app.staff.free_text.progress import working_progress

OVERVIEW = "staff.coding_overview"
REVIEW = "staff.coding_review"


@role_required(*DATA_ROLES)
def coding_overview(campaign_id: int) -> str:
    """How far coding has got, the auto-apply threshold, and the buttons to code, review and retrain."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    threshold = threshold_for(campaign.id, row.id)
    page = render_template(
        "staff/coding/overview.html",
        campaign=campaign,
        book=book,
        codebook=row,
        threshold=threshold,
        model=latest_model(campaign.id, row.id),
        counts=coding_counts(campaign.id, row.id, threshold),
        progress=working_progress(campaign.id),
        min_to_train=MIN_TO_TRAIN,
        outdated=outdated_model(campaign.id, row.id),
        retraining=jobs.latest(RETRAIN_JOB, f"campaign:{campaign.id}"),
        coder_problem=coder_problem(campaign.id, row.id),
    )
    db.session.commit()  # the shipped codebook is stored the first time a campaign uses it
    return page


@role_required(*DATA_ROLES)
def coding_run(campaign_id: int) -> WerkzeugResponse:
    """Code every answer not yet reviewed."""
    campaign, _, _ = campaign_and_codebook(campaign_id)
    done = code_answers(current_app._get_current_object(), campaign.id)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit("coding_run", f"campaign:{campaign.id}", answers=done)
    return saved(campaign, OVERVIEW, f"Coded {done} answers.")


@role_required(*DATA_ROLES)
def coding_threshold(campaign_id: int) -> WerkzeugResponse:
    """Set the confidence at or above which codes are applied without review."""
    campaign, _, _ = campaign_and_codebook(campaign_id)
    form = ThresholdForm()
    if not form.validate():
        return refused(campaign, OVERVIEW, form.problems()["threshold"])
    value = form.value
    set_threshold(current_app._get_current_object(), campaign.id, value)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit("coding_threshold", f"campaign:{campaign.id}", threshold=value)
    return saved(campaign, OVERVIEW, f"Codes at or above {value:.0%} confidence are now applied without review.")


@role_required(*DATA_ROLES)
def coding_retrain(campaign_id: int) -> WerkzeugResponse:
    """Queue a retraining job (any worker on any server runs it; this page reports on it)."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    texts, _ = training_data(campaign.id, row.id, book)
    if len(texts) < MIN_TO_TRAIN:
        return refused(campaign, OVERVIEW, f"Review at least {MIN_TO_TRAIN} answers first ({len(texts)} so far).")
    job = jobs.enqueue(RETRAIN_JOB, f"campaign:{campaign.id}", {"campaign_id": campaign.id})
    audit("coding_retrain_started", f"campaign:{campaign.id}", answers=len(texts), job=job.id)
    db.session.commit()  # this request's unit of work ends here; the job owns its own
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy hides the real app
    if app.config["CODING_RETRAIN_INLINE"]:
        jobs.run_one(app, only=job.id)
        return saved(campaign, OVERVIEW, "Retrained: unreviewed answers have been recoded.")
    return saved(
        campaign, OVERVIEW, "Retraining has been queued: this page shows how it is going. It usually takes a minute."
    )


@role_required(*DATA_ROLES)
def coding_review(campaign_id: int) -> str:
    """One answer from the queue (the most uncertain, or the one named), with its suggested themes."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    threshold = threshold_for(campaign.id, row.id)
    queue = review_queue(campaign.id, row.id, threshold)
    skip = set(request.args.getlist("skip"))
    wanted = request.args.get("answer", "")
    item = next((i for i in queue if f"{i.response_id}:{i.question_key}" == wanted), None) or next(
        (i for i in queue if f"{i.response_id}:{i.question_key}" not in skip), None
    )
    if item is None:
        page = render_template("staff/coding/review.html", campaign=campaign, item=None, queue_length=0)
        db.session.commit()
        return page
    codes = {
        c.theme_key: c for c in codes_by_answer(campaign.id, row.id).get((item.response_id, item.question_key), [])
    }
    themes = sorted(book.active_themes(), key=lambda t: (-(codes[t.key].confidence if t.key in codes else -1), t.label))
    audit("coding_review_viewed", f"response:{item.response_id}", question=item.question_key)
    page = render_template(
        "staff/coding/review.html",
        campaign=campaign,
        item=item,
        answer=queued_answer(item),
        themes=themes,
        codes=codes,
        threshold=threshold,
        queue_length=len(queue),
        skip=sorted(skip),
        answer_id=f"{item.response_id}:{item.question_key}",
    )
    db.session.commit()
    return page


@role_required(*DATA_ROLES)
def coding_decide(campaign_id: int) -> WerkzeugResponse:
    """Record the reviewer's themes for one answer: ticked suggestions accepted, the rest rejected, new ones added."""
    campaign, book, _ = campaign_and_codebook(campaign_id)
    form = AnswerThemesForm()
    response_id, question_key = form.answer_key
    chosen = form.chosen(set(book.keys()))
    decided = record_review(campaign.id, response_id, question_key, chosen, staff_user().id)
    if decided is None:
        return refused(campaign, REVIEW, "That answer is not waiting for review. Here is the next one.")
    audit("coding_reviewed", f"response:{response_id}", question=question_key, **decided)
    return saved(campaign, REVIEW, "Saved: " + (", ".join(book[t].label for t in sorted(chosen)) or "no theme") + ".")


def register(bp: Blueprint) -> None:
    """Add the theme coding pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding", view_func=coding_overview, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/run", view_func=coding_run, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/threshold", view_func=coding_threshold, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/retrain", view_func=coding_retrain, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/review", view_func=coding_review, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/review", view_func=coding_decide, methods=["POST"])
