"""What "Free text at a glance" and the theme coding pages say in words: whole sentences, numbers that
count what the page counts ("answers", not "people"), markers explained once, the results page's
audience names, one minus sign, thousands separators, and coding figures that agree with each other.

Each test is one of the problems an analyst found on the demo data."""

from __future__ import annotations

import re

from sqlalchemy import select

from analysis.disclosure import Cell
from survey_app.models import Answer, Response, ThemeCode
from survey_app.staff.free_text import coding_views
from survey_app.staff.free_text.coding import current_codebook, review_queue
from survey_app.staff.free_text.progress import STATES, CodingProgress
from tests.staff.conftest import World
from tests.staff.test_coding_thresholds import _install
from tests.staff.test_quote_bank_screen import give_coded_texts
from tests.staff.test_text_insights import _code, _mixed_coding

#: an answer VADER scores well below zero, so the tone tables must print a minus sign
GLOOMY = "I feel unsafe and scared, it is terrible and dangerous round here"


def _text_page(world: World, session_for) -> str:  # type: ignore[no-untyped-def]
    return session_for(world.a.users["communications_lead"]).get(f"/staff/campaigns/{world.a.campaign.id}/text").text


def _row(html: str, label: str) -> list[str]:
    """The cells of the first table row headed `label`."""
    found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert found, label
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)]


