"""Staff commands: `flask users ...` (create, list, unlock, demo, code), `flask retention apply`,
`flask population load`.

Each command calls the same services as the staff pages and, like a view, commits once when its work
has succeeded (docs/transactions.md). workspace.CLI_GROUPS lists the groups for the app factory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyotp
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.staff import ROLES, Partnership, PopulationEstimate, StaffUser
from survey_app.staff.accounts.sessions import purge_expired
from survey_app.staff.accounts.signin import unlock, user_by_email
from survey_app.staff.accounts.users import create_user, user_form_errors
from survey_app.staff.auth import audit
from survey_app.staff.data.population import DEFAULT_POPULATION, load_population
from survey_app.staff.data.retention import apply_retention
from survey_app.staff.safeguarding.queue import flag_unchecked_responses

users_cli = AppGroup("users", help="Staff accounts.")
retention_cli = AppGroup("retention", help="Remove answers kept longer than their campaign allows.")
population_cli = AppGroup("population", help="The population table dashboards compare samples with.")

DEMO_PARTNERSHIP = "Trafford Community Safety Partnership (demo)"
DEMO_AREA = "E08000009"
#: Demo accounts only exist outside production, and say so in their addresses.
DEMO_PASSWORD = "demo voices carry far"  # noqa: S105 - printed for the demo; refused in production
DEMO_DOMAIN = "demo.community-voice.invalid"


def _partnership(name: str, area_code: str | None = None) -> Partnership:
    partnership = db.session.scalar(select(Partnership).where(Partnership.name == name))
    if partnership is None:
        partnership = Partnership(name=name, area_code=area_code)
        db.session.add(partnership)
        db.session.flush()
    return partnership


@users_cli.command("create")
@click.option("--email", prompt=True, help="Their email address (their sign-in name).")
@click.option("--name", "display_name", prompt="Their name", help="Their name as shown in the workspace.")
@click.option("--role", type=click.Choice(ROLES), default="administrator", show_default=True)
@click.option("--partnership", prompt=True, help="The partnership's name (made if new).")
@click.option("--area-code", default=None, help="ONS code of the partnership's area, for population comparisons.")
@click.password_option(help="Their first password (asked for, hidden, when not given).")
def create_user_command(
    email: str, display_name: str, role: str, partnership: str, area_code: str | None, password: str
) -> None:
    """Make a staff account (the first administrator, usually). They set up TOTP at first sign-in."""
    errors = user_form_errors(email, display_name, role, password)
    if errors:
        for message in errors.values():
            click.echo(message, err=True)
        sys.exit(1)
    p = _partnership(partnership.strip(), area_code)
    user = create_user(email, display_name, role, password, p.id)
    audit(
        "user_created", f"user:{user.id}", actor_email="command line", partnership_id=p.id, email=user.email, role=role
    )
    db.session.commit()
    click.echo(
        f"Made {role} account {user.email} in {p.name}. At first sign-in they add the workspace to an "
        "authenticator app and get recovery codes."
    )


@users_cli.command("list")
def list_users_command() -> None:
    """Every staff account, with partnership, role and whether it works."""
    for user in db.session.scalars(select(StaffUser).order_by(StaffUser.partnership_id, StaffUser.email)):
        state = "active" if user.active else "switched off"
        tfa = "authenticator set up" if user.totp_secret else "no authenticator yet"
        click.echo(f"{user.email}\t{user.role}\t{user.partnership.name}\t{state}\t{tfa}")


@users_cli.command("unlock")
@click.argument("email")
def unlock_command(email: str) -> None:
    """Lift the sign-in pause on an account: forget its attempts from every address."""
    user = user_by_email(email)
    if user is None:
        # Attempts at email addresses with no account are counted too, but no one needs them lifted.
        click.echo(f"There is no staff account {email.strip()}. `flask users list` shows them.", err=True)
        sys.exit(1)
    cleared = unlock(user.email)
    audit("login_unlocked", f"user:{user.id}", actor_email="command line", partnership_id=user.partnership_id)
    db.session.commit()
    click.echo(
        f"Sign-in attempts for {user.email} forgotten ({cleared} counter(s) cleared): they can sign in again "
        "now, with their password and authenticator code."
    )


def _demo_allowed() -> None:
    if current_app.config["COMMUNITY_VOICE"].environment == "production":
        click.echo("Demo accounts are only for development (COMMUNITY_VOICE_ENV=development).", err=True)
        sys.exit(1)


@users_cli.command("demo")
def demo_users_command() -> None:
    """Demo partnership and one account per role, with a known password and authenticator key."""
    _demo_allowed()
    partnership = _partnership(DEMO_PARTNERSHIP, DEMO_AREA)
    if not db.session.scalar(
        select(func.count()).select_from(PopulationEstimate).where(PopulationEstimate.area_code == DEMO_AREA)
    ):
        load_population(DEFAULT_POPULATION)
    for campaign in db.session.scalars(select(Campaign).where(Campaign.partnership_id.is_(None))):
        campaign.partnership_id = partnership.id
        if not campaign.targets:
            campaign.targets = {
                "total": 4000,
                "children": 600,
                "young_people": 2000,
                "young_adults": 600,
                "parents_carers": 600,
                "professionals": 200,
            }
    flagged = flag_unchecked_responses(partnership.id)
    click.echo(f"Partnership: {partnership.name}. Safeguarding rules run over its demo answers: {flagged} flagged.")
    click.echo(f"Password for every demo account: {DEMO_PASSWORD}")
    for role in ROLES:
        email = f"{role.replace('_', '-')}@{DEMO_DOMAIN}"
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = create_user(email, f"Demo {role.replace('_', ' ')}", role, DEMO_PASSWORD, partnership.id)
            user.totp_secret = pyotp.random_base32()
            audit(
                "user_created",
                f"user:{user.id}",
                actor_email="command line (demo)",
                partnership_id=partnership.id,
                email=email,
                role=role,
            )
        if role == "school_coordinator" and not user.collection_points:
            user.collection_points = list(
                db.session.scalars(
                    select(CollectionPoint)
                    .join(Campaign, CollectionPoint.campaign_id == Campaign.id)
                    .where(Campaign.partnership_id == partnership.id, CollectionPoint.kind == "school")
                    .order_by(CollectionPoint.name)
                    .limit(2)
                )
            )
        click.echo(f"  {email:<58} authenticator key {user.totp_secret}")
    db.session.commit()
    click.echo(
        "Sign in at /staff/login. For the code, add the key to an authenticator app, or run "
        "`flask users code EMAIL` (development only)."
    )


@users_cli.command("code")
@click.argument("email")
def code_command(email: str) -> None:
    """Print a demo account's current authenticator code (development only)."""
    _demo_allowed()
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None or not user.totp_secret:
        click.echo("No such account, or it has no authenticator yet.", err=True)
        sys.exit(1)
    click.echo(pyotp.TOTP(user.totp_secret).now())


