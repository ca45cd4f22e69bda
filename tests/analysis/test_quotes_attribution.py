"""Attribution coarsening against group counts worked out by hand.

The population (young people unless stated), threshold 10:

| who | respondents |
|---|---|
| girl, 15-16, Stretford | 4 |
| girl, 15-16, Urmston | 7 (so girls 15-16: 11) |
| girl, 13-14 | 3 |
| girl, 11-12 | 2 (girls in all: 16) |
| boy, 15-16 | 5 |
| boy, 13-14 | 6 (so boys 13-16: 11) |
| boy, 17-18 | 2 (boys in all: 13) |
| non-binary, 15-16 | 1 |
| self-described, 15-16 | 2 (young people in all: 32) |
| parents/carers (woman, 35-44) | 8 |
"""

from __future__ import annotations

import pytest

from analysis.quotes.attribution import Attribution, AttributionLadder, band_label
from analysis.text.records import TextAnswer


def people(n: int, audience: str = "young_people", **traits: str | None) -> list[TextAnswer]:
    return [TextAnswer(text="", audience=audience, **traits) for _ in range(n)]  # type: ignore[arg-type]


POPULATION = [
    *people(4, gender="girl", age_band="15-16", area="Stretford"),
    *people(7, gender="girl", age_band="15-16", area="Urmston"),
    *people(3, gender="girl", age_band="13-14"),
    *people(2, gender="girl", age_band="11-12"),
    *people(5, gender="boy", age_band="15-16"),
    *people(6, gender="boy", age_band="13-14"),
    *people(2, gender="boy", age_band="17-18"),
    *people(1, gender="non_binary", age_band="15-16"),
    *people(2, gender="self_describe", age_band="15-16"),
    *people(8, audience="parents_carers", gender="woman", age_band="35-44"),
]


@pytest.fixture
def ladder() -> AttributionLadder:
    return AttributionLadder(POPULATION, threshold=10)


@pytest.mark.parametrize(
    ("who", "label", "level", "size"),
    [
        # 4 girls 15-16 in Stretford: too few, so the area goes; 11 girls 15-16 is enough.
        ({"gender": "girl", "age_band": "15-16", "area": "Stretford"}, "Female, 15–16", 2, 11),
        # 5 boys 15-16: the band widens down to 13-16, where there are 11.
        ({"gender": "boy", "age_band": "15-16", "area": "Urmston"}, "Male, 13–16", 3, 11),
        # 2 boys 17-18, 7 boys 15-18: the band goes; 13 boys.
        ({"gender": "boy", "age_band": "17-18"}, "Young person, male", 4, 13),
        # The youngest band widens upwards: girls 11-14 are 5; 16 girls.
        ({"gender": "girl", "age_band": "11-12"}, "Young person, female", 4, 16),
        # 1 non-binary young person: never named; the audience of 32 is.
        ({"gender": "non_binary", "age_band": "15-16"}, "Young person", 5, 32),
        # A self-described gender is never printed, whatever the count.
        ({"gender": "self_describe", "age_band": "15-16"}, "Young person", 5, 32),
    ],
)
def test_coarsened_until_the_group_is_large_enough(
    ladder: AttributionLadder, who: dict[str, str], label: str, level: int, size: int
) -> None:
    attribution = ladder.attribute(TextAnswer(text="x", audience="young_people", **who))  # type: ignore[arg-type]
    assert (attribution.label, attribution.level, attribution.group_size) == (label, level, size)


def test_no_attribution_when_even_the_audience_is_too_small(ladder: AttributionLadder) -> None:
    attribution = ladder.attribute({"text": "x", "audience": "parents_carers", "gender": "woman", "age_band": "35-44"})
    assert attribution.label is None and attribution.level == 6 and attribution.group_size == 8


def test_finest_label_when_the_threshold_allows_it() -> None:
    ladder = AttributionLadder(POPULATION, threshold=4)
    attribution = ladder.attribute(TextAnswer("x", "young_people", gender="girl", age_band="15-16", area="Stretford"))
    assert attribution.label == "Female, 15–16, Stretford" and attribution.group_size == 4


def test_respondents_are_counted_once_however_many_answers_they_gave() -> None:
    # 10 answers but only 4 people: not enough to say "Female, 15–16".
    answers = [
        TextAnswer("x", "young_people", gender="girl", age_band="15-16", respondent=f"r{i % 4}") for i in range(10)
    ] + people(20, gender="boy", age_band="15-16")
    attribution = AttributionLadder(answers, threshold=10).attribute(answers[0])
    assert attribution.label == "Young person" and attribution.group_size == 24


@pytest.mark.parametrize(("low", "high", "label"), [(15, 16, "15–16"), (10, 10, "10"), (65, float("inf"), "65+")])
def test_band_labels(low: float, high: float, label: str) -> None:
    assert band_label(low, high) == label


def test_parents_are_parent_carer_never_their_own_sex_and_age() -> None:
    parents = people(12, audience="parents_carers", gender="woman", age_band="35-44", area="Stretford")
    ladder = AttributionLadder(parents, threshold=10)
    found = ladder.attribute(parents[0])
    assert found.label == "Parent/Carer" and found.level == 5 and found.group_size == 12


def test_professionals_are_named_by_role_group_when_enough_share_it() -> None:
    police = [TextAnswer(text="", audience="professionals", gender="man", age_band="35-44", extra={"sector": "police"})]
    population = police * 11 + [
        TextAnswer(text="", audience="professionals", gender="woman", extra={"sector": "housing"}) for _ in range(3)
    ]
    ladder = AttributionLadder(
        [TextAnswer(text="", audience=a.audience, respondent=str(i), extra=a.extra) for i, a in enumerate(population)],
        threshold=10,
    )
    assert ladder.attribute(police[0]).label == "Professional, Police"
    housing = TextAnswer(text="", audience="professionals", gender="woman", extra={"sector": "housing"})
    assert ladder.attribute(housing).label == "Professional"  # 3 in that role group: the audience only


@pytest.mark.parametrize("declined", ["prefer_not_to_say", "dont_know"])
def test_an_age_not_given_is_never_printed_as_an_age(declined: str) -> None:
    # 12 boys gave no age and 11 women no age beside 11 women aged 22-25: any "inf+", "22+" or
    # other age in their label would be invented, so they are named by gender and audience only.
    boys = people(12, gender="boy", age_band=declined)
    women = people(11, audience="young_adults", gender="woman", age_band=declined)
    ladder = AttributionLadder(
        [*boys, *women, *people(11, audience="young_adults", gender="woman", age_band="22-25")], threshold=10
    )
    assert ladder.attribute(boys[0]) == Attribution("Young person, male", 4, 12)
    assert ladder.attribute(women[0]) == Attribution("Young adult, female", 4, 22)


def test_people_of_unknown_age_never_make_up_the_numbers_of_an_age_band() -> None:
    # 5 women aged 18-19 are too few to name. Joining their band to the 6 who gave no age would
    # make "Female, 18+" look like a group of 11 when only 5 people in it are known to be 18 or over.
    known = people(5, audience="young_adults", gender="woman", age_band="18-19")
    ladder = AttributionLadder(
        [*known, *people(6, audience="young_adults", gender="woman", age_band="prefer_not_to_say")], threshold=10
    )
    assert ladder.wider_band("young_adults", "18-19") == ["18-19"]
    assert ladder.attribute(known[0]) == Attribution("Young adult, female", 4, 11)
