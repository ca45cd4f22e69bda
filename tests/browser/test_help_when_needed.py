"""Help when it is needed, in real Chromium on a 375 px phone, with and without JavaScript, in English
and in Arabic (right to left): help shows at the top of the page after the answer and nowhere for a
respondent who is fine; after sending, each service is listed once, most urgent first, as tel:/sms:
links, with no "tell an adult you trust" for someone who has none; the cookie carries nothing derived
from the answers; axe-core finds no violations. Screenshots go to /tmp/screens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.browser.axe import assert_accessible
from tests.browser.conftest import _SCRIPTS_OFF, wait_for_script
from tests.browser.test_respondent_journeys import respondent_label, send, start_survey

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

WAYS = [(True, "en"), (False, "en"), (True, "ar"), (False, "ar")]


def _ids(way: tuple[bool, str]) -> str:
    return f"{'js' if way[0] else 'nojs'}-{way[1]}"


def _continue(page: Any) -> None:
    before = page.url
    page.locator("form button[value=continue]").tap()
    expect(page).not_to_have_url(before)
    wait_for_script(page, "respond")


def _go_to_question(page: Any, key: str) -> None:
    """Skip pages (answering nothing) until the one that asks `key`."""
    for _ in range(60):
        if page.locator(f"#q-{key}").count():
            return
        _continue(page)
    pytest.fail(f"never reached question {key}")


def _choose(page: Any, key: str, value: str) -> None:
    control = page.locator(f"#q-{key} input[value='{value}']")
    label = page.locator(f"label[for='{control.get_attribute('id')}']")
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    if box["y"] + box["height"] > page.viewport_size["height"] - 120:  # clear of the sticky quick exit
        before = box["y"]
        page.mouse.wheel(0, 240)
        for _ in range(100):  # the scroll lands in a later frame: wait for it, not for a time
            box = label.bounding_box()
            if box["y"] != before:
                break
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(control).to_be_checked()


def _accessible(page: Any, new_page: Any, where: str) -> None:
    """axe-core on the page as shown. A page without JavaScript cannot run axe-core itself, so what it
    was shown is opened, at the same address and with the same cookie, in a second browser that can."""
    if _scripts_on(page):
        assert_accessible(page, where)
        return
    twin = new_page("phone", js=True)
    twin.context.add_cookies(page.context.cookies())
    twin.goto(page.url)
    # what this browser was shown, at its address: some help is shown once only (after sending)
    twin.set_content(page.content())
    assert_accessible(twin, f"{where}, as served without JavaScript")


def _scripts_on(page: Any) -> bool:
    return page.context not in _SCRIPTS_OFF


def _start(new_page: Any, base: str, questionnaire: str, js: bool, lang: str) -> Any:
    page = new_page("phone", js=js)
    start_survey(page, base, respondent_label(questionnaire, lang), keyboard=False, lang=lang)
    return page


@pytest.mark.parametrize("way", WAYS, ids=_ids)
def test_help_shows_right_after_the_answer_and_not_for_someone_who_is_fine(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, way: tuple[bool, str]
) -> None:
    js, lang = way
    page = _start(new_page, shipped_server, "young-people", js, lang)
    panel = page.locator("[data-tailored-support]")
    _go_to_question(page, "feel_safe_home")
    expect(panel).to_have_count(0)  # nothing so far: nothing was said that calls for it
    _choose(page, "feel_safe_home", "fairly_unsafe")
    _continue(page)
    # The next page opens with calm help above its questions, with numbers to tap.
    expect(panel).to_have_count(1)
    expect(panel.locator("a[href='tel:08001111']")).to_be_visible()
    expect(panel.locator("a[href='tel:999']")).to_be_visible()
    above = page.evaluate(
        "() => document.querySelector('[data-tailored-support]').getBoundingClientRect().bottom"
        " <= document.querySelector('main form').getBoundingClientRect().top"
    )
    assert above, "the help should come before the questions"
    if lang == "en":
        expect(panel).to_contain_text("do not always feel safe at home")
        expect(panel).to_contain_text("adult you trust")
    else:
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _accessible(page, new_page, f"a page with help after an answer ({lang})")
    screenshot(page, f"help-after-answer-{_ids(way)}-375")
    # Only right after: the next page is calm again, and changing the answer to a fine one removes it.
    _continue(page)
    expect(panel).to_have_count(0)


@pytest.mark.parametrize("way", WAYS, ids=_ids)
def test_a_child_with_no_trusted_adult_gets_childline_and_is_not_told_to_tell_one(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, way: tuple[bool, str]
) -> None:
    js, lang = way
    page = _start(new_page, shipped_server, "children", js, lang)
    _go_to_question(page, "trusted_adult")
    _choose(page, "trusted_adult", "no")
    _continue(page)
    panel = page.locator("[data-tailored-support]")
    expect(panel).to_have_count(1)
    expect(panel.locator("li", has_text="Childline")).to_have_count(1)
    expect(panel.locator("a[href='tel:08001111']")).to_be_visible()
    expect(panel).not_to_contain_text("Samaritans")  # a children's service for a child
    if lang == "en":
        expect(panel).to_contain_text("isn't a grown-up you trust")
        expect(panel).not_to_contain_text("like a teacher")
    _accessible(page, new_page, f"a child's page with help ({lang})")
    screenshot(page, f"help-child-no-trusted-adult-{_ids(way)}-375")


def _answer_everything_worrying(page: Any) -> None:
    """Young people's questionnaire: unsafe at home, attacked, carrying a knife to look tough, asked by
    someone older to carry things, no trusted adult; everything else skipped."""
    wanted = {
        "feel_safe_home": ["very_unsafe"],
        "victim_violence": ["yes"],
        "carried_weapon": ["yes"],
        "why_carried": ["friends_do", "respect"],
        "asked_by_older": ["yes"],
        "trusted_adult": ["no"],
    }
    for _ in range(60):
        if page.url.endswith("/survey/check"):
            return
        for key, values in wanted.items():
            if page.locator(f"#q-{key}").count():
                for value in values:
                    _choose(page, key, value)
        _continue(page)
    pytest.fail("never reached Check your answers")


@pytest.mark.parametrize("way", WAYS, ids=_ids)
def test_after_sending_each_service_once_most_urgent_first_and_nothing_in_the_cookie(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, way: tuple[bool, str]
) -> None:
    js, lang = way
    page = _start(new_page, shipped_server, "young-people", js, lang)
    _answer_everything_worrying(page)
    send(page, shipped_server, keyboard=False)
    help_lists = page.locator("main .support-list")
    # Childline once in the whole page (it was four times), every number a link to call.
    expect(help_lists.locator("li", has_text="Childline")).to_have_count(1)
    expect(page.locator("main a[href='tel:08001111']")).to_have_count(1)
    for number in page.locator("main .support-list a.phone").all():
        assert re.fullmatch(r"(tel:\d+|sms:\d+\?body=\w+)", number.get_attribute("href") or "")
    expect(page.locator("main a[href^='sms:85258']")).to_have_count(1)  # a text service is texted
    panel = page.locator("[data-tailored-support]")
    first = panel.locator(".support-list li").first
    expect(first.locator("a[href='tel:999']")).to_be_visible()  # most urgent first
    # What they said is folded away under a neutral heading: it could be read over a shoulder.
    why = panel.locator("details.support-why")
    expect(why).not_to_have_attribute("open", "")
    expect(panel.locator("h2")).not_to_contain_text("told us")
    why.locator("summary").click()
    if lang == "en":
        messages = panel.locator("details p").all_inner_texts()
        assert messages[0].startswith("You told us you do not always feel safe at home")
        assert not any("adult you trust" in m for m in messages)  # they said they have none
        expect(panel).to_contain_text("Most young people never carry a knife")
        expect(panel).to_contain_text("carry, hide or deliver things")
        expect(panel).to_contain_text("hurt, threatened or attacked you")
    # The cookie is signed, not encrypted: nothing derived from the answers may be in it.
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "cv_respondent"]
    data = shipped_app.session_interface.get_signing_serializer(shipped_app).loads(cookie["value"])  # type: ignore[attr-defined]
    for derived in ("home", "trusted", "exploitation", "weapon", "attacked", "young_people", "support"):
        assert derived not in repr(data), f"{derived!r} is in the cookie: {data}"
    _accessible(page, new_page, f"the thank-you page with help ({lang})")
    screenshot(page, f"thank-you-several-topics-{_ids(way)}-375")


@pytest.mark.parametrize("way", [(True, "en"), (False, "ar")], ids=_ids)
def test_help_from_the_start_page_lists_childrens_and_adults_services(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, way: tuple[bool, str]
) -> None:
    """Before a questionnaire is chosen a child may be the one reading."""
    js, lang = way
    page = new_page("phone", js=js)
    page.goto(shipped_server + f"/start?lang={lang}")
    page.locator("a.help-link").first.tap()
    expect(page).to_have_url(re.compile(r"/help"))
    services = page.locator("main .support-list")
    for name in ("Childline", "NSPCC", "Samaritans", "Crimestoppers"):
        expect(services.locator("li", has_text=name)).to_have_count(1)
    expect(services.locator("a[href='tel:08001111']")).to_be_visible()
    _accessible(page, new_page, f"the help page before choosing ({lang})")
    screenshot(page, f"help-from-start-{_ids(way)}-375")
