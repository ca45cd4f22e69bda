"""Interface words that change with the audience: plain for adults, simpler for children."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import get_locale, get_translations, refresh
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from questionnaires.model import Questionnaire
from questionnaires.translation import catalogue, translate
from survey_app.models import QuestionnaireVersion
from survey_app.survey.answer_types import choice_name

YOUNG = ("children", "young_people")

#: What happens to the answers, said before the first question.
PROMISES = {
    "children": [
        _l("We will not ask your name."),
        _l("Nobody will know which answers are yours. Not your teacher, not your family, not us."),
        _l("You can skip any question. Just press \u201cNext\u201d."),
        _l(
            "When you press \u201cSend my answers\u201d at the end, we cannot give them back or take them out, because we do not know which ones are yours."
        ),
        _l("If anything worries you, press \u201cGet help\u201d at the top of every page."),
    ],
    "young_people": [
        _l("We don't ask for your name, email or anything that says who you are."),
        _l("Nobody can tell which answers are yours: not your school, not your family, not us."),
        _l("You can skip any question you don't want to answer."),
        _l(
            "Once you send your answers they can't be taken back or deleted, because we can't tell which ones are yours."
        ),
        _l("\u201cGet help\u201d at the top of every page lists people you can talk to."),
    ],
    "adult": [
        _l(
            "This survey is anonymous: we do not ask for your name, email address or any contact details, and we do not record your IP address or device."
        ),
        _l("You can skip any question."),
        _l(
            "Answers are reported only as totals and short anonymised quotes, never for groups small enough to identify anyone."
        ),
        _l("Once you submit, your answers cannot be withdrawn, because they cannot be linked back to you."),
    ],
}


#: The landing page's few words, for whoever the visit's questionnaires are for. Short, so "Start now"
#: is on the first screen of a phone; the campaign's own description follows it for those who want more.
LANDING = {
    "children": _l("Tell us how safe you feel where you live, at school and online."),
    "young_people": _l("Tell us how safe you feel in your area, at school and online, and what would help."),
    "everyone": _l("Tell us how safe you feel, what worries you and what would make things better where you live."),
}


def landing_audience(audiences: set[str]) -> str:
    """Who a landing page speaks to: children or young people when the visit offers only their
    questionnaires (a primary school's link, say), otherwise everyone."""
    if audiences and audiences <= {"children"}:
        return "children"
    if audiences and audiences <= set(YOUNG):
        return "young_people"
    return "everyone"


def landing_text(audience: str) -> str:
    """The landing page's opening words for this audience."""
    return str(LANDING.get(audience, LANDING["everyone"]))


def promises(audience: str) -> list:
    """The anonymity and skipping promises for this audience."""
    return PROMISES.get(audience, PROMISES["adult"])


def plainest(questionnaire: Questionnaire) -> bool:
    """Children's and easy-read questionnaires get the plainest words the interface has."""
    return questionnaire.audience == "children" or questionnaire.presentation == "easy-read"


def progress(questionnaire: Questionnaire, number: int) -> str:
    """'Question 3 of up to 12' or 'Page 3 of up to 7'; 'Question 3 of 12' in the plainest words.

    The total is every page the questionnaire has, so it never changes as answers open or skip
    follow-up pages (a total that grows as you go feels like a trick); "up to" because some are
    skipped. An eight-year-old reads "of up to" as a puzzle, so the plainest words leave it out: when
    follow-up pages are skipped the survey ends before the count reaches the total, sooner than
    promised, never later.
    """
    most = len(questionnaire.pages)
    if questionnaire.one_question_per_page:
        if plainest(questionnaire):
            return str(_l("Question %(n)s of %(total)s", n=number, total=most))
        return str(_l("Question %(n)s of up to %(total)s", n=number, total=most))
    return str(_l("Page %(n)s of up to %(total)s", n=number, total=most))


def continue_label(audience: str) -> str:
    """The forward button's words."""
    return str(_l("Next")) if audience in YOUNG else str(_l("Continue"))


def submit_label(audience: str) -> str:
    """The final button's words."""
    return str(_l("Send my answers")) if audience in YOUNG else str(_l("Submit my answers"))


#: Languages by their own name, so a person can find theirs without reading English.
LANGUAGE_NAMES = {
    "en": "English",
    "pl": "Polski",
    "ur": "\u0627\u0631\u062f\u0648",
    "ar": "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "pa": "\u0a2a\u0a70\u0a1c\u0a3e\u0a2c\u0a40",
    "ro": "Rom\u00e2n\u0103",
}
#: Languages written right to left: the page gets dir="rtl" and its layout mirrors.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})


def text_direction(locale: str) -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if locale.split("_")[0] in RIGHT_TO_LEFT else "ltr"


def language_choices(languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, name in that language) for every language offered."""
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in languages]


def language_context() -> dict:
    """Page direction, the language switcher's choices and translated wording, for respondent templates."""
    locale = str(get_locale() or "en")
    config = current_app.config.get("COMMUNITY_VOICE")
    languages = tuple(config.languages) if config else ("en",)
    return {
        "text_direction": text_direction(locale),
        "current_language": locale,
        "gettext": template_gettext(locale),
        "shown": shown,
        "choice_name": choice_name,
        "language_choices": language_choices(languages) if len(languages) > 1 else [],
    }


#: locale -> (its catalogue, the templates' gettext bound to it)
_TEMPLATE_GETTEXT: dict[str, tuple[Any, Callable[..., str]]] = {}


def template_gettext(locale: str) -> Callable[..., str]:
    """The templates' `_()` for this request's language, bound to its catalogue once per process.

    Flask-Babel's own looks the catalogue up again for each of the hundred or so words on a page;
    this one does it once per page and remembers each word's translation. It behaves as Jinja's
    newstyle gettext does: the translation is markup, its %(name)s values are escaped.
    """
    translations = get_translations()
    held = _TEMPLATE_GETTEXT.get(locale)
    if held is not None and held[0] is translations:
        return held[1]
    lookup = translations.ugettext
    plain: dict[str, Markup] = {}

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        if not context.eval_ctx.autoescape:
            return str(lookup(string)) % variables
        found = None if variables else plain.get(string)
        if found is None:
            # The catalogue's own words are trusted markup, as Jinja's gettext treats them; "%%" becomes "%".
            found = Markup(lookup(string)) % variables  # noqa: S704 - our catalogue, not anyone's input
            if not variables:
                plain[string] = found
        return found

    _TEMPLATE_GETTEXT[locale] = (translations, gettext)
    return gettext


#: (questionnaire id, content hash, locale) -> (the catalogue used, the translated questionnaire)
_TRANSLATED: dict[tuple[str, str, str], tuple[object, Questionnaire]] = {}
#: a bound, so a long-lived process holding many test databases cannot grow without limit
_TRANSLATED_MOST = 256


def shown(version: QuestionnaireVersion) -> Questionnaire:
    """A questionnaire version's questionnaire in the respondent's language (English where untranslated)."""
    questionnaire = version.questionnaire
    locale = str(get_locale() or "en")
    if locale == "en":
        return questionnaire
    # The questionnaire catalogue sits beside the interface's (translations/<locale>/LC_MESSAGES/).
    folder = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])
    words = catalogue(folder, locale)
    # Translated once per version and language in this process: versions never change, and a
    # recompiled catalogue is a different object, so it is translated afresh.
    key = (version.questionnaire_id, version.content_hash, locale)
    held = _TRANSLATED.get(key)
    if held is not None and held[0] is words:
        return held[1]
    translated = translate(questionnaire, words)
    if len(_TRANSLATED) >= _TRANSLATED_MOST:
        _TRANSLATED.pop(next(iter(_TRANSLATED)))
    _TRANSLATED[key] = (words, translated)
    return translated


def choose_locale_afresh() -> None:
    """Flask-Babel caches the locale on the app context; where one context serves several requests
    (the test client inside an app context), each request must still choose its own language."""
    refresh()
