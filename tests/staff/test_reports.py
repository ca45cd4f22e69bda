"""The report builder: save, reopen, duplicate, preview, downloads in every format, and the viewer's access."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import select

from analysis.report.model import FindingsReport
from survey_app.models import AuditEvent
from survey_app.models.reports import SavedReport
from survey_app.staff.reports import service
from tests.staff.conftest import SECRET_WORDS, Side, World

SECTIONS = ["headlines", "reasons", "methodology"]


def report_for(side: Side) -> int:
    """The side's saved report (made on first use), for the route matrix and these tests."""
    from survey_app.extensions import db

    existing = db.session.scalar(select(SavedReport.id).where(SavedReport.campaign_id == side.campaign.id))
    if existing is not None:
        return existing
    report = SavedReport(partnership_id=side.partnership.id, campaign_id=side.campaign.id)
    choices = service.Choices("Alderley findings", None, [], SECTIONS, {"headlines": "Our words."}, {})
    service.apply_choices(report, choices, side.users["communications_lead"].id)
    db.session.commit()
    return report.id


def snapshot_for(side: Side) -> int:
    """A live published snapshot of the side's report (made on first use)."""
    from survey_app.extensions import db

    report = db.session.get(SavedReport, report_for(side))
    live = service.live_snapshot(report)
    if live is not None:
        return live.id
    snapshot = service.publish(report, True, side.users["communications_lead"].id)
    db.session.commit()
    return snapshot.id


def _form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "What young people in Alderley told us",
        "earlier": "0",
        "audiences": ["young_people"],
        "sections": SECTIONS,
        "narrative_headlines": "Most young people feel safe.",
        "narrative_methodology": "",
        "response_primary_prevention": "We will open two more youth clubs.",
    }
    form.update(changes)
    return form


