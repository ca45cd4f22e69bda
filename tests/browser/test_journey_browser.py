"""The respondent journey in real Chromium: with and without JavaScript, on phones and tablets.

Run with: python -m pytest tests/browser -q   (needs /usr/bin/chromium and the playwright package)
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import QuestionnaireVersion, Response
from tests.browser.conftest import wait_for_script

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
TIMES_QUESTION = "How many times have you been to a youth club this month?"

#: What the all-types walk answers, as stored: question key -> [(value, rank, text, number), ...]
EXPECTED_ROWS = {
    "carried": [("yes", None, None, None)],
    "worries": [("knives", None, None, None), ("gangs", None, None, None)],
    "feel_safe": [("fairly_unsafe", None, None, None)],
    "why_carry": [("for_protection", None, None, None)],
    "mood": [("happy", None, None, None)],
    "times": [(None, None, None, 5)],
    "what_helps": [("youth_clubs", 1, None, None), ("better_lighting", 2, None, None)],
    "home_area": [("north", None, None, None)],
    "gender": [("girl", None, None, None)],
    "ethnicity": [("white_irish", None, None, None)],
    "one_word": [(None, None, "Green", None)],
    "unsafe_why": [(None, None, "Dark alleys at night", None)],
    "club_story": [(None, None, "Table tennis", None)],
    "gang_words": [(None, None, "Some near the park", None)],
}


# --- helpers -------------------------------------------------------------------------------------


def stored_responses() -> list[Response]:
    """Every response in the database, read afresh (the live server writes from other threads)."""
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.scalars(select(Response)))


def stored_rows(response: Response) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {}
    for a in sorted(response.answers, key=lambda a: (a.question_key, a.position)):
        rows.setdefault(a.question_key, []).append((a.value, a.rank, a.text, a.number))
    return rows


def question(page: Any, key: str) -> Any:
    """The block holding one question (a fieldset or div with id q-<key>)."""
    return page.locator(f"#q-{key}")


def choose(page: Any, key: str, label: str) -> None:
    """Tick the radio or tick box with this label, by its label, as a person would (once the page's
    script listens: it clears the other boxes when an exclusive one is ticked)."""
    wait_for_script(page, "respond")
    question(page, key).get_by_label(label, exact=True).check()


def press(page: Any, name: str) -> None:
    """Press a button, once the page's script listens (it stops a second press sending twice)."""
    wait_for_script(page, "respond")
    page.get_by_role("button", name=name, exact=True).click()


def summary(page: Any) -> dict[str, str]:
    """Check-your-answers rows: question text -> answer text (lines joined with ' | ')."""
    rows = {}
    for row in page.locator(".summary-row").all():
        answer_lines = row.locator("dd").first.locator(".answer-line, .not-answered, .needs-fixing").all_inner_texts()
        rows[row.locator("dt").inner_text().strip()] = " | ".join(t.strip() for t in answer_lines)
    return rows


def start(page: Any, base: str, respondent_label: str, shot: Any = None) -> None:
    """Landing page -> 'Is this you?' (one questionnaire on offer, as in the test app) or 'Which of these
    best describes you?' (several) -> intro -> first question page."""
    page.goto(base + "/")
    press(page, "Start now")
    expect(page).to_have_url(base + "/start")
    expect(page).to_have_title(re.compile(r"^(Is this you|Which of these best describes you)\?"))
    if shot:
        shot(page, "start")
    if page.title().startswith("Is this you?"):
        expect(page.locator("main .lead")).to_have_text(respondent_label)
        expect(page.locator("input[type=radio]")).to_have_count(0)  # nothing to tick
        press(page, "Yes, carry on")
    else:
        page.get_by_label(respondent_label, exact=True).check()
        press(page, "Continue")
    expect(page).to_have_url(base + "/survey/intro")
    press(page, "Start")
    expect(page).to_have_url(re.compile(re.escape(base) + r"/survey/page/[\w-]+$"))
    wait_for_script(page, "respond")