@retention_cli.command("apply")
def retention_apply_command() -> None:
    """Delete free text (or whole responses) past each campaign's retention period; audited."""
    results = apply_retention()
    for r in results:
        if r.anything:
            audit(
                "retention_applied",
                f"campaign:{r.campaign.id}",
                actor_email="command line",
                partnership_id=r.campaign.partnership_id,
                action_taken=r.action,
                responses_deleted=r.responses_deleted,
                texts_removed=r.texts_removed,
                drafts_deleted=r.drafts_deleted,
                coders_deleted=r.coders_deleted,
            )
        click.echo(
            f"{r.campaign.slug}: {r.responses_deleted} response(s) deleted, {r.texts_removed} free-text "
            f"answer(s) removed, {r.drafts_deleted} unfinished answer set(s) deleted, {r.coders_deleted} saved "
            "theme coder(s) that learned from its answers deleted."
        )
    expired = purge_expired(current_app._get_current_object())  # type: ignore[attr-defined]  # the proxy hides the real app
    db.session.commit()
    click.echo(f"{len(results)} campaign(s) past their retention period; {expired} expired staff session(s) cleared.")


@population_cli.command("load")
@click.argument("csv_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def population_load_command(csv_file: Path | None) -> None:
    """Load population estimates (default: Trafford mid-2024, by single year of age and sex)."""
    stored = load_population(csv_file or DEFAULT_POPULATION)
    audit("population_loaded", actor_email="command line", file=(csv_file or DEFAULT_POPULATION).name, cells=stored)
    db.session.commit()
    click.echo(f"Stored {stored} population cells.")
