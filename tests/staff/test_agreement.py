"""Two analysts code the same sample blind; the agreement page's figures against a hand-worked example;
resolving a disagreement writes reviewed ThemeCodes; who may use the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis.coding.agreement import agreement_report
from survey_app.models import AgreementCoding, AgreementSample, AuditEvent, ThemeCode
from survey_app.staff.free_text.agreement import start_sample
from survey_app.staff.free_text.coding import current_codebook
from tests.staff.conftest import SECRET_WORDS, Side, World

# Hand-worked example, five answers, themes a = police, b = knives_weapons, c = bullying (never used).
FIRST = [{"police"}, {"police", "knives_weapons"}, set(), {"knives_weapons"}, {"police"}]
SECOND = [{"police"}, {"police"}, set(), {"knives_weapons"}, {"knives_weapons"}]
# police: agree on 4 of 5 (80%); po = .8, pe = .6 x .4 + .4 x .6 = .48, kappa = .32 / .52 = 0.615
# knives: agree on 3 of 5 (60%); po = .6, pe = .4 x .4 + .6 x .6 = .52, kappa = .08 / .48 = 0.167
# alpha (MASI): Do = 1/10 x 2 x (2/3 + 1) = 1/3; the ten values {a}x4, {a,b}, {}x2, {b}x3 give pairwise
# distances summing to 98/3 (unordered), so De = 2 x 98/3 / 90 = 196/270; alpha = 1 - 45/98 = 53/98 = 0.541.


def sample_for(side: Side) -> int:
    """The side's agreement sample (made on first use), for the route matrix."""
    from survey_app.extensions import db

    existing = db.session.scalar(select(AgreementSample.id).where(AgreementSample.campaign_id == side.campaign.id))
    if existing is not None:
        return existing
    sample = start_sample(side.campaign, 5, ["unsafe_why"], side.users["analyst"].id)
    db.session.commit()
    return sample.id


def test_hand_worked_figures() -> None:
    report = agreement_report(FIRST, SECOND, ["police", "knives_weapons", "bullying"])
    police, knives, bullying = report.themes
    assert (police.first_used, police.second_used, police.both_used, police.percent) == (3, 2, 2, 80.0)
    assert police.kappa == pytest.approx(0.32 / 0.52)
    assert (knives.percent, knives.kappa) == (60.0, pytest.approx(0.08 / 0.48))
    assert bullying.kappa is None and bullying.percent == 100.0  # never used: kappa undefined, not "perfect"
    assert report.alpha == pytest.approx(53 / 98)
    assert report.disagreements == [1, 4] and report.exact == 3
    # One answer, or identical sets throughout: alpha cannot be worked out.
    assert agreement_report([{"police"}], [{"knives_weapons"}], ["police"]).alpha is None
    assert agreement_report([{"police"}] * 3, [{"police"}] * 3, ["police"]).alpha is None


def _code(client, base: str, items: list, sets: list[set[str]]) -> None:  # type: ignore[no-untyped-def]
    for item, themes in zip(items, sets, strict=True):
        done = client.post(
            f"{base}/code", data={"answer": f"{item.response_id}:{item.question_key}", "theme": sorted(themes)}
        )
        assert done.status_code == 302


