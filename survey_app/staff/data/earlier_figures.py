"""Importing an earlier wave's headline figures into a campaign, for the staff form and `flask data import-wave`.

The CSV is checked row by row by `analysis.waves.parse_figures` against the measures this campaign's
questionnaires ask each audience; nothing is stored unless every row is right. A figure for the same
measure, audience and year as one already imported replaces it, so a corrected file can be imported
again. The caller audits and commits.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from analysis.waves import ParsedFigures, measures_asked, parse_figures
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.earlier_figures import ImportedFigure
from survey_app.questionnaire_store import current_versions
from survey_app.staff import clock


def campaign_measures(campaign: Campaign) -> dict[str, dict[str, str]]:
    """Measure -> audience -> the headline answers its numerator counts, for the campaign's questionnaires."""
    versions = current_versions(campaign.questionnaire_ids or None)
    return measures_asked(v.questionnaire for v in sorted(versions, key=lambda v: v.questionnaire_id))


def imported_figures(campaign: Campaign) -> list[ImportedFigure]:
    """The figures imported into the campaign, newest year first."""
    return list(
        db.session.scalars(
            select(ImportedFigure)
            .where(ImportedFigure.campaign_id == campaign.id)
            .order_by(ImportedFigure.year.desc(), ImportedFigure.measure, ImportedFigure.audience)
        )
    )


def import_figures(campaign: Campaign, raw: bytes) -> ParsedFigures:
    """Check the CSV and, when every row is right, store its figures (not committed)."""
    known = {measure: set(audiences) for measure, audiences in campaign_measures(campaign).items()}
    parsed = parse_figures(raw, known, campaign.opens_on.year)
    if not parsed.ok:
        return parsed
    today = clock.today()
    for f in parsed.figures:
        db.session.execute(
            delete(ImportedFigure).where(
                ImportedFigure.campaign_id == campaign.id,
                ImportedFigure.measure == f.measure,
                ImportedFigure.audience == f.audience,
                ImportedFigure.year == f.year,
            )
        )
        db.session.add(
            ImportedFigure(
                campaign_id=campaign.id,
                measure=f.measure,
                audience=f.audience,
                numerator=f.numerator,
                base=f.base,
                year=f.year,
                label=f.label,
                source=f.source,
                imported_on=today,
            )
        )
    db.session.flush()
    return parsed


def remove_year(campaign: Campaign, year: int) -> int:
    """Remove one year's imported figures (not committed); returns how many went."""
    result = db.session.execute(
        delete(ImportedFigure).where(ImportedFigure.campaign_id == campaign.id, ImportedFigure.year == year)
    )
    return int(getattr(result, "rowcount", 0) or 0)
