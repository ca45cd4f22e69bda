"""`python -m analysis report` on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL):
one file per format, coded free text read straight from the tables, flagged answers left out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from analysis.__main__ import main as cli
from analysis.coding.codebook import load_codebook
from analysis.load import load_campaign
from analysis.report.text_load import load_text
from survey_app.extensions import db
from survey_app.models import Answer, Campaign, Response
from survey_app.models.coding import CodebookVersion, ThemeCode
from survey_app.models.safeguarding import SafeguardingFlag
from tests.analysis.report.conftest import make_campaign

FLAGGED = "someone at home hurts me and the police should know about it please help"


def _code_free_text() -> None:
    """Twelve young people write about the police (coded); one more answer raised a safeguarding flag."""
    book = load_codebook()
    version = CodebookVersion(
        campaign_id=None,
        name=book.name,
        version=1,
        content_hash=book.fingerprint,
        content=book.to_dict(),
        created_on=dt.date(2026, 11, 1),
    )
    db.session.add(version)
    db.session.flush()
    # This wave's young people only: random ids mean an unfiltered pick could take the 2024 wave's.
    this_wave = select(Campaign.id).where(Campaign.slug == "youth-2026").scalar_subquery()
    people = db.session.scalars(
        select(Response).where(Response.audience == "young_people", Response.campaign_id == this_wave).limit(13)
    ).all()
    for i, response in enumerate(people):
        text = FLAGGED if i == 12 else "the police should patrol the park more so that people feel safe at night"
        db.session.add(Answer(response_id=response.id, question_key="partnership_should_do", position=0, text=text))
        db.session.add(
            ThemeCode(
                response_id=response.id,
                question_key="partnership_should_do",
                theme_key="police",
                codebook_version_id=version.id,
                source="model",
                confidence=0.95,
                status="applied",
                evidence=[],
            )
        )
    db.session.add(
        SafeguardingFlag(
            response_id=people[12].id,
            rule="harm_at_home",
            reason="mentions harm at home",
            question_key="partnership_should_do",
            flagged_on=dt.date(2026, 11, 1),
        )
    )
    db.session.commit()


def test_the_command_writes_one_file_per_format(
    shipped_app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_campaign()
    _code_free_text()
    url = str(shipped_app.config["SQLALCHEMY_DATABASE_URI"])

    text = load_text(url, load_campaign(url, "youth-2026"))
    assert len(text.records) == 12  # the flagged answer is left out
    assert all(r.themes == ("police",) and r.audience == "young_people" for r in text.records)
    assert text.theme_labels["police"] and len(text.population) == 100

    out = tmp_path / "out"
    code = cli(
        [
            "report",
            "--database-url",
            url,
            "--campaign",
            "youth-2026",
            "--out",
            str(out),
            "--format",
            "html,xlsx",
            "--json",
        ]
    )
    assert code == 0
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".html", ".json", ".xlsx"]
    assert str(out) in capsys.readouterr().out
    report = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    themes = next(s for s in report["sections"] if s["kind"] == "themes")
    assert themes["tables"][0]["rows"][1]["cells"][0]["value"] == 12
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "harm at home" not in html and "hurts me" not in html


def test_an_unknown_format_is_refused(shipped_app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(shipped_app.config["SQLALCHEMY_DATABASE_URI"])
    code = cli(["report", "--database-url", url, "--campaign", "x", "--out", str(tmp_path), "--format", "html,odt"])
    assert code == 2
    assert "unknown format odt" in capsys.readouterr().err
