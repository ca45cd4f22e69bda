"""One small class per question type: read submitted input, check it kindly, and show it back.

Each class turns input into the canonical answer {"values": [...], "text": ..., "number": ...},
returns errors in plain words keyed by the field they belong to, and gives back the raw input so a
page with an error shows exactly what was typed. Every channel checks answers here: a web page's
form, a row of a typed-in paper questionnaire (whose columns are these same field names).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from questionnaires.model import Answer, Option, Question

OTHER_MAX_LENGTH = 200
Raw = dict[str, Any]
Errors = dict[str, str]

#: the words beside each of a ranking question's lists (the error messages name them the same way)
CHOICE_NAMES = (_l("1st choice"), _l("2nd choice"), _l("3rd choice"), _l("4th choice"), _l("5th choice"))


def choice_name(n: int) -> str:
    """What the n-th list (1-based) of a ranking question is called on the page."""
    return str(CHOICE_NAMES[n - 1]) if n <= len(CHOICE_NAMES) else _("Choice %(n)s", n=n)


def other_field(q: Question) -> str:
    """Name of the text box that goes with 'Other' or 'I describe myself in another way'."""
    return f"{q.key}-other"


def rank_field(q: Question, n: int) -> str:
    """Name of the n-th choice (1-based) of a ranking question."""
    return f"{q.key}-{n}"


def _too_long(length: int, limit: int) -> str:
    return _(
        "Your answer is %(length)s characters long. Please make it %(limit)s characters or fewer. "
        "Everything you wrote is still in the box.",
        length=f"{length:,}",
        limit=f"{limit:,}",
    )


class QuestionInput:
    """Base: a question type's input handling."""

    template: ClassVar[str]

    def fields(self, q: Question) -> list[str]:
        """Form field names this question uses (the first is the one errors link to)."""
        return [q.key]

    def raw_from_form(self, q: Question, form: MultiDict) -> Raw:
        """The input as typed, for showing back."""
        return {name: form.get(name, "") for name in self.fields(q)}

    def raw_from_answer(self, q: Question, answer: Answer | None) -> Raw:
        """A saved answer as form input."""
        raise NotImplementedError

    def parse(self, q: Question, raw: Raw) -> tuple[Answer | None, Errors]:
        """Check input; return the answer (None when skipped) and any errors."""
        raise NotImplementedError

    def is_text_field(self, q: Question, name: str) -> bool:
        """Whether a field holds words as written (rather than one of the question's answer values)."""
        return not q.options

    def summary(self, q: Question, answer: Answer) -> list[str]:
        """The answer in words, for the check-your-answers page."""
        lines = [q.label(v) for v in answer.get("values", [])]
        if answer.get("text"):
            lines.append(answer["text"])
        return lines


class WithOtherText(QuestionInput):
    """Choices where some answers come with a text box ("Other, please say", "I describe myself in
    another way"): the one place that box is named, read, checked and shown back."""

    def fields(self, q: Question) -> list[str]:
        return [q.key, other_field(q)] if any(o.other_text for o in q.options) else [q.key]

    def is_text_field(self, q: Question, name: str) -> bool:
        return name == other_field(q)

    def other_text(self, q: Question, chosen: list[str], raw: Raw) -> tuple[str | None, Errors]:
        """The words typed in the box when a chosen answer has one (None when empty or not asked)."""
        if not any(o.other_text for o in (q.option(v) for v in chosen) if o is not None):
            return None, {}
        text = str(raw.get(other_field(q)) or "").strip()
        if len(text) > OTHER_MAX_LENGTH:
            return None, {other_field(q): _too_long(len(text), OTHER_MAX_LENGTH)}
        return text or None, {}

    def typed_for(self, q: Question, raw: Raw) -> Option | None:
        """The answer whose box has words in it: words typed in "Please tell us" mean that answer, even
        when its button was not pressed (None when the box is empty, or when several answers share it)."""
        boxed = [o for o in q.options if o.other_text]
        return boxed[0] if len(boxed) == 1 and str(raw.get(other_field(q)) or "").strip() else None

    def both(self, q: Question, chosen: str, typed: Option) -> Errors:
        """An answer that can't go with the box's words: ask which, rather than drop the words unsaid."""
        return {
            q.key: _(
                "You chose \u201c%(answer)s\u201d and also wrote in the box for \u201c%(other)s\u201d. To send "
                "what you wrote, choose \u201c%(other)s\u201d instead; or clear the box.",
                answer=chosen,
                other=typed.label,
            )
        }

    def with_other_text(self, q: Question, chosen: list[str], raw: Raw) -> tuple[Answer | None, Errors]:
        """The answer for these chosen values, with the box's words where one of them has a box."""
        text, errors = self.other_text(q, chosen, raw)
        if errors:
            return None, errors
        answer: Answer = {"values": chosen}
        if text:
            answer["text"] = text
        return answer, {}


