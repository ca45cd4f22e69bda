"""The safeguarding feature's form: recording what was done about one flag."""

from __future__ import annotations

from typing import Any

from wtforms import StringField, TextAreaField

from survey_app.models.safeguarding import OUTCOMES
from survey_app.staff.forms import StaffForm


class OutcomeForm(StaffForm):
    """A reviewer records an outcome; "other" needs a note saying what was done."""

    outcome = StringField("Outcome")
    note = TextAreaField("Note", filters=[lambda v: (v or "").strip()])

    def validate(self, extra_validators: Any = None) -> bool:
        """One of the known outcomes, and a note when it is "other"."""
        super().validate(extra_validators)
        if self.outcome.data not in OUTCOMES:
            self.add_problem("outcome", "Choose an outcome.")
        elif self.outcome.data == "other" and not self.note.data:
            self.add_problem("note", "Choose an outcome and say what was done in the note.")
        return not self.errors

    def message(self) -> str:
        """The one message the queue shows when the outcome can't be recorded."""
        return next(iter(self.problems().values()), "")
