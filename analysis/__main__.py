"""The analysis command line: findings for a campaign, straight from the database.

    python -m analysis campaigns --database-url URL
    python -m analysis findings --database-url URL --campaign SLUG [--question KEY | --measure ID]
        [--questionnaire ID] [--by age_band --by area ...] [--where gender=Girl] [--weight]
        [--compare-with EARLIER_SLUG] [--threshold 10] [--round 5] [--format text|json|csv]
    python -m analysis report --database-url URL --campaign SLUG --out DIR [--format html,pdf,docx,xlsx,pptx]

`--database-url` defaults to $DATABASE_URL. Without --question or --measure every question is
reported. Every table has been through disclosure control.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import numpy as np

from analysis import wording
from analysis.config import load_benchmarks
from analysis.dimensions import DIMENSIONS, dimension
from analysis.disclosure import DisclosurePolicy, DisclosureRefused
from analysis.findings import Finding, Settings, finding, full_report
from analysis.load import CampaignData, CampaignNotFound, campaign_slugs, load_campaign
from analysis.report import cli as report_cli
from analysis.weighting import load_population, weight_campaign


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("campaigns", help="list the campaigns in the database")
    listing.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    f = commands.add_parser("findings", help="findings for a campaign (text, JSON or CSV)")
    f.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    f.add_argument("--campaign", required=True, help="the campaign's slug")
    which = f.add_mutually_exclusive_group()
    which.add_argument("--question", help="a question key")
    which.add_argument("--measure", help="a shared measure id (all audiences that ask it)")
    f.add_argument("--questionnaire", help="only this questionnaire (when a key is in several)")
    f.add_argument("--by", action="append", default=[], choices=sorted(DIMENSIONS), help="break down by (repeatable)")
    f.add_argument("--where", help="only one group, e.g. gender=Girl or area=Old Trafford")
    f.add_argument("--weight", action="store_true", help="rake to the population (age band × sex, and area)")
    f.add_argument("--population", help="population CSV (ONS single years of age by sex); default Trafford mid-2024")
    f.add_argument("--area-population", help="CSV with columns area,population to weight by area too")
    f.add_argument("--benchmarks", help="benchmarks YAML (default: the shipped analysis/data/benchmarks.yaml)")
    f.add_argument("--compare-with", help="an earlier campaign's slug, to compare the same measures")
    f.add_argument("--threshold", type=int, default=10, help="smallest count published (default 10)")
    f.add_argument("--round", type=int, default=None, help="round published counts to this base, e.g. 5")
    f.add_argument("--format", choices=("text", "json", "csv"), default="text")
    report_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    try:
        if args.command == "campaigns":
            print("\n".join(campaign_slugs(args.database_url)))
            return 0
        if args.command == "report":
            return report_cli.run(args)
        findings = _findings(args)
    except (CampaignNotFound, LookupError, DisclosureRefused, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    render = {"text": wording.to_text, "json": wording.to_json, "csv": wording.to_csv}[args.format]
    sys.stdout.write(render(findings))
    return 0


def _findings(args: argparse.Namespace) -> list[Finding]:
    data = load_campaign(args.database_url, args.campaign)
    population = load_population(args.population, args.area_population) if args.weight else None
    settings = Settings(
        policy=DisclosurePolicy(threshold=args.threshold, round_to=args.round),
        benchmarks=load_benchmarks(args.benchmarks),
    )
    if population is not None:
        settings.weights = weight_campaign(data, population)
    if args.compare_with:
        settings.earlier = load_campaign(args.database_url, args.compare_with)
        if population is not None:
            settings.earlier_weights = weight_campaign(settings.earlier, population)
    if not args.question and not args.measure:
        if args.where:
            raise ValueError("--where needs --question or --measure")
        return full_report(data, by=args.by, settings=settings)
    where, label = _where(data, args.where) if args.where else (None, "")
    return [
        finding(
            data,
            key=args.question,
            measure=args.measure,
            questionnaire=args.questionnaire,
            by=args.by,
            where=where,
            where_label=label,
            settings=settings,
        )
    ]


def _where(data: CampaignData, text: str) -> tuple[np.ndarray, str]:
    """A group filter such as "gender=Girl" as a mask, and the words that describe it."""
    name, _, label = text.partition("=")
    dim = dimension(data, name.strip())
    wanted = label.strip().lower()
    matches = [i for i, lb in enumerate(dim.labels) if lb.lower() == wanted]
    if not matches:
        raise LookupError(f"no {dim.title} called '{label.strip()}' (there are: {', '.join(dim.labels)})")
    return dim.codes == matches[0], f"{dim.title}: {dim.labels[matches[0]]}"


if __name__ == "__main__":
    raise SystemExit(main())