class SingleChoice(WithOtherText):
    """Radio buttons (single choice, scales, faces, demographics); some options have a text box."""

    template = "single"

    def raw_from_answer(self, q: Question, answer: Answer | None) -> Raw:
        answer = answer or {}
        values = answer.get("values") or [""]
        return {q.key: values[0], other_field(q): answer.get("text") or ""}

    def parse(self, q: Question, raw: Raw) -> tuple[Answer | None, Errors]:
        value = str(raw.get(q.key) or "")
        typed = self.typed_for(q, raw)
        if not value:
            if typed is None:
                return None, {}
            value = typed.value
        if q.option(value) is None:
            return None, {q.key: _("Please choose one of the answers shown.")}
        if typed is not None and typed.value != value:
            return None, self.both(q, q.label(value), typed)
        return self.with_other_text(q, [value], raw)

    def summary(self, q: Question, answer: Answer) -> list[str]:
        label = q.label(answer["values"][0])
        return [f"{label}: {answer['text']}" if answer.get("text") else label]


class Faces(SingleChoice):
    """Large faces with their words underneath, for younger children."""

    template = "faces"


class Select(SingleChoice):
    """A drop-down list, for long lists such as areas."""

    template = "select"


class MultipleChoice(WithOtherText):
    """Tick boxes, with exclusive answers, a limit and an optional 'Other' text box."""

    template = "multiple"

    def raw_from_form(self, q: Question, form: MultiDict) -> Raw:
        return {q.key: form.getlist(q.key), other_field(q): form.get(other_field(q), "")}

    def raw_from_answer(self, q: Question, answer: Answer | None) -> Raw:
        answer = answer or {}
        return {q.key: list(answer.get("values") or []), other_field(q): answer.get("text") or ""}

    def parse(self, q: Question, raw: Raw) -> tuple[Answer | None, Errors]:
        ticked = {str(v) for v in (raw.get(q.key) or [])}
        typed = self.typed_for(q, raw)
        # keep the list's order, drop junk; words in the box tick its answer (and so are never lost)
        options = [o for o in q.options if o.value in ticked or o is typed]
        chosen = [o.value for o in options]
        if not chosen:
            return None, {}
        exclusive = [o for o in options if o.exclusive]
        if exclusive and typed is not None and typed.value not in ticked:
            return None, self.both(q, exclusive[0].label, typed)
        if exclusive and len(chosen) > 1:
            label = exclusive[0].label
            return None, {
                q.key: _(
                    "You chose \u201c%(answer)s\u201d and other answers. Please choose either "
                    "\u201c%(answer)s\u201d or the other answers.",
                    answer=label,
                )
            }
        if q.max_choices and len(chosen) > q.max_choices:
            return None, {
                q.key: _(
                    "Please choose up to %(limit)s answers. You chose %(chosen)s.",
                    limit=q.max_choices,
                    chosen=len(chosen),
                )
            }
        return self.with_other_text(q, chosen, raw)

    def summary(self, q: Question, answer: Answer) -> list[str]:
        # The box's answer is shown once, with its words ("Other: ..."), not also as a bare label.
        boxed = {o.value for o in q.options if o.other_text} if answer.get("text") else set()
        lines = [q.label(v) for v in answer["values"] if v not in boxed]
        if answer.get("text"):
            lines.append(_("Other: %(text)s", text=answer["text"]))
        return lines


