"""A campaign's results page: the engine's figures, protected as one publication, worded from adjusted
tests, filtered only by groups large enough; the partnership's priorities on it and in reports."""

from __future__ import annotations

import re
import secrets

import pytest
from flask import Flask
from sqlalchemy import select

from analysis.adjustment import methodology_note
from analysis.disclosure.publication import hidden_positions, joint_hidden
from analysis.findings import Settings, findings_together, linked_tables, links_of
from analysis.report.build import ReportSpec
from analysis.report.priorities import SEED_PRIORITIES
from survey_app.extensions import db
from survey_app.models import Answer, AuditEvent, Campaign, Response, StaffUser
from survey_app.models.priorities import PartnershipPriority
from survey_app.models.reports import SavedReport
from survey_app.models.staff import StaffSession
from survey_app.staff import clock
from survey_app.staff.accounts.sessions import COOKIE, hash_id
from survey_app.staff.cli import DEMO_DOMAIN
from survey_app.staff.free_text.coding import code_answers
from survey_app.staff.reports import service as reports
from survey_app.staff.results import service
from survey_app.staff.results.priorities import partnership_priorities
from tests import snapshot
from tests.analysis.test_publication import recovered
from tests.staff.conftest import World


@pytest.fixture(autouse=True)
def _fresh_cache():
    service.forget()
    yield
    service.forget()


def _make_demo(app: Flask) -> None:
    from survey_app.demo import build_demo

    build_demo(responses=600, seed=2026)
    assert app.test_cli_runner().invoke(args=["users", "demo"]).exit_code == 0
    code_answers(app, db.session.scalar(select(Campaign.id)))
    db.session.commit()


@pytest.fixture(scope="module")
def demo_rows(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> snapshot.Snapshot:
    """The demo data, built once for this module's tests (seconds of CPU: argon2, the safeguarding rules
    and the coder over every answer) and restored for each of them."""
    return snapshot.build(tmp_path_factory.mktemp("results-demo"), _make_demo)


@pytest.fixture
def demo(demo_rows: snapshot.Snapshot, shipped_app: Flask) -> Campaign:
    """The demo campaign (600 responses, free text coded) with its partnership and accounts."""
    snapshot.restore(demo_rows)
    return db.session.scalar(select(Campaign))


def signed_in(app, user: StaffUser):  # type: ignore[no-untyped-def]
    """A client holding a server-side session for the user (as `session_for`, on the shipped app)."""
    token = secrets.token_urlsafe(32)
    now = clock.utcnow()
    data = {"_user_id": str(user.id), "_fresh": True}
    db.session.add(StaffSession(id_hash=hash_id(token), user_id=user.id, created_at=now, last_seen_at=now, data=data))
    db.session.commit()
    client = app.test_client()
    client.set_cookie(COOKIE, token, path="/staff")
    return client


def demo_user(role: str) -> StaffUser:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == f"{role.replace('_', '-')}@{DEMO_DOMAIN}"))


def build(campaign: Campaign, **filters: object) -> service.ResultsPage:
    return service.results_page(campaign, service.Filters(**filters), partnership_priorities(campaign.partnership_id))  # type: ignore[arg-type]


def test_figures_are_the_engines_and_the_page_is_one_publication(demo):
    page = build(demo)
    assert page.measures and page.reasons and page.themes_table is not None
    for view, requests, found in page.publication:
        # The engine on its own, for the same questions, publishes the same figures.
        again = findings_together(view, requests)
        for mine, theirs in zip(found, again, strict=True):
            assert [(c.value, c.percent) for c in mine.table.cells] == [
                (c.value, c.percent) for c in theirs.table.cells
            ]
        # Nothing hidden in one table can be worked out from all the page's tables of these people.
        links = links_of(view, requests)
        placed = [
            (table, published)
            for request, finding, link in zip(requests, found, links, strict=True)
            for _, table, published in linked_tables(view, request, finding, link, Settings())
        ]
        have = [hidden_positions(t.grid(), p) for t, p in placed]
        wanted = joint_hidden([t for t, _ in placed], have)
        assert all(w <= h for w, h in zip(wanted, have, strict=True))
        # ...and an attacker who solves for hidden cells over them all (an LP) pins none down.
        assert recovered(placed) == []
    # The chart and table of a measure print the engine's cells: hidden stays "[c]", never a number.
    for block, _ in page.measures:
        for row, bar in zip(block.table.rows, block.chart.bars, strict=True):
            assert row.cells[0] == bar.figure


