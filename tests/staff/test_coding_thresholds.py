"""The coding page's automation curve and per-theme thresholds: what the analyst sees, what they can
set, and that setting them changes which codes are applied without review."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from analysis.coding.automation import curves, theme_confidences
from survey_app.models import AuditEvent, CodebookVersion, CoderModel, ThemeCode
from survey_app.staff.free_text import coding
from tests.staff.conftest import World
from tests.staff.test_coding_screen import TEXTS, give_texts


def _curve(themes: list[str], police_noise: float = 0.0, seed: int = 0) -> dict[str, Any]:
    """Out-of-fold-like counts: police well calibrated with plenty of codes, youth provision with too
    few codes to show anything, every other theme clearly absent."""
    rng = np.random.default_rng(seed)
    n = 600
    P = np.full((n, len(themes)), 0.02)
    Y = np.zeros((n, len(themes)), dtype=int)
    police = themes.index("police")
    P[:, police] = rng.uniform(0, 1, n)
    # police_noise: people disagree with a share of the confident codes too
    Y[:, police] = rng.random(n) < P[:, police] - police_noise * (1 - P[:, police])
    youth = themes.index("youth_provision")
    P[:3, youth], Y[:3, youth] = 0.97, 1
    return curves(P, Y, themes)


def _install(db, world: World, curve: dict[str, Any], version: int) -> CoderModel:  # type: ignore[no-untyped-def]
    """A trained coder's row with this curve (no saved coder: the rules code, as after a library upgrade)."""
    row = db.session.scalar(select(CodebookVersion))
    choice = coding.choice_for(world.a.campaign.id, row.id)
    model = CoderModel(
        campaign_id=world.a.campaign.id,
        codebook_version_id=row.id,
        version=version,
        trained_on_answers=600,
        trained_on=row.created_on,
        file_name=f"test-v{version}.model",
        auto_apply_threshold=choice.auto_apply_threshold if choice else 0.9,
        target_precision=choice.target_precision if choice else None,
        theme_thresholds=dict(choice.theme_thresholds or {}) if choice else {},
        metrics={"automation": curve},
    )
    db.session.add(model)
    db.session.commit()
    return model


def _start(db, world: World, session_for):  # type: ignore[no-untyped-def]
    give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    client.post(f"{base}/run")
    themes = coding.campaign_codebook(world.a.campaign.id)[0].keys()
    return client, base, themes


def _statuses(db, theme: str) -> set[str]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return {c.status for c in db.session.scalars(select(ThemeCode).where(ThemeCode.theme_key == theme))}


def test_the_page_shows_the_curve_and_each_themes_threshold(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client, base, themes = _start(db, world, session_for)
    before = client.get(base).text
    assert "Once the coder has been trained" in before and 'role="img"' not in before
    curve = _curve(themes)
    _install(db, world, curve, 1)
    page = client.get(base).text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'aria-label="Automation curve, checked on 600' in page
    assert "The curve as a table" in page and "Held-out codes behind it" in page

    done = client.post(f"{base}/target", data={"target": "0.90"})
    assert done.status_code == 302
    chosen = theme_confidences(curve, 0.9)
    assert chosen["police"] is not None and chosen["youth_provision"] is None
    page = client.get(base).text
    police_row = page[page.index('for="theme-police"') :].split("</tr>")[0]
    assert f"{chosen['police']:.2f}" in police_row and "Follows the target" in police_row
    youth_row = page[page.index('for="theme-youth_provision"') :].split("</tr>")[0]
    assert "with people" in youth_row and "Too few coded examples" in youth_row
    assert db.session.scalar(select(CoderModel).where(CoderModel.version == 1)).target_precision == 0.9
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "coding_target_precision")).all()
    assert [e.details.get("target") for e in events] == [0.9]


def test_setting_thresholds_changes_what_is_coded_automatically(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client, base, themes = _start(db, world, session_for)
    # at the default 0.9 the rules' single-word "cops" match waits for a person; youth provision is applied
    assert _statuses(db, "police") == {"suggested"} and _statuses(db, "youth_provision") == {"applied"}
    queued = coding.coding_counts(world.a.campaign.id, db.session.scalar(select(CodebookVersion)).id, 0.9)["queued"]
    assert queued > 0

    assert client.post(f"{base}/themes", data={"theme-police": "0.6"}).status_code == 302
    assert _statuses(db, "police") == {"applied"}
    page = client.get(base).text
    assert "Set by you." in page and 'value="0.60"' in page
    assert "<strong>0</strong> of" not in page  # the "cops" answers are now coded automatically
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "coding_theme_thresholds")).all()
    assert events[-1].details == {"set": {"police": 0.6}, "cleared": []}

    # a target under which youth provision has too little evidence: its codes go back to people
    _install(db, world, _curve(themes), 1)
    client.post(f"{base}/target", data={"target": "0.90"})
    assert _statuses(db, "youth_provision") == {"suggested"}
    assert _statuses(db, "police") == {"applied"}  # the number the analyst set wins over the target

    # clearing the number: police follows the target's confidence, above the rules' "cops" score
    client.post(f"{base}/themes", data={"theme-police": ""})
    assert _statuses(db, "police") == {"suggested"}
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "coding_theme_thresholds")).all()[
        -1
    ].details == {"set": {}, "cleared": ["police"]}


