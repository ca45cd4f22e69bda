"""Ways in: typing a code, a collection point's link, kiosk mode on shared devices, and resume codes.

Everything here remembers *where* answers come from (a campaign, a collection point, a class's
session), never *who*. Kiosk mode keeps only the class's session code in the browser's cookie and
wipes everything else after every pupil, so the next pupil can't reach the previous one's answers.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.campaigns import codes, guard, resume, throttle
from survey_app.campaigns.school import SESSION_KEY as SESSION_SCHOOL
from survey_app.campaigns.school import session_by_code
from survey_app.campaigns.setup import point_by_code
from survey_app.extensions import db
from survey_app.models import Draft, ResumeCode, SchoolSession
from survey_app.questionnaire_store import current_version
from survey_app.respond.support import SESSION_NOTE, after_sending, forget_after_sending, other_services, panel_for
from survey_app.survey.drafts import current_draft, forget_draft, read_page, save_page, start_draft

SESSION_CAMPAIGN = "campaign"  # the same key the landing page reads
SESSION_POINT = "collection_point"
SESSION_KIOSK = "kiosk"
#: Set once the answers are sent; holds only the random token of the help kept on the server for them.
SESSION_FINISHED = SESSION_NOTE
SESSION_CODE_TRIES = "code_tries"
#: Wrong codes one browser may type in an hour.
CODE_TRIES_PER_BROWSER = 10
#: A shared device goes back to its start screen after this long without a touch or key (with JavaScript)...
#: ...or, without JavaScript, this long after a page was shown.
KIOSK_FALLBACK_SECONDS = 900
#: The kiosk's thank-you page moves on to the next pupil after this long.
KIOSK_THANKS_SECONDS = 20


def in_kiosk() -> bool:
    """Whether this browser is a shared device in kiosk mode."""
    return bool(session.get(SESSION_KIOSK))


def after_submit_url() -> str:
    """Where a browser goes once its answers are safely stored; kiosks wipe the session first."""
    if in_kiosk():
        _wipe_for_next_pupil()
        return url_for("respond.kiosk_thanks")
    return url_for("respond.thank_you")


def _wipe_for_next_pupil(delete_draft: bool = False) -> None:
    """Forget everything about the last pupil except which class's kiosk this is."""
    if delete_draft:
        draft = current_draft()
        if draft is not None:  # abandoned on a shared device: nobody could ever come back to it
            db.session.delete(draft)
    # Not even the last pupil's language choice is kept.
    kept: tuple[str, ...] = (SESSION_KIOSK, SESSION_SCHOOL, SESSION_CAMPAIGN, SESSION_POINT)
    if delete_draft:  # the last pupil's help goes with them (the caller commits)
        forget_after_sending()
    else:  # just sent: the thank-you screen still needs the token of the help kept for them
        kept += (SESSION_FINISHED,)
    keep = {k: session[k] for k in kept if k in session}
    session.clear()
    session.update(keep)


def _join(school_session: SchoolSession) -> None:
    """Remember the class's session, school and campaign in this browser (never the pupil)."""
    point = school_session.collection_point
    session[SESSION_SCHOOL] = school_session.id
    session[SESSION_POINT] = point.id
    session[SESSION_CAMPAIGN] = point.campaign.slug


def _unavailable(school_session: SchoolSession) -> str | None:
    """A page explaining why pupils can't start this session now, or None when they can."""
    campaign = school_session.collection_point.campaign
    if not campaign.is_open(dt.date.today()):
        return render_template("respond/closed.html", campaign=campaign)
    if not school_session.is_open:
        return render_template("respond/code.html", error=None, closed=school_session, typed="")
    return None


def _start_for(school_session: SchoolSession) -> WerkzeugResponse:
    """Start this class's questionnaire for a pupil (flushes; the view commits) and go to its first page."""
    version = current_version(school_session.questionnaire_id)
    if version is None:
        abort(404)
    _join(school_session)
    start_draft(
        version,
        language=str(get_locale() or "en"),
        campaign_id=school_session.collection_point.campaign_id,
        collection_point_id=school_session.collection_point_id,
    )
    return redirect(url_for("respond.intro"))


