"""Staff pages for reaching people: setting up campaigns and collection points, printed
materials, school sessions with live counts (never answers), and paper uploads. Who may use which
page, and objects of other partnerships, are covered for every route by tests/staff/test_access_matrix.py."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from survey_app.models import AuditEvent, Campaign, CollectionPoint, Response, SchoolSession
from tests.reach_helpers import send_check
from tests.staff.conftest import session_for, world  # noqa: F401 - the staff workspace's fixtures
from tests.test_paper import FULL_ROW, to_csv


def audited(db, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


@pytest.fixture
def open_world(world, db):  # type: ignore[no-untyped-def]  # noqa: F811
    """The staff fixtures' partnership A, with its campaign open today."""
    world.a.campaign.opens_on = dt.date.today() - dt.timedelta(days=1)
    world.a.campaign.closes_on = dt.date.today() + dt.timedelta(days=30)
    db.session.commit()
    return world


def test_an_administrator_sets_up_a_campaign_and_its_collection_points(world, session_for, db):  # noqa: F811
    admin = session_for(world.a.users["administrator"])
    page = admin.post(
        "/staff/campaigns/new",
        data={
            "name": "Knife Crime Consultation 2027",
            "opens_on": "2027-01-04",
            "closes_on": "2027-02-26",
            "questionnaires": ["all-types"],
            "areas": "north, south",
            "description": "What would help.",
        },
    )
    assert page.status_code == 302, page.text[:1000]
    campaign = db.session.scalars(select(Campaign).filter_by(slug="knife-crime-consultation-2027")).one()
    assert campaign.partnership_id == world.a.partnership.id and campaign.areas == ["north", "south"]
    added = admin.post(
        f"/staff/campaigns/{campaign.id}/points/new", data={"name": "Moss Park Primary", "kind": "school"}
    )
    assert added.status_code == 302
    point = db.session.scalars(select(CollectionPoint).filter_by(campaign_id=campaign.id)).one()
    listing = admin.get(f"/staff/campaigns/{campaign.id}/points").text
    assert f"{point.code[:3]} {point.code[3:]}" in listing and f"/p/{point.code}" in listing
    assert audited(db, "campaign_created") and audited(db, "collection_point_added")


def test_a_new_campaign_with_mistakes_keeps_what_was_typed(world, session_for):  # noqa: F811
    admin = session_for(world.a.users["administrator"])
    page = admin.post(
        "/staff/campaigns/new",
        data={"name": "Survey", "opens_on": "2027-03-01", "closes_on": "2027-01-01", "questionnaires": ["all-types"]},
    )
    assert page.status_code == 400
    assert "before the opening date" in page.text and 'value="Survey"' in page.text
    assert 'id="q-all-types" name="questionnaires" value="all-types" checked' in page.text


def test_a_new_campaign_marks_each_field_in_error(world, session_for):  # noqa: F811
    admin = session_for(world.a.users["administrator"])
    page = admin.post("/staff/campaigns/new", data={"name": "Survey", "opens_on": "soon", "closes_on": "2027-01-01"})
    assert page.status_code == 400
    assert '<p class="error-message" id="opens_on-error">Enter the first day as a date' in page.text
    assert 'value="soon" required aria-describedby="opens_on-error" aria-invalid="true"' in page.text
    assert '<p class="error-message" id="questionnaires-error">Choose at least one questionnaire.' in page.text
    assert "closes_on-error" not in page.text


def test_materials_download_as_qr_codes_posters_and_letters(world, session_for, db):  # noqa: F811
    comms = session_for(world.a.users["communications_lead"])
    point = world.a.points[0]
    svg = comms.get(f"/staff/points/{point.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert comms.get(f"/staff/points/{point.id}/qr.png").data.startswith(b"\x89PNG")
    poster = comms.get(f"/staff/points/{point.id}/poster").text
    assert "anonymous" in poster and f"/p/{point.code}" in poster
    letter = comms.get(f"/staff/points/{point.id}/letter.pdf")
    if letter.mimetype != "application/pdf":  # pragma: no cover - depends on the machine
        assert "PDFs need WeasyPrint" in letter.text  # falls back to the printable page, and says why
    else:
        assert letter.data.startswith(b"%PDF-")
    assert {e.details["document"] for e in audited(db, "materials_downloaded")} == {"poster", "letter"}


def test_a_coordinator_runs_a_class_session_and_sees_only_counts(open_world, session_for, app, db):  # noqa: F811
    point = open_world.a.points[0]
    coordinator = session_for(open_world.a.users["school_coordinator"])
    made = coordinator.post(
        f"/staff/points/{point.id}/sessions", data={"label": "8B", "year_group": "8", "expected_pupils": "28"}
    )
    assert made.status_code == 302, made.text[:1000]
    created = db.session.scalars(select(SchoolSession)).one()
    page = coordinator.get(f"/staff/points/{point.id}/sessions").text
    assert "0 of 28" in page and 'http-equiv="refresh"' in page
    assert f"/kiosk/{created.code}" in page

    pupil = app.test_client()
    assert pupil.post("/code", data={"code": created.code}).location.endswith("/survey/intro")
    pupil.post("/survey/page/words", data={"one_word": "Zebracorn42", "action": "continue"})
    assert send_check(pupil).status_code == 303
    page = coordinator.get(f"/staff/points/{point.id}/sessions").text
    assert "1 of 28" in page
    assert "Zebracorn42" not in page

    closed = coordinator.post(f"/staff/points/{point.id}/sessions/close", data={"session_id": str(created.id)})
    assert closed.status_code == 302
    assert "This session has finished" in app.test_client().post("/code", data={"code": created.code}).text
    assert audited(db, "school_session_created") and audited(db, "school_session_closed")


def test_a_coordinator_cannot_close_another_schools_session(open_world, session_for, db):  # noqa: F811
    admin = session_for(open_world.a.users["administrator"])
    admin.post(f"/staff/points/{open_world.a.points[1].id}/sessions", data={"year_group": "9", "expected_pupils": "20"})
    other = db.session.scalars(select(SchoolSession)).one()
    coordinator = session_for(open_world.a.users["school_coordinator"])
    refused = coordinator.post(
        f"/staff/points/{open_world.a.points[0].id}/sessions/close", data={"session_id": str(other.id)}
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert other.is_open


def test_an_analyst_uploads_paper_returns_once(world, session_for, db):  # noqa: F811
    analyst = session_for(world.a.users["analyst"])
    campaign = world.a.campaign
    template = analyst.get(f"/staff/campaigns/{campaign.id}/paper/template?questionnaire=all-types&format=csv")
    assert template.data.decode("utf-8-sig").startswith("carried,worries")
    before = db.session.scalar(select(func.count()).select_from(Response))
    data = to_csv([FULL_ROW, {"carried": "yess"}])

    def upload():  # type: ignore[no-untyped-def]
        return analyst.post(
            f"/staff/campaigns/{campaign.id}/paper",
            content_type="multipart/form-data",
            data={
                "questionnaire": "all-types",
                "collection_point": str(world.a.points[0].id),
                "file": (io.BytesIO(data), "box-1.csv"),
            },
        )

    first = upload()
    assert first.status_code == 200, first.text[:1000]
    report = re.sub(r"\s+", " ", first.text)
    assert "box-1.csv: 1 row(s) imported." in report
    assert "Row 3, column A (carried): \u201cyess\u201d is not one of the answers" in report
    second = upload()
    assert second.status_code == 400 and "already imported" in second.text
    assert db.session.scalar(select(func.count()).select_from(Response)) == before + 1
    assert [e.details["imported"] for e in audited(db, "paper_imported")] == [1, 0]
