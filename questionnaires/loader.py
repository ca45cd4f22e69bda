"""Read questionnaire YAML files, check them and turn them into canonical, hashable data.

Every problem is reported with the file, the question (or page) and a plain explanation, so a
council officer can fix a file without reading Python.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from questionnaires.model import AUDIENCES, PRESENTATIONS, QUESTION_TYPES, Questionnaire
from questionnaires.scales import DEMOGRAPHICS, DONT_KNOW, OTHER, PREFER_NOT_TO_SAY, SCALES, band_label
from questionnaires.symbols import ADDED_ANSWER_SYMBOLS, available_symbols, symbol_problem

HERE = Path(__file__).resolve().parent
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_MAX_LENGTH = {"short_text": 100, "long_text": 1000}

_TOP_FIELDS = {
    "id",
    "audience",
    "title",
    "respondent_label",
    "age_range",
    "one_question_per_page",
    "presentation",
    "intro",
    "pages",
}
_PAGE_FIELDS = {"key", "title", "intro", "content_note", "show_if", "questions"}
_COMMON = {"key", "type", "text", "hint", "measure", "source", "sensitive", "show_if", "symbol"}
#: Option symbols sit beside round buttons and tick boxes; a drop-down list can't show pictures.
_OPTION_SYMBOL_TYPES = {"single_choice", "multiple_choice"}
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
_CONDITION_OPS = ("equals", "in", "not_in", "includes", "min", "max", "answered")


class _Loader(yaml.SafeLoader):
    """YAML 1.1 turns yes/no/on/off into true/false; officers write `- yes`, so keep them text."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, r) for tag, r in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire file."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class QuestionnaireError(ValueError):
    """A questionnaire file has problems; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with yes/no kept as text."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def slug(label: str) -> str:
    """Make an answer value from a label: 'Youth clubs' -> 'youth_clubs'."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def load_area_lists(folder: Path | None = None) -> dict[str, dict]:
    """Every area list in an `areas/` folder (the shipped one by default), by name."""
    folder = folder or HERE / "areas"
    lists = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path) or {}
        lists[str(data.get("name", path.stem))] = data
    return lists