def walk_all_types(page: Any, base: str, js: bool, shot: Any = None) -> None:
    """Answer every page of all-types.yaml, through routing, an error and a change, then send."""
    start(page, base, "I'm testing every question type", shot)

    # Page 1: choices. "Yes" to carried opens the follow-up page.
    expect(page).to_have_url(base + "/survey/page/choices")
    expect(page.locator(".progress")).to_have_text("Page 1 of up to 4")
    choose(page, "carried", "Yes")
    if js:
        # "Nothing worries me" clears the others, and ticking another clears it again.
        choose(page, "worries", "Knives")
        choose(page, "worries", "Gangs")
        choose(page, "worries", "Nothing worries me")
        worries = question(page, "worries")
        expect(worries.get_by_label("Nothing worries me", exact=True)).to_be_checked()
        expect(worries.get_by_label("Knives", exact=True)).not_to_be_checked()
        expect(worries.get_by_label("Gangs", exact=True)).not_to_be_checked()
        choose(page, "worries", "Knives")
        expect(worries.get_by_label("Nothing worries me", exact=True)).not_to_be_checked()
        # Words in "Other" go with "Nothing worries me" (they were sent as "Other", or led to an error a
        # child could not follow); writing there again ticks "Other" and clears "Nothing worries me".
        written = worries.locator("input[name='worries-other']")
        written.fill("the big boys on bikes")
        expect(worries.locator("#worries-other-choice")).to_be_checked()
        choose(page, "worries", "Nothing worries me")
        expect(written).to_have_value("")
        expect(worries.locator("#worries-other-choice")).not_to_be_checked()
        written.press_sequentially("dogs")
        expect(worries.locator("#worries-other-choice")).to_be_checked()
        expect(worries.get_by_label("Nothing worries me", exact=True)).not_to_be_checked()
        written.fill("")
        worries.locator("#worries-other-choice").uncheck()
        choose(page, "worries", "Knives")
        choose(page, "worries", "Gangs")
    else:
        choose(page, "worries", "Knives")
        choose(page, "worries", "Gangs")
    choose(page, "feel_safe", "Fairly unsafe")
    press(page, "Next")

    # Page 2: the follow-up that routing added, with its content note.
    expect(page).to_have_url(base + "/survey/page/follow-up")
    expect(page.locator(".progress")).to_have_text("Page 2 of up to 4")
    expect(page.locator(".content-note")).to_contain_text("The next question is about knives.")
    # Back keeps what was answered.
    press(page, "Back")
    expect(page).to_have_url(base + "/survey/page/choices")
    expect(question(page, "carried").get_by_label("Yes", exact=True)).to_be_checked()
    expect(question(page, "worries").get_by_label("Gangs", exact=True)).to_be_checked()
    expect(question(page, "feel_safe").get_by_label("Fairly unsafe", exact=True)).to_be_checked()
    press(page, "Next")
    expect(page).to_have_url(base + "/survey/page/follow-up")
    choose(page, "why_carry", "For protection")
    press(page, "Next")

    # Page 3: a grouped page; a word in the number box is a kind error that keeps everything typed.
    expect(page).to_have_url(base + "/survey/page/more")
    choose(page, "mood", "Happy")
    page.get_by_label(TIMES_QUESTION).fill("abc")
    page.get_by_label("1st choice").select_option(label="Youth clubs")
    page.get_by_label("2nd choice").select_option(label="Better lighting")
    page.get_by_label("Where do you live?").select_option(label="North Ward")
    choose(page, "gender", "Girl")
    choose(page, "ethnicity", "Irish")
    press(page, "Next")

    expect(page).to_have_url(base + "/survey/page/more")
    error_summary = page.locator("[data-error-summary]")
    expect(error_summary).to_be_visible()
    expect(error_summary).to_contain_text("There is a problem")
    expect(error_summary.get_by_role("link")).to_have_text("Please write a whole number using digits, like 3.")
    expect(error_summary.get_by_role("link")).to_have_attribute("href", "#times")
    expect(page).to_have_title(re.compile(r"^Error: "))
    times = page.get_by_label(TIMES_QUESTION)
    expect(times).to_have_value("abc")
    expect(times).to_have_attribute("aria-invalid", "true")
    expect(question(page, "times").locator(".field-error")).to_contain_text("Please write a whole number")
    # Nothing else on the page was lost.
    expect(question(page, "mood").get_by_label("Happy", exact=True)).to_be_checked()
    expect(page.get_by_label("1st choice")).to_have_value("youth_clubs")
    expect(page.get_by_label("2nd choice")).to_have_value("better_lighting")
    expect(page.get_by_label("Where do you live?")).to_have_value("north")
    expect(question(page, "gender").get_by_label("Girl", exact=True)).to_be_checked()
    expect(question(page, "ethnicity").get_by_label("Irish", exact=True)).to_be_checked()
    if js:
        # Screen readers announce the problem because focus moves to the summary.
        expect(error_summary).to_be_focused()
        assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    if shot:
        shot(page, "grouped-page-error-phone")
    # The summary's link takes you to the box.
    error_summary.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#times$"))
    times.fill("3")
    press(page, "Next")

    # Page 4: follow-ups shown by earlier answers (unsafe, been to a club, worried about gangs).
    expect(page).to_have_url(base + "/survey/page/words")
    expect(page).not_to_have_title(re.compile("^Error"))
    expect(page.locator(".progress")).to_have_text("Page 4 of up to 4")
    page.get_by_label("One word for your area").fill("Green")
    page.get_by_label("What makes you feel unsafe?").fill("Dark alleys at night")
    page.get_by_label("What do you do at the youth club?").fill("Table tennis")
    page.get_by_label("Tell us about gangs").fill("Some near the park")
    press(page, "Next")

    # Check your answers lists everything, and Change goes there and back.
    expect(page).to_have_url(base + "/survey/check")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    rows = summary(page)
    assert rows["Have you carried a knife?"] == "Yes"
    assert rows["What worries you?"] == "Knives | Gangs"
    assert rows["How safe do you feel when in your local area?"] == "Fairly unsafe"
    assert rows["Why did you carry it?"] == "For protection"
    assert rows["How do you feel today?"] == "Happy"
    assert rows[TIMES_QUESTION] == "3 times"
    assert rows["What would help most?"] == "1. Youth clubs | 2. Better lighting"
    assert rows["Where do you live?"] == "North Ward"
    assert rows["Which of these describes you?"] == "Girl"
    assert rows["One word for your area"] == "Green"
    assert rows["What makes you feel unsafe?"] == "Dark alleys at night"
    assert rows["What do you do at the youth club?"] == "Table tennis"
    assert rows["Tell us about gangs"] == "Some near the park"

    wait_for_script(page, "respond")
    page.get_by_role("link", name=f"Change your answer to: {TIMES_QUESTION}").click()
    expect(page).to_have_url(base + "/survey/page/more?change=1#q-times")
    expect(page.get_by_label(TIMES_QUESTION)).to_have_value("3")
    page.get_by_label(TIMES_QUESTION).fill("5")
    press(page, "Next")
    # Back on the check page at the answer just changed (the page's first question), in view.
    expect(page).to_have_url(base + "/survey/check#check-mood")
    expect(page.locator("#check-mood")).to_be_in_viewport()
    assert summary(page)[TIMES_QUESTION] == "5 times"
    if shot:
        shot(page, "check-your-answers-phone")

    sends: list[str] = []
    page.on("request", lambda r: sends.append(r.url) if r.method == "POST" and "/survey/check" in r.url else None)
    send = page.get_by_role("button", name="Send my answers")
    wait_for_script(page, "respond")  # it is the script that ignores the second press
    if js:
        send.dblclick()  # the second press must not send the answers twice
    else:
        send.click()
    expect(page).to_have_url(base + "/survey/thank-you")
    assert len(sends) == 1, f"the answers were posted {len(sends)} times"
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.locator(".panel-confirmation")).to_contain_text("Your answers have been sent.")
    if shot:
        shot(page, "thank-you-phone")


