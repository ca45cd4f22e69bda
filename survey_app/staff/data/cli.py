"""`flask data import-wave SLUG FILE`: an earlier wave's headline figures from a CSV, as the staff form does."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from analysis.waves import MAX_BYTES
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.staff.auth import audit
from survey_app.staff.data.earlier_figures import import_figures

data_cli = AppGroup("data", help="The data a campaign holds: earlier waves' figures.")


@data_cli.command("import-wave")
@click.argument("campaign_slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_wave_command(campaign_slug: str, csv_file: Path) -> None:
    """Import an earlier wave's headline figures (columns measure, audience, numerator, base, year, and
    optionally label and source) so findings compare with them; audited. Nothing is imported while any
    row is wrong."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.ClickException(f"no campaign has the short name {campaign_slug!r}")
    with csv_file.open("rb") as f:
        raw = f.read(MAX_BYTES + 1)  # a larger file is refused without reading it all
    parsed = import_figures(campaign, raw)
    if not parsed.ok:
        for problem in parsed.problems:
            click.echo(problem, err=True)
        if parsed.more_problems:
            click.echo(f"... and {parsed.more_problems} more problem(s).", err=True)
        raise click.ClickException(f"{csv_file.name}: nothing was imported; correct the rows above and try again.")
    years = sorted({f.year for f in parsed.figures})
    audit(
        "earlier_figures_imported",
        f"campaign:{campaign.id}",
        actor_email="command line",
        partnership_id=campaign.partnership_id,
        file=csv_file.name,
        figures=len(parsed.figures),
        years=years,
    )
    db.session.commit()
    click.echo(f"Imported {len(parsed.figures)} figure(s) from {', '.join(map(str, years))} into {campaign.slug}.")
