"""Theme coding in the staff workspace: code a campaign's free text, review the queue, retrain.

The engine (analysis.coding) decides; this module stores its codes (ThemeCode), the analyst's
auto-apply threshold and trained coders (CoderModel), and shows one answer at a time for review:
the answer, suggested themes with their evidence, and keys to accept, reject or add (1–9 toggle a
theme, S saves and moves on, K skips). Analysts and administrators only: it shows raw free text.
The audit log records theme keys and counts, never what anyone wrote.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import delete, select
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.coding.codebook import Codebook, codebook_from_dict, load_codebook
from analysis.coding.engine import ThemeCoder
from survey_app.extensions import db
from survey_app.models.coding import CodebookVersion, CoderModel, ThemeCode
from survey_app.models.responses import Answer, Response
from survey_app.staff import bp, clock
from survey_app.staff.auth import DATA_ROLES, audit, campaign_for_user_or_404, role_required, staff_user

DEFAULT_THRESHOLD = 0.9
#: themes below this confidence are not shown as suggestions (unless the rules found words for them)
SUGGEST_MIN = 0.2
MIN_TO_TRAIN = 20
DECIDED = ("accepted", "rejected", "added")


@dataclass
class QueueItem:
    """One answer waiting for review."""

    response_id: str
    question_key: str
    uncertainty: float


def shipped_codebook() -> tuple[Codebook, CodebookVersion]:
    """The shipped codebook file and its stored version (stored the first time it is used)."""
    book = load_codebook()
    row = db.session.scalar(
        select(CodebookVersion).where(
            CodebookVersion.campaign_id.is_(None), CodebookVersion.content_hash == book.fingerprint
        )
    )
    if row is None:
        row = CodebookVersion(
            name=book.name,
            version=book.version,
            content_hash=book.fingerprint,
            content=book.to_dict(),
            created_on=clock.today(),
        )
        db.session.add(row)
        db.session.flush()
    return book, row


def campaign_codebook(campaign_id: int) -> tuple[Codebook, CodebookVersion]:
    """The campaign's current codebook: its newest edited version, or the shipped file's until it edits one."""
    row = db.session.scalar(
        select(CodebookVersion)
        .where(CodebookVersion.campaign_id == campaign_id)
        .order_by(CodebookVersion.version.desc(), CodebookVersion.id.desc())
        .limit(1)
    )
    if row is None:
        return shipped_codebook()
    return codebook_from_dict(row.content, f"codebook version {row.id}"), row


def current_codebook(campaign_id: int | None = None) -> tuple[Codebook, CodebookVersion]:
    """The campaign's current codebook (see campaign_codebook), or the shipped one when no campaign is named."""
    return shipped_codebook() if campaign_id is None else campaign_codebook(campaign_id)


def _coders_folder(app: Flask) -> Path:
    folder = Path(app.instance_path) / "coders"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def latest_model(campaign_id: int, codebook_id: int) -> CoderModel | None:
    """The campaign's coder in use (newest first), if any."""
    return db.session.scalar(
        select(CoderModel)
        .where(CoderModel.campaign_id == campaign_id, CoderModel.codebook_version_id == codebook_id)
        .order_by(CoderModel.version.desc())
        .limit(1)
    )


def threshold_for(campaign_id: int, codebook_id: int) -> float:
    """The analyst's auto-apply threshold for the campaign (their choice outlives codebook versions)."""
    model = latest_model(campaign_id, codebook_id) or db.session.scalar(
        select(CoderModel).where(CoderModel.campaign_id == campaign_id).order_by(CoderModel.id.desc()).limit(1)
    )
    return model.auto_apply_threshold if model else DEFAULT_THRESHOLD


def outdated_model(campaign_id: int, codebook_id: int) -> CoderModel | None:
    """A coder the campaign trained under an earlier codebook version, when none is trained for this one:
    it cannot code the edited themes, so the codebook's rules code until the analyst retrains."""
    if (current := latest_model(campaign_id, codebook_id)) is not None and current.file_name:
        return None
    return db.session.scalar(
        select(CoderModel)
        .where(
            CoderModel.campaign_id == campaign_id,
            CoderModel.codebook_version_id != codebook_id,
            CoderModel.file_name != "",
        )
        .order_by(CoderModel.id.desc())
        .limit(1)
    )


def _coder(app: Flask, campaign_id: int, book: Codebook, codebook_id: int) -> tuple[ThemeCoder, int | None]:
    model = latest_model(campaign_id, codebook_id)
    if model and model.file_name:
        return ThemeCoder.load(_coders_folder(app) / model.file_name), model.version
    return ThemeCoder(book), None


