"""Completed paper templates that are huge, malformed or full of odd characters are refused kindly and early."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from survey_app.models import Response
from survey_app.paper.reader import MAX_CELL_CHARS, TooManyRows, UnreadableFile, read_rows
from survey_app.questionnaire_store import current_version
from tests.staff.conftest import session_for, world  # noqa: F401 - the staff workspace's fixtures
from tests.test_paper import FULL_ROW, import_and_commit, to_csv


def sheet(header: list[str], rows: int, far_row: int | None = None) -> bytes:
    """An xlsx whose Answers sheet has `rows` rows below the header and, optionally, one cell far below."""
    book = Workbook()
    answers = book.active
    answers.title = "Answers"
    answers.append(header)
    for _ in range(rows):
        answers.append(["yes"] + [None] * (len(header) - 1))
    if far_row:  # a tiny file that declares (and pads out to) a huge sheet
        answers.cell(row=far_row, column=1, value="yes")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def version(loaded):  # type: ignore[no-untyped-def]
    return current_version("all-types")


def test_a_sheet_that_expands_to_a_million_rows_stops_being_read_at_the_limit():
    data = sheet(list(FULL_ROW), rows=3, far_row=1_000_000)
    assert len(data) < 20_000
    with pytest.raises(TooManyRows) as refused:
        read_rows(data, "box.xlsx", max_rows=50)
    assert refused.value.rows_read == 51
    assert "more than 50 rows" in str(refused.value) and "split it" in str(refused.value)


def test_the_header_is_checked_before_any_row_is_read():
    data = sheet(["name", "address"], rows=200)
    with pytest.raises(UnreadableFile, match="wrong columns") as refused:
        read_rows(data, "box.xlsx", max_rows=50, check_header=lambda header: "wrong columns")
    assert not isinstance(refused.value, TooManyRows)


def test_an_import_past_the_row_limit_is_refused_whole_with_a_clear_message(app, version, db):
    config = app.config["COMMUNITY_VOICE"]
    app.config["COMMUNITY_VOICE"] = dataclasses.replace(config, paper_max_rows=40)
    report = import_and_commit(sheet(list(FULL_ROW), rows=41), "box.xlsx", version)
    assert report.imported == 0
    assert report.refused and "more than 40 rows" in report.refused
    assert db.session.scalars(select(Response)).first() is None
    csv_report = import_and_commit(to_csv([FULL_ROW] * 41), "box.csv", version)
    assert csv_report.refused and "more than 40 rows" in csv_report.refused
    assert import_and_commit(to_csv([FULL_ROW] * 40), "fine.csv", version).imported == 40


def test_a_file_with_the_wrong_columns_is_refused_for_its_columns_whatever_its_size(version, db):
    report = import_and_commit(sheet(["name", "address"], rows=6000), "other.xlsx", version)
    assert report.refused and "columns don't match" in report.refused


def test_control_characters_in_a_csv_cell_are_dropped_and_the_row_goes_in(version, db):
    # On PostgreSQL a NUL in text is refused by the database; the words around it are kept.
    report = import_and_commit(
        to_csv([{**FULL_ROW, "unsafe_why": "The under\x00pass\x1b is dark"}]), "nul.csv", version
    )
    assert (report.imported, report.problems, report.refused) == (1, [], None)
    texts = {a.text for r in db.session.scalars(select(Response)) for a in r.answers}
    assert "The underpass is dark" in texts


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused_kindly(version, db):
    report = import_and_commit(to_csv([{**FULL_ROW, "unsafe_why": "a" * (MAX_CELL_CHARS + 1)}]), "long.csv", version)
    assert report.refused and "Row 2 has a cell longer than" in report.refused
    huge = io.StringIO()
    csv.writer(huge).writerows([list(FULL_ROW), ["yes", "b" * 200_000]])  # past the csv module's own field limit
    refused = import_and_commit(huge.getvalue().encode(), "huge.csv", version).refused
    # Which check speaks first depends on the csv module's field limit, which is process-wide (another
    # library in the same process may have raised it): either way the file is refused in words.
    assert refused and ("couldn't be read as CSV" in refused or "Row 2 has a cell longer than" in refused)


@pytest.mark.parametrize("point", ["\u00b2", "12x", "99999999999999999999"])
def test_a_collection_point_that_is_not_one_of_ours_is_a_form_error(world, session_for, db, point):  # noqa: F811
    campaign = world.a.campaign
    page = session_for(world.a.users["analyst"]).post(
        f"/staff/campaigns/{campaign.id}/paper",
        content_type="multipart/form-data",
        data={
            "questionnaire": "all-types",
            "collection_point": point,
            "file": (io.BytesIO(to_csv([FULL_ROW])), "b.csv"),
        },
    )
    assert page.status_code == 400
    assert "Choose one of this campaign&#39;s collection points." in page.text


@settings(max_examples=60, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode)), xlsx=st.booleans())
def test_the_reader_reads_or_refuses_any_bytes_and_never_fails_otherwise(data, xlsx):
    try:
        header, rows = read_rows(b"carried,times\n" + data if not xlsx else data, "f.xlsx" if xlsx else "f.csv")
    except UnreadableFile:
        return
    assert all("\x00" not in cell for row in [header, *rows] for cell in row)


def with_sheet_xml(xml: bytes) -> bytes:
    """A real workbook whose Answers sheet's XML is replaced: broken XML inside a good zip."""
    source = zipfile.ZipFile(io.BytesIO(sheet(list(FULL_ROW), rows=1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    return out.getvalue()


@settings(max_examples=30, deadline=None)
@given(body=st.text(max_size=300))
def test_a_workbook_with_a_broken_sheet_is_refused_not_crashed(body):
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + "</sheetData></worksheet>"
    ).encode()
    for data in (xml, body.encode()):
        with contextlib.suppress(UnreadableFile):
            read_rows(with_sheet_xml(data), "box.xlsx")
