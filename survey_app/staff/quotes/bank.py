"""The quote bank: representative answers per theme, proposed to the communications lead.

Everything shown comes out of `analysis.quotes.bank.propose_quotes`: redacted with the campaign's
schools and areas, attributed through the ladder (coarsened until at least the disclosure threshold
of the campaign's respondents share the label), themes with too few answers left out. Answers that
raised a safeguarding flag are never proposed. The lead marks each quote "use" or "don't use"; the
choice is stored by response, question and theme, never the words, and the chosen quotes download
as a formula-safe CSV. A chosen quote that is no longer proposed (after recoding, or once retention
removes the answer) is not exported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from analysis.text.records import DEFAULT_THRESHOLD
from survey_app.extensions import db
from survey_app.models.agreement import QuoteChoice
from survey_app.models.campaigns import Campaign
from survey_app.models.responses import Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.staff import clock
from survey_app.staff.data.export import safe_cell
from survey_app.staff.free_text.insights import CampaignText, campaign_text

if TYPE_CHECKING:  # scikit-learn behind it: loaded only when a quote bank is drawn (see _bank)
    from analysis.quotes.bank import ProposedQuote, QuoteBank

CSV_COLUMNS = ("theme", "quote", "attribution", "question")


@dataclass
class QuoteRow:
    """One proposed quote as the page shows it, with the lead's choice (None: not decided)."""

    quote: ProposedQuote
    response_id: str
    question_key: str
    choice: str | None

    @property
    def key(self) -> str:
        """The form value that names this quote: response id, question key and theme."""
        return f"{self.response_id}:{self.question_key}:{self.quote.theme}"


@dataclass
class ThemeQuotes:
    """One theme's proposed quotes."""

    key: str
    label: str
    rows: list[QuoteRow]


def _bank(campaign: Campaign) -> tuple[CampaignText, QuoteBank]:
    # scikit-learn is imported here, not at start-up: every web worker imports this module, and only
    # the quote bank pages need it (import time and memory matter for worker start-up).
    from analysis.quotes.bank import propose_quotes

    data = campaign_text(campaign)
    # An answer that raised a safeguarding flag is someone's situation, not a quote for a leaflet.
    flagged = {
        (r, q)
        for r, q in db.session.execute(
            select(SafeguardingFlag.response_id, SafeguardingFlag.question_key)
            .join(Response)
            .where(Response.campaign_id == campaign.id)
        )
    }
    data = replace(
        data,
        records=[
            r
            for r in data.records
            if (r.extra["response_id"], r.extra["question_key"]) not in flagged
            and (r.extra["response_id"], None) not in flagged
        ],
    )
    return data, propose_quotes(
        data.records, redactor=data.redactor, population=data.population, threshold=DEFAULT_THRESHOLD
    )


def _choices(campaign: Campaign) -> dict[tuple[str, str, str], QuoteChoice]:
    return {
        (c.response_id, c.question_key, c.theme_key): c
        for c in db.session.scalars(select(QuoteChoice).where(QuoteChoice.campaign_id == campaign.id))
    }


def proposed(campaign: Campaign) -> tuple[list[ThemeQuotes], dict[str, str], QuoteBank]:
    """The proposed quotes by theme with the lead's choices, why other themes have none, and the bank."""
    data, bank = _bank(campaign)
    choices = _choices(campaign)
    themes = []
    for theme, quotes in sorted(bank.quotes.items(), key=lambda kv: data.theme_labels.get(kv[0], kv[0])):
        rows = []
        for quote in quotes:
            response_id, question_key = data.key_of(quote.index)
            choice = choices.get((response_id, question_key, theme))
            rows.append(QuoteRow(quote, response_id, question_key, choice.decision if choice else None))
        themes.append(ThemeQuotes(theme, data.theme_labels.get(theme, theme), rows))
    # The bank's reasons name exact counts; a count under the threshold is itself disclosive, so say less.
    skipped = {
        data.theme_labels.get(theme, theme): _(
            "Fewer than %(n)s answers: no quotes, to protect the people who gave them.", n=DEFAULT_THRESHOLD
        )
        if "fewer than the threshold" in reason
        else _("No answer is confidently coded, free of identifying details and the right length to quote.")
        for theme, reason in bank.skipped.items()
    }
    return themes, skipped, bank


def chosen_csv(themes: list[ThemeQuotes]) -> tuple[str, int]:
    """The quotes marked "use", one row each, formula-safe; and how many."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for theme in themes:
        for row in theme.rows:
            if row.choice == "use":
                attribution = row.quote.attribution or _("Unattributed")
                writer.writerow([safe_cell(v) for v in (theme.label, row.quote.text, attribution, row.question_key)])
                count += 1
    return buffer.getvalue(), count


def find_proposed(themes: list[ThemeQuotes], response_id: str, question_key: str, theme: str) -> QuoteRow | None:
    """The proposed quote with this answer and theme, if the bank proposes it now."""
    return next(
        (
            r
            for t in themes
            for r in t.rows
            if (r.response_id, r.question_key, r.quote.theme) == (response_id, question_key, theme)
        ),
        None,
    )


def record_choice(campaign: Campaign, row: QuoteRow, decision: str, user_id: int) -> None:
    """Store "use" / "dont_use" for a proposed quote, or forget the choice ("clear")."""
    existing = db.session.scalar(
        select(QuoteChoice).where(
            QuoteChoice.response_id == row.response_id,
            QuoteChoice.question_key == row.question_key,
            QuoteChoice.theme_key == row.quote.theme,
        )
    )
    if decision == "clear":
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            QuoteChoice(
                campaign_id=campaign.id,
                response_id=row.response_id,
                question_key=row.question_key,
                theme_key=row.quote.theme,
                decision=decision,
                decided_by=user_id,
                decided_on=clock.today(),
            )
        )
    else:
        existing.decision, existing.decided_by, existing.decided_on = decision, user_id, clock.today()
    db.session.flush()