def free_text_answers(campaign_id: int) -> list[Answer]:
    """The campaign's typed answers (free-text questions; not the words typed beside "Other")."""
    return list(
        db.session.scalars(
            select(Answer)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign_id, Answer.text.is_not(None), Answer.value.is_(None))
            .order_by(Answer.response_id, Answer.question_key)
        )
    )


def _codes(campaign_id: int, codebook_id: int | None = None) -> dict[tuple[str, str], list[ThemeCode]]:
    """The campaign's codes by answer: made under one codebook version, or under any (None)."""
    query = (
        select(ThemeCode)
        .join(Response, ThemeCode.response_id == Response.id)
        .where(Response.campaign_id == campaign_id)
    )
    if codebook_id is not None:
        query = query.where(ThemeCode.codebook_version_id == codebook_id)
    rows = db.session.scalars(query.order_by(ThemeCode.id))
    out: dict[tuple[str, str], list[ThemeCode]] = {}
    for row in rows:
        out.setdefault((row.response_id, row.question_key), []).append(row)
    return out


def _reviewed(codes: list[ThemeCode]) -> bool:
    return any(c.status in DECIDED for c in codes)


def code_answers(app: Flask, campaign_id: int) -> int:
    """(Re)code every answer no person has reviewed yet, with the campaign's current coder."""
    book, row = campaign_codebook(campaign_id)
    coder, model_version = _coder(app, campaign_id, book, row.id)
    threshold = threshold_for(campaign_id, row.id)
    # Under every version: an answer people reviewed under an earlier codebook keeps their decision,
    # and an unreviewed one loses its old machine codes and is coded afresh under this version.
    existing = _codes(campaign_id)
    todo = [
        a for a in free_text_answers(campaign_id) if not _reviewed(existing.get((a.response_id, a.question_key), []))
    ]
    stale = [c.id for a in todo for c in existing.get((a.response_id, a.question_key), [])]
    for start in range(0, len(stale), 500):
        db.session.execute(delete(ThemeCode).where(ThemeCode.id.in_(stale[start : start + 500])))
    source = "model" if coder.learned is not None else "rule"
    for a, result in zip(todo, coder.code([a.text or "" for a in todo]), strict=True):
        for theme, p in result.probabilities.items():
            # Where in the answer and which codebook phrase, never the respondent's words themselves:
            # when retention removes the text, nothing quoted from it is left behind here.
            evidence = [
                {"phrase": m.phrase, "start": m.start, "end": m.end, "negated": m.negated}
                for m in result.matches
                if m.theme == theme
            ]
            if p < SUGGEST_MIN and not evidence:
                continue
            db.session.add(
                ThemeCode(
                    response_id=a.response_id,
                    question_key=a.question_key,
                    theme_key=theme,
                    codebook_version_id=row.id,
                    source=source,
                    confidence=float(p),
                    status="applied" if p >= threshold else "suggested",
                    evidence=evidence[:10],
                    model_version=model_version,
                )
            )
    db.session.flush()
    return len(todo)


def review_queue(campaign_id: int, codebook_id: int, threshold: float) -> list[QueueItem]:
    """Unreviewed answers with a theme the coder is unsure of, the most uncertain first."""
    items = []
    for (response_id, question_key), codes in _codes(campaign_id, codebook_id).items():
        if _reviewed(codes):
            continue
        unsure = [c.confidence for c in codes if 1 - threshold < c.confidence < threshold]
        if unsure:
            items.append(QueueItem(response_id, question_key, max(1 - abs(2 * p - 1) for p in unsure)))
    items.sort(key=lambda i: (-i.uncertainty, i.response_id, i.question_key))
    return items


def _counts(campaign_id: int, codebook_id: int, threshold: float) -> dict[str, int]:
    codes = _codes(campaign_id)
    answers = len(free_text_answers(campaign_id))
    reviewed = sum(1 for c in codes.values() if _reviewed(c))
    queued = len(review_queue(campaign_id, codebook_id, threshold))
    return {
        "answers": answers,
        "coded": len(codes),
        "reviewed": reviewed,
        "queued": queued,
        "automatic": max(0, answers - reviewed - queued),
    }


def training_data(campaign_id: int, codebook_id: int, book: Codebook) -> tuple[list[str], np.ndarray]:
    """Reviewed answers (under any codebook version) and the themes the reviewer left them with, as now
    named: a merged theme's codes teach its target; a retired theme's teach nothing."""
    themes = book.keys()
    texts, rows = [], []
    answers = {(a.response_id, a.question_key): a.text or "" for a in free_text_answers(campaign_id)}
    for key, codes in _codes(campaign_id).items():
        if not _reviewed(codes) or key not in answers:
            continue
        kept = {book.resolve(c.theme_key) for c in codes if c.status in ("accepted", "added")}
        texts.append(answers[key])
        rows.append([int(t in kept) for t in themes])
    return texts, np.array(rows, dtype=int).reshape(len(rows), len(themes))


