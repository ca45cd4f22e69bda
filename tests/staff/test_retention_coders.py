"""Retention removes the saved coders that learned a campaign's words, not only the words.

A trained coder keeps the words and word pairs of the answers it learned from, so when a campaign's
free text passes its retention period, its coders go too, and so do other campaigns' coders that
started from its answers. Their figures stay; the campaigns code with their rules until retrained.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from survey_app.models import CoderModel, StartingModel
from survey_app.models.jobs import CoderFile
from survey_app.staff.data.retention import apply_retention
from tests.staff.conftest import World
from tests.staff.test_starting_model import _earlier, _new_answers


def _saved(db, campaign_id: int) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(
        select(func.count()).select_from(CoderFile).join(CoderModel).where(CoderModel.campaign_id == campaign_id)
    )


def test_free_text_retention_deletes_every_coder_that_learned_from_the_campaign(
    app, db, world: World, session_for
) -> None:  # type: ignore[no-untyped-def]
    earlier = _earlier(db, world, "alderley-2023", 2023)
    _new_answers(db, world, 30)
    db.session.commit()
    a = world.a.campaign.id
    client = session_for(world.a.users["analyst"])
    # The earlier campaign's own coder, and campaign A's starting coder built from its answers.
    assert client.post(f"/staff/campaigns/{earlier.id}/coding/retrain").status_code == 302
    assert (
        client.post(
            f"/staff/campaigns/{a}/coding/starting", data={"source": "campaigns", "campaign": [str(earlier.id)]}
        ).status_code
        == 302
    )
    assert _saved(db, earlier.id) >= 1 and _saved(db, a) >= 1

    earlier.retention_action = "free_text"
    earlier.retention_days = 30
    db.session.commit()
    results = apply_retention(earlier.closes_on + dt.timedelta(days=31))
    db.session.commit()

    done = {r.campaign.id: r for r in results}
    assert done[earlier.id].texts_removed and done[earlier.id].coders_deleted >= 2
    assert _saved(db, earlier.id) == 0, "the campaign's own coder kept its words"
    assert _saved(db, a) == 0, "a coder that started from its answers kept their words"
    assert not db.session.scalar(select(StartingModel)).in_use
    assert all(m.file_name == "" for m in db.session.scalars(select(CoderModel)))
    # The campaign that started from it still works: its rules code until it is retrained.
    assert client.get(f"/staff/campaigns/{a}/coding").status_code == 200
    assert client.post(f"/staff/campaigns/{a}/coding/run").status_code == 302
