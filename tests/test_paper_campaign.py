"""Paper returns always belong to the campaign they were typed in for: with the collection point left
as "Not known" they still count on its dashboard, and their safeguarding flags reach its reviewers."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from survey_app.models import Campaign, PaperImport, Response, SafeguardingFlag
from survey_app.paper.importer import import_file
from survey_app.questionnaire_store import current_version
from tests.reach_helpers import make_point
from tests.staff.conftest import session_for, world  # noqa: F401 - the staff workspace's fixtures
from tests.test_paper import FULL_ROW, to_csv

#: A paper form whose free text a safeguarding rule picks up, beside an ordinary one.
WORRYING = {**FULL_ROW, "unsafe_why": "I don't know why. I want to die"}
PAPER = to_csv([FULL_ROW, WORRYING])
#: A web response sent when no campaign was open: it has no campaign either, but it is not paper's.
WEB_WITH_NO_CAMPAIGN = {
    "audience": "young_people",
    "language": "en",
    "completion": "complete",
    "submitted_on": dt.date.today(),
    "idempotency_key": "web-sent-with-no-campaign-open",
}


def dashboard_total(staff: FlaskClient, campaign: Campaign) -> int:
    """The campaign's response count as its dashboard shows it."""
    page = staff.get(f"/staff/campaigns/{campaign.id}/dashboard")
    assert page.status_code == 200
    match = re.search(r"<strong>([\d,]+)</strong> responses", page.text)
    assert match, "the dashboard shows no total"
    return int(match.group(1).replace(",", ""))


def check_the_campaign_has_them(db, world, session_for, before: int) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Both paper responses are the campaign's; its dashboard counts them; its reviewer sees the flag."""
    campaign = world.a.campaign
    # Every response the fixtures made came through a collection point; these came through "Not known".
    imported = db.session.scalars(select(Response).where(Response.collection_point_id.is_(None))).all()
    assert len(imported) == 2
    assert {r.campaign_id for r in imported} == {campaign.id}
    assert dashboard_total(session_for(world.a.users["analyst"]), campaign) == before + 2
    flag = db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id.in_([r.id for r in imported]))
    ).one()
    queue = session_for(world.a.users["safeguarding_reviewer"]).get("/staff/safeguarding").text
    card = queue.split(f'id="flag-{flag.id}"', 1)
    assert len(card) == 2, "the paper answer's flag is not in the reviewer's queue"
    shown = card[1].split("</li>", 1)[0]
    assert campaign.name in shown and "Not known" in shown


def test_the_staff_paper_page_puts_not_known_forms_into_the_campaign(world, session_for, db):  # noqa: F811
    campaign = world.a.campaign
    analyst = session_for(world.a.users["analyst"])
    before = dashboard_total(analyst, campaign)
    page = analyst.post(
        f"/staff/campaigns/{campaign.id}/paper",
        content_type="multipart/form-data",
        data={"questionnaire": "all-types", "collection_point": "", "file": (io.BytesIO(PAPER), "box-7.csv")},
    )
    assert page.status_code == 200, page.text[:1000]
    check_the_campaign_has_them(db, world, session_for, before)


def test_the_command_puts_forms_into_the_campaign_named(world, session_for, db, runner, tmp_path: Path):  # noqa: F811
    before = dashboard_total(session_for(world.a.users["analyst"]), world.a.campaign)
    box = tmp_path / "box-7.csv"
    box.write_bytes(PAPER)
    result = runner.invoke(args=["responses", "import", "all-types", str(box), "--campaign", world.a.campaign.slug])
    assert result.exit_code == 0, result.output
    assert "box-7.csv: 2 row(s) imported." in result.output
    check_the_campaign_has_them(db, world, session_for, before)


def test_the_command_refuses_forms_for_no_campaign(world, db, runner, tmp_path: Path):  # noqa: F811
    box = tmp_path / "box-8.csv"
    box.write_bytes(PAPER)
    before = db.session.scalar(select(func.count()).select_from(Response))
    result = runner.invoke(args=["responses", "import", "all-types", str(box)])
    assert result.exit_code == 1
    assert "--campaign" in result.output and world.a.campaign.slug in result.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == before


def test_a_collection_point_brings_its_campaign(world, db, runner, tmp_path: Path):  # noqa: F811
    box = tmp_path / "box-9.csv"
    box.write_bytes(PAPER)
    point = make_point(world.a.campaign, "Paper copies", "paper")
    code = f"{point.code[:3]}-{point.code[3:]}".lower()  # as someone might type it
    result = runner.invoke(args=["responses", "import", "all-types", str(box), "--collection-point", code])
    assert result.exit_code == 0, result.output
    stored = db.session.scalars(select(Response).where(Response.collection_point_id == point.id)).all()
    assert len(stored) == 2 and {r.campaign_id for r in stored} == {world.a.campaign.id}


def test_the_importer_stores_nothing_outside_a_campaign(world, db):  # noqa: F811
    version = current_version("all-types")
    before = db.session.scalar(select(func.count()).select_from(Response))
    alone = import_file(PAPER, "box-10.csv", version)
    assert alone.imported == 0 and alone.refused and "which campaign" in alone.refused
    elsewhere = import_file(PAPER, "box-10.csv", version, world.b.points[0], campaign=world.a.campaign)
    assert elsewhere.imported == 0 and elsewhere.refused and world.b.points[0].name in elsewhere.refused
    assert db.session.scalar(select(func.count()).select_from(Response)) == before
    assert db.session.scalar(select(func.count()).select_from(PaperImport)) == 0


def test_files_imported_into_no_campaign_are_found_and_given_theirs(world, session_for, db, runner, tmp_path: Path):  # noqa: F811
    """Before imports needed a campaign, "Not known" files went into none: find them and put them right."""
    campaign = world.a.campaign
    before = dashboard_total(session_for(world.a.users["analyst"]), campaign)
    version = current_version("all-types")
    import_file(PAPER, "box-11.csv", version, campaign=campaign)
    # As the importer used to store them: no campaign. And a web response with none, which is not paper's.
    db.session.execute(update(Response).values(campaign_id=None).where(Response.collection_point_id.is_(None)))
    db.session.add(Response(**WEB_WITH_NO_CAMPAIGN, questionnaire_version_id=version.id))
    db.session.commit()
    paper_import = db.session.scalars(select(PaperImport)).one()

    listed = runner.invoke(args=["responses", "unassigned"])
    assert listed.exit_code == 0 and f"{paper_import.id}\t" in listed.output and "2 response(s)" in listed.output
    done = runner.invoke(args=["responses", "assign", str(paper_import.id), "--campaign", campaign.slug])
    assert done.exit_code == 0, done.output
    assert "2 response(s) now in" in done.output
    web = db.session.scalars(select(Response).filter_by(idempotency_key=WEB_WITH_NO_CAMPAIGN["idempotency_key"])).one()
    db.session.delete(web)  # only so the check below sees exactly the paper file's two
    db.session.commit()
    check_the_campaign_has_them(db, world, session_for, before)
    assert (
        "Every imported paper response belongs to a campaign." in runner.invoke(args=["responses", "unassigned"]).output
    )
