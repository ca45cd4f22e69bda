"""Campaigns and collection points: opening windows, unambiguous collision-free codes, links, QR codes,
posters and parents' letters."""

from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from survey_app.campaigns import codes, printing, qr
from survey_app.campaigns.setup import SetupError, add_collection_point, create_campaign, point_url
from survey_app.models import Campaign, CollectionPoint, Draft, Partnership, Response
from tests.reach_helpers import TODAY, make_campaign, make_point, send_check


class TestWindows:
    @pytest.mark.parametrize(
        ("opens", "closes", "words"),
        [
            (3, 30, "This survey opens on"),
            (-30, -1, "This survey closed on"),
        ],
    )
    def test_outside_its_dates_a_campaign_shows_a_friendly_page(self, client, loaded, opens, closes, words):
        campaign = make_campaign(["all-types"], opens=opens, closes=closes)
        point = make_point(campaign)
        for link in (f"/c/{campaign.slug}", f"/p/{point.code}"):
            page = client.get(link, follow_redirects=True)
            assert page.status_code == 200
            assert words in page.text and campaign.name in page.text
            assert "find help here" in page.text
        start = client.post("/start", data={"questionnaire": "all-types"})
        assert start.status_code == 200 and words in start.text
        assert loaded is not None

    def test_on_its_first_and_last_days_a_campaign_is_open(self, client, loaded):
        for opens, closes in ((0, 10), (-10, 0)):
            campaign = make_campaign(["all-types"], opens=opens, closes=closes, slug=f"c{opens}{closes}")
            page = client.get(f"/c/{campaign.slug}", follow_redirects=True)
            assert "Start now" in page.text, (opens, closes)


class TestCodes:
    def test_codes_never_use_characters_that_look_alike(self):
        seen = {codes.generate(6) for _ in range(3000)}
        assert len(seen) > 2990
        assert not set("".join(seen)) & set("0O1I")
        assert set("".join(seen)) <= set(codes.ALPHABET)

    def test_typed_codes_are_forgiving_about_case_and_spaces(self):
        assert codes.normalise(" k7p-qm z\n") == "K7PQMZ"
        assert codes.display("K7PQMZ") == "K7P QMZ"

    def test_a_clash_is_retried_until_the_code_is_free(self, app, db):
        campaign = make_campaign([])
        first = add_collection_point(campaign, "School A", "school", rng=random.Random(7))
        # The same seed proposes the same code first: the database's UNIQUE constraint refuses it.
        second = add_collection_point(campaign, "School B", "school", rng=random.Random(7))
        db.session.commit()
        assert codes.generate(6, random.Random(7)) == first.code
        assert second.code != first.code
        assert db.session.scalar(select(func.count()).select_from(CollectionPoint)) == 2

    def test_when_every_try_clashes_it_says_so_and_keeps_what_was_made(self, app, db):
        class Stuck(random.Random):
            def choice(self, seq):  # type: ignore[no-untyped-def, override]
                return seq[0]

        campaign = make_campaign([])
        add_collection_point(campaign, "School A", "school", rng=Stuck())
        db.session.commit()
        with pytest.raises(codes.CodeSpaceExhausted):
            add_collection_point(campaign, "School B", "school", rng=Stuck())
        db.session.rollback()
        assert [p.name for p in db.session.scalars(select(CollectionPoint))] == ["School A"]


class TestSetup:
    def test_dates_the_wrong_way_round_are_explained(self, app):
        with pytest.raises(SetupError, match="closing date .* is before the opening date"):
            create_campaign("Survey", TODAY, TODAY - dt.timedelta(days=1), ["children"])

    def test_a_link_name_in_use_is_refused(self, app):
        make_campaign(["children"], slug="youth-safety")
        with pytest.raises(SetupError, match="already a campaign"):
            create_campaign("Youth safety", TODAY, TODAY, ["children"], slug="youth-safety")

    def test_a_campaign_keeps_its_areas_and_targets(self, app, db):
        campaign = make_campaign(["children"])
        db.session.expire_all()
        assert campaign.areas == ["north", "south"]
        assert campaign.targets == {"young_people": 1000}

    def test_unknown_kind_of_point_is_explained(self, app):
        campaign = make_campaign(["children"])
        with pytest.raises(SetupError, match="not a kind of collection point"):
            add_collection_point(campaign, "Somewhere", "shop")


class TestCollectionPoints:
    def test_a_response_records_which_point_it_came_through_and_nothing_more(self, client, loaded, db):
        campaign = make_campaign(["all-types"])
        point = make_point(campaign, "Youth club", "youth_club")
        other = make_point(campaign, "Online", "online")
        assert client.get(f"/p/{point.code.lower()}").location.endswith("/")
        assert client.post("/start", data={"questionnaire": "all-types"}).status_code == 302
        assert send_check(client).status_code == 303
        response = db.session.scalars(select(Response)).one()
        assert (response.campaign_id, response.collection_point_id) == (campaign.id, point.id)
        assert other.id != point.id

    def test_a_point_code_typed_on_the_code_page_goes_to_its_link(self, client, loaded):
        point = make_point(make_campaign(["all-types"]))
        typed = codes.display(point.code).lower()
        assert client.post("/code", data={"code": typed}).location.endswith(f"/p/{point.code}")

    def test_an_unknown_point_link_offers_the_code_page(self, client, loaded, db):
        assert client.get("/p/ZZZZZZ").location.endswith("/code")
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