def assert_one_all_types_response() -> None:
    responses = stored_responses()
    assert len(responses) == 1, f"expected exactly one response, found {len(responses)}"
    response = responses[0]
    assert response.audience == "young_people"
    assert response.completion == "complete"
    assert stored_rows(response) == EXPECTED_ROWS


# --- 1 and 2: the whole journey, without and with JavaScript -------------------------------------


def test_journey_without_javascript(app: Flask, live_server: str, new_page: Any) -> None:
    """Every step works with JavaScript off: routing, a kind error, changing an answer, sending."""
    page = new_page("desktop", js=False)
    walk_all_types(page, live_server, js=False)
    assert_one_all_types_response()


def test_journey_with_javascript_on_a_phone(app: Flask, live_server: str, new_page: Any, screenshot: Any) -> None:
    """On a phone with JavaScript: focus moves to errors, exclusive ticks clear, a double tap sends once."""
    page = new_page("phone", js=True)
    walk_all_types(page, live_server, js=True, shot=screenshot)
    assert_one_all_types_response()


def test_sending_twice_without_javascript_makes_one_response(app: Flask, live_server: str, new_page: Any) -> None:
    """No script stops a second send, so the server's submission key must: a double click, then the
    same answers sent again from a second tab left open on Check your answers."""
    page = new_page("desktop", js=False)
    start(page, live_server, "I'm testing every question type")
    choose(page, "carried", "No")
    for following in ("more", "words"):  # skip every other question
        press(page, "Next")
        expect(page).to_have_url(f"{live_server}/survey/page/{following}")
    press(page, "Next")
    expect(page).to_have_url(live_server + "/survey/check")
    second_tab = page.context.new_page()
    second_tab.goto(live_server + "/survey/check")
    expect(second_tab.get_by_role("button", name="Send my answers")).to_be_visible()

    page.get_by_role("button", name="Send my answers").dblclick()
    expect(page).to_have_url(live_server + "/survey/thank-you")
    second_tab.get_by_role("button", name="Send my answers").click()
    expect(second_tab).to_have_url(live_server + "/survey/thank-you")
    expect(second_tab.get_by_role("heading", level=1)).to_have_text("Thank you")

    responses = stored_responses()
    assert len(responses) == 1, f"expected exactly one response, found {len(responses)}"
    assert stored_rows(responses[0]) == {"carried": [("no", None, None, None)]}


