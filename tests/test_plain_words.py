"""The interface's own words on a question page are the plainest for children and easy read, and a longer short
answer gets a box that wraps (on a phone a one-line box hides a sentence as it is typed)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from questionnaires.loader import load_questionnaire, questionnaire_files
from tests.journey_helpers import begin

SHIPPED = {path.stem: load_questionnaire(path) for path in questionnaire_files()}


def _page(app: Flask, questionnaire: str, key: str) -> str:
    client = app.test_client()
    begin(client, questionnaire)
    page = client.get(f"/survey/page/{key}")
    assert page.status_code == 200, (questionnaire, key, page.status_code)
    return page.text


def _progress(html: str) -> str:
    match = re.search(r'<p class="progress"[^>]*>([^<]+)</p>', html)
    assert match
    return match.group(1).strip()


def test_a_child_reads_how_far_they_are_and_that_they_may_pick_more_than_one(shipped_app: Flask) -> None:
    children = SHIPPED["children"]
    worries = _page(shipped_app, "children", "worries")
    # Pages asked only after some answers (a follow-up) are not counted until they are shown.
    asked = [p.key for p in children.pages if any(q.show_if is None for q in p.questions)]
    number = asked.index("worries") + 1
    assert _progress(worries) == f"Question {number} of {len(children.pages)}"
    assert "You can pick more than one." in worries
    assert "all that apply" not in worries and "up to" not in _progress(worries)
    assert "You can pick up to 3." in _page(shipped_app, "children", "what_would_help")


def test_easy_read_gets_the_same_plain_words(shipped_app: Flask) -> None:
    easy = SHIPPED["young-people-easy-read"]
    key, question = next(
        (p.key, q)
        for p in easy.pages
        for q in p.questions
        if q.type == "multiple_choice" and not q.max_choices and q.show_if is None and p.show_if is None
    )
    html = _page(shipped_app, "young-people-easy-read", key)
    assert "You can pick more than one." in html and "all that apply" not in html
    assert re.fullmatch(r"Question \d+ of \d+", _progress(html)), question.key


def test_older_respondents_keep_the_exact_words(shipped_app: Flask) -> None:
    young = SHIPPED["young-people"]
    key = next(
        p.key
        for p in young.pages
        if p.show_if is None
        and any(q.type == "multiple_choice" and not q.max_choices and q.show_if is None for q in p.questions)
    )
    html = _page(shipped_app, "young-people", key)
    assert "Choose all that apply." in html and "You can pick" not in html
    assert re.fullmatch(r"(Question|Page) \d+ of up to \d+", _progress(html))


@pytest.mark.parametrize("key", ["make_better"])
def test_a_short_answer_has_a_box_that_wraps_and_keeps_its_limit(shipped_app: Flask, key: str) -> None:
    question = next(q for q in SHIPPED["children"].questions() if q.key == key)
    assert question.type == "short_text"
    html = _page(shipped_app, "children", key)
    box = re.search(rf'<textarea id="{key}" name="{key}" rows="(\d+)" data-max-length="(\d+)"', html)
    assert box, "a short answer is typed into a box that wraps"
    assert int(box.group(1)) >= 3 and int(box.group(2)) == question.max_length
    assert f'<input type="text" id="{key}"' not in html


def test_a_few_words_keep_one_line_where_enter_means_next(client, loaded) -> None:  # type: ignore[no-untyped-def]
    begin(client)
    html = client.get("/survey/page/words").text
    assert '<input type="text" id="one_word" name="one_word"' in html  # 20 characters at most
    assert '<textarea id="one_word"' not in html
