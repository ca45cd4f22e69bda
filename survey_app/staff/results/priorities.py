"""A partnership's priorities: read (the seeds until the partnership changes them), add, rename, map, remove.

Functions here flush and never commit: the view that calls them owns the unit of work.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from analysis.coding.codebook import load_codebook
from analysis.report.priorities import PriorityConfig, copy_seeds, new_key
from analysis.wording import measure_questions
from survey_app.extensions import db
from survey_app.models.priorities import PartnershipPriority


def measure_labels() -> dict[str, str]:
    """Survey measure -> its neutral question wording, for choosing which findings a priority quotes."""
    return measure_questions()


def theme_labels() -> dict[str, str]:
    """Codebook theme key -> its name, for choosing which themes raise a priority."""
    return {theme.key: theme.label for theme in load_codebook().all_themes()}


def partnership_priorities(partnership_id: int | None) -> list[PriorityConfig]:
    """The partnership's priorities in its order; the seeds when it has not changed them."""
    rows = _rows(partnership_id)
    if not rows:
        return copy_seeds()
    return [PriorityConfig(r.key, r.label, list(r.themes or []), list(r.measures or [])) for r in rows]


def save_priorities(partnership_id: int, priorities: list[PriorityConfig]) -> None:
    """Replace the partnership's list with `priorities` (in this order)."""
    db.session.execute(delete(PartnershipPriority).where(PartnershipPriority.partnership_id == partnership_id))
    for position, p in enumerate(priorities):
        db.session.add(
            PartnershipPriority(
                partnership_id=partnership_id,
                key=p.key,
                label=p.label,
                position=position,
                themes=list(p.themes),
                measures=list(p.measures),
            )
        )
    db.session.flush()


def add_priority(partnership_id: int, label: str, themes: list[str], measures: list[str]) -> PriorityConfig:
    """A new priority at the end of the partnership's list."""
    current = partnership_priorities(partnership_id)
    added = PriorityConfig(new_key(label, {p.key for p in current}), label, themes, measures)
    save_priorities(partnership_id, [*current, added])
    return added


def update_priority(partnership_id: int, key: str, label: str, themes: list[str], measures: list[str]) -> bool:
    """Rename a priority and choose its themes and measures (its key stays); False when there is no such key."""
    current = partnership_priorities(partnership_id)
    found = next((p for p in current if p.key == key), None)
    if found is None:
        return False
    found.label, found.themes, found.measures = label, themes, measures
    save_priorities(partnership_id, current)
    return True


def remove_priority(partnership_id: int, key: str) -> bool:
    """Take a priority off the list; False when there is no such key."""
    current = partnership_priorities(partnership_id)
    kept = [p for p in current if p.key != key]
    if len(kept) == len(current):
        return False
    save_priorities(partnership_id, kept)
    return True


def restore_seeds(partnership_id: int) -> None:
    """Go back to the seed priorities (the partnership's own list is dropped)."""
    db.session.execute(delete(PartnershipPriority).where(PartnershipPriority.partnership_id == partnership_id))
    db.session.flush()


def _rows(partnership_id: int | None) -> list[PartnershipPriority]:
    if partnership_id is None:
        return []
    return list(
        db.session.scalars(
            select(PartnershipPriority)
            .where(PartnershipPriority.partnership_id == partnership_id)
            .order_by(PartnershipPriority.position, PartnershipPriority.id)
        )
    )
