"""Help lines shown on every help page and after every survey, worded per audience.

National services are below: free and national. Local services come from a YAML file each
partnership keeps (the LOCAL_SERVICES_FILE setting, by default config/local-services.yaml; see
config/local-services.example.yaml); they are listed after the national ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app, session
from flask_babel import lazy_gettext as _l

from questionnaires import yamlsafe
from questionnaires.model import Answer, Page, Questionnaire
from survey_app.models import Response, SupportNote
from survey_app.safeguarding import (
    drop_note,
    keep_note,
    page_topics,
    read_note,
    response_topics,
    rule_book,
    support_plan,
)


@dataclass(frozen=True)
class Service:
    """A place to get help."""

    name: object  # a service's own name, or a lazy string where it is a word ("Emergency")
    contact: str
    what: object  # a lazy string
    audiences: tuple[str, ...]
    link: str = ""
    #: the name the safeguarding rules file uses for it ("childline"); empty for local services
    id: str = ""
    #: a text (SMS) service: the word to send to `contact`
    text_word: str = ""
    #: listed on every help page; False: only where an answer calls for it
    general: bool = True
    #: where to talk to someone online instead of calling (a young person may not be able to speak)
    chat: str = ""

    @property
    def tel(self) -> str:
        """The number to call as a tel: link's target, or "" when the contact is not a phone number."""
        digits = self.contact.replace(" ", "")
        return digits if digits.isdigit() and not self.text_word else ""


#: "anyone": before a questionnaire is chosen (landing, start, a kiosk) a child may be the one reading,
#: so the help page lists children's services as well as adults'.
ALL = ("children", "young_people", "young_adults", "parents_carers", "professionals", "adult", "anyone")
YOUNG = ("children", "young_people", "young_adults")
ADULTS = ("young_adults", "parents_carers", "professionals", "adult", "anyone")

CHILDLINE_CHAT = "https://www.childline.org.uk/get-support/1-2-1-counsellor-chat/"

SERVICES = (
    Service(_l("Emergency"), "999", _l("If someone is in danger right now, or hurt, call 999."), ALL, id="emergency"),
    Service(
        "Childline",
        "0800 1111",
        _l("Talk to someone about anything, any time. Free, and it won't show on the phone bill."),
        ("children", "young_people"),
        "https://www.childline.org.uk",
        id="childline",
        chat=CHILDLINE_CHAT,
    ),
    Service(
        "Childline",
        "0800 1111",
        _l("For anyone under 19: talk to someone about anything, any time. Free, and it won't show on the phone bill."),
        ("anyone",),
        "https://www.childline.org.uk",
        id="childline",
        chat=CHILDLINE_CHAT,
    ),
    Service(
        "Fearless",
        "fearless.org",
        _l("Tell someone about a crime without saying who you are."),
        ("young_people", "young_adults"),
        "https://www.fearless.org",
        id="fearless",
    ),
    Service(
        "Crimestoppers",
        "0800 555 111",
        _l("Give information about a crime anonymously."),
        ADULTS,
        "https://crimestoppers-uk.org",
        id="crimestoppers",
    ),
    Service(
        "NSPCC helpline",
        "0808 800 5000",
        _l("For adults worried about a child."),
        ("parents_carers", "professionals", "adult", "anyone"),
        "https://www.nspcc.org.uk",
        id="nspcc",
    ),
    Service(
        "Samaritans",
        "116 123",
        _l("Someone to listen, day or night, free from any phone."),
        ADULTS + ("young_people",),
        "https://www.samaritans.org",
        id="samaritans",
    ),
    # Shown only where an answer calls for them, so the everyday help pages stay short.
    Service(
        "Shout",
        "85258",
        _l("If you would rather text than talk: free, day or night, and it won't show on the phone bill."),
        ADULTS + ("young_people",),
        "https://giveusashout.org",
        id="shout",
        text_word="SHOUT",
        general=False,
    ),
    Service(
        _l("National Domestic Abuse Helpline"),
        "0808 2000 247",
        _l("Free and confidential, day and night, for anyone affected by abuse at home."),
        ADULTS,
        "https://www.nationaldahelpline.org.uk",
        id="domestic_abuse",
        general=False,
    ),
    Service(
        "Victim Support",
        "0808 168 9111",
        _l("Free help after a crime, whether or not it was reported to the police."),
        ("young_people",) + ADULTS,
        "https://www.victimsupport.org.uk",
        id="victim_support",
        general=False,
    ),
)