def enter_code() -> str | WerkzeugResponse:
    """'Enter your code': a class's session code, or a school's or group's code from a poster."""
    error = None
    typed = ""
    if request.method == "POST":
        typed = request.form.get("code", "")
        code = codes.normalise(typed)
        window, used = session.get(SESSION_CODE_TRIES, [0, 0])
        used = used if window == throttle.current_window() else 0
        bucket = throttle.bucket_for("code", code[:2])
        limit = int(current_app.config["CODE_BUCKET_LIMIT"])
        if used >= CODE_TRIES_PER_BROWSER or throttle.is_blocked(bucket, limit):
            error = _(
                "That's a lot of codes that didn't work, so please wait a while before trying again. "
                "Ask your teacher or the person who gave you the code to check it."
            )
        elif not code:
            error = _("Please type your code. It is on the board, the poster or the letter you were given.")
        else:
            school_session = session_by_code(code) if len(code) == codes.SESSION_CODE_LENGTH else None
            point = point_by_code(code) if len(code) == codes.POINT_CODE_LENGTH else None
            if school_session is not None:
                session.pop(SESSION_CODE_TRIES, None)
                closed = _unavailable(school_session)
                if closed is not None:
                    return closed
                started = _start_for(school_session)
                db.session.commit()
                return started
            if point is not None:
                session.pop(SESSION_CODE_TRIES, None)
                return redirect(url_for("respond.point_link", code=point.code))
            throttle.record_failure(bucket)
            db.session.commit()
            session[SESSION_CODE_TRIES] = [throttle.current_window(), used + 1]
            error = _(
                "We couldn't find the code \u201c%(code)s\u201d. Please check it and try again. Codes use "
                "capital letters and numbers, and never the letters O or I.",
                code=typed.strip()[:20],
            )
    return render_template("respond/code.html", error=error, closed=None, typed=typed)


def point_link(code: str) -> WerkzeugResponse:
    """A collection point's link or QR code: remember the campaign and the place (never who), then start."""
    point = point_by_code(codes.normalise(code))
    if point is None:
        return redirect(url_for("respond.enter_code"))
    session[SESSION_CAMPAIGN] = point.campaign.slug
    session[SESSION_POINT] = point.id
    session.pop(SESSION_SCHOOL, None)
    return redirect(url_for("respond.landing"))


# --- kiosk mode -----------------------------------------------------------------------------------


def kiosk_setup(code: str) -> str | WerkzeugResponse:
    """A coordinator opens this on a shared device to put it in kiosk mode for a class's session."""
    school_session = session_by_code(codes.normalise(code))
    if school_session is None:
        return redirect(url_for("respond.enter_code"))
    session.clear()
    session[SESSION_KIOSK] = school_session.code
    _join(school_session)
    return redirect(url_for("respond.kiosk_start"))


def _kiosk_session() -> SchoolSession | None:
    code = session.get(SESSION_KIOSK)
    return session_by_code(code) if code else None


def kiosk_start() -> str | WerkzeugResponse:
    """The shared device's start screen: one button for the next pupil."""
    school_session = _kiosk_session()
    if school_session is None:
        return redirect(url_for("respond.enter_code"))
    unavailable = _unavailable(school_session)
    if unavailable is not None:
        return unavailable
    if request.method == "POST":
        _wipe_for_next_pupil(delete_draft=True)
        started = _start_for(school_session)
        db.session.commit()
        return started
    return render_template("respond/kiosk_start.html", school_session=school_session)


def kiosk_next() -> WerkzeugResponse:
    """Back to the start screen for the next pupil, wiping the last one's unsent answers from this device."""
    if not in_kiosk():
        return redirect(url_for("respond.landing"))
    _wipe_for_next_pupil(delete_draft=True)
    db.session.commit()
    return redirect(url_for("respond.kiosk_start"))


def kiosk_thanks() -> str | WerkzeugResponse:
    """Thanks on a shared device; moves on to the start screen by itself, showing nothing of the answers."""
    if not in_kiosk():
        return redirect(url_for("respond.thank_you"))
    note = after_sending()  # on the server; the cookie holds only its random token
    audience = note.audience if note else "young_people"
    support = panel_for(note.topics, audience) if note else None
    others = other_services(support.services if support else [], audience)
    # Longer when there is help to read about something the pupil told us.
    wait = KIOSK_THANKS_SECONDS * 3 if support else KIOSK_THANKS_SECONDS
    return render_template(
        "respond/kiosk_thanks.html", kiosk_after=wait, audience=audience, support=support, others=others
    )


# --- quick exit --------------------------------------------------------------------------------------

