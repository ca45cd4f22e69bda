"""What a council's IT team meets when it deploys: campaigns made on the command line belong to a
partnership, printed links and posters use the site's public address (never a traceback, never
127.0.0.1 in production), the health check, and gunicorn's settings for a shared host."""

from __future__ import annotations

import logging
import runpy
import secrets
from pathlib import Path

import pytest
from gunicorn.config import Config as GunicornConfig
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.config import ROOT, Config, ConfigError
from survey_app.extensions import db as _db
from survey_app.models import Campaign, CollectionPoint, Partnership
from tests.reach_helpers import make_campaign, make_point
from tests.staff.conftest import session_for, world  # noqa: F401 - the staff workspace's fixtures
from tests.test_proxy import CLIENT_ADDRESS, FORWARDED, HOST, PROXY_ADDRESS, proxied  # noqa: F401 - its fixture

SITE = f"https://{HOST}"
CREATE = ["campaigns", "create", "Youth Voice 2027", "--opens", "2027-01-04", "--closes", "2027-03-26"]


def _campaigns(db) -> list[Campaign]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return list(db.session.scalars(select(Campaign)))


class TestPartnership:
    def test_with_several_partnerships_one_must_be_named(self, db, runner, world):  # noqa: F811
        before = len(_campaigns(db))
        result = runner.invoke(args=[*CREATE, "--questionnaire", "all-types"])
        assert result.exit_code == 1
        assert "Which partnership runs this campaign? Give --partnership" in result.output
        for side in (world.a, world.b):
            assert f"{side.partnership.id}\t{side.partnership.name}" in result.output
        assert len(_campaigns(db)) == before, "nothing made"

    @pytest.mark.parametrize("how", ["name", "number", "other case"])
    def test_named_by_name_or_number_its_staff_see_it(self, db, runner, world, session_for, how):  # noqa: F811
        ours = world.a.partnership
        given = {"name": ours.name, "number": str(ours.id), "other case": ours.name.upper()}[how]
        result = runner.invoke(args=[*CREATE, "--questionnaire", "all-types", "--partnership", given])
        assert result.exit_code == 0, result.output
        assert f"for {ours.name}" in result.output
        campaign = db.session.scalar(select(Campaign).filter_by(slug="youth-voice-2027"))
        assert campaign.partnership_id == ours.id
        page = f"/staff/campaigns/{campaign.id}/points"
        assert session_for(world.a.users["administrator"]).get(page).status_code == 200
        assert session_for(world.b.users["administrator"]).get(page).status_code == 404

    def test_an_unknown_partnership_is_named_with_the_real_ones(self, db, runner, world):  # noqa: F811
        result = runner.invoke(args=[*CREATE, "--questionnaire", "all-types", "--partnership", "Nowhere CSP"])
        assert result.exit_code == 1
        assert "There is no partnership \u201cNowhere CSP\u201d" in result.output
        assert world.a.partnership.name in result.output
        assert db.session.scalar(select(Campaign).filter_by(slug="youth-voice-2027")) is None

    def test_the_only_partnership_is_used_without_being_named(self, db, runner, loaded):
        db.session.add(Partnership(name="Safer Trafford"))
        db.session.commit()
        result = runner.invoke(args=[*CREATE, "--questionnaire", "all-types"])
        assert result.exit_code == 0, result.output
        only = db.session.scalar(select(Partnership.id))
        assert [c.partnership_id for c in _campaigns(db)] == [only]

    def test_with_no_partnership_yet_it_says_how_to_make_one(self, db, runner, loaded):
        result = runner.invoke(args=[*CREATE, "--questionnaire", "all-types"])
        assert result.exit_code == 1
        assert "There is no partnership yet" in result.output and "flask users create" in result.output
        assert _campaigns(db) == []


