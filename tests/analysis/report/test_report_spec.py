"""A report spec and the partnership's priorities come from plain data (JSON, YAML), and typos are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report.cli import spec_from_dict
from analysis.report.priorities import SEED_PRIORITIES, PriorityConfig, load_priorities


def test_a_spec_from_json_data_keeps_the_partnerships_priorities() -> None:
    spec = spec_from_dict(
        {
            "audiences": ["young_people"],
            "priorities": [{"key": "youth_work", "label": "Youth work", "themes": ["youth_provision"]}],
            "narrative": {"themes": "What we heard most."},
        }
    )
    assert spec.audiences == ["young_people"]
    assert spec.priorities == [PriorityConfig("youth_work", "Youth work", ["youth_provision"], [])]
    assert "word_clouds" not in spec.sections  # opt-in: drawing them redacts every answer


def test_a_misspelt_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report settings: audience"):
        spec_from_dict({"audience": ["young_people"]})


def test_priorities_load_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "priorities.yaml"
    path.write_text(
        "- key: early_help\n  label: Early help\n  themes: [mental_health, family_home]\n  measures: [trusted_adult]\n",
        encoding="utf-8",
    )
    assert load_priorities(path) == [
        PriorityConfig("early_help", "Early help", ["mental_health", "family_home"], ["trusted_adult"])
    ]
    assert [p.label for p in SEED_PRIORITIES] == [
        "Attitudinal change",
        "Primary prevention",
        "Secondary prevention",
        "Tertiary prevention",
        "Enforcement and criminal justice",
    ]