class TestPrintedMaterials:
    def test_qr_codes_as_svg_and_png(self, app):
        svg = qr.qr_svg("https://survey.example/p/K7PQMZ")
        assert ET.fromstring(svg).tag.endswith("svg")  # noqa: S314 - our own output
        png = qr.qr_png("https://survey.example/p/K7PQMZ")
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert png != qr.qr_png("https://survey.example/p/K7PQMA")

    @pytest.mark.parametrize("kind", ["poster", "letter"])
    def test_poster_and_letter_say_what_it_is_that_it_is_anonymous_and_how_to_opt_out(self, app, kind):
        point = make_point(make_campaign(["children"]))
        with app.test_request_context():
            html = printing.render_document(kind, point, "https://survey.example")
        assert "Youth Safety Survey" in html
        assert "anonymous" in html
        assert "don't have to take part" in html or "voluntary" in html
        assert codes.display(point.code) in html
        assert f"https://survey.example/p/{point.code}" in html
        assert 'src="data:image/svg+xml' in html
        assert "@page" not in html  # styles come from static/css/print.css, allowed by the CSP

    def test_the_letter_explains_how_parents_opt_out(self, app):
        point = make_point(make_campaign(["children"]), "Moss Park Primary")
        with app.test_request_context():
            html = printing.render_document("letter", point, "https://survey.example")
        assert "How to opt out" in html and "please tell Moss Park Primary" in html

    @pytest.mark.parametrize("kind", ["poster", "letter"])
    def test_pdf_versions(self, app, kind):
        point = make_point(make_campaign(["children"]))
        with app.test_request_context():
            try:
                pdf = printing.render_pdf(kind, point, "https://survey.example")
            except printing.PdfUnavailable as exc:  # pragma: no cover - depends on the machine
                pytest.skip(str(exc))
        assert pdf.startswith(b"%PDF-")
        with app.test_request_context():
            pages = printing.laid_out(
                printing.render_document(kind, point, "https://survey.example", for_pdf=True)
            ).pages
        assert len(pages) == 1  # one A4 sheet each: a poster to pin up, a letter to send home
        assert (round(pages[0].width * 25.4 / 96), round(pages[0].height * 25.4 / 96)) == (210, 297)

    def test_point_url_uses_the_given_address(self, app):
        point = make_point(make_campaign(["children"]))
        assert point_url(point, "https://survey.example/") == f"https://survey.example/p/{point.code}"


class TestCommands:
    @pytest.fixture
    def partnership(self, db, loaded) -> Partnership:
        """The one partnership, which a campaign made on the command line then belongs to."""
        made = Partnership(name="Safer Trafford")
        db.session.add(made)
        db.session.commit()
        return made

    def test_create_a_campaign_add_points_and_write_materials(self, runner, loaded, db, tmp_path, partnership):
        result = runner.invoke(
            args=[
                "campaigns",
                "create",
                "Youth Safety Survey 2026",
                "--opens",
                "2026-01-05",
                "--closes",
                "2026-03-31",
                "--questionnaire",
                "all-types",
                "--area",
                "north",
                "--target",
                "young_people=1000",
            ]
        )
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(Campaign.partnership_id)) == partnership.id
        result = runner.invoke(
            args=[
                "campaigns",
                "add-point",
                "youth-safety-survey-2026",
                "Stretford High",
                "--base-url",
                "https://survey.example",
            ]
        )
        assert result.exit_code == 0, result.output
        code = db.session.scalars(select(CollectionPoint.code)).one()
        assert f"https://survey.example/p/{code}" in result.output
        result = runner.invoke(
            args=[
                "campaigns",
                "materials",
                code.lower(),
                "--out",
                str(tmp_path),
                "--base-url",
                "https://survey.example",
            ]
        )
        assert result.exit_code == 0, result.output
        names = {p.name for p in tmp_path.iterdir()}
        assert {f"qr-{code}.svg", f"qr-{code}.png", f"poster-{code}.html", f"letter-{code}.html"} <= names

    def test_bad_dates_fail_with_a_message(self, runner, loaded, partnership):
        result = runner.invoke(
            args=[
                "campaigns",
                "create",
                "Survey",
                "--opens",
                "2026-03-01",
                "--closes",
                "2026-01-01",
                "--questionnaire",
                "all-types",
            ]
        )
        assert result.exit_code == 1
        assert "before the opening date" in result.output
