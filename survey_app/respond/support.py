"""National help lines shown on every help page and after every survey, worded per audience.

Local services are added by each partnership (see the respondent-experience issue); these numbers
are free and national.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Service:
    """A place to get help."""

    name: str
    contact: str
    what: object  # a lazy string
    audiences: tuple[str, ...]
    link: str = ""


ALL = ("children", "young_people", "young_adults", "parents_carers", "professionals", "adult")
YOUNG = ("children", "young_people", "young_adults")
ADULTS = ("young_adults", "parents_carers", "professionals", "adult")

SERVICES = (
    Service("Emergency", "999", _l("If someone is in danger right now, or hurt, call 999."), ALL),
    Service("Childline", "0800 1111", _l("Talk to someone about anything, any time. Free, and it won't show on the phone bill."),
            ("children", "young_people"), "https://www.childline.org.uk"),
    Service("Fearless", "fearless.org", _l("Tell someone about a crime without saying who you are."),
            ("young_people", "young_adults"), "https://www.fearless.org"),
    Service("Crimestoppers", "0800 555 111", _l("Give information about a crime anonymously."), ADULTS,
            "https://crimestoppers-uk.org"),
    Service("NSPCC helpline", "0808 800 5000", _l("For adults worried about a child."), ("parents_carers", "professionals", "adult"),
            "https://www.nspcc.org.uk"),
    Service("Samaritans", "116 123", _l("Someone to listen, day or night, free from any phone."), ADULTS + ("young_people",),
            "https://www.samaritans.org"),
)


def services_for(audience: str) -> list[Service]:
    """Services worded and chosen for this audience."""
    return [s for s in SERVICES if audience in s.audiences]
