"""Paper returns uploaded in the workspace belong to the campaign they were uploaded into."""

from __future__ import annotations

import io

from sqlalchemy import select

from survey_app.models import Response
from tests.staff.conftest import World
from tests.test_paper import FULL_ROW, to_csv


def _upload(client, campaign_id: int, point: str, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/staff/campaigns/{campaign_id}/paper",
        content_type="multipart/form-data",
        data={"questionnaire": "all-types", "collection_point": point, "file": (io.BytesIO(to_csv([FULL_ROW])), name)},
    )


def test_returns_with_no_known_collection_point_still_belong_to_the_campaign(app, db, world: World, session_for):
    analyst = session_for(world.a.users["analyst"])
    before = set(db.session.scalars(select(Response.id)))
    page = _upload(analyst, world.a.campaign.id, "", "not-known.csv")
    assert page.status_code == 200, page.text[:500]
    db.session.expire_all()
    new = [r for r in db.session.scalars(select(Response)) if r.id not in before]
    assert len(new) == 1
    assert new[0].campaign_id == world.a.campaign.id and new[0].collection_point_id is None


def test_a_collection_point_that_is_not_a_number_is_a_form_error(app, db, world: World, session_for):
    analyst = session_for(world.a.users["analyst"])
    page = _upload(analyst, world.a.campaign.id, "box one", "box-one.csv")
    assert page.status_code == 400
    assert "Choose one of this campaign" in page.text
