"""The quote bank: representative answers per theme, proposed to the communications lead.

Everything shown comes out of `analysis.quotes.bank.propose_quotes`: redacted with the campaign's
schools and areas, attributed through the ladder (coarsened until at least the disclosure threshold
of the campaign's respondents share the label), themes with too few answers left out. Answers that
raised a safeguarding flag are never proposed. The lead marks each quote "use" or "don't use"; the
choice is stored by response, question and theme, never the words, and the chosen quotes download
as a formula-safe CSV.

A quote chosen to use stays chosen whatever the coder does later (recoding, retraining): it is built
from the choice, not from the current proposals (`analysis.quotes.chosen`). It is dropped only when
its answer goes, its answer is flagged for safeguarding, its theme is retired, or a reviewer decides
the answer is not about the theme; the page then lists it with the reason until the lead clears it.
Nothing needs to run after retraining: every page works this out from the stored choices.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from analysis.coding.counted import answer_themes
from analysis.text.records import DEFAULT_THRESHOLD
from survey_app.extensions import db
from survey_app.models.agreement import QuoteChoice
from survey_app.models.campaigns import Campaign
from survey_app.models.responses import Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.staff import clock
from survey_app.staff.data.export import safe_cell
from survey_app.staff.free_text.insights import CampaignText, campaign_text
from survey_app.staff.free_text.progress import campaign_codes

if TYPE_CHECKING:  # scikit-learn behind it: loaded only when a quote bank is drawn (see _bank)
    from analysis.quotes.bank import ProposedQuote, QuoteBank

CSV_COLUMNS = ("theme", "quote", "attribution", "question")


@dataclass
class QuoteRow:
    """One proposed or chosen quote as the page shows it, with the lead's choice (None: not decided)."""

    quote: ProposedQuote
    response_id: str
    question_key: str
    choice: str | None
    #: the theme key the choice is stored under, when the codebook has since renamed it by a merge
    stored_theme: str | None = None

    @property
    def key(self) -> str:
        """The form value that names this quote: response id, question key and theme (as stored)."""
        return f"{self.response_id}:{self.question_key}:{self.stored_theme or self.quote.theme}"


@dataclass
class DroppedQuote:
    """A quote the lead chose that can no longer be used, and why."""

    response_id: str
    question_key: str
    theme: str
    theme_label: str
    reason: str
    #: the redacted quote, when its answer is still there
    text: str | None = None

    @property
    def key(self) -> str:
        """The form value that names the stored choice."""
        return f"{self.response_id}:{self.question_key}:{self.theme}"


@dataclass
class QuoteBankPage:
    """Everything the quote bank page shows."""

    themes: list[ThemeQuotes]
    skipped: dict[str, str]
    bank: QuoteBank
    dropped: list[DroppedQuote] = field(default_factory=list)

    def keys(self) -> dict[str, tuple[str, str, str]]:
        """Every quote or stored choice the lead may decide on now: form value -> (response, question, theme)."""
        rows = [r.key for t in self.themes for r in t.rows] + [d.key for d in self.dropped]
        return {key: tuple(key.split(":", 2)) for key in rows}  # type: ignore[misc]  # always three parts


@dataclass
class ThemeQuotes:
    """One theme's proposed quotes."""

    key: str
    label: str
    rows: list[QuoteRow]


def _flagged(campaign: Campaign) -> set[tuple[str, str | None]]:
    """(response id, question key) of answers that raised a safeguarding flag (None: the whole response)."""
    return {
        (r, q)
        for r, q in db.session.execute(
            select(SafeguardingFlag.response_id, SafeguardingFlag.question_key)
            .join(Response)
            .where(Response.campaign_id == campaign.id)
        )
    }


def _bank(campaign: Campaign) -> tuple[CampaignText, CampaignText, QuoteBank]:
    # scikit-learn is imported here, not at start-up: every web worker imports this module, and only
    # the quote bank pages need it (import time and memory matter for worker start-up).
    from analysis.quotes.bank import propose_quotes

    everything = campaign_text(campaign)
    # An answer that raised a safeguarding flag is someone's situation, not a quote for a leaflet.
    flagged = _flagged(campaign)
    data = replace(
        everything,
        records=[
            r
            for r in everything.records
            if (r.extra["response_id"], r.extra["question_key"]) not in flagged
            and (r.extra["response_id"], None) not in flagged
        ],
    )
    return (
        everything,
        data,
        propose_quotes(data.records, redactor=data.redactor, population=data.population, threshold=DEFAULT_THRESHOLD),
    )


def _choices(campaign: Campaign) -> dict[tuple[str, str, str], QuoteChoice]:
    return {
        (c.response_id, c.question_key, c.theme_key): c
        for c in db.session.scalars(
            select(QuoteChoice).where(QuoteChoice.campaign_id == campaign.id).order_by(QuoteChoice.id)
        )
    }


