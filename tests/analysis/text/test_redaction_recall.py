"""Redaction measured on the labelled set of 250+ answers (teen spellings included).

The same figures are printed by
`python -m analysis.text.recall tests/analysis/text/data/redaction_cases.txt --places-file ...`.
The floors here are below what the rules reach on this set (which was also used to tune them), so
a change that loses real recall fails; see analysis/README.md for the honest caveat.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.text.recall import main, measure, parse_labelled
from analysis.text.redaction import Redactor

CASES = Path(__file__).parent / "data" / "redaction_cases.txt"
HOLDOUT = Path(__file__).parent / "data" / "redaction_holdout.txt"
WARDS = Path(__file__).parents[3] / "questionnaires" / "areas" / "trafford-wards.yaml"
TOWNS = ["Sale", "Stretford", "Partington", "Carrington", "Urmston", "Altrincham", "Timperley", "Flixton"]
SCHOOLS = ["Lostock High School", "Wellington School", "Ashton on Mersey School"]


def configured() -> Redactor:
    wards = [area["label"] for area in yaml.safe_load(WARDS.read_text(encoding="utf-8"))["areas"]]
    return Redactor(schools=SCHOOLS, places=wards + TOWNS)


def test_parse_labelled_finds_spans_and_plain_text() -> None:
    [answer] = parse_labelled(["ring {name:Mr Hughes} on {phone:07700 900987} now"])
    assert answer.text == "ring Mr Hughes on 07700 900987 now"
    assert [(answer.text[s.start : s.end], s.category) for s in answer.spans] == [
        ("Mr Hughes", "name"),
        ("07700 900987", "phone"),
    ]


def test_labelled_set_is_large_and_covers_every_category() -> None:
    answers = parse_labelled(CASES.read_text(encoding="utf-8").splitlines())
    categories = {s.category for a in answers for s in a.spans}
    assert len(answers) >= 200
    assert categories == {
        "name",
        "phone",
        "email",
        "link",
        "handle",
        "postcode",
        "address",
        "street",
        "school",
        "place",
        "age",
    }
    assert sum(1 for a in answers if not a.spans) >= 80  # clean answers that must survive untouched


@pytest.mark.parametrize(("path", "floor"), [(CASES, 0.95), (HOLDOUT, 0.9)])
def test_recall_and_clean_text_on_the_labelled_sets(path: Path, floor: float) -> None:
    answers = parse_labelled(path.read_text(encoding="utf-8").splitlines())
    result = measure(configured(), answers)
    print("\n".join(result.lines()))
    assert result.recall >= floor, result.misses
    assert all(result.caught[c] / n >= 0.8 for c, n in result.labelled.items()), result.lines()
    assert result.clean_kept >= floor, result.misses


def test_the_command_line_prints_the_table(capsys) -> None:
    assert main([str(CASES), "--places-file", str(WARDS), "--school", SCHOOLS[0]]) == 0
    out = capsys.readouterr().out
    assert "recall" in out and out.count("\n") > 10