def test_significance_words_come_only_from_adjusted_tests(demo):
    page = build(demo)
    assert page.adjustment == methodology_note()
    lines = [c for _, requests, found in page.publication for f in found for c in f.comparisons]
    assert lines and all(c.test.adjusted_p is not None for c in lines)
    for c in lines:
        assert (c.words != "similar to") == c.test.significant
    statements = [b.statement for b, _ in page.measures] + page.theme_notes
    for text in statements:
        for sentence in re.split(r"(?<=\.) ", text):
            if "differed significantly" in sentence:
                assert "adjusted p" in sentence, sentence
    assert any("significantly" in t for t in statements), "the demo has real differences between audiences"


def test_lead_reads_results_with_charts_tables_and_filters(shipped_app, demo):
    client = signed_in(shipped_app, demo_user("communications_lead"))
    page = client.get(f"/staff/campaigns/{demo.id}/results")
    assert page.status_code == 200
    html = page.text
    charts = re.findall(r"<svg[^>]*class=\"chart\"[^>]*>", html)
    assert charts and all('role="img"' in c and 'aria-label="Bar chart: ' in c for c in charts)
    assert ' style="' not in html.split("<main", 1)[1], "inline styles are refused by the workspace's policy"
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every chart's ids are its own"
    assert html.count("<figure") <= html.count("<table")
    assert "Our priorities and who raised them" in html and "Children and young people" in html
    choices = service.loaded(demo).choices
    area = choices.areas[0][0]
    filtered = client.get(
        f"/staff/campaigns/{demo.id}/results", query_string={"area": area, "audience": "young_people"}
    )
    assert filtered.status_code == 200 and f"for people living in {area}" in filtered.text
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "results_viewed")).all()[-1]
    assert event.details["area"] == area and event.details["audience"] == "young_people"


def test_a_filtered_page_counts_only_its_people(demo):
    whole = {(f.subject, f.id): f for _, _, found in build(demo).publication for f in found}
    choices = service.loaded(demo).choices
    assert choices.areas and choices.schools
    offered = {label for label, _ in choices.areas}
    assert not offered & {"I don't know", "Somewhere else", "Prefer not to say"}, "answers, not places"
    for page in (build(demo, area=choices.areas[0][0]), build(demo, school=choices.schools[0][0])):
        assert page.selection
        shown = [f for _, requests, found in page.publication for f in found]
        assert shown and all(r.where is not None for _, requests, _ in page.publication for r in requests)
        for f in shown:
            everyone = whole[(f.subject.split(" (")[0], f.id)]
            if f.base.value is not None and everyone.base.value is not None:
                assert f.base.value <= everyone.base.value
        assert any(
            f.base.value is not None and f.base.value < whole[(f.subject.split(" (")[0], f.id)].base.value
            for f in shown
        )  # type: ignore[operator]


def test_an_audience_and_a_place_too_few_together_are_refused_in_words_not_a_page_of_hidden_cells(demo):
    """Each choice is offered (10 or more alone); together they can be a handful of people."""
    from analysis.dimensions import dimension
    from analysis.report.blocks import campaign_audiences
    from questionnaires.model import AUDIENCES

    source = service.loaded(demo)
    area = dimension(source.data, "area")
    audience_of = source.data.audience_of()
    few = [
        (audience, label)
        for audience, _ in source.choices.audiences
        for label, _ in source.choices.areas
        if 0 < int(((area.codes == area.labels.index(label)) & (audience_of == AUDIENCES.index(audience))).sum()) < 10
    ]
    assert few, "the demo has an audience and an area with fewer than 10 people together"
    audience, label = few[0]
    page = build(demo, audience=audience, area=label)
    assert any("nothing is shown for them together" in line for line in page.withheld), page.withheld
    assert not page.publication and not page.measures
    assert audience in campaign_audiences(source.data)


