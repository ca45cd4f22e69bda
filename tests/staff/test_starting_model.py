"""Starting a campaign's coder from the partnership's earlier campaigns or from the public set.

What matters: only reviewed answers of the same partnership's earlier campaigns teach it; its
suggestions wait for review instead of being applied; the page says how well it is expected to do,
then what was measured once enough of the campaign's own answers are reviewed; the public set's model
codes only the themes that map onto the codebook.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from analysis.coding.auto_apply import Agreement, supports
from analysis.coding.engine import ThemeCoder
from analysis.coding.transfer import CHECK_AFTER, OWN_WEIGHT, PUBLIC_COUNTERPARTS
from survey_app.models import (
    Answer,
    AuditEvent,
    Campaign,
    CoderModel,
    Partnership,
    QuestionnaireVersion,
    Response,
    StartingModel,
    ThemeCode,
)
from survey_app.staff.free_text import coder_files, starting
from survey_app.staff.free_text.coding import (
    campaign_codebook,
    record_review,
    review_queue,
    set_threshold,
    thresholds_for,
)
from tests.staff.conftest import World

TOPICS = {
    "police": "the police never come round here and nobody calls them",
    "youth_provision": "nothing for young people to do since the youth club closed",
    "knives_weapons": "kids carry knives and blades for protection on the estate",
}
#: words only unreviewed (machine-coded) answers of the earlier campaign use
UNREVIEWED = "wombat lanterns flicker"
#: words only the other partnership's reviewed answers use
OTHER_PARTNERSHIP = "quokka harbour ferries"


def _campaign(db, partnership: Partnership, slug: str, opens_on: dt.date, texts: list[str]) -> Campaign:  # type: ignore[no-untyped-def]
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "all-types")
    )
    campaign = Campaign(
        slug=slug,
        name=slug.replace("-", " ").title(),
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=80),
        questionnaire_ids=["all-types"],
        partnership_id=partnership.id,
    )
    db.session.add(campaign)
    db.session.flush()
    campaign.responses_made = _responses(db, campaign, version, texts, slug)  # type: ignore[attr-defined]
    return campaign


def _responses(db, campaign: Campaign, version: QuestionnaireVersion, texts: list[str], tag: str) -> list[Response]:  # type: ignore[no-untyped-def]
    out = []
    for i, text in enumerate(texts):
        r = Response(
            questionnaire_version_id=version.id,
            audience="young_people",
            language="en",
            campaign_id=campaign.id,
            completion="complete",
            submitted_on=campaign.opens_on,
            idempotency_key=f"{tag}-{i}",
        )
        r.answers = [Answer(question_key="unsafe_why", position=0, text=text)]
        db.session.add(r)
        out.append(r)
    db.session.flush()
    return out


def _code(db, campaign: Campaign, labels: list[str | None], *, reviewed: bool) -> None:  # type: ignore[no-untyped-def]
    """Codes on the campaign's answers in order: a person's (added) or the coder's, unreviewed."""
    _, row = campaign_codebook(campaign.id)
    for r, theme in zip(campaign.responses_made, labels, strict=True):  # type: ignore[attr-defined]
        if theme is None:
            continue
        db.session.add(
            ThemeCode(
                response_id=r.id,
                question_key="unsafe_why",
                theme_key=theme,
                codebook_version_id=row.id,
                source="human" if reviewed else "model",
                confidence=1.0 if reviewed else 0.97,
                status="added" if reviewed else "applied",
                evidence=[],
                reviewer_id=1 if reviewed else None,
                decided_on=dt.date(2025, 3, 1) if reviewed else None,
            )
        )
    db.session.flush()


def _earlier(db, world: World, slug: str, year: int, n: int = 30) -> Campaign:  # type: ignore[no-untyped-def]
    """An earlier campaign of partnership A: `n` reviewed answers, and as many its coder coded alone."""
    keys = list(TOPICS)
    reviewed = [f"{TOPICS[keys[i % 3]]} {slug} {i}" for i in range(n)]
    unreviewed = [f"{UNREVIEWED} {i}" for i in range(n)]
    campaign = _campaign(db, world.a.partnership, slug, dt.date(year, 1, 5), reviewed + unreviewed)
    _code(db, campaign, [keys[i % 3] for i in range(n)] + [None] * n, reviewed=True)
    _code(db, campaign, [None] * n + ["knives_weapons"] * n, reviewed=False)
    return campaign


def _new_answers(db, world: World, n: int) -> list[Response]:  # type: ignore[no-untyped-def]
    """Campaign A's own answers: `n` more, on the same topics."""
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "all-types")
    )
    keys = list(TOPICS)
    texts = [f"{TOPICS[keys[i % 3]]} now {i}" for i in range(n)]
    return _responses(db, world.a.campaign, version, texts, "new")