def _audits(db, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_lead_builds_saves_reopens_and_duplicates(app, db, world: World, session_for):
    lead = session_for(world.a.users["communications_lead"])
    page = lead.get(f"/staff/campaigns/{world.a.campaign.id}/reports/new")
    assert page.status_code == 200 and "Headline figures" in page.text
    saved = lead.post(f"/staff/campaigns/{world.a.campaign.id}/reports/new", data=_form())
    assert saved.status_code == 302
    report = db.session.scalar(select(SavedReport))
    assert report.title == "What young people in Alderley told us"
    assert report.sections == SECTIONS and report.audiences == ["young_people"]
    assert report.narrative == {"headlines": "Most young people feel safe."}
    assert report.priority_responses == {"primary_prevention": "We will open two more youth clubs."}
    assert report.responses_at_save == 25 and report.partnership_id == world.a.partnership.id

    reopened = lead.get(f"/staff/reports/{report.id}").text
    assert "Most young people feel safe." in reopened and "We will open two more youth clubs." in reopened
    assert f'src="/staff/reports/{report.id}/preview"' in reopened

    lead.post(f"/staff/reports/{report.id}", data=_form(title="Changed title", narrative_headlines="New words."))
    db.session.expire_all()
    assert report.title == "Changed title" and report.narrative == {"headlines": "New words."}

    copied = lead.post(f"/staff/reports/{report.id}/duplicate")
    copy = db.session.scalar(select(SavedReport).where(SavedReport.id != report.id))
    assert copied.location.endswith(f"/staff/reports/{copy.id}")
    assert copy.title == "Changed title (copy)" and copy.narrative == {"headlines": "New words."}
    assert len(_audits(db, "report_saved")) == 2 and len(_audits(db, "report_duplicated")) == 1


def test_a_refused_form_saves_nothing(app, db, world: World, session_for):
    lead = session_for(world.a.users["communications_lead"])
    refused = lead.post(f"/staff/campaigns/{world.a.campaign.id}/reports/new", data=_form(title="", sections=[]))
    assert refused.status_code == 400 and "Give the report a title." in refused.text
    assert db.session.scalar(select(SavedReport)) is None


def test_the_builder_says_when_new_responses_have_arrived(app, db, world: World, session_for):
    report_id = report_for(world.a)
    lead = session_for(world.a.users["communications_lead"])
    assert "New responses have arrived" not in lead.get(f"/staff/reports/{report_id}").text
    _add_responses(db, world.a, 3)
    assert "New responses have arrived" in lead.get(f"/staff/reports/{report_id}").text


def test_every_builder_button_is_styled_like_the_rest_of_the_workspace(app, db, world: World, session_for):
    snapshot_for(world.a)  # published, so Unpublish shows too
    page = session_for(world.a.users["communications_lead"]).get(f"/staff/reports/{report_for(world.a)}").text
    main = page[page.index("<main") :]
    buttons = re.findall(r"<button\b[^>]*>\s*([^<]+)", main)
    assert {"Save report", "Duplicate this report", "Publish", "Unpublish"} <= {b.strip() for b in buttons}
    # staff.css styles `.button` (and `.button.secondary`); a bare <button> is the browser's own grey box
    unstyled = [t for t in re.findall(r"<button\b[^>]*>", main) if not re.search(r'class="(button|link-button)\b', t)]
    assert unstyled == []


def test_the_viewer_reads_but_cannot_change(app, db, world: World, session_for):
    report_id = report_for(world.a)
    viewer = session_for(world.a.users["viewer"])
    page = viewer.get(f"/staff/reports/{report_id}")
    assert page.status_code == 200 and "<fieldset disabled>" in page.text and "Publish" not in page.text
    assert viewer.post(f"/staff/reports/{report_id}", data=_form(title="Viewer's")).status_code == 403
    db.session.expire_all()
    assert db.session.get(SavedReport, report_id).title == "Alderley findings"


def test_preview_is_the_report_under_its_own_policy(app, db, world: World, session_for):
    report_id = report_for(world.a)
    preview = session_for(world.a.users["analyst"]).get(f"/staff/reports/{report_id}/preview")
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    policy = preview.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert "<h1>Alderley findings</h1>" in preview.text
    assert SECRET_WORDS not in preview.text


MEDIA = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def document_text(fmt: str, body: bytes) -> str:
    """All the text of a downloaded file, opened with the library that reads its format."""
    if fmt == "html":
        return re.sub(r"<[^>]+>", " ", body.decode("utf-8"))
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        doc = Document(io.BytesIO(body))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    deck = Presentation(io.BytesIO(body))
    return "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)


@pytest.mark.parametrize("fmt", list(MEDIA))
def test_every_download_opens_and_is_audited(app, db, world: World, session_for, fmt):
    report_id = report_for(world.a)
    got = session_for(world.a.users["communications_lead"]).get(f"/staff/reports/{report_id}/download/{fmt}")
    assert got.status_code == 200 and got.mimetype == MEDIA[fmt]
    assert got.headers["Content-Type"].count("charset") == (fmt == "html"), got.headers["Content-Type"]
    assert (
        got.headers["Content-Disposition"].startswith("attachment;")
        and f'.{fmt}"' in got.headers["Content-Disposition"]
    )
    text = document_text(fmt, got.data)
    assert "Alderley findings" in text or fmt in ("xlsx",)
    assert SECRET_WORDS not in text
    (event,) = _audits(db, "report_downloaded")
    assert event.details["format"] == fmt and event.target == f"report:{report_id}"


def _add_responses(db, side: Side, n: int) -> None:  # type: ignore[no-untyped-def]
    from survey_app.models import Answer, Response

    first = db.session.scalar(select(Response).where(Response.campaign_id == side.campaign.id))
    for i in range(n):
        r = Response(
            questionnaire_version_id=first.questionnaire_version_id,
            audience="young_people",
            language="en",
            campaign_id=side.campaign.id,
            collection_point_id=side.points[0].id,
            completion="complete",
            submitted_on=first.submitted_on,
            idempotency_key=f"later-{side.campaign.slug}-{i}",
        )
        r.answers = [Answer(question_key="carried", position=0, value="no")]
        db.session.add(r)
    db.session.commit()


def built_once(db, side: Side) -> FindingsReport:  # type: ignore[no-untyped-def]
    """The side's report built from the answers now."""
    return service.build(db.session.get(SavedReport, report_for(side)))


def test_publishing_a_report_with_nothing_coded_says_what_would_go_out_empty_first(
    app, db, world: World, session_for
) -> None:
    """A public page saying no answer has been analysed, or quoting no one, is rarely what the lead meant."""
    from survey_app.models.coding import ThemeCode
    from survey_app.models.reports import PublishedReport

    report = SavedReport(partnership_id=world.a.partnership.id, campaign_id=world.a.campaign.id)
    choices = service.Choices("Findings", None, [], [*SECTIONS, "themes", "priorities"], {}, {})
    service.apply_choices(report, choices, world.a.users["communications_lead"].id)
    db.session.execute(ThemeCode.__table__.delete())
    db.session.commit()
    report_id = report.id
    client = session_for(world.a.users["communications_lead"])
    first = client.post(f"/staff/reports/{report_id}/publish", data={"public": "yes"})
    assert first.status_code == 200 and "Not published yet." in first.text
    assert "no free-text answer has been coded" in first.text
    assert db.session.scalar(select(PublishedReport)) is None
    assert 'name="anyway" value="yes"' in first.text and 'id="public" name="public" value="yes" checked' in first.text
    again = client.post(f"/staff/reports/{report_id}/publish", data={"public": "yes", "anyway": "yes"})
    assert again.status_code == 302
    snapshot = db.session.scalar(select(PublishedReport))
    assert snapshot is not None and snapshot.public
