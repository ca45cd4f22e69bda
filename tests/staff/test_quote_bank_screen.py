"""The quote bank: the communications lead sees redacted, coarsely attributed quotes per theme (small
themes suppressed), marks them use / don't use, and downloads the chosen ones as formula-safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from survey_app.models import Answer, AuditEvent, QuoteChoice, Response, SafeguardingFlag, ThemeCode
from survey_app.staff.free_text.coding import current_codebook
from tests.staff.conftest import World

# Every answer starts with "-" (as a list item might), so any quote chosen would be a formula in a
# spreadsheet unless the export neutralises it.
POLICE = [
    "- the police never come round here when you actually need them at night",
    "- more police walking about the estate would make people feel a lot safer",
    "- you never see a police officer near the shops after school finishes",
    "- police should talk to young people instead of just moving us on all the time",
    "- when we rang the police about the fighting nobody came for two hours",
    "- I would trust the police more if they knew our names and stopped to chat",
    "- police cars drive past but they never get out and walk through the park",
    "- having a police base near the station would stop the robberies happening",
]
KNIVES = [
    "- my mate Jayden got stabbed near the chippy and everyone knows who did it",
    "- lads carry knives because they think everyone else carries knives too",
    "- Olivia Brown said her brother carries a blade to feel safe walking home",
    "- there should be knife bins and talks in school about what knives really do",
    "- a lad called Gaz showed us a knife on the bus and nobody said anything",
]
SMALL_THEME = "bullying"


def give_coded_texts(db, world: World) -> list[Answer]:  # type: ignore[no-untyped-def]
    """Side A's 25 answers: 13 about police, 12 about knives (names in them), 5 also about bullying;
    all coded by a person; three responses from parents and carers. (One answer has a safeguarding
    flag, so is never quoted: each theme still has more than 10 without it.)"""
    _, version = current_codebook()
    answers = list(
        db.session.scalars(
            select(Answer)
            .join(Response)
            .where(Response.campaign_id == world.a.campaign.id, Answer.text.is_not(None))
            .order_by(Answer.response_id)
        )
    )
    for i, answer in enumerate(answers):
        theme = "police" if i < 13 else "knives_weapons"
        answer.text = POLICE[i % len(POLICE)] if theme == "police" else KNIVES[i % len(KNIVES)]
        themes = [theme] + ([SMALL_THEME] if i < 5 else [])
        for key in themes:
            db.session.add(
                ThemeCode(
                    response_id=answer.response_id,
                    question_key=answer.question_key,
                    theme_key=key,
                    codebook_version_id=version.id,
                    source="human",
                    confidence=1.0,
                    status="added",
                    evidence=[],
                    reviewer_id=world.a.users["analyst"].id,
                )
            )
        if i in (20, 21, 22):
            db.session.get(Response, answer.response_id).audience = "parents_carers"
    db.session.commit()
    return answers


def _quote_keys(text: str) -> list[str]:
    return re.findall(r'name="quote" value="([^"]+)"', text)


def test_lead_sees_redacted_attributed_quotes_and_chooses(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    lead = session_for(world.a.users["communications_lead"])
    url = f"/staff/campaigns/{world.a.campaign.id}/quotes"
    page = lead.get(url)
    assert page.status_code == 200
    text = page.text
    assert "Police presence and trust in police" in text and "Knives and weapons" in text
    # Redaction: the names never reach the page; the tag shows where one was.
    for name in ("Jayden", "Olivia", "Brown", "Gaz"):
        assert name not in text
    assert "[name]" in text
    # Attribution only as fine as the threshold allows: gender among young people when 10 or more share
    # it, else just the audience; three parents and carers are too few to name at all.
    labels = set(re.findall(r"<figcaption>— (.*?)</figcaption>", text))
    assert labels and labels <= {
        "Young person, female",
        "Young person, male",
        "Young person",
        "Unattributed (the group is too small to name)",
    }, labels
    assert "Parent/Carer" not in text
    # A theme with five answers gets no quotes, and its count is not given.
    assert "Fewer than 10 answers: no quotes" in text
    assert "Themes without quotes" in text

    keys = _quote_keys(text)
    assert keys and all(k.count(":") == 2 for k in keys)
    chosen = keys[0]
    assert lead.post(f"{url}/choice", data={"quote": chosen, "decision": "use"}).status_code == 302
    assert lead.post(f"{url}/choice", data={"quote": keys[1], "decision": "dont_use"}).status_code == 302
    rows = {(c.response_id, c.question_key, c.theme_key): c.decision for c in db.session.scalars(select(QuoteChoice))}
    response_id, question_key, theme = chosen.split(":")
    assert rows[(response_id, question_key, theme)] == "use" and len(rows) == 2
    assert "Chosen to use" in lead.get(url).text

    download = lead.get(f"{url}.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert table[0] == ["theme", "quote", "attribution", "question"] and len(table) == 2
    assert table[1][1].startswith("'-"), "a cell starting with - must not run as a formula"
    assert table[1][2] and "Jayden" not in download.get_data(as_text=True)

    # Undecide, and a made-up quote id is refused without storing anything.
    lead.post(f"{url}/choice", data={"quote": chosen, "decision": "clear"})
    assert len(db.session.scalars(select(QuoteChoice)).all()) == 1
    other = db.session.scalar(select(Response.id).where(Response.campaign_id == world.b.campaign.id))
    refused = lead.post(
        f"{url}/choice", data={"quote": f"{other}:unsafe_why:police", "decision": "use"}, follow_redirects=True
    )
    assert "Choose use or don" in refused.text and len(db.session.scalars(select(QuoteChoice)).all()) == 1

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("quote%"))).all()
    assert {"quote_bank_viewed", "quote_chosen", "quote_bank_downloaded"} <= {e.action for e in events}
    assert not any("police" in str(e.details.get("text", "")) or "never come" in str(e.details) for e in events)


def test_csv_neutralises_every_formula_start(app) -> None:  # type: ignore[no-untyped-def]
    from analysis.quotes.bank import ProposedQuote
    from survey_app.staff.quotes.bank import QuoteRow, ThemeQuotes, chosen_csv

    rows = [
        QuoteRow(ProposedQuote("police", text, attribution, "young_people", 1, 1, 0, 1, i), "r", "q", "use")
        for i, (text, attribution) in enumerate(
            [('=HYPERLINK("x")', "+Young person"), ("@SUM(A1)", "-x"), ("plain words", None)]
        )
    ]
    with app.test_request_context():
        body, count = chosen_csv([ThemeQuotes("police", "=Police", rows)])
    table = list(csv.reader(io.StringIO(body)))[1:]
    assert count == 3
    assert [r[0] for r in table] == ["'=Police"] * 3
    assert [r[1] for r in table] == ['\'=HYPERLINK("x")', "'@SUM(A1)", "plain words"]
    assert [r[2] for r in table] == ["'+Young person", "'-x", "Unattributed"]


def test_answers_with_a_safeguarding_flag_are_never_proposed(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_coded_texts(db, world)
    url = f"/staff/campaigns/{world.a.campaign.id}/quotes"
    lead = session_for(world.a.users["communications_lead"])
    assert 'id="theme-knives_weapons"' in lead.get(url).text
    for answer in answers[13:]:  # every knives answer
        db.session.add(
            SafeguardingFlag(
                response_id=answer.response_id,
                rule="weapon_for_protection",
                reason="test",
                question_key=answer.question_key,
                matched_text="",
                flagged_on=dt.date(2026, 1, 6),
            )
        )
    db.session.commit()
    page = lead.get(url).text
    assert 'id="theme-knives_weapons"' not in page and 'id="theme-police"' in page
    flagged = {a.response_id for a in answers[13:]} | {world.a.flag.response_id}
    assert not any(key.split(":")[0] in flagged for key in _quote_keys(page))


@pytest.mark.parametrize("role", ["viewer", "school_coordinator", "safeguarding_reviewer"])
def test_roles_without_the_dashboard_are_refused(db, world: World, session_for, role: str) -> None:  # type: ignore[no-untyped-def]
    client = session_for(world.a.users[role])
    base = f"/staff/campaigns/{world.a.campaign.id}/quotes"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}.csv").status_code == 403


def test_the_lead_reaches_quotes_but_never_raw_text_pages(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    lead = session_for(world.a.users["communications_lead"])
    campaign = world.a.campaign.id
    home = lead.get("/staff/").text
    assert f"/staff/campaigns/{campaign}/quotes" in home and f"/staff/campaigns/{campaign}/text" in home
    assert f"/staff/campaigns/{campaign}/coding" not in home  # no link to a page that shows raw text
    for url in (
        f"/staff/campaigns/{campaign}/coding",
        f"/staff/campaigns/{campaign}/coding/review",
        f"/staff/campaigns/{campaign}/coding/agreement",
    ):
        assert lead.get(url).status_code == 403
    analyst_home = session_for(world.a.users["analyst"]).get("/staff/").text
    assert f"/staff/campaigns/{campaign}/coding/agreement" in analyst_home
    assert f'/staff/campaigns/{campaign}/coding"' in analyst_home
    assert lead.get(f"/staff/campaigns/{world.b.campaign.id}/quotes").status_code == 404
