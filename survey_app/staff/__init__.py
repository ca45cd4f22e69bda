"""The staff workspace (/staff), one package per feature: accounts (sign-in with two factors, users,
the staff session store), campaigns, fieldwork (dashboards), free_text (coding, codebook, agreement,
text at a glance), quotes, safeguarding, audit and data (export, retention).

Each feature holds its views and the services those views and the staff commands (cli.py) both call.
Access rules shared by every feature are in auth.py; workspace.py assembles the surface explicitly.
Transactions: services flush, the view or command commits once (docs/transactions.md).
"""

from __future__ import annotations

from survey_app.staff.workspace import CLI_GROUPS, JOB_HANDLERS, init_sign_in, staff_blueprint

__all__ = ["CLI_GROUPS", "JOB_HANDLERS", "init_sign_in", "staff_blueprint"]
