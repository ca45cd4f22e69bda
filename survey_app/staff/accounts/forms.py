"""The accounts feature's forms: signing in, a staff account, and changing your password.

WTForms classes read the submitted fields and validate them; the rules themselves are the accounts
services' (users.py, passwords.py), which `flask users create` applies too. Every form re-displays
with what was typed (never a password) and reports each field's problem the same way: `problems()`
gives the messages the templates' error summary and field messages show.
"""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, PasswordField, SelectMultipleField, StringField

from survey_app.models.staff import StaffUser
from survey_app.staff.accounts.passwords import password_problems, verify_password
from survey_app.staff.accounts.users import ADMIN, user_form_errors
from survey_app.staff.forms import StaffForm


class LoginForm(StaffForm):
    """Step one of signing in."""

    email = StringField("Email address")
    password = PasswordField("Password")
    next = HiddenField()


class SecondStepForm(StaffForm):
    """Step two of signing in: a code from the authenticator app, or a recovery code."""

    # Both are one-time secrets, so neither is shown again after a failed try.
    code = PasswordField("6-digit code")
    recovery_code = PasswordField("Recovery code")
    next = HiddenField()

    @property
    def field_used(self) -> str:
        """Which of the two ways was tried: a recovery code wins if one was typed."""
        return "recovery_code" if self.recovery_code.data else "code"


class AuthenticatorSetupForm(StaffForm):
    """First sign-in: the code that proves the authenticator app was set up."""

    code = PasswordField("6-digit code")


class NewUserForm(StaffForm):
    """An administrator makes an account."""

    email = StringField("Email address")
    display_name = StringField("Name")
    role = StringField("Role")
    password = PasswordField("First password")

    def validate(self, extra_validators: Any = None) -> bool:
        """The account rules (a real, unused address, a name, a role, a strong first password)."""
        super().validate(extra_validators)
        problems = user_form_errors(
            self.email.data or "", self.display_name.data or "", self.role.data or "", self.password.data or ""
        )
        for name, message in problems.items():
            self.add_problem(name, message)
        return not self.errors


class EditUserForm(StaffForm):
    """An administrator changes an account's name, role, collection points or whether it works."""

    display_name = StringField("Name")
    role = StringField("Role")
    active = StringField("Account")
    collection_points = SelectMultipleField("Collection points", validate_choice=False)

    def __init__(self, person: StaffUser, editor: StaffUser, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.person, self.editor = person, editor

    def validate(self, extra_validators: Any = None) -> bool:
        """The account rules, and nobody removes their own administrator role or switches themselves off."""
        super().validate(extra_validators)
        problems = user_form_errors(self.person.email, self.display_name.data or "", self.role.data or "", None)
        for name, message in problems.items():
            self.add_problem(name, message)
        if not problems and self.person.id == self.editor.id and (self.role.data != ADMIN or not self.is_active):
            self.add_problem("role", "You can't remove your own administrator role or switch off your own account.")
        return not self.errors

    @property
    def is_active(self) -> bool:
        """Whether the account is to work."""
        return self.active.data == "yes"

    def chosen_point_ids(self) -> set[int]:
        """The collection points ticked."""
        return {int(v) for v in self.collection_points.data or [] if str(v).isdigit()}


class PasswordChangeForm(StaffForm):
    """Change your own password."""

    current_password = PasswordField("Current password")
    new_password = PasswordField("New password")
    confirm_password = PasswordField("New password again")

    def __init__(self, user: StaffUser, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def validate(self, extra_validators: Any = None) -> bool:
        """The current password is right, the new one strong enough, and typed the same twice."""
        super().validate(extra_validators)
        if not verify_password(self.user.password_hash, self.current_password.data or ""):
            self.add_problem("current_password", "That is not your current password.")
        new = self.new_password.data or ""
        problems = password_problems(new, self.user.email, self.user.display_name)
        if problems:
            self.add_problem("new_password", " ".join(problems))
        elif new != (self.confirm_password.data or ""):
            self.add_problem("confirm_password", "The two new passwords are different.")
        return not self.errors
