"""`flask responses template|import`: paper questionnaires in and out; `flask responses
unassigned|assign`: files imported into no campaign (before every import needed one) get theirs."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey_app.campaigns.codes import normalise
from survey_app.campaigns.setup import point_by_code
from survey_app.extensions import db
from survey_app.models import Campaign, CollectionPoint, PaperImport, QuestionnaireVersion
from survey_app.paper import unclaimed
from survey_app.paper.importer import RACED, ImportReport, import_file
from survey_app.paper.template import template_csv, template_xlsx
from survey_app.paper.unassigned import UnassignedImport, assign, responses_of, unassigned_imports
from survey_app.questionnaire_store import current_version

responses_cli = AppGroup(
    "responses", help="Paper questionnaires (templates, importing completed ones) and responses in no campaign."
)


@responses_cli.command("template")
@click.argument("questionnaire")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option(
    "--out",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write it (default: <questionnaire>-template.<format>).",
)
def template_command(questionnaire: str, fmt: str, path: Path | None) -> None:
    """Write a template for typing in completed paper copies of QUESTIONNAIRE."""
    version = current_version(questionnaire)
    if version is None:
        click.echo(
            f"There is no loaded questionnaire \u201c{questionnaire}\u201d. `flask questionnaires list` shows them.",
            err=True,
        )
        sys.exit(1)
    path = path or Path(f"{questionnaire}-template.{fmt}")
    data = (
        template_xlsx(version.questionnaire, version.version) if fmt == "xlsx" else template_csv(version.questionnaire)
    )
    path.write_bytes(data)
    click.echo(f"wrote {path} ({questionnaire} version {version.version})")


@responses_cli.command("import")
@click.argument("questionnaire")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--campaign", "slug", default=None, help="The campaign they belong to (its link name).")
@click.option(
    "--collection-point",
    "code",
    default=None,
    help="The code of the collection point they came through (its campaign is theirs).",
)
def import_command(questionnaire: str, files: tuple[Path, ...], slug: str | None, code: str | None) -> None:
    """Check completed templates row by row and import the valid rows into a campaign; each file only ever once."""
    version = current_version(questionnaire)
    if version is None:
        click.echo(f"There is no loaded questionnaire \u201c{questionnaire}\u201d.", err=True)
        sys.exit(1)
    campaign, point = _campaign_and_point(questionnaire, slug, code)
    trouble = False
    for path in files:
        try:
            report = import_file(path.read_bytes(), path.name, version, point, campaign=campaign)
            db.session.commit()  # each file is its own unit of work: all its valid rows, or none
        except IntegrityError:
            db.session.rollback()  # the same file, imported by someone else a moment ago
            report = ImportReport(filename=path.name, refused=RACED)
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(report.summary())
        trouble = trouble or bool(report.refused or report.problems)
    if trouble:
        sys.exit(1)


def _campaign_and_point(
    questionnaire: str, slug: str | None, code: str | None
) -> tuple[Campaign, CollectionPoint | None]:
    """The campaign the forms go into (named, or the collection point's) and the point, if one was given."""
    point = point_by_code(normalise(code)) if code else None
    if code and point is None:
        click.echo(f"There is no collection point with code \u201c{code}\u201d.", err=True)
        sys.exit(1)
    campaign = db.session.scalar(select(Campaign).filter_by(slug=slug)) if slug else None
    if slug and campaign is None:
        click.echo(f"There is no campaign \u201c{slug}\u201d. `flask campaigns list` shows them.", err=True)
        sys.exit(1)
    if campaign is None and point is not None:
        campaign = point.campaign
    if campaign is None:
        offering = [
            c.slug
            for c in db.session.scalars(select(Campaign).order_by(Campaign.opens_on))
            if not c.questionnaire_ids or questionnaire in c.questionnaire_ids
        ]
        click.echo(
            "Say which campaign these questionnaires belong to with --campaign (or --collection-point), so "
            "their answers reach its results and safeguarding reviewers."
            + (f" Campaigns with \u201c{questionnaire}\u201d: {', '.join(offering)}." if offering else ""),
            err=True,
        )
        sys.exit(1)
    return campaign, point


@responses_cli.command("unassigned")
def unassigned_command() -> None:
    """List imported paper files whose responses belong to no campaign (so no reviewer sees their flags)."""
    found = unassigned_imports()
    if not found:
        click.echo("Every imported paper response belongs to a campaign.")
        return
    for item in found:
        paper_import = item.paper_import
        version = db.session.get(QuestionnaireVersion, paper_import.questionnaire_version_id)
        questionnaire = version.questionnaire_id if version else "?"
        click.echo(
            f"{paper_import.id}\t{paper_import.imported_on}\t{questionnaire}\t"
            f"{len(item.response_ids)} response(s)\t{paper_import.filename}"
        )
    click.echo("Give each file its campaign with `flask responses assign FILE_ID --campaign SLUG`.", err=True)


@responses_cli.command("assign")
@click.argument("file_id", type=int)
@click.option("--campaign", "slug", required=True, help="The campaign the forms were typed in for (its link name).")
def assign_command(file_id: int, slug: str) -> None:
    """Put the responses of an imported paper file (see `flask responses unassigned`) into their campaign."""
    paper_import = db.session.get(PaperImport, file_id)
    if paper_import is None:
        click.echo(f"There is no imported file {file_id}. `flask responses unassigned` lists them.", err=True)
        sys.exit(1)
    campaign = db.session.scalar(select(Campaign).filter_by(slug=slug))
    if campaign is None:
        click.echo(f"There is no campaign \u201c{slug}\u201d. `flask campaigns list` shows them.", err=True)
        sys.exit(1)
    found = responses_of(paper_import)
    if not found:
        click.echo(f"{paper_import.filename}: every response already belongs to a campaign.")
        return
    refusal = assign(UnassignedImport(paper_import, found), campaign)
    if refusal:
        click.echo(refusal, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{paper_import.filename}: {len(found)} response(s) now in \u201c{campaign.name}\u201d.")


@responses_cli.command("unclaimed")
def unclaimed_command() -> None:
    """List online responses that belong to no campaign (sent through the site's address when no
    single campaign was open), so no staff page or safeguarding reviewer has seen them."""
    found = unclaimed.unclaimed()
    if not found:
        click.echo("Every online response belongs to a campaign.")
        return
    for item in found:
        flags = f", {item.flagged} flagged for safeguarding" if item.flagged else ""
        click.echo(
            f"{item.questionnaire_id}\t{item.responses} response(s) sent {item.first_day} to {item.last_day}{flags}"
        )
    click.echo(
        "Give them the campaign they were answered for with `flask responses claim SLUG`: it takes those "
        "sent while it was open, to its questionnaires.",
        err=True,
    )


@responses_cli.command("claim")
@click.argument("slug")
def claim_command(slug: str) -> None:
    """Put into this campaign the online responses in no campaign that were sent while it was open, to
    one of its questionnaires (see `flask responses unclaimed`)."""
    campaign = db.session.scalar(select(Campaign).filter_by(slug=slug))
    if campaign is None:
        click.echo(f"There is no campaign \u201c{slug}\u201d. `flask campaigns list` shows them.", err=True)
        sys.exit(1)
    moved = unclaimed.claim(campaign)
    db.session.commit()
    click.echo(f"{moved} response(s) now in \u201c{campaign.name}\u201d.")
    if moved:
        click.echo("Any safeguarding flags among them are now in its reviewers' queue.")
