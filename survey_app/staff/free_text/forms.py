"""The free-text feature's forms: the coding threshold, reviewing an answer's themes, agreement samples,
and changing the codebook.

Field names are the ones the pages, browser tests and the review screen's keyboard script
(static/js/coding-review.js) post. The coding and agreement forms send the person back to the page
they came from with a message; the codebook forms re-display with what was typed and one message per
field, keyed by the id of the input it is about (the codebook page holds several forms, so each
form's ids carry its own prefix, like "add-key").
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import HiddenField, SelectMultipleField, StringField

from analysis.coding.codebook import Codebook
from survey_app.staff.forms import StaffForm

THRESHOLD_MESSAGE = "Enter a confidence between 0.5 and 0.99."


class ThresholdForm(StaffForm):
    """The confidence at or above which codes are applied without review."""

    threshold = StringField("Confidence")

    def validate(self, extra_validators: Any = None) -> bool:
        """A number from 0.5 to 0.99."""
        super().validate(extra_validators)
        if not 0.5 <= self.value <= 0.99:
            self.add_problem("threshold", THRESHOLD_MESSAGE)
        return not self.errors

    @property
    def value(self) -> float:
        """The confidence typed, or -1 if it is not a number."""
        try:
            return float(self.threshold.data or "")
        except ValueError:
            return -1.0


#: "" = one confidence for every theme; otherwise a target precision (analysis.coding.automation.TARGET_CHOICES)
TARGET_MESSAGE = "Choose a precision from the list."
THEME_THRESHOLD_MESSAGE = "Enter a confidence between 0.5 and 0.99, or leave it empty."


class TargetPrecisionForm(StaffForm):
    """The precision automatic codes should reach; each theme's confidence then follows the model's curve."""

    target = StringField("Target precision")

    def __init__(self, choices: tuple[float, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = {f"{c:.2f}": c for c in choices}

    def validate(self, extra_validators: Any = None) -> bool:
        """Empty (one confidence for every theme) or one of the offered precisions."""
        super().validate(extra_validators)
        if (self.target.data or "") not in ("", *self.allowed):
            self.add_problem("target", TARGET_MESSAGE)
        return not self.errors

    @property
    def value(self) -> float | None:
        """The precision chosen, or None for one confidence for every theme."""
        return self.allowed.get(self.target.data or "")


class ThemeThresholdsForm(StaffForm):
    """A confidence per theme (fields named "theme-<key>"); empty follows the target or the one confidence."""

    keys: tuple[str, ...] = ()

    @classmethod
    def for_themes(cls, keys: list[str]) -> ThemeThresholdsForm:
        """The form for a codebook's themes (read from the request on POST)."""
        fields: dict[str, Any] = {f"theme-{key}": StringField(key) for key in keys}
        form_class = type("ThemeThresholdsForm", (cls,), {**fields, "keys": tuple(keys)})
        return form_class()

    def validate(self, extra_validators: Any = None) -> bool:
        """Each entry empty or a number from 0.5 to 0.99."""
        super().validate(extra_validators)
        for key in self.keys:
            if self.typed(key) and self.confidence(key) is None:
                self.add_problem(f"theme-{key}", THEME_THRESHOLD_MESSAGE)
        return not self.errors

    def typed(self, key: str) -> str:
        """What was typed for a theme, as typed."""
        return (self[f"theme-{key}"].data or "").strip()

    def confidence(self, key: str) -> float | None:
        """The confidence typed for a theme (to two places), or None when empty or not one."""
        try:
            value = round(float(self.typed(key)), 2)
        except ValueError:
            return None
        return value if 0.5 <= value <= 0.99 else None


class AnswerThemesForm(StaffForm):
    """One answer ("response id:question key") and the themes ticked for it."""

    answer = StringField("Answer")
    theme = SelectMultipleField("Themes", validate_choice=False)

    @property
    def answer_key(self) -> tuple[str, str]:
        """The answer's response id and question key."""
        response_id, _sep, question_key = (self.answer.data or "").partition(":")
        return response_id, question_key

    def chosen(self, allowed: set[str]) -> set[str]:
        """The themes ticked, only those that may be chosen."""
        return set(self.theme.data or []) & allowed