def test_groups_too_small_are_never_offered_or_shown(app, db, world: World, session_for):
    side = world.a
    choices = service.loaded(side.campaign).choices
    # 20 of 25 answered at the school: the 5 others could be worked out against the whole campaign.
    assert choices.schools == []
    client = session_for(side.users["analyst"])
    refused = client.get(f"/staff/campaigns/{side.campaign.id}/results", query_string={"school": side.points[0].id})
    assert refused.status_code == 400 and "too small to show" in refused.text
    assert "who answered through" not in refused.text


def test_viewer_reads_and_cannot_change_priorities(app, db, world: World, session_for):
    viewer = session_for(world.a.users["viewer"])
    assert viewer.get(f"/staff/campaigns/{world.a.campaign.id}/results").status_code == 200
    assert "Change the partnership" not in viewer.get(f"/staff/campaigns/{world.a.campaign.id}/results").text
    assert viewer.post("/staff/priorities", data={"action": "restore"}).status_code == 403
    assert viewer.get(f"/staff/campaigns/{world.b.campaign.id}/results").status_code == 404


def test_the_page_is_kept_until_answers_change(app, db, world: World):
    first = build(world.a.campaign)
    assert build(world.a.campaign) is first
    old = db.session.scalar(select(Response).where(Response.campaign_id == world.a.campaign.id))
    db.session.add(
        Response(
            questionnaire_version_id=old.questionnaire_version_id,
            audience=old.audience,
            language="en",
            campaign_id=old.campaign_id,
            completion="complete",
            submitted_on=old.submitted_on,
            idempotency_key="one-more",
        )
    )
    db.session.commit()
    assert build(world.a.campaign) is not first


def test_lead_keeps_priorities_and_reports_and_results_use_them(shipped_app, demo):
    lead_user = demo_user("communications_lead")
    lead = signed_in(shipped_app, lead_user)
    assert [p.key for p in partnership_priorities(demo.partnership_id)] == [p.key for p in SEED_PRIORITIES]
    saved = lead.post(
        "/staff/priorities",
        data={"action": "save", "key": "primary_prevention", "label": "Early help", "themes": ["youth_provision"]},
    )
    assert saved.status_code == 302
    added = lead.post(
        "/staff/priorities", data={"action": "add", "label": "Help in school", "themes": ["school_education"]}
    )
    assert added.status_code == 302
    assert lead.post("/staff/priorities", data={"action": "remove", "key": "tertiary_prevention"}).status_code == 302
    refused = lead.post("/staff/priorities", data={"action": "add", "label": "", "themes": ["no_such_theme"]})
    assert refused.status_code == 400 and "Give the priority a name." in refused.text

    rows = db.session.scalars(select(PartnershipPriority).order_by(PartnershipPriority.position)).all()
    assert [r.label for r in rows] == [
        "Attitudinal change",
        "Early help",
        "Secondary prevention",
        "Enforcement and criminal justice",
        "Help in school",
    ]
    assert rows[1].key == "primary_prevention" and rows[1].themes == ["youth_provision"]
    assert rows[-1].key == "help_in_school"
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"priority_changed", "priority_added", "priority_removed"} <= actions

    results = lead.get(f"/staff/campaigns/{demo.id}/results").text
    assert "Early help" in results and "Help in school" in results and "Tertiary prevention" not in results

    # The builder has a "what we will do" box for the added priority, and keeps what is written in it.
    builder = lead.get(f"/staff/campaigns/{demo.id}/reports/new").text
    assert 'name="response_help_in_school"' in builder and 'name="response_tertiary_prevention"' not in builder
    saved_report = lead.post(
        f"/staff/campaigns/{demo.id}/reports/new",
        data={
            "title": "Findings",
            "earlier": "0",
            "sections": ["priorities"],
            "response_help_in_school": "A help card for every pupil.",
        },
    )
    assert saved_report.status_code == 302
    kept = db.session.scalars(select(SavedReport).order_by(SavedReport.id.desc())).first()
    assert kept is not None and kept.priority_responses == {"help_in_school": "A help card for every pupil."}

    report = SavedReport(partnership_id=demo.partnership_id, campaign_id=demo.id)
    choices = reports.Choices("Findings", None, [], ["themes", "priorities", "methodology"], {}, {})
    reports.apply_choices(report, choices, lead_user.id)
    db.session.commit()
    built = reports.build(report)
    priorities = built.section("priorities")
    assert priorities is not None
    assert [p.label for p in priorities.priorities] == [r.label for r in rows]
    helped = priorities.priorities[-1]
    assert set(helped.raised_by) == {"Children and young people", "Parents and carers", "Professionals"}
    # Young people's published count for "School, exclusions and education about violence" is 11 on the demo.
    assert helped.raised_by["Children and young people"]

    assert lead.post("/staff/priorities", data={"action": "restore"}).status_code == 302
    assert [p.key for p in partnership_priorities(demo.partnership_id)] == [p.key for p in SEED_PRIORITIES]


