"""A campaign's name and description in each language: staff type them on the campaign's settings
page, and respondents see them in their language, with the English where none was typed."""

from __future__ import annotations

import datetime as dt

from survey_app.models import Campaign
from tests.staff.conftest import session_for, world  # noqa: F401 - the staff workspace's fixtures

SETTINGS = {"retention_days": "365", "retention_action": "free_text"}


def test_staff_translate_a_campaign_and_respondents_see_it_in_their_language(world, session_for, db, app):  # noqa: F811
    campaign: Campaign = world.a.campaign
    campaign.opens_on = dt.date.today() - dt.timedelta(days=1)
    campaign.closes_on = dt.date.today() + dt.timedelta(days=30)
    campaign.description = "Tell us about feeling safe."
    db.session.commit()
    admin = session_for(world.a.users["administrator"])
    page = admin.get(f"/staff/campaigns/{campaign.id}/settings")
    assert 'name="name_ur"' in page.text and 'name="description_ar"' in page.text
    saved = admin.post(
        f"/staff/campaigns/{campaign.id}/settings",
        data={**SETTINGS, "name_ur": "محفوظ محسوس کرنا", "description_ur": "ہمیں بتائیں", "name_ar": "الشعور بالأمان"},
    )
    assert saved.status_code == 302, saved.text[:500]
    db.session.refresh(campaign)
    assert campaign.translations == {
        "ur": {"name": "محفوظ محسوس کرنا", "description": "ہمیں بتائیں"},
        "ar": {"name": "الشعور بالأمان"},
    }

    respondent = app.test_client()
    respondent.get(f"/c/{campaign.slug}")
    urdu = respondent.get("/?lang=ur").text
    assert "محفوظ محسوس کرنا" in urdu and "ہمیں بتائیں" in urdu
    arabic = respondent.get("/?lang=ar").text
    assert "الشعور بالأمان" in arabic and "Tell us about feeling safe." in arabic  # no Arabic description: English
    english = respondent.get("/?lang=en").text
    assert campaign.name in english and "محفوظ" not in english
    polish = respondent.get("/?lang=pl").text
    assert campaign.name in polish  # nothing typed in Polish: the English name


def test_a_name_too_long_is_refused_and_kept(world, session_for, db):  # noqa: F811
    admin = session_for(world.a.users["administrator"])
    page = admin.post(f"/staff/campaigns/{world.a.campaign.id}/settings", data={**SETTINGS, "name_pl": "x" * 201})
    assert page.status_code == 400 and "200 characters" in page.text and "x" * 201 in page.text
    db.session.refresh(world.a.campaign)
    assert not world.a.campaign.translations
