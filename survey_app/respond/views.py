"""Respondent pages. Every page works without JavaScript; every page has help and a quick exit."""

from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response as WerkzeugResponse

from questionnaires.length import measure
from questionnaires.model import AUDIENCES, Option, Page, Question, Questionnaire
from survey_app.campaigns import guard
from survey_app.campaigns.school import count_completion
from survey_app.extensions import db
from survey_app.models import Campaign, CollectionPoint, Draft, QuestionnaireVersion
from survey_app.questionnaire_store import current_versions
from survey_app.respond import wording
from survey_app.respond.access import after_submit_url, in_kiosk
from survey_app.respond.support import (
    SESSION_NOTE,
    Sent,
    after_sending,
    forget_after_sending,
    other_services,
    panel_after,
    panel_for,
    remember_after_sending,
    services_for,
    what_was_sent,
)
from survey_app.survey.answer_types import input_for
from survey_app.survey.drafts import current_draft, forget_draft, read_page, save_page, start_draft
from survey_app.survey.submission import response_for_key, submit

SESSION_CAMPAIGN = "campaign"
#: Set once the answers are sent; holds only the random token of the help kept on the server for them.
SESSION_FINISHED = SESSION_NOTE
#: the questionnaire version just answered, for its own thank-you words (never an answer)
SESSION_THANKS = "thanks_version"


def _campaign(open_now: list[Campaign] | None = None) -> Campaign | None:
    """The campaign this visit came through, or the only open one (`open_now`: up to two open
    campaigns, when the caller has already read them)."""
    slug = session.get(SESSION_CAMPAIGN)
    if slug:
        campaign = db.session.scalar(select(Campaign).filter_by(slug=slug))
        if campaign is not None:
            return campaign
    if open_now is None:
        open_now = _open_campaigns(limit=2)  # two are enough to tell "exactly one" from "several"
    return open_now[0] if len(open_now) == 1 else None


def _open_campaigns(limit: int | None = None) -> list[Campaign]:
    """The campaigns open today, newest first."""
    today = dt.date.today()
    query = (
        select(Campaign)
        .where(Campaign.opens_on <= today, Campaign.closes_on >= today)
        .order_by(Campaign.opens_on.desc(), Campaign.id.desc())
    )
    return list(db.session.scalars(query.limit(limit) if limit else query))


def _no_campaign_chosen() -> str:
    """The landing page of a visit through the bare address when it cannot tell which campaign is
    meant: the open campaigns to choose from, or that none is open. Answers given with no campaign
    would reach no dashboard, export or safeguarding reviewer, so none are taken."""
    choices = _open_campaigns()
    locale = _locale()
    return render_template(
        "respond/choose.html",
        choices=[(c.slug, c.shown_name(locale), c.shown_description(locale)) for c in choices],
    )


def _collection_point(campaign: Campaign | None) -> int | None:
    """The collection point this visit came through (a link, QR code or code), if it is this campaign's."""
    point = db.session.get(CollectionPoint, session.get("collection_point") or 0)
    return point.id if point is not None and campaign is not None and point.campaign_id == campaign.id else None


def _versions(campaign: Campaign | None) -> list:
    """Current questionnaire versions on offer, in audience order (children first)."""
    versions = current_versions(campaign.questionnaire_ids if campaign and campaign.questionnaire_ids else None)
    return sorted(versions, key=lambda v: (AUDIENCES.index(v.audience), v.questionnaire_id))


def landing() -> str:
    """What the consultation is about, and a start button."""
    open_now = _open_campaigns(limit=2)
    campaign = _campaign(open_now)
    if campaign is None:
        return _no_campaign_chosen()
    if not campaign.is_open(dt.date.today()):
        return render_template("respond/closed.html", campaign=campaign)
    versions = _versions(campaign)
    audience = wording.landing_audience({v.audience for v in versions})
    return render_template(
        "respond/landing.html",
        campaign=campaign,
        audience=audience,
        one_survey=len(versions) == 1,
        landing_text=wording.landing_text(audience),
        campaign_name=campaign.shown_name(_locale()),
        campaign_description=campaign.shown_description(_locale()),
        # a link back to the choice, for someone who chose the wrong one or shares the phone
        other_surveys=len(open_now) > 1,
    )


