"""The codebook in the staff workspace: add, edit, merge and retire themes, and find what it misses.

Every change is made by analysis.coding.edits and stored as a new CodebookVersion for the campaign
(see survey_app.models.coding): codes made under earlier versions keep their version and are read
through `theme_now`, so a merged theme's codes count towards its target and a retired theme's are
kept and shown as retired. After a change, answers nobody has reviewed are recoded with the new
codebook's rules; a trained coder belongs to the version it was trained on, so the analyst is told to
retrain. Analysts and administrators only (the discovery page shows redacted free text). The audit
log records theme keys and version numbers, never the words of a theme or of an answer.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.coding.codebook import Codebook, CodebookError
from analysis.coding.edits import (
    CodebookChange,
    add_theme,
    count_codes,
    edit_theme,
    merge_themes,
    promotion_fields,
    retire_theme,
)
from analysis.disclosure import protect_counts
from analysis.text.topics import discover_topics, unthemed
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CodebookVersion
from survey_app.staff import bp, clock
from survey_app.staff.auth import DATA_ROLES, audit, campaign_for_user_or_404, role_required
from survey_app.staff.coding import (
    _codes,
    campaign_codebook,
    code_answers,
    free_text_answers,
    latest_model,
    outdated_model,
)

View = str | WerkzeugResponse | tuple[str, int]
#: Statuses of codes that say an answer has the theme (applied by the coder, or kept by a person).
HAS_THEME = ("applied", "accepted", "added")
ADD_FIELDS = ("key", "label", "definition", "includes", "excludes", "phrases", "examples", "parent", "reason")
EDIT_FIELDS = ("label", "definition", "includes", "excludes", "phrases", "examples")


def version_history(campaign_id: int, current: CodebookVersion) -> list[CodebookVersion]:
    """The campaign's codebook versions, newest first, down to the shipped one it started from."""
    rows = list(
        db.session.scalars(
            select(CodebookVersion)
            .where(CodebookVersion.campaign_id == campaign_id)
            .order_by(CodebookVersion.version.desc(), CodebookVersion.id.desc())
        )
    )
    if current.campaign_id is None:
        rows.append(current)
    else:
        base_version = rows[-1].version - 1 if rows else current.version
        shipped = db.session.scalar(
            select(CodebookVersion)
            .where(
                CodebookVersion.campaign_id.is_(None),
                CodebookVersion.name == current.name,
                CodebookVersion.version == base_version,
            )
            .order_by(CodebookVersion.id.desc())
            .limit(1)
        )
        if shipped is not None:
            rows.append(shipped)
    return rows


def theme_counts(campaign_id: int, book: Codebook) -> tuple[dict[str, Any], int]:
    """Answers per theme as the codebook now stands, through disclosure control, and how many answers are coded."""
    answers = {key: [c.theme_key for c in codes if c.status in HAS_THEME] for key, codes in _codes(campaign_id).items()}
    counts = count_codes(book, answers)
    raw = {t.key: counts.current.get(t.key, 0) for t in book.all_themes() if t.active}
    raw |= {t.key: counts.retired.get(t.key, 0) for t in book.all_themes() if not t.active and not t.merged_into}
    raw |= {f"unknown:{k}": n for k, n in counts.unknown.items()}
    coded = sum(1 for keys in answers.values() if keys)
    if not raw:
        return {}, coded
    # Not exclusive: an answer can have several themes; each count is out of the coded answers.
    protected = protect_counts(raw, total=max(coded, max(raw.values())), exclusive=False)
    return dict(protected.items()), coded


def save_change(campaign: Campaign, change: CodebookChange) -> CodebookVersion:
    """Store the new version for the campaign, recode unreviewed answers under it, and audit (keys only)."""
    book = change.book
    row = CodebookVersion(
        campaign_id=campaign.id,
        name=book.name,
        version=book.version,
        content_hash=book.fingerprint,
        content=book.to_dict(),
        created_on=clock.today(),
        change_note=change.note,
    )
    db.session.add(row)
    db.session.flush()
    recoded = code_answers(current_app._get_current_object(), campaign.id)  # type: ignore[attr-defined]
    audit(
        f"codebook_{change.action}",
        f"campaign:{campaign.id}",
        version=book.version,
        themes=list(change.keys),
        recoded=recoded,
    )
    return row


