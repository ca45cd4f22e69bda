"""Help lines shown on every help page and after every survey, worded per audience.

National services are below: free and national. Local services come from a YAML file each
partnership keeps (the LOCAL_SERVICES_FILE setting, by default config/local-services.yaml; see
config/local-services.example.yaml); they are listed after the national ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from questionnaires import yamlsafe


@dataclass(frozen=True)
class Service:
    """A place to get help."""

    name: object  # a service's own name, or a lazy string where it is a word ("Emergency")
    contact: str
    what: object  # a lazy string
    audiences: tuple[str, ...]
    link: str = ""


#: "anyone": before a questionnaire is chosen (landing, start, a kiosk) a child may be the one reading,
#: so the help page lists children's services as well as adults'.
ALL = ("children", "young_people", "young_adults", "parents_carers", "professionals", "adult", "anyone")
YOUNG = ("children", "young_people", "young_adults")
ADULTS = ("young_adults", "parents_carers", "professionals", "adult", "anyone")

SERVICES = (
    Service(_l("Emergency"), "999", _l("If someone is in danger right now, or hurt, call 999."), ALL),
    Service(
        "Childline",
        "0800 1111",
        _l("Talk to someone about anything, any time. Free, and it won't show on the phone bill."),
        ("children", "young_people"),
        "https://www.childline.org.uk",
    ),
    Service(
        "Childline",
        "0800 1111",
        _l("For anyone under 19: talk to someone about anything, any time. Free, and it won't show on the phone bill."),
        ("anyone",),
        "https://www.childline.org.uk",
    ),
    Service(
        "Fearless",
        "fearless.org",
        _l("Tell someone about a crime without saying who you are."),
        ("young_people", "young_adults"),
        "https://www.fearless.org",
    ),
    Service(
        "Crimestoppers",
        "0800 555 111",
        _l("Give information about a crime anonymously."),
        ADULTS,
        "https://crimestoppers-uk.org",
    ),
    Service(
        "NSPCC helpline",
        "0808 800 5000",
        _l("For adults worried about a child."),
        ("parents_carers", "professionals", "adult", "anyone"),
        "https://www.nspcc.org.uk",
    ),
    Service(
        "Samaritans",
        "116 123",
        _l("Someone to listen, day or night, free from any phone."),
        ADULTS + ("young_people",),
        "https://www.samaritans.org",
    ),
)


def services_for(audience: str) -> list[Service]:
    """National services, then local ones, chosen and worded for this audience."""
    return [s for s in SERVICES if audience in s.audiences] + local_services(audience)


def local_services(audience: str) -> list[Service]:
    """The partnership's own services for this audience, from its local services file (if any)."""
    path = Path(current_app.config["LOCAL_SERVICES_FILE"])
    if not path.exists():
        return []
    return [s for s in _read_local(path, path.stat().st_mtime_ns) if audience in s.audiences]


@lru_cache(maxsize=4)
def _read_local(path: Path, _mtime: int) -> tuple[Service, ...]:
    """Each local service once per audience it serves, with that audience's wording."""
    # Written by the partnership, so read as any hand-written YAML: no aliases, a size limit.
    data = yamlsafe.load_path(path) or {}
    found = []
    for item in data.get("services") or []:
        what = item.get("what") or {}
        if isinstance(what, str):
            what = {"all": what}
        audiences = list(item.get("audiences") or ALL)
        if "adult" not in audiences and set(audiences) & set(ADULTS):
            audiences.append("adult")
        if "anyone" not in audiences:
            audiences.append("anyone")  # the help page before a questionnaire is chosen: whoever is reading
        for audience in audiences:
            group = "young" if audience in ("children", "young_people") else "adult"
            if audience == "anyone":
                # Whoever is reading, child or adult: the general words, else the young people's
                # (plain enough for anyone), else whatever the service has.
                words = what.get("anyone") or what.get("all") or what.get("young") or what.get("adult")
                words = words or next(iter(what.values()), "")
            else:
                words = what.get(audience) or what.get(group) or what.get("all") or ""
            found.append(
                Service(str(item["name"]), str(item.get("contact", "")), words, (audience,), str(item.get("link", "")))
            )
    return tuple(found)
