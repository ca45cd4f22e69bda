"""The data feature's forms: deleting a campaign, and importing or removing an earlier wave's figures."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import IntegerField, StringField
from wtforms.validators import Optional

from analysis.waves import MAX_BYTES
from survey_app.models.campaigns import Campaign
from survey_app.staff.forms import StaffForm


class DeleteCampaignForm(StaffForm):
    """Typing the campaign's short name confirms deleting it and all its answers."""

    confirm = StringField("Short name", filters=[lambda v: (v or "").strip()])

    def __init__(self, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.campaign = campaign

    def validate(self, extra_validators: Any = None) -> bool:
        """The short name typed exactly."""
        super().validate(extra_validators)
        if self.confirm.data != self.campaign.slug:
            self.add_problem("confirm", f"Type {self.campaign.slug} exactly to confirm.")
        return not self.errors


class EarlierFiguresForm(StaffForm):
    """A CSV of an earlier wave's headline figures."""

    file = FileField("CSV of earlier figures")
    max_bytes = MAX_BYTES

    def validate(self, extra_validators: Any = None) -> bool:
        """A file was chosen."""
        super().validate(extra_validators)
        if not self.file.data or not getattr(self.file.data, "filename", ""):
            self.add_problem("file", "Choose the CSV file of earlier figures to import.")
        return not self.errors


class RemoveYearForm(StaffForm):
    """Which year's imported figures to remove."""

    year = IntegerField("Year", validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        """A year was given."""
        super().validate(extra_validators)
        if self.year.data is None:
            self.year.errors = []
            self.add_problem("year", "Choose the year whose figures to remove.")
        return not self.errors
