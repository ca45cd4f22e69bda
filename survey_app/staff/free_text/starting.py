"""A starting model for a campaign with too few reviewed answers of its own.

The analyst can start from the partnership's earlier campaigns (their reviewed answers only, under a
codebook with the same theme keys) or from the shared public set (only the themes that map onto this
codebook). Training runs as a background job like retraining. Until the campaign's own reviewed
answers check it, nothing the starting model suggests is applied without review, and the page says
how well it is expected to do: the cross-organisation figure measured on the public set, or a
leave-one-campaign-out estimate when there are two or more earlier campaigns; once enough answers are
reviewed, the agreement measured on them instead.

Other campaigns' answers never leave the partnership: only campaigns with the same partnership are
offered, the page shows counts and theme names, never texts, and the audit log records ids and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import select

from analysis.coding.auto_apply import Agreement, ThemeThresholds, agreement_of, in_effect
from analysis.coding.codebook import Codebook
from analysis.coding.reviewed import ReviewedAnswers
from analysis.coding.transfer import CHECK_AFTER, CROSS_ORGANISATION, OWN_WEIGHT, Expectation, combined
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.coding import CoderModel
from survey_app.models.starting import StartingModel
from survey_app.staff import clock
from survey_app.staff.auth import audit
from survey_app.staff.free_text.coding import (
    campaign_codebook,
    code_answers,
    codes_by_answer,
    is_reviewed,
    latest_model,
)
from survey_app.staff.free_text.training import add_trained, training_data

if TYPE_CHECKING:
    from analysis.coding.engine import ThemeCoder

#: the background job that trains a campaign's starting model (see survey_app.jobs)
STARTING_JOB = "coding_starting"
#: a campaign with at least this many reviewed answers of its own is offered no starting model: the
#: most bench/transfer.py measured (starting answers and own ones together were still ahead of its own
#: alone there, by 0.005 and 0.038 micro-F1; retraining keeps a chosen one in use)
OFFER_BELOW = 500


@dataclass
class EarlierCampaign:
    """An earlier campaign of the same partnership, as a possible source of starting answers."""

    campaign: Campaign
    reviewed: int
    compatible: bool
    #: why it cannot be used, in words (empty when it can)
    reason: str = ""
    #: this codebook's themes none of its reviewed answers have
    missing: list[str] = field(default_factory=list)


def public_set_path(app: Flask) -> Path:
    """Where this server keeps the shared public set (the CODING_PUBLIC_SET setting)."""
    return Path(app.config["CODING_PUBLIC_SET"])


def in_use(campaign_id: int) -> StartingModel | None:
    """The campaign's starting model choice in use, if any."""
    return db.session.scalar(
        select(StartingModel)
        .where(StartingModel.campaign_id == campaign_id, StartingModel.in_use.is_(True))
        .order_by(StartingModel.id.desc())
        .limit(1)
    )


def own_reviewed(campaign_id: int) -> int:
    """How many of the campaign's answers people have reviewed."""
    return sum(1 for codes in codes_by_answer(campaign_id).values() if is_reviewed(codes))


def earlier_campaigns(campaign: Campaign, book: Codebook) -> list[EarlierCampaign]:
    """The partnership's campaigns that opened before this one, each with whether its reviewed answers
    can teach this codebook (the same theme keys) and which of its themes they never show."""
    if campaign.partnership_id is None:  # no partnership, no boundary to keep answers inside
        return []
    others = db.session.scalars(
        select(Campaign)
        .where(Campaign.partnership_id == campaign.partnership_id, Campaign.id != campaign.id)
        .order_by(Campaign.opens_on, Campaign.id)
    )
    keys = set(book.keys())
    _, row = campaign_codebook(campaign.id)
    book_row_id = row.id
    out = []
    for other in others:
        if (other.opens_on, other.id) > (campaign.opens_on, campaign.id):
            continue
        their_book, _ = campaign_codebook(other.id)
        reviewed = training_data(other.id, book_row_id, book)
        if set(their_book.keys()) != keys:
            extra = sorted(set(their_book.keys()) ^ keys)
            reason = (
                "its codebook has different themes (" + ", ".join(extra[:6]) + ("…" if len(extra) > 6 else "") + ")"
            )
            out.append(EarlierCampaign(other, len(reviewed), False, reason))
            continue
        if not len(reviewed):
            out.append(EarlierCampaign(other, 0, False, "no answers were reviewed"))
            continue
        missing = [k for k, n in zip(book.keys(), reviewed.Y.sum(axis=0), strict=True) if n == 0]
        out.append(EarlierCampaign(other, len(reviewed), True, missing=missing))
    return out


