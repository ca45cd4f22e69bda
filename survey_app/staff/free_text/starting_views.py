"""The starting-model page: begin a campaign's coder from earlier campaigns or the public set.

Analysts and administrators only (like the coding pages). The page shows counts and theme names,
never another campaign's answers; every choice, and stopping one, is audited with ids and counts.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectMultipleField, StringField

from analysis.coding.transfer import CHECK_AFTER
from survey_app import jobs
from survey_app.extensions import db
from survey_app.staff.auth import DATA_ROLES, audit, role_required, staff_user
from survey_app.staff.forms import StaffForm
from survey_app.staff.free_text import starting
from survey_app.staff.free_text.coding import latest_model, thresholds_for
from survey_app.staff.free_text.pages import campaign_and_codebook, refused, saved

PAGE = "staff.coding_starting"


class StartingForm(StaffForm):
    """Which starting answers: "campaigns" (with the campaigns ticked) or "public"."""

    source = StringField("Source")
    campaign = SelectMultipleField("Earlier campaigns", validate_choice=False)

    def campaign_ids(self) -> list[int]:
        """The ticked campaigns' ids (anything that is not a number is ignored)."""
        return sorted({int(v) for v in self.campaign.data or [] if str(v).isdigit()})


@role_required(*DATA_ROLES)
def coding_starting(campaign_id: int) -> str:
    """The choice of starting model, and how well the one in use is expected to do."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    choice = starting.in_use(campaign.id)
    expected, measured = starting.statement(campaign.id)
    model = latest_model(campaign.id, row.id)
    held = bool(
        choice and model and (model.metrics or {}).get("starting") and thresholds_for(campaign.id, row.id, book).held
    )
    public_path = starting.public_set_path(current_app)
    page = render_template(
        "staff/coding/starting.html",
        campaign=campaign,
        book=book,
        labels={t.key: t.label for t in book.all_themes()},
        choice=choice,
        expected=expected,
        measured=measured,
        held=held,
        check_after=CHECK_AFTER,
        reviewed=starting.own_reviewed(campaign.id),
        offer_below=starting.OFFER_BELOW,
        earlier=starting.earlier_campaigns(campaign, book),
        public_themes=starting.public_themes(book) if public_path.exists() else [],
        job=jobs.latest(starting.STARTING_JOB, f"campaign:{campaign.id}"),
        source_names=_source_names(choice),
    )
    db.session.commit()  # the shipped codebook is stored the first time a campaign uses it
    return page


def _source_names(choice: starting.StartingModel | None) -> list[str]:
    from survey_app.models.campaigns import Campaign

    if choice is None or not choice.source_campaign_ids:
        return []
    return [c.name for c in db.session.query(Campaign).filter(Campaign.id.in_(choice.source_campaign_ids))]


@role_required(*DATA_ROLES)
def coding_starting_choose(campaign_id: int) -> WerkzeugResponse:
    """Choose a starting model and queue its training (any worker runs it; the page reports on it)."""
    campaign, book, _ = campaign_and_codebook(campaign_id)
    form = StartingForm()
    form.validate()
    source, ids = form.source.data or "", form.campaign_ids()
    if starting.own_reviewed(campaign.id) >= starting.OFFER_BELOW:
        return refused(campaign, PAGE, "This campaign has enough reviewed answers of its own: retrain instead.")
    if source == "campaigns":
        usable = {e.campaign.id for e in starting.earlier_campaigns(campaign, book) if e.compatible}
        if not ids or not set(ids) <= usable:
            return refused(campaign, PAGE, "Choose one or more of the earlier campaigns that can be used.")
    elif source == "public":
        if not starting.public_set_path(current_app).exists() or not starting.public_themes(book):
            return refused(campaign, PAGE, "The public set cannot be used for this codebook on this server.")
        ids = []
    else:
        return refused(campaign, PAGE, "Choose where the starting model learns from.")
    choice = starting.choose(campaign, book, source, ids, staff_user().id)
    job = jobs.enqueue(
        starting.STARTING_JOB, f"campaign:{campaign.id}", {"campaign_id": campaign.id, "choice_id": choice.id}
    )
    audit(
        "coding_starting_chosen",
        f"campaign:{campaign.id}",
        source=source,
        campaigns=ids,
        themes=len(choice.themes),
        missing=choice.missing_themes,
        job=job.id,
    )
    db.session.commit()  # this request's unit of work ends here; the job owns its own
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy hides the real app
    if app.config["CODING_RETRAIN_INLINE"]:
        jobs.run_one(app, only=job.id)
        return saved(campaign, PAGE, "The starting model is trained: its suggestions wait for review.")
    return saved(campaign, PAGE, "Training the starting model has been queued: this page shows how it is going.")


@role_required(*DATA_ROLES)
def coding_starting_stop(campaign_id: int) -> WerkzeugResponse:
    """Stop using the starting model: the next retraining learns from this campaign's answers only."""
    campaign, _, _ = campaign_and_codebook(campaign_id)
    choice = starting.stop(campaign.id)
    if choice is None:
        return refused(campaign, PAGE, "No starting model is in use.")
    audit("coding_starting_stopped", f"campaign:{campaign.id}", source=choice.source, choice=choice.id)
    return saved(
        campaign,
        PAGE,
        "Stopped. Retrain the coder on the coding page: it will learn from this campaign's answers only.",
    )


def register(bp: Blueprint) -> None:
    """Add the starting-model page to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/starting", view_func=coding_starting, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/coding/starting", view_func=coding_starting_choose, methods=["POST"])
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/coding/starting/stop", view_func=coding_starting_stop, methods=["POST"]
    )
