"""How long a questionnaire takes, worked out from what is on its pages rather than promised.

The estimate is reading time plus answering time:

- reading: every word a respondent reads (the introduction, page titles, introductions and notes,
  each question, its hint and its answers) at a reading speed for the audience. Adults read plain
  text silently at about 240 words a minute (Brysbaert 2019, "How many words do we read per
  minute?"); we take 200 for a survey, where people read carefully. Young people get 150,
  primary-age children 90 (they are still building fluency and many read along with an adult), and
  easy read 80, for readers who find reading hard.
- answering: seconds per question by type, once it has been read: a tap on a scale or faces takes
  about 3 seconds, a single choice 4, ticking boxes 8, a ranking 15, a short answer 20 and a long
  one 45 (about half of people leave a text box empty, which the demo data also assumes).

Questions shown only after some answers (`show_if`) count at half, since roughly half of people
see a typical follow-up; the shortest and longest routes are also given. The figures are rounded up
to whole minutes, so "about 6 minutes" is never an underestimate of the typical route.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from questionnaires.model import Question, Questionnaire

#: Words read per minute, by audience (and for easy read, whatever the audience).
READING_WPM = {"children": 90, "young_people": 150, "young_adults": 200, "parents_carers": 200, "professionals": 200}
EASY_READ_WPM = 80
#: Seconds to answer a question once read, by type.
ANSWER_SECONDS = {
    "scale": 3.0,
    "faces": 3.0,
    "single_choice": 4.0,
    "demographic": 4.0,
    "area": 6.0,
    "number": 5.0,
    "multiple_choice": 8.0,
    "ranking": 15.0,
    "short_text": 20.0,
    "long_text": 45.0,
}
#: The share of people a routed follow-up is counted for.
FOLLOW_UP_SHARE = 0.5

_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Length:
    """A questionnaire's measured length."""

    questions: int  #: questions everyone is shown
    follow_ups: int  #: questions shown only after some answers
    words: int  #: words on every page, follow-ups included
    seconds: float  #: the typical route, unrounded
    minutes: int  #: the typical route, rounded up
    shortest: int  #: minutes with no follow-up shown
    longest: int  #: minutes with every follow-up shown


def words_in(text: str) -> int:
    """How many words a piece of text has."""
    return len(_WORD.findall(text or ""))


def question_words(q: Question) -> int:
    """Words read for one question: its text, hint and the answers it offers."""
    return words_in(q.text) + words_in(q.hint) + sum(words_in(o.label) for o in q.options)


def measure(questionnaire: Questionnaire) -> Length:
    """Reading plus answering time for the shortest, typical and longest routes."""
    wpm = EASY_READ_WPM if questionnaire.presentation == "easy-read" else READING_WPM.get(questionnaire.audience, 200)
    fixed = words_in(questionnaire.intro) + words_in(questionnaire.title)
    seen_titles: set[str] = set()
    for page in questionnaire.pages:
        if page.title not in seen_titles:  # one page split per question keeps its title once
            seen_titles.add(page.title)
            fixed += words_in(page.title)
        fixed += words_in(page.intro) + words_in(page.content_note)
    always = routed = 0.0
    questions = follow_ups = words = 0
    for page in questionnaire.pages:
        for q in page.questions:
            n = question_words(q)
            words += n
            seconds = n / wpm * 60 + ANSWER_SECONDS.get(q.type, 4.0)
            if q.show_if is None and page.show_if is None:
                questions += 1
                always += seconds
            else:
                follow_ups += 1
                routed += seconds
    base = always + fixed / wpm * 60
    return Length(
        questions=questions,
        follow_ups=follow_ups,
        words=words + fixed,
        seconds=base + FOLLOW_UP_SHARE * routed,
        minutes=_minutes(base + FOLLOW_UP_SHARE * routed),
        shortest=_minutes(base),
        longest=_minutes(base + routed),
    )


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))
