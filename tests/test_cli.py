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
    assert run_cli(tmp_path, "migrate").returncode == 0
    result = run_cli(tmp_path, "create-admin", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_create_admin_twice_reports_the_taken_email(tmp_path: Path):
    args = ["create-admin", "--email", "a@example.org", "--password", "a long admin passphrase"]
    assert run_cli(tmp_path, "migrate").returncode == 0
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


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command run from `folder` with none of the FORUM_ variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    return subprocess.run(
        [sys.executable, "-m", "forum_server", *args],
        cwd=folder,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["create-admin", "--email", "a@example.org", "--password", "a long admin passphrase"],
        ["report", "1", "--format", "md"],
    ],
)
def test_commands_run_elsewhere_create_no_database(tmp_path: Path, args: list[str]):
    result = run_in(tmp_path, *args)
    assert result.returncode == 2
    assert f"no database in {tmp_path / 'forum-data'}" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no data folder, no secret key, no database


def test_commands_refuse_a_database_without_tables(tmp_path: Path):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run_in(
        tmp_path, "report", "1", "--format", "md", FORUM_DATABASE_URL=f"sqlite+aiosqlite:///{empty}"
    )
    assert result.returncode == 2
    assert "has no forum tables" in result.stderr and "forum-server migrate" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


class Serving:
    """`forum-server serve --port 0` in a folder of its own, until stopped."""

    def __init__(self, folder: Path, port: int = 0) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "forum_server", "serve", "--port", str(port)],
            cwd=folder,
            env={**clean, "FORUM_LOG_LEVEL": "warning"},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def first_line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline()

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=30)  # waits, and closes the pipe


def test_serve_says_listening_once_it_answers_and_refuses_a_taken_port(tmp_path: Path):
    import re

    import httpx

    first = Serving(tmp_path)
    try:
        line = first.first_line()
        found = re.fullmatch(r"forum_server listening on http://127\.0\.0\.1:(\d+)/\n", line)
        assert found, line
        port = int(found.group(1))
        # Printed only once the socket accepts: the very next request is answered.
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200

        second = run_in(tmp_path, "serve", "--port", str(port))
        assert second.returncode != 0
        assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in second.stderr
        assert "listening" not in second.stdout and "Traceback" not in second.stderr
    finally:
        first.stop()