def _locale() -> str:
    return str(get_locale() or "en")


def campaign_link(slug: str) -> WerkzeugResponse:
    """A campaign's own link: remember which campaign (never who) and go to the landing page."""
    campaign = db.session.scalar(select(Campaign).filter_by(slug=slug))
    if campaign is None:
        abort(404)
    session[SESSION_CAMPAIGN] = campaign.slug
    return redirect(url_for(".landing"))


def choose_again() -> WerkzeugResponse:
    """Forget which campaign this visit is for (never who), so the front page offers every open one."""
    session.pop(SESSION_CAMPAIGN, None)
    return redirect(url_for(".landing"))


def start() -> str | WerkzeugResponse:
    """'Which of these best describes you?' chooses the questionnaire."""
    campaign = _campaign()
    if campaign is None:
        return redirect(url_for(".landing"))
    if not campaign.is_open(dt.date.today()):
        return render_template("respond/closed.html", campaign=campaign)
    versions = _versions(campaign)
    if guard.browser_full(in_kiosk()):
        # Said before anyone starts: on a shared device the sixth child was stopped only at Send.
        return render_template("respond/browser_full.html")
    error = None
    if request.method == "POST":
        chosen = next((v for v in versions if v.questionnaire_id == request.form.get("questionnaire")), None)
        if chosen is not None:
            forget_after_sending()  # a shared tablet: the last person's help goes
            start_draft(
                chosen,
                language=str(get_locale() or "en"),
                campaign_id=campaign.id if campaign else None,
                collection_point_id=_collection_point(campaign),
            )
            db.session.commit()
            return redirect(url_for(".intro"))
        error = _("Please choose the answer that best describes you, so we can show you the right questions.")
    minutes = {v.questionnaire_id: _minutes(v) for v in versions}
    return render_template("respond/start.html", versions=versions, error=error, minutes=minutes)


#: (questionnaire id, content hash) -> minutes it takes: a version never changes, so it is measured
#: once per process rather than on every start page
_MINUTES: dict[tuple[str, str], int] = {}


def _minutes(version: QuestionnaireVersion) -> int:
    key = (version.questionnaire_id, version.content_hash)
    if key not in _MINUTES:
        _MINUTES[key] = measure(version.questionnaire).minutes
    return _MINUTES[key]


def _require_draft() -> Draft | WerkzeugResponse:
    draft = current_draft()
    if draft is None:
        # Back from the thank-you page (or from a kiosk's start screen) lands here once the answers
        # are sent: say they were sent, rather than that they were lost, and show none of them.
        if in_kiosk():
            return redirect(url_for(".kiosk_start"))
        if session.get(SESSION_FINISHED):
            return redirect(url_for(".thank_you"))
        if not session:
            # Nothing of this browser's is known: a quick exit emptied it (or it never began here).
            # Back after a quick exit must not say that answers were being given on this device.
            return redirect(url_for(".landing"))
        return redirect(url_for(".start", expired=1))
    return draft


def intro() -> str | WerkzeugResponse:
    """Plain words about what happens to the answers, before the first question."""
    draft = _require_draft()
    if not isinstance(draft, Draft):
        return draft
    questionnaire = wording.shown(draft.version)  # in the respondent's language; same keys and values
    pages = questionnaire.visible_pages(draft.answers)
    return render_template(
        "respond/intro.html",
        questionnaire=questionnaire,
        first_page=pages[0],
        promises=wording.promises(questionnaire.audience),
        audience=questionnaire.audience,
    )


