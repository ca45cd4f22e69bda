"""The shipped codebook, its format checks, and versioned edits that never lose earlier coding."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.coding.codebook import CodebookError, Theme, codebook_from_dict, load_codebook
from analysis.coding.rules import RulesCoder

ISSUE_THEMES = {
    "peer_pressure",
    "social_media",
    "poverty_money",
    "jobs_opportunities",
    "bullying",
    "drugs_alcohol",
    "knives_weapons",
    "gangs_exploitation",
    "police",
    "youth_provision",
    "family_home",
    "school_education",
    "mental_health",
    "antisocial_behaviour",
    "unsafe_places",
    "media_representation",
    "where_to_get_help",
    "community_safety",
}


def test_shipped_codebook_has_every_theme_with_definition_includes_excludes_and_phrases() -> None:
    book = load_codebook()
    assert set(book.keys()) == ISSUE_THEMES
    for theme in book.active_themes():
        assert theme.definition and theme.includes and theme.excludes and theme.phrases and theme.examples, theme.key
    assert book["peer_pressure_status"].parent == "peer_pressure"


@pytest.mark.parametrize("theme", sorted(ISSUE_THEMES))
def test_each_theme_codes_its_own_examples_by_rules(theme: str) -> None:
    book = load_codebook()
    rules = RulesCoder(book)
    for example in book[theme].examples:
        scores, _ = rules.score(example)
        assert scores[theme] >= 0.5, (theme, example)


def test_fingerprint_follows_meaning_and_version_label_is_recorded() -> None:
    book = load_codebook()
    assert load_codebook().fingerprint == book.fingerprint
    assert book.version_label.startswith("violence-reduction@1:")
    changed = book.add_theme(Theme(key="racism", label="Racism and discrimination", phrases=("racist",)))
    assert changed.version == 2 and changed.fingerprint != book.fingerprint


def test_add_merge_and_retire_keep_earlier_codes_readable() -> None:
    v1 = load_codebook()
    v2 = v1.add_theme(Theme(key="cctv", label="CCTV", phrases=("cctv", "cameras")), parent="unsafe_places")
    assert (
        v2["cctv"].parent == "unsafe_places"
        and "cctv" not in v2.keys(sub_themes=False)
        and "cctv" in v2.keys(sub_themes=True)
    )
    v3 = v2.merge_themes("media_representation", into="social_media")
    assert "media_representation" not in v3.keys(sub_themes=False)
    assert v3.resolve("media_representation") == "social_media"  # old codes carry forward
    assert "newspaper" in v3["social_media"].phrases
    v4 = v3.retire_theme("bullying", note="covered elsewhere")
    assert v4.resolve("bullying") is None and "bullying" in v4  # still readable, no longer offered
    assert [v.version for v in (v1, v2, v3, v4)] == [1, 2, 3, 4]
    # The edited codebook round-trips through YAML.
    again = codebook_from_dict(__import__("yaml").safe_load(v4.to_yaml()))
    assert again.fingerprint == v4.fingerprint


def test_edits_refuse_what_would_lose_meaning() -> None:
    book = load_codebook()
    with pytest.raises(CodebookError, match="already used"):
        book.add_theme(Theme(key="police", label="Police again"))
    with pytest.raises(CodebookError, match="into itself"):
        book.merge_themes("police", "police")
    with pytest.raises(CodebookError, match="not in the codebook"):
        book.retire_theme("nope")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"codebook": "x", "themes": [{"key": "Bad Key", "label": "x"}]}, "lower-case"),
        ({"codebook": "x", "themes": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]}, "used twice"),
        ({"codebook": "x", "themes": [{"key": "a", "label": "A", "colour": "red"}]}, "unknown field"),
        ({"codebook": "x", "themes": [{"key": "a"}]}, "needs a 'label'"),
        ({"codebook": "x", "themes": []}, "non-empty"),
        (
            {"codebook": "x", "themes": [{"key": "a", "label": "A", "merged_into": "b", "status": "retired"}]},
            "not in the codebook",
        ),
    ],
)
def test_format_errors_name_the_theme_and_problem(data: dict, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        codebook_from_dict(data)


def test_readme_documents_every_field() -> None:
    readme = (Path(__file__).parents[3] / "questionnaires" / "codebook" / "README.md").read_text(encoding="utf-8")
    for name in (
        "key",
        "label",
        "definition",
        "includes",
        "excludes",
        "phrases",
        "exclude_phrases",
        "examples",
        "absence_is_theme",
        "sub_themes",
        "status",
        "merged_into",
    ):
        assert f"`{name}`" in readme, name