def _saved_message(campaign: Campaign, row: CodebookVersion, note: str) -> None:
    flash(
        _(
            "Saved as codebook version %(version)s: %(note)s Answers nobody has reviewed were recoded with "
            "its phrases; reviewed answers keep their themes.",
            version=row.version,
            note=note,
        ),
        "success",
    )
    if outdated_model(campaign.id, row.id) is not None:
        flash(
            _(
                "The trained coder was made for an earlier version of the codebook, so the codebook's phrases "
                "code answers until you retrain it on the theme coding page."
            ),
            "info",
        )


def _stale(form: Any, book: Codebook) -> str | None:
    """A message if the codebook changed since the form was shown (another analyst's edit)."""
    based_on = form.get("based_on", "")
    if based_on and based_on != str(book.version):
        return _(
            "The codebook changed to version %(version)s while you were working. Check the themes "
            "below and submit again.",
            version=book.version,
        )
    return None


def _overview(
    campaign: Campaign,
    *,
    errors: dict[str, str] | None = None,
    add: Any = None,
    merge: Any = None,
    retire: Any = None,
    status: int = 200,
) -> tuple[str, int]:
    book, row = campaign_codebook(campaign.id)
    counts, coded = theme_counts(campaign.id, book)
    top = [t for t in book.themes if t.active]
    retired = [t for t in book.all_themes() if not t.active]
    unknown = {k.removeprefix("unknown:"): cell for k, cell in counts.items() if k.startswith("unknown:")}
    return render_template(
        "staff/coding/codebook.html",
        campaign=campaign,
        book=book,
        codebook=row,
        top=top,
        retired=retired,
        active=book.active_themes(sub_themes=True),
        counts=counts,
        unknown=unknown,
        coded=coded,
        history=version_history(campaign.id, row),
        errors=errors or {},
        add=add or {},
        merge=merge or {},
        retire=retire or {},
        model=latest_model(campaign.id, row.id),
        outdated=outdated_model(campaign.id, row.id),
    ), status


@bp.get("/campaigns/<int:campaign_id>/codebook")
@role_required(*DATA_ROLES)
def codebook_overview(campaign_id: int) -> View:
    """The campaign's themes and sub-themes, retired and merged ones, version history, and forms to change them."""
    campaign = campaign_for_user_or_404(campaign_id)
    return _overview(campaign)


@bp.post("/campaigns/<int:campaign_id>/codebook/themes")
@role_required(*DATA_ROLES)
def codebook_add(campaign_id: int) -> View:
    """Add a theme or sub-theme (also how a discovered topic is promoted to a theme)."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, _row = campaign_codebook(campaign.id)
    form = {name: request.form.get(name, "") for name in (*ADD_FIELDS, "based_on", "promoted_from")}
    errors: dict[str, str] = {}
    if stale := _stale(form, book):
        errors["add-key"] = stale
    if not form["key"].strip():
        errors["add-key"] = _("Give the theme a key: lower-case letters, numbers and _, like dog_fouling.")
    if not form["label"].strip():
        errors["add-label"] = _("Give the theme a label, as analysts and reports will show it.")
    if not errors:
        try:
            change = add_theme(
                book,
                form["key"],
                form["label"],
                definition=form["definition"],
                includes=form["includes"],
                excludes=form["excludes"],
                phrases=form["phrases"],
                examples=form["examples"],
                parent=form["parent"] or None,
                reason=form["reason"],
                promoted=bool(form["promoted_from"]),
            )
        except CodebookError as exc:
            errors["add-parent" if "sub-themes" in str(exc) else "add-key"] = str(exc)
        else:
            row = save_change(campaign, change)
            _saved_message(campaign, row, change.note)
            return redirect(url_for("staff.codebook_overview", campaign_id=campaign.id) + f"#theme-{change.keys[0]}")
    return _overview(campaign, errors=errors, add=form, status=400)


@bp.route("/campaigns/<int:campaign_id>/codebook/edit", methods=["GET", "POST"])
@role_required(*DATA_ROLES)
def codebook_edit(campaign_id: int) -> View:
    """Change an active theme's wording and phrases (pick the theme first if none is named)."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, row = campaign_codebook(campaign.id)
    source: Any = request.form if request.method == "POST" else request.args
    key = source.get("theme", "")
    theme = book[key] if key in book and book[key].active else None
    errors: dict[str, str] = {}
    form: dict[str, str] = {}
    if theme is not None:
        form = {
            "label": theme.label,
            "definition": theme.definition,
            **{n: "\n".join(getattr(theme, n)) for n in ("includes", "excludes", "phrases", "examples")},
        }
    if request.method == "POST":
        if theme is None:
            errors["edit-theme"] = _("Choose a theme that is in use.")
        else:
            form = {name: request.form.get(name, "") for name in (*EDIT_FIELDS, "reason")}
            if stale := _stale(request.form, book):
                errors["edit-label"] = stale
            elif not form["label"].strip():
                errors["edit-label"] = _("A theme needs a label.")
            else:
                try:
                    change = edit_theme(book, key, **form)
                except CodebookError as exc:
                    errors["edit-label"] = str(exc)
                else:
                    saved = save_change(campaign, change)
                    _saved_message(campaign, saved, change.note)
                    return redirect(url_for("staff.codebook_overview", campaign_id=campaign.id) + f"#theme-{key}")
    return render_template(
        "staff/coding/codebook_edit.html",
        campaign=campaign,
        book=book,
        codebook=row,
        theme=theme,
        form=form,
        errors=errors,
    ), 400 if errors else 200


