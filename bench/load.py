"""The school burst against the production configuration: gunicorn, COMMUNITY_VOICE_ENV=production,
an HTTPS proxy's headers, on SQLite or PostgreSQL. A bounded load generator on loopback only.

    python bench/load.py --db sqlite                   # the full run: 900 pupils in 5 minutes, 300 in one
    python bench/load.py --db postgres --scale 0.25    # a quick run: a quarter of the pupils and windows
    python bench/load.py --db postgres --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_perf

What it does, each step printed:
1. builds a fresh database (the models' tables, `flask questionnaires load`) and starts gunicorn with the
   package's settings (survey_app.gunicorn_conf) on --port, and a no-op Flask app with the same
   settings on --port + 1;
2. the ceiling and the ratio: alternately, for --seconds each, as many clients as there are workers
   x 4 ask the no-op app for a page in a closed loop, then three times as many pupils run complete
   submissions (every page, the check page held for the duplicate guard's minimum, so most pupils
   would otherwise be waiting there instead of asking for pages; --waiting-pupils): the survey's
   request rate as a share of the no-op rate, repeated --rounds times because the machine is shared.
   Also the workers' CPU per request (from /proc) of each, whose ratio other load on the machine
   disturbs far less than it disturbs rates;
3. the bursts: 900 pupils starting at random within 5 minutes, reading each page for 2-8 s; and 300
   pupils starting within one minute, reading for 0.3-1.5 s (both shortened by --scale); all from one
   address, as a school's network is;
4. per page: p50, p95, p99 and errors; web workers' memory (RSS and PSS from /proc) after each burst;
5. that the stored responses are exactly the acknowledged ones: each pupil writes a unique marker
   in a free-text answer, and every acknowledged marker is stored once, with nothing else stored.

Goals (issue "Serving fast enough for a year group at once"): 0 errors, 0 lost or duplicated, p95
under 500 ms on every page, submissions at least 12% of the ceiling, web workers under 120 MB.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from forms import parse_page  # noqa: E402 - bench/ is not a package

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GOAL_P95_MS = 500
GOAL_RATIO = 0.12
GOAL_RSS_MB = 120
#: the questionnaire a secondary school's pupils answer
QUESTIONNAIRE = "young-people"
#: the duplicate guard's minimum time on the check page in production, plus a margin
CHECK_PAGE_SECONDS = 3.2
#: --source: a folder holding another copy of the app to serve instead of this checkout's
SOURCE = ""
#: a documentation address (RFC 5737) standing for the school's one public address
SCHOOL_ADDRESS = "203.0.113.9"


# --- one pupil's browser ---------------------------------------------------------------------------


@dataclass
class Stats:
    """Latency per page and errors, shared by every pupil thread (list.append is atomic)."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    last_ack: float = 0.0


