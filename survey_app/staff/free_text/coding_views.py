"""Theme coding pages: how far coding has got, the threshold, retraining, and the review screen."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.coding.auto_apply import DEFAULT_THRESHOLD, curve_of
from analysis.coding.automation import MIN_APPLIED, TARGET_CHOICES, theme_point
from analysis.coding.codebook import Codebook
from survey_app import jobs
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CodebookVersion
from survey_app.staff.auth import DATA_ROLES, audit, role_required, staff_user
from survey_app.staff.free_text.automation_chart import automation_view
from survey_app.staff.free_text.coding import (
    choice_for,
    code_answers,
    coder_problem,
    codes_by_answer,
    coding_counts,
    latest_model,
    outdated_model,
    question_text,
    queued_answer,
    record_review,
    review_queue,
    set_threshold,
    thresholds_for,
)
from survey_app.staff.free_text.forms import (
    AnswerThemesForm,
    TargetPrecisionForm,
    ThemeThresholdsForm,
    ThresholdForm,
)
from survey_app.staff.free_text.pages import campaign_and_codebook, refused, saved
from survey_app.staff.free_text.progress import working_progress
from survey_app.staff.free_text.thresholds import theme_rows
from survey_app.staff.free_text.training import MIN_TO_TRAIN, RETRAIN_JOB, training_data

OVERVIEW = "staff.coding_overview"
REVIEW = "staff.coding_review"


def _overview(
    campaign: Campaign,
    book: Codebook,
    row: CodebookVersion,
    target_form: TargetPrecisionForm | None = None,
    theme_form: ThemeThresholdsForm | None = None,
    threshold_form: ThresholdForm | None = None,
) -> str:
    thresholds = thresholds_for(campaign.id, row.id, book)
    choice = choice_for(campaign.id, row.id)
    model = latest_model(campaign.id, row.id)
    curve = curve_of(model)
    page = render_template(
        "staff/coding/overview.html",
        campaign=campaign,
        book=book,
        codebook=row,
        # the one confidence the analyst set, shown in its own form (themes may have their own)
        threshold=choice.auto_apply_threshold if choice else DEFAULT_THRESHOLD,
        model=model,
        counts=coding_counts(campaign.id, row.id, thresholds),
        choice=choice,
        curve=curve,
        automation=automation_view(curve, choice, thresholds, book) if curve else None,
        theme_rows=theme_rows(book, choice, curve, thresholds),
        target_form=target_form,
        theme_form=theme_form,
        threshold_form=threshold_form,
        progress=working_progress(campaign.id),
        min_to_train=MIN_TO_TRAIN,
        outdated=outdated_model(campaign.id, row.id),
        retraining=jobs.latest(RETRAIN_JOB, f"campaign:{campaign.id}"),
        coder_problem=coder_problem(campaign.id, row.id),
    )
    db.session.commit()  # the shipped codebook is stored the first time a campaign uses it
    return page


@role_required(*DATA_ROLES)
def coding_overview(campaign_id: int) -> str:
    """How far coding has got, when codes apply without review, and the buttons to code, review and retrain."""
    return _overview(*campaign_and_codebook(campaign_id))


@role_required(*DATA_ROLES)
def coding_run(campaign_id: int) -> WerkzeugResponse:
    """Code every answer not yet reviewed."""
    campaign, _, _ = campaign_and_codebook(campaign_id)
    done = code_answers(current_app._get_current_object(), campaign.id)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit("coding_run", f"campaign:{campaign.id}", answers=done)
    return saved(campaign, OVERVIEW, f"Coded {done:,} answers.")


@role_required(*DATA_ROLES)
def coding_threshold(campaign_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Set the confidence at or above which codes are applied without review."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    form = ThresholdForm()
    if not form.validate():
        return _overview(campaign, book, row, threshold_form=form), 400
    value = form.value
    set_threshold(current_app._get_current_object(), campaign.id, value)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit("coding_threshold", f"campaign:{campaign.id}", threshold=value)
    return saved(campaign, OVERVIEW, f"Codes at or above {value:.0%} confidence are now applied without review.")


@role_required(*DATA_ROLES)
def coding_target(campaign_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Choose the precision automatic codes should reach: each theme's confidence follows the curve."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    form = TargetPrecisionForm(TARGET_CHOICES)
    if not form.validate():
        return _overview(campaign, book, row, target_form=form), 400
    if form.value is not None and curve_of(latest_model(campaign.id, row.id)) is None:
        return refused(campaign, OVERVIEW, "Train the coder first: a target needs its curve.", "#automation")
    set_threshold(current_app._get_current_object(), campaign.id, target=form.value)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit("coding_target_precision", f"campaign:{campaign.id}", target=form.value)
    if form.value is None:
        return saved(campaign, OVERVIEW, "Every theme now uses the one confidence below.", "#automation")
    return saved(
        campaign,
        OVERVIEW,
        f"Each theme's confidence now follows the curve to reach {form.value:.0%} precision.",
        "#automation",
    )


@role_required(*DATA_ROLES)
def coding_theme_thresholds(campaign_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Set or clear a confidence for single themes (empty: the theme follows the target or the one confidence)."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    keys = [t.key for t in book.active_themes()]
    form = ThemeThresholdsForm.for_themes(keys)
    if not form.validate():
        return _overview(campaign, book, row, theme_form=form), 400
    choice = choice_for(campaign.id, row.id)
    before = dict(choice.theme_thresholds or {}) if choice else {}
    curve = curve_of(latest_model(campaign.id, row.id))
    after: dict[str, Any] = {}
    for key in keys:
        value = form.confidence(key)
        if value is None:
            continue
        kept = before.get(key)
        if isinstance(kept, dict) and kept.get("confidence") == value:
            after[key] = kept  # unchanged: keep what the curve promised when it was set
            continue
        point = theme_point(curve, key, value) if curve else None
        expected = point["precision"] if point and point["codes"] >= MIN_APPLIED else None
        after[key] = {"confidence": value, "expected": expected}
    changed = {k: v["confidence"] for k, v in after.items() if before.get(k) != v}
    cleared = sorted(set(before) - set(after))
    set_threshold(current_app._get_current_object(), campaign.id, themes=after)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit("coding_theme_thresholds", f"campaign:{campaign.id}", set=changed, cleared=cleared)
    return saved(campaign, OVERVIEW, f"Saved: {len(after)} themes with a confidence of their own.", "#themes")


@role_required(*DATA_ROLES)
def coding_retrain(campaign_id: int) -> WerkzeugResponse:
    """Queue a retraining job (any worker on any server runs it; this page reports on it)."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    reviewed = len(training_data(campaign.id, row.id, book))
    if reviewed < MIN_TO_TRAIN:
        return refused(campaign, OVERVIEW, f"Review at least {MIN_TO_TRAIN:,} answers first ({reviewed:,} so far).")
    job = jobs.enqueue(RETRAIN_JOB, f"campaign:{campaign.id}", {"campaign_id": campaign.id})
    audit("coding_retrain_started", f"campaign:{campaign.id}", answers=reviewed, job=job.id)
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
    """One answer from the queue (the one that teaches the coder most, or the one named), with its suggested themes."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    queue = review_queue(campaign.id, row.id, thresholds_for(campaign.id, row.id, book))
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
    answer = queued_answer(item)
    page = render_template(
        "staff/coding/review.html",
        campaign=campaign,
        item=item,
        answer=answer,
        question=question_text(answer),
        themes=themes,
        codes=codes,
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
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/target", view_func=coding_target, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/themes", view_func=coding_theme_thresholds, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/retrain", view_func=coding_retrain, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/review", view_func=coding_review, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/review", view_func=coding_decide, methods=["POST"])
