"""`python -m analysis report`: build a campaign's findings report and write one file per format.

    python -m analysis report --database-url URL --campaign SLUG --out DIR \\
        [--format html,pdf,docx,xlsx,pptx] [--compare-with EARLIER] [--audience young_people ...]
        [--weight] [--threshold 10] [--round 5] [--word-clouds] [--spec spec.json] [--json]

`build_files` is the same thing as a function, for `flask reports build` to wrap.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis.load import load_campaign
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.model import SECTION_KINDS
from analysis.report.priorities import PriorityConfig
from analysis.report.render import FORMATS, write_files
from analysis.report.text_load import load_text


def add_parser(commands: Any) -> None:
    """Add the `report` subcommand to the analysis command line."""
    p = commands.add_parser("report", help="build a findings report (HTML, PDF, Word, Excel, slides)")
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--campaign", required=True, help="the campaign's slug")
    p.add_argument("--out", required=True, type=Path, help="folder to write the files into")
    p.add_argument("--format", default=",".join(FORMATS), help="comma-separated: " + ",".join(FORMATS))
    p.add_argument("--compare-with", help="an earlier campaign's slug")
    p.add_argument("--audience", action="append", default=[], help="only these audiences (repeatable)")
    p.add_argument("--weight", action="store_true", help="weight to the population (age band × sex)")
    p.add_argument("--threshold", type=int, default=10, help="smallest count published (default 10)")
    p.add_argument("--round", type=int, default=None, help="round published counts to this base")
    p.add_argument("--word-clouds", action="store_true", help="add word clouds (slower: every answer is redacted)")
    p.add_argument("--spec", type=Path, help="a report spec as JSON (the workspace's saved choices)")
    p.add_argument("--json", action="store_true", help="also write the report model as JSON")


def spec_from_dict(raw: dict[str, Any]) -> ReportSpec:
    """A report spec from JSON data (unknown keys are refused, so a typo is not silently ignored)."""
    known = set(ReportSpec.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown report settings: {', '.join(sorted(unknown))}")
    values = dict(raw)
    if "priorities" in values:
        values["priorities"] = [PriorityConfig(**p) for p in values["priorities"]]
    return ReportSpec(**values)


def build_files(
    database_url: str,
    slug: str,
    out: Path,
    formats: Sequence[str],
    spec: ReportSpec,
    earlier: str | None = None,
    progress: Callable[[str], None] | None = None,
    write_json: bool = False,
) -> list[Path]:
    """Load the campaign, build the report and write one file per format; returns the paths."""
    say = progress or (lambda _step: None)
    say("loading answers")
    data = load_campaign(database_url, slug)
    before = load_campaign(database_url, earlier) if earlier else None
    text = (
        load_text(database_url, data)
        if set(spec.sections) & {"themes", "quotes", "word_clouds", "priorities"}
        else None
    )
    say("building the report")
    report = build_report(
        ReportData(
            data,
            before,
            text.records if text else [],
            text.population if text else None,
            text.redactor if text else None,
            text.theme_labels if text else {},
        ),
        spec,
    )
    paths = write_files(report, out, formats, progress=lambda fmt: say(f"writing {fmt}"))
    if write_json:
        path = out / (paths[0].stem + ".json" if paths else f"{slug}.json")
        path.write_text(report.to_json(), encoding="utf-8")
        paths.append(path)
    return paths


def run(args: argparse.Namespace) -> int:
    """Run `python -m analysis report`; returns the exit code."""
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"error: unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)})", file=sys.stderr)
        return 2
    raw = json.loads(args.spec.read_text(encoding="utf-8")) if args.spec else {}
    spec = spec_from_dict(raw)
    spec.threshold, spec.round_to, spec.weight = args.threshold, args.round, args.weight or spec.weight
    spec.audiences = args.audience or spec.audiences
    if args.word_clouds and "word_clouds" not in spec.sections:
        spec.sections = [s for s in SECTION_KINDS if s in spec.sections or s == "word_clouds"]
    steps = 2 + len(formats)
    done = 0

    def progress(step: str) -> None:
        nonlocal done
        done += 1
        filled = round(20 * done / steps)
        print(f"\r[{'#' * filled}{'.' * (20 - filled)}] {step:<30}", end="", file=sys.stderr, flush=True)

    paths = build_files(
        args.database_url, args.campaign, args.out, formats, spec, args.compare_with, progress, args.json
    )
    print(file=sys.stderr)
    for path in paths:
        print(path)
    return 0
