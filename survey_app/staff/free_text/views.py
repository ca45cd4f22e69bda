"""A campaign's free-text pages: the links between them, and each page's routes."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey_app.staff.auth import DASHBOARD_ROLES, DATA_ROLES
from survey_app.staff.free_text import agreement_views, codebook_views, coding_views, insights_views, starting_views

#: A campaign's free-text pages, and who may open each: the raw-text pages for analysts and
#: administrators only; the redacted quote bank and the aggregates for the communications lead too.
FREE_TEXT_LINKS = (
    ("staff.coding_overview", _l("Theme coding"), DATA_ROLES),
    ("staff.codebook_overview", _l("Codebook"), DATA_ROLES),
    ("staff.agreement_samples", _l("Coding agreement"), DATA_ROLES),
    ("staff.quote_bank", _l("Quote bank"), DASHBOARD_ROLES),
    ("staff.text_insights", _l("Free text at a glance"), DASHBOARD_ROLES),
)


def free_text_links(campaign_id: int) -> list[tuple[str, str, str]]:
    """(endpoint, URL, label) of the campaign's free-text pages the signed-in user may open."""
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, url_for(endpoint, campaign_id=campaign_id), str(label))
        for endpoint, label, roles in FREE_TEXT_LINKS
        if current_user.role in roles
    ]


def register(bp: Blueprint) -> None:
    """Add the free-text pages to the staff blueprint (its template helper is added in workspace.py)."""
    coding_views.register(bp)
    codebook_views.register(bp)
    agreement_views.register(bp)
    insights_views.register(bp)
    starting_views.register(bp)
