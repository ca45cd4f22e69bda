"""What every free-text page starts and ends with: the campaign and its codebook, then commit, flash
and go back."""

from __future__ import annotations

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.coding.codebook import Codebook
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CodebookVersion
from survey_app.staff.auth import campaign_for_user_or_404
from survey_app.staff.free_text.coding import campaign_codebook


def campaign_and_codebook(campaign_id: int) -> tuple[Campaign, Codebook, CodebookVersion]:
    """The campaign (404, audited, unless the signed-in user may open it) and its current codebook."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, row = campaign_codebook(campaign.id)
    return campaign, book, row


def saved(campaign: Campaign, endpoint: str, message: str, anchor: str = "") -> WerkzeugResponse:
    """The end of a form that changed something: commit the view's work, say so, go back to the page."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, campaign_id=campaign.id) + anchor)


def refused(campaign: Campaign, endpoint: str, message: str, anchor: str = "") -> WerkzeugResponse:
    """The end of a form that changed nothing: say why and go back (nothing to commit)."""
    flash(message, "error")
    return redirect(url_for(endpoint, campaign_id=campaign.id) + anchor)
