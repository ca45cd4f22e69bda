"""Checking each question type's own fields: answer lists, scales, numbers, text limits, areas, demographics.

Each `_<type>` method reads the type's fields from the file into the canonical question; the
option-list helpers add the built-in answers (Don't know, Other, Prefer not to say) and check
values and symbols.
"""

from __future__ import annotations

import re
from typing import Any

from questionnaires.checking import KEY_RE, CheckerBase, slug
from questionnaires.scales import DEMOGRAPHICS, DONT_KNOW, OTHER, PREFER_NOT_TO_SAY, SCALES, band_label
from questionnaires.symbols import ADDED_ANSWER_SYMBOLS

DEFAULT_MAX_LENGTH = {"short_text": 100, "long_text": 1000}
#: Option symbols sit beside round buttons and tick boxes; a drop-down list can't show pictures.
_OPTION_SYMBOL_TYPES = {"single_choice", "multiple_choice"}


class QuestionTypes(CheckerBase):
    """The per-type checks, dispatched by question type (`_single_choice`, `_scale`, ...)."""

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
            # Other is one of the answers, so it goes before the either/or ones ("Nothing worries me"),
            # which are shown after an "or" line of their own.
            at = next((i for i, o in enumerate(options) if o.get("exclusive")), len(options))
            options.insert(at, {"value": OTHER[0], "label": OTHER[1], "other_text": True})
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