class Ranking(QuestionInput):
    """Pick and order up to N answers with one list per place, so it works without JavaScript."""

    template = "ranking"

    def fields(self, q: Question) -> list[str]:
        return [rank_field(q, n) for n in range(1, (q.max_rank or 1) + 1)]

    def raw_from_answer(self, q: Question, answer: Answer | None) -> Raw:
        values = list((answer or {}).get("values") or [])
        return {rank_field(q, n): values[n - 1] if n <= len(values) else "" for n in range(1, (q.max_rank or 1) + 1)}

    def parse(self, q: Question, raw: Raw) -> tuple[Answer | None, Errors]:
        picks = [str(raw.get(name) or "") for name in self.fields(q)]
        for n, value in enumerate(picks):
            if value and q.option(value) is None:
                return None, {self.fields(q)[n]: _("Please choose one of the answers shown.")}
        for n, value in enumerate(picks):
            if value and value in picks[:n]:
                return None, {
                    self.fields(q)[n]: _(
                        "You picked \u201c%(answer)s\u201d more than once. Please pick something "
                        "different for \u201c%(choice)s\u201d.",
                        answer=q.label(value),
                        choice=choice_name(n + 1),
                    )
                }
        filled = [n for n, v in enumerate(picks) if v]
        if filled and filled[-1] + 1 != len(filled):
            gap = next(n for n, v in enumerate(picks) if not v)
            return None, {
                self.fields(q)[gap]: _(
                    "\u201c%(choice)s\u201d is empty. Please pick one, or move your later choices up.",
                    choice=choice_name(gap + 1),
                )
            }
        chosen = [v for v in picks if v]
        return ({"values": chosen}, {}) if chosen else (None, {})

    def summary(self, q: Question, answer: Answer) -> list[str]:
        return [f"{n}. {q.label(v)}" for n, v in enumerate(answer["values"], 1)]


class FreeText(QuestionInput):
    """A text box or text area with a length limit."""

    template = "text"

    def raw_from_answer(self, q: Question, answer: Answer | None) -> Raw:
        return {q.key: (answer or {}).get("text") or ""}

    def parse(self, q: Question, raw: Raw) -> tuple[Answer | None, Errors]:
        text = str(raw.get(q.key) or "").replace("\r\n", "\n").strip()
        if not text:
            return None, {}
        if q.max_length and len(text) > q.max_length:
            return None, {q.key: _too_long(len(text), q.max_length)}
        return {"text": text}, {}


class Number(QuestionInput):
    """A whole number within a range."""

    template = "number"

    def raw_from_answer(self, q: Question, answer: Answer | None) -> Raw:
        number = (answer or {}).get("number")
        return {q.key: "" if number is None else str(number)}

    def parse(self, q: Question, raw: Raw) -> tuple[Answer | None, Errors]:
        text = str(raw.get(q.key) or "").strip().replace(",", "")
        if not text:
            return None, {}
        try:
            number = int(text)
        except ValueError:
            return None, {q.key: _("Please write a whole number using digits, like 3.")}
        low, high = q.min, q.max
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                message = _("Please write a number from %(low)s to %(high)s.", low=low, high=high)
            elif low is not None:
                message = _("Please write a number of %(low)s or more.", low=low)
            else:
                message = _("Please write a number of %(high)s or less.", high=high)
            return None, {q.key: message}
        return {"number": number}, {}

    def summary(self, q: Question, answer: Answer) -> list[str]:
        return [f"{answer['number']} {q.unit}".strip()]


INPUTS: Mapping[str, QuestionInput] = {
    "single_choice": SingleChoice(),
    "scale": SingleChoice(),
    "faces": Faces(),
    "demographic": SingleChoice(),
    "area": Select(),
    "multiple_choice": MultipleChoice(),
    "ranking": Ranking(),
    "short_text": FreeText(),
    "long_text": FreeText(),
    "number": Number(),
}


def input_for(q: Question) -> QuestionInput:
    """The input handler for a question's type."""
    return INPUTS[q.type]
