"""The quote bank page: proposed quotes per theme, the lead's choices, and the CSV of chosen ones."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.text.records import DEFAULT_THRESHOLD
from survey_app.extensions import db
from survey_app.staff.auth import DASHBOARD_ROLES, audit, campaign_for_user_or_404, role_required, staff_user
from survey_app.staff.quotes.bank import chosen_csv, proposed, record_choice
from survey_app.staff.quotes.forms import QuoteChoiceForm
from survey_app.staff.web import download


@role_required(*DASHBOARD_ROLES)
def quote_bank(campaign_id: int) -> str:
    """Proposed quotes per theme, redacted and coarsely attributed, with use / don't use choices."""
    campaign = campaign_for_user_or_404(campaign_id)
    bank = proposed(campaign)
    audit(
        "quote_bank_viewed",
        f"campaign:{campaign.id}",
        themes=len(bank.themes),
        quotes=sum(len(t.rows) for t in bank.themes),
        redacted=bank.bank.redaction.as_dict()["removed"],
        dropped=len(bank.dropped),
    )
    chosen = sum(1 for t in bank.themes for r in t.rows if r.choice == "use")
    page = render_template(
        "staff/free_text/quote_bank.html",
        campaign=campaign,
        themes=bank.themes,
        skipped=bank.skipped,
        dropped=bank.dropped,
        chosen=chosen,
        threshold=DEFAULT_THRESHOLD,
    )
    db.session.commit()
    return page


@role_required(*DASHBOARD_ROLES)
def quote_choose(campaign_id: int) -> WerkzeugResponse:
    """Record "use" or "don't use" for one proposed quote (or clear the choice)."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = QuoteChoiceForm(proposed(campaign))
    target = url_for("staff.quote_bank", campaign_id=campaign.id)
    if not form.validate_on_submit() or form.choice_key is None:
        flash(form.problems().get("decision", ""), "error")
        return redirect(target)
    decision = form.decision.data or ""
    response_id, question_key, theme = form.choice_key
    record_choice(campaign, form.choice_key, decision, staff_user().id)
    audit("quote_chosen", f"response:{response_id}", question=question_key, theme=theme, decision=decision)
    db.session.commit()
    flash(
        {"use": _("Marked to use."), "dont_use": _("Marked not to use."), "clear": _("Choice cleared.")}[decision],
        "success",
    )
    return redirect(f"{target}#theme-{theme}")


@role_required(*DASHBOARD_ROLES)
def quote_bank_csv(campaign_id: int) -> WerkzeugResponse:
    """The quotes marked "use", as CSV (redacted, attributed, formula-safe)."""
    campaign = campaign_for_user_or_404(campaign_id)
    body, count = chosen_csv(proposed(campaign).themes)
    audit("quote_bank_downloaded", f"campaign:{campaign.id}", quotes=count, format="csv")
    db.session.commit()
    return download(body, "text/csv", f"{campaign.slug}-quotes.csv")


def register(bp: Blueprint) -> None:
    """Add the quote bank pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/quotes", view_func=quote_bank, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/quotes/choice", view_func=quote_choose, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/quotes.csv", view_func=quote_bank_csv, methods=["GET"])
