"""Training the campaign's theme coder: what it learns from, recording a trained coder, and the
background job that retrains it.

The coder learns from the answers people reviewed (under any codebook version, as the themes are now
named), plus, while a starting model from earlier campaigns is in use, those campaigns' reviewed
answers (`starting`). A trained coder is stored in the database, where every server reads it, with
the analyst's auto-apply choice carried over; the unreviewed answers are then recoded
(`coding.code_answers`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from flask import Flask

from analysis.coding.auto_apply import DEFAULT_THRESHOLD
from analysis.coding.codebook import Codebook
from analysis.coding.counted import KEPT
from analysis.coding.reviewed import ReviewedAnswers
from survey_app.extensions import db
from survey_app.models.coding import CodebookVersion, CoderModel
from survey_app.staff import clock
from survey_app.staff.auth import audit
from survey_app.staff.free_text import coder_files
from survey_app.staff.free_text.coding import (
    campaign_codebook,
    choice_for,
    code_answers,
    codes_by_answer,
    free_text_answers,
    is_reviewed,
    latest_model,
)

if TYPE_CHECKING:
    from analysis.coding.engine import ThemeCoder
    from analysis.coding.learned import TrainingReport

#: reviewed answers before the analyst can retrain the coder
MIN_TO_TRAIN = 20

#: the background job that retrains a campaign's coder (see survey_app.jobs)
RETRAIN_JOB = "coding_retrain"


def training_data(campaign_id: int, codebook_id: int, book: Codebook) -> ReviewedAnswers:
    """Reviewed answers (under any codebook version), each with its question key and the themes the
    reviewer left it with, as now named: a merged theme's codes teach its target; a retired theme's
    teach nothing."""
    themes = book.keys()
    texts, rows, questions = [], [], []
    answers = {(a.response_id, a.question_key): a.text or "" for a in free_text_answers(campaign_id)}
    for key, codes in codes_by_answer(campaign_id).items():
        if not is_reviewed(codes) or key not in answers:
            continue
        kept = {book.resolve(c.theme_key) for c in codes if c.status in KEPT}
        texts.append(answers[key])
        rows.append([int(t in kept) for t in themes])
        questions.append(key[1])
    return ReviewedAnswers(texts, np.array(rows, dtype=int).reshape(len(rows), len(themes)), questions)


def _json_safe(metrics: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    """A theme nobody was coded with has no F1 (NaN): store it as null, which JSON (and PostgreSQL) accept."""
    return {
        name: {theme: (None if value != value else float(value)) for theme, value in values.items()}
        for name, values in metrics.items()
    }


def _metrics(report: TrainingReport | None, automation: dict[str, Any] | None) -> dict[str, Any]:
    if report is None:
        return {}
    out: dict[str, Any] = _json_safe({"thresholds": report.thresholds, "oof_f1": report.oof_f1})
    if automation:
        out["automation"] = automation  # counts only: no NaN to make safe
    return out


def add_trained(
    campaign_id: int, row: CodebookVersion, coder: ThemeCoder, answers: int, metrics: dict[str, Any], label: str = ""
) -> CoderModel:
    """Record a newly trained coder as the campaign's newest and store its bytes (flushed, not
    committed). The analyst's choice carries over: a target precision follows the new model's curve."""
    previous = latest_model(campaign_id, row.id)
    choice = choice_for(campaign_id, row.id)
    version = (previous.version if previous else 0) + 1
    model = CoderModel(
        campaign_id=campaign_id,
        codebook_version_id=row.id,
        version=version,
        trained_on_answers=answers,
        trained_on=clock.today(),
        file_name=f"campaign-{campaign_id}-{row.content_hash}-v{version}{label}.model",
        auto_apply_threshold=choice.auto_apply_threshold if choice else DEFAULT_THRESHOLD,
        target_precision=choice.target_precision if choice else None,
        theme_thresholds=dict(choice.theme_thresholds or {}) if choice else {},
        metrics=metrics,
    )
    db.session.add(model)
    db.session.flush()
    coder_files.store(model, coder)
    return model


def retrain(app: Flask, campaign_id: int) -> str:
    """The background job (RETRAIN_JOB): train a new coder on the reviewed answers, store it in the
    database where every server reads it, and recode the unreviewed answers. It owns its unit of
    work: one commit when all of it succeeded; on an error it raises and the job runner rolls back,
    logs it and retries. Returns what staff are told."""
    # heavy (scikit-learn), so only in the job: web workers never load it (coding._coder)
    from analysis.coding.engine import ThemeCoder
    from survey_app.staff.free_text import starting  # lazy: starting builds on this module

    book, row = campaign_codebook(campaign_id)

    # with a starting model from earlier campaigns in use, their reviewed answers are learned from too
    answers, started_from = starting.with_starting_answers(campaign_id, book, training_data(campaign_id, row.id, book))
    # the question each answer answered: the same words can mean different themes under two questions
    coder = ThemeCoder(book).fit(answers.texts, answers.Y, answers.questions)
    report = coder.learned.report if coder.learned else None
    metrics = _metrics(report, getattr(coder.learned, "automation", None))
    version = add_trained(
        campaign_id, row, coder, len(answers), metrics | ({"starting": started_from} if started_from else {})
    ).version
    recoded = code_answers(app, campaign_id)
    # The retraining is complete here: the new coder is stored and the unreviewed answers recoded.
    audit("coding_retrained", f"campaign:{campaign_id}", actor_email="system", version=version, answers=len(answers))
    db.session.commit()
    return (
        f"Trained coder version {version} on {len(answers)} reviewed answers and recoded "
        f"{recoded} answers no one has reviewed."
    )
