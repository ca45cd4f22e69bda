"""Publishing: a frozen snapshot whose numbers never move, the viewer's list, and an audited unpublish."""

from __future__ import annotations

import io

import docx
from sqlalchemy import select

from analysis.report.model import FindingsReport
from survey_app.models import AuditEvent
from survey_app.models.reports import PublishedReport
from tests.staff.conftest import World
from tests.staff.test_reports import _add_responses, report_for


def _responses_cell(report: FindingsReport) -> str:
    """The methodology's total number of responses, as published."""
    method = report.section("methodology")
    assert method is not None
    audiences = next(t for t in method.tables if t.id == "method-audiences")
    return next(r for r in audiences.rows if r.label == "Total").cells[0].display


def test_publishing_freezes_the_numbers(app, db, world: World, session_for):
    report_id = report_for(world.a)
    lead = session_for(world.a.users["communications_lead"])
    assert lead.post(f"/staff/reports/{report_id}/publish", data={"public": "yes"}).status_code == 302
    snapshot = db.session.scalar(select(PublishedReport))
    assert snapshot.live and snapshot.public
    page_before = lead.get(f"/staff/published/{snapshot.id}").text
    assert _responses_cell(FindingsReport.from_json(snapshot.snapshot)) == "25"

    _add_responses(db, world.a, 10)

    # The report built now has the new answers; the published one does not move.
    preview = lead.get(f"/staff/reports/{report_id}/preview").text
    assert ">35<" in preview
    assert lead.get(f"/staff/published/{snapshot.id}").text == page_before
    assert ">25<" in page_before and ">35<" not in page_before
    public = lead.get(f"/reports/{snapshot.slug}").text
    assert ">25<" in public and ">35<" not in public
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report_published"))
    assert event.details == {"report": report_id, "public": True}


def test_the_viewer_sees_published_reports_on_the_home_page(app, db, world: World, session_for):
    report_id = report_for(world.a)
    viewer = session_for(world.a.users["viewer"])
    assert "Published reports will appear here" in viewer.get("/staff/").text
    session_for(world.a.users["analyst"]).post(f"/staff/reports/{report_id}/publish")
    home = viewer.get("/staff/").text
    snapshot = db.session.scalar(select(PublishedReport))
    assert "Alderley findings" in home and f"/staff/published/{snapshot.id}" in home
    assert "Published reports will appear here" not in home
    assert f"/reports/{snapshot.slug}" not in home  # not public: no public link
    # Partnership B sees none of it.
    assert "Alderley findings" not in session_for(world.b.users["viewer"]).get("/staff/").text
    download = viewer.get(f"/staff/published/{snapshot.id}/download/docx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    # The file names the partnership as its author, never the analyst who published it.
    properties = docx.Document(io.BytesIO(download.data)).core_properties
    assert (properties.author, properties.last_modified_by) == (world.a.partnership.name,) * 2


def test_unpublishing_is_audited_and_withdraws_the_report(app, db, world: World, session_for):
    report_id = report_for(world.a)
    lead = session_for(world.a.users["communications_lead"])
    lead.post(f"/staff/reports/{report_id}/publish", data={"public": "yes"})
    snapshot = db.session.scalar(select(PublishedReport))
    assert lead.get(f"/reports/{snapshot.slug}").status_code == 200
    assert lead.post(f"/staff/published/{snapshot.id}/unpublish").status_code == 302
    db.session.expire_all()
    assert not snapshot.live and snapshot.unpublished_on is not None
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report_unpublished"))
    assert event.target == f"published:{snapshot.id}" and event.user_id == world.a.users["communications_lead"].id
    assert lead.get(f"/reports/{snapshot.slug}").status_code == 404
    assert "Alderley findings" not in session_for(world.a.users["viewer"]).get("/staff/").text


def test_publishing_again_replaces_the_live_copy_at_the_same_address(app, db, world: World, session_for):
    report_id = report_for(world.a)
    lead = session_for(world.a.users["communications_lead"])
    lead.post(f"/staff/reports/{report_id}/publish", data={"public": "yes"})
    _add_responses(db, world.a, 10)
    lead.post(f"/staff/reports/{report_id}/publish", data={"public": "yes"})
    first, second = db.session.scalars(select(PublishedReport).order_by(PublishedReport.id))
    assert not first.live and second.live
    assert _responses_cell(FindingsReport.from_json(first.snapshot)) == "25"  # the old snapshot is kept as it was
    # Links shared after the first publication still work, and show the newest numbers.
    public = lead.get(f"/reports/{first.slug}")
    assert public.status_code == 200 and ">35<" in public.text and ">25<" not in public.text
    assert lead.get(f"/reports/{first.slug}/you-said-we-did").status_code == 200
    # Published again but not public: the address shows nothing.
    lead.post(f"/staff/reports/{report_id}/publish")
    assert lead.get(f"/reports/{first.slug}").status_code == 404
