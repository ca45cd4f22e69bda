"""The campaigns feature's forms: a new campaign, its settings, a collection point, a school's class
sessions and uploading paper returns.

Each is read on POST only and reports one message per field, as the accounts forms do; the rules for
what a campaign may be are survey_app.campaigns' (SetupError), which the views add to the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField

from survey_app.extensions import db
from survey_app.models import QuestionnaireVersion, SchoolSession
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.school_sessions import YEAR_GROUPS
from survey_app.questionnaire_store import current_version
from survey_app.staff.data.retention import RETENTION_ACTIONS
from survey_app.staff.forms import StaffForm

#: The audiences a campaign can have a response target for, in the order the settings page shows them.
TARGET_KEYS = ("total", "children", "young_people", "young_adults", "parents_carers", "professionals")


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_stripped(raw))
    except ValueError:
        return None


class NewCampaignForm(StaffForm):
    """An administrator sets up a campaign: name, dates, questionnaires and areas."""

    name = StringField("Name")
    opens_on = StringField("First day")
    closes_on = StringField("Last day")
    questionnaires = SelectMultipleField("Questionnaires", validate_choice=False)
    areas = StringField("Areas")
    description = TextAreaField("What it is about")

    def __init__(self, questionnaire_ids: set[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.questionnaire_ids = questionnaire_ids

    def validate(self, extra_validators: Any = None) -> bool:
        """A name, two dates and at least one of the current questionnaires."""
        super().validate(extra_validators)
        if not _stripped(self.name.data):
            self.add_problem("name", "Give the campaign a name.")
        if self.opens is None:
            self.add_problem("opens_on", "Enter the first day as a date, like 2026-01-05.")
        if self.closes is None:
            self.add_problem("closes_on", "Enter the last day as a date, like 2026-03-31.")
        if not self.chosen:
            self.add_problem("questionnaires", "Choose at least one questionnaire.")
        return not self.errors

    @property
    def opens(self) -> dt.date | None:
        """The first day answers are accepted, if it is a date."""
        return _date(self.opens_on.data)

    @property
    def closes(self) -> dt.date | None:
        """The last day answers are accepted, if it is a date."""
        return _date(self.closes_on.data)

    @property
    def chosen(self) -> list[str]:
        """The ticked questionnaires that exist now."""
        return [q for q in self.questionnaires.data or [] if q in self.questionnaire_ids]

    def area_list(self) -> list[str]:
        """The areas, separated by commas."""
        return [a.strip() for a in (self.areas.data or "").split(",") if a.strip()]


#: Languages a campaign's name and description can be typed in besides English (the respondent
#: pages' other languages); respondents see them in their language, or in English where left empty.
TRANSLATED_LANGUAGES = {"pl": "Polish", "ur": "Urdu", "ar": "Arabic"}


class CampaignSettingsForm(StaffForm):
    """Retention period, response targets, and the name and description in other languages."""

    name_pl = StringField("Name in Polish", filters=[_stripped])
    description_pl = TextAreaField("What it is about, in Polish", filters=[_stripped])
    name_ur = StringField("Name in Urdu", filters=[_stripped])
    description_ur = TextAreaField("What it is about, in Urdu", filters=[_stripped])
    name_ar = StringField("Name in Arabic", filters=[_stripped])
    description_ar = TextAreaField("What it is about, in Arabic", filters=[_stripped])

    def translations(self) -> dict[str, dict[str, str]]:
        """Language -> {"name", "description"} for the ones typed (once valid)."""
        found: dict[str, dict[str, str]] = {}
        for code in TRANSLATED_LANGUAGES:
            typed = {k: self[f"{k}_{code}"].data or "" for k in ("name", "description")}
            if any(typed.values()):
                found[code] = {k: v for k, v in typed.items() if v}
        return found

    retention_days = StringField("Days answers are kept", filters=[_stripped])
    retention_action = StringField("What is removed")
    target_total = StringField("All responses", filters=[_stripped])
    target_children = StringField("Children", filters=[_stripped])
    target_young_people = StringField("Young people", filters=[_stripped])
    target_young_adults = StringField("Young adults", filters=[_stripped])
    target_parents_carers = StringField("Parents and carers", filters=[_stripped])
    target_professionals = StringField("Professionals", filters=[_stripped])

    def validate(self, extra_validators: Any = None) -> bool:
        """Days from 1 to 3650, a known action, and each target empty or a whole number."""
        super().validate(extra_validators)
        days = self.retention_days.data or ""
        if not days.isdigit() or not 1 <= int(days) <= 3650:
            self.add_problem("retention_days", "Enter a number of days from 1 to 3650.")
        if self.retention_action.data not in RETENTION_ACTIONS:
            self.add_problem("retention_action", "Choose what to remove.")
        for key in TARGET_KEYS:
            raw = self[f"target_{key}"].data or ""
            if raw and not raw.isdigit():
                self.add_problem(f"target_{key}", "Enter a whole number, or leave it empty.")
        for code, language in TRANSLATED_LANGUAGES.items():
            if len(self[f"name_{code}"].data or "") > 200:
                self.add_problem(f"name_{code}", f"Keep the name in {language} to 200 characters or fewer.")
        return not self.errors

    @property
    def days(self) -> int:
        """The retention period in days (once valid)."""
        return int(self.retention_days.data or 0)

    def targets(self) -> dict[str, int]:
        """Audience -> target, leaving out empty and zero ones (once valid)."""
        raw = {key: self[f"target_{key}"].data or "" for key in TARGET_KEYS}
        return {key: int(value) for key, value in raw.items() if value.isdigit() and int(value) > 0}


class CollectionPointForm(StaffForm):
    """A new collection point; whether its name and kind will do is for add_collection_point to say."""

    name = StringField("Name")
    kind = StringField("Kind")


class SchoolSessionForm(StaffForm):
    """A session for one class: its label, year group, pupils expected and whether it is easy read."""

    label = StringField("Class")
    year_group = StringField("Year group")
    expected_pupils = StringField("Pupils expected", filters=[_stripped])
    easy_read = StringField("Easy read")

    def validate(self, extra_validators: Any = None) -> bool:
        """A school year group and at least one pupil."""
        super().validate(extra_validators)
        year, pupils = self.year_group.data or "", self.expected_pupils.data or ""
        if not year.isdigit() or int(year) not in YEAR_GROUPS:
            self.add_problem("year_group", "Choose the class's year group.")
        if not pupils.isdigit() or int(pupils) < 1:
            self.add_problem("expected_pupils", "Enter how many pupils you expect, as a number.")
        return not self.errors


class CloseSessionForm(StaffForm):
    """Which of this collection point's sessions to close."""

    session_id = StringField("Session")

    def __init__(self, point: CollectionPoint, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.point = point
        self.session: SchoolSession | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        """One of this point's sessions."""
        super().validate(extra_validators)
        raw = self.session_id.data or ""
        found = db.session.get(SchoolSession, int(raw)) if raw.isdigit() else None
        if found is None or found.collection_point_id != self.point.id:
            self.add_problem("session_id", "Choose a session to close.")
        else:
            self.session = found
        return not self.errors


class PaperUploadForm(StaffForm):
    """A completed template, which questionnaire it is, and the collection point it came through (if known)."""

    questionnaire = StringField("Questionnaire")
    file = FileField("Completed template")
    collection_point = StringField("Collection point")

    def __init__(self, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.campaign = campaign
        self.version: QuestionnaireVersion | None = None
        self.point: CollectionPoint | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        """One of the campaign's questionnaires, a file, and none or one of the campaign's points."""
        super().validate(extra_validators)
        wanted = self.questionnaire.data or ""
        self.version = current_version(wanted) if wanted in (self.campaign.questionnaire_ids or [wanted]) else None
        raw_point = self.collection_point.data or ""
        # isdigit() alone lets through "²" and numbers past any database integer; ids are short ASCII digits.
        wellformed = raw_point.isascii() and raw_point.isdigit() and len(raw_point) <= 9
        self.point = db.session.get(CollectionPoint, int(raw_point)) if wellformed else None
        if self.version is None:
            self.add_problem("questionnaire", "Choose which questionnaire the forms are.")
        if not self.file.data or not self.file.data.filename:
            self.add_problem("file", "Choose the completed template to upload (.xlsx or .csv).")
        if (raw_point and self.point is None) or (
            self.point is not None and self.point.campaign_id != self.campaign.id
        ):
            self.add_problem("collection_point", "Choose one of this campaign's collection points.")
        return not self.errors
