"""Word clouds: refuse small groups, never draw redacted or rare words, and write real PNG and SVG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from analysis.text.redaction import Redactor
from analysis.text.words import STOP_WORDS, GroupTooSmall, answer_words, word_cloud, word_clouds, word_frequencies

LIGHTING = [
    "the park has no lights at night so it feels scary",
    "more street lights near the park please",
    "the alley by the shops is dark and scary at night",
    "broken lights in the underpass make it scary",
    "my mate Jayden got robbed in the dark park",
    "the canal path is dark and there are no lights",
]


#: Small images draw quickly; the size only matters in the PNG test.
SMALL: dict[str, Any] = {"width": 320, "height": 160}


def records(n: int, theme: str = "lighting", audience: str = "young_people") -> list[dict[str, object]]:
    return [{"text": LIGHTING[i % len(LIGHTING)], "themes": [theme], "audience": audience} for i in range(n)]


def test_a_group_below_the_threshold_gets_no_cloud() -> None:
    with pytest.raises(GroupTooSmall, match="9 answers"):
        word_cloud(records(9), "lighting", **SMALL)
    clouds = word_clouds(records(9, theme="small") + records(24), by="theme", **SMALL)
    assert clouds["small"] is None and clouds["lighting"] is not None


def test_redacted_words_are_never_drawn_even_when_every_word_may_be() -> None:
    answers = records(12) + [{"text": "i live at 12 Acacia Avenue, ring 07700 900123", "themes": ["lighting"]}]
    cloud = word_cloud(answers, "lighting", redactor=Redactor(), min_answers=1, **SMALL)
    words = set(cloud.frequencies)
    assert {"park", "lights", "scary", "dark", "live"} <= words
    assert "jayden" not in words  # "my mate Jayden got robbed": a name
    assert not words & {"acacia", "avenue", "name", "address", "phone", "07700"}  # no address, no tag words


def test_words_fewer_answers_than_the_threshold_use_are_never_drawn() -> None:
    # An unusual name redaction cannot know ("Zebedee") is written by a few people: not drawn, and
    # nor is any word fewer than the threshold (10) of answers use, as for any published count.
    answers = records(24) + [{"text": "Zebedee keeps following me home", "themes": ["lighting"]}] * 3
    cloud = word_cloud(answers, "lighting", **SMALL)
    assert "zebedee" not in cloud.frequencies and "following" not in cloud.frequencies
    assert "lights" in cloud.frequencies and "night" not in cloud.frequencies  # 16 answers; 8
    assert all(n >= 10 for n in cloud.frequencies.values())


def test_sizes_count_answers_not_repetitions() -> None:
    texts = ["knife knife knife knife knife"] + ["the bus is late"] * 3
    assert word_frequencies(texts, min_answers=1) == {"knife": 1, "bus": 3, "late": 3}


def test_stop_words_drop_filler_but_keep_what_matters() -> None:
    assert answer_words("I think people really dont feel safe near the police station innit") == {
        "safe",
        "near",
        "police",
        "station",
    }
    assert {"unsafe", "knife", "scared", "lights"}.isdisjoint(STOP_WORDS)


def test_writes_valid_png_and_svg(tmp_path: Path) -> None:
    cloud = word_cloud(records(20), "lighting", width=400, height=200)
    png_path, svg_path = cloud.write(tmp_path / "lighting")
    image = Image.open(io.BytesIO(png_path.read_bytes()))
    image.verify()
    assert image.format == "PNG" and image.size == (400, 200)
    root = ET.fromstring(svg_path.read_text(encoding="utf-8"))  # noqa: S314 - the SVG this test just wrote
    assert root.tag.endswith("svg")
    drawn = {t.text for t in root.iter() if t.tag.endswith("text")}
    assert drawn == set(cloud.frequencies)
    assert "@font-face" in svg_path.read_text(encoding="utf-8")  # the font travels with the file


def test_clouds_by_audience() -> None:
    clouds = word_clouds(
        records(24, audience="young_people") + records(4, audience="professionals"), by="audience", **SMALL
    )
    assert clouds["professionals"] is None
    cloud = clouds["young_people"]
    assert cloud is not None and cloud.answers == 24


def test_the_table_beside_the_cloud_hides_small_counts() -> None:
    # Only when asked to draw words fewer answers than the threshold use (a working view, never published).
    cloud = word_cloud(records(24), "lighting", min_answers=3, **SMALL)
    table = dict(cloud.table())
    assert list(table) == list(cloud.frequencies)  # most used first
    assert table["park"] == str(cloud.frequencies["park"]) and cloud.frequencies["park"] >= 10
    assert all(shown == "[c]" for word, shown in table.items() if cloud.frequencies[word] < 10)
    assert "[c]" in table.values()


def test_words_that_belong_together_are_counted_as_one() -> None:
    # "grown ups" drew "ups" and "grown" in a child's cloud; "at the moment" drew "moment".
    words = answer_words("Grown ups never listen at the moment, and there is no youth club or after school club")
    assert {"grown-ups", "youth-club", "after-school"} <= words
    assert not words & {"ups", "grown", "youth", "moment"}
    # However it is written, it is one word.
    assert answer_words("grownups") == answer_words("grown-ups") == answer_words("GROWN UPS") == {"grown-ups"}
    # Each part on its own is kept where it stands alone.
    assert {"knife", "youth"} <= answer_words("a knife, and the youth of today")
    # A word that carried nothing at the top of a cloud ("real change", "real difference").
    assert "real" not in answer_words("we need real change")


def test_a_plural_counts_as_its_singular_when_both_are_used() -> None:
    """ "school (36), schools (36)" split one idea across two words of the cloud."""
    from analysis.text.words import one_form

    merged = one_form([frozenset({"schools", "news"}), frozenset({"school"}), frozenset({"activities", "activity"})])
    assert merged == [frozenset({"school", "news"}), frozenset({"school"}), frozenset({"activity"})]
    # Nothing to merge with: kept as written ("always" has no "alway").
    assert one_form([frozenset({"always", "parks"})]) == [frozenset({"always", "parks"})]
    assert answer_words("youth workers and police officers in the school holidays") == {
        "youth-workers",
        "police-officers",
        "school-holidays",
    }


def test_words_tied_at_the_cut_are_all_shown_or_none() -> None:
    """Ties at the fifteenth place were broken alphabetically: "apps" shown, "youth-clubs" not."""
    import numpy as np

    from analysis.disclosure.words import WORDS_SHOWN, word_table

    group = np.ones(40, dtype=bool)
    top = [f"top{i:02d}" for i in range(WORDS_SHOWN - 1)]

    def units(tied: list[str]) -> list[frozenset[str]]:
        # every top word by 30 units; each tied word by the same 20 units
        return [frozenset(top[:] if i < 30 else []) | frozenset(tied if i < 20 else []) for i in range(40)]

    few = ["apps", "coming", "youth-clubs"]
    table = word_table(group, units(few), label="all", threshold=10, link="x")
    assert list(table.col_labels) == top + few
    many = [f"tied{i}" for i in range(10)]
    table = word_table(group, units(many), label="all", threshold=10, link="x")
    assert list(table.col_labels) == top
