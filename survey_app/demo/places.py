"""Where the synthetic respondents answer and live: a fictional but plausible Trafford.

The collection points to create, which of them each audience answers at, how safe each ward
feels and how deprived it is, and the local ethnic mix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PointSpec:
    """A collection point to create: a fictional but plausible Trafford place."""

    name: str
    kind: str
    role: str  # primary, secondary, college, youth_club, event, online, paper
    wards: tuple[str, ...] = ()  # wards most of its respondents live in


POINTS = (
    PointSpec(
        "Willow Lane Primary School",
        "school",
        "primary",
        ("stretford_humphrey_park", "gorse_hill_cornbrook", "old_trafford", "longford"),
    ),
    PointSpec(
        "Meadowbrook Primary School",
        "school",
        "primary",
        ("sale_central", "sale_moor", "brooklands", "ashton_upon_mersey"),
    ),
    PointSpec(
        "Orchard Gate Primary School", "school", "primary", ("urmston", "flixton", "davyhulme", "bucklow_st_martins")
    ),
    PointSpec(
        "Mersey Bank High School",
        "school",
        "secondary",
        ("ashton_upon_mersey", "sale_central", "sale_moor", "brooklands"),
    ),
    PointSpec(
        "Canalside High School",
        "school",
        "secondary",
        ("old_trafford", "stretford_humphrey_park", "gorse_hill_cornbrook", "longford", "lostock_barton"),
    ),
    PointSpec(
        "Davyhulme Fields Academy",
        "school",
        "secondary",
        ("davyhulme", "flixton", "urmston", "bucklow_st_martins", "lostock_barton"),
    ),
    PointSpec(
        "Timperley Brook Academy",
        "school",
        "secondary",
        ("timperley_central", "timperley_north", "hale_barns_timperley_south", "altrincham", "broadheath"),
    ),
    PointSpec("Crossford Sixth Form College", "school", "college"),
    PointSpec(
        "Brookside Youth Club",
        "youth_club",
        "youth_club",
        ("sale_moor", "old_trafford", "gorse_hill_cornbrook", "stretford_humphrey_park"),
    ),
    PointSpec("Youth Voice Fun Day (community event)", "community_event", "event"),
    PointSpec("Online link (council website and social media)", "online", "online"),
    PointSpec("Paper copies (libraries and community centres)", "paper", "paper"),
)

#: Where each audience answers, by collection point role.
ROUTES = {
    "children": {"primary": 0.86, "online": 0.05, "event": 0.05, "paper": 0.04},
    "young_people": {"secondary": 0.66, "college": 0.10, "youth_club": 0.10, "online": 0.10, "event": 0.04},
    "young_adults": {"college": 0.30, "youth_club": 0.12, "online": 0.46, "event": 0.08, "paper": 0.04},
    "parents_carers": {"online": 0.55, "primary": 0.08, "secondary": 0.08, "event": 0.14, "paper": 0.15},
    "professionals": {"online": 0.90, "event": 0.05, "paper": 0.05},
}

#: Ward traits: (shift in feeling safe, deprivation), in standard deviations. Unknown wards get 0.
WARDS = {
    "old_trafford": (-0.45, 0.8),
    "bucklow_st_martins": (-0.5, 0.9),
    "gorse_hill_cornbrook": (-0.3, 0.6),
    "stretford_humphrey_park": (-0.2, 0.4),
    "lostock_barton": (-0.1, 0.3),
    "sale_moor": (-0.1, 0.2),
    "longford": (-0.05, 0.3),
    "broadheath": (0.0, 0.1),
    "urmston": (0.05, 0.0),
    "davyhulme": (0.05, 0.0),
    "flixton": (0.1, -0.2),
    "ashton_upon_mersey": (0.1, -0.2),
    "sale_central": (0.0, 0.0),
    "altrincham": (0.05, -0.1),
    "brooklands": (0.15, -0.3),
    "timperley_central": (0.15, -0.3),
    "timperley_north": (0.1, -0.2),
    "manor": (0.1, -0.2),
    "hale": (0.3, -0.6),
    "bowdon": (0.35, -0.7),
    "hale_barns_timperley_south": (0.3, -0.6),
}

#: Trafford-like ethnic mix (2021 Census, rounded; younger people slightly more diverse).
ETHNICITY = {
    "white_british": 74.0,
    "white_irish": 1.5,
    "gypsy_irish_traveller": 0.2,
    "roma": 0.1,
    "white_other": 4.2,
    "mixed_white_black_caribbean": 1.5,
    "mixed_white_black_african": 0.6,
    "mixed_white_asian": 1.4,
    "mixed_other": 0.9,
    "indian": 2.6,
    "pakistani": 5.8,
    "bangladeshi": 0.4,
    "chinese": 0.8,
    "asian_other": 1.2,
    "caribbean": 1.1,
    "african": 2.1,
    "black_other": 0.5,
    "arab": 0.6,
    "other_ethnic_group": 0.6,
}
