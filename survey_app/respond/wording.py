"""Interface words that change with the audience: plain for adults, simpler for children."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

YOUNG = ("children", "young_people")

#: What happens to the answers, said before the first question.
PROMISES = {
    "children": [
        _l("We will not ask your name."),
        _l("Nobody will know which answers are yours. Not your teacher, not your family, not us."),
        _l("You can skip any question. Just press \u201cNext\u201d."),
        _l("When you press \u201cSend my answers\u201d at the end, we cannot give them back or take them out, because we do not know which ones are yours."),
        _l("If anything worries you, press \u201cGet help\u201d at the top of every page."),
    ],
    "young_people": [
        _l("We don't ask for your name, email or anything that says who you are."),
        _l("Nobody can tell which answers are yours: not your school, not your family, not us."),
        _l("You can skip any question you don't want to answer."),
        _l("Once you send your answers they can't be taken back or deleted, because we can't tell which ones are yours."),
        _l("\u201cGet help\u201d at the top of every page lists people you can talk to."),
    ],
    "adult": [
        _l("This survey is anonymous: we do not ask for your name, email address or any contact details, and we do not record your IP address or device."),
        _l("You can skip any question."),
        _l("Answers are reported only as totals and short anonymised quotes, never for groups small enough to identify anyone."),
        _l("Once you submit, your answers cannot be withdrawn, because they cannot be linked back to you."),
    ],
}


def promises(audience: str) -> list:
    """The anonymity and skipping promises for this audience."""
    return PROMISES.get(audience, PROMISES["adult"])


def progress(audience: str, one_per_page: bool, number: int, total: int) -> str:
    """'Question 3 of 12' or 'Page 3 of 7'."""
    if one_per_page:
        return str(_l("Question %(n)s of %(total)s", n=number, total=total))
    return str(_l("Page %(n)s of %(total)s", n=number, total=total))


def continue_label(audience: str) -> str:
    """The forward button's words."""
    return str(_l("Next")) if audience in YOUNG else str(_l("Continue"))


def submit_label(audience: str) -> str:
    """The final button's words."""
    return str(_l("Send my answers")) if audience in YOUNG else str(_l("Submit my answers"))
