"""The base every staff form builds on, so every workspace form validates, re-displays and reports
its problems the same way (templates show them with the macros in templates/staff/_macros.html)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField


class StaffForm(FlaskForm):
    """A staff form: read on POST only, its problems as one message per field."""

    class Meta:
        # CSRFProtect already checks every staff POST against the token in the staff session.
        csrf = False

    def add_problem(self, name: str, message: str) -> None:
        """Record a problem with one field."""
        field = self[name]
        field.errors = [*field.errors, message]

    def problems(self) -> dict[str, str]:
        """Field name -> what is wrong with it, in words for the person filling it in."""
        return {name: " ".join(dict.fromkeys(errors)) for name, errors in self.errors.items() if errors}

    def values(self) -> dict[str, Any]:
        """What was typed, to show again (passwords never are)."""
        return {
            field.name: field.data if field.data is not None else ""
            for field in self
            if not isinstance(field, PasswordField)
        }