#: Where "Leave this site quickly" lands: an ordinary, busy site that says nothing about this one.
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def quick_exit() -> WerkzeugResponse:
    """Wipe this browser's unfinished answers (on the server and in the cookie), then go somewhere neutral.

    A plain link (GET), so it works without JavaScript and from any page. With the draft deleted,
    going Back to any survey page fetches it afresh (pages are never cached) and finds nothing.
    """
    draft = current_draft()
    if draft is not None:
        # Explicitly: SQLite only honours the ON DELETE CASCADE when foreign keys are switched on.
        db.session.execute(delete(ResumeCode).where(ResumeCode.draft_token == draft.token))
        db.session.delete(draft)
        db.session.commit()
    forget_after_sending()  # and the help kept for answers already sent from this browser
    db.session.commit()
    kiosk = in_kiosk()
    if kiosk:  # a shared device stays the class's kiosk; everything about this pupil goes
        _wipe_for_next_pupil(delete_draft=True)
    else:
        session.clear()  # an emptied session makes Flask delete the cookie
    response = redirect(NEUTRAL_SITE, code=303)
    # Browsers that support it also drop this site's cookies and storage (secure contexts only).
    response.headers["Clear-Site-Data"] = '"storage"' if kiosk else '"cookies", "storage"'
    return response


# --- save and come back later ---------------------------------------------------------------------


def save_for_later() -> str | WerkzeugResponse:
    """Keep what is on this page, then show a resume code once. Not offered on shared devices."""
    draft = current_draft()
    if draft is None:
        return redirect(url_for("respond.start", expired=1))
    questionnaire = draft.version.questionnaire
    pages = questionnaire.visible_pages(draft.answers)
    current = next((p for p in pages if p.key == request.args.get("page")), None)
    if current is not None:
        questions = current.visible_questions(questionnaire.visible_answers(draft.answers))
        answers, pending, _errors = read_page(questions, request.form)
        save_page(draft, current, answers, pending)
    # Shared devices, and questionnaires that don't offer it (young children), keep the page and carry on.
    if in_kiosk() or not questionnaire.save_for_later:
        db.session.commit()
        return redirect(url_for("respond.page", page_key=current.key) if current else url_for("respond.check"))
    words = resume.save_for_later(draft)
    expires_on = resume.expiry_for(draft, dt.date.today())
    db.session.commit()
    forget_draft()  # whoever uses this browser next can't carry on; the words are the only way back
    return render_template(
        "respond/resume_saved.html", words=words, expires_on=expires_on, audience=questionnaire.audience
    )


def resume_answers() -> str | WerkzeugResponse:
    """Type a resume code to carry on with saved answers."""
    if in_kiosk():
        return render_template("respond/resume.html", error=None, kiosk=True, typed="")
    error = None
    typed = ""
    if request.method == "POST":
        typed = request.form.get("code", "")
        result = resume.resume(typed)
        db.session.commit()
        if result.status == "ok" and result.draft is not None:
            return redirect(_where_to_carry_on(result.draft))
        error = {
            "wrong": _(
                "We couldn't find those words. Please check them and try again (%(n)s more tries).", n=result.tries_left
            )
            if result.tries_left
            else _("We couldn't find those words, and that was the last try for now. Please try again in an hour."),
            "expired": _(
                "This code no longer works because the survey closed on %(date)s. Thank you for your time.",
                date=f"{result.closed_on:%-d %B %Y}" if result.closed_on else "",
            ),
            "too_many": _("That's too many tries on this device for now. Please try again in an hour."),
            "busy": _("We can't check that code right now. Please try again in an hour."),
        }[result.status]
    return render_template("respond/resume.html", error=error, kiosk=False, typed=typed)


def _where_to_carry_on(draft: Draft) -> str:
    """The first page with no answers yet, or checking when every page has some."""
    questionnaire = draft.version.questionnaire
    for page in questionnaire.visible_pages(draft.answers):
        if not any(q.key in draft.answers for q in page.questions):
            return url_for("respond.page", page_key=page.key)
    return url_for("respond.check")


def template_helpers() -> dict:
    """Kiosk mode and the duplicate guard's fields, for every respondent template."""
    return {
        "kiosk_mode": in_kiosk,
        "kiosk_idle_seconds": current_app.config["KIOSK_IDLE_SECONDS"],
        "kiosk_fallback_seconds": KIOSK_FALLBACK_SECONDS,
        "guard_token": guard.shown_token,
        "guard_notice": lambda: g.get("guard_notice"),
        "guard_honeypot": guard.HONEYPOT,
        "guard_shown_field": guard.SHOWN_FIELD,
    }
