"""Rules from the codebook: stemming, teen spelling, emoji, negation and explainable evidence."""

from __future__ import annotations

import pytest

from analysis.coding.codebook import load_codebook
from analysis.coding.rules import RulesCoder
from analysis.coding.text import tokenize


@pytest.fixture(scope="module")
def rules() -> RulesCoder:
    return RulesCoder(load_codebook())


def themes(rules: RulesCoder, text: str) -> set[str]:
    scores, _ = rules.score(text)
    return {k for k, v in scores.items() if v >= 0.5}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("I got bullied at skool", "bullying"),
        ("i got bullied at skool", "school_education"),
        ("theres nuthin 2 do round here", "youth_provision"),
        ("sooo boooored", "youth_provision"),
        ("ppl film fights n put them on snap", "social_media"),
        ("the feds r always stopping us", "police"),
        ("my mate got shanked 🔪", "knives_weapons"),
        ("💊💊 everywhere", "drugs_alcohol"),
        ("KNIFE CRIME", "knives_weapons"),
        ("bullies", "bullying"),
        ("they got groomed into county lines", "gangs_exploitation"),
    ],
)
def test_teen_spelling_stems_case_and_emoji(rules: RulesCoder, text: str, theme: str) -> None:
    assert theme in themes(rules, text)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("I'm not bothered about social media", "social_media"),
        ("im not really worried about social media tbh", "social_media"),
        ("social media isn't a problem", "social_media"),
        ("gangs don't bother me", "gangs_exploitation"),
        ("there are no gangs round here", "gangs_exploitation"),
        ("I have never been bullied", "bullying"),
        ("I don't think drugs are an issue", "drugs_alcohol"),
        ("I don't feel safe", "community_safety"),
    ],
)
def test_negation_cancels_the_theme(rules: RulesCoder, text: str, theme: str) -> None:
    assert theme not in themes(rules, text)
    _, found = rules.score(text)
    negated = [m for m in found if m.theme == theme]
    assert negated and all(m.negated and m.cue for m in negated)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("there are no youth clubs", "youth_provision"),  # absence is the theme
        ("not enough police", "police"),
        ("the alleyway has no lights", "unsafe_places"),
        ("no more knife crime", "knives_weapons"),  # wanting less of it is still about it
        ("don't carry knives", "knives_weapons"),  # advice, not denial
        ("social media is bad, not the police", "social_media"),  # the negation is in another clause
        ("I'm not bothered about the police but social media is bad", "social_media"),
        ("the police dont care", "police"),  # a complaint, not a denial
    ],
)
def test_negation_does_not_overreach(rules: RulesCoder, text: str, theme: str) -> None:
    assert theme in themes(rules, text)


def test_evidence_names_the_words_and_where_they_are(rules: RulesCoder) -> None:
    text = "Kids carry knifes coz they're scared of gangs"
    _, found = rules.score(text)
    by_theme = {m.theme: m for m in found}
    knives = by_theme["knives_weapons"]
    assert text[knives.start : knives.end] == knives.text == "carry knifes"
    assert "carry knifes" in knives.explain()
    assert by_theme["gangs_exploitation"].text == "gangs"


def test_exclude_phrases_stop_a_covered_match(rules: RulesCoder) -> None:
    assert "media_representation" not in themes(rules, "too much social media")
    assert "media_representation" in themes(rules, "the media makes our area look bad")


def test_sub_theme_match_counts_for_its_parent(rules: RulesCoder) -> None:
    scores, _ = rules.score("they do it for clout")
    assert scores["peer_pressure_status"] >= 0.5 and scores["peer_pressure"] >= 0.5


def test_tokenizer_keeps_offsets_for_emoji_and_expansions() -> None:
    tokens = tokenize("idk 🔪 lol")
    assert [t.norm for t in tokens[:3]] == ["i", "don't", "know"]
    assert {t.text for t in tokens[:3]} == {"idk"}
    knife = next(t for t in tokens if t.norm == "🔪")
    assert "idk 🔪 lol"[knife.start : knife.end] == "🔪"


def test_empty_and_odd_input(rules: RulesCoder) -> None:
    for text in ("", "   ", "!!!", "😀😀", "a" * 5000):
        scores, found = rules.score(text)
        assert found == [] and max(scores.values()) < 0.5


# Ordinary words that name a theme's words without being about the theme, and everyday ways of
# saying a theme that share none of its obvious words. Each pair was coded wrongly once.
@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("we have gaming nights at the youth club", "social_media"),
        ("my phone was stolen on the bus", "social_media"),
        ("my mum works at night", "unsafe_places"),
        ("someone broke into our shed", "poverty_money"),
        ("the street has poor lighting", "poverty_money"),
        ("the police are dealing with it", "drugs_alcohol"),
        ("it's mental round here on a friday", "mental_health"),
        ("kids follow their friends into trouble", "community_safety"),
        ("the area has a bad reputation in the news", "peer_pressure"),
        ("reporting it to the police", "media_representation"),
        ("my older brother walks me to school", "peer_pressure"),
        ("you get the benefits of the youth club", "poverty_money"),
    ],
)
def test_ordinary_words_do_not_code_the_theme(rules: RulesCoder, text: str, theme: str) -> None:
    assert theme not in themes(rules, text)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("pulled into bad friendship groups", "peer_pressure"),
        ("they got dragged into the wrong friendship group", "peer_pressure"),
        ("they get in with a bad group of friends", "peer_pressure"),
        ("he got led astray by his friends", "peer_pressure"),
        ("the olders make the young ones carry", "peer_pressure"),
        ("kids are glued to their phones watching fights", "social_media"),
        ("they play violent games online", "social_media"),
        ("walking home at night is scary", "unsafe_places"),
        ("families are skint and the kids are broke", "poverty_money"),
        ("lads dealing drugs by the shops", "drugs_alcohol"),
        ("it's a friendly area, I know my neighbours", "community_safety"),
        ("they do it for their reputation", "peer_pressure"),
    ],
)
def test_everyday_ways_of_saying_a_theme(rules: RulesCoder, text: str, theme: str) -> None:
    assert theme in themes(rules, text)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("the driver called my name at reception", "bullying"),
        ("you are all doing a great job", "jobs_opportunities"),
        ("my wife was poorly all night", "poverty_money"),
        ("I was impressed by the youth worker", "peer_pressure"),
        ("help for the elderly people on our street", "peer_pressure"),
        ("they need to recruit more staff", "gangs_exploitation"),
        ("I waited an hour on the phone", "social_media"),
        ("the tv in the youth centre is good", "media_representation"),
    ],
)
def test_everyday_praise_and_chat_are_not_themes(rules: RulesCoder, text: str, theme: str) -> None:
    assert theme not in themes(rules, text)
