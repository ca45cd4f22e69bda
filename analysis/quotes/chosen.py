"""The quotes a communications lead chose from the bank: kept until their answer or theme goes.

The bank (`analysis.quotes.bank`) proposes quotes from the coder's current codes, so its proposals
move whenever answers are recoded or the coder is retrained. A choice must not move with them: the
lead read that quote and decided to use it. So a chosen quote is built from the choice itself (the
answer and the theme it was chosen for), not from the proposals, and it stays chosen unless

- its answer is no longer there (retention removed the words, or the response was deleted),
- its answer raised a safeguarding flag (someone's situation, not a quote for a leaflet),
- its theme was retired from the codebook (a merged theme's choices follow it to its target), or
- a person reviewed the answer and decided it is not about that theme.

Then the choice is *dropped*, with the reason, so the lead can be told (`drop_reason`). Nothing here
depends on the automatic codes. Chosen quotes are redacted and attributed exactly as proposals are.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from analysis.quotes.attribution import AttributionLadder
from analysis.quotes.bank import ProposedQuote
from analysis.text.records import TextAnswer
from analysis.text.redaction import Redactor

#: why a chosen quote can no longer be used, as the lead is told
DROP_REASONS = {
    "answer_removed": "Its answer is no longer kept (the words were removed, for example when the campaign's "
    "retention period ended).",
    "safeguarding": "Its answer raised a safeguarding concern, so it is not quoted.",
    "theme_retired": "Its theme was retired from the codebook.",
    "theme_rejected": "A reviewer decided the answer is not about this theme.",
}

#: the key records carry in `extra` to say which themes (as now named) the lead chose them for
CHOSEN_FOR = "chosen_for"


@dataclass(frozen=True)
class Choice:
    """One stored "use" choice: the answer and the theme key it was chosen under."""

    response_id: str
    question_key: str
    theme: str


def drop_reason(
    choice: Choice,
    *,
    answer_exists: bool,
    flagged: bool,
    resolve: Callable[[str], str | None],
    reviewed: bool,
    kept_themes: Collection[str],
) -> str | None:
    """Why the choice can no longer be used (a key of DROP_REASONS), or None while it stands.

    `resolve` names the theme as the codebook now has it (None when retired); `reviewed` and
    `kept_themes` are a person's review of the answer, if any (themes as now named)."""
    if not answer_exists:
        return "answer_removed"
    if flagged:
        return "safeguarding"
    now = resolve(choice.theme)
    if now is None:
        return "theme_retired"
    if reviewed and now not in kept_themes:
        return "theme_rejected"
    return None


def chosen_quotes(
    records: Sequence[TextAnswer],
    redactor: Redactor,
    population: Iterable[TextAnswer] | None = None,
    threshold: int = 10,
    labels: dict[str, str] | None = None,
) -> list[ProposedQuote]:
    """The records marked with `extra["chosen_for"]` as quotes, one per chosen theme: redacted and
    attributed as the bank's proposals are, ordered by theme (label) and then as the records are."""
    ladder = AttributionLadder(records if population is None else population, threshold)
    out: list[tuple[str, int, ProposedQuote]] = []
    for index, record in enumerate(records):
        themes = record.extra.get(CHOSEN_FOR) or ()
        if not themes or not record.text.strip():
            continue
        redacted = redactor.redact(record.text)
        attribution = ladder.attribute(record)
        for theme in themes:
            quote = ProposedQuote(
                theme=theme,
                text=redacted.text,
                attribution=attribution.label,
                audience=record.audience,
                score=0.0,
                typicality=0.0,
                sentiment=0.0,
                confidence=record.confidence_for(theme),
                index=index,
                removed=redacted.removed,
            )
            out.append(((labels or {}).get(theme, theme), index, quote))
    return [q for _, _, q in sorted(out, key=lambda x: (x[0], x[1]))]
