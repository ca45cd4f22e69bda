"""`flask reports build`: a campaign's findings report, one file per format, from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from analysis.report.build import ReportSpec
from analysis.report.cli import build_files
from analysis.report.render import FORMATS
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.reports import SavedReport
from survey_app.staff import clock
from survey_app.staff.reports import service

reports_cli = AppGroup("reports", help="Build findings reports.")


def _formats(value: str) -> list[str]:
    formats = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}: choose from {', '.join(FORMATS)}")
    return formats


@reports_cli.command("build")
@click.argument("campaign_slug")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, help="Comma-separated formats.")
@click.option("--compare-with", default=None, help="An earlier campaign's slug.")
@click.option("--report", "report_id", type=int, default=None, help="Use a saved report's choices and words.")
def build_command(campaign_slug: str, out: Path, formats: str, compare_with: str | None, report_id: int | None) -> None:
    """Build CAMPAIGN_SLUG's findings report and write one file per format into --out."""
    chosen = _formats(formats)
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.ClickException(f"no campaign has the slug '{campaign_slug}'")
    spec = ReportSpec(
        data_date=clock.today().isoformat(), organisation=service.partnership_name(campaign.partnership_id)
    )
    if report_id is not None:
        saved = db.session.get(SavedReport, report_id)
        if saved is None or saved.campaign_id != campaign.id:
            raise click.ClickException(f"report {report_id} is not a report of {campaign_slug}")
        spec = service.spec_of(saved)
        earlier = db.session.get(Campaign, saved.earlier_campaign_id) if saved.earlier_campaign_id else None
        compare_with = compare_with or (earlier.slug if earlier else None)
    url = db.engine.url.render_as_string(hide_password=False)
    with click.progressbar(length=2 + len(chosen), label="Building the report", file=sys.stderr) as bar:

        def progress(step: str) -> None:
            bar.label = step
            bar.update(1)

        paths = build_files(url, campaign_slug, out, chosen, spec, compare_with, progress)
    for path in paths:
        click.echo(str(path))
