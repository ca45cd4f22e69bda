"""`flask questionnaires validate` and `python -m questionnaires validate`: the shipped files pass,
and every kind of broken file is refused with the file, the question and a plain explanation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from flask.testing import FlaskCliRunner

from survey_app.config import ROOT

SHIPPED = sorted((ROOT / "questionnaires").glob("*.yaml"))
BROKEN = Path(__file__).parent / "fixtures" / "broken"


class Run(NamedTuple):
    exit_code: int
    output: str


def flask_validate(runner: FlaskCliRunner, paths: list[Path]) -> Run:
    """`flask questionnaires validate PATH ...`, stdout and stderr together."""
    result = runner.invoke(args=["questionnaires", "validate", *map(str, paths)])
    return Run(result.exit_code, result.output)


def module_validate(paths: list[Path]) -> Run:
    """`python -m questionnaires validate PATH ...` in a fresh process (no Flask app involved)."""
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "questionnaires", "validate", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Run(done.returncode, done.stdout + done.stderr)


@pytest.fixture(params=["flask", "module"])
def validate(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Both ways in: the Flask command and the app-free module."""
    if request.param == "flask":
        runner = request.getfixturevalue("runner")
        return lambda paths: flask_validate(runner, paths)
    return module_validate


def test_there_are_five_shipped_questionnaires() -> None:
    names = [p.name for p in SHIPPED]
    assert len(names) >= 5, f"expected the five shipped instruments in questionnaires/, found {names}"


def test_shipped_questionnaires_pass(validate) -> None:  # type: ignore[no-untyped-def]
    run = validate(SHIPPED)
    assert run.exit_code == 0, run.output
    assert f"{len(SHIPPED)} questionnaire file(s) checked: no problems." in run.output


def test_module_with_no_files_checks_every_shipped_one() -> None:
    run = module_validate([])
    assert run.exit_code == 0, run.output
    assert f"{len(SHIPPED)} questionnaire file(s) checked: no problems." in run.output


def test_flask_command_with_no_files_checks_the_configured_folder(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["questionnaires", "validate"])
    assert result.exit_code == 0, result.output
    assert "1 questionnaire file(s) checked: no problems." in result.output  # tests/fixtures/all-types.yaml


class Broken(NamedTuple):
    files: tuple[str, ...]
    #: the file the problem is reported against
    file: str
    #: where in it: "question 'key'" (or "line N" when the file isn't YAML at all)
    where: str
    #: plain-words fragments the explanation must contain
    says: tuple[str, ...]


CASES = {
    "unknown type": Broken(
        ("unknown-type.yaml",),
        "unknown-type.yaml",
        "question 'how_safe'",
        ("unknown type 'slider'", "use one of:", "single_choice", "multiple_choice"),
    ),
    "duplicate key": Broken(
        ("duplicate-key.yaml",),
        "duplicate-key.yaml",
        "question 'feel_safe'",
        ("duplicate key", "another question already has the key 'feel_safe'"),
    ),
    "routing to a missing question": Broken(
        ("routing-missing.yaml",),
        "routing-missing.yaml",
        "question 'why_carry'",
        ("show_if looks at 'carried_knif'", "no question in this file has that key", "check the spelling"),
    ),
    "routing to a later question": Broken(
        ("routing-later.yaml",),
        "routing-later.yaml",
        "question 'why_carry'",
        ("show_if looks at 'carried_knife'", "comes later", "can only look at answers to earlier questions"),
    ),
    "empty choice list": Broken(
        ("empty-choices.yaml",),
        "empty-choices.yaml",
        "question 'worries'",
        ("the choice list is empty", "add 'options:'"),
    ),
    "condition on an answer not offered": Broken(
        ("never-true-value.yaml",),
        "never-true-value.yaml",
        "question 'why_carry'",
        ("this condition can never be true", "'carried_knife' has no answer \"yess\"", "it has: no, yes"),
    ),
    "condition on a number outside the range": Broken(
        ("never-true-number.yaml",),
        "never-true-number.yaml",
        "question 'club_story'",
        ("this condition can never be true", "'club_visits' only allows 0 to 31"),
    ),
    "all of two different answers": Broken(
        ("never-true-all.yaml",),
        "never-true-all.yaml",
        "question 'why_carry'",
        ("this condition can never be true", "two different answers to 'carried_knife' at once"),
    ),
    "unknown field": Broken(
        ("unknown-field.yaml",),
        "unknown-field.yaml",
        "question 'feel_safe'",
        ("unknown field 'colour'", "allowed here:", "scale"),
    ),
    "invalid YAML": Broken(("invalid-yaml.yaml",), "invalid-yaml.yaml", "line 13", ("this is not valid YAML",)),
    "one measure, different answer values": Broken(
        ("measure-a.yaml", "measure-b.yaml"),
        "measure-b.yaml",
        "question 'area_safety'",
        ("measure 'feel_safe_area'", "in measure-a.yaml ('feel_safe_area')", "must share answer values"),
    ),
    "unknown area list": Broken(
        ("unknown-area.yaml",),
        "unknown-area.yaml",
        "question 'home_area'",
        ("unknown area_list 'atlantis-wards'", "trafford-wards"),
    ),
    "max_choices too large": Broken(
        ("max-choices.yaml",),
        "max-choices.yaml",
        "question 'worries'",
        ("max_choices is 5 but there are only 3 answers",),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_broken_file_is_refused_with_a_plain_explanation(validate, case: Broken) -> None:  # type: ignore[no-untyped-def]
    run = validate([BROKEN / name for name in case.files])
    assert run.exit_code == 1, run.output
    prefix = f"{case.file}: {case.where}: "
    lines = [line for line in run.output.splitlines() if line.startswith(prefix)]
    assert lines, f"no problem reported as '{prefix}...':\n{run.output}"
    assert any(all(fragment in line for fragment in case.says) for line in lines), (
        f"expected one line saying {case.says}:\n{run.output}"
    )
    assert "problem(s) in" in run.output


def test_each_half_of_the_measure_pair_is_fine_alone() -> None:
    for name in ("measure-a.yaml", "measure-b.yaml"):
        run = module_validate([BROKEN / name])
        assert run.exit_code == 0, run.output


def test_every_broken_fixture_is_used() -> None:
    used = {name for case in CASES.values() for name in case.files}
    assert {p.name for p in BROKEN.glob("*.yaml")} == used


#: A "billion laughs" file: nine levels of nine aliases each expand to 9^9 (387 million) strings.
ALIAS_BOMB = "\n".join(
    ['lol: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    + ["pages: *l8"]
)


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    run = module_validate([bomb])
    assert run.exit_code == 1, run.output
    assert "bomb.yaml: line 1: this file was not read: anchors and aliases" in run.output


def test_an_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("id: big\n" + "# padding\n" * 120_000, encoding="utf-8")  # 1.2 MB, nearly all comment
    run = module_validate([big])
    assert run.exit_code == 1, run.output
    assert "big.yaml: this file was not read: the file is too large to read" in run.output
