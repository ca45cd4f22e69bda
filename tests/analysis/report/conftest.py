"""A small campaign with known answers, built once per module through the app's models, and a report on it.

Young people (60, with two small answers hidden) and parents (40) answer "How safe do you feel",
and an earlier wave of 100 young people gives the comparison. Free text is given as records with
names, a phone number and a school in them, so every output can be checked for leaks.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from analysis.load import CampaignData, load_campaign
from analysis.quotes.redaction import Redactor
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.model import SECTION_KINDS, FindingsReport
from analysis.report.render import FORMATS, render
from analysis.text.records import TextAnswer
from survey_app import create_app
from survey_app.config import ROOT, Config
from survey_app.extensions import db
from survey_app.models import Answer, Campaign, CollectionPoint, QuestionnaireVersion, Response
from survey_app.questionnaire_store import load_questionnaires
from tests.conftest import PG_URL, reset_postgres

#: Details a quote must never carry once redacted.
SECRETS = ("Jayden", "07700 900123", "Stretford High")
#: A theme label a spreadsheet would run as a formula, if written as it is.
FORMULA_LABEL = '=HYPERLINK("http://example.invalid","police")'


def _people(**counts: int) -> list[str]:
    return [value for value, n in counts.items() for _ in range(n)]


def _campaign(slug: str, year: int) -> Campaign:
    campaign = Campaign(
        slug=slug,
        name=f"Youth Safety Survey {year}",
        description="",
        opens_on=dt.date(year, 9, 1),
        closes_on=dt.date(year + 1, 3, 31),
        questionnaire_ids=["young-people", "parents-carers"],
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _respond(
    campaign: Campaign, questionnaire_id: str, answers: list[dict[str, list[str]]], point: CollectionPoint | None
) -> None:
    version = db.session.scalar(select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire_id))
    assert version is not None
    questionnaire = version.questionnaire
    for given in answers:
        response = Response(
            questionnaire_version_id=version.id,
            audience=questionnaire.audience,
            language="en",
            campaign_id=campaign.id,
            collection_point_id=point.id if point else None,
            submitted_on=campaign.opens_on + dt.timedelta(days=30),
            idempotency_key=secrets.token_hex(8),
        )
        for key, values in given.items():
            q = questionnaire.question(key)
            for position, value in enumerate(values):
                response.answers.append(
                    Answer(question_key=key, position=position, measure=q.measure, value=value, rank=None)
                )
        db.session.add(response)
    db.session.flush()


def make_campaign() -> None:
    """Fill the database (inside an app context)."""
    load_questionnaires(ROOT / "questionnaires")
    now = _campaign("youth-2026", 2026)
    school = CollectionPoint(campaign_id=now.id, name="Canalside High School", kind="school", code="CANAL1")
    db.session.add(school)
    db.session.flush()
    young = []
    for i, feeling in enumerate(_people(very_safe=30, fairly_safe=12, very_unsafe=10, fairly_unsafe=5, dont_know=3)):
        person: dict[str, list[str]] = {"feel_safe_area": [feeling]}
        if feeling in ("very_unsafe", "fairly_unsafe"):
            n = i - 42  # 15 people: 12 tick ASB, 4 tick gangs (one ticks both)
            person["unsafe_reasons"] = ["asb"] * (n < 12) + ["gangs"] * (n >= 11)
        young.append(person)
    _respond(now, "young-people", young, school)
    parents = []
    for i, feeling in enumerate(_people(very_safe=10, fairly_safe=15, fairly_unsafe=15)):
        person = {"feel_safe_area": [feeling]}
        if feeling == "fairly_unsafe":
            person["unsafe_reasons"] = ["asb", "drugs"] if i % 5 else ["asb"]
        parents.append(person)
    _respond(now, "parents-carers", parents, None)
    then = _campaign("youth-2024", 2024)
    _respond(
        then,
        "young-people",
        [{"feel_safe_area": [v]} for v in _people(very_safe=60, fairly_safe=30, very_unsafe=10)],
        None,
    )
    db.session.commit()


def text_records() -> list[TextAnswer]:
    """Coded free text: young people on police and youth clubs, parents on police, a few on gangs."""
    young = [
        "the police never come round here when Jayden gets robbed near Stretford High, its not fair at all",
        "police should walk round the park more at night so people feel safer going out",
        "more police about on the streets would make it feel a lot safer round here",
    ]
    clubs = [
        "there is nothing to do so we need a youth club that stays open later in the week",
        "a youth club with football and music would give people something to do after school",
    ]
    parent = [
        "I would like to see the police visible near the shops in the evenings, ring me on 07700 900123",
        "police presence near the school gates would reassure parents like me a great deal",
    ]
    records = []
    for i in range(24):
        themes = ("police",) if i < 14 else ("youth_provision",)
        text = young[i % 3] if i < 14 else clubs[i % 2]
        records.append(
            TextAnswer(text, "young_people", themes, "15-16", "girl" if i % 2 else "boy", respondent=f"y{i}")
        )
    for i in range(16):
        raised: tuple[str, ...] = ("police", "gangs_exploitation") if i < 3 else ("police",)
        records.append(TextAnswer(parent[i % 2], "parents_carers", raised, None, "woman", respondent=f"p{i}"))
    return records


@contextmanager
def campaign_database(folder: Path) -> Iterator[str]:
    """A database with the app's schema and the shipped questionnaires, in an app context; yields its URL.

    PostgreSQL when the suite runs on it (emptied first), else SQLite in `folder`.
    """
    url = PG_URL or f"sqlite:///{folder / 'report.sqlite'}"
    app = create_app(Config.for_tests(database_url=url, questionnaire_folder=ROOT / "questionnaires"))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        if not PG_URL:
            db.create_all()
        load_questionnaires(ROOT / "questionnaires")
        try:
            yield url
        finally:
            db.session.remove()
            db.engine.dispose()


@dataclass
class Built:
    """The report on the small campaign and its bytes in every format."""

    data: CampaignData
    earlier: CampaignData
    report: FindingsReport
    outputs: dict[str, bytes]
    folder: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> Built:
    """The campaign loaded, the report built (every section, word clouds too) and rendered to every format."""
    folder = tmp_path_factory.mktemp("report")
    with campaign_database(folder) as url:
        make_campaign()
        data = load_campaign(url, "youth-2026")
        earlier = load_campaign(url, "youth-2024")
    spec = ReportSpec(
        title="What young people and parents told us",
        sections=list(SECTION_KINDS),
        narrative={"headlines": "Most young people feel safe, but not all."},
        priority_responses={"enforcement_criminal_justice": "More patrols near parks in the evening."},
        data_date="2026-11-01",
        organisation="Trafford Community Safety Partnership",
    )
    records = text_records()
    report = build_report(
        ReportData(
            data,
            earlier,
            records,
            redactor=Redactor(schools=["Stretford High School"], places=["Stretford"]),
            theme_labels={"police": FORMULA_LABEL, "youth_provision": "Youth clubs and activities"},
        ),
        spec,
    )
    outputs = {fmt: render(report, fmt) for fmt in FORMATS}
    return Built(data, earlier, report, outputs, folder)
