"""Every shipped questionnaire, answered end to end in real Chromium as a respondent would: by touch on a
phone and by keyboard alone, in English and in Urdu (right to left), then the stored response checked.

Run with: python -m pytest tests/browser -q   (needs /usr/bin/chromium and the playwright package)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from babel.support import Translations
from flask import Flask
from sqlalchemy import select

from survey_app.config import PACKAGE
from survey_app.extensions import db
from survey_app.models import QuestionnaireVersion, Response
from tests.browser.conftest import wait_for_script

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

SHIPPED = ["children", "young-people", "young-people-easy-read", "young-adults", "parents-carers", "professionals"]
TEXT_ANSWER = "More parks and youth clubs"
#: Most Tab presses allowed to reach a control; more means it can't be reached (or focus is trapped).
MAX_TABS = 400

#: Expected stored answers: question key -> ("values", [...]) or ("text", "...")
Expected = dict[str, tuple[str, Any]]


# --- helpers shared with the accessibility suite ---------------------------------------------------


def stored_responses() -> list[Response]:
    """Every response in the database, read afresh (the live server writes from other threads)."""
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.scalars(select(Response)))


def stored_answers(response: Response) -> Expected:
    """A stored response in the same shape as Expected."""
    found: dict[str, tuple[str, Any]] = {}
    for a in sorted(response.answers, key=lambda a: (a.question_key, a.position)):
        if a.value is not None:
            kind, values = found.get(a.question_key, ("values", []))
            found[a.question_key] = ("values", [*values, a.value])
        elif a.text is not None:
            found[a.question_key] = ("text", a.text)
        else:
            found[a.question_key] = ("number", a.number)
    return found


def respondent_label(questionnaire_id: str, locale: str = "en") -> str:
    """What the questionnaire's choice says on 'Which of these best describes you?'."""
    version = db.session.scalar(select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire_id))
    if version is None:
        pytest.skip(f"questionnaire {questionnaire_id!r} is not shipped")
    if locale == "en":
        return str(version.definition["respondent_label"])
    from questionnaires.translation import catalogue

    english = str(version.definition["respondent_label"])
    translated = catalogue(PACKAGE / "translations", locale).gettext(english)
    assert translated != english, f"no {locale} translation of {questionnaire_id}'s respondent label"
    return translated


def blocks(page: Any) -> list[Any]:
    """The question blocks on this page, in order."""
    return page.locator("form .question").all()


def plan(block: Any) -> tuple[str, str, tuple[str, Any]]:
    """What to do with one question: (key, kind of control, expected stored answer). Chooses the first
    answer, as a hurried respondent might; that also walks every 'Yes' into its follow-up questions."""
    key = str(block.get_attribute("id")).removeprefix("q-")
    if block.locator("input[type=radio]").count():
        return key, "radio", ("values", [block.locator("input[type=radio]").first.get_attribute("value")])
    if block.locator("input[type=checkbox]").count():
        return key, "checkbox", ("values", [block.locator("input[type=checkbox]").first.get_attribute("value")])
    if block.locator("select").count():
        value = block.locator("select").first.locator("option").nth(1).get_attribute("value")
        return key, "select", ("values", [value])
    if block.locator("input.input-number").count():
        return key, "number", ("number", 2)
    return key, "text", ("text", TEXT_ANSWER)


def answer_by_touch(page: Any, block: Any, kind: str, expected: tuple[str, Any]) -> None:
    """Answer by tapping the answer's words (or typing), as on a phone."""
    if kind in ("radio", "checkbox"):
        control = block.locator(f"input[value='{expected[1][0]}']").first
        label = block.locator(f"label[for='{control.get_attribute('id')}']")
        label.scroll_into_view_if_needed()
        # Tap where the words are drawn (children's faces lay the radio invisibly over its label).
        box = label.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(control).to_be_checked()
    elif kind == "select":
        block.locator("select").first.select_option(expected[1][0])
    elif kind == "number":
        block.locator("input.input-number").tap()
        page.keyboard.type(str(expected[1]))
    else:
        box = block.locator("textarea, input[type=text]:not([name$='-other'])").first
        box.scroll_into_view_if_needed()
        box.tap()
        expect(box).to_be_focused()
        # fill(), not keyboard.type(): emulated mobile Chromium drops synthetic key presses into a
        # second text box tapped on the same page (a test-harness quirk; keyboard-only runs type).
        box.fill(TEXT_ANSWER)