class Browser:
    """A pupil's browser: one cookie jar, behind the school's HTTPS proxy, every request timed."""

    def __init__(self, port: int, stats: Stats | None) -> None:
        self.port, self.stats, self.cookies = port, stats, {}  # type: ignore[var-annotated]

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """(status, Location, body); a failed connection counts as an error with status 0."""
        body = urllib.parse.urlencode(form or []).encode() if method == "POST" else None
        headers = {
            "Host": "survey.example.org",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": SCHOOL_ADDRESS,
            "Accept-Language": "en-GB,en;q=0.8",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Sec-Fetch-Site"] = "same-origin"
        label = f"{method} {_label(path)}"
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            status, location = response.status, response.getheader("Location", "")
            for raw in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = raw.partition("=")
                value = rest.split(";", 1)[0]
                if "Expires=Thu, 01 Jan 1970" in raw or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status, location, data = 0, "", repr(exc)
        elapsed = time.perf_counter() - started
        if self.stats is not None:
            self.stats.timings[label].append(elapsed)
            if status == 0 or status >= 400:
                self.stats.errors.append(f"{label}: {status} {data[:120]!r}")
        return status, _path(location), data


def _label(path: str) -> str:
    path = path.split("?", 1)[0]
    path = re.sub(r"^/survey/page/.*", "/survey/page/*", path)
    return re.sub(r"^/static/.*", "/static/*", path)


def _path(location: str) -> str:
    """A redirect's path on this site (drop scheme and host)."""
    return re.sub(r"^https?://[^/]+", "", location)


def journey(port: int, stats: Stats | None, marker: str, think: tuple[float, float]) -> bool:
    """One pupil from the landing page to the thank-you page; True when the answers were acknowledged."""
    b = Browser(port, stats)

    def read(page_seconds: float | None = None) -> None:
        time.sleep(page_seconds if page_seconds is not None else random.uniform(*think))  # noqa: S311 - pacing, not secrets

    status, _, html = b.request("GET", "/")
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        b.request("GET", asset)  # a fresh browser fetches the styles and script once
    read()
    status, _, html = b.request("GET", "/start")
    start = parse_page(html)
    status, location, _ = b.request("POST", "/start", start.fields + [("questionnaire", QUESTIONNAIRE)])
    if status != 302:
        return False
    status, _, html = b.request("GET", location)
    match = re.search(r'href="(/survey/page/[^"]+)"', html)
    where = match.group(1) if match else ""
    read()
    wrote = False
    for _ in range(80):  # far more than any questionnaire has pages
        if not where.startswith("/survey/page/"):
            break
        status, _, html = b.request("GET", where)
        page = parse_page(html)
        answers = page.answers(random, None if wrote else marker)
        wrote = wrote or any(v == marker for _, v in answers)
        read()
        status, location, html = b.request("POST", where, page.fields + answers + [("action", "continue")])
        if status == 200:  # an answer the page refused: leave this page's questions blank instead
            status, location, _ = b.request("POST", where, page.fields + [("action", "continue")])
        if status != 302:
            return False
        where = location
    if not where.startswith("/survey/check"):
        return False
    status, _, html = b.request("GET", "/survey/check")
    check = parse_page(html)
    read(max(CHECK_PAGE_SECONDS, random.uniform(*think)))  # noqa: S311 - pacing, not secrets
    status, location, _ = b.request("POST", "/survey/check", check.fields)
    if status != 303 or not location.startswith("/survey/thank-you"):
        if stats is not None:
            stats.errors.append(f"POST /survey/check not acknowledged: {status} {location}")
        return False
    if stats is not None:
        stats.acknowledged.append(marker)
        stats.last_ack = time.perf_counter()
    b.request("GET", location)
    return wrote


# --- servers ----------------------------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    """Production settings as a council would set them behind one TLS-terminating proxy."""
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_APP", "PYTHONPATH")}
    if SOURCE:
        env["PYTHONPATH"] = SOURCE  # another checkout of the app (an earlier commit, to compare)
    env.update(
        COMMUNITY_VOICE_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=database_url,
        TRUSTED_PROXY_HOPS="1",
        TRUSTED_HOSTS="survey.example.org",
    )
    return env


def fresh_database(args: argparse.Namespace, workdir: Path) -> str:
    """An empty database with the schema and the shipped questionnaires; returns its URL."""
    if args.db == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite'}"
    else:
        url = args.database_url
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    env = server_env(url)
    # The tables from the models (what this checkout serves), then the shipped questionnaires.
    schema = (
        "from survey_app.wsgi import app\nfrom survey_app.extensions import db\nwith app.app_context(): db.create_all()"
    )
    for command in (
        [PYTHON, "-c", schema],
        [PYTHON, "-m", "flask", "--app", "survey_app.wsgi", "questionnaires", "load"],
    ):
        subprocess.run(command, env=env, cwd=workdir, check=True, capture_output=True)  # noqa: S603
    return url


def start_gunicorn(app: str, port: int, env: dict[str, str], workdir: Path, extra: list[str]) -> subprocess.Popen:
    """gunicorn with the package's settings; returns once it answers."""
    log = (workdir / f"gunicorn-{port}.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, "-m", "gunicorn", "-c", "python:survey_app.gunicorn_conf", *extra, "--bind", f"127.0.0.1:{port}", app],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 180  # a loaded machine takes a while to import and build the app
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on {port} stopped: see {log.name}")
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/", headers={"Host": "survey.example.org", "X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(request, timeout=5).read()  # noqa: S310 - loopback only
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn on {port} did not answer within 180 s: see {log.name}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server this script started (gunicorn's graceful stop, then a kill)."""
    process.terminate()
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()


def worker_memory(master: int) -> list[tuple[int, float, float]]:
    """(pid, RSS MB, PSS MB) of each worker of a gunicorn master, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid != master:
                continue
            status = (entry / "status").read_text()
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
            rollup = (entry / "smaps_rollup").read_text()
            pss = int(re.search(r"Pss:\s+(\d+)", rollup).group(1)) / 1024  # type: ignore[union-attr]
        except (OSError, AttributeError, IndexError, ValueError):
            continue
        found.append((int(entry.name), rss, pss))
    return sorted(found)


# --- the measurements -------------------------------------------------------------------------------


def worker_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by every worker a gunicorn master has had, from /proc.

    Workers are recycled (max_requests), so the live workers' own counters can fall between two
    readings: a busy worker exits and a fresh one starts from zero. Its CPU is not lost: once the
    master reaps it, the kernel adds it to the master's cutime and cstime. So this is the live
    workers' (and not yet reaped ones') utime + stime plus the master's figures for exited children,
    which only ever grows.
    """
    clock = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 12 and fields[1] == str(master):  # a worker (a zombie too: its counters stay)
            total += int(fields[11]) + int(fields[12])  # utime, stime
    try:
        fields = Path(f"/proc/{master}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[13]) + int(fields[14])  # cutime, cstime: workers already exited and reaped
    except (OSError, IndexError, ValueError):
        pass
    return total / clock


def closed_loop(work: Callable[[], int], clients: int, seconds: float, master: int) -> tuple[float, float]:
    """Requests per second when `clients` threads call `work()` (which returns requests made) back to
    back, and the server's CPU milliseconds per request (steadier than rates on a shared machine)."""
    done = [0] * clients
    stop_at = time.perf_counter() + seconds

    def run(i: int) -> None:
        while time.perf_counter() < stop_at:
            done[i] += work()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    cpu = worker_cpu(master)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    requests = max(1, sum(done))
    return requests / (time.perf_counter() - started), (worker_cpu(master) - cpu) * 1000 / requests


def noop_requests(port: int) -> int:
    Browser(port, None).request("GET", "/")
    return 1


def journey_requests(port: int) -> int:
    counter = Stats()
    journey(port, counter, f"ratio-{secrets.token_hex(6)}", (0.0, 0.0))
    return sum(len(v) for v in counter.timings.values())


def ratio(args: argparse.Namespace, clients: int, app: int, noop: int) -> list[tuple[float, float, float, float]]:
    """(no-op rate, submission rate, no-op CPU ms per request, submission CPU ms per request), alternately.

    Each pupil holds the check page for CHECK_PAGE_SECONDS, as the duplicate guard requires: with as
    many pupils as no-op clients, most of them would be waiting there rather than asking for pages,
    and the rate would measure their waiting, not the server. So the submissions get
    `--waiting-pupils` times as many pupils (3: about as many at work as the no-op has clients).
    """
    rows = []
    pupils = round(clients * args.waiting_pupils)
    for _ in range(args.rounds):
        noop_rate, noop_cpu = closed_loop(lambda: noop_requests(args.port + 1), clients, args.seconds, noop)
        rate, cpu = closed_loop(lambda: journey_requests(args.port), pupils, args.seconds, app)
        rows.append((noop_rate, rate, noop_cpu, cpu))
        print(
            f"  no-op {noop_rate:7.1f} req/s ({noop_cpu:4.1f} ms CPU each, workers busy {noop_rate * noop_cpu / 1000:.2f} "
            f"cores)   submissions {rate:6.1f} req/s ({cpu:4.1f} ms CPU each, {rate * cpu / 1000:.2f} cores)   "
            f"ratio {rate / noop_rate:6.1%} by rate, {noop_cpu / cpu:6.1%} by CPU",
            flush=True,
        )
    return rows


def burst(port: int, pupils: int, window: float, think: tuple[float, float]) -> tuple[Stats, float]:
    """`pupils` journeys starting at random within `window` seconds; returns stats and seconds to the last ack."""
    stats = Stats()
    run_id = secrets.token_hex(4)
    starts = sorted(random.uniform(0, window) for _ in range(pupils))  # noqa: S311 - pacing, not secrets
    threading.stack_size(512 * 1024)
    threads = []
    began = time.perf_counter()
    for n, at in enumerate(starts):
        time.sleep(max(0.0, began + at - time.perf_counter()))
        marker = f"bench {run_id} pupil {n}"
        t = threading.Thread(target=journey, args=(port, stats, marker, think), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(timeout=600)
    return stats, (stats.last_ack - began) if stats.last_ack else 0.0


def report(name: str, stats: Stats, span: float, pupils: int) -> bool:
    """Per-page percentiles and errors; True when every page met the p95 goal and nothing failed."""
    print(f"\n{name}: {pupils} pupils, {len(stats.acknowledged)} acknowledged, last at {span:.0f} s")
    print(f"  {'page':<28}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    ok = True
    for label in sorted(stats.timings):
        ms = sorted(x * 1000 for x in stats.timings[label])
        p50, p95, p99 = (ms[min(len(ms) - 1, int(q * len(ms)))] for q in (0.5, 0.95, 0.99))
        flag = "" if p95 < GOAL_P95_MS else "  <-- over goal"
        ok = ok and not flag
        print(f"  {label:<28}{len(ms):>9}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{flag}")
    print(f"  errors: {len(stats.errors)}")
    for line in stats.errors[:10]:
        print(f"    {line}")
    return ok and not stats.errors and len(stats.acknowledged) == pupils


def stored_check(url: str, acknowledged: list[str], responses_before: int) -> bool:
    """Every acknowledged marker stored exactly once, and no response stored that was not acknowledged."""
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM response")).scalar_one()
        rows = conn.execute(text("SELECT text FROM answer WHERE text LIKE 'bench %'")).scalars().all()
    engine.dispose()
    counts: dict[str, int] = defaultdict(int)
    for value in rows:
        counts[value] += 1
    lost = [m for m in acknowledged if counts.get(m, 0) == 0]
    duplicated = [m for m, c in counts.items() if c > 1]
    stored = total - responses_before
    print(
        f"  stored {stored} responses for {len(acknowledged)} acknowledged: "
        f"{len(lost)} lost, {len(duplicated)} duplicated, {max(0, stored - len(acknowledged))} unacknowledged"
    )
    return stored == len(acknowledged) and not lost and not duplicated


def responses_now(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        total = int(conn.execute(text("SELECT count(*) FROM response")).scalar_one())
    engine.dispose()
    return total


def memory(master: int) -> bool:
    workers = worker_memory(master)
    print("  web workers: " + ", ".join(f"RSS {rss:.0f} MB / PSS {pss:.0f} MB" for _, rss, pss in workers))
    return bool(workers) and all(rss < GOAL_RSS_MB for _, rss, _ in workers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test_perf")
    parser.add_argument("--port", type=int, default=8101, help="the app; the no-op app uses the next port")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink pupils and windows (0.25: a quick run)")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each ratio measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating no-op / submission measurements")
    parser.add_argument(
        "--waiting-pupils",
        type=float,
        default=3.0,
        help="pupils per no-op client in the ratio's submissions (they wait on the check page; 1: as before)",
    )
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY for both servers (0: the default)")
    parser.add_argument("--source", default="", help="serve the app from this folder (e.g. an earlier commit)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (database, gunicorn logs)")
    args = parser.parse_args()
    global SOURCE  # noqa: PLW0603 - one setting for the servers' environment
    SOURCE = str(Path(args.source).resolve()) if args.source else ""

    # Stopped from outside (timeout, kill): still stop the servers this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="cv-load-"))
    print(f"working in {workdir}; database: {args.db}", flush=True)
    url = fresh_database(args, workdir)
    env = server_env(url)
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    noop_env = {**env, "PYTHONPATH": os.pathsep.join(p for p in (SOURCE, str(ROOT)) if p)}
    app = start_gunicorn("survey_app.wsgi:app", args.port, env, workdir, [])
    noop = None
    passed = True
    try:
        noop = start_gunicorn("bench.noop_app:app", args.port + 1, noop_env, workdir, [])
        workers = len(worker_memory(app.pid))
        clients = max(8, workers * 4)
        print(
            f"\nceiling and ratio ({workers} workers, {clients} no-op clients, {round(clients * args.waiting_pupils)} "
            f"pupils, {args.rounds} x {args.seconds:.0f} s each):"
        )
        rows = ratio(args, clients, app.pid, noop.pid)
        by_rate = statistics.median(s / n for n, s, _, _ in rows)
        by_cpu = statistics.median(nc / sc for _, _, nc, sc in rows)
        print(
            f"  median: no-op ceiling {statistics.median(r[0] for r in rows):.0f} req/s, submissions "
            f"{statistics.median(r[1] for r in rows):.0f} req/s; ratio {by_rate:.1%} by rate, {by_cpu:.1%} by "
            f"server CPU per request (goal {GOAL_RATIO:.0%})"
        )
        passed = by_rate >= GOAL_RATIO
        for name, pupils, window, think in (
            ("year group", round(900 * args.scale), 300 * args.scale, (2.0, 8.0)),
            ("one minute", round(300 * args.scale), 60 * args.scale, (0.3, 1.5)),
        ):
            before = responses_now(url)
            stats, span = burst(args.port, pupils, window, think)
            passed = report(f"{name} burst ({window:.0f} s window)", stats, span, pupils) and passed
            passed = stored_check(url, stats.acknowledged, before) and passed
            passed = memory(app.pid) and passed
    finally:
        stop(app)
        if noop is not None:
            stop(noop)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\nall goals met" if passed else "\nsome goals NOT met")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
