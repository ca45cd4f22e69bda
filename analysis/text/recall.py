"""Measure redaction on a labelled set: how much PII it catches, and how often it harms clean text.

The labelled file has one answer per line with what must go marked inline, `{name:Jayden}`; lines
with no marks must come back unchanged; `#` starts a comment. Run it with

    python -m analysis.text.recall tests/analysis/text/data/redaction_cases.txt \
        --places-file questionnaires/areas/trafford-wards.yaml --place Sale --school "Lostock High School"

It prints recall per category (a labelled item counts as caught when every character of it is
removed, whatever tag it got), the share tagged with the right category, and the false alarms.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.text.patterns import Span
from analysis.text.redaction import Redactor
from questionnaires import yamlsafe

_MARK = re.compile(r"\{(?P<category>[a-z]+):(?P<text>[^{}]+)\}")


@dataclass(frozen=True)
class LabelledAnswer:
    """One line of the labelled set: the plain text and the spans that must be removed."""

    text: str
    spans: tuple[Span, ...]


@dataclass
class RecallResult:
    """What the measurement found, per category and overall."""

    labelled: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    right_tag: Counter[str] = field(default_factory=Counter)
    negatives: int = 0
    negatives_changed: int = 0
    spurious: int = 0  #: removals that touched no labelled item (on any line)
    misses: list[str] = field(default_factory=list)  #: the lines with a miss, for improving the rules

    @property
    def recall(self) -> float:
        """Share of labelled items fully removed."""
        return sum(self.caught.values()) / max(1, sum(self.labelled.values()))

    @property
    def clean_kept(self) -> float:
        """Share of clean (unlabelled) answers left exactly as written."""
        return 1 - self.negatives_changed / max(1, self.negatives)

    def lines(self) -> list[str]:
        """The result as printable lines."""
        out = [f"{'category':<10} {'items':>5} {'caught':>6} {'recall':>7} {'right tag':>9}"]
        for category in sorted(self.labelled):
            n = self.labelled[category]
            out.append(
                f"{category:<10} {n:>5} {self.caught[category]:>6} {self.caught[category] / n:>7.1%}"
                f" {self.right_tag[category] / n:>9.1%}"
            )
        total = sum(self.labelled.values())
        out.append(
            f"{'all':<10} {total:>5} {sum(self.caught.values()):>6} {self.recall:>7.1%}"
            f" {sum(self.right_tag.values()) / max(1, total):>9.1%}"
        )
        out.append(
            f"clean answers kept unchanged: {self.negatives - self.negatives_changed}/{self.negatives}"
            f" ({self.clean_kept:.1%}); removals touching no labelled item: {self.spurious}"
        )
        return out


def parse_labelled(lines: Iterable[str]) -> list[LabelledAnswer]:
    """Labelled answers from the marked-up lines (comments and blank lines skipped)."""
    answers = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, spans, cursor = [], [], 0
        length = 0
        for m in _MARK.finditer(line):
            plain = line[cursor : m.start()]
            text.append(plain)
            length += len(plain)
            spans.append(Span(length, length + len(m.group("text")), m.group("category")))
            text.append(m.group("text"))
            length += len(m.group("text"))
            cursor = m.end()
        text.append(line[cursor:])
        answers.append(LabelledAnswer("".join(text), tuple(spans)))
    return answers


def measure(redactor: Redactor, answers: Sequence[LabelledAnswer]) -> RecallResult:
    """Run the redactor over the labelled answers and score it."""
    result = RecallResult()
    for answer in answers:
        found = redactor.find(answer.text)
        if not answer.spans:
            result.negatives += 1
            result.negatives_changed += bool(found)
        missed = False
        for span in answer.spans:
            result.labelled[span.category] += 1
            covered = {i for f in found for i in range(f.start, f.end)}
            needed = {i for i in range(span.start, span.end) if not answer.text[i].isspace()}
            if needed <= covered:
                result.caught[span.category] += 1
                overlapping = [f for f in found if f.start < span.end and f.end > span.start]
                result.right_tag[span.category] += all(f.category == span.category for f in overlapping)
            else:
                missed = True
        result.spurious += sum(1 for f in found if not any(f.start < s.end and f.end > s.start for s in answer.spans))
        if missed or (not answer.spans and found):
            result.misses.append(redactor.redact(answer.text).text + "    <- " + answer.text)
    return result


def _places_from_yaml(path: Path) -> list[str]:
    data = yamlsafe.load_path(path)
    return [str(area["label"]) for area in data.get("areas", [])]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print recall for a labelled file."""
    parser = argparse.ArgumentParser(prog="python -m analysis.text.recall", description=__doc__.split("\n")[0])
    parser.add_argument("labelled", type=Path)
    parser.add_argument("--place", action="append", default=[], help="a place to redact (repeatable)")
    parser.add_argument("--places-file", type=Path, help="an area list YAML (questionnaires/areas/*.yaml)")
    parser.add_argument("--school", action="append", default=[], help="a school name to redact (repeatable)")
    parser.add_argument("--show-misses", action="store_true", help="print each line with a miss or false alarm")
    args = parser.parse_args(argv)
    places = list(args.place) + (_places_from_yaml(args.places_file) if args.places_file else [])
    answers = parse_labelled(args.labelled.read_text(encoding="utf-8").splitlines())
    result = measure(Redactor(schools=args.school, places=places), answers)
    print(f"{len(answers)} answers, {sum(result.labelled.values())} labelled items, {result.negatives} clean answers")
    print("\n".join(result.lines()))
    if args.show_misses:
        print("\n".join(result.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