# --- 3: the children's questionnaire on a school tablet ------------------------------------------


def _answer_one_question(page: Any, visited: list[str]) -> None:
    """Answer whatever single question this page holds (the first sensible answer)."""
    block = page.locator("form .question")
    expect(block).to_have_count(1)  # one question per page
    faces = block.locator(".face-choice label")
    if faces.count():
        labels = faces.all()
        for label in labels:
            text = label.locator("span").inner_text().strip()
            assert text, "every face has words, not just a picture"
            expect(label.locator("span")).to_be_visible()
            box = label.bounding_box()
            assert box is not None
            assert box["width"] >= 44 and box["height"] >= 44, f"face target '{text}' is {box} (under 44x44)"
        # A child taps the middle of the face. (The radio button is laid invisibly over its label,
        # so the tap lands on the radio itself; tapping where the face is drawn is what matters.)
        labels[0].scroll_into_view_if_needed()
        box = labels[0].bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(block.locator("input[type=radio]").first).to_be_checked()
    elif block.locator("input[type=radio]").count():
        block.locator("input[type=radio]").first.check()
    elif block.locator("input[type=checkbox]").count():
        block.locator("input[type=checkbox]").first.check()
    elif block.locator("select").count():
        block.locator("select").select_option(index=1)
    elif block.locator("input[type=text], textarea").count():
        block.locator("input[type=text], textarea").fill("More parks")
    visited.append(page.url)


def test_childrens_questionnaire_on_a_tablet(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any
) -> None:
    """Children get one question per page and big faces with words, and can finish and send."""
    children = db.session.scalar(select(QuestionnaireVersion).filter_by(questionnaire_id="children"))
    if children is None:
        pytest.skip("the children's questionnaire (questionnaires/children.yaml, id 'children') is not loaded yet")
    label = children.definition["respondent_label"]
    base = shipped_server

    page = new_page("tablet", js=True)
    start(page, base, label)
    visited: list[str] = []
    total = None
    for number in range(1, 200):
        if page.url.endswith("/survey/check"):
            break
        progress = page.locator(".progress")
        expect(progress).to_have_text(re.compile(rf"^Question {number} of \d+$"))
        shown = int(progress.inner_text().rsplit(" ", 1)[1])
        assert total in (None, shown), f"the total changed from {total} to {shown}"  # it never jumps
        total = shown
        if number == 1:
            expect(page.locator("body")).to_have_class(re.compile(r"\btheme-children\b"))
            assert page.locator(".face-choice").count(), "the children's first question should use faces"
            screenshot(page, "children-faces-tablet")
        _answer_one_question(page, visited)
        press(page, "Next")
        expect(page).not_to_have_url(visited[-1])
    assert page.url.endswith("/survey/check"), "the children's questionnaire never reached Check your answers"
    assert total is not None and total >= len(visited), f"progress said up to {total} but there were {len(visited)}"
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_url(base + "/survey/thank-you")
    responses = stored_responses()
    assert len(responses) == 1
    assert responses[0].audience == "children"
    faces_keys = {q["key"] for p in children.definition["pages"] for q in p["questions"] if q["type"] == "faces"}
    assert faces_keys <= set(stored_rows(responses[0])), "every faces question was answered and stored"

    # The same faces on a phone: they stack, and stay big enough to tap.
    phone = new_page("phone", js=True)
    start(phone, base, label)
    for label_el in phone.locator(".face-choice label").all():
        box = label_el.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    screenshot(phone, "children-faces-phone")