def tab_to(page: Any, test: str, what: str, arg: Any = None) -> None:
    """Press Tab until `test(document.activeElement, arg)` holds; fail if it never does (unreachable or trapped)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(arg) => {{ const el = document.activeElement; return !!el && ({test}); }}", arg):
            return
    pytest.fail(f"{what} could not be reached with the Tab key on {page.url}")


def answer_by_keyboard(page: Any, block: Any, key: str, kind: str, expected: tuple[str, Any]) -> None:
    """Answer with the keyboard only: Tab to the control, then Space, arrow keys or typing."""
    if kind in ("radio", "checkbox"):
        tab_to(page, "el.name === arg", f"question {key}", key)
        page.keyboard.press("Space")
        expect(block.locator(f"input[value='{expected[1][0]}']").first).to_be_checked()
    elif kind == "select":
        name = block.locator("select").first.get_attribute("name")
        tab_to(page, "el.name === arg", f"question {key}", name)
        page.keyboard.press("ArrowDown")
        expect(block.locator("select").first).to_have_value(expected[1][0])
    else:
        tab_to(page, "el.name === arg && el.type !== 'hidden'", f"question {key}", key)
        page.keyboard.type(str(expected[1]) if kind == "number" else TEXT_ANSWER)


def start_survey(page: Any, base: str, label: str, keyboard: bool, lang: str = "en") -> None:
    """Landing page -> 'Which of these best describes you?' -> intro -> the first questions."""
    page.goto(base + "/" + (f"?lang={lang}" if lang != "en" else ""))
    wait_for_script(page, "respond")
    if keyboard:
        tab_to(page, "el.classList.contains('start')", "the start button")
        page.keyboard.press("Enter")
        expect(page).to_have_url(base + "/start")
        wait_for_script(page, "respond")
        # A group of radio buttons is one Tab stop; the arrow keys move between (and choose) its answers.
        tab_to(page, "el.name === 'questionnaire'", "the choices")
        page.keyboard.press("Space")
        for _ in range(10):
            if page.evaluate("(arg) => document.activeElement.labels[0].textContent.trim() === arg", label):
                break
            page.keyboard.press("ArrowDown")
        expect(page.get_by_label(label, exact=True)).to_be_checked()
        tab_to(page, "el.type === 'submit'", "Continue")
        page.keyboard.press("Enter")
        expect(page).to_have_url(base + "/survey/intro")
        wait_for_script(page, "respond")
        tab_to(page, "el.classList.contains('start')", "Start")
        page.keyboard.press("Enter")
    else:
        page.locator("a.start").tap()
        expect(page).to_have_url(base + "/start")
        wait_for_script(page, "respond")
        page.get_by_label(label, exact=True).tap()
        page.locator("form button[type=submit]").tap()
        expect(page).to_have_url(base + "/survey/intro")
        wait_for_script(page, "respond")
        page.locator("a.start").tap()
    expect(page).to_have_url(re.compile(re.escape(base) + r"/survey/page/[\w-]+$"))
    wait_for_script(page, "respond")


def complete(page: Any, base: str, keyboard: bool, on_page: Callable[[Any], None] | None = None) -> Expected:
    """Answer every page until Check your answers; returns what should be stored."""
    expected: Expected = {}
    seen: list[str] = []
    while not page.url.endswith("/survey/check"):
        assert len(seen) < 80, "the questionnaire never reached Check your answers"
        seen.append(page.url)
        wait_for_script(page, "respond")
        if on_page:
            on_page(page)
        for block in blocks(page):
            key, kind, want = plan(block)
            (answer_by_keyboard(page, block, key, kind, want) if keyboard else answer_by_touch(page, block, kind, want))
            expected[key] = want
        if keyboard:
            tab_to(page, "el.type === 'submit' && el.value === 'continue'", "the Next/Continue button")
            page.keyboard.press("Enter")
        else:
            page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(seen[-1])
    return expected


def send(page: Any, base: str, keyboard: bool) -> None:
    """Send from Check your answers and arrive at Thank you."""
    wait_for_script(page, "respond")
    if keyboard:
        tab_to(page, "el.type === 'submit'", "the send button")
        page.keyboard.press("Enter")
    else:
        page.locator("form button[type=submit]").tap()
    expect(page).to_have_url(base + "/survey/thank-you")


# --- the journeys ------------------------------------------------------------------------------


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
@pytest.mark.parametrize("how", ["touch-on-a-phone", "keyboard-only"])
def test_every_shipped_questionnaire_end_to_end(
    shipped_app: Flask, shipped_server: str, new_page: Any, questionnaire_id: str, how: str
) -> None:
    keyboard = how == "keyboard-only"
    page = new_page("desktop" if keyboard else "phone", js=True)
    start_survey(page, shipped_server, respondent_label(questionnaire_id), keyboard)
    expected = complete(page, shipped_server, keyboard)
    send(page, shipped_server, keyboard)
    (response,) = stored_responses()
    assert response.version.questionnaire_id == questionnaire_id
    assert (response.language, response.completion) == ("en", "complete")
    assert stored_answers(response) == expected


#: Every shipped questionnaire in Urdu by touch on a phone; by keyboard alone (arrow keys run the other
#: way in right-to-left pages) for the questionnaires whose question types the others do not have
#: (children's faces, easy-read symbols) and the young people's, the one most answered. Every
#: questionnaire is also answered by keyboard in English above. And the young people's in Arabic, the
#: other right-to-left language.
RTL_KEYBOARD = ("children", "young-people", "young-people-easy-read")
RTL_JOURNEYS = (
    [(qid, "ur", "touch-on-a-phone") for qid in SHIPPED]
    + [(qid, "ur", "keyboard-only") for qid in SHIPPED if qid in RTL_KEYBOARD]
    + [("young-people", "ar", "touch-on-a-phone")]
)


@pytest.mark.parametrize(("questionnaire_id", "locale", "how"), RTL_JOURNEYS)
def test_every_shipped_questionnaire_right_to_left(
    shipped_app: Flask,
    shipped_server: str,
    new_page: Any,
    screenshot: Any,
    questionnaire_id: str,
    locale: str,
    how: str,
) -> None:
    keyboard = how == "keyboard-only"
    page = new_page("desktop" if keyboard else "phone", js=True)
    start_survey(page, shipped_server, respondent_label(questionnaire_id, locale), keyboard, lang=locale)
    shots: list[str] = []

    def check_rtl(p: Any) -> None:
        expect(p.locator("html")).to_have_attribute("dir", "rtl")
        expect(p.locator("html")).to_have_attribute("lang", locale)
        # The layout really mirrors: the question text starts at the right-hand edge.
        first = p.locator("form .question").first
        box, main = first.bounding_box(), p.locator("main").bounding_box()
        assert box["x"] + box["width"] > main["x"] + main["width"] - 40, "question is not on the right"
        if not keyboard and not shots:
            shots.append(str(screenshot(p, f"{questionnaire_id}-{locale}-rtl-phone")))

    expected = complete(page, shipped_server, keyboard, on_page=check_rtl)
    send(page, shipped_server, keyboard)
    thank_you = Translations.load(str(PACKAGE / "translations"), [locale]).gettext("Thank you")
    assert thank_you != "Thank you", f"the {locale} interface catalogue is missing"
    expect(page.locator("h1")).to_have_text(thank_you)
    (response,) = stored_responses()
    assert (response.version.questionnaire_id, response.language) == (questionnaire_id, locale)
    assert stored_answers(response) == expected  # the same values as an English respondent's


def test_changing_language_mid_survey_keeps_answers(shipped_app: Flask, shipped_server: str, new_page: Any) -> None:
    page = new_page("phone", js=True)
    start_survey(page, shipped_server, respondent_label("young-people"), keyboard=False)
    page.locator("#q-feel_safe_area label").first.tap()
    first = page.url
    page.locator("button[value=continue]").tap()
    expect(page).not_to_have_url(first)
    wait_for_script(page, "respond")
    page.locator("button[value=back]").tap()
    expect(page).to_have_url(first)
    wait_for_script(page, "respond")
    page.locator("nav.languages [lang=ur]").tap()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    wait_for_script(page, "respond")
    expect(page.locator("#q-feel_safe_area input").first).to_be_checked()  # nothing lost
    page.locator("nav.languages [lang=en]").tap()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("#q-feel_safe_area input").first).to_be_checked()
