"""Each questionnaire version is built once per process, not on every request.

Building a questionnaire from its stored definition once took a fifth of every respondent request
(35 times per submission, all six on the start page). A version never changes, so one built object
serves every later request and thread; a new version (a changed file) is built afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from questionnaires import loader
from questionnaires.model import Questionnaire
from tests.journey_helpers import begin, open_a_campaign_if_none_is


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every questionnaire built from a definition in this test, by id (the process cache emptied first)."""
    monkeypatch.setattr(loader, "_PARSED", {})
    built: list[str] = []
    original = Questionnaire.from_dict.__func__  # type: ignore[attr-defined]  # the plain function behind the classmethod

    def counting(cls: type[Questionnaire], data: dict) -> Questionnaire:
        built.append(data["id"])
        return original(cls, data)  # type: ignore[no-any-return]  # the original classmethod's result

    monkeypatch.setattr(Questionnaire, "from_dict", classmethod(counting))
    return built


def test_a_journey_builds_each_version_once(client: FlaskClient, loaded: Callable[[], None], builds: list[str]) -> None:
    open_a_campaign_if_none_is()
    for _ in range(3):
        assert client.get("/start").status_code == 200
    offered = len(builds)
    assert offered == len(set(builds)), "the start page built a questionnaire twice"
    begin(client)
    for _ in range(3):
        assert client.get("/survey/intro").status_code == 200
        assert client.get("/survey/page/choices").status_code == 200
        assert client.post("/survey/page/choices", data={"carried": "no", "action": "continue"}).status_code == 302
    assert client.get("/survey/check").status_code == 200
    assert len(builds) == offered, "a page built a questionnaire the start page had already built"


def test_a_changed_file_is_a_new_version_built_afresh(
    client: FlaskClient, loaded: Callable[[], None], questionnaire_folder: Path, builds: list[str]
) -> None:
    begin(client)
    assert "Tell us what you think" not in client.get("/survey/intro").text
    path = questionnaire_folder / "all-types.yaml"
    text = path.read_text(encoding="utf-8")
    assert "A test questionnaire." in text
    path.write_text(text.replace("A test questionnaire.", "Tell us what you think", 1), encoding="utf-8")
    loaded()
    begin(client)
    assert "Tell us what you think" in client.get("/survey/intro").text
    assert builds.count("all-types") == 2


def test_threads_share_one_build(builds: list[str]) -> None:
    """Many threads asking at once for a version nobody has built yet get one and the same object."""
    definition = {"id": "t", "audience": "adult", "title": "T", "respondent_label": "T", "pages": []}
    start = threading.Barrier(8)
    got: list[Questionnaire] = []

    def ask() -> None:
        start.wait()
        got.append(loader.parsed_once(("t", "hash"), lambda: definition))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(q is got[0] for q in got)
    assert builds == ["t"]