def test_the_report_methodology_states_the_adjustment(demo):
    report = SavedReport(partnership_id=demo.partnership_id, campaign_id=demo.id)
    choices = reports.Choices("Findings", None, [], ["headlines", "comparisons", "methodology"], {}, {})
    reports.apply_choices(report, choices, demo_user("analyst").id)
    db.session.commit()
    built = reports.build(report)
    method = built.section("methodology")
    assert method is not None and any(methodology_note() in p for p in method.paragraphs)
    # Stated once, in the methodology, not again in the notes.
    assert methodology_note() not in built.notes
    assert ReportSpec().priorities == SEED_PRIORITIES


def test_an_earlier_campaign_is_compared_for_the_whole_campaign_only(shipped_app, demo):
    earlier = Campaign(
        slug="youth-safety-2024",
        name="Youth Safety Survey 2024",
        opens_on=demo.opens_on.replace(year=2024),
        closes_on=demo.closes_on.replace(year=2024),
        questionnaire_ids=list(demo.questionnaire_ids),
        partnership_id=demo.partnership_id,
    )
    db.session.add(earlier)
    db.session.flush()
    # The earlier wave: a copy of half the demo's answers, so the same questions were asked of the same audiences.
    for i, old in enumerate(db.session.scalars(select(Response).where(Response.campaign_id == demo.id).limit(300))):
        new = Response(
            questionnaire_version_id=old.questionnaire_version_id,
            audience=old.audience,
            language=old.language,
            campaign_id=earlier.id,
            completion=old.completion,
            submitted_on=old.submitted_on.replace(year=2024),
            idempotency_key=f"earlier-{i}",
        )
        new.answers = [
            Answer(question_key=a.question_key, position=a.position, measure=a.measure, value=a.value, rank=a.rank)
            for a in old.answers
            if a.text is None
        ]
        db.session.add(new)
    db.session.commit()

    client = signed_in(shipped_app, demo_user("analyst"))
    page = client.get(f"/staff/campaigns/{demo.id}/results", query_string={"earlier": earlier.id})
    assert page.status_code == 200 and "Youth Safety Survey 2024" in page.text
    whole = service.results_page(
        demo, service.Filters(earlier=earlier.id), partnership_priorities(demo.partnership_id), earlier
    )
    lines = [c for _, _, found in whole.publication for f in found for c in f.comparisons if c.kind == "earlier"]
    assert lines and all(c.test.adjusted_p is not None for c in lines)
    area = service.loaded(demo).choices.areas[0][0]
    filtered = service.results_page(
        demo, service.Filters(area=area, earlier=earlier.id), partnership_priorities(demo.partnership_id), earlier
    )
    assert not [c for _, _, found in filtered.publication for f in found for c in f.comparisons if c.kind == "earlier"]
    assert any("whole campaign only" in line for line in filtered.withheld)
