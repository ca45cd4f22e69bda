"""A quote the lead chose stays chosen whatever the coder does later (recoding, retraining), and is
dropped only when its answer or theme goes, with the reason shown on the quote bank page."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import delete, select, update

from analysis.coding.edits import retire_theme
from survey_app.models import Answer, CodebookVersion, QuoteChoice, ThemeCode
from survey_app.staff.free_text.coding import campaign_codebook, code_answers, record_review
from tests.staff.conftest import World
from tests.staff.test_quote_bank_screen import POLICE, give_coded_texts


def _chosen_rows(client, url: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(client.get(f"{url}.csv").get_data(as_text=True))))[1:]


def _choose_everything(db, world: World, client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The coder applied every theme with confidence (nobody reviewed); the lead chooses every proposal."""
    db.session.execute(update(ThemeCode).values(status="applied", source="model", confidence=0.95, reviewer_id=None))
    db.session.commit()
    keys = re.findall(r'name="quote" value="([^"]+)"', client.get(url).text)
    assert len(keys) >= 8
    for key in keys:
        assert client.post(f"{url}/choice", data={"quote": key, "decision": "use"}).status_code == 302
    return keys


def test_chosen_quotes_survive_recoding(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    lead = session_for(world.a.users["communications_lead"])
    url = f"/staff/campaigns/{world.a.campaign.id}/quotes"
    keys = _choose_everything(db, world, lead, url)
    before = sorted(map(tuple, _chosen_rows(lead, url)))
    assert len(before) == len(keys)

    # Recoding with the rules: most answers now only get suggestions below the auto-apply threshold,
    # so the bank has too few confident answers to propose anything; what the lead chose does not move.
    with app.app_context():
        code_answers(app, world.a.campaign.id)
        db.session.commit()
    assert len(db.session.scalars(select(ThemeCode).where(ThemeCode.status == "applied")).all()) < 10
    page = lead.get(url).text
    assert page.count("Chosen to use") == len(keys)
    assert sorted(re.findall(r'name="quote" value="([^"]+)"', page)) == sorted(keys)
    assert "can no longer be used" not in page
    assert sorted(map(tuple, _chosen_rows(lead, url))) == before
    assert len(db.session.scalars(select(QuoteChoice)).all()) == len(keys)


def test_a_retired_theme_drops_its_quotes_and_the_lead_is_told_why(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    give_coded_texts(db, world)
    lead = session_for(world.a.users["communications_lead"])
    url = f"/staff/campaigns/{world.a.campaign.id}/quotes"
    keys = _choose_everything(db, world, lead, url)
    police = [k for k in keys if k.endswith(":police")]
    knives = [k for k in keys if k.endswith(":knives_weapons")]
    assert police and len(knives) >= 3

    with app.app_context():
        book, _ = campaign_codebook(world.a.campaign.id)
        change = retire_theme(book, "police", reason="folded into community safety")
        db.session.add(
            CodebookVersion(
                campaign_id=world.a.campaign.id,
                name=change.book.name,
                version=change.book.version,
                content_hash=change.book.fingerprint,
                content=change.book.to_dict(),
                created_on=world.a.campaign.opens_on,
            )
        )
        # A reviewer decides one knives answer is not about knives; retention removes another's words.
        rejected_response, rejected_question, _ = knives[0].split(":")
        record_review(world.a.campaign.id, rejected_response, rejected_question, set(), world.a.users["analyst"].id)
        gone_response, gone_question, _ = knives[1].split(":")
        db.session.execute(
            delete(Answer).where(Answer.response_id == gone_response, Answer.question_key == gone_question)
        )
        db.session.commit()

    page = lead.get(url).text
    notice = page[page.index('id="dropped"') : page.index("</section>", page.index('id="dropped"'))]
    assert f"({len(police) + 2})" in notice
    assert notice.count("Its theme was retired from the codebook.") == len(police)
    assert notice.count("A reviewer decided the answer is not about this theme.") == 1
    assert notice.count("Its answer is no longer kept") == 1
    # The dropped quotes are named by their (redacted) words where the answer is still there.
    assert "Police presence and trust in police" in notice and any(p[2:40] in notice for p in POLICE)
    assert "Jayden" not in page and "Olivia" not in page
    # Only the quotes that stand are exported.
    rows = _chosen_rows(lead, url)
    assert len(rows) == len(knives) - 2 and {r[0] for r in rows} == {"Knives and weapons"}

    # The lead clears a dropped quote from the list: its stored choice goes, the others stay listed.
    assert lead.post(f"{url}/choice", data={"quote": police[0], "decision": "clear"}).status_code == 302
    assert f"({len(police) + 1})" in lead.get(url).text
    assert len(db.session.scalars(select(QuoteChoice)).all()) == len(keys) - 1


def test_the_workspace_reads_a_professionals_sector_for_attribution() -> None:
    """Quotes on the workspace are attributed from the same facts as the report's: a professional's
    sector (its stored value, which attribution maps to a role group), never their own details."""
    from types import SimpleNamespace

    from questionnaires.loader import load_questionnaire
    from survey_app.config import ROOT
    from survey_app.staff.free_text.insights import _demographic_keys

    professionals = load_questionnaire(ROOT / "questionnaires" / "professionals.yaml")
    wanted, _ = _demographic_keys([SimpleNamespace(id=7, questionnaire=professionals)])  # type: ignore[list-item]
    assert wanted[(7, "sector")] == "sector"
