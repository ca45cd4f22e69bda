"""Free text at a glance: sentiment by theme and audience and word clouds, for the communications lead
too, from redacted text, with groups under the disclosure threshold shown as words, never images."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.models import AuditEvent, ThemeCode
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
    assert "Police presence and trust in police" in text and "Young people" in text
    # Bullying (5 answers) and parents and carers (3) are too small: named, but no figures. The theme
    # table beside them had to hide the other groups' counts too (young people = all answers - parents),
    # so the tone tables, which repeat those counts, hide them as well.
    assert text.count("Not shown: fewer than 10 answers, or subtracting this count from another on the page") == 5
    # Clouds by theme: bullying (5) is too small to draw. Police (13) and knives (12) are large enough,
    # but every word they share repeats a count the theme table hides (all 13 police answers say
    # "police"), so no word is shown and nothing is drawn (test_text_insights_words draws one). Their
    # counts are hidden too, so all three say the same: a message for the small one alone would tell
    # it from the two hidden only to protect it.
    assert "wordcloud/theme/" not in text
    said = "No word cloud is drawn for this group: it has fewer than 10 answers, or its number is hidden"
    assert text.count(said) == 3
    assert "No word to draw" not in text
    # Names in the answers were redacted before any word was counted.
    for name in ("jayden", "olivia", "gaz"):
        assert name not in text.lower()
    # Too small, or not a group at all: no image.
    assert lead.get(f"{base}/wordcloud/theme/bullying.png").status_code == 404
    assert lead.get(f"{base}/wordcloud/audience/parents_carers.svg").status_code == 404
    assert lead.get(f"{base}/wordcloud/colour/police.png").status_code == 404

    by_audience = lead.get(f"{base}?by=audience").text
    assert "wordcloud/audience/" not in by_audience
    assert lead.get(f"{base}/wordcloud/theme/police.png").status_code == 404

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("text_insights_viewed", "wordcloud_downloaded")))
    ).all()
    assert {e.action for e in events} == {"text_insights_viewed"}


def test_sentiment_shares_add_up(db, world: World, app) -> None:  # type: ignore[no-untyped-def]
    from survey_app.staff.free_text.insights_page import text_page

    give_coded_texts(db, world)
    with app.test_request_context():
        tables = text_page(world.a.campaign).sentiment
    police = next(r for r in tables["theme"] if r.group == "police")
    assert police.label == "Police presence and trust in police" and police.answers == 13
    shown = [police.share(label) for label in ("negative", "neutral", "positive")]
    if all(s is not None for s in shown):
        assert sum(s or 0.0 for s in shown) == pytest.approx(1.0)
    # The theme table hides the audiences' counts (young people = all answers - 3 parents), so the
    # tone rows, which repeat them, are hidden too.
    young = next(r for r in tables["audience"] if r.group == "young_people")
    assert young.answers == 22 and young.suppressed and young.counts is None
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


def _code(db, answer, theme: str, status: str, confidence: float, version_id: int, reviewer: int | None = None) -> None:  # type: ignore[no-untyped-def]
    from survey_app.models import ThemeCode

    db.session.add(
        ThemeCode(
            response_id=answer.response_id,
            question_key=answer.question_key,
            theme_key=theme,
            codebook_version_id=version_id,
            source="human" if reviewer else "rule",
            confidence=confidence,
            status=status,
            evidence=[],
            reviewer_id=reviewer,
        )
    )


def _mixed_coding(db, world: World) -> list:  # type: ignore[no-untyped-def]
    """Side A's 25 answers: 6 reviewed by people (police kept, knives rejected on 2), 11 with police
    applied by the model (3 of them also waiting on a knives suggestion), 4 only waiting, 4 untouched."""
    from survey_app.models import Answer, Response
    from survey_app.staff.free_text.coding import current_codebook

    _, version = current_codebook(world.a.campaign.id)
    analyst = world.a.users["analyst"].id
    answers = list(
        db.session.scalars(
            select(Answer)
            .join(Response)
            .where(Response.campaign_id == world.a.campaign.id, Answer.text.is_not(None), Answer.value.is_(None))
            .order_by(Answer.response_id, Answer.question_key)
        )
    )
    assert len(answers) == 25
    for answer in answers[:6]:
        _code(db, answer, "police", "accepted", 0.6, version.id, analyst)
    for answer in answers[:2]:
        _code(db, answer, "knives_weapons", "rejected", 0.6, version.id, analyst)
    for answer in answers[6:17]:
        _code(db, answer, "police", "applied", 0.95, version.id)
    for answer in answers[14:21]:
        _code(db, answer, "knives_weapons", "suggested", 0.5, version.id)
    db.session.commit()
    return answers


def test_every_theme_counts_people_and_confident_model_codes(db, world: World, app) -> None:  # type: ignore[no-untyped-def]
    from survey_app.staff.free_text.coding import current_codebook
    from survey_app.staff.free_text.progress import coding_progress

    _mixed_coding(db, world)
    with app.test_request_context():
        book, _ = current_codebook(world.a.campaign.id)
        progress = coding_progress(world.a.campaign.id, threshold=1)
    assert {k: c.value for k, c in progress.states.items()} == {"people": 6, "model": 8, "waiting": 7, "none": 4}
    assert progress.answers.value == 25 and progress.ever_coded
    # Every theme of the codebook is listed, coded or not.
    assert [r.key for r in progress.themes] == [t.key for t in book.active_themes(sub_themes=True)]
    rows = {r.key: r for r in progress.themes}
    police, knives = rows["police"], rows["knives_weapons"]
    assert (police.total.value, police.by_people.value, police.by_model.value, police.waiting.value) == (17, 6, 11, 0)
    # Suggestions wait beside the count; a person's rejection counts nowhere.
    assert (knives.total.value, knives.waiting.value) == (0, 7)
    assert rows["bullying"].total.value == 0


def test_before_any_coding_the_page_says_nothing_is_coded(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    lead = session_for(world.a.users["communications_lead"])
    text = lead.get(f"/staff/campaigns/{world.a.campaign.id}/text").text
    assert "Coded automatically" not in text
    assert "The coder has not been run on these answers yet" in text
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))
    assert facts["Coded by people (reviewed)"] == "0"
    assert facts["Coded by the model at high certainty, not reviewed"] == "0"
    assert facts["Waiting for review: the model suggested a theme it is unsure of"] == "0"
    assert facts["No theme yet (not coded, or the coder found none to suggest)"] == facts["Free-text answers"] == "25"
    # All eighteen themes and the sub-theme are there, with nothing counted.
    assert "Media representation of the area" in text and "Status, respect and reputation" in text


def test_the_lead_sees_themes_by_audience_with_nothing_recoverable(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    from analysis.disclosure import DisclosurePolicy, protect_publication
    from survey_app.models import Response
    from survey_app.staff.free_text.progress import progress_tables
    from tests.analysis.test_publication import recovered

    # People coded all 25: police 13 (young people, 5 of them also bullying), knives 12 (parents).
    for i, answer in enumerate(give_coded_texts(db, world)):
        db.session.get(Response, answer.response_id).audience = "young_people" if i < 13 else "parents_carers"
    db.session.commit()
    lead = session_for(world.a.users["communications_lead"])
    text = lead.get(f"/staff/campaigns/{world.a.campaign.id}/text").text
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))
    assert facts["Coded by people (reviewed)"] == "25"
    table = text[text.index('class="compact theme-table"') : text.index("</table>", text.index("theme-table"))]
    police = re.search(r"Police presence and trust in police</th>(.*?)</tr>", table, re.S)
    assert police and re.findall(r'<td class="num">(.*?)</td>', police.group(1)) == ["13", "13", "0", "0"]
    bullying = re.search(r"<th scope=\"row\">Bullying</th>(.*?)</tr>", table, re.S)
    assert bullying and "[c]" in bullying.group(1) and "5" not in bullying.group(1)
    assert "Themes by audience" in text and "Parents and carers" in text
    # The tone table repeats theme totals: one the theme table hides is hidden there too.
    tone = text[text.index("Tone by theme") :]
    assert re.search(r"Bullying</th>\s*<td class=\"num\"><span class=\"suppressed\">\[c\]", tone)
    # An attacker with every figure of the themes section (states, themes by people and model,
    # suggestions, audiences) recovers no hidden count.
    with app.test_request_context():
        tables, _, _ = progress_tables(world.a.campaign.id)
    published = protect_publication(tables, DisclosurePolicy(threshold=10))
    assert recovered(list(zip(tables, published, strict=True))) == []


def test_the_coding_page_says_what_happened_to_each_answer(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    """The analysts' coding page used to read "Coded 0 / Coded automatically 25" before any coding."""
    _mixed_coding(db, world)
    analyst = session_for(world.a.users["analyst"])
    text = analyst.get(f"/staff/campaigns/{world.a.campaign.id}/coding").text
    assert "Coded automatically" not in text
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))
    assert facts["Coded by people (reviewed)"] == "6"
    assert facts["Coded by the model at high certainty, not reviewed"] == "8"
    assert facts["Waiting for review: the model suggested a theme it is unsure of"] == "7"
    assert facts["No theme yet (not coded, or the coder found none to suggest)"] == "4"


