"""Free text at a glance: sentiment by theme and audience and word clouds, for the communications lead
too, from redacted text, with groups under the disclosure threshold shown as words, never images."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.models import AuditEvent
from tests.staff.conftest import World
from tests.staff.test_quote_bank_screen import give_coded_texts


def test_sentiment_and_clouds_with_small_groups_suppressed(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    lead = session_for(world.a.users["communications_lead"])
    base = f"/staff/campaigns/{world.a.campaign.id}/text"
    page = lead.get(base)
    assert page.status_code == 200
    text = page.text
    assert "Tone by theme" in text and "Tone by audience" in text
    assert "Police presence and trust in police" in text and "Young person" in text
    # Bullying (5 answers) and parents and carers (3) are too small: named, but no figures.
    assert text.count("Fewer than 10 answers: not shown") == 2
    # Clouds by theme: police (13) and knives (12) drawn, bullying (5) not.
    assert f"{base}/wordcloud/theme/police.png" in text and f"{base}/wordcloud/theme/knives_weapons.svg" in text
    assert "wordcloud/theme/bullying" not in text
    assert "no word cloud is drawn for this group" in text
    # Names in the answers were redacted before any word was counted.
    for name in ("jayden", "olivia", "gaz"):
        assert name not in text.lower()

    png = lead.get(f"{base}/wordcloud/theme/knives_weapons.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = lead.get(f"{base}/wordcloud/theme/knives_weapons.svg?download=1")
    assert (
        svg.status_code == 200
        and svg.mimetype == "image/svg+xml"
        and "attachment" in svg.headers["Content-Disposition"]
    )
    body = svg.get_data(as_text=True)
    assert "<svg" in body and "knives" in body and "jayden" not in body.lower()
    assert "default-src 'none'" in svg.headers["Content-Security-Policy"]
    # Too small, or not a group at all: no image.
    assert lead.get(f"{base}/wordcloud/theme/bullying.png").status_code == 404
    assert lead.get(f"{base}/wordcloud/audience/parents_carers.svg").status_code == 404
    assert lead.get(f"{base}/wordcloud/colour/police.png").status_code == 404

    by_audience = lead.get(f"{base}?by=audience").text
    assert f"{base}/wordcloud/audience/young_people.png" in by_audience
    assert "wordcloud/audience/parents_carers" not in by_audience

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("text_insights_viewed", "wordcloud_downloaded")))
    ).all()
    assert {e.action for e in events} == {"text_insights_viewed", "wordcloud_downloaded"}


def test_sentiment_shares_add_up(db, world: World, app) -> None:  # type: ignore[no-untyped-def]
    from survey_app.staff.free_text.insights import campaign_text, sentiment_tables

    give_coded_texts(db, world)
    with app.test_request_context():
        tables = sentiment_tables(campaign_text(world.a.campaign))
    police = next(r for r in tables["theme"] if r.group == "police")
    assert police.label == "Police presence and trust in police" and police.answers == 13
    shown = [police.share(label) for label in ("negative", "neutral", "positive")]
    if all(s is not None for s in shown):
        assert sum(shown) == pytest.approx(1.0)
    young = next(r for r in tables["audience"] if r.group == "young_people")
    assert young.answers == 22 and not young.suppressed
    parents = next(r for r in tables["audience"] if r.group == "parents_carers")
    assert parents.suppressed and parents.counts is None


@pytest.mark.parametrize("role", ["viewer", "school_coordinator", "safeguarding_reviewer"])
def test_roles_without_the_dashboard_are_refused(db, world: World, session_for, role: str) -> None:  # type: ignore[no-untyped-def]
    client = session_for(world.a.users[role])
    base = f"/staff/campaigns/{world.a.campaign.id}/text"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}/wordcloud/audience/young_people.png").status_code == 403


def test_another_partnership_is_not_found(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    lead = session_for(world.a.users["communications_lead"])
    assert lead.get(f"/staff/campaigns/{world.b.campaign.id}/text").status_code == 404
    assert (
        lead.get(f"/staff/campaigns/{world.b.campaign.id}/text/wordcloud/audience/young_people.png").status_code == 404
    )
