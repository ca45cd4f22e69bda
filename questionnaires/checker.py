"""The questionnaire checker: one file's data in, its canonical form and every problem found out.

The top of the file, its pages and its questions are checked here; each question type's own
fields in `questionnaires.question_types`, and `show_if` routing in `questionnaires.routing`.
"""

from __future__ import annotations

from typing import Any

from questionnaires.checking import ID_RE, KEY_RE
from questionnaires.model import AUDIENCES, PRESENTATIONS, QUESTION_TYPES
from questionnaires.question_types import QuestionTypes
from questionnaires.routing import Routing

_TOP_FIELDS = {
    "id",
    "audience",
    "title",
    "respondent_label",
    "age_range",
    "one_question_per_page",
    "presentation",
    "intro",
    "thank_you",
    "save_for_later",
    "pages",
}
_PAGE_FIELDS = {"key", "title", "intro", "content_note", "show_if", "questions"}
_COMMON = {"key", "type", "text", "hint", "measure", "source", "sensitive", "show_if", "symbol"}
_TYPE_FIELDS: dict[str, set[str]] = {
    "single_choice": {"options", "other", "dont_know"},
    "multiple_choice": {"options", "other", "dont_know", "max_choices", "exclusive"},
    "scale": {"scale", "labels", "top_box", "dont_know"},
    "faces": {"scale", "labels", "top_box", "dont_know"},
    "short_text": {"max_length"},
    "long_text": {"max_length"},
    "number": {"min", "max", "unit"},
    "ranking": {"options", "max_rank"},
    "area": {"area_list"},
    "demographic": {"demographic", "bands"},
}