def public_themes(book: Codebook) -> list[str]:
    """This codebook's themes the public set has counterparts for."""
    from analysis.coding.transfer import PUBLIC_COUNTERPARTS

    active = book.keys()
    return [k for k in active if k in PUBLIC_COUNTERPARTS]


def choose(campaign: Campaign, book: Codebook, source: str, campaign_ids: list[int], user_id: int) -> StartingModel:
    """Record the analyst's choice (the caller has checked it) and stop any earlier one."""
    for old in db.session.scalars(
        select(StartingModel).where(StartingModel.campaign_id == campaign.id, StartingModel.in_use.is_(True))
    ):
        old.in_use = False
    if source == "public":
        themes, active = public_themes(book), book.keys()
        missing = [k for k in active if k not in themes]
    else:
        chosen = [e for e in earlier_campaigns(campaign, book) if e.campaign.id in campaign_ids and e.compatible]
        themes = book.keys()
        missing = [k for k in themes if all(k in e.missing for e in chosen)]
    choice = StartingModel(
        campaign_id=campaign.id,
        source=source,
        source_campaign_ids=sorted(campaign_ids) if source == "campaigns" else [],
        themes=themes,
        missing_themes=missing,
        chosen_by=user_id,
        chosen_on=clock.today(),
        in_use=True,
    )
    db.session.add(choice)
    db.session.flush()
    return choice


def stop(campaign_id: int) -> StartingModel | None:
    """Stop using the starting model: retraining learns from the campaign's own answers only."""
    choice = in_use(campaign_id)
    if choice is not None:
        choice.in_use = False
        db.session.flush()
    return choice


def _starting_answers(choice: StartingModel, book: Codebook, app: Flask | None) -> list[ReviewedAnswers]:
    """The starting answers in groups (one per earlier campaign; the public set is one group), with
    0/1 columns for `choice.themes`. Earlier campaigns give their reviewed answers only, and only
    campaigns of the same partnership as the choice's campaign, each answer with its question key
    (campaigns sharing a questionnaire share its keys); the public set's answered no question of ours."""
    if choice.source == "public":
        if app is None:
            return []
        from analysis.coding.dataset import read_rows
        from analysis.coding.transfer import public_labels

        _, rows = read_rows(public_set_path(app))
        texts, Y, _ = public_labels(rows, choice.themes)
        return [ReviewedAnswers.unasked(texts, Y)]
    campaign = db.session.get(Campaign, choice.campaign_id)
    allowed = {e.campaign.id for e in earlier_campaigns(campaign, book) if e.compatible} if campaign else set()
    _, row = campaign_codebook(choice.campaign_id)
    groups = []
    for other in choice.source_campaign_ids:
        if other in allowed:  # checked again when training: a campaign may have moved or changed
            groups.append(training_data(other, row.id, book))
    return groups


def _without_rare_terms(coder: ThemeCoder) -> ThemeCoder:
    """The coder without the words and character runs its vectorisers dropped as too rare to learn
    from (scikit-learn keeps them in `stop_words_`, only for inspection): used by a single answer,
    they are the likeliest to identify someone, and other campaigns' answers must not travel in them."""
    for vectorizer in coder.learned.vectorizers if coder.learned else []:
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
    return coder


