"""Checking routing: `show_if` conditions look only at earlier answers that exist and can be true."""

from __future__ import annotations

from typing import Any

from questionnaires.checking import CheckerBase

_CONDITION_OPS = ("equals", "in", "not_in", "includes", "min", "max", "answered")


class Routing(CheckerBase):
    """The `show_if` checks: known earlier question, a possible answer, no contradictions."""

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