class Checker(QuestionTypes, Routing):
    """Normalises one file's data into the canonical form, collecting problems as it goes."""

    def questionnaire(self, raw: Any) -> dict:
        if not isinstance(raw, dict):
            self.problem("", "the file should start with fields such as 'id:', 'audience:' and 'pages:'")
            return {}
        self.unknown_fields("top of file", raw, _TOP_FIELDS)
        qid = self.text("top of file", raw, "id")
        if qid and not ID_RE.match(qid):
            self.problem("top of file", f"id '{qid}' should use only lower-case letters, numbers and dashes")
        audience = self.text("top of file", raw, "audience")
        if audience and audience not in AUDIENCES:
            self.problem("top of file", f"unknown audience '{audience}' (use one of: {', '.join(AUDIENCES)})")
        self.one_per_page = bool(raw.get("one_question_per_page", False))
        out: dict[str, Any] = {
            "id": qid,
            "audience": audience,
            "title": self.text("top of file", raw, "title"),
            "respondent_label": self.text("top of file", raw, "respondent_label"),
            "intro": self.text("top of file", raw, "intro", required=False),
            "one_question_per_page": bool(raw.get("one_question_per_page", False)),
        }
        self.presentation_of(raw, out)
        self.extras_of(raw, out)
        age = raw.get("age_range")
        if age is not None:
            if isinstance(age, list) and len(age) == 2 and all(isinstance(a, int) for a in age) and age[0] <= age[1]:
                out["age_range"] = age
            else:
                self.problem("top of file", "age_range should be two whole numbers, youngest first, e.g. [11, 18]")
        pages = raw.get("pages")
        if not isinstance(pages, list) or not pages:
            self.problem("top of file", "there are no pages: add 'pages:' with at least one page of questions")
            pages = []
        self.all_keys = {
            str(q.get("key"))
            for p in pages
            if isinstance(p, dict)
            for q in (p.get("questions") or [])
            if isinstance(q, dict)
        }
        page_keys: set[str] = set()
        out["pages"] = []
        for number, page in enumerate(pages, 1):
            canonical = self.page(number, page, page_keys)
            if canonical:
                out["pages"].append(canonical)
        return out

    def presentation_of(self, raw: dict, out: dict) -> None:
        """Easy read: one question per page. Only non-standard choices are stored, so adding the
        field did not change the fingerprint (and so the version) of any existing questionnaire."""
        presentation = raw.get("presentation", "standard")
        if presentation not in PRESENTATIONS:
            self.problem(
                "top of file", f"unknown presentation '{presentation}' (use one of: {', '.join(PRESENTATIONS)})"
            )
            return
        if presentation == "standard":
            return
        if raw.get("one_question_per_page") is False:
            self.problem(
                "top of file",
                "easy-read presentation always shows one question per page: remove 'one_question_per_page: false'",
            )
        self.presentation = out["presentation"] = presentation
        self.one_per_page = out["one_question_per_page"] = True

    def extras_of(self, raw: dict, out: dict) -> None:
        """Optional thank-you words and turning off "save and come back later". Stored only when
        given, so adding them did not change the fingerprint of any questionnaire without them."""
        if raw.get("thank_you"):
            out["thank_you"] = self.text("top of file", raw, "thank_you")
        save = raw.get("save_for_later", True)
        if not isinstance(save, bool):
            self.problem("top of file", "save_for_later should be true or false")
        elif not save:
            out["save_for_later"] = False

    def page(self, number: int, raw: Any, page_keys: set[str]) -> dict | None:
        where = f"page {number}"
        if not isinstance(raw, dict):
            self.problem(where, "a page should have 'key', 'title' and 'questions'")
            return None
        key = self.text(where, raw, "key")
        where = f"page '{key}'" if key else where
        if key in page_keys:
            self.problem(where, f"two pages have the key '{key}'")
        page_keys.add(key)
        self.unknown_fields(where, raw, _PAGE_FIELDS)
        out: dict[str, Any] = {"key": key, "title": self.text(where, raw, "title")}
        for name in ("intro", "content_note"):
            if raw.get(name):
                out[name] = self.text(where, raw, name)
        if raw.get("show_if") is not None:
            out["show_if"] = self.condition(where, raw["show_if"], number)
        questions = raw.get("questions")
        if not isinstance(questions, list) or not questions:
            self.problem(where, "the page has no questions")
            questions = []
        out["questions"] = [q for q in (self.question(number, i, q) for i, q in enumerate(questions, 1)) if q]
        return out

    def question(self, page: int, number: int, raw: Any) -> dict | None:
        where = f"page {page}, question {number}"
        if not isinstance(raw, dict):
            self.problem(where, "a question should have 'key', 'type' and 'text'")
            return None
        key = self.text(where, raw, "key")
        if key:
            where = f"question '{key}'"
            if not KEY_RE.match(key):
                self.problem(where, "a key should use only lower-case letters, numbers and _")
            if key in self.seen:
                self.problem(where, f"duplicate key: another question already has the key '{key}'")
        qtype = self.text(where, raw, "type")
        if qtype and qtype not in QUESTION_TYPES:
            self.problem(where, f"unknown type '{qtype}' (use one of: {', '.join(sorted(QUESTION_TYPES))})")
            return None
        self.unknown_fields(where, raw, _COMMON | _TYPE_FIELDS.get(qtype, set()))
        out: dict[str, Any] = {"key": key, "type": qtype}
        for name in ("hint", "measure", "source"):
            if raw.get(name):
                out[name] = self.text(where, raw, name)
        if "measure" in out and not KEY_RE.match(out["measure"]):
            self.problem(where, "a measure should use only lower-case letters, numbers and _")
        if raw.get("symbol") is not None and (symbol := self.symbol(where, raw["symbol"])):
            out["symbol"] = symbol
        sensitive = bool(raw.get("sensitive", False)) or qtype in ("demographic", "area")
        out["sensitive"] = sensitive
        if raw.get("show_if") is not None:
            out["show_if"] = self.condition(where, raw["show_if"], page)
        getattr(self, f"_{qtype}", self._choice)(where, raw, out)
        out["text"] = self.text(where, raw, "text", required=qtype != "demographic") or out.get("text", "")
        if not out["text"]:
            self.problem(where, "'text' is missing")
        if out.get("options") is not None:
            self.option_symbols(where, out)
            self.finish_options(where, out)
        if key:
            self.seen[key] = out
            self.page_of[key] = page
        return out
