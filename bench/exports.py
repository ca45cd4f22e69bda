"""Benchmark: an analyst's export of N synthetic responses, built once and written as CSV, Excel and SPSS.

    python bench/exports.py                      # N = 10k
    python bench/exports.py --sizes 10000 100000
    python bench/exports.py --keep /tmp/bench    # keep (and reuse) the generated databases

The databases are `bench/report.py`'s (shipped questionnaires, random answers, coded free text).
Prints wall and CPU seconds for building the table and for each format, and the file sizes; on a
shared machine the CPU figure is the fairer one.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _report_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_report", Path(__file__).with_name("report.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(path: Path) -> None:
    """Time the table and each format, printing one line per step."""
    from analysis.exports import build_table, write

    mark = (time.perf_counter(), time.process_time())

    def step(name: str, extra: str = "") -> None:
        nonlocal mark
        now = (time.perf_counter(), time.process_time())
        print(f"  {name:<6} {now[0] - mark[0]:6.1f} s wall {now[1] - mark[1]:6.1f} s CPU  {extra}")
        mark = (time.perf_counter(), time.process_time())

    table = build_table(f"sqlite:///{path}", "bench-campaign")
    step("table", f"{table.rows:,} rows x {len(table.variables)} variables")
    for fmt in ("csv", "xlsx", "sav"):
        size = len(write(table, fmt))
        step(fmt, f"{size // 1024:,} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-exports-"))
    folder.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        path = folder / f"report-{n}.sqlite"
        if not path.exists():
            _report_bench().build(path, n)
        print(f"{n:,} responses")
        run(path)


if __name__ == "__main__":
    main()
