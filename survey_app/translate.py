"""`flask translate ...`: one workflow for every word a respondent reads, in two gettext domains.

- `messages`: the respondent pages, errors and the thank-you page's help (mapping: babel.cfg);
- `questionnaires`: question and answer wording from the questionnaire YAML files
  (mapping: questionnaires/babel.cfg, extractor: questionnaires.translation.extract).

    flask --app wsgi translate extract     # both .pot templates from the source
    flask --app wsgi translate update      # merge them into every language's .po (new languages too)
    flask --app wsgi translate compile     # .po -> .mo (the .mo files are committed)
    flask --app wsgi translate status      # how complete each language is

Machine-made catalogues carry MACHINE_MADE in their header comment until a fluent speaker has
reviewed them; `status` shows which ones still do.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import current_app
from flask.cli import AppGroup

from survey_app.config import PACKAGE, ROOT

translate_cli = AppGroup("translate", help="Extract, update, compile and check the translations.")

TRANSLATIONS = PACKAGE / "translations"
#: domain -> Babel mapping file (paths relative to the repository root)
DOMAINS = {"messages": ROOT / "babel.cfg", "questionnaires": ROOT / "questionnaires" / "babel.cfg"}
#: the words every machine-made catalogue's header carries until a fluent speaker has reviewed it
MACHINE_MADE = "NEEDS REVIEW BY A FLUENT SPEAKER"
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext"]


@dataclass(frozen=True)
class Completeness:
    """How much of one domain a language's catalogue translates."""

    locale: str
    domain: str
    total: int
    translated: int
    fuzzy: int
    needs_review: bool
    exists: bool

    @property
    def percent(self) -> float:
        """Share of messages with a usable (non-fuzzy) translation."""
        return 100.0 * self.translated / self.total if self.total else 100.0


def template_path(domain: str) -> Path:
    """translations/<domain>.pot"""
    return TRANSLATIONS / f"{domain}.pot"


def catalogue_path(locale: str, domain: str) -> Path:
    """translations/<locale>/LC_MESSAGES/<domain>.po"""
    return TRANSLATIONS / locale / "LC_MESSAGES" / f"{domain}.po"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def completeness(locale: str, domain: str) -> Completeness:
    """Count a language's translated, fuzzy and missing messages against the domain's template."""
    template = _read(template_path(domain))
    ids = [m.id for m in template if m.id]
    path = catalogue_path(locale, domain)
    if not path.exists():
        return Completeness(locale, domain, len(ids), 0, 0, False, False)
    po = _read(path, locale)
    translated = fuzzy = 0
    for message_id in ids:
        message = po.get(message_id)
        if message is None or not message.string:
            continue
        if message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return Completeness(locale, domain, len(ids), translated, fuzzy, MACHINE_MADE in (po.header_comment or ""), True)


def _babel(*args: str) -> None:
    """Run a pybabel command in the repository root (mapping patterns are relative to it)."""
    CommandLineInterface().run(["pybabel", "-q", *args])


def _languages() -> list[str]:
    return [code for code in current_app.config["COMMUNITY_VOICE"].languages if code != "en"]


@translate_cli.command("extract")
def extract_command() -> None:
    """Write translations/messages.pot and translations/questionnaires.pot from the source."""
    for domain, mapping in DOMAINS.items():
        keywords = KEYWORDS if domain == "messages" else []
        _babel(
            "extract",
            "-F",
            str(mapping.relative_to(ROOT)),
            *keywords,
            "--sort-by-file",
            "--project",
            "Community Voice",
            "--add-comments",
            "Translators:",
            "-w",
            "100",
            "-o",
            str(template_path(domain).relative_to(ROOT)),
            ".",
        )
        click.echo(
            f"{template_path(domain).relative_to(ROOT)}: {sum(1 for m in _read(template_path(domain)) if m.id)} messages"
        )


@translate_cli.command("update")
@click.option(
    "--language", "languages", multiple=True, help="Only this language (repeat); default: every offered language."
)
def update_command(languages: tuple[str, ...]) -> None:
    """Merge the templates into each language's catalogues, starting a catalogue where there is none."""
    for locale in languages or _languages():
        for domain in DOMAINS:
            po = catalogue_path(locale, domain)
            template = str(template_path(domain).relative_to(ROOT))
            if po.exists():
                # No fuzzy matching: a near-miss guess would show a wrong question until someone noticed.
                _babel(
                    "update",
                    "-i",
                    template,
                    "-d",
                    str(TRANSLATIONS.relative_to(ROOT)),
                    "-D",
                    domain,
                    "-l",
                    locale,
                    "--no-fuzzy-matching",
                    "-w",
                    "100",
                )
            else:
                _babel(
                    "init",
                    "-i",
                    template,
                    "-d",
                    str(TRANSLATIONS.relative_to(ROOT)),
                    "-D",
                    domain,
                    "-l",
                    locale,
                    "-w",
                    "100",
                )
            click.echo(f"{po.relative_to(ROOT)} updated")


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile every catalogue to .mo (commit the .mo files: a clean clone then needs no build step)."""
    for domain in DOMAINS:
        _babel("compile", "-d", str(TRANSLATIONS.relative_to(ROOT)), "-D", domain)
    click.echo("compiled")


@translate_cli.command("status")
@click.option("--fail-under", type=float, default=None, help="Exit 1 if any language is below this percentage.")
def status_command(fail_under: float | None) -> None:
    """Show how complete each offered language is; untranslated text is shown in English."""
    rows = [completeness(locale, domain) for locale in _languages() for domain in DOMAINS]
    click.echo(f"{'language':<10}{'domain':<16}{'translated':>12}{'fuzzy':>7}{'missing':>9}{'complete':>10}  review")
    for row in rows:
        missing = row.total - row.translated - row.fuzzy
        review = "machine-made: needs review by a fluent speaker" if row.needs_review else ""
        if not row.exists:
            review = "no catalogue yet: run `flask translate update`"
        click.echo(
            f"{row.locale:<10}{row.domain:<16}{row.translated:>7}/{row.total:<4}{row.fuzzy:>7}{missing:>9}"
            f"{row.percent:>9.1f}%  {review}"
        )
    click.echo("Anything not translated (missing or fuzzy) is shown in English.")
    if fail_under is not None and any(row.percent < fail_under for row in rows):
        sys.exit(1)
