"""What a finding holds, and the settings it is made with: the data that findings, wording and reports share.

Every table in a finding has been through `analysis.disclosure`; its sentences are written from
those published cells (`analysis.wording`), so a statement can never quote a hidden count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.config import Benchmark, Phrase, load_benchmarks, load_phrases
from analysis.disclosure import DEFAULT_POLICY, Cell, DisclosurePolicy, ProtectedCounts, ProtectedTable
from analysis.load import CampaignData
from analysis.stats import ChiSquare, Comparison
from analysis.weighting import Weights


@dataclass
class Settings:
    """What to compare with, how to weight, and the disclosure rules."""

    policy: DisclosurePolicy = DEFAULT_POLICY
    weights: Weights | None = None
    benchmarks: list[Benchmark] = field(default_factory=load_benchmarks)
    phrases: dict[str, Phrase] = field(default_factory=load_phrases)
    #: an earlier campaign to compare with on the same measure (or question key)
    earlier: CampaignData | None = None
    earlier_weights: Weights | None = None


@dataclass
class ComparisonLine:
    """Our figure against a benchmark or an earlier campaign, with the test and the words it allows."""

    kind: str  #: "benchmark" or "earlier"
    label: str  #: "the Greater Manchester average", "Youth Safety Survey 2024"
    ours: Cell
    theirs: float  #: per cent
    test: Comparison
    words: str  #: "lower than", "higher than", "similar to", "a reduction since", ...
    citation: str = ""
    #: the benchmark's id (for a benchmark line): labels may repeat, ids don't
    benchmark_id: str = ""


@dataclass
class Breakdown:
    """A finding split by a dimension (age band, area ...), protected as one table."""

    name: str
    title: str
    table: ProtectedTable
    #: the column whose percentages the sentence compares (a top box, or an option)
    focus: str | None
    test: ChiSquare | None
    statement: str


@dataclass
class Finding:
    """Everything published about one question or measure."""

    id: str
    question: str
    subject: str
    kind: str
    audiences: list[str]
    table: ProtectedCounts
    #: for rankings: how often each option was the first choice
    first_choices: ProtectedCounts | None
    #: the subtotal the headline is about (a top box), if any
    headline: str | None
    phrase: Phrase | None
    comparisons: list[ComparisonLine]
    breakdowns: list[Breakdown]
    statement: str = ""
    notes: list[str] = field(default_factory=list)
    weighting: list[str] = field(default_factory=list)
    #: whether the percentages are weighted (the counts and bases never are)
    weighted: bool = False
    #: whether the answer given most often is among the published cells (None: not known)
    top_shown: bool | None = None
    #: the words each questionnaire asked, when they differ from `question` (pooled in neutral words)
    asked: list[str] = field(default_factory=list)

    @property
    def base(self) -> Cell:
        """How many answered (published)."""
        return self.table.total