#: Every service name the safeguarding rules file may list.
SERVICE_IDS = frozenset(s.id for s in SERVICES)


def services_for(audience: str) -> list[Service]:
    """National services, then local ones, chosen and worded for this audience."""
    return [s for s in SERVICES if s.general and audience in s.audiences] + local_services(audience)


def services_named(ids: Iterable[str], audience: str) -> list[Service]:
    """The services the safeguarding help names, in its order, each once, keeping only those that
    serve this audience (Childline for children and young people, Samaritans for adults...)."""
    found: list[Service] = []
    for wanted in dict.fromkeys(ids):
        found += [s for s in SERVICES if s.id == wanted and audience in s.audiences][:1]
    return found


def other_services(shown: list[Service], audience: str) -> list[Service]:
    """The everyday help list without the services already shown above it."""
    seen = {s.id for s in shown}
    return [s for s in services_for(audience) if not s.id or s.id not in seen]


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


# --- help when it is needed ---------------------------------------------------------------------

#: The session cookie's key for the random token of the help kept after sending (never the help itself).
SESSION_NOTE = "after"


@dataclass(frozen=True)
class Panel:
    """Help for something the person told us: messages, most urgent first, and who can help."""

    messages: tuple[str, ...]
    services: list[Service]
    audience: str


def panel_for(topics: Iterable[str], audience: str, known: Iterable[str] = ()) -> Panel | None:
    """The help for these support topics, worded for the audience; None when there is nothing to say."""
    plan = support_plan(topics, audience, known)
    if not plan.messages:
        return None
    return Panel(plan.messages, services_named(plan.services, audience), audience)


def panel_after(questionnaire: Questionnaire, answers: Mapping[str, Answer], previous: Page | None) -> Panel | None:
    """Help for the answers given on the page just before this one, shown at the top of this one.

    Worked out from the draft's answers on the server each time the page is shown, so nothing about
    them is kept anywhere else; a page after one whose answers need no help shows nothing.
    """
    if previous is None:
        return None
    shown = questionnaire.visible_answers(dict(answers))
    topics = page_topics(questionnaire, shown, [q.key for q in previous.questions])
    if not topics:
        return None
    return panel_for(topics, questionnaire.audience, known=rule_book().topics(questionnaire, shown))


@dataclass(frozen=True)
class Sent:
    """What the thank-you page needs of a sent response: who it was for, the help its answers call
    for, its questionnaire version. Read before the commit that stores the response, because reading
    them afterwards would load the response and all its answers again."""

    audience: str
    topics: tuple[str, ...]
    version_id: int


def what_was_sent(response: Response) -> Sent:
    """The thank-you page's needs of a response (in the session, or just loaded)."""
    return Sent(response.audience, tuple(response_topics(response)), response.questionnaire_version_id)


def remember_after_sending(sent: Sent) -> None:
    """Keep the help a sent response's answers call for on the server, and only its token in the
    cookie (flushes; the caller commits). Replaces any help kept for an earlier response."""
    drop_note(session.pop(SESSION_NOTE, None))
    session[SESSION_NOTE] = keep_note(sent.audience, list(sent.topics))


def after_sending() -> SupportNote | None:
    """The help kept for the answers this browser sent, while it lasts."""
    return read_note(session.get(SESSION_NOTE))


def forget_after_sending() -> None:
    """A new person starts, or someone leaves quickly: the last person's help goes (the caller commits)."""
    drop_note(session.pop(SESSION_NOTE, None))