def content_hash(definition: dict) -> str:
    """Fingerprint of a questionnaire's meaning: whitespace and comments in the file don't count."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def questionnaire_files(folder: Path = HERE) -> list[Path]:
    """The questionnaire files shipped in a folder."""
    return sorted(folder.glob("*.yaml"))


class _Checker:
    """Normalises one file's data into the canonical form, collecting problems as it goes."""

    def __init__(self, name: str, areas: dict[str, dict], symbols: frozenset[str] | None = None):
        self.name = name
        self.areas = areas
        self.symbols = available_symbols() if symbols is None else symbols
        self.presentation = "standard"
        self.problems: list[Problem] = []
        self.seen: dict[str, dict] = {}  # question key -> canonical question, in order
        self.page_of: dict[str, int] = {}
        self.one_per_page = False
        self.all_keys: set[str] = set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, where, message))

    def unknown_fields(self, where: str, data: dict, allowed: set[str]) -> None:
        for extra in sorted(set(data) - allowed):
            self.problem(where, f"unknown field '{extra}' (allowed here: {', '.join(sorted(allowed))})")

    def text(self, where: str, data: dict, name: str, required: bool = True) -> str:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, f"'{name}' is missing")
            return ""
        if not isinstance(value, str):
            self.problem(where, f"'{name}' should be text")
            return str(value)
        return value.strip()

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

    def symbol(self, where: str, name: object) -> str | None:
        """A checked symbol name, or None (with a problem) if there is no such picture."""
        message = symbol_problem(name, self.symbols)
        if message:
            self.problem(where, message)
            return None
        return str(name)

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

    # --- option lists -------------------------------------------------------------------
    def options(self, where: str, raw: Any) -> list[dict]:
        if not isinstance(raw, list) or not raw:
            self.problem(where, "the choice list is empty: add 'options:' with at least two answers")
            return []
        out = []
        for item in raw:
            if isinstance(item, str):
                out.append({"value": slug(item), "label": item})
            elif isinstance(item, dict) and "label" in item:
                value = str(item.get("value") or slug(str(item["label"])))
                out.append({"value": value, "label": str(item["label"])})
                if item.get("symbol") is not None:
                    out[-1]["_symbol"] = item["symbol"]
            else:
                self.problem(where, f"an option should be text or {{value: ..., label: ...}}, not {item!r}")
        for o in out:
            if not KEY_RE.match(o["value"]):
                self.problem(where, f"answer value '{o['value']}' should use only lower-case letters, numbers and _")
        return out

    def option_symbols(self, where: str, out: dict) -> None:
        """Check the pictures given beside answers (kept only where the answers are buttons or boxes)."""
        for o in out["options"]:
            if "_symbol" not in o:
                continue
            name = o.pop("_symbol")
            if out["type"] not in _OPTION_SYMBOL_TYPES:
                self.problem(
                    where,
                    f"answer '{o['value']}' has a symbol, but {out['type']} answers are shown "
                    "in a drop-down list, which can't show pictures: symbols beside answers work "
                    "in single_choice and multiple_choice questions",
                )
            elif symbol := self.symbol(f"{where}, answer '{o['value']}'", name):
                o["symbol"] = symbol

    def finish_options(self, where: str, out: dict) -> None:
        """Add Don't know / Other / Prefer not to say and check the values are unique."""
        options = out["options"]
        if out.pop("_other", False):
            options.append({"value": OTHER[0], "label": OTHER[1], "other_text": True})
        if out.pop("_dont_know", False):
            # "Don't know" can't sit beside a real answer, just as "Prefer not to say" can't.
            options.append({"value": DONT_KNOW[0], "label": DONT_KNOW[1], "special": True, "exclusive": True})
        if (
            out["sensitive"]
            and out["type"] != "ranking"
            and not any(o["value"] == PREFER_NOT_TO_SAY[0] for o in options)
        ):
            options.append(
                {"value": PREFER_NOT_TO_SAY[0], "label": PREFER_NOT_TO_SAY[1], "special": True, "exclusive": True}
            )
        if self.presentation == "easy-read" and out["type"] not in ("area", "ranking"):
            for o in options:
                added = ADDED_ANSWER_SYMBOLS.get(o["value"])
                if added in self.symbols and "symbol" not in o and (o.get("special") or o.get("other_text")):
                    o["symbol"] = added
        values = [o["value"] for o in options]
        for dup in sorted({v for v in values if values.count(v) > 1}):
            self.problem(where, f"two answers have the value '{dup}'")

    def _choice(self, where: str, raw: dict, out: dict) -> None:
        out["options"] = self.options(where, raw.get("options"))
        out["_other"] = bool(raw.get("other"))
        out["_dont_know"] = bool(raw.get("dont_know"))

    _single_choice = _choice

    def _multiple_choice(self, where: str, raw: dict, out: dict) -> None:
        self._choice(where, raw, out)
        values = {o["value"] for o in out["options"]}
        exclusive = raw.get("exclusive") or []
        for value in exclusive:
            if value not in values:
                self.problem(where, f"'exclusive' names '{value}', which is not one of the answers")
        for o in out["options"]:
            if o["value"] in exclusive:
                o["exclusive"] = True
        if raw.get("max_choices") is not None:
            limit = raw["max_choices"]
            if not isinstance(limit, int) or limit < 1:
                self.problem(where, "max_choices should be a whole number, 1 or more")
            elif limit > len(out["options"]) + bool(raw.get("other")):
                self.problem(where, f"max_choices is {limit} but there are only {len(out['options'])} answers")
            else:
                out["max_choices"] = limit

    def _ranking(self, where: str, raw: dict, out: dict) -> None:
        out["options"] = self.options(where, raw.get("options"))
        limit = raw.get("max_rank", 3)
        if not isinstance(limit, int) or limit < 1:
            self.problem(where, "max_rank should be a whole number, 1 or more")
            limit = 1
        elif out["options"] and limit > len(out["options"]):
            self.problem(where, f"max_rank is {limit} but there are only {len(out['options'])} answers to rank")
        out["max_rank"] = limit

    def _scale(self, where: str, raw: dict, out: dict) -> None:
        name = raw.get("scale", "happiness5" if out["type"] == "faces" else None)
        if name not in SCALES:
            self.problem(where, f"unknown scale '{name}' (use one of: {', '.join(sorted(SCALES))})")
            out["options"] = []
            return
        points, top_box = SCALES[name]
        labels = raw.get("labels") or {}
        for value in labels:
            if value not in dict(points):
                self.problem(where, f"'labels' rewords '{value}', which is not a point on the {name} scale")
        out["scale"] = name
        out["options"] = [{"value": v, "label": str(labels.get(v, label))} for v, label in points]
        chosen_top = raw.get("top_box", list(top_box))
        for value in chosen_top:
            if value not in dict(points):
                self.problem(where, f"'top_box' names '{value}', which is not a point on the {name} scale")
        out["top_box"] = list(chosen_top)
        out["_dont_know"] = bool(raw.get("dont_know"))

    _faces = _scale

    def _text_type(self, where: str, raw: dict, out: dict) -> None:
        limit = raw.get("max_length", DEFAULT_MAX_LENGTH[out["type"]])
        if not isinstance(limit, int) or limit < 1:
            self.problem(where, "max_length should be a whole number of characters, 1 or more")
            limit = DEFAULT_MAX_LENGTH[out["type"]]
        out["max_length"] = limit

    _short_text = _long_text = _text_type

    def _number(self, where: str, raw: dict, out: dict) -> None:
        for name in ("min", "max"):
            if raw.get(name) is not None:
                if isinstance(raw[name], int) and not isinstance(raw[name], bool):
                    out[name] = raw[name]
                else:
                    self.problem(where, f"'{name}' should be a whole number")
        if "min" in out and "max" in out and out["min"] > out["max"]:
            self.problem(where, f"min ({out['min']}) is larger than max ({out['max']})")
        if raw.get("unit"):
            out["unit"] = str(raw["unit"])

    def _area(self, where: str, raw: dict, out: dict) -> None:
        name = raw.get("area_list")
        if name not in self.areas:
            self.problem(
                where, f"unknown area_list '{name}' (files in areas/: {', '.join(sorted(self.areas)) or 'none'})"
            )
            out["options"] = []
            return
        out["area_list"] = name
        out["options"] = self.options(where, self.areas[name].get("areas"))
        out["options"] += [
            {"value": "somewhere_else", "label": "Somewhere else", "special": True},
            {"value": "dont_know", "label": "I don't know", "special": True},
        ]

    def _demographic(self, where: str, raw: dict, out: dict) -> None:
        name = raw.get("demographic")
        if name not in DEMOGRAPHICS:
            self.problem(where, f"unknown demographic '{name}' (use one of: {', '.join(sorted(DEMOGRAPHICS))})")
            out["options"] = []
            return
        spec = DEMOGRAPHICS[name]
        out["demographic"] = name
        out["text"] = spec["text"]
        if spec["source"] and "source" not in out:
            out["source"] = spec["source"]
        if name == "age_band":
            bands = raw.get("bands")
            if not isinstance(bands, list) or not bands:
                self.problem(where, 'an age_band question needs \'bands\', e.g. ["11-12", "13-14"]')
                bands = []
            out["options"] = [{"value": str(b), "label": band_label(str(b))} for b in bands]
            for o in out["options"]:
                if not re.match(r"^\d+(-\d+|\+)?$", o["value"]):
                    self.problem(where, f'age band \'{o["value"]}\' should look like "11-12", "16" or "65+"')
                o["value"] = o["value"]
        else:
            out["options"] = [dict(o) for o in spec["options"]]

    # --- routing --------------------------------------------------------------------------
    def condition(self, where: str, raw: Any, page: int) -> dict:
        if not isinstance(raw, dict):
            self.problem(where, 'show_if should look like {question: some_key, equals: "yes"}')
            return {"op": "all", "conditions": []}
        for combinator in ("all", "any"):
            if combinator in raw:
                parts = raw[combinator]
                if not isinstance(parts, list) or not parts:
                    self.problem(where, f"show_if '{combinator}' needs a list of conditions")
                    parts = []
                children = [self.condition(where, p, page) for p in parts]
                if combinator == "all":
                    self.check_contradiction(where, children)
                return {"op": combinator, "conditions": children}
        ops = [op for op in _CONDITION_OPS if op in raw]
        target = raw.get("question")
        if len(ops) != 1 or set(raw) - {"question", *_CONDITION_OPS}:
            self.problem(
                where, "show_if needs 'question' and one test: equals, in, not_in, includes, min, max or answered"
            )
            return {"op": "all", "conditions": []}
        op, arg = ops[0], raw[ops[0]]
        if target not in self.seen:
            if target in self.all_keys:
                self.problem(
                    where,
                    f"show_if looks at '{target}', which comes later: a condition can only "
                    "look at answers to earlier questions",
                )
            else:
                self.problem(
                    where, f"show_if looks at '{target}', but no question in this file has that key: check the spelling"
                )
            return {"op": "all", "conditions": []}
        if self.page_of[target] == page and not self.one_per_page:
            self.problem(
                where,
                f"show_if looks at '{target}' on the same page: move the follow-up to a later "
                "page, so the question can appear after the answer is sent (this keeps the survey "
                "working without JavaScript)",
            )
        question = self.seen[target]
        values = {o["value"] for o in question.get("options", [])}
        if op == "answered":
            return {"op": "answered", "question": target, "flag": bool(arg)}
        if op in ("min", "max"):
            if question["type"] != "number":
                self.problem(where, f"'{op}' only works on a number question, and '{target}' is {question['type']}")
            elif not isinstance(arg, int):
                self.problem(where, f"'{op}' should be a whole number")
            elif ("max" in question and op == "min" and arg > question["max"]) or (
                "min" in question and op == "max" and arg < question["min"]
            ):
                self.problem(
                    where,
                    f"this condition can never be true: '{target}' only allows "
                    f"{question.get('min', 'any')} to {question.get('max', 'any')}",
                )
            return {"op": op, "question": target, "number": arg}
        wanted = [str(v) for v in (arg if isinstance(arg, list) else [arg])]
        if not question.get("options"):
            self.problem(
                where,
                f"'{op}' compares answers, but '{target}' is a {question['type']} question with no answers to choose",
            )
        else:
            for value in wanted:
                if value not in values:
                    self.problem(
                        where,
                        f"this condition can never be true: '{target}' has no answer \"{value}\" "
                        f"(it has: {', '.join(sorted(values))})",
                    )
        if op == "includes" and question["type"] not in ("multiple_choice", "ranking"):
            self.problem(where, f"'includes' is for tick-all-that-apply questions; use 'equals' for '{target}'")
        return {"op": "in" if op == "equals" else op, "question": target, "values": wanted}

    def check_contradiction(self, where: str, conditions: list[dict]) -> None:
        allowed: dict[str, set[str]] = {}
        for c in conditions:
            if c.get("op") == "in" and self.seen.get(c["question"], {}).get("type") != "multiple_choice":
                previous = allowed.get(c["question"])
                allowed[c["question"]] = set(c["values"]) if previous is None else previous & set(c["values"])
                if not allowed[c["question"]]:
                    self.problem(
                        where,
                        f"this condition can never be true: it needs two different answers "
                        f"to '{c['question']}' at once",
                    )


