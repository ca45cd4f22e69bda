"""The YAML files analysis reads (benchmarks, sentence phrases, codebooks) refuse alias bombs and oversized files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.coding.codebook import CodebookError, load_codebook
from analysis.config import load_benchmarks, load_phrases
from questionnaires import yamlsafe

#: Nine levels of nine aliases: 387 million strings once expanded, a few hundred bytes as written.
ALIAS_BOMB = "\n".join(
    ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    + ["benchmarks: *l8", "themes: *l8"]
)


@pytest.mark.parametrize("read", [load_benchmarks, load_phrases], ids=["benchmarks", "phrases"])
def test_an_alias_bomb_is_refused_with_a_clear_error(tmp_path: Path, read) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(yamlsafe.YamlRefused, match=r"bomb\.yaml, line 1: anchors and aliases .* are not allowed"):
        read(path)


def test_a_codebook_alias_bomb_is_a_codebook_error(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(CodebookError, match="codebook.yaml, line 1: anchors and aliases"):
        load_codebook(path)


def test_an_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.yaml"
    path.write_text("benchmarks: []\n" + "# padding\n" * 120_000, encoding="utf-8")
    with pytest.raises(yamlsafe.YamlRefused, match="benchmarks.yaml: the file is too large to read"):
        load_benchmarks(path)


def test_one_alias_is_refused_even_where_it_would_be_harmless() -> None:
    with pytest.raises(yamlsafe.YamlRefused, match="line 1: anchors and aliases"):
        yamlsafe.load("a: &x 1\nb: *x\n")


def test_nesting_deep_enough_to_exhaust_the_parser_is_refused() -> None:
    with pytest.raises(yamlsafe.YamlRefused, match="nested too deeply"):
        yamlsafe.load("a: " + "[" * 20_000 + "]" * 20_000)


def test_yes_and_no_stay_text_only_when_asked() -> None:
    assert yamlsafe.load("- yes\n- true\n", yes_no_as_text=True) == ["yes", True]
    assert yamlsafe.load("- yes\n- true\n") == [True, True]