def train_starting(app: Flask, campaign_id: int, choice_id: int) -> str:
    """The background job (STARTING_JOB): train the chosen starting model, store it as the campaign's
    coder, estimate how well it will do, and recode the unreviewed answers (as suggestions only: see
    `gated`). One commit when all of it succeeded; on an error the job runner rolls back and retries."""
    from analysis.coding.engine import ThemeCoder  # heavy (scikit-learn): only in the job
    from analysis.coding.transfer import leave_one_out

    choice = db.session.get(StartingModel, choice_id)
    if choice is None or choice.campaign_id != campaign_id or not choice.in_use:
        return "That starting model is no longer chosen, so nothing was trained."
    book, row = campaign_codebook(campaign_id)
    active = book.keys()
    if choice.themes != (active if choice.source == "campaigns" else public_themes(book)):
        choice.in_use = False
        db.session.commit()
        return "The codebook changed after the starting model was chosen, so nothing was trained: choose it again."
    groups = [g for g in _starting_answers(choice, book, app) if len(g)]
    if not groups:
        raise ValueError("the chosen starting answers are not available")
    answers = ReviewedAnswers.joined(groups, len(choice.themes))
    coder: ThemeCoder = _without_rare_terms(
        ThemeCoder(book, choice.themes).fit(answers.texts, answers.Y, answers.questions)
    )
    estimate = leave_one_out(groups, choice.themes, book) if choice.source == "campaigns" else None
    choice.expected = (estimate or CROSS_ORGANISATION).to_dict()
    choice.starting_answers = len(answers)
    report = coder.learned.report if coder.learned else None
    # the analyst's choice is kept; `gated` holds it back until own answers support it
    model = add_trained(
        campaign_id,
        row,
        coder,
        len(answers),
        {"thresholds": report.thresholds if report else {}, "starting": choice.id},
        label="-starting",
    )
    version = model.version
    choice.coder_model_id = model.id
    recoded = code_answers(app, campaign_id)
    audit(
        "coding_starting_trained",
        f"campaign:{campaign_id}",
        actor_email="system",
        source=choice.source,
        campaigns=choice.source_campaign_ids,
        answers=len(answers),
        version=version,
    )
    db.session.commit()
    return (
        f"Trained a starting model on {len(answers)} answers and suggested themes for {recoded} answers. "
        "Every suggestion waits for review until this campaign's own answers have checked it."
    )


def with_starting_answers(campaign_id: int, book: Codebook, own: ReviewedAnswers) -> tuple[ReviewedAnswers, int | None]:
    """What retraining learns from: the campaign's own reviewed answers, plus, while a starting model
    from earlier campaigns is in use, those campaigns' reviewed answers too (each own one counted
    `OWN_WEIGHT` times: see analysis.coding.transfer), every answer with its question key. The public
    set is not added: it has no labels for this codebook's other themes, and would teach the model
    they are absent. Returns the answers and the choice's id (None when nothing was added)."""
    choice = in_use(campaign_id)
    if choice is None or choice.source != "campaigns" or choice.themes != book.keys():
        return own, None
    groups = [g for g in _starting_answers(choice, book, None) if len(g)]
    if not groups:
        return own, None
    return combined(ReviewedAnswers.joined(groups, len(book.keys())), own, OWN_WEIGHT), choice.id


def agreement(campaign_id: int, thresholds: ThemeThresholds | None = None) -> Agreement | None:
    """How the coder's suggestions since the starting model compare with what reviewers decided, on
    the campaign's own reviewed answers (`analysis.coding.auto_apply.agreement_of`). None without a
    starting model."""
    choice = in_use(campaign_id)
    if choice is None or choice.coder_model_id is None:
        return None
    cuts = {
        m.version: (m.metrics or {}).get("thresholds") or {}
        for m in db.session.scalars(
            select(CoderModel).where(CoderModel.campaign_id == campaign_id, CoderModel.id >= choice.coder_model_id)
        )
    }
    book, _ = campaign_codebook(campaign_id)
    return agreement_of(codes_by_answer(campaign_id).values(), cuts, choice.themes, book, thresholds)


def gated(campaign_id: int, codebook_id: int, book: Codebook, resolved: ThemeThresholds) -> ThemeThresholds:
    """The auto-apply confidences in effect (`analysis.coding.auto_apply.in_effect`): the analyst's
    choice, held back while a coder that began from a starting model is unchecked."""
    return in_effect(resolved, book.keys(), latest_model(campaign_id, codebook_id), lambda r: agreement(campaign_id, r))


def statement(campaign_id: int) -> tuple[Expectation | None, Agreement | None]:
    """What the page says: the expectation before it is checked, and the agreement measured on the
    campaign's own reviewed answers once at least CHECK_AFTER of them have been reviewed."""
    choice = in_use(campaign_id)
    if choice is None:
        return None, None
    expected = Expectation.from_dict(choice.expected) if choice.expected else None
    found = agreement(campaign_id)
    return expected, (found if found is not None and found.answers >= CHECK_AFTER else None)
