"""The words beside the clouds on "free text at a glance" are protected with the theme, progress and tone
tables as one publication: no word table gives back a count the theme table hides, and an LP
attacker over every table of the page (both tabs of clouds) recovers nothing."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from survey_app.models import Answer, Response, ThemeCode
from survey_app.staff.free_text.coding import current_codebook
from tests.analysis.test_publication import recovered
from tests.staff.conftest import World
from tests.staff.test_quote_bank_screen import give_coded_texts

LIGHTING = ["the street lighting is broken near the park", "dark street with no lighting at night"]


def _more_answers(db, world: World, n: int = 30) -> None:  # type: ignore[no-untyped-def]
    """`n` more young people, all on unsafe places: every one writes "street" and "lighting"."""
    _, version = current_codebook()
    first = db.session.scalars(select(Response).where(Response.campaign_id == world.a.campaign.id)).first()
    for i in range(n):
        response = Response(
            questionnaire_version_id=first.questionnaire_version_id,
            audience="young_people",
            language="en",
            campaign_id=world.a.campaign.id,
            collection_point_id=first.collection_point_id,
            completion="complete",
            submitted_on=dt.date(2026, 1, 6),
            idempotency_key=f"lighting-{i}",
        )
        response.answers = [Answer(question_key="unsafe_why", position=0, text=LIGHTING[0 if i < 20 else 1])]
        db.session.add(response)
        db.session.flush()
        db.session.add(
            ThemeCode(
                response_id=response.id,
                question_key="unsafe_why",
                theme_key="unsafe_places",
                codebook_version_id=version.id,
                source="human",
                confidence=1.0,
                status="added",
                evidence=[],
                reviewer_id=world.a.users["analyst"].id,
            )
        )
    db.session.commit()


def _word_rows(html: str, caption: str) -> dict[str, str]:
    """The word table under a caption starting `caption`, as word -> count shown."""
    match = re.search(rf"<caption>{re.escape(caption)}.*?</caption>(.*?)</table>", html, re.S)
    assert match, caption
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', match.group(1)))


def test_a_word_never_gives_back_a_theme_count_the_theme_table_hides(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    # Every one of the 13 answers about the police says "police", and the theme table has to hide
    # how many answers raised the police: a word table showing "police: 13" would give it back.
    give_coded_texts(db, world)
    lead = session_for(world.a.users["communications_lead"])
    base = f"/staff/campaigns/{world.a.campaign.id}/text"
    page = lead.get(base).text
    assert "Police presence and trust in police (13 answers)" not in page  # the theme count is hidden...
    section = page[page.index('id="cloud-police-h"') :]
    section = section[: section.index("</section>")]
    assert ">13<" not in section and "police.png" not in section  # ...and so is the word that repeats it
    assert '<td class="num">fewer than' not in page  # no word a few answers used is listed at all
    assert lead.get(f"{base}/wordcloud/theme/police.png").status_code == 404


def test_common_words_are_shown_and_drawn_at_their_published_counts(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    from survey_app.staff.free_text.insights_page import text_page

    give_coded_texts(db, world)
    _more_answers(db, world)
    lead = session_for(world.a.users["communications_lead"])
    base = f"/staff/campaigns/{world.a.campaign.id}/text"
    page = lead.get(base).text
    words = _word_rows(page, "Words for Unsafe places")
    assert {"broken", "park"} <= set(words)  # used by 20 of the 30 answers about unsafe places
    assert all(n.replace(",", "").isdigit() and int(n) >= 10 for n in words.values())  # no small or hidden count
    svg = lead.get(f"{base}/wordcloud/theme/unsafe_places.svg").get_data(as_text=True)
    assert set(re.findall(r">([a-z]+)</text>", svg)) == set(words)  # the cloud draws exactly the shown words
    with app.test_request_context():
        shown = text_page(world.a.campaign)
    # Everything on the page, both tabs of clouds included, read together: nothing hidden comes back.
    assert any(cell.suppressed for _, protected in shown.publication for row in protected.cells for cell in row)
    assert recovered(shown.publication) == []
