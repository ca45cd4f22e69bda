"""The data a campaign holds: analysts' exports, earlier waves' figures, an administrator's full export,
and deleting a campaign with all its answers.

Views only choose and send: the export table is built by `analysis.exports` (no Flask), and the
figures are checked by `survey_app.staff.data.earlier_figures`.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from analysis.exports import FORMATS, build_table, write
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.responses import Response as SurveyResponse
from survey_app.staff import clock
from survey_app.staff.auth import (
    DATA_ROLES,
    audit,
    campaign_for_user_or_404,
    can_see_free_text,
    deny,
    role_required,
)
from survey_app.staff.data.earlier_figures import campaign_measures, import_figures, imported_figures, remove_year
from survey_app.staff.data.export import campaign_csv, campaign_json
from survey_app.staff.data.forms import DeleteCampaignForm, EarlierFiguresForm, RemoveYearForm
from survey_app.staff.data.retention import delete_campaign
from survey_app.staff.web import View, download

ADMIN = "administrator"
#: Most responses a page exports (10,000 take about 15 s of CPU for a workbook); larger ones use the command.
PAGE_EXPORT_LIMIT = 20_000


@role_required(ADMIN)
def campaign_export(campaign_id: int, fmt: str) -> Response:
    """All of the campaign's data as a download (audited)."""
    campaign = campaign_for_user_or_404(campaign_id)
    body = campaign_csv(campaign) if fmt == "csv" else campaign_json(campaign)
    audit("export", f"campaign:{campaign.id}", format=fmt, bytes=len(body.encode()))
    db.session.commit()
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(
        body,
        mimetype=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{campaign.slug}-{clock.today().isoformat()}.{fmt}"'},
    )


def _data_page(
    campaign: Campaign,
    *,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    more: int = 0,
    status: int = 200,
) -> View:
    page = render_template(
        "staff/data.html",
        campaign=campaign,
        may_see_original=can_see_free_text(),
        figures=imported_figures(campaign),
        measures=campaign_measures(campaign),
        errors=errors or {},
        problems=problems or [],
        more_problems=more,
    )
    return (page, status) if status != 200 else page


@role_required(*DATA_ROLES)
def campaign_data(campaign_id: int) -> View:
    """Exports for analysis, and an earlier wave's figures to compare with."""
    return _data_page(campaign_for_user_or_404(campaign_id))


@role_required(*DATA_ROLES)
def analyst_export(campaign_id: int, fmt: str) -> View:
    """One row per response, labelled, with weights and theme indicators (audited); free text redacted
    unless the original is asked for and the role may read it."""
    campaign = campaign_for_user_or_404(campaign_id)
    wants_original = request.args.get("text") == "original"
    if wants_original and not can_see_free_text():
        deny(403, "free text as typed is not for this role")
    responses = db.session.scalar(
        select(func.count()).select_from(SurveyResponse).where(SurveyResponse.campaign_id == campaign.id)
    )
    if (responses or 0) > PAGE_EXPORT_LIMIT:
        # Building this many rows takes longer than a page may (the server stops a request at 30 s):
        # say so and how, rather than let the request be cut off.
        return _data_page(
            campaign,
            errors={
                "text": f"This campaign has {responses:,} responses, more than a page can export "
                f"({PAGE_EXPORT_LIMIT:,}). Ask an administrator to run: flask --app wsgi data export "
                f"{campaign.slug} --format {fmt} --out FOLDER"
            },
            status=400,
        )
    table = build_table(db.engine, campaign.slug, original_text=wants_original)
    body = write(table, fmt)
    audit(
        "analyst_export",
        f"campaign:{campaign.id}",
        format=fmt,
        free_text="original" if wants_original else "redacted",
        responses=table.rows,
        variables=len(table.variables),
        bytes=len(body),
    )
    db.session.commit()
    extension, mimetype = FORMATS[fmt]
    return download(body, mimetype, f"{campaign.slug}-analysis-{clock.today().isoformat()}.{extension}")


@role_required(*DATA_ROLES)
def earlier_figures_import(campaign_id: int) -> View:
    """Check an earlier wave's figures row by row; import them only when every row is right (audited)."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = EarlierFiguresForm()
    if not form.validate_on_submit():
        return _data_page(campaign, errors=form.problems(), status=400)
    upload = form.file.data
    parsed = import_figures(campaign, upload.read(form.max_bytes + 1))
    if not parsed.ok:
        return _data_page(campaign, problems=parsed.problems, more=parsed.more_problems, status=400)
    years = sorted({f.year for f in parsed.figures})
    audit(
        "earlier_figures_imported",
        f"campaign:{campaign.id}",
        file=upload.filename or "upload",
        figures=len(parsed.figures),
        years=years,
    )
    db.session.commit()
    flash(f"Imported {len(parsed.figures)} figure(s) from {', '.join(map(str, years))}.", "success")
    return redirect(url_for("staff.campaign_data", campaign_id=campaign.id))


@role_required(*DATA_ROLES)
def earlier_figures_remove(campaign_id: int) -> View:
    """Remove one year's imported figures (audited)."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = RemoveYearForm()
    if not form.validate_on_submit() or form.year.data is None:
        return _data_page(campaign, errors=form.problems(), status=400)
    removed = remove_year(campaign, form.year.data)
    audit("earlier_figures_removed", f"campaign:{campaign.id}", year=form.year.data, figures=removed)
    db.session.commit()
    flash(f"Removed {removed} imported figure(s) from {form.year.data}.", "success")
    return redirect(url_for("staff.campaign_data", campaign_id=campaign.id))


@role_required(ADMIN)
def campaign_delete(campaign_id: int) -> View:
    """Delete a campaign and all its answers, after typing its short name to confirm."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = DeleteCampaignForm(campaign)
    if not form.is_submitted():
        return render_template("staff/campaign_delete.html", campaign=campaign, form={}, errors={})
    if not form.validate():
        return render_template(
            "staff/campaign_delete.html", campaign=campaign, form=form.values(), errors=form.problems()
        ), 400
    slug, name, cid = campaign.slug, campaign.name, campaign.id
    counts = delete_campaign(campaign)
    audit(
        "campaign_deleted",
        f"campaign:{cid}",
        slug=slug,
        responses=counts["responses"],
        drafts=counts["drafts"],
        collection_points=counts["collection_points"],
    )
    db.session.commit()
    flash(f"{name} and all its answers have been deleted.", "success")
    return redirect(url_for("staff.home"))


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/export.<any(csv, json):fmt>", view_func=campaign_export, methods=["GET"]
    )
    bp.add_url_rule("/campaigns/<int:campaign_id>/data", view_func=campaign_data, methods=["GET"])
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/data/export.<any(csv, xlsx, sav):fmt>", view_func=analyst_export, methods=["GET"]
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/data/earlier-figures", view_func=earlier_figures_import, methods=["POST"]
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/data/earlier-figures/remove", view_func=earlier_figures_remove, methods=["POST"]
    )
    bp.add_url_rule("/campaigns/<int:campaign_id>/delete", methods=["GET", "POST"], view_func=campaign_delete)