class TestSiteAddress:
    """Production-like: TRUSTED_HOSTS set, no request to take a host from. (Not the `db` fixture: it
    would push the testing app's context, and the commands would run in that app instead.)"""

    @pytest.fixture
    def point(self, proxied) -> CollectionPoint:  # noqa: F811
        return make_point(make_campaign(["all-types"]))

    def test_materials_without_an_address_are_refused_not_a_traceback(self, proxied, point, tmp_path):  # noqa: F811
        out = tmp_path / "materials"
        result = proxied.test_cli_runner().invoke(args=["campaigns", "materials", point.code, "--out", str(out)])
        assert result.exit_code == 1
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Pass --base-url" in result.output and "PUBLIC_BASE_URL" in result.output
        assert not out.exists(), "nothing written"

    def test_add_point_without_an_address_is_refused_before_anything_is_made(self, proxied, point):  # noqa: F811
        result = proxied.test_cli_runner().invoke(args=["campaigns", "add-point", "youth-safety", "Sale Youth Club"])
        assert result.exit_code == 1
        assert "Pass --base-url" in result.output and "127.0.0.1" not in result.output
        assert _db.session.scalar(select(func.count()).select_from(CollectionPoint)) == 1

    def test_the_configured_public_address_is_used(self, proxied, point, tmp_path):  # noqa: F811
        proxied.config["PUBLIC_BASE_URL"] = SITE + "/"
        runner = proxied.test_cli_runner()
        added = runner.invoke(
            args=["campaigns", "add-point", "youth-safety", "Sale Youth Club", "--kind", "youth_club"]
        )
        assert added.exit_code == 0, added.output
        code = _db.session.scalar(select(CollectionPoint.code).filter_by(name="Sale Youth Club"))
        assert f"link {SITE}/p/{code}" in added.output
        written = runner.invoke(args=["campaigns", "materials", point.code, "--out", str(tmp_path)])
        assert written.exit_code == 0, written.output
        poster = (tmp_path / f"poster-{point.code}.html").read_text()
        assert f"{HOST}/p/{point.code}" in poster and "127.0.0.1" not in poster
        assert (tmp_path / f"qr-{point.code}.svg").exists()

    def test_an_address_the_site_would_refuse_is_refused(self, proxied, point, tmp_path):  # noqa: F811
        result = proxied.test_cli_runner().invoke(
            args=["campaigns", "materials", point.code, "--out", str(tmp_path), "--base-url", "https://other.example"]
        )
        assert result.exit_code == 1
        assert "not one of the site's host names" in result.output and HOST in result.output
        assert isinstance(result.exception, SystemExit), result.exception

    @pytest.mark.parametrize("value", ["survey.example.gov.uk", "ftp://survey.example", "https://s.example/?a=1"])
    def test_a_public_address_that_is_not_one_stops_the_start(self, tmp_path, value):
        with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
            Config.from_env(
                {"COMMUNITY_VOICE_ENV": "development", "PUBLIC_BASE_URL": value},
            )


class TestHealthCheck:
    def test_ok_with_no_cookie_and_no_address_logged(self, proxied, caplog):  # noqa: F811
        caplog.set_level(logging.DEBUG)
        client = proxied.test_client()
        response = client.get("/healthz", headers=FORWARDED, environ_base={"REMOTE_ADDR": PROXY_ADDRESS})
        assert response.status_code == 200 and response.text == "ok\n"
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
        assert CLIENT_ADDRESS not in caplog.text and PROXY_ADDRESS not in caplog.text

    def test_another_host_is_refused_as_everywhere(self, proxied):  # noqa: F811
        assert proxied.test_client().get("/healthz", headers={"Host": "10.0.0.11:8000"}).status_code == 400

    def test_no_database_is_503(self, tmp_path: Path, questionnaire_folder, caplog):
        config = Config.from_env(
            {
                "COMMUNITY_VOICE_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'no such folder' / 'gone.sqlite'}",
                "QUESTIONNAIRE_FOLDER": str(questionnaire_folder),
                "TRUSTED_HOSTS": HOST,
            }
        )
        response = create_app(config).test_client().get("/healthz", base_url=SITE)
        assert response.status_code == 503
        assert "Set-Cookie" not in response.headers
        assert "Health check: the database did not answer (OperationalError)" in caplog.text
        assert "no such folder" not in caplog.text, "the database's address is not logged"


def test_gunicorn_makes_no_control_socket() -> None:
    """gunicorn 25.1+ makes one per user by default: two servers on a host would share it, and a
    service account with no home directory cannot make it."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = GunicornConfig()
    assert "control_socket_disable" in cfg.settings, "this gunicorn has no such setting: check its name"
    cfg.set("control_socket_disable", settings["control_socket_disable"])
    assert cfg.control_socket_disable is True
