"""The data feature's form: confirming that a campaign is to be deleted."""

from __future__ import annotations

from typing import Any

from wtforms import StringField

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
