"""The web app and the respondent pages never load the heavy analysis libraries.

NLTK, SciPy, scikit-learn, matplotlib, wordcloud and pandas (and openpyxl and fontTools) once came
in through the staff pages' imports: every web worker paid about 1.6 s of CPU to start and held over 200 MB. They are imported
where analysis uses them, so building the app and answering a whole questionnaire loads none of
them. Checked in a fresh interpreter, since this test process has imported them already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("nltk", "scipy", "sklearn", "matplotlib", "wordcloud", "pandas", "vaderSentiment", "joblib")
#: not analysis libraries, but 20-30 MB each in every worker for staff-only downloads and uploads
STAFF_ONLY = ("openpyxl", "fontTools")

DRIVER = textwrap.dedent(
    """
    import json, re, sys
    from pathlib import Path

    from survey_app import create_app
    from survey_app.config import Config
    from survey_app.extensions import db
    from survey_app.questionnaire_store import load_questionnaires
    import datetime as dt
    from survey_app.models import Campaign

    heavy = {heavy!r}
    seen = {{"after_create_app": sorted(m for m in heavy if m in sys.modules)}}
    app = create_app(Config.for_tests(database_url={url!r}))
    seen["after_create_app"] = sorted(m for m in heavy if m in sys.modules)
    with app.app_context():
        db.create_all()
        load_questionnaires(Path({folder!r}))
        today = dt.date.today()
        db.session.add(Campaign(slug="have-your-say", name="Have your say", opens_on=today, closes_on=today))
        db.session.commit()
    client = app.test_client()
    statuses = [client.get("/").status_code, client.get("/start").status_code]
    statuses.append(client.post("/start", data={{"questionnaire": "young-people"}}).status_code)
    intro = client.get("/survey/intro")
    where = re.search(r'href="(/survey/page/[^"]+)"', intro.text).group(1)
    for _ in range(60):
        if not where.startswith("/survey/page/"):
            break
        statuses.append(client.get(where).status_code)
        posted = client.post(where, data={{"action": "continue"}})
        statuses.append(posted.status_code)
        where = posted.location.replace("http://localhost", "")
    statuses.append(client.get("/survey/check").status_code)
    sent = client.post("/survey/check", data={{"submission_key": ""}})
    statuses.append(sent.status_code)
    statuses.append(client.get("/survey/thank-you").status_code)
    statuses.append(client.get("/help").status_code)
    seen["statuses"] = statuses
    seen["sent_to"] = sent.location
    seen["after_journey"] = sorted(m for m in heavy if m in sys.modules)
    json.dump(seen, sys.stdout)
    """
)


def test_app_and_a_whole_respondent_journey_load_no_heavy_library(tmp_path: Path) -> None:
    script = DRIVER.format(
        heavy=HEAVY + STAFF_ONLY, url=f"sqlite:///{tmp_path / 'weight.sqlite'}", folder=str(ROOT / "questionnaires")
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "COMMUNITY_VOICE_ENV")}
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["after_create_app"] == [], f"building the app imported {seen['after_create_app']}"
    assert all(s in (200, 302, 303) for s in seen["statuses"]), seen["statuses"]
    assert "thank-you" in seen["sent_to"], "the answers were not sent"
    assert seen["after_journey"] == [], f"the respondent pages imported {seen['after_journey']}"
