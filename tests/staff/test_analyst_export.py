"""Analysts' exports: one labelled row per response as CSV, Excel and SPSS, read back with pandas,
openpyxl and pyreadstat; counts equal the analysis engine's; themes equal the codes; free text redacted
unless asked for; no cell a spreadsheet would run; who may export, and the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from analysis.coding.codebook import load_codebook
from analysis.disclosure import DisclosurePolicy
from analysis.exports import build_table
from analysis.findings import Settings, finding
from analysis.load import load_campaign
from analysis.weighting import load_population, weight_campaign
from survey_app.extensions import db as _db
from survey_app.models import Answer, AuditEvent, CodebookVersion, Response, ThemeCode
from tests.staff.conftest import SECRET_WORDS, World

FORMULAS = ("=", "+", "-", "@", "\t", "\r")
PHONE = "07700 900123"


def _url(world: World, fmt: str, original: bool = False) -> str:
    return f"/staff/campaigns/{world.a.campaign.id}/data/export.{fmt}" + ("?text=original" if original else "")


@pytest.fixture
def coded(app, db, world: World) -> dict[str, set[str]]:
    """Side A with risky words typed, and theme codes of every status: theme -> responses it counts for."""
    flagged = world.a.flag.response_id  # its answer is withheld, themes and all: coded below to show so
    responses = list(
        db.session.scalars(
            select(Response)
            .where(Response.campaign_id == world.a.campaign.id, Response.id != flagged)
            .order_by(Response.id)
        )
    )
    responses[1].answers.append(Answer(question_key="one_word", position=0, text='=HYPERLINK("http://x")'))
    responses[2].answers.append(Answer(question_key="one_word", position=0, text=f"ring me on {PHONE}"))
    responses[3].answers.append(Answer(question_key="one_word", position=0, text="@SUM(A1)"))
    book = load_codebook()
    version = CodebookVersion(
        campaign_id=None,
        name=book.name,
        version=1,
        content_hash=book.fingerprint[:16],
        content=book.to_dict(),
        created_on=dt.date(2026, 1, 1),
    )
    db.session.add(version)
    db.session.flush()
    db.session.add(
        ThemeCode(
            response_id=flagged,
            question_key="unsafe_why",
            theme_key="knives_weapons",
            codebook_version_id=version.id,
            source="rule",
            confidence=1.0,
            status="applied",
        )
    )
    counted: dict[str, set[str]] = {"knives_weapons": set(), "police": set()}
    for i, r in enumerate(responses[1:13], start=1):
        status, theme = ("applied", "knives_weapons") if i % 3 else ("accepted", "police")
        db.session.add(
            ThemeCode(
                response_id=r.id,
                question_key="unsafe_why",
                theme_key=theme,
                codebook_version_id=version.id,
                source="rule" if status == "applied" else "human",
                confidence=0.95 if status == "applied" else 1.0,
                status=status,
            )
        )
        counted[theme].add(r.id)
        # a suggestion waiting for review counts for nothing
        db.session.add(
            ThemeCode(
                response_id=r.id,
                question_key="unsafe_why",
                theme_key="bullying",
                codebook_version_id=version.id,
                source="model",
                confidence=0.4,
                status="suggested",
            )
        )
    # The coder applied a theme and a person then rejected it: the person's decision stands.
    for status in ("applied", "rejected"):
        db.session.add(
            ThemeCode(
                response_id=responses[14].id,
                question_key="unsafe_why",
                theme_key="gangs_exploitation",
                codebook_version_id=version.id,
                source="model" if status == "applied" else "human",
                confidence=0.97 if status == "applied" else 1.0,
                status=status,
            )
        )
    counted["gangs_exploitation"] = set()
    db.session.commit()
    return counted


def _csv(response) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_an_analyst_exports_csv_with_labels_themes_and_redaction(app, db, world: World, session_for, coded):
    analyst = session_for(world.a.users["analyst"])
    response = analyst.get(_url(world, "csv"))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    frame = _csv(response)
    assert len(frame) == 25 and frame["response_id"].is_unique, "one row per response"
    # Answers show their labels; counts are the analysis engine's.
    data = load_campaign(_db.engine, world.a.campaign.slug)
    carried = finding(data, key="carried", settings=Settings(policy=DisclosurePolicy(threshold=1)))
    shown = {label: cell.value for label, cell in zip(carried.table.labels, carried.table.cells, strict=True)}
    assert frame["carried"].value_counts().to_dict() == {k: v for k, v in shown.items() if v}
    assert set(frame["carried"]) == {"Yes", "No"} and set(frame["completion"]) == {
        "Complete",
        "Partial (left before the end)",
    }
    # Coarse dates: the week, never the day.
    assert set(frame["sent_week"]) == {"2026-W02"}
    assert not any(col.startswith("submitted") for col in frame.columns)
    # Theme indicators equal the counted codes (applied and people's decisions), not suggestions.
    for theme, ids in coded.items():
        column = frame[f"theme_{theme}"]
        assert set(frame.loc[column == "1", "response_id"]) == ids
    assert set(frame.loc[frame["response_id"] == world.a.flag.response_id, "theme_knives_weapons"]) == {""}
    assert set(frame["theme_bullying"]) <= {"0", ""}, "a suggestion waiting for review is not a theme"
    how = frame.set_index("response_id")["unsafe_why_coded"]
    assert {how[r] for r in coded["police"]} == {"Reviewed by a person"}
    assert {how[r] for r in coded["knives_weapons"]} == {"Coded automatically (confident)"}
    reviewed = frame[(frame["unsafe_why_coded"] == "Reviewed by a person") & (frame["theme_police"] != "1")]
    assert list(reviewed["theme_gangs_exploitation"]) == ["0"], "a person's rejection beats the coder's code"
    # Redacted by default; the safeguarding-flagged answer is withheld altogether.
    text = response.data.decode("utf-8-sig")
    assert PHONE not in text and "[phone]" in text
    assert "blade" not in text and "[withheld: raised a safeguarding flag]" in text
    # Formula-safe: no cell starts like a formula.
    assert all(not cell.startswith(FORMULAS) for cell in frame.to_numpy().ravel())
    assert '\'=HYPERLINK("[link]")' in set(frame["one_word"]), "a formula is kept as text"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "analyst_export"))
    assert event is not None and event.user_id == world.a.users["analyst"].id
    assert event.details["format"] == "csv" and event.details["free_text"] == "redacted"
    assert event.details["responses"] == 25 and event.target == f"campaign:{world.a.campaign.id}"


def test_the_original_words_only_when_asked(app, db, world: World, session_for, coded):
    analyst = session_for(world.a.users["analyst"])
    frame = _csv(analyst.get(_url(world, "csv", original=True)))
    assert any(f"ring me on {PHONE}" in cell for cell in frame["one_word"])
    assert any(SECRET_WORDS in cell for cell in frame["unsafe_why"])
    assert {"'@SUM(A1)", '\'=HYPERLINK("http://x")'} <= set(frame["one_word"]), "as typed, still formula-safe"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "analyst_export"))
    assert event.details["free_text"] == "original"


def test_excel_workbook_has_data_codebook_and_notes(app, db, world: World, session_for, coded):
    admin = session_for(world.a.users["administrator"])
    response = admin.get(_url(world, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Data", "Codebook", "Notes"]
    rows = list(book["Data"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 25
    carried = [row[header.index("carried")] for row in body]
    assert carried.count("Yes") == 3 and carried.count("No") == 22
    codebook = {row[0]: row for row in book["Codebook"].iter_rows(min_row=2, values_only=True)}
    assert codebook["carried"][1] == "Have you carried a knife?"
    assert codebook["carried"][3] == "1 = Yes; 2 = No; 3 = Prefer not to say"
    assert codebook["theme_police"][3] == "0 = Theme not mentioned; 1 = Theme mentioned"
    notes = " ".join(str(r[0]) for r in book["Notes"].iter_rows(values_only=True))
    assert "not suppressed" in notes and "redacted" in notes and "week" in notes
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULAS)), cell.value


def test_spss_file_keeps_variable_and_value_labels(app, db, world: World, session_for, coded):
    analyst = session_for(world.a.users["analyst"])
    response = analyst.get(_url(world, "sav"))
    assert response.status_code == 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sav"
        path.write_bytes(response.data)
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
        codes, _ = pyreadstat.read_sav(str(path))
    assert len(frame) == 25
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["carried"] == "Have you carried a knife?"
    assert meta.variable_value_labels["carried"] == {1.0: "Yes", 2.0: "No", 3.0: "Prefer not to say"}
    assert frame["carried"].value_counts().to_dict() == {"No": 22, "Yes": 3}
    assert codes["carried"].value_counts().to_dict() == {2.0: 22, 1.0: 3}
    assert int(codes["theme_police"].sum()) == len(coded["police"])
    assert PHONE not in " ".join(frame["one_word"])


def test_a_viewer_may_not_export_and_is_audited(app, db, world: World, session_for):
    for role in ("viewer", "communications_lead", "safeguarding_reviewer", "school_coordinator"):
        client = session_for(world.a.users[role])
        assert client.get(_url(world, "csv")).status_code == 403
        assert client.get(f"/staff/campaigns/{world.a.campaign.id}/data").status_code == 403
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert len(denied) == 8
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "analyst_export")) is None
    other = session_for(world.b.users["analyst"])
    assert other.get(_url(world, "csv")).status_code == 404, "another partnership's campaign"


def test_the_data_page_offers_the_exports(app, db, world: World, session_for):
    page = session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for fmt in ("csv", "xlsx", "sav"):
        assert f"/data/export.{fmt}" in html
    assert 'name="text" value="original"' in html and "not redacted" in html


def test_demo_export_counts_and_weights_match_the_engine(shipped_app) -> None:
    from survey_app.demo import CAMPAIGN_SLUG, build_demo

    build_demo(responses=300)
    engine = _db.engine
    table = build_table(engine, CAMPAIGN_SLUG)
    assert table.rows == 300
    data = load_campaign(engine, CAMPAIGN_SLUG, keep_ids=True)
    weights = weight_campaign(data, load_population())
    by_id = dict(zip(data.response_ids, weights.values, strict=True))
    exported = dict(zip(table["response_id"].values, table["weight"].values, strict=True))
    assert all(abs(exported[r] - by_id[r]) < 1e-12 for r in by_id), "each row carries its own raking weight"
    # A question's answer counts, weighted and not, equal the findings' own.
    settings = Settings(weights=weights, policy=DisclosurePolicy(threshold=1))
    found = finding(data, key="feel_safe_area", questionnaire="young-people", settings=settings)
    variable = next(v for v in table.variables if v.label == found.question and v.name.startswith("feel_safe_area"))
    codes = np.asarray(variable.values)
    for code, label in variable.value_labels.items():
        cell = found.table.cells[found.table.labels.index(label)]
        if cell.value is not None:
            assert int((codes == code).sum()) == cell.value, label
    weight = np.asarray(table["weight"].values)
    answered = ~np.isnan(codes)
    picked = [c for c, label in variable.value_labels.items() if label in found.headline]
    share = 100 * weight[answered & np.isin(codes, picked)].sum() / weight[answered].sum()
    assert found.weighted and abs(share - found.table.subtotals[found.headline].percent) < 0.05


def test_long_and_non_english_labels_fit_spss_limits():
    from analysis.exports import ExportTable, Variable, write

    long_label = "آپ اپنے علاقے میں کتنا محفوظ محسوس کرتے ہیں؟ " * 12
    table = ExportTable(
        "Ankieta bezpieczeństwa młodzieży — Łódź " * 3,
        "x",
        [
            Variable("q1", long_label, np.array([1.0, 2.0, np.nan]), value_labels={1: long_label, 2: "No"}),
            Variable("words", "Słowa", ["=cmd|' /C calc'!A0", None, "zażółć"], "text"),
        ],
        ["A note. " * 40],
        False,
        3,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.sav"
        path.write_bytes(write(table, "sav"))
        frame, meta = pyreadstat.read_sav(str(path))
    assert len(meta.column_labels[0].encode()) <= 255 and meta.column_labels[0].startswith("آپ")
    assert list(frame["words"])[2] == "zażółć"
    csv_text = write(table, "csv").decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in csv_text


def test_a_campaign_too_large_for_a_page_is_exported_by_command(
    app, db, world: World, session_for, runner, monkeypatch, tmp_path
):
    from survey_app.staff.data import views

    monkeypatch.setattr(views, "PAGE_EXPORT_LIMIT", 10)
    refused = session_for(world.a.users["analyst"]).get(_url(world, "xlsx"))
    assert refused.status_code == 400
    assert f"flask --app wsgi data export {world.a.campaign.slug} --format xlsx" in refused.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "analyst_export")) is None
    out = tmp_path / "exports"
    result = runner.invoke(args=["data", "export", world.a.campaign.slug, "--format", "csv,sav", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".csv", ".sav"]
    frame = pd.read_csv(next(out.glob("*.csv")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(frame) == 25 and "[withheld: raised a safeguarding flag]" in set(frame["unsafe_why"])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "analyst_export")).all()
    assert sorted(e.details["format"] for e in events) == ["csv", "sav"]
    assert {e.actor for e in events} == {"command line"} and events[0].partnership_id == world.a.partnership.id
    bad = runner.invoke(args=["data", "export", world.a.campaign.slug, "--format", "pdf", "--out", str(out)])
    assert bad.exit_code != 0 and "unknown format" in bad.output