def parse(
    raw: Any, name: str, areas: dict[str, dict] | None = None, symbols: frozenset[str] | None = None
) -> tuple[dict, list[Problem]]:
    """Check raw questionnaire data; return its canonical form and every problem found."""
    checker = _Checker(name, load_area_lists() if areas is None else areas, symbols)
    definition = checker.questionnaire(raw)
    return definition, checker.problems


def load_file(path: Path, areas: dict[str, dict] | None = None) -> tuple[dict, list[Problem]]:
    """Read and check one questionnaire file."""
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        return {}, [Problem(path.name, where, f"this is not valid YAML ({getattr(exc, 'problem', exc)})")]
    return parse(raw, path.name, areas)


def check_measures(definitions: dict[str, dict]) -> list[Problem]:
    """Questions sharing a measure across files must share answer values, or they can't be compared."""
    problems = []
    first: dict[str, tuple[str, str, set[str]]] = {}
    for name, definition in definitions.items():
        for page in definition.get("pages", []):
            for q in page["questions"]:
                if "measure" not in q:
                    continue
                values = {o["value"] for o in q.get("options", []) if not o.get("special")}
                if q["measure"] in first:
                    other_file, other_key, other_values = first[q["measure"]]
                    if values != other_values:
                        problems.append(
                            Problem(
                                name,
                                f"question '{q['key']}'",
                                f"measure '{q['measure']}' has answers {sorted(values)} here but "
                                f"{sorted(other_values)} in {other_file} ('{other_key}'): "
                                "questions with one measure must share answer values",
                            )
                        )
                else:
                    first[q["measure"]] = (name, q["key"], values)
    return problems


def validate_paths(paths: list[Path], area_folder: Path | None = None) -> tuple[dict[str, dict], list[Problem]]:
    """Check several files together (including shared measures); return definitions by file name.

    Area lists come from `area_folder`, else from an `areas/` folder beside the first file, else
    from the shipped ones.
    """
    definitions, problems = {}, []
    if area_folder is None and paths and (paths[0].parent / "areas").is_dir():
        area_folder = paths[0].parent / "areas"
    areas = load_area_lists(area_folder)
    for path in paths:
        definition, found = load_file(path, areas)
        definitions[path.name] = definition
        problems += found
    ids: dict[str, str] = {}
    for name, definition in definitions.items():
        qid = definition.get("id")
        if qid and qid in ids:
            problems.append(Problem(name, "top of file", f"id '{qid}' is already used by {ids[qid]}"))
        elif qid:
            ids[qid] = name
    problems += check_measures(definitions)
    return definitions, problems


def load_questionnaire(path: Path) -> Questionnaire:
    """Read one file into a Questionnaire, raising QuestionnaireError if it has problems."""
    definition, problems = load_file(path)
    if problems:
        raise QuestionnaireError(problems)
    return Questionnaire.from_dict(definition)