# --- 4: privacy in the browser: nothing from anywhere else, one cookie ---------------------------


def test_no_third_party_requests_and_one_httponly_cookie(app: Flask, live_server: str, new_page: Any) -> None:
    page = new_page("phone", js=True)
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))

    cookie_names: set[str] = set()

    def note_cookies() -> None:
        cookie_names.update(c["name"] for c in page.context.cookies())

    walk_all_types(page, live_server, js=True)
    note_cookies()
    for path in ("/help", "/about-your-answers", "/accessibility", "/"):
        page.goto(live_server + path)
        note_cookies()

    assert requested, "no requests were recorded"
    elsewhere = sorted({url for url in requested if not url.startswith(live_server + "/")})
    assert not elsewhere, f"respondent pages asked other sites for: {elsewhere}"
    assert NEUTRAL_SITE not in requested  # the quick exit link was never followed

    assert cookie_names == {"cv_respondent"}, f"cookies set: {sorted(cookie_names)}"
    (cookie,) = page.context.cookies()
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == ""  # scripts can't read it


# --- 5: quick exit ------------------------------------------------------------------------------


def _fake_neutral_site(page: Any, base: str) -> None:
    """Serve the quick-exit site locally, and refuse anything else off the test server."""

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(NEUTRAL_SITE):
            route.fulfill(
                status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"
            )
        elif url.startswith(base + "/"):
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", handle)


@pytest.mark.parametrize("how", ["shift-three-times", "click-the-link"])
def test_quick_exit_replaces_the_survey_page_in_history(app: Flask, live_server: str, new_page: Any, how: str) -> None:
    page = new_page("phone", js=True)
    _fake_neutral_site(page, live_server)
    start(page, live_server, "I'm testing every question type")
    survey_url = page.url
    assert survey_url.endswith("/survey/page/choices")
    history_before = page.evaluate("history.length")

    wait_for_script(page, "respond")  # quick exit (both ways) is the script's
    if how == "shift-three-times":
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_url(NEUTRAL_SITE)
    expect(page).to_have_title("Weather")
    # location.replace: the survey page's history entry became the neutral site.
    assert page.evaluate("history.length") == history_before

    page.go_back()
    assert page.url != survey_url, "Back returned to the page the person was leaving"
    # Back reaches the survey's earlier page (each page is a history entry, so Back works while
    # answering), asked for afresh: with the answers and the cookie wiped it is the site's front page,
    # saying nothing of a survey having been under way on this device.
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_text("We couldn't find your answers")).to_have_count(0)
    expect(page.locator("input:checked")).to_have_count(0)


def test_shift_for_capitals_or_held_down_does_not_quick_exit(app: Flask, live_server: str, new_page: Any) -> None:
    """Typing capitals, or holding Shift while finding a key, must not throw a child out of the survey."""
    page = new_page("desktop", js=True)
    _fake_neutral_site(page, live_server)
    start(page, live_server, "I'm testing every question type")
    survey_url = page.url
    # Capital letters: Shift then a letter, three times over.
    for key in ("Shift+H", "Shift+I", "Shift+O"):
        page.keyboard.press(key)
    # Holding Shift down: the keyboard repeats the key (keydown with event.repeat set).
    page.keyboard.down("Shift")
    page.keyboard.down("Shift")
    page.keyboard.down("Shift")
    page.keyboard.down("Shift")
    page.keyboard.up("Shift")
    # Still here: the same page, still interactive (a round-trip proves no navigation is pending).
    assert page.evaluate("location.href") == survey_url
    press(page, "Next")
    expect(page).to_have_url(re.compile(r"/survey/page/more$"))
