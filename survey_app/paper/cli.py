"""`flask responses template` and `flask responses import`: paper questionnaires in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from survey_app.campaigns.codes import normalise
from survey_app.campaigns.setup import point_by_code
from survey_app.paper.importer import import_and_commit
from survey_app.paper.template import template_csv, template_xlsx
from survey_app.questionnaire_store import current_version

responses_cli = AppGroup("responses", help="Paper questionnaires: templates and importing completed ones.")


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
@click.option("--collection-point", "code", default=None, help="The code of the collection point they came through.")
def import_command(questionnaire: str, files: tuple[Path, ...], code: str | None) -> None:
    """Check completed templates row by row and import the valid rows; each file only ever once."""
    version = current_version(questionnaire)
    if version is None:
        click.echo(f"There is no loaded questionnaire \u201c{questionnaire}\u201d.", err=True)
        sys.exit(1)
    point = point_by_code(normalise(code)) if code else None
    if code and point is None:
        click.echo(f"There is no collection point with code \u201c{code}\u201d.", err=True)
        sys.exit(1)
    trouble = False
    for path in files:
        report = import_and_commit(path.read_bytes(), path.name, version, point)
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(report.summary())
        trouble = trouble or bool(report.refused or report.problems)
    if trouble:
        sys.exit(1)