def test_wrong_input_keeps_what_was_typed_and_changes_nothing(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client, base, themes = _start(db, world, session_for)
    bad = client.post(f"{base}/themes", data={"theme-police": "lots", "theme-drugs_alcohol": "0.7"})
    assert bad.status_code == 400
    assert 'value="lots"' in bad.text and 'value="0.7"' in bad.text
    assert "Enter a confidence between 0.5 and 0.99, or leave it empty." in bad.text
    assert 'aria-invalid="true"' in bad.text
    assert client.post(f"{base}/themes", data={"theme-police": "1.5"}).status_code == 400
    one = client.post(f"{base}/threshold", data={"threshold": "0.3"})
    assert one.status_code == 400 and 'value="0.3"' in one.text and "between 0.5 and 0.99" in one.text
    assert client.post(f"{base}/target", data={"target": "0.42"}).status_code == 400
    # a target needs a trained coder's curve
    refused = client.post(f"{base}/target", data={"target": "0.90"}, follow_redirects=True)
    assert "Train the coder first" in refused.text
    choice = db.session.scalar(select(CoderModel))
    assert choice is None or (not choice.theme_thresholds and choice.target_precision is None)
    assert _statuses(db, "police") == {"suggested"}


def test_after_retraining_target_follows_new_curve_and_set_numbers_are_checked(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client, base, themes = _start(db, world, session_for)
    first = _curve(themes)
    _install(db, world, first, 1)
    client.post(f"{base}/target", data={"target": "0.90"})
    client.post(f"{base}/themes", data={"theme-police": "0.85"})
    stored = db.session.scalar(select(CoderModel).where(CoderModel.version == 1)).theme_thresholds
    assert stored["police"]["confidence"] == 0.85 and stored["police"]["expected"] >= 0.9
    page = client.get(base).text
    police_row = page[page.index('for="theme-police"') :].split("</tr>")[0]
    assert "Set by you." in police_row and "<strong>" not in police_row

    # the next model is less sure of police: the same number now gives codes below the target
    worse = _curve(themes, police_noise=0.5, seed=1)
    _install(db, world, worse, 2)
    page = client.get(base).text
    police_row = page[page.index('for="theme-police"') :].split("</tr>")[0]
    assert 'value="0.85"' in police_row and "below the 90% target" in police_row

    # cleared, police follows the new curve: a higher confidence than the first model needed
    client.post(f"{base}/themes", data={"theme-police": ""})
    new = theme_confidences(worse, 0.9)["police"]
    old = theme_confidences(first, 0.9)["police"]
    assert new is not None and old is not None and new > old
    page = client.get(base).text
    police_row = page[page.index('for="theme-police"') :].split("</tr>")[0]
    assert f"{new:.2f}" in police_row


def test_retraining_keeps_the_choice_and_stores_the_curve(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    client.post(f"{base}/run")
    client.post(f"{base}/themes", data={"theme-police": "0.75"})
    truth = {
        TEXTS[0]: ["police"],
        TEXTS[1]: ["youth_provision"],
        TEXTS[2]: ["knives_weapons", "drugs_alcohol"],
        TEXTS[3]: ["social_media"],
    }
    for a in answers[:22]:
        client.post(f"{base}/review", data={"answer": f"{a.response_id}:{a.question_key}", "theme": truth[a.text]})
    assert client.post(f"{base}/retrain").status_code == 302
    model = db.session.scalar(select(CoderModel).where(CoderModel.version == 1))
    assert model is not None and model.theme_thresholds["police"]["confidence"] == 0.75
    automation = model.metrics["automation"]
    # every answer it trained on is counted once on the curve, out of fold
    assert automation["answers"] >= 22 and len(automation["overall"]["automatic"]) == len(automation["grid"])
    assert set(automation["themes"]) == set(coding.campaign_codebook(world.a.campaign.id)[0].keys())
    assert client.get(base).status_code == 200