@bp.post("/campaigns/<int:campaign_id>/codebook/merge")
@role_required(*DATA_ROLES)
def codebook_merge(campaign_id: int) -> View:
    """Merge one theme into another: the first is retired and its codes count towards the second."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, _row = campaign_codebook(campaign.id)
    form = {name: request.form.get(name, "") for name in ("source", "into", "reason", "based_on")}
    errors: dict[str, str] = {}
    if stale := _stale(form, book):
        errors["merge-source"] = stale
    elif not form["source"] or not form["into"]:
        errors["merge-source" if not form["source"] else "merge-into"] = _("Choose both themes.")
    else:
        try:
            change = merge_themes(book, form["source"], form["into"], reason=form["reason"])
        except CodebookError as exc:
            errors["merge-into" if f"'{form['into']}'" in str(exc) else "merge-source"] = str(exc)
        else:
            row = save_change(campaign, change)
            _saved_message(campaign, row, change.note)
            return redirect(url_for("staff.codebook_overview", campaign_id=campaign.id) + f"#theme-{form['into']}")
    return _overview(campaign, errors=errors, merge=form, status=400)


@bp.post("/campaigns/<int:campaign_id>/codebook/retire")
@role_required(*DATA_ROLES)
def codebook_retire(campaign_id: int) -> View:
    """Retire a theme: kept so old codes still show, but no longer offered or matched by the rules."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, _row = campaign_codebook(campaign.id)
    form = {name: request.form.get(name, "") for name in ("theme", "reason", "based_on")}
    errors: dict[str, str] = {}
    if stale := _stale(form, book):
        errors["retire-theme"] = stale
    elif not form["theme"]:
        errors["retire-theme"] = _("Choose the theme to retire.")
    else:
        try:
            change = retire_theme(book, form["theme"], reason=form["reason"])
        except CodebookError as exc:
            errors["retire-theme"] = str(exc)
        else:
            row = save_change(campaign, change)
            _saved_message(campaign, row, change.note)
            return redirect(url_for("staff.codebook_overview", campaign_id=campaign.id) + "#retired")
    return _overview(campaign, errors=errors, retire=form, status=400)


@bp.get("/campaigns/<int:campaign_id>/codebook/discover")
@role_required(*DATA_ROLES)
def codebook_discover(campaign_id: int) -> View:
    """Candidate topics among answers no theme covers (or coded "other"), each ready to promote to a theme."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, row = campaign_codebook(campaign.id)
    codes = _codes(campaign.id)
    records = []
    for answer in free_text_answers(campaign.id):
        kept = codes.get((answer.response_id, answer.question_key), [])
        # A suggestion the coder leans towards counts as covered: the codebook has words for it.
        now = {
            book.resolve(c.theme_key) or c.theme_key
            for c in kept
            if c.status in HAS_THEME or (c.status == "suggested" and c.confidence >= 0.5)
        }
        records.append({"text": answer.text or "", "themes": sorted(now)})
    candidates = discover_topics(records)
    uncovered = len(unthemed(records))
    audit("codebook_discover_viewed", f"campaign:{campaign.id}", answers=uncovered, candidates=len(candidates))
    topics = [(c, promotion_fields(c.as_dict(), book)) for c in candidates]
    return render_template(
        "staff/coding/discover.html",
        campaign=campaign,
        book=book,
        codebook=row,
        topics=topics,
        unthemed=uncovered,
        answers=len(records),
        parents=[t for t in book.themes if t.active],
    )
