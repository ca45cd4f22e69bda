"""Who may do what in the staff workspace: role decorators, per-object checks and the audit helper.

Other blueprints' staff pages import from here:

    from survey_app.staff.auth import role_required, campaign_for_user_or_404, audit

    @bp.get("/campaigns/<int:campaign_id>/points")
    @role_required("administrator", "analyst")
    def points(campaign_id: int) -> str:
        campaign = campaign_for_user_or_404(campaign_id)
        ...

Every refusal is written to the audit log (in its own transaction, so it is kept although the request
is abandoned): 403 when the role may not use the page at all, 404 when the object belongs to another
partnership (so its existence is not revealed either).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast

from flask import abort, has_request_context, request
from flask_login import LoginManager, current_user
from sqlalchemy import insert, select

from survey_app.extensions import db
from survey_app.models.audit import AuditEvent
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.models.staff import ROLES, StaffUser
from survey_app.staff import clock

__all__ = [
    "ALL_ROLES",
    "DASHBOARD_ROLES",
    "DATA_ROLES",
    "FREE_TEXT_ROLES",
    "ROLES",
    "audit",
    "audit_as",
    "campaign_for_user_or_404",
    "can_see_free_text",
    "collection_point_for_user_or_404",
    "current_partnership_campaigns",
    "deny",
    "flag_for_user_or_404",
    "login_manager",
    "login_required",
    "role_required",
    "staff_user",
]

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES = ROLES
#: Everything about data and coding, free text included.
DATA_ROLES = ("administrator", "analyst")
#: Who may ever read respondents' free text that has not been reviewed for publication. The
#: communications lead and the viewer never may; the safeguarding reviewer only in the queue.
FREE_TEXT_ROLES = ("administrator", "analyst", "safeguarding_reviewer")
#: Who sees a campaign's dashboard (aggregate, disclosure-controlled counts).
DASHBOARD_ROLES = ("administrator", "analyst", "communications_lead")

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = "Please sign in to use the staff workspace."
login_manager.login_message_category = "info"
# No "strong" session protection: it hashes the client's IP address into the session, and we keep
# none. Sessions are server-side instead (see sessions.py), so they can be revoked outright.
login_manager.session_protection = None
# Flask-Login would also store a SHA-512 of the IP address and browser in every session ("_id"): an
# IPv4 address is easily recovered from its hash, so store nothing of the kind.
login_manager._session_identifier_generator = lambda: "-"


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    user = db.session.get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


def staff_user() -> StaffUser:
    """The signed-in staff user (call only behind role_required/login_required)."""
    return cast(StaffUser, current_user._get_current_object())


def audit(action: str, target: str = "", /, **details: Any) -> AuditEvent:
    """Append an event to the audit log in the current transaction (the view or command commits it with
    the work it records), as the signed-in user (or, outside a request, as `actor_email` with
    `partnership_id` in details).

    `details` hold ids, counts, formats and names of things, never answer text: strings are cut to
    200 characters as a backstop.
    """
    user = staff_user() if has_request_context() and current_user and current_user.is_authenticated else None
    return audit_as(user, action, target, **details)


def audit_as(user: StaffUser | None, action: str, target: str = "", /, **details: Any) -> AuditEvent:
    """Append an event on behalf of a given user (e.g. at the moment of signing in)."""
    event = AuditEvent(**_event_values(user, action, target, details))
    db.session.add(event)
    return event


def _event_values(user: StaffUser | None, action: str, target: str, details: dict[str, Any]) -> dict[str, Any]:
    clean = {k: (v[:200] if isinstance(v, str) else v) for k, v in details.items()}
    actor_email = str(clean.pop("actor_email", "system"))
    partnership_id = clean.pop("partnership_id", None)
    return {
        "occurred_at": clock.utcnow(),
        "user_id": user.id if user else None,
        "actor": user.email if user else actor_email,
        "partnership_id": user.partnership_id if user else partnership_id,
        "action": action,
        "target": target,
        "details": clean,
    }


def deny(status: int, reason: str, target: str = "") -> NoReturn:
    """Refuse the request, and say so in the audit log.

    The refusal is written in its own transaction: the request is abandoned (nothing it changed is
    kept), but the record that it was refused must be.
    """
    user = staff_user() if current_user and current_user.is_authenticated else None
    values = _event_values(
        user,
        "access_denied",
        target or request.path,
        {"status": status, "reason": reason, "endpoint": request.endpoint or "", "method": request.method},
    )
    db.session.rollback()  # the refused request's own changes go; its write lock must not block the record
    with db.engine.begin() as connection:
        connection.execute(insert(AuditEvent).values(**values))
    abort(status)


def role_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in staff with one of these roles may use the view; others get 403 (audited)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {sorted(unknown)}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                deny(403, f"role {current_user.role} may not use this page")
            return view(*args, **kwargs)

        wrapped.staff_roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the route matrix test
        return cast(F, wrapped)

    return decorator


def login_required(view: F) -> F:
    """Any signed-in staff member may use the view."""
    return role_required(*ROLES)(view)


def can_see_free_text(user: StaffUser | None = None) -> bool:
    """Whether this user may read unreviewed free text (in the places their role allows)."""
    user = user or staff_user()
    return user.role in FREE_TEXT_ROLES


def current_partnership_campaigns() -> list[Campaign]:
    """The campaigns the signed-in user may see: their partnership's (a school coordinator's: only
    those with one of their collection points), newest first."""
    user = staff_user()
    query = select(Campaign).where(Campaign.partnership_id == user.partnership_id)
    if user.role == "school_coordinator":
        ids = {p.campaign_id for p in user.collection_points}
        query = query.where(Campaign.id.in_(ids))
    return list(db.session.scalars(query.order_by(Campaign.opens_on.desc(), Campaign.id.desc())))


def campaign_for_user_or_404(campaign_id: int) -> Campaign:
    """The campaign, if the signed-in user's partnership runs it; otherwise 404 (audited)."""
    user = staff_user()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.partnership_id != user.partnership_id:
        deny(404, "campaign of another partnership or none", f"campaign:{campaign_id}")
    if user.role == "school_coordinator" and all(p.campaign_id != campaign.id for p in user.collection_points):
        deny(404, "campaign without the coordinator's collection points", f"campaign:{campaign_id}")
    return campaign


def collection_point_for_user_or_404(point_id: int) -> CollectionPoint:
    """The collection point, if it is in the user's partnership (and, for a school coordinator, theirs)."""
    user = staff_user()
    point = db.session.get(CollectionPoint, point_id)
    if point is None or point.campaign.partnership_id != user.partnership_id:
        deny(404, "collection point of another partnership or none", f"collection_point:{point_id}")
    if user.role == "school_coordinator" and point not in user.collection_points:
        deny(404, "collection point not assigned to this coordinator", f"collection_point:{point_id}")
    return point


def flag_for_user_or_404(flag_id: str) -> SafeguardingFlag:
    """The safeguarding flag, if its response came through one of the partnership's campaigns."""
    user = staff_user()
    flag = db.session.get(SafeguardingFlag, flag_id)
    campaign = db.session.get(Campaign, flag.response.campaign_id) if flag and flag.response.campaign_id else None
    if flag is None or campaign is None or campaign.partnership_id != user.partnership_id:
        deny(404, "safeguarding flag of another partnership or none", f"flag:{flag_id}")
    return flag
