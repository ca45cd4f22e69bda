"""The audit log page (the audit() helper itself is shared: survey_app.staff.auth)."""
