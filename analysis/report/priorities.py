"""The partnership's priorities, which themes and measures inform each, and who raised it.

Priorities are data: a partnership replaces `SEED_PRIORITIES` with its own list (the workspace keeps
one list per partnership and passes it in the report spec; the command line reads a YAML file of the
same shape). The seeds follow the public-health model the Trafford and
Staffordshire strategies use. A group "raised" a priority when one of its audiences has a published,
non-zero count for one of the priority's themes in the themes-by-audience table: the key adds no
number that table does not already publish, so it cannot reveal a hidden cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.report.model import Priority, Table, audience_label

#: The groups of the "who raised it" key and the audiences in each.
GROUPS: dict[str, tuple[str, ...]] = {
    "Children and young people": ("children", "young_people", "young_adults"),
    "Parents and carers": ("parents_carers",),
    "Professionals": ("professionals",),
}
RAISED = "●"
NOT_RAISED = "○"  # not the tables' "—" (no percentage): one mark, one meaning
#: the key's words while no free-text answer has been coded with themes
NOT_YET_KNOWN = "Not yet known"
NOT_CODED = (
    "The free-text answers have not yet been analysed for themes, so this key cannot yet show which groups "
    "raised each priority in their own words."
)
NO_FREE_TEXT = "Nobody in this report wrote a free-text answer, so the key cannot show who raised each priority."
KEY = {
    RAISED: "raised by this group in their own words (free-text answers coded to the priority's themes)",
    # Not "nobody said it": a few may have, too few to publish (a quote may even show one of them).
    NOT_RAISED: "raised by too few of this group to show, or by none",
}


@dataclass
class PriorityConfig:
    """One priority: its key, its name, and the codebook themes and survey measures that inform it."""

    key: str
    label: str
    themes: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)


SEED_PRIORITIES: list[PriorityConfig] = [
    PriorityConfig(
        "attitudinal_change",
        "Attitudinal change",
        ["social_media", "media_representation", "peer_pressure", "knives_weapons"],
        ["carried_weapon", "seen_violence_social_media"],
    ),
    PriorityConfig(
        "primary_prevention",
        "Primary prevention",
        ["youth_provision", "jobs_opportunities", "school_education", "poverty_money", "family_home"],
        ["places_to_go", "local_opportunities", "belong_local_area"],
    ),
    PriorityConfig(
        "secondary_prevention",
        "Secondary prevention",
        ["mental_health", "bullying", "where_to_get_help"],
        ["trusted_adult"],
    ),
    PriorityConfig(
        "tertiary_prevention",
        "Tertiary prevention",
        ["gangs_exploitation", "drugs_alcohol"],
        ["crime_for_money"],
    ),
    PriorityConfig(
        "enforcement_criminal_justice",
        "Enforcement and criminal justice",
        ["police", "antisocial_behaviour", "unsafe_places", "community_safety"],
        ["police_confidence", "worry_knife_crime", "feel_safe_area"],
    ),
]


def copy_seeds() -> list[PriorityConfig]:
    """The seed priorities as new objects, so a caller may change them without changing the defaults."""
    return [PriorityConfig(p.key, p.label, list(p.themes), list(p.measures)) for p in SEED_PRIORITIES]


def new_key(label: str, taken: set[str]) -> str:
    """A stable key for a new priority from its name ("Safer streets" -> "safer_streets"), unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:50] or "priority"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def not_yet_known(priorities: list[Priority]) -> bool:
    """Whether who raised the priorities is not known yet (no free-text answer coded with themes)."""
    return any(v is None for p in priorities for v in p.raised_by.values())


def key_for(priorities: list[Priority]) -> dict[str, str]:
    """The key to the "who raised it" table, for the words its cells use."""
    if not_yet_known(priorities):
        return {NOT_YET_KNOWN: "no free-text answer has been coded with themes yet, so who raised each is not known"}
    return dict(KEY)


def load_priorities(path: Path | str) -> list[PriorityConfig]:
    """Priorities from a YAML list of {key, label, themes, measures}."""
    raw: list[dict[str, Any]] = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [
        PriorityConfig(str(p["key"]), str(p["label"]), list(p.get("themes", [])), list(p.get("measures", [])))
        for p in raw
    ]


def who_raised(
    priorities: list[PriorityConfig],
    themes: Table | None,
    theme_keys: dict[str, str],
    evidence: dict[str, list[str]],
    responses: dict[str, str],
) -> list[Priority]:
    """Each priority with, per group, whether it was raised (from the published themes table; None for
    every group when there is no themes table: no free-text answer has been coded yet).

    `themes` has a row per theme (label) and a column per audience (label); `theme_keys` maps a
    theme key to its row label; `evidence` maps a measure to the sentences that report it.
    """
    out = []
    for p in priorities:
        # With no themes coded, "not raised" would tell the public that nobody raised anything.
        raised: dict[str, bool | None] = dict.fromkeys(GROUPS, None if themes is None else False)
        if themes is not None:
            rows = {r.label: r for r in themes.rows}
            for theme in p.themes:
                row = rows.get(theme_keys.get(theme, theme))
                if row is None:
                    continue
                for column, cell in zip(themes.columns, row.cells, strict=True):
                    for group, audiences in GROUPS.items():
                        names = {audience_label(a) for a in audiences}
                        if column in names and not cell.suppressed and (cell.value or 0) > 0:
                            raised[group] = True
        lines = [sentence for m in p.measures for sentence in evidence.get(m, [])]
        out.append(Priority(p.key, p.label, raised, lines, responses.get(p.key, "")))
    return out
