"""School sessions and kiosk mode through the test client: a coordinator's session code takes
pupils to the questionnaire for their year group, counts completions (never answers), and closes;
a shared device in kiosk mode forgets each pupil; 300 pupils behind one IP address are all accepted."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select

from survey_app.campaigns import codes
from survey_app.campaigns.school import audience_for_year, close_session
from survey_app.campaigns.setup import SetupError
from survey_app.extensions import db as _db
from survey_app.models import Draft, Response, SchoolSession
from tests.reach_helpers import make_campaign, make_point, make_session, send_check

SCHOOL_IP = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def school(shipped_app: Flask):  # type: ignore[no-untyped-def]
    """An open campaign for children and young people, with one school."""
    campaign = make_campaign(["children", "young-people", "parents-carers"])
    return make_point(campaign, "Stretford High School")


def join(client, code: str):  # type: ignore[no-untyped-def]
    return client.post("/code", data={"code": code}, environ_base=SCHOOL_IP)


def test_year_groups_map_to_the_childrens_and_young_peoples_questionnaires(school):
    assert [audience_for_year(y) for y in (3, 6, 7, 13)] == ["children", "children", "young_people", "young_people"]
    assert make_session(school, 5).questionnaire_id == "children"
    assert make_session(school, 9).questionnaire_id == "young-people"
    with pytest.raises(SetupError, match="Year 2 is not a school year"):
        make_session(school, 2)
    with pytest.raises(SetupError, match="1 or more"):
        make_session(school, 8, pupils=0)


def test_a_class_with_special_educational_needs_can_have_the_easy_read_questionnaire(shipped_app):
    from survey_app.campaigns.school import create_session

    school = make_point(make_campaign(["children", "young-people", "young-people-easy-read"], slug="send"))
    easy = create_session(school, 9, 12, "Learning support", easy_read=True)
    assert easy.questionnaire_id == "young-people-easy-read"
    assert make_session(school, 9).questionnaire_id == "young-people"  # the standard one otherwise
    with pytest.raises(SetupError, match="has no easy-read questionnaire for Year 4"):
        create_session(school, 4, 20, easy_read=True)  # there is no easy-read children's questionnaire
    client = shipped_app.test_client()
    assert join(client, easy.code).status_code == 302
    assert _db.session.scalars(select(Draft)).one().version.questionnaire_id == "young-people-easy-read"


def test_session_codes_are_short_unambiguous_and_unlike_point_codes(school):
    created = make_session(school, 8)
    assert len(created.code) == codes.SESSION_CODE_LENGTH != len(school.code)
    assert not set(created.code) & set("0O1I")


@pytest.mark.parametrize(("year", "title"), [(5, "children"), (10, "young-people")])
def test_a_pupil_types_the_code_and_lands_on_their_questionnaire(shipped_app, school, year, title):
    created = make_session(school, year)
    client = shipped_app.test_client()
    typed = " ".join(codes.display(created.code).lower())  # lower case, with spaces: still found
    response = join(client, typed)
    assert response.status_code == 302 and response.location.endswith("/survey/intro")
    draft = _db.session.scalars(select(Draft)).one()
    assert draft.version.questionnaire_id == title
    assert (draft.campaign_id, draft.collection_point_id) == (school.campaign_id, school.id)


def test_the_landing_page_links_to_enter_your_code(shipped_app, school):
    client = shipped_app.test_client()
    assert 'href="/code"' in client.get("/").text
    assert "Enter your code" in client.get("/code").text


def test_completions_are_counted_never_linked_to_answers(shipped_app, school):
    created = make_session(school, 8, pupils=30)
    for _ in range(3):
        client = shipped_app.test_client()
        join(client, created.code)
        assert send_check(client).status_code == 303
    _db.session.expire_all()
    assert created.completed == 3
    responses = _db.session.scalars(select(Response)).all()
    assert {(r.collection_point_id, r.audience) for r in responses} == {(school.id, "young_people")}
    # The response table has no way to point at a class's session.
    assert not [fk for fk in inspect(Response).local_table.foreign_keys if fk.column.table.name == "school_session"]
    status = shipped_app.test_cli_runner().invoke(args=["sessions", "status", created.code])
    assert "3 of 30 finished (open)" in status.output


def test_a_closed_session_takes_no_new_pupils_but_keeps_those_part_way(shipped_app, school):
    created = make_session(school, 8)
    part_way = shipped_app.test_client()
    join(part_way, created.code)
    result = shipped_app.test_cli_runner().invoke(args=["sessions", "close", created.code.lower()])
    assert result.exit_code == 0, result.output
    late = shipped_app.test_client()
    page = join(late, created.code)
    assert page.status_code == 200 and "This session has finished" in page.text
    assert send_check(part_way).status_code == 303  # nothing lost
    _db.session.expire_all()
    assert created.completed == 1 and created.closed_on is not None


def test_a_closed_campaign_shows_its_friendly_page_to_a_session_code(shipped_app):
    point = make_point(make_campaign(["children", "young-people"], opens=-30, closes=-1, slug="old"))
    created = make_session(point, 8)
    page = join(shipped_app.test_client(), created.code)
    assert "This survey closed on" in page.text
    assert _db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_a_wrong_code_is_explained_and_tries_are_limited(shipped_app, school):
    created = make_session(school, 8)
    client = shipped_app.test_client()
    page = join(client, "ABCDE" if created.code != "ABCDE" else "ABCDF")
    assert "find the code" in page.text and 'aria-invalid="true"' in page.text
    for _ in range(9):
        join(client, "XXXXX" if created.code != "XXXXX" else "YYYYY")
    page = join(client, created.code)
    assert "please wait a while" in page.text
    # Another pupil at the same school (same IP address) is not affected.
    assert join(shipped_app.test_client(), created.code).status_code == 302


def test_300_pupils_from_one_ip_address_within_a_minute_none_refused(shipped_app, school):
    """A whole school behind one address, sending at once: every single answer set is accepted."""
    shipped_app.config["MIN_SECONDS_ON_CHECK"] = 0  # each pupil's own time on the page is tested elsewhere
    session_codes = [make_session(school, year, pupils=30, label=f"class {year}").code for year in (7, 8, 9, 10, 11)]

    def pupil(n: int) -> tuple[int, str]:
        client = shipped_app.test_client()
        with shipped_app.app_context():
            joined = join(client, session_codes[n % len(session_codes)])
            sent = send_check(client, website="")
            return joined.status_code, f"{sent.status_code} {sent.location}"

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(pupil, range(300)))
    refused = [r for r in results if r != (302, "303 /survey/thank-you")]
    assert refused == []
    _db.session.expire_all()
    assert _db.session.scalar(select(func.count()).select_from(Response)) == 300
    assert sorted(s.completed for s in _db.session.scalars(select(SchoolSession))) == [60] * 5


class TestKioskMode:
    """The same browser used by pupil after pupil (the real-browser test is tests/browser/test_kiosk.py)."""

    def test_each_pupil_starts_clean_and_the_last_ones_answers_are_unreachable(self, shipped_app, school):
        created = make_session(school, 8)
        device = shipped_app.test_client()
        assert device.get(f"/kiosk/{created.code.lower()}").location.endswith("/kiosk")
        assert "shared device" in device.get("/kiosk").text
        assert device.post("/kiosk").location.endswith("/survey/intro")
        first_page = re.search(r'href="(/survey/page/[^"]+)"', device.get("/survey/intro").text).group(1)
        page = device.get(first_page).text
        assert "cv-kiosk" in page  # the idle timer is on
        assert "Save and come back later" not in page  # no resume codes on a shared device
        sent = send_check(device)
        assert sent.location.endswith("/kiosk/thank-you")
        thanks = device.get("/kiosk/thank-you").text
        assert "/kiosk/next" in thanks and 'http-equiv="refresh"' in thanks
        # Pupil B: going back to A's pages finds nothing to show.
        assert device.get("/kiosk/next").location.endswith("/kiosk")
        assert device.get("/survey/check").status_code == 302
        assert "be opened here" in device.get("/resume").text
        _db.session.expire_all()
        assert created.completed == 1

    def test_an_abandoned_pupils_answers_are_wiped_from_the_device(self, shipped_app, school):
        created = make_session(school, 8)
        device = shipped_app.test_client()
        device.get(f"/kiosk/{created.code}")
        device.post("/kiosk")
        assert _db.session.scalar(select(func.count()).select_from(Draft)) == 1
        device.get("/kiosk/next")  # what the idle timer does
        assert _db.session.scalar(select(func.count()).select_from(Draft)) == 0
        assert device.get("/survey/check").status_code == 302

    def test_kiosks_are_not_held_back_by_the_per_browser_limit(self, shipped_app, school):
        shipped_app.config["SENDS_PER_BROWSER"] = 2
        created = make_session(school, 8)
        device = shipped_app.test_client()
        device.get(f"/kiosk/{created.code}")
        for _ in range(4):
            device.post("/kiosk")
            assert send_check(device).location.endswith("/kiosk/thank-you")
            device.get("/kiosk/next")
        _db.session.expire_all()
        assert created.completed == 4

    def test_closing_the_session_stops_the_kiosk(self, shipped_app, school):
        created = make_session(school, 8)
        device = shipped_app.test_client()
        device.get(f"/kiosk/{created.code}")
        close_session(created)
        _db.session.commit()
        assert "This session has finished" in device.get("/kiosk").text
