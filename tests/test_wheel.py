"""The built wheel runs on its own: installed outside the checkout it migrates, and serves pages in English and Arabic.

A council installs Community Voice with `pip install .`, not from a checkout. Templates, static files,
translations and migrations must therefore travel inside the wheel and be found from the installed
package. This test builds the wheel, installs it into a fresh virtual environment in a temporary
folder, and drives that copy from a working directory outside the checkout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: never copied into the build tree: environments, caches and earlier build output (a stale
#: build/lib could smuggle a file into the wheel that the package data no longer lists)
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "instance",
    "node_modules",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    "screenshots",
)

#: run by the installed copy's interpreter: reports what it imported and what each page returned
DRIVER = textwrap.dedent(
    """
    import json, re, sys

    import analysis, questionnaires, survey_app
    from survey_app import create_app

    app = create_app()
    client = app.test_client()
    seen = {
        "modules": [survey_app.__file__, analysis.__file__, questionnaires.__file__],
        "template_folder": app.jinja_loader.searchpath[0],
    }

    def page(url, **kwargs):
        response = client.open(url, **kwargs)
        return {"status": response.status_code, "text": response.get_data(as_text=True),
                "type": response.content_type, "location": response.headers.get("Location", "")}

    for language in ("en", "ar"):
        start = page(f"/start?lang={language}")
        seen[f"start_{language}"] = start
        seen[f"staff_login_{language}"] = page(f"/staff/login?lang={language}")
        css = re.search(r'href="([^"]+\\.css)"', start["text"])
        seen[f"css_{language}"] = page(css.group(1)) if css else None
        # Choose a questionnaire and reach its introduction: the questionnaire files and their
        # translated wording come from the installed package too.
        token = re.search(r'name="csrf_token" value="([^"]+)"', start["text"])
        choice = re.search(r'name="questionnaire"[^>]*value="([^"]+)"', start["text"])
        chosen = page("/start", method="POST", data={
            "csrf_token": token.group(1) if token else "",
            "questionnaire": choice.group(1) if choice else "",
        })
        seen[f"chosen_{language}"] = chosen
        seen[f"intro_{language}"] = page("/survey/intro")
        client.delete_cookie("cv_respondent")

    json.dump(seen, sys.stdout)
    """
)


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step; on failure show its output, which says what is missing from the wheel."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_installed_wheel_migrates_and_serves_pages_outside_the_checkout(tmp_path: Path) -> None:
    """Build, install into a fresh venv outside the checkout, upgrade a database, serve en and ar."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "FLASK_APP", "DATABASE_URL", "SECRET_KEY"}
    }

    # 1. Build the wheel from a copy of the source, with the build backend already in .venv (no network).
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    wheels = tmp_path / "wheels"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(wheels),
            ".",
        ],
        cwd=source,
        env=env,
    )
    (wheel,) = wheels.glob("community_voice-*.whl")

    # 2. A fresh virtual environment that sees .venv's third-party libraries (appended after its own
    # site-packages by a .pth line, so .venv's editable install of this project is never activated)
    # and gets the project itself only from the wheel.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=outside, env=env)
    python = venv / "bin" / "python"
    own_site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], outside, env
        ).stdout.strip()
    )
    libraries = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (own_site / "dev_venv_libraries.pth").write_text("".join(f"{path}\n" for path in sorted(libraries)))
    pip_for_venv = [sys.executable, "-m", "pip", "--python", str(python)]
    _run([*pip_for_venv, "install", "--no-deps", "--no-index", str(wheel)], cwd=outside, env=env)

    # 3. Migrate an empty database and load the questionnaires with the installed copy's commands.
    env |= {
        "COMMUNITY_VOICE_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'installed.sqlite'}",
    }
    app = ["--app", "survey_app:create_app"]
    _run([str(python), "-m", "flask", *app, "db", "upgrade"], cwd=outside, env=env)
    _run([str(python), "-m", "flask", *app, "questionnaires", "load"], cwd=outside, env=env)
    # The bare address takes answers only while a campaign is open, as a council would set one up.
    _run(
        [str(python), "-m", "flask", *app, "users", "create", "--email", "admin@example.org", "--name", "Admin"]
        + ["--partnership", "Test Community Safety Partnership", "--password", "a long test password 42"],
        cwd=outside,
        env=env,
    )
    today = dt.date.today()
    _run(
        [str(python), "-m", "flask", *app, "campaigns", "create", "Have your say"]
        + ["--opens", str(today - dt.timedelta(days=1)), "--closes", str(today + dt.timedelta(days=30))]
        + [arg for q in ("children", "young-people", "parents-carers") for arg in ("--questionnaire", q)],
        cwd=outside,
        env=env,
    )

    # 4. Serve the respondent and staff pages.
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    seen = json.loads(_run([str(python), str(driver)], cwd=outside, env=env).stdout)

    for module in seen["modules"]:
        assert Path(module).is_relative_to(own_site), f"{module} was imported from outside the installed wheel"
    assert Path(seen["template_folder"]).is_relative_to(own_site)

    for language in ("en", "ar"):
        start = seen[f"start_{language}"]
        assert start["status"] == 200, start["text"][-2000:]
        assert seen[f"staff_login_{language}"]["status"] == 200, seen[f"staff_login_{language}"]["text"][-2000:]
        assert 'name="password"' in seen[f"staff_login_{language}"]["text"]
        css = seen[f"css_{language}"]
        assert css is not None, "the start page links no stylesheet"
        assert css["status"] == 200
        assert css["type"].startswith("text/css")
        assert "{" in css["text"]
        assert seen[f"chosen_{language}"]["status"] == 302
        assert seen[f"chosen_{language}"]["location"].endswith("/survey/intro")
        assert seen[f"intro_{language}"]["status"] == 200, seen[f"intro_{language}"]["text"][-2000:]

    assert 'dir="ltr"' in seen["start_en"]["text"]
    assert "Which of these best describes you?" in seen["start_en"]["text"]
    for page in ("start_ar", "intro_ar"):
        html = seen[page]["text"]
        assert 'dir="rtl"' in html
        assert 'lang="ar"' in html
        arabic_letters = sum("\u0600" <= character <= "\u06ff" for character in html)
        assert arabic_letters > 100, f"{page} is not in Arabic"


@pytest.fixture(autouse=True)
def _pip_is_there() -> None:
    """The one reason to skip: an interpreter without pip cannot build or install a wheel."""
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, check=False).returncode:  # noqa: S603
        pytest.skip("pip is not installed in this interpreter, so no wheel can be built")