@pytest.fixture
def trained_on(monkeypatch) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The texts of every coder trained during the test."""
    seen: list[list[str]] = []
    fit = ThemeCoder.fit

    def recording(self: ThemeCoder, texts: list[str], Y, questions=None):  # type: ignore[no-untyped-def]
        seen.append(list(texts))
        return fit(self, texts, Y, questions)

    monkeypatch.setattr(ThemeCoder, "fit", recording)
    return seen


def test_earlier_campaign_teaches_only_its_reviewed_answers_and_suggestions_wait(
    app, db, world: World, session_for, trained_on
) -> None:  # type: ignore[no-untyped-def]
    earlier = _earlier(db, world, "alderley-2025", 2025)
    theirs = _campaign(
        db, world.b.partnership, "brookfield-2024", dt.date(2024, 1, 5), [f"{OTHER_PARTNERSHIP} {i}" for i in range(30)]
    )
    _code(db, theirs, ["police"] * 30, reviewed=True)
    _new_answers(db, world, 30)
    db.session.commit()
    a = world.a.campaign.id
    # The analyst had chosen to apply codes from 0.5 up: the starting model must not use that yet.
    set_threshold(app, a, 0.5)
    db.session.commit()
    client = session_for(world.a.users["analyst"])
    page = f"/staff/campaigns/{a}/coding/starting"

    offered = client.get(page).text
    assert "Alderley 2025" in offered and "Brookfield 2024" not in offered
    assert client.post(page, data={"source": "campaigns", "campaign": [str(theirs.id)]}).status_code == 302
    assert db.session.scalar(select(StartingModel)) is None, "another partnership's campaign is refused"

    assert client.post(page, data={"source": "campaigns", "campaign": [str(earlier.id)]}).status_code == 302
    assert len(trained_on) == 1
    texts = trained_on[0]
    assert len(texts) == 30 and all("alderley-2025" in t for t in texts), "the earlier campaign's reviewed answers"
    assert not any(UNREVIEWED in t or OTHER_PARTNERSHIP in t for t in texts)

    choice = db.session.scalar(select(StartingModel))
    assert choice.source == "campaigns" and choice.source_campaign_ids == [earlier.id] and choice.coder_model_id
    stored = coder_files.load(db.session.get(CoderModel, choice.coder_model_id))
    assert stored is not None and stored.learned is not None
    assert not any(hasattr(v, "stop_words_") for v in stored.learned.vectorizers), "no one-answer words kept"
    codes = db.session.scalars(
        select(ThemeCode).join(Response).where(Response.campaign_id == a, ThemeCode.source == "model")
    ).all()
    assert codes and all(c.status == "suggested" for c in codes), "nothing applied without review"
    assert any(c.confidence >= 0.5 for c in codes), "the analyst's 0.5 would have applied some"
    book, row = campaign_codebook(a)
    queued = {i.response_id for i in review_queue(a, row.id, thresholds_for(a, row.id, book))}
    assert queued == {c.response_id for c in codes}, "every answer with a suggestion waits for a person"

    shown = client.get(page).text
    assert 'data-basis="cross_organisation"' in shown and "Not yet checked on this campaign" in shown
    assert "about <strong>5 in 10</strong>" in shown and "Nothing it suggests is applied without review" in shown
    assert UNREVIEWED not in shown and "alderley-2025 0" not in shown, "no answers from other campaigns on the page"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("coding_starting%"))).all()
    assert {"coding_starting_chosen", "coding_starting_trained"} <= {e.action for e in events}
    assert not any("police never" in str(e.details) for e in events)


def test_the_page_switches_to_the_agreement_measured_on_the_campaigns_own_answers(
    app, db, world: World, session_for
) -> None:  # type: ignore[no-untyped-def]
    _earlier(db, world, "alderley-2024", 2024)
    _earlier(db, world, "alderley-2025", 2025)
    new = _new_answers(db, world, CHECK_AFTER + 10)
    db.session.commit()
    a = world.a.campaign.id
    client = session_for(world.a.users["analyst"])
    page = f"/staff/campaigns/{a}/coding/starting"
    ids = [
        str(c.id)
        for c in db.session.scalars(select(Campaign).where(Campaign.slug.in_(("alderley-2024", "alderley-2025")))).all()
    ]
    assert client.post(page, data={"source": "campaigns", "campaign": ids}).status_code == 302
    before = client.get(page).text
    assert 'data-basis="earlier_campaigns"' in before, "two earlier campaigns: each left out in turn"

    keys = list(TOPICS)
    for i, r in enumerate(new[: CHECK_AFTER - 1]):
        record_review(a, r.id, "unsafe_why", {keys[i % 3]}, world.a.users["analyst"].id)
    db.session.commit()
    assert 'data-basis="own_answers"' not in client.get(page).text
    r = new[CHECK_AFTER - 1]
    record_review(a, r.id, "unsafe_why", {keys[(CHECK_AFTER - 1) % 3]}, world.a.users["analyst"].id)
    db.session.commit()
    after = client.get(page).text
    assert 'data-basis="own_answers"' in after and f"Checked on {CHECK_AFTER} answers reviewed" in after
    found = starting.agreement(a)
    assert found is not None and found.answers == CHECK_AFTER
    # these answers say what the earlier ones said, so the measured agreement is high
    assert found.expectation.f1 > 0.8


def _public_set(tmp_path: Path) -> Path:
    path = tmp_path / "public.csv"
    mapped = PUBLIC_COUNTERPARTS["youth_provision"][0]
    safe = PUBLIC_COUNTERPARTS["community_safety"][0]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["Trust", "FFT answer", mapped, safe, "Staff manner & personal attributes"]
        )
        writer.writeheader()
        for i in range(40):
            row = {
                "Trust": "T",
                "FFT answer": f"more activities and time outside in the garden please {i}",
                mapped: "1",
            }
            if i % 2:
                row = {"Trust": "T", "FFT answer": f"i felt safe on the ward at night {i}", safe: "1"}
            writer.writerow(row)
        for i in range(20):
            writer.writerow(
                {"Trust": "T", "FFT answer": f"the nurses were kind {i}", "Staff manner & personal attributes": "1"}
            )
    return path


def test_the_public_set_model_codes_only_the_themes_that_map(app, db, world: World, session_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app.config["CODING_PUBLIC_SET"] = str(_public_set(tmp_path))
    _new_answers(db, world, 12)
    db.session.commit()
    a = world.a.campaign.id
    client = session_for(world.a.users["analyst"])
    page = f"/staff/campaigns/{a}/coding/starting"
    book, _ = campaign_codebook(a)
    covered = starting.public_themes(book)
    offered = client.get(page).text
    assert all(book[k].label in offered for k in covered)

    assert client.post(page, data={"source": "public"}).status_code == 302
    choice = db.session.scalar(select(StartingModel))
    assert choice.themes == covered and "police" in choice.missing_themes
    codes = db.session.scalars(
        select(ThemeCode).join(Response).where(Response.campaign_id == a, ThemeCode.source == "model")
    ).all()
    assert codes and {c.theme_key for c in codes} <= set(covered), "no suggestion on a theme with no counterpart"
    assert all(c.status == "suggested" for c in codes)
    shown = client.get(page).text
    assert 'data-basis="cross_organisation"' in shown and "may well do worse than this" in shown


def test_retraining_adds_the_earlier_answers_until_the_starting_model_is_stopped(
    app, db, world: World, session_for, trained_on
) -> None:  # type: ignore[no-untyped-def]
    earlier = _earlier(db, world, "alderley-2025", 2025)
    new = _new_answers(db, world, 30)
    db.session.commit()
    a = world.a.campaign.id
    client = session_for(world.a.users["analyst"])
    page = f"/staff/campaigns/{a}/coding/starting"
    assert client.post(page, data={"source": "campaigns", "campaign": [str(earlier.id)]}).status_code == 302
    keys = list(TOPICS)
    own = new[:20]
    for i, r in enumerate(own):
        record_review(a, r.id, "unsafe_why", {keys[i % 3]}, world.a.users["analyst"].id)
    db.session.commit()

    assert client.post(f"/staff/campaigns/{a}/coding/retrain").status_code == 302  # inline in tests
    texts = trained_on[-1]
    own_texts = {r.answers[0].text for r in own}
    assert sum("alderley-2025" in t for t in texts) == 30
    assert all(texts.count(t) == OWN_WEIGHT for t in own_texts), "each own answer, as often as measured best"
    assert len(texts) == 30 + OWN_WEIGHT * len(own_texts)
    book, row = campaign_codebook(a)
    assert thresholds_for(a, row.id, book).held == frozenset(book.keys()), "still held for review"

    assert client.post(f"{page}/stop").status_code == 302
    assert client.post(f"/staff/campaigns/{a}/coding/retrain").status_code == 302
    assert sorted(trained_on[-1]) == sorted(own_texts), "stopped: its own answers only"
    assert not thresholds_for(a, row.id, book).held, "no longer a starting model: the analyst's choice applies"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "coding_starting_stopped")).all()
    assert len(events) == 1


def test_own_answers_support_a_threshold_only_with_enough_confident_codes_kept() -> None:
    def found(answers: int, confident: int, kept: int) -> Agreement:
        return Agreement(starting.Expectation(0, 0, 0, answers, "own_answers"), answers, confident, kept)

    assert supports(found(100, 40, 40), 0.9)
    assert not supports(found(100, 40, 37), 0.9), "92% kept, but too few codes to be sure of 90%"
    assert not supports(found(99, 40, 40), 0.9), "too few reviewed answers"
    assert not supports(found(100, 20, 20), 0.9), "too few confident codes"
    assert not supports(None, 0.9)
