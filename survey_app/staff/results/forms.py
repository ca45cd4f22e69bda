"""The priorities settings forms: one priority's name, themes and measures; what to do with it."""

from __future__ import annotations

from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from survey_app.staff.forms import StaffForm

#: The longest priority name kept: a strategy heading, not a sentence.
LABEL_MAX = 120


class PriorityForm(StaffForm):
    """Add, rename or re-map one priority (its key is hidden: it stays when the name changes)."""

    key = HiddenField()
    label = StringField(validators=[DataRequired("Give the priority a name."), Length(max=LABEL_MAX)])
    themes = SelectMultipleField(validate_choice=True)
    measures = SelectMultipleField(validate_choice=True)

    def set_choices(self, themes: dict[str, str], measures: dict[str, str]) -> None:
        """The codebook's themes and the survey's measures, as the boxes to tick."""
        self.themes.choices = list(themes.items())
        self.measures.choices = list(measures.items())