def test_the_lead_is_a_sentence_and_the_key_counts_answers_not_people(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    """It read "The themes of 1,555 free-text answers, their tone …" (no verb), and the note under it
    said "fewer than 10 people" while every table counts answers: one per response and question."""
    give_coded_texts(db, world)
    text = _text_page(world, session_for)
    assert "This page shows the themes of 25 free-text answers, their tone and the words people used most" in text
    key = re.search(r'<p class="note" id="key">(.*?)</p>', text, re.S)
    assert key, "the page has one key for its markers"
    words = key.group(1)
    assert "counts answers, not people" in words and "one person can count more than once" in words
    assert "no group of fewer than 10 answers is shown" in words
    # both markers are explained, with the real reasons
    assert "[c] marks a number of fewer than 10 answers" in words and "subtracting" in words
    assert "— marks a percentage that is not shown because its count, or the total it is a share of, is hidden" in words
    assert "people are not shown" not in text and "fewer than 10 people" not in text


def test_a_person_with_two_answers_counts_twice_as_the_key_says(db, world: World, app) -> None:  # type: ignore[no-untyped-def]
    """The key's claim, checked on the code that builds the tables: one response with answers to two
    free-text questions is two answers, in the totals and in a theme."""
    from survey_app.staff.free_text.progress import progress_tables

    answers = give_coded_texts(db, world)
    first = answers[0]
    _, version = current_codebook(world.a.campaign.id)
    story = Answer(response_id=first.response_id, question_key="club_story", position=0, text="police again")
    db.session.add(story)
    _code(db, story, "police", "added", 1.0, version.id, reviewer=world.a.users["analyst"].id)
    db.session.commit()
    with app.test_request_context():
        tables, themes, _ = progress_tables(world.a.campaign.id)
    counts, bases = tables[1].counts()  # people / model x themes
    police = [t.key for t in themes].index("police")
    assert sum(bases) == 26 and counts[0][police] == 14  # 25 responses, 26 answers; 13 + 1 about police


def test_tone_explains_vader_with_one_minus_and_results_audiences(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    _, version = current_codebook(world.a.campaign.id)
    answers = give_coded_texts(db, world)
    for code in db.session.scalars(select(ThemeCode)):
        db.session.delete(code)
    # Every group large enough to show (police 13, knives 12, all 25 from young people), all gloomy.
    for i, answer in enumerate(answers):
        answer.text = GLOOMY
        db.session.get(Response, answer.response_id).audience = "young_people"
        theme = "police" if i < 13 else "knives_weapons"
        _code(db, answer, theme, "added", 1.0, version.id, reviewer=world.a.users["analyst"].id)
    db.session.commit()
    text = _text_page(world, session_for)
    assert "scored by VADER, a standard word-list tool that scores how positive or negative English text sounds" in text
    assert "from −1 (most negative) to +1 (most positive)" in text and "positive at +0.05 or above" in text
    tone = text[text.index("Tone by theme") : text.index('id="clouds"')]
    police = _row(tone, "Police presence and trust in police")
    assert police[0] == "13" and police[-1].startswith("−0.")  # a true minus, as in the words above
    assert not re.search(r">\s*-\d", tone), "no hyphen-minus in front of any score"
    # audiences as the results page names them (analysis.report.model.audience_label): groups, not a person
    assert _row(tone, "Young people")[-1].startswith("−0.")
    assert "Young person" not in text and "Parent/Carer" not in text


def test_a_hidden_tone_row_says_plainly_why(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    tone = _text_page(world, session_for)
    tone = tone[tone.index("Tone by theme") :]
    bullying = _row(tone, "Bullying")  # 5 answers
    assert bullying[0] == "[c]"
    assert bullying[1] == (
        "Not shown: fewer than 10 answers, or subtracting this count from another on the page would reveal a "
        "group of fewer than 10."
    )
    assert "would let a smaller group be worked out" not in tone


def test_the_word_cloud_note_says_plainly_what_a_cloud_loses(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    text = _text_page(world, session_for)
    assert (
        "Word clouds show single words, so “not safe” appears as “safe”: read the answers before quoting a word."
        in text
    )
    assert "A cloud loses" not in text


def test_by_the_model_says_it_counts_answers_still_waiting_on_another_theme(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    """The headline counts answers the model is sure of on every theme; a theme's "By the model" also
    counts answers waiting for review on another theme (the counting stays; the page says so)."""
    from survey_app.staff.free_text.progress import coding_progress

    _mixed_coding(db, world)
    with app.test_request_context():
        progress = coding_progress(world.a.campaign.id, threshold=1)
    police = next(r for r in progress.themes if r.key == "police")
    assert (progress.states["model"].value, police.by_model.value) == (8, 11)  # 3 also wait on knives
    text = _text_page(world, session_for)
    assert (
        "“By the model” counts answers nobody has reviewed yet that the model gave the theme at high certainty, "
        "including answers still waiting for review on another theme, so it can be larger than “Coded by the "
        "model at high certainty, not reviewed” above"
    ) in text


def _coding_page(world: World, session_for) -> str:  # type: ignore[no-untyped-def]
    return session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/coding").text


def _automation_sentence(text: str) -> str:
    start = text.index("An answer is decided without review only when")
    return re.sub(r"\s+", " ", text[start : text.index("</p>", start)])


def test_before_any_run_nothing_is_called_coded_automatically(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    """It said "25 of 25 answers are coded automatically now" right under "The coder has not been run"."""
    sentence = _automation_sentence(_coding_page(world, session_for))
    assert "The coder has not been run yet, so no answer is coded automatically" in sentence
    assert "of 25 answers are coded automatically" not in sentence


def test_coded_automatically_is_the_progress_figure_not_all_but_the_queue(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    """After a run it said 258 (= 70 coded by the model + 188 with no theme) while Progress said 70."""
    _mixed_coding(db, world)  # people 6, model 8, waiting 7, no theme 4
    text = _coding_page(world, session_for)
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))
    assert facts["Coded by the model at high certainty, not reviewed"] == "8"
    assert (
        "Now <strong>8</strong> of 25 answers are coded automatically (with at least one theme and nothing left to "
        "review), 7 wait for review, 4 have no theme yet (not coded, or the coder found none to suggest) and 6 were "
        "coded by people."
    ) in _automation_sentence(text)
    assert "Review answers (7 waiting)" in text


def test_the_coding_pages_print_thousands_with_separators(db, world: World, session_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """It printed "1555" and "1297 answers waiting"; the workspace prints "1,555" (Cell.display) elsewhere."""
    _mixed_coding(db, world)
    states = dict(zip(STATES, (Cell(10), Cell(70), Cell(1287), Cell(188)), strict=True))
    monkeypatch.setattr(
        coding_views, "working_progress", lambda _campaign: CodingProgress(Cell(1555), states, [], None, True, 1)
    )
    monkeypatch.setattr(
        coding_views, "coding_counts", lambda *_: {"answers": 1555, "coded": 1367, "reviewed": 10, "queued": 1287}
    )
    text = _coding_page(world, session_for)
    assert "Review answers (1,287 waiting)" in text
    assert "Now <strong>70</strong> of 1,555 answers are coded automatically" in _automation_sentence(text)
    assert not re.search(r"\b\d{4,}\b answers", re.sub(r"<[^>]+>", "", text))

    real = review_queue

    def long_queue(*args):  # type: ignore[no-untyped-def]
        queue = real(*args)
        return queue + queue[-1:] * (1287 - len(queue))

    monkeypatch.setattr(coding_views, "review_queue", long_queue)
    review = session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/coding/review").text
    assert "1,287 answers waiting" in review


def test_the_curve_prints_thousands_with_separators(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from analysis.coding.automation import curves

    themes = current_codebook(world.a.campaign.id)[0].keys()
    rng = np.random.default_rng(0)
    P = np.full((1200, len(themes)), 0.02)
    Y = np.zeros((1200, len(themes)), dtype=int)
    police = themes.index("police")
    P[:, police] = rng.uniform(0, 1, 1200)
    Y[:, police] = rng.random(1200) < P[:, police]
    model = _install(db, world, curves(P, Y, themes), 1)
    model.trained_on_answers = 1200
    db.session.commit()
    text = _coding_page(world, session_for)
    assert "on 1,200 reviewed answers" in text and "cross-validated on 1,200 reviewed answers" in text
    assert 'aria-label="Automation curve, checked on 1,200 answers' in text
    # "coded automatically" means one thing on the page: the curve counts answers decided without review
    assert "Answers decided without review" in text and "Answers coded automatically" not in text
    table = text[text.index("The curve as a table") : text.index("</table>", text.index("The curve as a table"))]
    assert re.search(r'<td class="num">1,\d{3}</td>', table)
    assert not re.search(r'<td class="num">\d{4,}</td>', table)


def test_the_review_page_shows_the_question_not_its_key(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    _mixed_coding(db, world)
    review = session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/coding/review").text
    asked = db.session.scalar(select(Response).where(Response.campaign_id == world.a.campaign.id))
    wording = asked.version.questionnaire.question("unsafe_why").text
    assert wording == "What makes you feel unsafe?"
    assert f"What they wrote to “{wording}”" in review
    assert "<code>unsafe_why</code>" not in review
