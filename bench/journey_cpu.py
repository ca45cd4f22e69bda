"""CPU per respondent request in one process (Flask test client, no network, no other workers).

    python bench/journey_cpu.py                    # this checkout
    python bench/journey_cpu.py /tmp/perf-base     # another copy of the app (e.g. `git archive` of a commit)
    python bench/journey_cpu.py . --profile        # and the 40 costliest functions (cProfile)
    python bench/journey_cpu.py . --runs 5         # five measurements in one process: min and median
    python bench/journey_cpu.py . --instructions   # instructions per request (valgrind), steadiest of all

Steadier than request rates on a shared machine: the process's own CPU time for complete
submissions of the young people's questionnaire (random answers, as bench/load.py gives).
"""

from __future__ import annotations

import cProfile
import io
import itertools
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else ".").resolve()
sys.path.insert(0, str(SOURCE))
sys.path.append(str(Path(__file__).resolve().parent))  # last: bench/analysis.py must not shadow the package

from forms import parse_page  # noqa: E402 - bench/ is not a package
from werkzeug.datastructures import MultiDict  # noqa: E402

from survey_app import create_app  # noqa: E402 - from SOURCE
from survey_app.config import Config  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.questionnaire_store import load_questionnaires  # noqa: E402


def journey(client) -> int:  # type: ignore[no-untyped-def]
    """One complete submission; returns the requests made."""
    client.get("/")
    client.get("/start")
    client.post("/start", data={"questionnaire": "young-people"})
    html = client.get("/survey/intro").text
    where = re.search(r'href="(/survey/page/[^"]+)"', html).group(1)  # type: ignore[union-attr]
    requests = 4
    while where.startswith("/survey/page/"):
        page = parse_page(client.get(where).text)
        data = MultiDict(page.fields + page.answers(random, "a few words") + [("action", "continue")])
        where = client.post(where, data=data).location.replace("http://localhost", "")
        requests += 2
    client.get("/survey/check")
    sent = client.post("/survey/check", data={})
    assert "thank-you" in sent.location, sent.location
    client.get("/survey/thank-you")
    return requests + 3


def instructions() -> None:
    """Run this script under callgrind, counting only inside the measured journeys, and print
    instructions per request: unlike CPU time, other work on the machine does not change it."""
    out = Path(tempfile.mkdtemp(prefix="cv-cg-")) / "callgrind.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        "--collect-atstart=no",
        "--toggle-collect=starmap_next",  # on only inside the journeys (see main: itertools.starmap)
        sys.executable,
        __file__,
        str(SOURCE),
        "--counted",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our own arguments
    requests = int(re.search(r"COUNTED (\d+)", done.stdout).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE).group(1))  # type: ignore[union-attr]
    print(f"{SOURCE}: {total / requests / 1e6:.2f} million instructions per request ({requests} requests)")


def main() -> None:
    if "--instructions" in sys.argv:
        instructions()
        return
    folder = Path(tempfile.mkdtemp(prefix="cv-cpu-"))
    app = create_app(Config.for_tests(database_url=f"sqlite:///{folder / 'cpu.sqlite'}"))
    with app.app_context():
        db.create_all()
        load_questionnaires(SOURCE / "questionnaires")
        db.session.commit()
    for _ in range(1 if "--counted" in sys.argv else 3):  # warm up: templates compiled, questionnaires built
        journey(app.test_client())
    if "--counted" in sys.argv:  # under callgrind, which counts only inside itertools.starmap's calls
        requests = sum(itertools.starmap(journey, [(app.test_client(),) for _ in range(4)]))
        print(f"COUNTED {requests}")
        return
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    figures = []
    for _ in range(runs):
        if profile:
            profile.enable()
        started, requests = time.process_time(), 0
        for _ in range(15):
            requests += journey(app.test_client())
        spent = time.process_time() - started
        if profile:
            profile.disable()
        figures.append(spent / requests * 1000)
        print(
            f"{SOURCE}: {requests / 15:.0f} requests per submission, {figures[-1]:.2f} ms CPU per request", flush=True
        )
    if runs > 1:
        print(f"{runs} runs: min {min(figures):.2f} ms, median {statistics.median(figures):.2f} ms CPU per request")
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