def _police_from_young_people_knives_from_parents(db, world: World):  # type: ignore[no-untyped-def]
    """The 25 coded answers recoded by the model alone: police from 13 young people, knives from 12
    parents. Returns the answers and the codebook version to code more with (not yet committed)."""
    from survey_app.models import Response
    from survey_app.staff.free_text.coding import current_codebook

    answers = give_coded_texts(db, world)
    _, version = current_codebook(world.a.campaign.id)
    for code in db.session.scalars(select(ThemeCode)):
        db.session.delete(code)
    for i, answer in enumerate(answers):
        db.session.get(Response, answer.response_id).audience = "young_people" if i < 13 else "parents_carers"
        _code(db, answer, "police" if i < 13 else "knives_weapons", "applied", 0.95, version.id)
    return answers, version.id


def test_a_small_theme_coded_by_the_model_hides_only_itself(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    """Once the model coded the answers and nobody had reviewed any, the page went blank: the
    zeros a one-answer theme's tone row hides were hidden on every table, and hiding the empty
    "coded by people" total hid the 25 answers and every theme with it."""
    from survey_app.staff.free_text.insights_page import text_page
    from tests.analysis.test_publication import recovered

    answers, version = _police_from_young_people_knives_from_parents(db, world)
    # Every group large enough but the one answer that is also about bullying.
    _code(db, answers[0], "bullying", "applied", 0.95, version)
    db.session.commit()

    text = session_for(world.a.users["communications_lead"]).get(f"/staff/campaigns/{world.a.campaign.id}/text").text
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))
    assert facts["Free-text answers"] == "25"
    assert facts["Coded by people (reviewed)"] == "0"
    assert facts["Coded by the model at high certainty, not reviewed"] == "25"
    table = text[text.index('class="compact theme-table"') : text.index("</table>", text.index("theme-table"))]

    def row(label: str) -> list[str]:
        found = re.search(rf"<th scope=\"row\">{label}</th>(.*?)</tr>", table, re.S)
        assert found, label
        return re.findall(r'<td class="num">(.*?)</td>', found.group(1))

    assert row("Police presence and trust in police") == ["13", "0", "13", "0"]
    assert row("Knives and weapons") == ["12", "0", "12", "0"]
    assert row("Drugs and alcohol") == ["0", "0", "0", "0"]
    bullying = row("Bullying")
    assert "[c]" in bullying[0] and "[c]" in bullying[2] and "1" not in "".join(bullying)
    tone = text[text.index("Tone by theme") : text.index("Tone by audience")]
    assert re.search(r"Police presence and trust in police</th>\s*<td class=\"num\">13</td>", tone)
    # Nothing else on the page (states, themes, audiences, tone, words) gives back the one answer.
    with app.test_request_context():
        shown = text_page(world.a.campaign)
    assert recovered(shown.publication) == []


def test_hidden_groups_are_listed_last_by_name_not_by_how_many_raised_them(db, world: World, app) -> None:  # type: ignore[no-untyped-def]
    """Listed by their true size, hidden rows gave it away: a hidden row above another hidden one had more."""
    from survey_app.staff.free_text.insights_page import text_page

    answers, version = _police_from_young_people_knives_from_parents(db, world)
    for answer in answers[:3]:  # three raised social media, one bullying: both too few to show
        _code(db, answer, "social_media", "applied", 0.95, version)
    _code(db, answers[5], "bullying", "applied", 0.95, version)
    db.session.commit()
    with app.test_request_context():
        page = text_page(world.a.campaign)
    rows = page.sentiment["theme"]
    assert [(r.group, r.suppressed) for r in rows[:2]] == [("police", False), ("knives_weapons", False)]
    hidden = [r.label for r in rows if r.suppressed]
    assert hidden == ["Bullying", "Social media and online harms"]  # by name; the true order is 3, then 1
    assert [g.key for g in page.clouds["theme"]] == [r.group for r in rows]
