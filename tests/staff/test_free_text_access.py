"""The communications lead (and the viewer) never reach unreviewed free text: not on any page, by any
link, through any export or download."""

from __future__ import annotations

import re

import pytest

from tests.staff.conftest import FLAG_WORDS, SECRET_WORDS, World
from tests.staff.test_access_matrix import ROUTES, _url


def _crawl(client, start_urls: list[str]) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    """GET every staff URL reachable by links from the start URLs; returns url -> (status, body)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = list(start_urls)
    while queue:
        url = queue.pop()
        if url in seen or "/logout" in url:
            continue
        response = client.get(url)
        body = response.get_data().decode("utf-8", "replace")  # QR PNGs and PDFs are binary
        seen[url] = (response.status_code, body)
        for link in re.findall(r'href="(/staff[^"#]*)"', body):
            queue.append(link.replace("&amp;", "&"))
    return seen


@pytest.mark.parametrize("role", ["communications_lead", "viewer", "school_coordinator"])
def test_no_route_or_link_shows_them_free_text(app, db, world: World, session_for, role):
    client = session_for(world.a.users[role])
    starts = ["/staff/"] + [_url(rule, world.a)[0] for endpoint, rule, method in ROUTES if method == "GET"]
    pages = _crawl(client, starts)
    assert len(pages) >= 10
    for url, (status, body) in pages.items():
        assert SECRET_WORDS not in body and FLAG_WORDS not in body, f"{role} saw free text at {url} ({status})"
    for fmt in ("csv", "json"):
        assert client.get(f"/staff/campaigns/{world.a.campaign.id}/export.{fmt}").status_code == 403
    assert client.get("/staff/safeguarding").status_code == 403


def test_the_roles_that_may_see_it_do(app, db, world: World, session_for):
    """The crawl would find free text if it were on a page: it is, for the roles allowed it."""
    reviewer = _crawl(session_for(world.a.users["safeguarding_reviewer"]), ["/staff/safeguarding"])
    assert any(FLAG_WORDS in body for _, body in reviewer.values())
    admin = session_for(world.a.users["administrator"])
    assert SECRET_WORDS in admin.get(f"/staff/campaigns/{world.a.campaign.id}/export.csv").get_data(as_text=True)
