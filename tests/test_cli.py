"""The command line: migrate, create-admin, and what survives a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forum_server.app import create_app
from tests.helpers import bearer, client_for, make_settings

ROOT = Path(__file__).resolve().parents[1]


def run_cli(tmp_path: Path, *args: str, database_url: str | None = None):
    env = {**os.environ, "FORUM_DATA_DIR": str(tmp_path / "data")}
    if database_url:
        env["FORUM_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "forum_server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_migrate_on_a_fresh_data_folder_twice(tmp_path: Path):
    first = run_cli(tmp_path, "migrate")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "data" / "forum.db").exists()
    second = run_cli(tmp_path, "migrate")
    assert second.returncode == 0, second.stderr


def test_help_lists_the_configuration(tmp_path: Path):
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    assert "FORUM_DATABASE_URL" in result.stdout and "FORUM_REGISTRATION" in result.stdout


async def test_create_admin_then_sign_in_survives_restart(tmp_path: Path, database_url: str):
    result = run_cli(
        tmp_path,
        "create-admin",
        "--email",
        "Sec@Example.org",
        "--password",
        "a long admin passphrase",
        "--name",
        "CBD Secretariat",
        database_url=database_url,
    )
    assert result.returncode == 0, result.stderr
    assert "sec@example.org" in result.stdout
    settings = make_settings(tmp_path, database_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        response = await client.post(
            "/api/v1/tokens",
            json={"email": "sec@example.org", "password": "a long admin passphrase"},
        )
        token = response.json()["token"]
    restarted = create_app(settings)
    async with restarted.router.lifespan_context(restarted), client_for(restarted) as client:
        me = (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["is_secretariat"] is True and me["display_name"] == "CBD Secretariat"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email", "--password", "a long admin passphrase"], "email"),
        (["--email", "a@example.org", "--password", "short"], "password"),
    ],
)
def test_create_admin_refuses_bad_input_clearly(tmp_path: Path, args: list[str], message: str):
    result = run_cli(tmp_path, "create-admin", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_create_admin_twice_reports_the_taken_email(tmp_path: Path):
    args = ["create-admin", "--email", "a@example.org", "--password", "a long admin passphrase"]
    assert run_cli(tmp_path, *args).returncode == 0
    again = run_cli(tmp_path, *args)
    assert again.returncode == 2 and "email_taken" in again.stderr


def test_bad_setting_is_reported_without_traceback(tmp_path: Path):
    env = {**os.environ, "FORUM_DATA_DIR": str(tmp_path), "FORUM_REGISTRATION": "sometimes"}
    result = subprocess.run(
        [sys.executable, "-m", "forum_server", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "FORUM_REGISTRATION" in result.stderr and "Traceback" not in result.stderr


def test_demo_command_loads_once(tmp_path: Path):
    first = run_cli(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "/spaces/capacity-building-forum" in first.stdout and "password" in first.stdout
    again = run_cli(tmp_path, "demo")
    assert again.returncode == 1 and "demo_loaded" in again.stderr
