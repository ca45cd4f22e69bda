"""Benchmark: "free text at a glance" for N synthetic responses, everything on it protected as one publication.

    python bench/text_page.py                      # N = 3k (the demo's size) and 10k
    python bench/text_page.py --sizes 30000        # choose
    python bench/text_page.py --keep /tmp/bench    # keep (and reuse) the generated databases

The databases are `bench/report.py`'s (coded free text). In a fresh process it measures, in CPU
seconds of this process (steadier than wall time on a shared machine): the first page (redacting
every answer and scoring its tone, then protecting the progress, tone and word tables together),
the same page again (words and protection remembered), and the protection alone (the LP system
of every table on the page, solved afresh with the words already read), with how many tables and
shown words the page has.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("first", "again", "protect")


def _report_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_report", Path(__file__).with_name("report.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(path: Path) -> dict:
    """Measure each step in this (fresh) process."""
    from survey_app import create_app
    from survey_app.config import Config
    from survey_app.extensions import db
    from survey_app.models import Campaign
    from survey_app.staff.free_text import insights_page

    app = create_app(Config.for_tests(database_url=f"sqlite:///{path}"))
    cpu: dict[str, float] = {}
    with app.test_request_context():
        campaign = db.session.scalars(db.select(Campaign)).first()
        assert campaign is not None
        for step in STEPS:
            if step == "protect":
                insights_page._PAGES.clear()
            mark = time.process_time()
            page = insights_page.text_page(campaign)
            cpu[step] = time.process_time() - mark
        words = sum(len(g.words) for groups in page.clouds.values() for g in groups)
        return {
            "answers": page.progress.answers.value,
            "tables": len(page.publication),
            "words": words,
            "cpu": cpu,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3_000, 10_000])
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-text-page-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("CPU seconds: the first page, the same page again, the protection alone; tables and words shown.")
    print(f"{'responses':>10} {'answers':>8} " + " ".join(f"{s:>8}" for s in STEPS) + f" {'tables':>7} {'words':>6}")
    for n in args.sizes:
        path = folder / f"bench-report-{n}.sqlite"
        if not path.exists():
            _report_bench().build(path, n)
        out = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--run", str(path)], check=True, capture_output=True, text=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{n:>10,} {r['answers'] or 0:>8,} "
            + " ".join(f"{r['cpu'][s]:>8.2f}" for s in STEPS)
            + f" {r['tables']:>7} {r['words']:>6}"
        )


if __name__ == "__main__":
    main()
