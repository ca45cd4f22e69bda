"""The questionnaire as plain, immutable data: no Flask, no database.

A `Questionnaire` is built from the canonical dictionary the loader produces (and that a
questionnaire version stores), so the web app, the analysis library and tests all read the
same structure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

AUDIENCES = ("children", "young_people", "young_adults", "parents_carers", "professionals")
#: How a questionnaire is laid out: "easy-read" is one question per page, larger words and symbols.
PRESENTATIONS = ("standard", "easy-read")

#: Types whose answer is one chosen option value.
SINGLE_VALUE_TYPES = frozenset({"single_choice", "scale", "faces", "area", "demographic"})
CHOICE_TYPES = SINGLE_VALUE_TYPES | {"multiple_choice", "ranking"}
TEXT_TYPES = frozenset({"short_text", "long_text"})
QUESTION_TYPES = CHOICE_TYPES | TEXT_TYPES | {"number"}

#: An answer as kept in a draft and passed around: {"values": [...], "text": str, "number": int}.
Answer = dict[str, Any]
Answers = Mapping[str, Answer]


@dataclass(frozen=True)
class Option:
    """One answer a respondent can choose."""

    value: str
    label: str
    exclusive: bool = False  #: cannot be ticked with anything else
    other_text: bool = False  #: comes with a text box ("Other — please tell us")
    group: str | None = None  #: heading it sits under (ethnic groups)
    special: bool = False  #: not a point on the scale (Don't know, Prefer not to say)
    symbol: str | None = None  #: a picture beside the words: static/symbols/<symbol>.svg


@dataclass(frozen=True)
class Condition:
    """A routing condition over earlier answers."""

    op: str  # in, not_in, includes, min, max, answered, all, any
    question: str | None = None
    values: tuple[str, ...] = ()
    number: int | None = None
    flag: bool | None = None
    conditions: tuple[Condition, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Condition:
        """Build from the canonical dictionary form."""
        return cls(
            op=data["op"],
            question=data.get("question"),
            values=tuple(data.get("values", ())),
            number=data.get("number"),
            flag=data.get("flag"),
            conditions=tuple(cls.from_dict(c) for c in data.get("conditions", ())),
        )

    def questions(self) -> Iterator[str]:
        """Every question key this condition looks at."""
        if self.question:
            yield self.question
        for child in self.conditions:
            yield from child.questions()

    def holds(self, answers: Answers) -> bool:
        """Whether the condition is true for these answers (a missing answer makes it false)."""
        if self.op == "all":
            return all(c.holds(answers) for c in self.conditions)
        if self.op == "any":
            return any(c.holds(answers) for c in self.conditions)
        answer = answers.get(self.question or "")
        if self.op == "answered":
            return is_answered(answer) == bool(self.flag)
        if not is_answered(answer):
            return False
        assert answer is not None
        chosen = answer.get("values") or []
        if self.op == "in":
            return any(v in self.values for v in chosen)
        if self.op == "not_in":
            return bool(chosen) and not any(v in self.values for v in chosen)
        if self.op == "includes":
            return all(v in chosen for v in self.values)
        number = answer.get("number")
        if number is None or self.number is None:
            return False
        return number >= self.number if self.op == "min" else number <= self.number


def is_answered(answer: Answer | None) -> bool:
    """Whether an answer holds anything at all."""
    if not answer:
        return False
    return bool(answer.get("values")) or bool(answer.get("text")) or answer.get("number") is not None


@dataclass(frozen=True)
class Question:
    """One question, with everything needed to show it, check it and analyse it."""

    key: str
    type: str
    text: str
    page: str
    hint: str = ""
    measure: str | None = None
    source: str = ""
    sensitive: bool = False
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    scale: str | None = None
    top_box: tuple[str, ...] = ()
    demographic: str | None = None
    area_list: str | None = None
    max_choices: int | None = None
    max_rank: int | None = None
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    unit: str = ""
    symbol: str | None = None  #: a picture beside the question: static/symbols/<symbol>.svg

    @property
    def is_choice(self) -> bool:
        """Whether answers are option values."""
        return self.type in CHOICE_TYPES

    @property
    def is_text(self) -> bool:
        """Whether this is a free-text question."""
        return self.type in TEXT_TYPES

    def option(self, value: str) -> Option | None:
        """The option with this value, if any."""
        return next((o for o in self.options if o.value == value), None)

    def label(self, value: str) -> str:
        """The label shown for a stored value (the value itself if unknown)."""
        option = self.option(value)
        return option.label if option else value

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], page: str) -> Question:
        """Build from the canonical dictionary form."""
        return cls(
            key=data["key"],
            type=data["type"],
            text=data["text"],
            page=page,
            hint=data.get("hint", ""),
            measure=data.get("measure"),
            source=data.get("source", ""),
            sensitive=data.get("sensitive", False),
            show_if=Condition.from_dict(data["show_if"]) if data.get("show_if") else None,
            options=tuple(Option(**o) for o in data.get("options", ())),
            scale=data.get("scale"),
            top_box=tuple(data.get("top_box", ())),
            demographic=data.get("demographic"),
            area_list=data.get("area_list"),
            max_choices=data.get("max_choices"),
            max_rank=data.get("max_rank"),
            max_length=data.get("max_length"),
            min=data.get("min"),
            max=data.get("max"),
            unit=data.get("unit", ""),
            symbol=data.get("symbol"),
        )


@dataclass(frozen=True)
class Page:
    """A page of questions as the respondent sees it."""

    key: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    content_note: str = ""
    show_if: Condition | None = None

    def visible_questions(self, answers: Answers) -> list[Question]:
        """The questions on this page that routing shows for these answers."""
        return [q for q in self.questions if q.show_if is None or q.show_if.holds(answers)]


@dataclass(frozen=True)
class Questionnaire:
    """A survey instrument for one audience."""

    id: str
    audience: str
    title: str
    respondent_label: str
    pages: tuple[Page, ...]
    intro: str = ""
    one_question_per_page: bool = False
    age_range: tuple[int, int] | None = None
    presentation: str = "standard"
    #: words for the thank-you page, in place of the app's own (easy read says it in easy read)
    thank_you: str = ""
    #: whether "Save and come back later" is offered (not to young children: four words to keep is too much)
    save_for_later: bool = True
    _by_key: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({q.key: q for q in self.questions()})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Questionnaire:
        """Build from the canonical dictionary form (as stored in a questionnaire version)."""
        pages = []
        presentation = data.get("presentation", "standard")
        # Easy read always asks one thing at a time, whatever the file says.
        one_per_page = bool(data.get("one_question_per_page")) or presentation == "easy-read"
        for p in data["pages"]:
            questions = tuple(Question.from_dict(q, p["key"]) for q in p["questions"])
            show_if = Condition.from_dict(p["show_if"]) if p.get("show_if") else None
            if one_per_page:
                # Each question becomes its own page; the page's condition and note stay with it.
                for i, q in enumerate(questions):
                    pages.append(
                        Page(
                            key=q.key,
                            title=p["title"],
                            questions=(q,),
                            intro=p.get("intro", "") if i == 0 else "",
                            content_note=p.get("content_note", "") if i == 0 else "",
                            show_if=show_if,
                        )
                    )
            else:
                pages.append(
                    Page(
                        key=p["key"],
                        title=p["title"],
                        questions=questions,
                        intro=p.get("intro", ""),
                        content_note=p.get("content_note", ""),
                        show_if=show_if,
                    )
                )
        age = data.get("age_range")
        return cls(
            id=data["id"],
            audience=data["audience"],
            title=data["title"],
            respondent_label=data["respondent_label"],
            pages=tuple(pages),
            intro=data.get("intro", ""),
            one_question_per_page=one_per_page,
            age_range=(age[0], age[1]) if age else None,
            presentation=presentation,
            thank_you=data.get("thank_you", ""),
            save_for_later=data.get("save_for_later", True),
        )

    def questions(self) -> Iterator[Question]:
        """Every question, in order."""
        for page in self.pages:
            yield from page.questions

    def question(self, key: str) -> Question:
        """The question with this key (KeyError if none)."""
        return self._by_key[key]

    def visible_pages(self, answers: Answers) -> list[Page]:
        """Pages routing shows for these answers, skipping pages with no question left to show."""
        shown: dict[str, Answer] = {}
        pages = []
        for page in self.pages:
            # Conditions look only at answers to questions that are themselves shown, so
            # changing an early answer cleanly hides every follow-up that depended on it.
            if page.show_if is not None and not page.show_if.holds(shown):
                continue
            # Conditions only look at earlier pages (the checker insists), so the page can be
            # routed before it is shown, which keeps the journey working without JavaScript.
            visible = page.visible_questions(shown)
            for q in visible:
                if is_answered(answers.get(q.key)):
                    shown[q.key] = answers[q.key]
            if visible:
                pages.append(page)
        return pages

    def visible_answers(self, answers: Answers) -> dict[str, Answer]:
        """Only the answers to questions that routing shows, in questionnaire order."""
        kept: dict[str, Answer] = {}
        for page in self.visible_pages(answers):
            for q in page.visible_questions(kept):
                if is_answered(answers.get(q.key)):
                    kept[q.key] = answers[q.key]
        return kept