def _chosen(
    campaign: Campaign, everything: CampaignText, data: CampaignText, choices: dict[tuple[str, str, str], QuoteChoice]
) -> tuple[list[QuoteRow], list[DroppedQuote]]:
    """The quotes chosen to use that stand, as rows, and those dropped with the reason."""
    from analysis.quotes.chosen import CHOSEN_FOR, DROP_REASONS, Choice, chosen_quotes, drop_reason

    book = everything.book
    codes = campaign_codes(campaign.id)
    flagged = _flagged(campaign)
    position = {everything.key_of(i): i for i in range(len(everything.records))}
    standing: dict[int, list[str]] = defaultdict(list)
    stored: dict[tuple[int, str], str] = {}
    dropped = []
    for (response_id, question_key, theme), row in choices.items():
        if row.decision != "use":
            continue
        index = position.get((response_id, question_key))
        review = answer_themes(book, codes.get((response_id, question_key), []), everything.thresholds)
        why = drop_reason(
            Choice(response_id, question_key, theme),
            answer_exists=index is not None and bool(everything.records[index].text.strip()),
            flagged=(response_id, question_key) in flagged or (response_id, None) in flagged,
            resolve=book.resolve,
            reviewed=review.reviewed,
            kept_themes=review.counted,
        )
        if why is None and index is not None:
            now = book.resolve(theme) or theme
            standing[index].append(now)
            stored[(index, now)] = theme
            continue
        text = None
        if index is not None and why != "safeguarding" and everything.records[index].text.strip():
            text = everything.redactor.redact(everything.records[index].text).text
        label = everything.theme_labels.get(book.resolve(theme) or theme, theme.replace("_", " ").capitalize())
        dropped.append(DroppedQuote(response_id, question_key, theme, label, _(DROP_REASONS[why or ""]), text))
    marked = [
        replace(r, extra={**r.extra, CHOSEN_FOR: tuple(standing[i])}) if i in standing else r
        for i, r in enumerate(everything.records)
    ]
    quotes = chosen_quotes(marked, everything.redactor, data.population, DEFAULT_THRESHOLD, everything.theme_labels)
    rows = []
    for quote in quotes:
        response_id, question_key = everything.key_of(quote.index)
        theme = stored[(quote.index, quote.theme)]
        rows.append(QuoteRow(quote, response_id, question_key, "use", theme if theme != quote.theme else None))
    return rows, dropped


def proposed(campaign: Campaign) -> QuoteBankPage:
    """The proposed quotes by theme with the lead's choices (chosen ones kept whatever the coder does
    now), why other themes have none, the bank, and the chosen quotes dropped with the reason."""
    everything, data, bank = _bank(campaign)
    choices = _choices(campaign)
    chosen, dropped = _chosen(campaign, everything, data, choices)
    by_theme: dict[str, list[QuoteRow]] = defaultdict(list)
    for row in chosen:
        by_theme[row.quote.theme].append(row)
    have = {(r.response_id, r.question_key, r.quote.theme) for r in chosen}
    for theme, quotes in bank.quotes.items():
        for quote in quotes:
            response_id, question_key = data.key_of(quote.index)
            if (response_id, question_key, theme) in have:
                continue
            choice = choices.get((response_id, question_key, theme))
            by_theme[theme].append(QuoteRow(quote, response_id, question_key, choice.decision if choice else None))
    themes = [
        ThemeQuotes(theme, data.theme_labels.get(theme, theme), rows)
        for theme, rows in sorted(by_theme.items(), key=lambda kv: data.theme_labels.get(kv[0], kv[0]))
    ]
    # The bank's reasons name exact counts; a count under the threshold is itself disclosive, so say less.
    skipped = {
        data.theme_labels.get(theme, theme): _(
            "Fewer than %(n)s answers: no quotes, to protect the people who gave them.", n=DEFAULT_THRESHOLD
        )
        if "fewer than the threshold" in reason
        else _("No answer is confidently coded, free of identifying details and the right length to quote.")
        for theme, reason in bank.skipped.items()
        if theme not in by_theme
    }
    return QuoteBankPage(themes, skipped, bank, dropped)


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


def record_choice(campaign: Campaign, key: tuple[str, str, str], decision: str, user_id: int) -> None:
    """Store "use" / "dont_use" for a quote (response id, question key, theme), or forget the choice ("clear")."""
    response_id, question_key, theme = key
    existing = db.session.scalar(
        select(QuoteChoice).where(
            QuoteChoice.response_id == response_id,
            QuoteChoice.question_key == question_key,
            QuoteChoice.theme_key == theme,
        )
    )
    if decision == "clear":
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            QuoteChoice(
                campaign_id=campaign.id,
                response_id=response_id,
                question_key=question_key,
                theme_key=theme,
                decision=decision,
                decided_by=user_id,
                decided_on=clock.today(),
            )
        )
    else:
        existing.decision, existing.decided_by, existing.decided_on = decision, user_id, clock.today()
    db.session.flush()
