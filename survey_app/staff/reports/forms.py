"""The report builder's form: title, earlier campaign, audiences, sections and the lead's own words."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from analysis.report.build import TITLES
from analysis.report.model import SECTION_KINDS, audience_label
from questionnaires.model import AUDIENCES
from survey_app.staff.forms import StaffForm
from survey_app.staff.reports.service import Choices

#: The longest narrative kept beside a section: a few paragraphs, not a document.
NARRATIVE_MAX = 3000


class ReportForm(StaffForm):
    """The builder's choices; one narrative box per section and one "what we will do" per priority.

    The priority boxes depend on the partnership (it may rename, add or remove priorities), so a form
    is made for its priorities with `report_form`.
    """

    priority_keys: tuple[str, ...] = ()

    title = StringField(validators=[DataRequired("Give the report a title."), Length(max=200)])
    earlier = SelectField(coerce=int, choices=[SelectChoice(0, "None")])
    audiences = SelectMultipleField(choices=[SelectChoice(a, audience_label(a)) for a in AUDIENCES])
    sections = SelectMultipleField(
        choices=[SelectChoice(k, TITLES[k]) for k in SECTION_KINDS],
        validators=[DataRequired("Choose at least one section.")],
    )

    def choices(self) -> Choices:
        """The validated form as the service's choices."""
        return Choices(
            title=self.title.data.strip(),
            earlier_campaign_id=self.earlier.data or None,
            audiences=list(self.audiences.data or []),
            sections=list(self.sections.data or []),
            narrative={k: (self[f"narrative_{k}"].data or "") for k in SECTION_KINDS},
            priority_responses={key: (self[f"response_{key}"].data or "") for key in self.priority_keys},
        )


for _kind in SECTION_KINDS:
    setattr(ReportForm, f"narrative_{_kind}", TextAreaField(validators=[Length(max=NARRATIVE_MAX)]))


def report_form(priority_keys: list[str]) -> type[ReportForm]:
    """The builder's form with a "what we will do" box for each of these priorities."""
    fields: dict[str, object] = {
        f"response_{key}": TextAreaField(validators=[Length(max=NARRATIVE_MAX)]) for key in priority_keys
    }
    return type("PartnershipReportForm", (ReportForm,), {"priority_keys": tuple(priority_keys), **fields})
