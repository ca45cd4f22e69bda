"""The command line: train, code and evaluate on small CSVs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from analysis.coding.__main__ import main
from tests.analysis.coding.conftest import write_coded


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_train_then_code_writes_probabilities_decisions_and_review_order(
    coded_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "coder.pkl"
    assert main(["train", str(coded_csv), "--text", "answer", "--model", str(model), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "trained in" in out and "knives_weapons" in out
    new = tmp_path / "new.csv"
    new.write_text("id,answer\n1,people carry knives round here\n2,the feds never come\n3,\n4,hmm\n", encoding="utf-8")
    coded = tmp_path / "coded-out.csv"
    assert (
        main(
            [
                "code",
                str(new),
                "--text",
                "answer",
                "--model",
                str(model),
                "--out",
                str(coded),
                "--auto-apply",
                "0.9",
                "--evidence",
            ]
        )
        == 0
    )
    rows = read(coded)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["code_knives_weapons"] == "1" and float(rows[0]["p_knives_weapons"]) > 0.5
    assert rows[1]["code_police"] == "1" and "police" in rows[1]["themes"]
    assert "feds" in rows[1]["evidence"]
    assert rows[0]["codebook_version"].startswith("violence-reduction@")
    assert {r["status"] for r in rows} <= {"automatic", "review"}
    ranks = sorted(int(r["review_rank"]) for r in rows if r["status"] == "review")
    assert ranks == sorted(set(ranks))


def test_code_with_rules_alone(tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    new.write_text("answer\nnot bothered about social media\nnothing to do round here\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["code", str(new), "--text", "answer", "--out", str(out), "--evidence"]) == 0
    rows = read(out)
    assert rows[0]["code_social_media"] == "0" and "negated" in rows[0]["evidence"]
    assert rows[1]["code_youth_provision"] == "1"


def test_any_codebook_columns_and_no_rules(tmp_path: Path) -> None:
    # Theme columns that are not our keys: the coder learns them from the answers alone.
    path = tmp_path / "other.csv"
    write_coded(path, 90, seed=7)
    text = path.read_text(encoding="utf-8").replace("knives_weapons", "Weapons & knives").replace("police", "Policing")
    path.write_text(text, encoding="utf-8")
    model = tmp_path / "m.pkl"
    assert main(["train", str(path), "--text", "answer", "--model", str(model), "--jobs", "1"]) == 0
    out = tmp_path / "o.csv"
    assert main(["code", str(path), "--text", "answer", "--model", str(model), "--out", str(out)]) == 0
    first = read(out)[0]
    assert "p_Weapons & knives" in first and "code_Weapons & knives" in first
    assert first["Weapons & knives"] in {"1", ""}  # the people's codes are kept as they were


def test_evaluate_cross_validation_and_split(
    coded_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    assert (
        main(
            [
                "evaluate",
                str(coded_csv),
                "--text",
                "answer",
                "--folds",
                "3",
                "--bootstrap",
                "100",
                "--jobs",
                "1",
                "--json",
                str(report),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    for words in ("micro F1", "macro F1", "samples F1", "95% CI", "Krippendorff", "Automation", "kappa"):
        assert words in text
    data = json.loads(report.read_text(encoding="utf-8"))["cross_validation"]
    assert data["averages"]["micro"]["f1"] > 0.8
    assert {"precision", "recall", "f1", "kappa", "prevalence_error"} <= set(data["per_theme"][0])
    assert "0.90" in data["automation"]["at_precision"]

    split = tmp_path / "split.csv"
    write_coded(split, 100, extra={"site": ["north" if i % 2 else "south" for i in range(100)]})
    assert (
        main(["evaluate", str(split), "--text", "answer", "--split-column", "site", "--bootstrap", "50", "--jobs", "1"])
        == 0
    )
    assert "Trained on site = north" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "{csv}", "--text", "nope", "--model", "{tmp}/m.pkl"], "no text column"),
        (["train", "{csv}", "--text", "answer", "--themes", "x,y", "--model", "{tmp}/m.pkl"], "no theme column"),
        (["code", "{csv}", "--text", "answer", "--model", "{csv}", "--out", "{tmp}/o.csv"], "not a theme coder"),
    ],
)
def test_errors_are_plain(
    coded_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    filled = [a.format(csv=coded_csv, tmp=tmp_path) for a in args]
    assert main(filled) == 2
    assert message in capsys.readouterr().err


def test_bad_code_value_is_reported_with_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("answer,a,b\nhello,1,0\nbye,maybe,1\n", encoding="utf-8")
    assert main(["train", str(path), "--text", "answer", "--themes", "a,b", "--model", str(tmp_path / "m")]) == 2
    assert "row 3, column 'a'" in capsys.readouterr().err
