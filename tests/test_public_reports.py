"""Public report pages: only live, public snapshots; no sign-in, no cookie, nothing from elsewhere."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from analysis.report.model import Figure, FindingsReport, HeadlineFigure, Section
from survey_app import CONTENT_SECURITY_POLICY
from survey_app.models import QuestionnaireVersion
from survey_app.models.reports import PublishedReport, SavedReport
from survey_app.respond.support import services_for
from survey_app.staff.reports import service
from tests.staff.conftest import World, make_side
from tests.staff.test_reports import MEDIA, _add_responses, document_text, report_for


@pytest.fixture
def sides(app, db, loaded) -> World:  # type: ignore[no-untyped-def]
    """Two partnerships with campaigns and answers (as in the staff tests), committed."""
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "all-types")
    )
    made = World(
        make_side(db, "Alderley", "alderley-2026", version), make_side(db, "Brookfield", "brookfield-2026", version)
    )
    db.session.commit()
    return made


def _publish(db, sides: World, public: bool = True) -> PublishedReport:  # type: ignore[no-untyped-def]
    report = db.session.get(SavedReport, report_for(sides.a))
    report.sections = ["headlines", "quotes", "priorities", "methodology"]
    report.priority_responses = {"primary_prevention": "We will keep the youth club open on Fridays."}
    snapshot = service.publish(report, public, sides.a.users["communications_lead"].id)
    db.session.commit()
    return snapshot


def _no_cookie_and_nothing_from_elsewhere(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # Every address the page loads is its own or a data: URL (links out, like the help lines, are not loads).
    for source in re.findall(r'(?:src|srcset)="([^"]+)"', response.text):
        assert source.startswith(("/", "data:")), source
    for href in re.findall(r'<link[^>]+href="([^"]+)"', response.text):
        assert href.startswith("/"), href


def test_the_public_report_is_served_without_sign_in(app, db, sides: World):
    snapshot = _publish(db, sides)
    page = app.test_client().get(f"/reports/{snapshot.slug}")
    _no_cookie_and_nothing_from_elsewhere(page)
    assert "<h1>Alderley findings</h1>" in page.text
    policy = page.headers["Content-Security-Policy"]
    # The respondent policy, with the report's one stylesheet allowed by its hash (no 'unsafe-inline').
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy and "'sha256-" in policy
    assert "script-src" not in policy and "default-src 'self'" in policy


def test_suppressed_cells_stay_suppressed_on_the_public_page(app, db, sides: World):
    snapshot = _publish(db, sides)
    page = app.test_client().get(f"/reports/{snapshot.slug}").text
    # The youth club has 5 responses: under the threshold, hidden in the snapshot and on the page.
    row = re.search(r"Alderley Youth Club.*?</tr>", page, re.S)
    assert row is not None and "[c]" in row.group(0) and ">5<" not in row.group(0)
    for fmt in MEDIA:
        text = document_text(fmt, app.test_client().get(f"/reports/{snapshot.slug}/download/{fmt}").data)
        assert "[c]" in text, fmt


@pytest.mark.parametrize("fmt", list(MEDIA))
def test_public_downloads(app, db, sides: World, fmt):
    snapshot = _publish(db, sides)
    got = app.test_client().get(f"/reports/{snapshot.slug}/download/{fmt}")
    assert got.status_code == 200 and got.mimetype == MEDIA[fmt] and "Set-Cookie" not in got.headers
    assert got.headers["Content-Type"].count("charset") == (fmt == "html"), got.headers["Content-Type"]
    assert "Alderley findings" in document_text(fmt, got.data) or fmt == "xlsx"


def test_you_said_we_did(app, db, sides: World):
    snapshot = _publish(db, sides)
    page = app.test_client().get(f"/reports/{snapshot.slug}/you-said-we-did")
    _no_cookie_and_nothing_from_elsewhere(page)
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "You said, we did" in page.text and "Stopping trouble before it starts" in page.text
    assert "We will keep the youth club open on Fridays." in page.text
    assert "[c]" not in page.text  # only published numbers, never a hidden cell
    for service_ in services_for("young_people"):
        assert str(service_.name) in page.text  # the survey's own help links
    assert f'href="/reports/{snapshot.slug}"' in page.text
    # The date in words, as a child would read it.
    assert re.search(r"answers we had by \d{1,2} [A-Z][a-z]+ \d{4}\.", page.text)


def test_published_numbers_do_not_move_on_the_public_pages(app, db, sides: World):
    snapshot = _publish(db, sides)
    client = app.test_client()
    before = client.get(f"/reports/{snapshot.slug}").text
    child_before = client.get(f"/reports/{snapshot.slug}/you-said-we-did").text
    _add_responses(db, sides.a, 10)
    assert client.get(f"/reports/{snapshot.slug}").text == before
    assert client.get(f"/reports/{snapshot.slug}/you-said-we-did").text == child_before


def test_only_live_public_snapshots_are_served(app, db, sides: World):
    private = _publish(db, sides, public=False)
    client = app.test_client()
    assert client.get(f"/reports/{private.slug}").status_code == 404
    assert client.get(f"/reports/{private.slug}/you-said-we-did").status_code == 404
    assert client.get(f"/reports/{private.slug}/download/pdf").status_code == 404
    assert client.get("/reports/no-such-report").status_code == 404
    public = _publish(db, sides)
    service.unpublish(public)
    db.session.commit()
    assert client.get(f"/reports/{public.slug}").status_code == 404
    assert db.session.scalar(select(PublishedReport).where(PublishedReport.live.is_(True))) is None


def _headline(audience: str, n: int) -> HeadlineFigure:
    figure = Figure(60, "60", 60.0, "60%")
    who = audience.replace("_", " ")
    return HeadlineFigure(f"q{n}", "How safe?", who, "Safe", figure, figure, "", audience=audience, said=f"said {n}")


def test_you_said_we_did_takes_turns_across_audiences_the_young_first() -> None:
    """The report lists all of one audience's headlines before the next: the page took three about children."""
    from survey_app.public.you_said import you_said_page

    headlines = [_headline(a, n) for a in ("children", "parents_carers", "young_people") for n in range(3)]
    hidden = _headline("young_adults", 9)
    hidden.figure = Figure(None, "[c]")
    section = Section("headlines", "headlines", "Headline figures", headlines=[hidden, *headlines])
    report = FindingsReport("T", "t", "Campaign", "2026-12-07", [], None, [section], "")
    page = you_said_page(report)
    assert [(n.who, n.said) for n in page.numbers] == [
        ("children", "said 0"),
        ("young people", "said 0"),
        ("parents carers", "said 0"),
    ]
    assert page.data_date == "7 December 2026"


def test_you_said_we_did_names_the_strategy_terms_in_plain_words_but_keeps_a_chosen_name() -> None:
    """ "Primary prevention" headed a promise on a page written for the children who took part."""
    from analysis.report.model import Priority
    from survey_app.public.you_said import you_said_page

    section = Section(
        "priorities",
        "priorities",
        "Our priorities",
        priorities=[
            Priority("primary_prevention", "Primary prevention", {}, response="Youth clubs open later."),
            Priority("enforcement_criminal_justice", "Safer streets", {}, response="Patrols by the park."),
            Priority("tertiary_prevention", "Tertiary prevention", {}, response=""),
        ],
    )
    page = you_said_page(FindingsReport("T", "t", "Campaign", "2026-12-07", [], None, [section], ""))
    assert [(p.label, p.response) for p in page.promises] == [
        ("Stopping trouble before it starts", "Youth clubs open later."),
        ("Safer streets", "Patrols by the park."),
    ]
