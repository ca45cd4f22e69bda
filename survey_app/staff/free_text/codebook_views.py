"""The codebook pages: themes, versions, and forms to add, edit, merge and retire themes; topics to promote."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.coding.codebook import CodebookError
from analysis.coding.edits import (
    CodebookChange,
    add_theme,
    edit_theme,
    merge_themes,
    promotion_fields,
    retire_theme,
)
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.staff.auth import DATA_ROLES, audit, role_required
from survey_app.staff.free_text.codebook import discovery_records, save_change, theme_counts, version_history
from survey_app.staff.free_text.coding import campaign_codebook, latest_model, outdated_model, thresholds_for
from survey_app.staff.free_text.forms import AddThemeForm, EditThemeForm, MergeThemesForm, RetireThemeForm
from survey_app.staff.free_text.pages import campaign_and_codebook, saved
from survey_app.staff.web import View

OVERVIEW = "staff.codebook_overview"


def _changed(campaign: Campaign, change: CodebookChange, anchor: str) -> WerkzeugResponse:
    """Store the changed codebook as a new version, commit, say what happens next, back to the overview."""
    row = save_change(campaign, change)
    if outdated_model(campaign.id, row.id) is not None:
        flash(
            _(
                "The trained coder was made for an earlier version of the codebook, so the codebook's phrases "
                "code answers until you retrain it on the theme coding page."
            ),
            "info",
        )
    message = _(
        "Saved as codebook version %(version)s: %(note)s Answers nobody has reviewed were recoded with "
        "its phrases; reviewed answers keep their themes.",
        version=row.version,
        note=change.note,
    )
    return saved(campaign, OVERVIEW, message, anchor)


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
    counts, coded = theme_counts(campaign.id, book, thresholds_for(campaign.id, row.id, book))
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


@role_required(*DATA_ROLES)
def codebook_overview(campaign_id: int) -> View:
    """The campaign's themes and sub-themes, retired and merged ones, version history, and forms to change them."""
    campaign, _book, _row = campaign_and_codebook(campaign_id)
    page = _overview(campaign)
    db.session.commit()  # the shipped codebook is stored the first time a campaign uses it
    return page


@role_required(*DATA_ROLES)
def codebook_add(campaign_id: int) -> View:
    """Add a theme or sub-theme (also how a discovered topic is promoted to a theme)."""
    campaign, book, _row = campaign_and_codebook(campaign_id)
    form = AddThemeForm(book)
    if form.validate():
        try:
            change = add_theme(
                book,
                form.text("key"),
                form.text("label"),
                definition=form.text("definition"),
                includes=form.text("includes"),
                excludes=form.text("excludes"),
                phrases=form.text("phrases"),
                examples=form.text("examples"),
                parent=form.text("parent") or None,
                reason=form.text("reason"),
                promoted=bool(form.text("promoted_from")),
            )
        except CodebookError as exc:
            form.add_problem("parent" if "sub-themes" in str(exc) else "key", str(exc))
        else:
            return _changed(campaign, change, f"#theme-{change.keys[0]}")
    return _overview(campaign, errors=form.problems(), add=form.values(), status=400)


@role_required(*DATA_ROLES)
def codebook_edit(campaign_id: int) -> View:
    """Change an active theme's wording and phrases (pick the theme first if none is named)."""
    campaign, book, row = campaign_and_codebook(campaign_id)
    form = EditThemeForm(book)
    if not form.is_submitted():  # a GET names the theme in the address and shows its wording to change
        form.theme.data = request.args.get("theme", "")
        if (key := form.chosen_theme) is not None:
            theme = book[key]
            form.label.data, form.definition.data = theme.label, theme.definition
            for name in ("includes", "excludes", "phrases", "examples"):
                form[name].data = "\n".join(getattr(theme, name))
    elif form.validate():
        key = form.chosen_theme or ""
        try:
            change = edit_theme(book, key, **form.changes())
        except CodebookError as exc:
            form.add_problem("label", str(exc))
        else:
            return _changed(campaign, change, f"#theme-{key}")
    key = form.chosen_theme
    errors = form.problems()
    return render_template(
        "staff/coding/codebook_edit.html",
        campaign=campaign,
        book=book,
        codebook=row,
        theme=book[key] if key is not None else None,
        form=_edit_values(form) if key is not None else {},
        errors=errors,
    ), 400 if errors else 200


def _edit_values(form: EditThemeForm) -> dict[str, str]:
    """The wording to show in the edit form (the theme's own, or what was typed)."""
    return {name: form.text(name) for name in form.CHANGES if name != "reason" or form.is_submitted()}


@role_required(*DATA_ROLES)
def codebook_merge(campaign_id: int) -> View:
    """Merge one theme into another: the first is retired and its codes count towards the second."""
    campaign, book, _row = campaign_and_codebook(campaign_id)
    form = MergeThemesForm(book)
    if form.validate():
        source, into = form.text("source"), form.text("into")
        try:
            change = merge_themes(book, source, into, reason=form.text("reason"))
        except CodebookError as exc:
            form.add_problem("into" if f"'{into}'" in str(exc) else "source", str(exc))
        else:
            return _changed(campaign, change, f"#theme-{into}")
    return _overview(campaign, errors=form.problems(), merge=form.values(), status=400)


@role_required(*DATA_ROLES)
def codebook_retire(campaign_id: int) -> View:
    """Retire a theme: kept so old codes still show, but no longer offered or matched by the rules."""
    campaign, book, _row = campaign_and_codebook(campaign_id)
    form = RetireThemeForm(book)
    if form.validate():
        try:
            change = retire_theme(book, form.text("theme"), reason=form.text("reason"))
        except CodebookError as exc:
            form.add_problem("theme", str(exc))
        else:
            return _changed(campaign, change, "#retired")
    return _overview(campaign, errors=form.problems(), retire=form.values(), status=400)


@role_required(*DATA_ROLES)
def codebook_discover(campaign_id: int) -> View:
    """Candidate topics among answers no theme covers (or coded "other"), each ready to promote to a theme."""
    # NLTK and scikit-learn come with topic discovery: imported on this page only, not when a worker
    # starts (start-up time and memory matter for web workers).
    from analysis.text.topics import discover_topics, unthemed

    campaign, book, row = campaign_and_codebook(campaign_id)
    records = discovery_records(campaign.id, book)
    candidates = discover_topics(records)
    uncovered = len(unthemed(records))
    audit("codebook_discover_viewed", f"campaign:{campaign.id}", answers=uncovered, candidates=len(candidates))
    topics = [(c, promotion_fields(c.as_dict(), book)) for c in candidates]
    page = render_template(
        "staff/coding/discover.html",
        campaign=campaign,
        book=book,
        codebook=row,
        topics=topics,
        unthemed=uncovered,
        answers=len(records),
        parents=[t for t in book.themes if t.active],
    )
    db.session.commit()
    return page


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/codebook", view_func=codebook_overview, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/codebook/themes", view_func=codebook_add, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/codebook/edit", methods=["GET", "POST"], view_func=codebook_edit)
    bp.add_url_rule("/campaigns/<int:campaign_id>/codebook/merge", view_func=codebook_merge, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/codebook/retire", view_func=codebook_retire, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/codebook/discover", view_func=codebook_discover, methods=["GET"])
