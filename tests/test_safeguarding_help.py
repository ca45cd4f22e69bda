"""The help page: national services for everyone, local services from the partnership's file, worded per age group."""

from __future__ import annotations

import re
from pathlib import Path

from tests.journey_helpers import begin

LOCAL = """
services:
  - name: Riverside Youth Hub
    contact: "0161 000 1234"
    audiences: [children, young_people]
    what:
      children: A place with kind grown-ups to talk to after school.
      young: Youth workers to talk to about anything, including feeling unsafe.
  - name: Family Front Door
    contact: "0161 000 5678"
    audiences: [parents_carers, professionals]
    what: If you are worried a child is being harmed, call children's services.
"""


def test_national_services_are_on_every_help_page(client, loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/help").text
    for words in ("999", "0800 555 111", "116 123", "0808 800 5000"):  # adults before any survey
        assert words in html
    begin(client)  # the all-types test questionnaire is for young people
    html = client.get("/help").text
    assert "Childline" in html and "0800 1111" in html and "fearless.org" in html
    assert 'href="tel:08001111"' in html
    # Someone who cannot talk out loud (at home, say) can type instead; and keep the visit to themselves.
    assert 'href="https://www.childline.org.uk/get-support/1-2-1-counsellor-chat/"' in html and "or chat online" in html
    assert "private or incognito window" in html


def test_local_services_come_from_configuration_and_are_worded_per_age_group(
    app,
    client,
    loaded,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "local-services.yaml"
    path.write_text(LOCAL, encoding="utf-8")
    app.config["LOCAL_SERVICES_FILE"] = str(path)
    # Before a questionnaire is chosen a child may be the one reading: every service, each described.
    anyone = client.get("/help").text
    assert "Family Front Door" in anyone and "Riverside Youth Hub" in anyone
    assert "Youth workers to talk to about anything" in anyone and '<span class="support-what"></span>' not in anyone
    begin(client)
    young = client.get("/help").text
    assert "Riverside Youth Hub" in young and "Youth workers to talk to about anything" in young
    assert "kind grown-ups" not in young  # the children's wording is for children
    assert young.index("Childline") < young.index("Riverside Youth Hub")  # national first


def test_help_page_offers_a_way_back_only_to_survey_pages(client, loaded) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/survey/page/choices"' in client.get("/help?from=/survey/page/choices").text
    for bad in ("https://evil.example", "//evil.example/survey/", "/staff/login"):
        assert "Go back to the questions" not in client.get("/help", query_string={"from": bad}).text


def test_every_question_has_a_read_aloud_button_hidden_until_a_voice_is_found(client, loaded) -> None:  # type: ignore[no-untyped-def]
    begin(client)
    html = client.get("/survey/page/choices").text
    assert html.count('data-read-aloud="q-') == len(re.findall(r'class="question[ "]', html))
    assert 'class="read-aloud" data-read-aloud="q-carried" hidden' in html
