"""The codebook in the staff workspace: add, edit, merge and retire themes, and find what it misses.

Every change is made by analysis.coding.edits and stored as a new CodebookVersion for the campaign
(see survey_app.models.coding): codes made under earlier versions keep their version and are read
through `theme_now`, so a merged theme's codes count towards its target and a retired theme's are
kept and shown as retired. After a change, answers nobody has reviewed are recoded with the new
codebook's rules; a trained coder belongs to the version it was trained on, so the analyst is told to
retrain. Analysts and administrators only (the discovery page shows redacted free text). The audit
log records theme keys and version numbers, never the words of a theme or of an answer.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from analysis.coding.auto_apply import ThemeThresholds
from analysis.coding.codebook import Codebook
from analysis.coding.counted import counting_codes
from analysis.coding.edits import (
    CodebookChange,
    count_codes,
)
from analysis.disclosure import protect_counts
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CodebookVersion
from survey_app.staff import clock
from survey_app.staff.auth import audit
from survey_app.staff.free_text.coding import code_answers, codes_by_answer, free_text_answers

#: Statuses of codes that say an answer has the theme (applied by the coder, or kept by a person).
HAS_THEME = ("applied", "accepted", "added")


def version_history(campaign_id: int, current: CodebookVersion) -> list[CodebookVersion]:
    """The campaign's codebook versions, newest first, down to the shipped one it started from."""
    rows = list(
        db.session.scalars(
            select(CodebookVersion)
            .where(CodebookVersion.campaign_id == campaign_id)
            .order_by(CodebookVersion.version.desc(), CodebookVersion.id.desc())
        )
    )
    if current.campaign_id is None:
        rows.append(current)
    else:
        base_version = rows[-1].version - 1 if rows else current.version
        shipped = db.session.scalar(
            select(CodebookVersion)
            .where(
                CodebookVersion.campaign_id.is_(None),
                CodebookVersion.name == current.name,
                CodebookVersion.version == base_version,
            )
            .order_by(CodebookVersion.id.desc())
            .limit(1)
        )
        if shipped is not None:
            rows.append(shipped)
    return rows


def theme_counts(campaign_id: int, book: Codebook, thresholds: ThemeThresholds) -> tuple[dict[str, Any], int]:
    """Answers per theme as the codebook now stands, through disclosure control, and how many answers
    are coded: each code counted as every other page counts it, under its theme's confidence now."""
    answers = {
        key: [c.theme_key for c in counting_codes(book, codes, thresholds)]
        for key, codes in codes_by_answer(campaign_id).items()
    }
    counts = count_codes(book, answers)
    raw = {t.key: counts.current.get(t.key, 0) for t in book.all_themes() if t.active}
    raw |= {t.key: counts.retired.get(t.key, 0) for t in book.all_themes() if not t.active and not t.merged_into}
    raw |= {f"unknown:{k}": n for k, n in counts.unknown.items()}
    coded = sum(1 for keys in answers.values() if keys)
    if not raw:
        return {}, coded
    # Not exclusive: an answer can have several themes; each count is out of the coded answers.
    protected = protect_counts(raw, total=max(coded, max(raw.values())), exclusive=False)
    return dict(protected.items()), coded


def save_change(campaign: Campaign, change: CodebookChange) -> CodebookVersion:
    """Store the new version for the campaign, recode unreviewed answers under it, and audit (keys only)."""
    book = change.book
    row = CodebookVersion(
        campaign_id=campaign.id,
        name=book.name,
        version=book.version,
        content_hash=book.fingerprint,
        content=book.to_dict(),
        created_on=clock.today(),
        change_note=change.note,
    )
    db.session.add(row)
    db.session.flush()
    recoded = code_answers(current_app._get_current_object(), campaign.id)  # type: ignore[attr-defined]  # the proxy hides the real app
    audit(
        f"codebook_{change.action}",
        f"campaign:{campaign.id}",
        version=book.version,
        themes=list(change.keys),
        recoded=recoded,
    )
    return row


def discovery_records(campaign_id: int, book: Codebook) -> list[dict[str, Any]]:
    """Every free-text answer with the themes it counts as covered by, for topic discovery."""
    codes = codes_by_answer(campaign_id)
    records = []
    for answer in free_text_answers(campaign_id):
        kept = codes.get((answer.response_id, answer.question_key), [])
        # A suggestion the coder leans towards counts as covered: the codebook has words for it.
        now = {
            book.resolve(c.theme_key) or c.theme_key
            for c in kept
            if c.status in HAS_THEME or (c.status == "suggested" and c.confidence >= 0.5)
        }
        records.append({"text": answer.text or "", "themes": sorted(now)})
    return records
