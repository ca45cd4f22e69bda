"""How precise the codebook's rules are on ordinary words, measured on the public pxtextmining data.

The rules (`analysis.coding.rules`) code answers from the violence-reduction codebook's phrases. The
public set is NHS patient feedback, coded by people into a different framework, so most of our themes
have no counterpart there. Two figures, both from answers nobody in this project wrote:

- **precision where the framework has a counterpart**: of the answers the rules give one of our themes,
  the share people coded with the matching NHS theme (activities, feeling safe, family and carers,
  information and guidance, environment, electronic entertainment). Higher is better.
- **ordinary-word codes per 1,000 answers** on themes with no counterpart (knives, gangs, peer pressure,
  money, jobs, bullying, drugs, police, media...): patient feedback is rarely about them, so nearly every
  such code is a word used in its everyday sense ("a great job", "on the phone", "my op"). Lower is better.

    python bench/rules_precision.py [--data PATH] [--codebook PATH]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "eval" / "pxtextmining" / "v6framework_230831.csv"
TEXT = "FFT answer"

#: our theme -> the NHS framework v6 themes that mean the same thing
COUNTERPARTS: dict[str, tuple[str, ...]] = {
    "youth_provision": ("Activities & access to fresh air",),
    "community_safety": ("Feeling safe",),
    "family_home": ("Interaction with family/ carers",),
    "where_to_get_help": (
        "Information provision & guidance",
        "Information directly from staff during care",
        "Contacting services",
    ),
    "unsafe_places": ("Environment & Facilities", "Feeling safe", "Cleanliness, tidiness & infection control"),
    "social_media": ("Electronic entertainment",),
}
#: themes whose meaning overlaps something the framework codes, without a clean counterpart: left out
UNMEASURED = frozenset({"mental_health", "school_education"})


@dataclass
class RulesPrecision:
    """The figures, with the counts behind them and the phrases that fired most off-topic."""

    answers: int = 0
    coded: dict[str, int] = field(default_factory=dict)
    agreed: dict[str, int] = field(default_factory=dict)
    off_topic: Counter[str] = field(default_factory=Counter)
    off_topic_phrases: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        """Pooled precision over the themes with a counterpart."""
        coded = sum(self.coded.values())
        return sum(self.agreed.values()) / coded if coded else float("nan")

    @property
    def off_topic_per_1000(self) -> float:
        """Codes on themes without a counterpart, per 1,000 answers."""
        return 1000 * sum(self.off_topic.values()) / self.answers if self.answers else float("nan")

    def lines(self) -> list[str]:
        """The figures as printed."""
        out = [
            f"Rules on {self.answers:,} public answers (pxtextmining framework v6, NHS England / the Strategy Unit):",
            f"  precision where the framework has a counterpart: {self.precision:.2f} "
            f"({sum(self.agreed.values())} of {sum(self.coded.values())} codes)",
        ]
        for theme in sorted(self.coded):
            n = self.coded[theme]
            out.append(f"    {theme}: {self.agreed[theme] / n if n else 0:.2f} ({self.agreed[theme]} of {n})")
        out.append(
            f"  ordinary-word codes on themes without a counterpart: {self.off_topic_per_1000:.1f} per 1,000 answers "
            f"({sum(self.off_topic.values())})"
        )
        if self.off_topic_phrases:
            top = ", ".join(f"{p} {n}" for p, n in self.off_topic_phrases.most_common(8))
            out.append(f"    most frequent: {top}")
        return out


def measure(data: Path = DATA, codebook: Path | None = None) -> RulesPrecision:
    """Code every non-empty answer of the public set with the rules and compare (see the module docstring)."""
    from analysis.coding.codebook import load_codebook
    from analysis.coding.rules import RulesCoder

    rules = RulesCoder(load_codebook(codebook) if codebook else load_codebook(), sub_themes=False)
    result = RulesPrecision(coded=dict.fromkeys(COUNTERPARTS, 0), agreed=dict.fromkeys(COUNTERPARTS, 0))
    with data.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get(TEXT) or "").strip()
            if not text:
                continue
            result.answers += 1
            scores, found = rules.score(text)
            for theme, score in scores.items():
                if score < 0.5:
                    continue
                if theme in COUNTERPARTS:
                    result.coded[theme] += 1
                    result.agreed[theme] += any((row.get(c) or "").strip() == "1" for c in COUNTERPARTS[theme])
                elif theme not in UNMEASURED:
                    result.off_topic[theme] += 1
                    for m in found:
                        if m.theme == theme and not m.negated:
                            result.off_topic_phrases[f'"{m.phrase}"'] += 1
    return result


def main() -> int:
    """Print the rules' precision on the public set."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--codebook", type=Path, default=None, help="another codebook file (default: ours)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"benchmark data not found at {args.data}", file=sys.stderr)
        return 1
    print("\n".join(measure(args.data, args.codebook).lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
