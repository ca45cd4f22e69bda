"""The codebook in the staff workspace: add, edit, merge, retire and promote themes through the pages,
with every code keeping the version it was made under and people's decisions surviving each change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey_app.models import Answer, AuditEvent, CodebookVersion, CoderModel, Response, ThemeCode
from survey_app.staff.free_text.coding import campaign_codebook
from survey_app.staff.free_text.training import training_data
from tests.staff.conftest import World
from tests.staff.test_coding_screen import TEXTS, give_texts

#: Answers no shipped theme covers: two topics a human would name "dog fouling" and "fly tipping".
DOGS = [
    "dogs fouling the footpath again",
    "dog fouling on the footpath by the shops",
    "owners let dogs foul the footpath",
    "dog fouling everywhere, owners never pick up",
    "the footpath is covered in dog fouling",
    "dogs foul the footpath and owners walk off",
    "dog fouling near the houses",
    "owners never pick up after dogs",
    "so much dog fouling on every footpath",
    "dogs fouling outside my house",
    "dog fouling by the church",
    "owners should pick up dog fouling",
    "dog fouling is disgusting on the footpath",
    "dogs fouling the footpath",
]
BINS = [
    "fly tipping and overflowing bins",
    "overflowing bins on our road",
    "fly tipping behind the shops",
    "bins overflowing for weeks",
    "fly tipping in the back lane",
    "the council never empties the overflowing bins",
    "fly tipping mattresses everywhere",
    "overflowing bins attract rats",
    "fly tipping near the church",
    "bins overflowing and fly tipping",
    "rubbish from overflowing bins",
    "fly tipping again",
    "overflowing bins outside",
]


def base(world: World) -> str:
    return f"/staff/campaigns/{world.a.campaign.id}"


def codes_of(db, response_id: str) -> dict[str, ThemeCode]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return {c.theme_key: c for c in db.session.scalars(select(ThemeCode).where(ThemeCode.response_id == response_id))}


def audit_events(db, prefix: str = "codebook") -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%")).order_by(AuditEvent.id))
    )


def test_add_theme_makes_a_campaign_version_that_new_codes_record(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, [*TEXTS, "dog poo and dog mess all over the grass"])
    client = session_for(world.a.users["analyst"])
    client.post(f"{base(world)}/coding/run")
    shipped = db.session.scalar(select(CodebookVersion))
    assert shipped.campaign_id is None and shipped.version == 1
    page = client.get(f"{base(world)}/codebook")
    assert page.status_code == 200 and "Themes in use (18)" in page.text and "The codebook as shipped." in page.text

    added = client.post(
        f"{base(world)}/codebook/themes",
        data={
            "key": "dog_fouling",
            "label": "Dog fouling",
            "definition": "Dog mess in public places.",
            "phrases": "dog poo\r\ndog mess",
            "reason": "seen often",
            "based_on": "1",
        },
    )
    assert added.status_code == 302 and added.location.endswith("#theme-dog_fouling")
    v2 = db.session.scalar(select(CodebookVersion).where(CodebookVersion.campaign_id == world.a.campaign.id))
    assert v2.version == 2 and v2.name == "violence-reduction"
    assert v2.change_note == "Added theme dog_fouling (Dog fouling). Why: seen often."
    book, row = campaign_codebook(world.a.campaign.id)
    assert row.id == v2.id and book["dog_fouling"].phrases == ("dog poo", "dog mess")
    # Unreviewed answers were recoded under version 2 straight away, and the new theme is found.
    dog = next(a for a in answers if a.text.startswith("dog poo"))
    assert codes_of(db, dog.response_id)["dog_fouling"].codebook_version_id == v2.id
    assert all(c.codebook_version_id == v2.id for c in db.session.scalars(select(ThemeCode)))
    # The other partnership's campaign still uses the shipped codebook.
    assert campaign_codebook(world.b.campaign.id)[1].id == shipped.id
    page = client.get(f"{base(world)}/codebook").text
    assert "Themes in use (19)" in page and "Dog mess in public places." in page and "seen often" in page
    # The audit log has the keys and version, not what the analyst wrote.
    event = audit_events(db)[-1]
    assert (
        event.action == "codebook_add" and event.details["themes"] == ["dog_fouling"] and event.details["version"] == 2
    )
    assert "Dog mess" not in str(event.details) and "dog poo" not in str(event.details)


def test_merge_keeps_reviewed_codes_and_counts_them_under_the_target(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    client.post(f"{base(world)}/coding/run")
    v1 = db.session.scalar(select(CodebookVersion))
    first = next(a for a in answers if a.text == TEXTS[0])
    answer_id = f"{first.response_id}:{first.question_key}"
    client.post(f"{base(world)}/coding/review", data={"answer": answer_id, "theme": ["police", "media_representation"]})
    assert codes_of(db, first.response_id)["media_representation"].status == "added"

    merged = client.post(
        f"{base(world)}/codebook/merge",
        data={"source": "media_representation", "into": "social_media", "based_on": "1"},
    )
    assert merged.status_code == 302
    book, v2 = campaign_codebook(world.a.campaign.id)
    assert v2.version == 2 and book.resolve("media_representation") == "social_media"
    kept = codes_of(db, first.response_id)
    # The person's decision stays as made, under the version it was made in.
    assert kept["media_representation"].status == "added" and kept["media_representation"].codebook_version_id == v1.id
    assert kept["police"].status == "accepted"
    # ... and it teaches the coder the target theme now.
    reviewed = training_data(world.a.campaign.id, v2.id, book)
    row = reviewed.Y[reviewed.texts.index(TEXTS[0])]
    assert row[book.keys().index("social_media")] == 1 and row[book.keys().index("police")] == 1
    page = client.get(f"{base(world)}/codebook").text
    assert "Merged into Social media and online harms" in page and "counted under social_media" in page
    # Deciding the answer again under version 2: the merged code is decided as its target.
    client.post(f"{base(world)}/coding/review", data={"answer": answer_id, "theme": ["social_media"]})
    again = codes_of(db, first.response_id)
    assert again["media_representation"].status == "accepted" and "social_media" not in again
    assert again["police"].status == "rejected"
    assert client.get(f"{base(world)}/coding").status_code == 200


def test_retire_keeps_old_codes_shown_as_retired_and_rules_stop(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, [*TEXTS, "getting bullied at school every day"])
    client = session_for(world.a.users["administrator"])
    client.post(f"{base(world)}/coding/run")
    bullied = [a for a in answers if a.text.startswith("getting bullied")]
    reviewed, unreviewed = bullied[0], bullied[1]
    client.post(
        f"{base(world)}/coding/review",
        data={"answer": f"{reviewed.response_id}:{reviewed.question_key}", "theme": ["bullying", "school_education"]},
    )
    assert "bullying" in codes_of(db, unreviewed.response_id)

    retired = client.post(f"{base(world)}/codebook/retire", data={"theme": "bullying", "reason": "covered elsewhere"})
    assert retired.status_code == 302
    book, _ = campaign_codebook(world.a.campaign.id)
    assert "bullying" in book and not book["bullying"].active and "bullying" not in book.keys(sub_themes=True)
    assert "bullying" not in codes_of(db, unreviewed.response_id)  # recoded: the rules no longer look for it
    assert codes_of(db, reviewed.response_id)["bullying"].status == "accepted"  # kept
    page = client.get(f"{base(world)}/codebook").text
    retired_section = page[page.index('id="retired"') : page.index('id="change"')]
    assert "Bullying" in retired_section and "Retired" in retired_section and "covered elsewhere" in retired_section
    # Re-deciding the answer leaves the retired code as it was: nobody can tick that theme now.
    client.post(
        f"{base(world)}/coding/review", data={"answer": f"{reviewed.response_id}:{reviewed.question_key}", "theme": []}
    )
    assert codes_of(db, reviewed.response_id)["bullying"].status == "accepted"
    review = client.get(f"{base(world)}/coding/review").text
    assert 'value="bullying"' not in review


def test_edit_theme_wording_and_the_theme_chooser(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client = session_for(world.a.users["analyst"])
    chooser = client.get(f"{base(world)}/codebook/edit")
    assert chooser.status_code == 200 and 'name="theme"' in chooser.text
    form = client.get(f"{base(world)}/codebook/edit?theme=police")
    assert form.status_code == 200 and "stop and search" in form.text
    book, _ = campaign_codebook(world.a.campaign.id)
    police = book["police"]
    data = {
        "theme": "police",
        "label": "Police and PCSOs",
        "definition": police.definition,
        "includes": "\n".join(police.includes),
        "excludes": "\n".join(police.excludes),
        "phrases": "\n".join((*police.phrases, "plod")),
        "examples": "\n".join(police.examples),
        "based_on": "1",
    }
    assert client.post(f"{base(world)}/codebook/edit", data=data).status_code == 302
    book, row = campaign_codebook(world.a.campaign.id)
    assert book["police"].label == "Police and PCSOs" and book["police"].phrases[-1] == "plod"
    assert row.change_note == "Edited theme police: label, phrases."
    # Sending the same again changes nothing, and says so with the input kept.
    data["based_on"] = "2"
    same = client.post(f"{base(world)}/codebook/edit", data=data)
    assert same.status_code == 400 and "nothing was changed" in same.text and "Police and PCSOs" in same.text


def test_errors_keep_the_input_and_nothing_is_saved(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client = session_for(world.a.users["analyst"])
    duplicate = client.post(
        f"{base(world)}/codebook/themes",
        data={"key": "police", "label": "My own police label", "phrases": "bobby on the beat"},
    )
    assert duplicate.status_code == 400 and "the key is already used" in duplicate.text
    assert "My own police label" in duplicate.text and "bobby on the beat" in duplicate.text
    assert 'href="#add-key"' in duplicate.text
    assert 'id="add-key-error"' in duplicate.text, "the message is also shown at the field it is about"
    blank = client.post(f"{base(world)}/codebook/themes", data={"key": "", "label": ""})
    assert blank.status_code == 400 and "Give the theme a key" in blank.text and "Give the theme a label" in blank.text
    itself = client.post(f"{base(world)}/codebook/merge", data={"source": "police", "into": "police"})
    assert itself.status_code == 400 and "cannot be merged into itself" in itself.text
    assert (
        'aria-describedby="merge-source-error"' in itself.text or 'aria-describedby="merge-into-error"' in itself.text
    )
    unknown = client.post(f"{base(world)}/codebook/retire", data={"theme": "martians"})
    assert unknown.status_code == 400 and "not in the codebook" in unknown.text
    parent = client.post(f"{base(world)}/codebook/merge", data={"source": "peer_pressure", "into": "bullying"})
    assert parent.status_code == 400 and "sub-themes (peer_pressure_status) first" in parent.text
    assert db.session.scalar(select(CodebookVersion).where(CodebookVersion.campaign_id.is_not(None))) is None
    # A form shown before another analyst's change is refused rather than applied to a version it never saw.
    client.post(f"{base(world)}/codebook/retire", data={"theme": "bullying", "based_on": "1"})
    stale = client.post(f"{base(world)}/codebook/themes", data={"key": "bins", "label": "Bins", "based_on": "1"})
    assert stale.status_code == 400 and "changed to version 2" in stale.text and 'value="bins"' in stale.text
    for path, data in [
        ("edit", {"theme": "police", "label": "Old view", "based_on": "1"}),
        ("merge", {"source": "media_representation", "into": "social_media", "based_on": "1"}),
        ("retire", {"theme": "police", "based_on": "1"}),
    ]:
        refused = client.post(f"{base(world)}/codebook/{path}", data=data)
        assert refused.status_code == 400 and "changed to version 2" in refused.text, path
    versions = db.session.scalars(select(CodebookVersion).where(CodebookVersion.campaign_id.is_not(None))).all()
    assert [v.version for v in versions] == [2], "only the retirement was saved"


def add_responses(db, world: World, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """More answers for campaign A, one response each."""
    template = db.session.scalar(select(Response).where(Response.campaign_id == world.a.campaign.id).limit(1))
    for i, text in enumerate(texts):
        response = Response(
            questionnaire_version_id=template.questionnaire_version_id,
            audience="young_people",
            language="en",
            campaign_id=world.a.campaign.id,
            collection_point_id=world.a.points[0].id,
            completion="complete",
            submitted_on=dt.date(2026, 1, 6),
            idempotency_key=f"extra-{i}",
        )
        response.answers = [Answer(question_key="unsafe_why", position=0, text=text)]
        db.session.add(response)
    db.session.commit()


def test_discover_shows_candidates_and_promotes_one(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_texts(db, world, ["the cops"])
    add_responses(db, world, [*DOGS, *BINS, "dog fouling by Mary Smith's house, call 07700 900123"])
    client = session_for(world.a.users["analyst"])
    client.post(f"{base(world)}/coding/run")
    page = client.get(f"{base(world)}/codebook/discover")
    assert page.status_code == 200
    assert "Candidate 1" in page.text and "Candidate 2" in page.text
    assert "dog fouling" in page.text and "fly tipping" in page.text
    assert "the cops" not in page.text  # coded answers are not looked at
    assert "07700 900123" not in page.text  # examples and terms are redacted
    assert "Promote to a new theme" in page.text and 'name="promoted_from"' in page.text
    assert 'value="fouling_dog"' in page.text or 'value="dog_fouling"' in page.text

    # A clash with an existing key comes back on the codebook page, still marked as a promotion.
    clash = client.post(
        f"{base(world)}/codebook/themes",
        data={"key": "police", "label": "Dog fouling", "phrases": "dog fouling", "promoted_from": "1", "based_on": "1"},
    )
    assert clash.status_code == 400 and 'name="promoted_from" value="1"' in clash.text
    promoted = client.post(
        f"{base(world)}/codebook/themes",
        data={
            "key": "dog_fouling",
            "label": "Dog fouling",
            "phrases": "dog fouling\nfouling",
            "promoted_from": "1",
            "based_on": "1",
        },
    )
    assert promoted.status_code == 302
    book, row = campaign_codebook(world.a.campaign.id)
    assert row.change_note.startswith("Promoted a discovered topic to theme dog_fouling")
    events = audit_events(db)
    assert [e.action for e in events] == ["codebook_discover_viewed", "codebook_promote"]
    # Counts and keys only: no term, phrase or label anyone wrote.
    assert set(events[0].details) == {"answers", "candidates"} and events[0].details["candidates"] == 2
    assert events[1].details["themes"] == ["dog_fouling"] and "Dog fouling" not in str(events[1].details)
    # Now the dog answers have a theme: only the fly-tipping answers are left to look at.
    after = client.get(f"{base(world)}/codebook/discover").text
    assert f"Topics among the {len(BINS)} of" in after and "Candidate 2" not in after


def test_a_trained_coder_from_an_earlier_version_asks_for_retraining(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    client.post(f"{base(world)}/coding/threshold", data={"threshold": "0.6"})
    _, v1 = campaign_codebook(world.a.campaign.id)
    db.session.add(
        CoderModel(
            campaign_id=world.a.campaign.id,
            codebook_version_id=v1.id,
            version=1,
            trained_on_answers=25,
            trained_on=dt.date(2026, 1, 10),
            file_name="not-loaded.pkl",
            auto_apply_threshold=0.6,
            metrics={},
        )
    )
    db.session.commit()
    saved = client.post(f"{base(world)}/codebook/retire", data={"theme": "bullying"}, follow_redirects=True)
    assert "until you retrain it" in saved.text
    overview = client.get(f"{base(world)}/coding").text
    assert "The codebook has changed since the coder was trained" in overview
    # Meanwhile the rules code, with the analyst's threshold carried over.
    codes = db.session.scalars(select(ThemeCode)).all()
    assert codes and {c.source for c in codes} == {"rule"}
    assert {c.status for c in codes if c.theme_key == "police"} == {"applied"}


def test_roles_and_partnerships_are_enforced(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    for role in ("communications_lead", "viewer", "safeguarding_reviewer", "school_coordinator"):
        client = session_for(world.a.users[role])
        assert client.get(f"{base(world)}/codebook").status_code in (403, 404), role
        assert client.post(f"{base(world)}/codebook/themes", data={"key": "x", "label": "X"}).status_code in (403, 404)
    other = session_for(world.b.users["analyst"])
    assert other.get(f"{base(world)}/codebook/discover").status_code == 404
    assert other.post(f"{base(world)}/codebook/retire", data={"theme": "police"}).status_code == 404
    assert db.session.scalar(select(CodebookVersion).where(CodebookVersion.campaign_id.is_not(None))) is None
    denials = audit_events(db, "access_denied")
    assert len(denials) == 10


def test_deleting_a_campaign_deletes_its_codebook_versions(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    from survey_app.staff.data.retention import delete_campaign

    give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    client.post(f"{base(world)}/coding/run")
    client.post(f"{base(world)}/codebook/retire", data={"theme": "bullying"})
    delete_campaign(world.a.campaign)
    db.session.commit()
    assert db.session.scalars(select(CodebookVersion)).all() == [db.session.scalar(select(CodebookVersion))]
    assert db.session.scalar(select(CodebookVersion)).campaign_id is None
