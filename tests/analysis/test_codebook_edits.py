"""Analysts' codebook edits: every operation makes a new version with a note, refuses what would lose
meaning, and leaves old codes readable; `theme_now` and `count_codes` say what old codes mean now."""

from __future__ import annotations

import pytest
import yaml

from analysis.coding.codebook import Codebook, CodebookError, Theme, codebook_from_dict, load_codebook
from analysis.coding.edits import (
    ThemeNow,
    add_theme,
    count_codes,
    edit_theme,
    merge_themes,
    phrase_list,
    promotion_fields,
    retire_theme,
    theme_now,
)
from analysis.coding.rules import RulesCoder


def small() -> Codebook:
    """Three themes, one with a sub-theme: small enough to work out every answer by hand."""
    return Codebook(
        "tiny",
        1,
        (
            Theme("police", "Police", phrases=("police", "cops")),
            Theme("media", "News media", phrases=("newspaper", "media"), exclude_phrases=("social media",)),
            Theme(
                "places",
                "Unsafe places",
                phrases=("park",),
                sub_themes=(Theme("lighting", "Street lighting", phrases=("dark", "street lights"), parent="places"),),
            ),
            Theme("online", "Online", phrases=("online", "snapchat")),
        ),
    )


def test_add_theme_and_sub_theme_make_new_versions_with_notes() -> None:
    book = small()
    change = add_theme(
        book,
        "dog_fouling",
        " Dog  fouling ",
        definition="Dog mess in public places.",
        phrases="dog poo\n\ndog mess; dog poo",
        includes=["owners not picking up"],
        reason="Seen in 30 answers",
    )
    new = change.book
    assert new.version == 2 and book.version == 1 and "dog_fouling" not in book  # the old version is untouched
    assert new["dog_fouling"].label == "Dog fouling" and new["dog_fouling"].phrases == ("dog poo", "dog mess")
    assert change.note == "Added theme dog_fouling (Dog fouling). Why: Seen in 30 answers."
    assert change.action == "add" and change.keys == ("dog_fouling",)
    sub = add_theme(new, "cctv", "CCTV", parent="places").book
    assert sub.version == 3 and sub["cctv"].parent == "places" and "cctv" in sub.keys(sub_themes=True)
    assert [t.key for t in sub["places"].sub_themes] == ["lighting", "cctv"]
    promoted = add_theme(book, "bins", "Bins", promoted=True)
    assert promoted.action == "promote" and promoted.note.startswith("Promoted a discovered topic to theme bins")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": "police", "label": "Police again"}, "already used"),
        ({"key": "Dog Fouling", "label": "Dogs"}, "lower-case"),
        ({"key": "dogs", "label": "Dogs", "parent": "nowhere"}, "'nowhere': not in the codebook"),
    ],
)
def test_add_refuses_duplicates_bad_keys_and_unknown_parents(kwargs: dict, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        add_theme(small(), **kwargs)


def test_add_refuses_a_key_a_retired_theme_holds_and_a_retired_parent() -> None:
    book = retire_theme(small(), "places").book
    with pytest.raises(CodebookError, match="already used \\(by a retired theme\\)"):
        add_theme(book, "places", "Places again")
    with pytest.raises(CodebookError, match="'places': already retired"):
        add_theme(book, "cctv", "CCTV", parent="places")


def test_edit_changes_wording_keeps_key_and_sub_themes() -> None:
    change = edit_theme(
        small(),
        "places",
        label="Unsafe places and the environment",
        phrases="park\nunderpass",
        reason="underpasses keep coming up",
    )
    new = change.book
    assert new["places"].label == "Unsafe places and the environment" and new["places"].phrases == ("park", "underpass")
    assert [t.key for t in new["places"].sub_themes] == ["lighting"]  # sub-themes stay where they were
    assert change.note == "Edited theme places: label, phrases. Why: underpasses keep coming up."
    with pytest.raises(CodebookError, match="nothing was changed"):
        edit_theme(new, "places", label="Unsafe places and the environment")
    with pytest.raises(CodebookError, match="cannot change status"):
        edit_theme(new, "places", status="retired")
    with pytest.raises(CodebookError, match="needs a 'label'"):
        edit_theme(new, "places", label="  ")


def test_merge_retires_source_moves_its_phrases_and_exclusions_and_points_old_codes_at_target() -> None:
    change = merge_themes(small(), "media", into="online")
    new = change.book
    assert new.version == 2 and change.keys == ("media", "online") and change.note == "Merged theme media into online."
    assert not new["media"].active and new["media"].merged_into == "online"
    assert new["media"].phrases == ("newspaper", "media")  # still readable as it was
    assert new["online"].phrases == ("online", "snapchat", "newspaper", "media")
    # Without the exclusion, "media" would now match "social media" for a theme that means news.
    assert new["online"].exclude_phrases == ("social media",)
    assert "media" not in new.keys(sub_themes=True) and new.resolve("media") == "online"
    rules = RulesCoder(new)
    assert rules.score("the newspaper said so")[0]["online"] >= 0.5
    assert "media" not in rules.score("the newspaper said so")[0]


@pytest.mark.parametrize(
    ("source", "into", "message"),
    [
        ("police", "police", "into itself"),
        ("nope", "police", "'nope': not in the codebook"),
        ("police", "nope", "'nope': not an active theme"),
        ("places", "police", "merge or retire its sub-themes \\(lighting\\) first"),
    ],
)
def test_merge_refuses_what_would_lose_meaning(source: str, into: str, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        merge_themes(small(), source, into)


def test_merge_refuses_retired_themes_either_way() -> None:
    book = retire_theme(small(), "police").book
    with pytest.raises(CodebookError, match="'police': already retired"):
        merge_themes(book, "police", "online")
    with pytest.raises(CodebookError, match="'police': not an active theme"):
        merge_themes(book, "online", "police")


def test_retire_keeps_theme_readable_with_its_sub_themes_and_stops_rules() -> None:
    change = retire_theme(small(), "places", reason="too broad")
    new = change.book
    assert change.keys == ("places", "lighting")
    assert change.note == "Retired theme places and its sub-themes lighting. Why: too broad."
    assert "places" in new and new["places"].label == "Unsafe places" and new["places"].note == "too broad"
    assert not new["lighting"].active and new.keys(sub_themes=True) == ["police", "media", "online"]
    assert {"places", "lighting"} <= set(RulesCoder(small()).score("the park is dark")[0])
    assert not {"places", "lighting"} & set(RulesCoder(new).score("the park is dark")[0])
    with pytest.raises(CodebookError, match="already retired"):
        retire_theme(new, "places")
    with pytest.raises(CodebookError, match="not in the codebook"):
        retire_theme(new, "nope")


def test_edited_versions_round_trip_through_yaml_and_fingerprint_changes() -> None:
    book = load_codebook()
    v2 = add_theme(book, "dog_fouling", "Dog fouling", phrases="dog poo").book
    v3 = merge_themes(v2, "media_representation", "social_media").book
    v4 = retire_theme(v3, "bullying").book
    again = codebook_from_dict(yaml.safe_load(v4.to_yaml()))
    assert again == v4 and again.fingerprint == v4.fingerprint
    assert len({b.fingerprint for b in (book, v2, v3, v4)}) == 4
    assert len(v4.all_themes()) == len(book.all_themes()) + 1  # nothing was deleted


def test_theme_now_follows_merges_through_several_versions() -> None:
    # v2: media into online; v3: online into police. A code made under v1 on "media" now counts as police.
    v3 = merge_themes(merge_themes(small(), "media", "online").book, "online", "police").book
    assert theme_now(v3, "media").current == "police" and theme_now(v3, "media").state == "merged"
    assert theme_now(v3, "online").current == "police"
    assert theme_now(v3, "police").state == "active"
    v4 = retire_theme(v3, "police").book
    assert theme_now(v4, "media").current is None and theme_now(v4, "media").state == "retired"
    assert theme_now(v4, "martians") == ThemeNow("martians", None, "unknown")


def test_count_codes_worked_by_hand() -> None:
    # v3 of the small book: media merged into online, places retired (with lighting).
    book = retire_theme(merge_themes(small(), "media", "online").book, "places").book
    coded = {
        "a1": ["police"],  # police 1
        "a2": ["media"],  # online 1 (merged)
        "a3": ["media", "online"],  # online once, not twice
        "a4": ["places", "lighting"],  # both retired, kept
        "a5": ["online", "police"],  # online, police
        "a6": ["ufo"],  # a theme no version had
        "a7": [],
    }
    counts = count_codes(book, coded)
    assert dict(counts.current) == {"police": 2, "online": 3}
    assert dict(counts.retired) == {"places": 1, "lighting": 1}
    assert dict(counts.unknown) == {"ufo": 1}


def test_promotion_fields_prefill_a_free_key_and_phrases_but_no_answers() -> None:
    book = add_theme(small(), "dog_fouling", "Dog fouling").book
    candidate = {
        "suggested_key": "dog_fouling",
        "top_terms": ["fouling", "dog", "footpath"],
        "key_phrases": ["dog fouling"],
        "examples": ["dogs fouling the footpath by [place]"],
    }
    fields = promotion_fields(candidate, book)
    assert fields["key"] == "dog_fouling_2" and fields["label"] == "Dog fouling"
    assert fields["phrases"].split("\n") == ["dog fouling", "fouling", "dog", "footpath"]
    assert "[place]" not in str(fields) and fields["examples"] == ""
    new = add_theme(book, **{k: v for k, v in fields.items() if k in ("key", "label", "phrases")}).book
    assert new["dog_fouling_2"].phrases == ("dog fouling", "fouling", "dog", "footpath")


def test_phrase_list_splits_lines_and_semicolons_and_drops_repeats() -> None:
    assert phrase_list("a\r\nb;  c  d \n\na") == ("a", "b", "c d")
    assert phrase_list(None) == () and phrase_list(["x", " x ", ""]) == ("x",)
