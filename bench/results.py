"""Benchmark: the workspace's results page for N synthetic responses, cold and kept.

    python bench/results.py                      # N = 3k (the demo's size) and 10k
    python bench/results.py --sizes 100000       # choose
    python bench/results.py --keep /tmp/bench    # keep (and reuse) the generated databases

The databases are `bench/report.py`'s (the app's schema, the shipped questionnaires, coded free
text). In a fresh process (so imports start cold, as in a worker), it times: reading the campaign
(answers, free text and schools: once per state of the answers), importing scipy.stats (the first
interval a worker works out), building the whole page, the same
page again (kept), and pages filtered by one audience and by one area. Each figure is the wall time
of the service call, without the template (which takes milliseconds).
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

STEPS = ("read", "stats", "page", "kept", "audience", "area")


def _report_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_report", Path(__file__).with_name("report.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(path: Path) -> dict:
    """Time each step in this (fresh) process."""
    from analysis.report.priorities import copy_seeds
    from analysis.stats import z_for
    from survey_app import create_app
    from survey_app.config import Config
    from survey_app.extensions import db
    from survey_app.models import Campaign
    from survey_app.staff.results import service

    app = create_app(Config.for_tests(database_url=f"sqlite:///{path}"))
    times: dict[str, float] = {}
    with app.app_context():
        campaign = db.session.scalars(db.select(Campaign)).first()
        assert campaign is not None
        priorities = copy_seeds()
        mark = time.perf_counter()
        source = service.loaded(campaign)
        times["read"] = time.perf_counter() - mark
        # The first interval in a worker imports scipy.stats (seconds, once per process): timed on its own.
        mark = time.perf_counter()
        z_for()
        times["stats"] = time.perf_counter() - mark
        for name, filters in (
            ("page", service.Filters()),
            ("kept", service.Filters()),
            ("audience", service.Filters(audience=source.choices.audiences[0][0])),
            ("area", service.Filters(area=source.choices.areas[0][0] if source.choices.areas else "")),
        ):
            mark = time.perf_counter()
            page = service.results_page(campaign, filters, priorities)
            times[name] = time.perf_counter() - mark
        return {"responses": source.data.n, "charts": len(page.measures) + len(page.reasons), "times": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3_000, 10_000])
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-results-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        "Wall seconds: read the campaign, import scipy.stats (once per worker), build the page, the same page "
        "kept, one audience, one area."
    )
    print(f"{'responses':>10} " + " ".join(f"{s:>9}" for s in STEPS))
    for n in args.sizes:
        path = folder / f"bench-report-{n}.sqlite"
        if not path.exists():
            _report_bench().build(path, n)
        out = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--run", str(path)], check=True, capture_output=True, text=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['responses']:>10,} " + " ".join(f"{r['times'][s]:>9.2f}" for s in STEPS))


if __name__ == "__main__":
    main()