class AgreementStartForm(StaffForm):
    """Start an agreement sample: which questions, and how many answers."""

    question = SelectMultipleField("Questions", validate_choice=False)
    size = StringField("Sample size")

    def __init__(self, available: list[str], max_size: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.available, self.max_size = available, max_size

    def validate(self, extra_validators: Any = None) -> bool:
        """At least one of the campaign's free-text questions, and a size from 1 to the most allowed."""
        super().validate(extra_validators)
        if not self.questions:
            self.add_problem("question", self.message)
        if not 1 <= self.sample_size <= self.max_size:
            self.add_problem("size", self.message)
        return not self.errors

    @property
    def message(self) -> str:
        """What to do to start a sample (the page shows one message for both fields)."""
        return _("Choose at least one question and a sample size from 1 to %(max)s.", max=self.max_size)

    @property
    def questions(self) -> list[str]:
        """The questions ticked that the campaign has, in the order given."""
        return [q for q in self.question.data or [] if q in self.available]

    @property
    def sample_size(self) -> int:
        """The size typed, or 0 if it is not a whole number."""
        try:
            return int(self.size.data or "")
        except ValueError:
            return 0


class CodebookForm(StaffForm):
    """A change to the codebook, made from the version the form was shown with."""

    anchor = ""  # the prefix of this form's input ids on the page
    based_on = HiddenField()

    def stale(self, book: Codebook) -> str | None:
        """A message if the codebook changed since the form was shown (another analyst's edit)."""
        based_on = self.based_on.data or ""
        if based_on and based_on != str(book.version):
            return _(
                "The codebook changed to version %(version)s while you were working. Check the themes "
                "below and submit again.",
                version=book.version,
            )
        return None

    def text(self, name: str) -> str:
        """What was typed in one field ("" if nothing)."""
        return self[name].data or ""

    def problems(self) -> dict[str, str]:
        """Input id -> what is wrong with it."""
        return {f"{self.anchor}-{name}": message for name, message in super().problems().items()}


class AddThemeForm(CodebookForm):
    """Add a theme or sub-theme (also how a discovered topic is promoted to a theme)."""

    anchor = "add"
    key = StringField("Key")
    label = StringField("Label")
    definition = StringField("Definition")
    includes = StringField("Includes")
    excludes = StringField("Excludes")
    phrases = StringField("Phrases")
    examples = StringField("Examples")
    parent = StringField("Sub-theme of")
    reason = StringField("Reason")
    promoted_from = HiddenField()

    def __init__(self, book: Codebook, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.book = book

    def validate(self, extra_validators: Any = None) -> bool:
        """A key and a label, on the codebook as it now is."""
        super().validate(extra_validators)
        if not self.text("key").strip():
            self.add_problem("key", _("Give the theme a key: lower-case letters, numbers and _, like dog_fouling."))
        elif stale := self.stale(self.book):
            self.add_problem("key", stale)
        if not self.text("label").strip():
            self.add_problem("label", _("Give the theme a label, as analysts and reports will show it."))
        return not self.errors


class EditThemeForm(CodebookForm):
    """Change an active theme's wording and phrases."""

    anchor = "edit"
    theme = StringField("Theme")
    label = StringField("Label")
    definition = StringField("Definition")
    includes = StringField("Includes")
    excludes = StringField("Excludes")
    phrases = StringField("Phrases")
    examples = StringField("Examples")
    reason = StringField("Reason")

    CHANGES = ("label", "definition", "includes", "excludes", "phrases", "examples", "reason")

    def __init__(self, book: Codebook, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.book = book

    def validate(self, extra_validators: Any = None) -> bool:
        """A theme in use, a label, on the codebook as it now is."""
        super().validate(extra_validators)
        if self.chosen_theme is None:
            self.add_problem("theme", _("Choose a theme that is in use."))
        elif stale := self.stale(self.book):
            self.add_problem("label", stale)
        elif not self.text("label").strip():
            self.add_problem("label", _("A theme needs a label."))
        return not self.errors

    @property
    def chosen_theme(self) -> str | None:
        """The key of the theme to change, if it is one in use."""
        key = self.text("theme")
        return key if key in self.book and self.book[key].active else None

    def changes(self) -> dict[str, str]:
        """The new wording, as the codebook's edit takes it."""
        return {name: self.text(name) for name in self.CHANGES}


class MergeThemesForm(CodebookForm):
    """Merge one theme into another."""

    anchor = "merge"
    source = StringField("Merge")
    into = StringField("Into")
    reason = StringField("Reason")

    def __init__(self, book: Codebook, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.book = book

    def validate(self, extra_validators: Any = None) -> bool:
        """Both themes chosen, on the codebook as it now is."""
        super().validate(extra_validators)
        if stale := self.stale(self.book):
            self.add_problem("source", stale)
        elif not self.text("source") or not self.text("into"):
            self.add_problem("source" if not self.text("source") else "into", _("Choose both themes."))
        return not self.errors


class RetireThemeForm(CodebookForm):
    """Retire a theme."""

    anchor = "retire"
    theme = StringField("Theme")
    reason = StringField("Reason")

    def __init__(self, book: Codebook, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.book = book

    def validate(self, extra_validators: Any = None) -> bool:
        """A theme chosen, on the codebook as it now is."""
        super().validate(extra_validators)
        if stale := self.stale(self.book):
            self.add_problem("theme", stale)
        elif not self.text("theme"):
            self.add_problem("theme", _("Choose the theme to retire."))
        return not self.errors
