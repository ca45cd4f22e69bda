"""`flask data import-wave SLUG FILE` (an earlier wave's headline figures, as the staff form imports them) and
`flask data export SLUG --out DIR` (the analysts' export, for campaigns too large for a page)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from analysis.exports import FORMATS, build_table, write
from analysis.waves import MAX_BYTES
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.staff import clock
from survey_app.staff.auth import audit
from survey_app.staff.data.earlier_figures import import_figures

data_cli = AppGroup("data", help="The data a campaign holds: analysts' exports and earlier waves' figures.")


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


@data_cli.command("export")
@click.argument("campaign_slug")
@click.option(
    "--format", "formats", default="csv,xlsx,sav", show_default=True, help="Any of csv, xlsx, sav, comma-separated."
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--original-text", is_flag=True, help="Free text as typed (not redacted): keep the file safe.")
def export_command(campaign_slug: str, formats: str, out_dir: Path, original_text: bool) -> None:
    """The analysts' export (one labelled row per response, weights, themes), for campaigns too large
    to export from a page; audited."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.ClickException(f"no campaign has the short name {campaign_slug!r}")
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise click.ClickException(f"unknown format(s) {', '.join(unknown)}: choose from {', '.join(FORMATS)}")
    table = build_table(db.engine, campaign.slug, original_text=original_text)
    out_dir.mkdir(parents=True, exist_ok=True)
    for fmt in wanted:
        path = out_dir / f"{campaign.slug}-analysis-{clock.today().isoformat()}.{FORMATS[fmt][0]}"
        body = write(table, fmt)
        path.write_bytes(body)
        audit(
            "analyst_export",
            f"campaign:{campaign.id}",
            actor_email="command line",
            partnership_id=campaign.partnership_id,
            format=fmt,
            free_text="original" if original_text else "redacted",
            responses=table.rows,
            variables=len(table.variables),
            bytes=len(body),
        )
        click.echo(f"Wrote {path} ({table.rows:,} responses, {len(table.variables)} variables).")
    db.session.commit()