def page(page_key: str) -> str | WerkzeugResponse:
    """One page of questions; Back and Continue both save what was typed."""
    draft = _require_draft()
    if not isinstance(draft, Draft):
        return draft
    questionnaire = wording.shown(draft.version)  # in the respondent's language; same keys and values
    pages = questionnaire.visible_pages(draft.answers)
    current = next((p for p in pages if p.key == page_key), None)
    if current is None:  # routing no longer shows it, or an old link
        return redirect(url_for(".check") if draft.answers else url_for(".intro"))
    changing = request.args.get("change") == "1"
    questions = current.visible_questions(questionnaire.visible_answers(draft.answers))
    errors: dict[str, str] = {}
    raw: dict = {}
    if request.method == "POST":
        answers, pending, errors = read_page(questions, request.form)
        draft.language = str(get_locale() or "en")  # the language the answers were given in, if switched
        save_page(draft, current, answers, pending)
        # Where to go next is worked out from the answers in hand, before the commit expires the draft:
        # afterwards reading them would load the whole draft again. The commit still comes before any
        # reply, so a page is saved before the next one shows.
        saved = draft.answers
        target = _after_saving(request.form.get("action"), questionnaire, saved, pages, current, changing, errors)
        db.session.commit()
        if target is not None:
            return redirect(target)
        for q in questions:
            raw.update(pending[q.key]["raw"] if q.key in pending else input_for(q).raw_from_form(q, request.form))
    else:
        for q in questions:
            held = draft.pending.get(q.key)
            if held:
                raw.update(held["raw"])
                errors.update(held["errors"])
            else:
                raw.update(input_for(q).raw_from_answer(q, draft.answers.get(q.key)))
        saved = draft.answers
    number = pages.index(current) + 1
    return render_template(
        "respond/page.html",
        questionnaire=questionnaire,
        page=current,
        questions=questions,
        raw=raw,
        errors=errors,
        audience=questionnaire.audience,
        changing=changing,
        progress=wording.progress(questionnaire, number),
        plainest=wording.plainest(questionnaire),
        continue_label=wording.continue_label(questionnaire.audience),
        input_for=input_for,
        # Help for what was answered on the page before, at the top of this one.
        support_panel=panel_after(questionnaire, saved, pages[number - 2] if number > 1 else None),
    )


def _after_saving(
    action: str | None,
    questionnaire: Questionnaire,
    saved: dict,
    pages: list[Page],
    current: Page,
    changing: bool,
    errors: dict[str, str],
) -> str | None:
    """Where a saved page sends the person: back, the same page in another language, to help, or on
    (None when Continue found answers to correct, so the page shows again)."""
    if action == "back":
        return _previous(pages, current) or url_for(".intro")
    if action == "language":  # switched language (?lang=): the same page, kept
        return url_for(".page", page_key=current.key, change=1 if changing else None)
    if action == "help":  # Get help, with what was typed kept; the help page links back to this page
        here = url_for(".page", page_key=current.key, change=1 if changing else None)
        return url_for(".help_page", **{"from": here})  # type: ignore[arg-type]  # "from" is a keyword
    if errors:
        return None
    return _next(questionnaire.visible_pages(saved), current, [p.key for p in pages], changing)


def _previous(pages: list[Page], current: Page) -> str | None:
    index = pages.index(current)
    return url_for(".page", page_key=pages[index - 1].key) if index > 0 else None


def _next(pages: list[Page], current: Page, before: list[str], changing: bool) -> str:
    """After a page: the next page, or back to checking; a change that opens a follow-up goes there."""
    keys = [p.key for p in pages]
    after = keys[keys.index(current.key) + 1 :] if current.key in keys else []
    if changing:
        opened = [k for k in after if k not in before]
        if opened:
            return url_for(".page", page_key=opened[0], change=1)
        # Back to the answer just changed, not the top of a long list.
        return (
            url_for(".check", _anchor=f"check-{current.questions[0].key}") if current.questions else url_for(".check")
        )
    return url_for(".page", page_key=after[0]) if after else url_for(".check")


def _already_sent() -> WerkzeugResponse | None:
    """A retried or double-clicked submit finds the response the first click made: thank them for it."""
    done = response_for_key(request.form.get("submission_key", ""))
    if done is None:
        return None
    forget_draft()
    remember_after_sending(what_was_sent(done))
    db.session.commit()
    return redirect(after_submit_url(), code=303)


def _send(draft: Draft) -> Sent:
    """Store the answers and commit before anyone is thanked; a twin tap that lost the race gets the
    response the first one made."""
    key = draft.submission_key
    try:
        response = submit(draft, key)
        count_completion(response)  # the class's count, in the same transaction (browsers only)
        sent = what_was_sent(response)  # before the commit expires the response and its answers
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()  # a double tap's twin committed the same key first: nothing of ours is kept
        twin = response_for_key(key)
        if twin is None:
            raise
        return what_was_sent(twin)
    guard.count_send()
    return sent