def _json_safe(metrics: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    """A theme nobody was coded with has no F1 (NaN): store it as null, which JSON (and PostgreSQL) accept."""
    return {
        name: {theme: (None if value != value else float(value)) for theme, value in values.items()}
        for name, values in metrics.items()
    }


def retrain(app: Flask, campaign_id: int) -> None:
    """Train a new coder on the reviewed answers, store it, and recode the unreviewed ones (own transaction)."""
    with app.app_context():
        try:
            book, row = campaign_codebook(campaign_id)
            texts, Y = training_data(campaign_id, row.id, book)
            coder = ThemeCoder(book).fit(texts, Y)
            previous = latest_model(campaign_id, row.id)
            threshold = threshold_for(campaign_id, row.id)
            version = (previous.version if previous else 0) + 1
            file_name = f"campaign-{campaign_id}-{row.content_hash}-v{version}.pkl"
            coder.save(_coders_folder(app) / file_name)
            report = coder.learned.report if coder.learned else None
            db.session.add(
                CoderModel(
                    campaign_id=campaign_id,
                    codebook_version_id=row.id,
                    version=version,
                    trained_on_answers=len(texts),
                    trained_on=clock.today(),
                    file_name=file_name,
                    auto_apply_threshold=threshold,
                    metrics=_json_safe({"thresholds": report.thresholds, "oof_f1": report.oof_f1}) if report else {},
                )
            )
            db.session.flush()
            code_answers(app, campaign_id)
            audit(
                "coding_retrained", f"campaign:{campaign_id}", actor_email="system", version=version, answers=len(texts)
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("retraining the theme coder for campaign %s failed", campaign_id)
        finally:
            db.session.remove()


# ---- views -----------------------------------------------------------------------------------------


@bp.get("/campaigns/<int:campaign_id>/coding")
@role_required(*DATA_ROLES)
def coding_overview(campaign_id: int) -> str:
    """How far coding has got, the auto-apply threshold, and the buttons to code, review and retrain."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, row = campaign_codebook(campaign.id)
    threshold = threshold_for(campaign.id, row.id)
    model = latest_model(campaign.id, row.id)
    return render_template(
        "staff/coding/overview.html",
        campaign=campaign,
        book=book,
        codebook=row,
        threshold=threshold,
        model=model,
        counts=_counts(campaign.id, row.id, threshold),
        min_to_train=MIN_TO_TRAIN,
        outdated=outdated_model(campaign.id, row.id),
    )


@bp.post("/campaigns/<int:campaign_id>/coding/run")
@role_required(*DATA_ROLES)
def coding_run(campaign_id: int) -> WerkzeugResponse:
    """Code every answer not yet reviewed."""
    campaign = campaign_for_user_or_404(campaign_id)
    done = code_answers(current_app._get_current_object(), campaign.id)  # type: ignore[attr-defined]
    audit("coding_run", f"campaign:{campaign.id}", answers=done)
    flash(f"Coded {done} answers.", "success")
    return redirect(url_for("staff.coding_overview", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/coding/threshold")
@role_required(*DATA_ROLES)
def coding_threshold(campaign_id: int) -> WerkzeugResponse:
    """Set the confidence at or above which codes are applied without review."""
    campaign = campaign_for_user_or_404(campaign_id)
    try:
        value = float(request.form.get("threshold", ""))
    except ValueError:
        value = -1.0
    if not 0.5 <= value <= 0.99:
        flash("Enter a confidence between 0.5 and 0.99.", "error")
        return redirect(url_for("staff.coding_overview", campaign_id=campaign.id))
    _, row = campaign_codebook(campaign.id)
    model = latest_model(campaign.id, row.id)
    if model is None:  # rules only so far: version 0 holds the analyst's choice
        model = CoderModel(
            campaign_id=campaign.id,
            codebook_version_id=row.id,
            version=0,
            trained_on_answers=0,
            trained_on=clock.today(),
            file_name="",
            metrics={},
        )
        db.session.add(model)
    model.auto_apply_threshold = value
    db.session.flush()
    code_answers(current_app._get_current_object(), campaign.id)  # type: ignore[attr-defined]
    audit("coding_threshold", f"campaign:{campaign.id}", threshold=value)
    flash(f"Codes at or above {value:.0%} confidence are now applied without review.", "success")
    return redirect(url_for("staff.coding_overview", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/coding/retrain")
@role_required(*DATA_ROLES)
def coding_retrain(campaign_id: int) -> WerkzeugResponse:
    """Train a new coder on the reviewed answers, in the background."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, row = campaign_codebook(campaign.id)
    texts, _ = training_data(campaign.id, row.id, book)
    if len(texts) < MIN_TO_TRAIN:
        flash(f"Review at least {MIN_TO_TRAIN} answers first ({len(texts)} so far).", "error")
        return redirect(url_for("staff.coding_overview", campaign_id=campaign.id))
    audit("coding_retrain_started", f"campaign:{campaign.id}", answers=len(texts))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("CODING_RETRAIN_INLINE", app.testing):
        db.session.commit()
        retrain(app, campaign.id)
        flash("Retrained: unreviewed answers have been recoded.", "success")
    else:
        db.session.commit()  # the thread reads what this request wrote
        threading.Thread(target=retrain, args=(app, campaign.id), daemon=True, name="coding-retrain").start()
        flash("Retraining in the background: reload this page in a minute to see the new coder.", "success")
    return redirect(url_for("staff.coding_overview", campaign_id=campaign.id))


@bp.get("/campaigns/<int:campaign_id>/coding/review")
@role_required(*DATA_ROLES)
def coding_review(campaign_id: int) -> str | WerkzeugResponse:
    """One answer from the queue (the most uncertain, or the one named), with its suggested themes."""
    campaign = campaign_for_user_or_404(campaign_id)
    book, row = campaign_codebook(campaign.id)
    threshold = threshold_for(campaign.id, row.id)
    queue = review_queue(campaign.id, row.id, threshold)
    skip = set(request.args.getlist("skip"))
    wanted = request.args.get("answer", "")
    item = next((i for i in queue if f"{i.response_id}:{i.question_key}" == wanted), None) or next(
        (i for i in queue if f"{i.response_id}:{i.question_key}" not in skip), None
    )
    if item is None:
        return render_template("staff/coding/review.html", campaign=campaign, item=None, queue_length=0)
    answer = db.session.get(Answer, (item.response_id, item.question_key, 0)) or db.session.scalar(
        select(Answer).where(
            Answer.response_id == item.response_id, Answer.question_key == item.question_key, Answer.text.is_not(None)
        )
    )
    codes = {c.theme_key: c for c in _codes(campaign.id, row.id).get((item.response_id, item.question_key), [])}
    themes = sorted(book.active_themes(), key=lambda t: (-(codes[t.key].confidence if t.key in codes else -1), t.label))
    audit("coding_review_viewed", f"response:{item.response_id}", question=item.question_key)
    return render_template(
        "staff/coding/review.html",
        campaign=campaign,
        item=item,
        answer=answer,
        themes=themes,
        codes=codes,
        threshold=threshold,
        queue_length=len(queue),
        skip=sorted(skip),
        answer_id=f"{item.response_id}:{item.question_key}",
    )


@bp.post("/campaigns/<int:campaign_id>/coding/review")
@role_required(*DATA_ROLES)
def coding_decide(campaign_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Record the reviewer's themes for one answer: ticked suggestions accepted, the rest rejected, new ones added."""
    campaign = campaign_for_user_or_404(campaign_id)
    answer_id = request.form.get("answer", "")
    response_id, _, question_key = answer_id.partition(":")
    book, row = campaign_codebook(campaign.id)
    codes = _codes(campaign.id).get((response_id, question_key), [])
    if not codes:
        flash("That answer is not waiting for review. Here is the next one.", "error")
        return redirect(url_for("staff.coding_review", campaign_id=campaign.id))
    chosen = set(request.form.getlist("theme")) & set(book.keys())
    user, today = staff_user(), clock.today()
    decided: dict[str, list[str]] = {"accepted": [], "rejected": [], "added": []}
    have = set()
    for code in codes:
        # A code made under an earlier version is decided as the theme it counts as now; one on a
        # retired theme is left as it was, shown as retired, since nobody can tick that theme now.
        now = book.resolve(code.theme_key)
        if now is None:
            continue
        have.add(now)
        code.status = "accepted" if now in chosen else "rejected"
        code.reviewer_id, code.decided_on = user.id, today
        decided[code.status].append(code.theme_key)
    for theme in sorted(chosen - have):
        db.session.add(
            ThemeCode(
                response_id=response_id,
                question_key=question_key,
                theme_key=theme,
                codebook_version_id=row.id,
                source="human",
                confidence=1.0,
                status="added",
                evidence=[],
                reviewer_id=user.id,
                decided_on=today,
            )
        )
        decided["added"].append(theme)
    db.session.flush()
    audit("coding_reviewed", f"response:{response_id}", question=question_key, **decided)
    flash("Saved: " + (", ".join(book[t].label for t in sorted(chosen)) or "no theme") + ".", "success")
    return redirect(url_for("staff.coding_review", campaign_id=campaign.id))
