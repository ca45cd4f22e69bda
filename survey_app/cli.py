"""Command-line tools: `flask questionnaires ...`, `flask demo`, `flask drafts purge`, and the groups
they sit beside (`flask translate ...`, campaigns, sessions and paper responses)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import CursorResult, delete, select

from questionnaires.loader import QuestionnaireError, questionnaire_files, validate_paths
from survey_app.campaigns.cli import campaigns_cli, sessions_cli
from survey_app.demo import build_demo
from survey_app.extensions import db
from survey_app.models import Draft, ResumeCode
from survey_app.paper.cli import responses_cli
from survey_app.questionnaire_store import current_versions, load_questionnaires
from survey_app.staff import CLI_GROUPS as STAFF_CLI_GROUPS
from survey_app.staff.reports.cli import reports_cli
from survey_app.survey.order import scrub_submission_order
from survey_app.translate import translate_cli

questionnaires_cli = AppGroup("questionnaires", help="Check and load questionnaire files.")
drafts_cli = AppGroup("drafts", help="Look after unfinished answers.")


def _folder() -> Path:
    return current_app.config["COMMUNITY_VOICE"].questionnaire_folder


@questionnaires_cli.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate_command(files: tuple[Path, ...]) -> None:
    """Check questionnaire files (all of them when none are named) and explain every problem."""
    paths = list(files) or questionnaire_files(_folder())
    _, problems = validate_paths(paths)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(paths)} file(s).", err=True)
        sys.exit(1)
    click.echo(f"{len(paths)} questionnaire file(s) checked: no problems.")


@questionnaires_cli.command("load")
def load_command() -> None:
    """Store a new version of every questionnaire whose meaning changed."""
    try:
        results = load_questionnaires(_folder())
    except QuestionnaireError as exc:
        click.echo(str(exc))
        click.echo("Nothing was loaded. Fix the problems above and try again.", err=True)
        sys.exit(1)
    db.session.commit()
    for r in results:
        state = "new version" if r.created else "unchanged"
        click.echo(f"{r.file}: {r.questionnaire_id} version {r.version} ({state})")


@questionnaires_cli.command("list")
def list_command() -> None:
    """List the current version of each loaded questionnaire."""
    for v in sorted(current_versions(), key=lambda v: v.questionnaire_id):
        click.echo(f"{v.questionnaire_id}\tversion {v.version}\t{v.audience}\t{v.title}\t{v.content_hash[:12]}")


@drafts_cli.command("purge")
@click.option("--days", type=int, default=None, help="Remove drafts untouched for this many days.")
def purge_command(days: int | None) -> None:
    """Delete unfinished answers nobody has touched for a while."""
    days = days if days is not None else current_app.config["COMMUNITY_VOICE"].draft_days
    cutoff = dt.date.today() - dt.timedelta(days=days)
    # Answers saved with a resume code are kept until the code expires (the campaign closes).
    saved = select(ResumeCode.draft_token).where(ResumeCode.expires_on >= dt.date.today())
    result: CursorResult = db.session.execute(  # type: ignore[assignment]  # a DELETE returns a CursorResult; Session.execute is typed as Result
        delete(Draft).where(Draft.active_on < cutoff, Draft.token.not_in(saved))
    )
    db.session.commit()
    click.echo(f"Removed {result.rowcount} unfinished answer set(s) untouched since before {cutoff}.")


@responses_cli.command("scrub-order")
def scrub_order_command() -> None:
    """Make the order in which responses were sent unrecoverable (PostgreSQL; run nightly)."""
    with db.engine.connect() as connection:
        touched = scrub_submission_order(connection)
    if not touched:
        click.echo("Nothing to do: this database keeps no write order in the respondent tables.")
        return
    click.echo("Rewrote " + ", ".join(f"{rows} rows of {table}" for table, rows in touched.items()) + ".")


@click.command("demo")
@click.option("--responses", type=int, default=3000, show_default=True, help="How many synthetic responses.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed, for repeatable data.")
def demo_command(responses: int, seed: int) -> None:
    """Load the questionnaires, make a demo campaign and fill it with realistic synthetic answers."""
    try:
        summary = build_demo(responses=responses, seed=seed)
    except QuestionnaireError as exc:
        click.echo(str(exc))
        click.echo("No demo data was made. Fix the questionnaire problems above and try again.", err=True)
        sys.exit(1)
    click.echo(summary)


def register_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(questionnaires_cli)
    app.cli.add_command(drafts_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(translate_cli)  # extract, update, compile, status
    app.cli.add_command(campaigns_cli)  # campaigns and their collection points
    app.cli.add_command(sessions_cli)  # school class sessions
    app.cli.add_command(responses_cli)  # paper templates and imports
    app.cli.add_command(reports_cli)  # findings reports in every format
    for group in STAFF_CLI_GROUPS:  # users, retention, population
        app.cli.add_command(group)
