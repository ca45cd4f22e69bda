"""The report quotes what the communications lead chose in the quote bank, read straight from the
tables (redacted, coarsely attributed: parents and carers as "Parent/Carer"), not an automatic pick;
without a choice the bank still picks; a choice whose theme was retired is not printed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import Flask
from sqlalchemy import select, update

from analysis.coding.codebook import load_codebook
from analysis.coding.edits import retire_theme
from analysis.load import load_campaign
from analysis.quotes.chosen import CHOSEN_FOR
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.text_load import load_text
from questionnaires.model import Questionnaire
from survey_app.extensions import db
from survey_app.models import Answer, Campaign, CodebookVersion, QuoteChoice, Response, ThemeCode
from tests.analysis.report.conftest import make_campaign

YOUNG = "more police walking round the estate at night would make everyone feel safer, ask Jayden"
PARENT = "I want to see police officers near the school gates when the children come out"


def _coded_answers() -> tuple[Campaign, list[Response], list[Response]]:
    """Twelve young people and twelve parents of this year's campaign write about the police (coded by the model)."""
    book = load_codebook()
    version = CodebookVersion(
        campaign_id=None,
        name=book.name,
        version=1,
        content_hash=book.fingerprint,
        content=book.to_dict(),
        created_on=dt.date(2026, 11, 1),
    )
    db.session.add(version)
    db.session.flush()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "youth-2026"))
    assert campaign is not None
    chosen: dict[str, list[Response]] = {}
    for audience, text in (("young_people", YOUNG), ("parents_carers", PARENT)):
        people = db.session.scalars(
            select(Response)
            .where(Response.campaign_id == campaign.id, Response.audience == audience)
            .order_by(Response.id)
            .limit(12)
        ).all()
        for i, response in enumerate(people):
            db.session.add(
                Answer(response_id=response.id, question_key="partnership_should_do", position=0, text=f"{text} {i}")
            )
            db.session.add(
                ThemeCode(
                    response_id=response.id,
                    question_key="partnership_should_do",
                    theme_key="police",
                    codebook_version_id=version.id,
                    source="model",
                    confidence=0.95,
                    status="applied",
                    evidence=[],
                )
            )
        chosen[audience] = list(people)
    db.session.commit()
    return campaign, chosen["young_people"], chosen["parents_carers"]


def _choose(campaign: Campaign, response: Response) -> None:
    db.session.add(
        QuoteChoice(
            campaign_id=campaign.id,
            response_id=response.id,
            question_key="partnership_should_do",
            theme_key="police",
            decision="use",
            decided_by=1,
            decided_on=dt.date(2026, 11, 2),
        )
    )
    db.session.commit()


def _quotes(url: str) -> list[tuple[str, str]]:
    data = load_campaign(url, "youth-2026")
    text = load_text(url, data)
    spec = ReportSpec(sections=["quotes"], data_date="2026-12-01")
    inputs = ReportData(data, None, text.records, text.population, text.redactor, text.theme_labels)
    report = build_report(inputs, spec)
    section = next(s for s in report.sections if s.kind == "quotes")
    return [(q.text, q.attribution) for q in section.quotes]


def test_the_report_quotes_the_leads_choice(shipped_app: Flask) -> None:
    make_campaign()
    campaign, young, parents = _coded_answers()
    url = str(shipped_app.config["SQLALCHEMY_DATABASE_URI"])

    # Nothing chosen: the bank picks one quote per theme.
    assert len(_quotes(url)) == 1

    # The lead chose three (the coder's confidence since dropped on one: it stays chosen).
    for response in (young[3], young[7], parents[5]):
        _choose(campaign, response)
    db.session.execute(
        update(ThemeCode).where(ThemeCode.response_id == young[7].id).values(status="suggested", confidence=0.6)
    )
    db.session.commit()
    records = load_text(url, load_campaign(url, "youth-2026")).records
    assert sum(1 for r in records if r.extra.get(CHOSEN_FOR) == ("police",)) == 3

    quotes = _quotes(url)
    assert sorted(text for text, _ in quotes) == sorted(
        [f"{YOUNG.replace('Jayden', '[name]')} 3", f"{YOUNG.replace('Jayden', '[name]')} 7", f"{PARENT} 5"]
    )
    assert not any("Jayden" in text for text, _ in quotes)
    attributions = dict((text[-1], who) for text, who in quotes if text.startswith("I want"))
    assert attributions == {"5": "Parent/Carer"}
    assert all(who == "Young person" for text, who in quotes if text.startswith("more police"))

    # Retiring the theme drops the choices: the report goes back to the bank's own pick (none: no theme).
    book = load_codebook()
    change = retire_theme(book, "police", reason="test")
    db.session.add(
        CodebookVersion(
            campaign_id=campaign.id,
            name=change.book.name,
            version=change.book.version,
            content_hash=change.book.fingerprint,
            content=change.book.to_dict(),
            created_on=dt.date(2026, 11, 3),
        )
    )
    db.session.commit()
    records = load_text(url, load_campaign(url, "youth-2026")).records
    assert not any(r.extra.get(CHOSEN_FOR) for r in records)
    assert _quotes(url) == []


def test_professionals_are_read_with_their_sector(shipped_app: Flask) -> None:
    """The loader reads a professional's sector, so their quote names the role group."""
    from analysis.report.text_load import _demographics

    make_campaign()
    data = load_campaign(str(shipped_app.config["SQLALCHEMY_DATABASE_URI"]), "youth-2026")
    professionals = next(q for q in _all_questionnaires() if q.audience == "professionals")
    kinds = _demographics(dataclasses.replace(data, questionnaires={professionals.id: professionals}))
    assert kinds[professionals.id]["sector"][0] == "sector"


def _all_questionnaires() -> list[Questionnaire]:
    from questionnaires.loader import load_questionnaire
    from survey_app.config import ROOT

    return [load_questionnaire(path) for path in sorted((ROOT / "questionnaires").glob("*.yaml"))]
