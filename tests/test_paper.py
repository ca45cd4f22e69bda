"""Paper returns: templates, row-by-row checking with the web's own rules, errors by row and
column in plain words, valid rows imported in one transaction, and never the same file twice."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from survey_app.extensions import db as _db
from survey_app.models import Campaign, CollectionPoint, PaperImport, QuestionnaireVersion, Response
from survey_app.paper.importer import ImportReport, import_file
from survey_app.paper.template import columns, template_csv, template_xlsx
from survey_app.questionnaire_store import current_version
from tests.journey_helpers import complete
from tests.reach_helpers import make_campaign, make_point

#: A paper copy with the same answers as journey_helpers.FULL, written as staff would type it.
FULL_ROW = {
    "carried": "Yes",
    "worries": "knives; Gangs",
    "feel_safe": "very_unsafe",
    "why_carry": "for_protection",
    "mood": "happy",
    "times": "3",
    "what_helps-1": "youth_clubs",
    "what_helps-2": "jobs",
    "home_area": "north",
    "gender": "self_describe",
    "ethnicity": "indian",
    "one_word": "green",
    "unsafe_why": "The underpass is dark",
    "club_story": "football",
    "gang_words": "older boys",
}


def to_csv(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or list(FULL_ROW)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Answers"
    header = list(FULL_ROW)
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, None) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_and_commit(
    data: bytes, filename: str, version: QuestionnaireVersion, point: CollectionPoint | None = None
) -> ImportReport:
    """Import one file into a campaign (the point's, else the test campaign) and commit, as the command does."""
    campaign = point.campaign if point else _db.session.scalar(select(Campaign).filter_by(slug="youth-safety"))
    report = import_file(data, filename, version, point, campaign=campaign or make_campaign(["all-types"]))
    _db.session.commit()
    return report


def answer_rows(response: Response) -> set[tuple]:
    return {(a.question_key, a.position, a.measure, a.value, a.rank, a.text, a.number) for a in response.answers}


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def version(loaded):  # type: ignore[no-untyped-def]
    return current_version("all-types")


def test_the_template_columns_are_the_web_form_fields(version):
    names = [c.name for c in columns(version.questionnaire)]
    assert names[:4] == ["carried", "worries", "worries-other", "feel_safe"]
    assert {"what_helps-1", "what_helps-2", "what_helps-3"} <= set(names) and "gender-other" not in names
    header = next(csv.reader(io.StringIO(template_csv(version.questionnaire).decode("utf-8-sig"))))
    assert header == names
    book = load_workbook(io.BytesIO(template_xlsx(version.questionnaire, version.version)))
    assert book.sheetnames == ["Answers", "Guide"]
    assert [c.value for c in book["Answers"][1]] == names
    guide = {row[0]: row[2] for row in book["Guide"].iter_rows(min_row=5, values_only=True)}
    assert "Write one of: yes, no, prefer_not_to_say" in guide["carried"]


def test_a_paper_row_is_stored_exactly_as_the_same_answers_from_the_web(client, version, db):
    check = complete(client)
    client.post("/survey/check", data={"submission_key": check.split('name="submission_key" value="')[1].split('"')[0]})
    web = db.session.scalars(select(Response)).one()
    report = import_and_commit(to_csv([FULL_ROW]), "box-1.csv", version)
    assert (report.imported, report.problems, report.refused) == (1, [], None)
    paper = next(r for r in db.session.scalars(select(Response)) if r.id != web.id)
    assert answer_rows(paper) == answer_rows(web)


def test_xlsx_files_import_too(version, db):
    point = make_point(make_campaign(["all-types"]), "Paper copies", "paper")
    report = import_and_commit(to_xlsx([FULL_ROW, {"carried": "no", "times": 7}]), "box-2.xlsx", version, point)
    assert report.imported == 2, report.problems
    assert {r.collection_point_id for r in db.session.scalars(select(Response))} == {point.id}


def test_bad_rows_are_reported_by_row_and_column_and_the_good_rows_go_in(version, db):
    rows = [
        FULL_ROW,
        {"carried": "yess", "times": "3"},  # row 3: not an answer
        {"carried": "no", "times": "lots"},  # row 4: not a number
        {},  # row 5: empty, skipped quietly
        {"worries": "knives; nothing", "times": "99"},  # row 6: exclusive + out of range
        {"what_helps-1": "jobs", "what_helps-2": "jobs"},  # row 7: same choice twice
        {"carried": "prefer not to say", "one_word": "a" * 30},  # row 8: too long
        {"mood": "okay"},  # row 9: fine
    ]
    report = import_and_commit(to_csv(rows), "box-3.csv", version)
    messages = [str(p) for p in report.problems]
    assert report.imported == 2
    assert report.rejected_rows == [3, 4, 6, 7, 8]
    assert report.empty_rows == 1
    assert any(
        m.startswith("Row 3, column A (carried): \u201cyess\u201d is not one of the answers")
        and "Write one of: yes, no, prefer_not_to_say" in m
        for m in messages
    ), messages
    assert "Row 4, column F (times): Please write a whole number using digits, like 3." in messages
    assert any(m.startswith("Row 6, column B (worries): You chose") for m in messages), messages
    assert "Row 6, column F (times): Please write a number from 0 to 50." in messages
    assert any(m.startswith("Row 7, column H (what_helps-2): You picked") for m in messages), messages
    assert any(m.startswith("Row 8, column L (one_word): Your answer is 30 characters long") for m in messages)
    assert "rows 3, 4, 6, 7, 8" in report.summary()
    assert count(db, Response) == 2
    assert db.session.scalars(select(PaperImport)).one().rejected_rows == 5


def test_the_same_file_is_never_imported_twice(version, db):
    data = to_csv([FULL_ROW, {"carried": "no"}])
    assert import_and_commit(data, "box-4.csv", version).imported == 2
    again = import_and_commit(data, "box-4 (copy).csv", version)
    assert again.imported == 0 and "already imported" in again.refused
    assert "box-4.csv" in again.refused
    assert count(db, Response) == 2


def test_a_file_for_another_questionnaire_is_refused_whole(version, db):
    report = import_and_commit(to_csv([{"name": "x"}], header=["name", "carried"]), "wrong.csv", version)
    assert report.refused and "don't match the template" in report.refused and "name" in report.refused
    assert count(db, Response) == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused_kindly(version, db):
    report = import_and_commit(b"%PDF-1.4", "scan.pdf", version)
    assert "not a .csv or .xlsx" in report.refused
    report = import_and_commit(b"not a zip", "broken.xlsx", version)
    assert "couldn't be opened" in report.refused


def test_paper_answers_go_through_safeguarding_like_web_answers(version, db):
    from survey_app.models import SafeguardingFlag

    worrying = {**FULL_ROW, "unsafe_why": "I don't know why. I want to die"}
    import_and_commit(to_csv([FULL_ROW, worrying]), "box-5.csv", version)
    flagged = db.session.scalars(select(SafeguardingFlag)).all()
    assert [f.question_key for f in flagged] == ["unsafe_why"]


class TestCommands:
    def test_template_and_import(self, runner, version, db, tmp_path):
        out = tmp_path / "all-types.xlsx"
        result = runner.invoke(args=["responses", "template", "all-types", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert load_workbook(out).sheetnames == ["Answers", "Guide"]
        good = tmp_path / "good.csv"
        good.write_bytes(to_csv([FULL_ROW]))
        make_campaign(["all-types"])
        result = runner.invoke(args=["responses", "import", "all-types", str(good), "--campaign", "youth-safety"])
        assert result.exit_code == 0, result.output
        assert "good.csv: 1 row(s) imported." in result.output
        result = runner.invoke(args=["responses", "import", "all-types", str(good), "--campaign", "youth-safety"])
        assert result.exit_code == 1 and "already imported" in result.output

    def test_import_reports_problems_and_fails(self, runner, version, tmp_path):
        bad = tmp_path / "bad.csv"
        bad.write_bytes(to_csv([{"carried": "maybe"}]))
        make_campaign(["all-types"])
        result = runner.invoke(args=["responses", "import", "all-types", str(bad), "--campaign", "youth-safety"])
        assert result.exit_code == 1
        assert "Row 2, column A (carried)" in result.output

    def test_unknown_questionnaire(self, runner, loaded):
        result = runner.invoke(args=["responses", "template", "nope"])
        assert result.exit_code == 1 and "no loaded questionnaire" in result.output
