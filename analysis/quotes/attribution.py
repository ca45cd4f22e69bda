"""Attribution for quotes, coarsened until the group it names is large enough.

A quote's attribution ("Female, 15–16, Stretford") tells the reader something about the person. It
is safe only if at least `threshold` respondents in the campaign share it; otherwise we step down
this ladder until it is:

1. gender, age band, area      "Female, 15–16, Stretford"
2. gender, age band            "Female, 15–16"
3. gender, wider age band      "Female, 13–16" (the band joined with the one below it, or above it
                               for the youngest band)
4. gender, audience            "Young person, female"
5. audience                    "Young person"
6. nothing                     None: even the audience is too small to name

Counts are of respondents (records sharing a `respondent` id count once), always within the
quote's audience, over the whole campaign population you pass in — not only those who answered
the quoted question. Records without a `respondent` id count one each, so pass ids whenever one
person can have several records, or a group will look larger than it is.

A gender we would not print (self-described, unsure, prefer not to say, or missing) skips the
steps that name it; so does a missing band or area. An age answer that is not an age ("prefer not
to say", "don't know") counts as a missing band: printing it as an age would invent one, and joining
it to a real band would count people of unknown age towards a group that names an age.

Parents and carers speak as parents: they are "Parent/Carer", never their own sex and age.
Professionals speak for their work: "Professional, Police" (their role group, from the `sector`
or `role_group` the record carries) when enough share it, else "Professional".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.text.records import DEFAULT_THRESHOLD, TextAnswer, as_answers, audience_label

#: Stored gender values and how attribution names them; others are never printed.
GENDER_LABELS = {
    "girl": "Female",
    "woman": "Female",
    "female": "Female",
    "boy": "Male",
    "man": "Male",
    "male": "Male",
    "non_binary": "Non-binary",
}


#: Audiences attributed by what they are to the child, not by their own sex, age or area.
PARENT_AUDIENCES = {"parents_carers"}
PROFESSIONAL_AUDIENCES = {"professionals"}
#: A professional's sector (the questionnaire's `sector` answer) -> the role group a quote names.
ROLE_GROUPS = {
    "education": "Education",
    "police": "Police",
    "probation_youth_justice": "Youth justice and probation",
    "health": "Health",
    "youth_service": "Youth work",
    "social_care": "Social care and early help",
    "voluntary_community": "Voluntary and community sector",
    "housing": "Council and other public services",
    "local_authority": "Council and other public services",
    "fire_rescue": "Council and other public services",
}


def role_group(answer: TextAnswer) -> str | None:
    """The role group a professional's record names (`role_group`, or a `sector` value), if any."""
    named = answer.extra.get("role_group")
    if named:
        return str(named)
    sector = answer.extra.get("sector")
    return ROLE_GROUPS.get(str(sector)) if sector else None


@dataclass(frozen=True)
class Attribution:
    """The attribution chosen for a quote: its label (None = unattributed), step and group size."""

    label: str | None
    level: int  #: 1 (finest) to 6 (none), the ladder step in the module docstring
    group_size: int  #: respondents sharing the label (or the audience size when unattributed)


def _band_bounds(band: str | None) -> tuple[float, float] | None:
    """A band's lowest and highest age, or None when the answer gives no age (declined, unsure)."""
    band = (band or "").strip()
    numbers = [int(n) for n in re.findall(r"\d+", band)]
    if not numbers:
        return None
    return (numbers[0], float("inf") if band.endswith("+") else numbers[-1])


def band_label(low: float, high: float) -> str:
    """An age range as printed: "15–16", "10", "65+"."""
    if high == float("inf"):
        return f"{low:g}+"
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


class AttributionLadder:
    """Counts of a campaign's respondents, for coarsening quote attributions against them."""

    def __init__(
        self, population: Iterable[TextAnswer | Mapping[str, Any]], threshold: int = DEFAULT_THRESHOLD
    ) -> None:
        self.threshold = threshold
        people: dict[object, TextAnswer] = {}
        for index, answer in enumerate(as_answers(population)):
            people.setdefault(answer.respondent if answer.respondent is not None else ("row", index), answer)
        self._people = list(people.values())
        self._bands: dict[str, list[str]] = {}
        for person in self._people:
            if person.age_band and _band_bounds(person.age_band):
                bands = self._bands.setdefault(person.audience, [])
                if person.age_band not in bands:
                    bands.append(person.age_band)
        for bands in self._bands.values():
            bands.sort(key=lambda band: _band_bounds(band) or (0, 0))

    def wider_band(self, audience: str, band: str) -> list[str]:
        """The band joined with its neighbour below (or above, for the youngest): 15-16 -> 13-14 + 15-16."""
        bands = self._bands.get(audience, [])
        if band not in bands or len(bands) < 2:
            return [band]
        i = bands.index(band)
        return [bands[i - 1], band] if i > 0 else [band, bands[1]]

    def _count(
        self, audience: str, gender: str | None = None, bands: Sequence[str] | None = None, area: str | None = None
    ) -> int:
        return sum(
            1
            for p in self._people
            if p.audience == audience
            and (gender is None or GENDER_LABELS.get((p.gender or "").lower()) == gender)
            and (bands is None or p.age_band in bands)
            and (area is None or p.area == area)
        )

    def attribute(self, answer: TextAnswer | Mapping[str, Any]) -> Attribution:
        """The finest attribution for this answer's respondent that the threshold allows."""
        a = as_answers([answer])[0]
        if not a.audience:
            return Attribution(None, 6, 0)
        gender = GENDER_LABELS.get((a.gender or "").lower())
        age = _band_bounds(a.age_band)
        audience = audience_label(a.audience)
        steps: list[tuple[int, str, int]] = []
        if a.audience in PARENT_AUDIENCES | PROFESSIONAL_AUDIENCES:
            role = role_group(a) if a.audience in PROFESSIONAL_AUDIENCES else None
            if role:
                same = sum(1 for p in self._people if p.audience == a.audience and role_group(p) == role)
                steps.append((4, f"{audience}, {role}", same))
            gender = None  # never a parent's or a professional's own sex, age or area
        elif gender and a.age_band and age:
            low, high = age
            if a.area:
                steps.append(
                    (
                        1,
                        f"{gender}, {band_label(low, high)}, {a.area}",
                        self._count(a.audience, gender, [a.age_band], a.area),
                    )
                )
            steps.append((2, f"{gender}, {band_label(low, high)}", self._count(a.audience, gender, [a.age_band])))
            wide = self.wider_band(a.audience, a.age_band)
            if len(wide) > 1:
                bounds = [_band_bounds(b) or age for b in wide]  # wide holds only real bands
                label = band_label(min(b[0] for b in bounds), max(b[1] for b in bounds))
                steps.append((3, f"{gender}, {label}", self._count(a.audience, gender, wide)))
        if gender:
            steps.append((4, f"{audience}, {gender.lower()}", self._count(a.audience, gender)))
        audience_size = self._count(a.audience)
        steps.append((5, audience, audience_size))
        for level, label, size in steps:
            if size >= self.threshold:
                return Attribution(label, level, size)
        return Attribution(None, 6, audience_size)
