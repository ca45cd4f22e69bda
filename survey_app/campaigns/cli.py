"""`flask campaigns ...` and `flask sessions ...`: set up a consultation from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.sansio.utils import host_is_trusted

from survey_app.campaigns import printing, qr, school
from survey_app.campaigns.codes import display, normalise
from survey_app.campaigns.setup import SetupError, add_collection_point, create_campaign, point_by_code, point_url
from survey_app.config import is_site_address
from survey_app.extensions import db
from survey_app.models import Campaign
from survey_app.models.campaigns import COLLECTION_KINDS
from survey_app.models.staff import Partnership

campaigns_cli = AppGroup("campaigns", help="Set up campaigns and their collection points.")
sessions_cli = AppGroup("sessions", help="School sessions: a class answering together with a session code.")

#: where `flask run` serves: links printed in development open on the developer's own machine
DEVELOPMENT_SITE = "http://127.0.0.1:5000"


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _site_address(given: str | None) -> str:
    """The address links and QR codes point at: --base-url, else PUBLIC_BASE_URL, else (development
    only) the development server. A command has no request, so no Host header to build links from."""
    address = (given or current_app.config.get("PUBLIC_BASE_URL") or "").strip()
    if not address:
        if current_app.config["COMMUNITY_VOICE"].is_development:
            return DEVELOPMENT_SITE
        # Guessing would print, or put on a poster, an address that reaches nobody.
        _fail(
            "Which address should the link use? Pass --base-url https://survey.example.gov.uk (the site's "
            "public address), or set PUBLIC_BASE_URL in the server's environment."
        )
    if not is_site_address(address):
        _fail(f"\u201c{address}\u201d is not a site address; write it like https://survey.example.gov.uk.")
    trusted = current_app.config.get("TRUSTED_HOSTS")
    if trusted and not host_is_trusted(urlsplit(address).netloc.rpartition("@")[2], trusted):
        # The site answers 400 to any other host, so a link to it would never open.
        _fail(
            f"{address} is not one of the site's host names (TRUSTED_HOSTS: {', '.join(trusted)}), so the "
            "site would refuse its links. Use the address people reach the site at."
        )
    return address.rstrip("/")


def _partnership_listing(partnerships: list[Partnership]) -> str:
    return "\n".join(f"  {p.id}\t{p.name}" for p in partnerships)


def _partnership(wanted: str | None) -> Partnership:
    """The partnership a new campaign belongs to: the one named (by name or number), or the only one.

    A campaign with no partnership is shown to no staff member, so one is always chosen; with several
    partnerships and none named, none is guessed.
    """
    partnerships = list(db.session.scalars(select(Partnership).order_by(Partnership.name)))
    if wanted is not None:
        text = wanted.strip()
        found = [p for p in partnerships if p.name == text]
        found = found or [p for p in partnerships if text.isdigit() and p.id == int(text)]
        found = found or [p for p in partnerships if p.name.casefold() == text.casefold()]
        if len(found) == 1:
            return found[0]
        _fail(
            f"There is no partnership \u201c{text}\u201d. The partnerships are:\n{_partnership_listing(partnerships)}"
        )
    if not partnerships:
        _fail(
            "There is no partnership yet, so no one could see the campaign. Make the first account with "
            "`flask users create` (it makes its partnership), then make the campaign."
        )
    if len(partnerships) > 1:
        _fail(
            "Which partnership runs this campaign? Give --partnership with its name or number:\n"
            + _partnership_listing(partnerships)
        )
    return partnerships[0]


def _parse_targets(values: tuple[str, ...]) -> dict[str, int]:
    targets: dict[str, int] = {}
    for item in values:
        who, _, number = item.partition("=")
        if not number.isdigit():
            _fail(f"A target is written like young_people=1000; \u201c{item}\u201d isn't.")
        targets[who.strip()] = int(number)
    return targets


@campaigns_cli.command("create")
@click.argument("name")
@click.option("--opens", "opens_on", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day, YYYY-MM-DD.")
@click.option("--closes", "closes_on", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last day, YYYY-MM-DD.")
@click.option("--questionnaire", "questionnaires", multiple=True, required=True, help="A questionnaire id; repeat.")
@click.option("--area", "areas", multiple=True, help="An area (ward) it covers; repeat.")
@click.option("--target", "targets", multiple=True, help="e.g. young_people=1000 or total=3000; repeat.")
@click.option("--description", default="", help="Words for the landing page and the parents' letter.")
@click.option("--slug", default=None, help="The name used in its link (made from the name if not given).")
@click.option(
    "--partnership",
    "partnership_name",
    default=None,
    help="The partnership that runs it, by name or number; may be left out when there is only one.",
)
def create_command(
    name: str,
    opens_on: dt.datetime,
    closes_on: dt.datetime,
    questionnaires: tuple[str, ...],
    areas: tuple[str, ...],
    targets: tuple[str, ...],
    description: str,
    slug: str | None,
    partnership_name: str | None,
) -> None:
    """Make a campaign for a partnership (its staff alone see it)."""
    partnership = _partnership(partnership_name)
    try:
        campaign = create_campaign(
            name,
            opens_on.date(),
            closes_on.date(),
            list(questionnaires),
            list(areas),
            _parse_targets(targets),
            description,
            slug,
            partnership_id=partnership.id,
        )
    except SetupError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(
        f"Campaign \u201c{campaign.name}\u201d ({campaign.slug}) for {partnership.name}, open {campaign.opens_on} "
        f"to {campaign.closes_on}."
    )


@campaigns_cli.command("add-point")
@click.argument("slug")
@click.argument("name")
@click.option("--kind", type=click.Choice(COLLECTION_KINDS), default="school", show_default=True)
@click.option("--base-url", default=None, help="The site's address, for the link (default: PUBLIC_BASE_URL).")
def add_point_command(slug: str, name: str, kind: str, base_url: str | None) -> None:
    """Add a collection point (a school, youth club, event, online link or paper) with its own code."""
    site = _site_address(base_url)  # before anything is made, so a refusal leaves nothing half done
    campaign = db.session.scalar(select(Campaign).filter_by(slug=slug))
    if campaign is None:
        _fail(f"There is no campaign \u201c{slug}\u201d. `flask campaigns list` shows them.")
        return
    try:
        point = add_collection_point(campaign, name, kind)
    except SetupError as exc:
        _fail(str(exc))
        return
    db.session.commit()
    click.echo(f"{point.name}: code {display(point.code)}, link {point_url(point, site)}")


@campaigns_cli.command("list")
def list_command() -> None:
    """Campaigns with their collection points and codes."""
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.opens_on)):
        click.echo(f"{campaign.slug}\t{campaign.name}\t{campaign.opens_on} to {campaign.closes_on}")
        for point in campaign.collection_points:
            click.echo(f"  {point.code}\t{point.kind}\t{point.name}")


@campaigns_cli.command("materials")
@click.argument("code")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True)
@click.option("--base-url", default=None, help="The site's address (default: PUBLIC_BASE_URL).")
def materials_command(code: str, folder: Path, base_url: str | None) -> None:
    """Write a collection point's QR codes (SVG, PNG), poster and parents' letter (HTML, and PDF if possible)."""
    site = _site_address(base_url)
    point = point_by_code(normalise(code))
    if point is None:
        _fail(f"There is no collection point with code \u201c{code}\u201d.")
        return
    folder.mkdir(parents=True, exist_ok=True)
    url = point_url(point, site)
    written = {f"qr-{point.code}.svg": qr.qr_svg(url), f"qr-{point.code}.png": qr.qr_png(url)}
    with current_app.test_request_context(base_url=site):  # templates build links as on the site
        for kind in printing.DOCUMENTS:
            html = printing.render_document(kind, point, site)
            written[f"{kind}-{point.code}.html"] = html.encode("utf-8")
            try:
                written[f"{kind}-{point.code}.pdf"] = printing.render_pdf(kind, point, site)
            except printing.PdfUnavailable as exc:
                click.echo(str(exc), err=True)
    for name, data in written.items():
        (folder / name).write_bytes(data)
        click.echo(f"wrote {folder / name}")


@sessions_cli.command("create")
@click.argument("code")
@click.option("--year", "year_group", type=int, required=True, help="School year, 3 to 13.")
@click.option("--pupils", "expected", type=int, required=True, help="How many pupils you expect.")
@click.option("--label", default="", help="The class, e.g. 8B.")
@click.option(
    "--easy-read", is_flag=True, help="Use the campaign's easy-read questionnaire (short sentences, pictures)."
)
def session_create_command(code: str, year_group: int, expected: int, label: str, easy_read: bool) -> None:
    """Set up a session for a class at a school (collection point CODE) and print its session code."""
    point = point_by_code(normalise(code))
    if point is None:
        _fail(f"There is no collection point with code \u201c{code}\u201d.")
        return
    try:
        created = school.create_session(point, year_group, expected, label, easy_read=easy_read)
    except SetupError as exc:
        _fail(str(exc))
        return
    db.session.commit()
    click.echo(
        f"Session code {created.code} for {label or 'the class'} (Year {year_group}) at {point.name}: "
        f"questionnaire {created.questionnaire_id}, {expected} pupils expected."
    )


@sessions_cli.command("status")
@click.argument("code")
def session_status_command(code: str) -> None:
    """How many pupils have finished, against the number expected (never any answers)."""
    found = school.session_by_code(normalise(code))
    if found is None:
        _fail(f"There is no session with code \u201c{code}\u201d.")
        return
    state = "open" if found.is_open else f"closed on {found.closed_on}"
    click.echo(f"{found.code}: {found.completed} of {found.expected_pupils} finished ({state}).")


@sessions_cli.command("close")
@click.argument("code")
def session_close_command(code: str) -> None:
    """Stop new pupils joining the session."""
    found = school.session_by_code(normalise(code))
    if found is None:
        _fail(f"There is no session with code \u201c{code}\u201d.")
        return
    school.close_session(found)
    db.session.commit()
    click.echo(f"{found.code} closed: {found.completed} of {found.expected_pupils} finished.")
