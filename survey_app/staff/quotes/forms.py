"""The quote bank's form: "use", "don't use" or clear for one proposed quote."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import HiddenField, StringField

from survey_app.models.agreement import QUOTE_DECISIONS
from survey_app.staff.forms import StaffForm
from survey_app.staff.quotes.bank import QuoteBankPage


class QuoteChoiceForm(StaffForm):
    """A lead's choice for one quote, named "response_id:question_key:theme"."""

    quote = HiddenField("Quote")
    decision = StringField("Decision")

    def __init__(self, page: QuoteBankPage, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allowed = page.keys()
        self.choice_key: tuple[str, str, str] | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The quote's answer id, question and theme as submitted."""
        response_id, question_key, theme = ((self.quote.data or "").split(":") + ["", "", ""])[:3]
        return response_id, question_key, theme

    def validate(self, extra_validators: Any = None) -> bool:
        """A known decision about a quote on the page now (proposed, chosen, or dropped and listed):
        nothing else's id is ever stored."""
        super().validate(extra_validators)
        self.choice_key = self.allowed.get(self.quote.data or "")
        if self.choice_key is None or self.decision.data not in (*QUOTE_DECISIONS, "clear"):
            self.add_problem("decision", _("Choose use or don't use for one of the proposed quotes."))
        return not self.errors