def test_two_analysts_blind_then_figures_and_resolution(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    analyst, admin = world.a.users["analyst"], world.a.users["administrator"]
    first, second = session_for(analyst), session_for(admin)
    listing = f"/staff/campaigns/{world.a.campaign.id}/coding/agreement"
    started = first.post(listing, data={"size": "5", "question": ["unsafe_why"]})
    assert started.status_code == 302 and "/code" in started.location
    sample = db.session.scalar(select(AgreementSample))
    assert sample.size == 5 and len(sample.items) == 5 and sample.question_keys == ["unsafe_why"]
    base = f"{listing}/{sample.id}"

    # The coder's suggestion for the first answer exists, but the blind screen shows no suggestion.
    item0 = sample.items[0]
    _, version = current_codebook()
    db.session.add(
        ThemeCode(
            response_id=item0.response_id,
            question_key=item0.question_key,
            theme_key="bullying",
            codebook_version_id=version.id,
            source="rule",
            confidence=0.95,
            status="applied",
            evidence=[],
        )
    )
    db.session.commit()
    screen = first.get(f"{base}/code")
    assert screen.status_code == 200 and SECRET_WORDS in screen.text  # analysts read the answer itself
    assert " checked" not in screen.text and "% sure" not in screen.text and "/static/js/coding-review." in screen.text
    assert "&lt;" not in screen.text  # no markup escaped into the page's own words

    _code(first, base, sample.items[:3], FIRST[:3])
    # Half-way: the first analyst is told to finish before seeing anything of a comparison.
    page = first.get(base).text
    assert "once you have coded every answer" in page and "Cohen" not in page
    # The second analyst starts: their screen shows nothing of the first analyst's codes either.
    assert " checked" not in second.get(f"{base}/code").text
    _code(second, base, sample.items, SECOND)
    _code(first, base, sample.items[3:], FIRST[3:])
    db.session.expire_all()
    sample = db.session.get(AgreementSample, sample.id)
    assert (sample.first_analyst_id, sample.second_analyst_id) == (analyst.id, admin.id)
    assert db.session.scalar(
        select(AgreementCoding).where(
            AgreementCoding.analyst_id == analyst.id, AgreementCoding.response_id == item0.response_id
        )
    ).themes == ["police"]

    figures = first.get(base)
    text = figures.text
    assert figures.status_code == 200
    assert "0.62" in text and "0.17" in text and "0.54" in text  # police kappa, knives kappa, alpha
    assert "80%" in text and "60%" in text and "not enough data" in text
    assert "Disagreements to resolve" in text and text.count('class="disagreement"') == 2

    # Resolve answer 2 (analyst 1: police + knives; analyst 2: police) as police only.
    item1 = sample.items[1]
    done = second.post(
        f"{base}/resolve", data={"answer": f"{item1.response_id}:{item1.question_key}", "theme": ["police"]}
    )
    assert done.status_code == 302
    codes = db.session.scalars(select(ThemeCode).where(ThemeCode.response_id == item1.response_id)).all()
    assert [(c.theme_key, c.status, c.source, c.reviewer_id) for c in codes] == [("police", "added", "human", admin.id)]
    # Resolving the first answer turns the machine's code into a reviewer's decision.
    second.post(f"{base}/resolve", data={"answer": f"{item0.response_id}:{item0.question_key}", "theme": ["police"]})
    decided = {
        c.theme_key: c for c in db.session.scalars(select(ThemeCode).where(ThemeCode.response_id == item0.response_id))
    }
    assert decided["bullying"].status == "rejected" and decided["bullying"].reviewer_id == admin.id
    assert decided["police"].status == "added" and decided["police"].source == "human"
    db.session.expire_all()
    assert db.session.get(AgreementSample, sample.id).items[1].resolved_by == admin.id
    assert "(resolved)" in first.get(base).text

    # The answers they coded alike (2 and 3 left; 0 was resolved above) become reviewed codes in one go.
    assert "Record 2 agreed answers" in first.get(base).text
    recorded = first.post(f"{base}/agreed", follow_redirects=True)
    assert "Recorded 2 agreed answers" in recorded.text
    item3 = sample.items[3]
    assert [
        (c.theme_key, c.status, c.source)
        for c in db.session.scalars(select(ThemeCode).where(ThemeCode.response_id == item3.response_id))
    ] == [("knives_weapons", "added", "human")]
    assert "Record 2 agreed" not in first.get(base).text

    # The audit log has ids and theme keys, never what anyone wrote.
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("agreement%"))).all()
    assert {"agreement_started", "agreement_coded", "agreement_viewed", "agreement_resolved"} <= {
        e.action for e in events
    }
    assert not any("zebracrossing" in str(e.details) or "zebracrossing" in e.target for e in events)


def test_a_third_analyst_cannot_join(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    sample = db.session.get(AgreementSample, sample_for(world.a))
    sample.first_analyst_id, sample.second_analyst_id = world.a.users["analyst"].id, world.a.colleague.id
    db.session.commit()
    admin = session_for(world.a.users["administrator"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding/agreement/{sample.id}"
    refused = admin.get(f"{base}/code", follow_redirects=True)
    assert "Two analysts are already coding this sample" in refused.text
    item = sample.items[0]
    admin.post(f"{base}/code", data={"answer": f"{item.response_id}:{item.question_key}", "theme": ["police"]})
    assert db.session.scalar(select(AgreementCoding)) is None


def test_start_needs_questions_and_a_size(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client = session_for(world.a.users["analyst"])
    listing = f"/staff/campaigns/{world.a.campaign.id}/coding/agreement"
    assert "Start a sample" in client.get(listing).text
    bad = client.post(listing, data={"size": "0", "question": ["unsafe_why"]}, follow_redirects=True)
    assert "sample size from 1 to 500" in bad.text
    nothing = client.post(listing, data={"size": "5", "question": ["not_a_question"]}, follow_redirects=True)
    assert "Choose at least one question" in nothing.text
    assert db.session.scalar(select(AgreementSample)) is None
    # Asking for more than there are draws them all.
    client.post(listing, data={"size": "400", "question": ["unsafe_why"]})
    assert db.session.scalar(select(AgreementSample)).size == 25


@pytest.mark.parametrize("role", ["communications_lead", "viewer", "safeguarding_reviewer", "school_coordinator"])
def test_only_analysts_and_administrators(db, world: World, session_for, role: str) -> None:  # type: ignore[no-untyped-def]
    sample_id = sample_for(world.a)
    client = session_for(world.a.users[role])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding/agreement"
    for url in (base, f"{base}/{sample_id}", f"{base}/{sample_id}/code"):
        assert client.get(url).status_code == 403


def test_a_sample_of_another_campaign_is_not_found(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    theirs = sample_for(world.b)
    client = session_for(world.a.users["analyst"])
    assert client.get(f"/staff/campaigns/{world.a.campaign.id}/coding/agreement/{theirs}").status_code == 404
