"""`flask reports build`: one file per format, the same numbers as the workspace's report."""

from __future__ import annotations

from pathlib import Path

from survey_app.models.reports import SavedReport
from survey_app.staff.reports import service
from tests.staff.conftest import World
from tests.staff.test_reports import MEDIA, document_text, report_for


def test_build_writes_every_format(app, db, world: World, runner, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(args=["reports", "build", "alderley-2026", "--out", str(out), "--format", ",".join(MEDIA)])
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert sorted(p.suffix for p in written) == sorted(f".{f}" for f in MEDIA)
    for path in written:
        text = document_text(path.suffix[1:], path.read_bytes())
        assert "[c]" in text  # the youth club's 5 responses stay hidden in every format


def test_build_uses_a_saved_reports_choices(app, db, world: World, runner, tmp_path: Path):
    report_id = report_for(world.a)
    result = runner.invoke(
        args=[
            "reports",
            "build",
            "alderley-2026",
            "--out",
            str(tmp_path),
            "--format",
            "html",
            "--report",
            str(report_id),
        ]
    )
    assert result.exit_code == 0, result.output
    (html,) = tmp_path.glob("*.html")
    text = html.read_text(encoding="utf-8")
    workspace = service.build(db.session.get(SavedReport, report_id))
    assert "<h1>Alderley findings</h1>" in text and "Our words." in text
    assert workspace.section("methodology").tables[0].rows[-1].cells[0].display in text


def test_build_refuses_unknown_formats_and_campaigns(app, db, world: World, runner, tmp_path: Path):
    out = tmp_path / "out"
    bad = runner.invoke(args=["reports", "build", "alderley-2026", "--out", str(out), "--format", "odt"])
    assert bad.exit_code != 0 and "unknown format odt" in bad.output
    missing = runner.invoke(args=["reports", "build", "nowhere", "--out", str(out)])
    assert missing.exit_code != 0 and "no campaign has the slug 'nowhere'" in missing.output
    assert not out.exists()