def check() -> str | WerkzeugResponse:
    """Check your answers, change any, then send them all in one go."""
    if request.method == "POST" and (finished := _already_sent()) is not None:
        return finished
    draft = _require_draft()
    if not isinstance(draft, Draft):
        # A double tap's twin may have sent the answers (and removed the draft) a moment ago.
        return (_already_sent() if request.method == "POST" else None) or draft
    questionnaire = wording.shown(draft.version)  # in the respondent's language; same keys and values
    pages = questionnaire.visible_pages(draft.answers)
    answers = questionnaire.visible_answers(draft.answers)
    shown_keys = {q.key for p in pages for q in p.visible_questions(answers)}
    problems = {k: v for k, v in draft.pending.items() if k in shown_keys}
    held = guard.held_back(request.form, draft, kiosk=in_kiosk()) if request.method == "POST" and not problems else ""
    if held == guard.SILENT:  # a script filled the hidden box: thank it, keep nothing
        return redirect(url_for(".thank_you"), code=303)
    if request.method == "POST" and not problems and held is None:
        sent = _send(draft)
        forget_draft()
        remember_after_sending(sent)  # in a transaction of its own, so it shares nothing with the response
        session[SESSION_THANKS] = sent.version_id
        db.session.commit()
        return redirect(after_submit_url(), code=303)
    rows = [(p, [(q, answers.get(q.key)) for q in p.visible_questions(answers)]) for p in pages]
    return render_template(
        "respond/check.html",
        questionnaire=questionnaire,
        rows=rows,
        problems=problems,
        draft=draft,
        audience=questionnaire.audience,
        submit_label=wording.submit_label(questionnaire.audience),
        # Help for the last page's answers, as on every page after the one where they were given.
        support_panel=panel_after(questionnaire, draft.answers, pages[-1] if pages else None),
        input_for=input_for,
    )


def thank_you() -> str:
    """Thanks, and where to get help; shows nothing of the answers."""
    note = after_sending()  # on the server; the cookie holds only its random token
    audience = note.audience if note else "adult"
    support = panel_for(note.topics, audience) if note else None
    if note is not None and note.topics:
        # Help for what the person told us is shown this once. Phones rarely end a browser session,
        # and whoever opens the site next on the same device (from its history, or with Back) must
        # not read that someone here may be hurting them; the audience stays, so the page still
        # speaks to them.
        note.topics = []
        db.session.commit()
    others = other_services(support.services if support else [], audience)
    # Easy read thanks in easy read, children without talk of "the partnership": the questionnaire's own words.
    version = db.session.get(QuestionnaireVersion, session.get(SESSION_THANKS) or 0) if note else None
    thanks = wording.shown(version).thank_you if version else ""
    return render_template("respond/thank_you.html", audience=audience, support=support, others=others, thanks=thanks)


def help_page() -> str:
    """People to talk to, worded for the audience being answered for."""
    draft = current_draft()
    # Before a questionnaire is chosen, whoever is reading (a child or an adult) finds help for them.
    note = None if draft else after_sending()
    audience = draft.version.audience if draft else (note.audience if note else "anyone")
    return render_template("respond/help.html", audience=audience)


def privacy() -> str:
    """What happens to answers, in plain words."""
    return render_template("respond/privacy.html")


def accessibility() -> str:
    """The accessibility statement."""
    return render_template("respond/accessibility.html")


FACES = ("very-happy", "happy", "okay", "sad", "very-sad")


def face_for(q: Question, option: Option) -> str:
    """Which face to draw for a scale point: spread the scale's points across the five faces."""
    points = [o for o in q.options if not o.special]
    index = points.index(option)
    if len(points) <= 1:
        return FACES[2]
    return FACES[round(index * (len(FACES) - 1) / (len(points) - 1))]


def template_helpers() -> dict:
    """Helpers for respondent templates: help services, faces for scale points, today's date."""
    return {"services_for": services_for, "face_for": face_for, "today": dt.date.today}
