"""The secretariat deactivates an account (API, page, command line), and a site-wide
suspension refuses the account's sign-ins and tokens while it lasts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from forum_server.audit import AuditEntry
from forum_server.db import Database
from forum_server.orm import utcnow
from tests.conftest import MakeUser
from tests.helpers import PASSWORD, bearer, client_for, csrf_from, sign_in, token_for

ROOT = Path(__file__).resolve().parents[2]


async def thread_with_post(
    client: httpx.AsyncClient,
    make_space: Callable[..., Awaitable[str]],
    make_session: Callable[..., Awaitable[int]],
    token: str,
) -> int:
    session_id = await make_session(await make_space())
    detail = (await client.get(f"/api/v1/sessions/{session_id}")).json()
    thread_id: int = detail["questions"][0]["thread_id"]
    posted = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "Capacity-building needs national focal points."},
        headers=bearer(token),
    )
    assert posted.status_code == 201, posted.text
    return thread_id


async def password_sign_in(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})


async def test_deactivation_ends_sign_ins_and_tokens_and_keeps_posts(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space: Callable[..., Awaitable[str]],
    make_session: Callable[..., Awaitable[int]],
):
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    carla = await make_user(display_name="Carla Mendes")
    token = await token_for(client, carla)
    thread_id = await thread_with_post(client, make_space, make_session, token)
    async with client_for(app) as browser:
        await sign_in(browser, carla)
        assert (await browser.get("/profile")).status_code == 200

        answer = await client.post(f"/api/v1/users/{carla.id}/deactivate", headers=secretariat)
        assert answer.status_code == 200, answer.text
        assert answer.json()["active"] is False and answer.json()["email"] == carla.email

        # Her browser is signed out, her token refused, her password no longer signs in.
        signed_out = await browser.get("/profile")
        assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    refused = await client.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"
    again = await password_sign_in(client, carla.email)
    assert again.status_code == 403
    assert again.json()["error"]["code"] == "account_deactivated"
    async with client_for(app) as browser:
        csrf = await csrf_from(browser)
        page = await browser.post(
            "/login", data={"email": carla.email, "password": PASSWORD, "csrf_token": csrf}
        )
        assert page.status_code == 403 and "This account is deactivated" in page.text
        assert "forum_session" not in browser.cookies

    # Her post stays, under her name.
    posts = (await client.get(f"/api/v1/threads/{thread_id}/posts")).json()["items"]
    assert [p["author"]["display_name"] for p in posts] == ["Carla Mendes"]
    assert posts[0]["author"]["id"] == carla.id

    # Twice is a conflict; the audit log has it once.
    twice = await client.post(f"/api/v1/users/{carla.id}/deactivate", headers=secretariat)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_deactivated"
    async with db.read() as session:
        entries = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "user.deactivated"))
        )
    assert [(e.target_type, e.target_id) for e in entries] == [("user", carla.id)]

    # Reactivated, she signs in again; the old token stays ended.
    back = await client.post(f"/api/v1/users/{carla.id}/reactivate", headers=secretariat)
    assert back.status_code == 200 and back.json()["active"] is True
    assert (await password_sign_in(client, carla.email)).status_code == 201
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401


async def test_only_the_secretariat_deactivates_and_not_itself(
    client: httpx.AsyncClient, make_user: MakeUser
):
    admin = await make_user(is_secretariat=True)
    secretariat = bearer(await token_for(client, admin))
    ana, ben = await make_user(), await make_user()
    url = f"/api/v1/users/{ben.id}/deactivate"
    assert (await client.post(url)).status_code == 401
    by_ana = await client.post(url, headers=bearer(await token_for(client, ana)))
    assert by_ana.status_code == 403
    assert (
        await client.get("/api/v1/users", headers=bearer(await token_for(client, ben)))
    ).status_code == 403
    own = await client.post(f"/api/v1/users/{admin.id}/deactivate", headers=secretariat)
    assert own.status_code == 403 and own.json()["error"]["code"] == "own_account"
    missing = await client.post("/api/v1/users/999999/deactivate", headers=secretariat)
    assert missing.status_code == 404
    listed = await client.get("/api/v1/users?limit=2", headers=secretariat)
    assert listed.status_code == 200
    assert [u["id"] for u in listed.json()["items"]] == [admin.id, ana.id]
    rest = await client.get(f"/api/v1/users?after={listed.json()['next']}", headers=secretariat)
    assert [u["id"] for u in rest.json()["items"]] == [ben.id] and rest.json()["next"] is None


async def test_the_accounts_page_deactivates_without_javascript(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser
):
    admin = await make_user(is_secretariat=True, display_name="Secretariat")
    dan = await make_user(display_name="Dan Okoro")
    dan_token = await token_for(client, dan)
    async with client_for(app) as browser:
        await sign_in(browser, admin)
        page = await browser.get("/admin/users")
        assert page.status_code == 200 and "Dan Okoro" in page.text
        assert f'action="/admin/users/{dan.id}/deactivate"' in page.text
        assert f'action="/admin/users/{admin.id}/deactivate"' not in page.text
        csrf = await csrf_from(browser, "/admin/users")
        done = await browser.post(f"/admin/users/{dan.id}/deactivate", data={"csrf_token": csrf})
        assert done.status_code == 303
        shown = await browser.get(done.headers["location"])
        assert "The account is deactivated" in shown.text
        assert f'action="/admin/users/{dan.id}/reactivate"' in shown.text
    assert (await client.get("/api/v1/me", headers=bearer(dan_token))).status_code == 401
    async with client_for(app) as other:
        await sign_in(other, await make_user())
        assert (await other.get("/admin/users")).status_code == 403


def test_deactivate_user_from_the_command_line(tmp_path: Path):
    env = {**os.environ, "FORUM_DATA_DIR": str(tmp_path / "data")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "forum_server", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert cli("migrate").returncode == 0  # only serve, migrate and demo create one
    made = cli("create-admin", "--email", "sec@example.org", "--password", "a long passphrase")
    assert made.returncode == 0, made.stderr
    done = cli("deactivate-user", "--email", "SEC@example.org")
    assert done.returncode == 0, done.stderr
    assert "deactivated account sec@example.org" in done.stdout
    twice = cli("deactivate-user", "--email", "sec@example.org")
    assert twice.returncode == 1 and "deactivated already" in twice.stderr
    missing = cli("deactivate-user", "--email", "nobody@example.org")
    assert missing.returncode == 2 and "No account has this e-mail address" in missing.stderr
    back = cli("reactivate-user", "--email", "sec@example.org")
    assert back.returncode == 0 and "reactivated" in back.stdout


# --- site-wide suspension -----------------------------------------------------------


async def test_a_site_wide_suspension_refuses_tokens_and_sign_ins_while_it_lasts(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, db: Database
):
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    eve = await make_user()
    token = await token_for(client, eve)
    until = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    body = {"user_id": eve.id, "reason": "Spam in three sessions", "until": until.isoformat()}
    suspended = await client.post("/api/v1/suspensions", json=body, headers=secretariat)
    assert suspended.status_code == 201, suspended.text

    for answer in (
        await client.get("/api/v1/me", headers=bearer(token)),
        await password_sign_in(client, eve.email),
    ):
        assert answer.status_code == 403, answer.text
        error = answer.json()["error"]
        assert error["code"] == "suspended"
        assert "Spam in three sessions" in error["message"]
        assert f"{until:%Y-%m-%d %H:%M} UTC" in error["message"]
    async with client_for(app) as browser:
        csrf = await csrf_from(browser)
        page = await browser.post(
            "/login", data={"email": eve.email, "password": PASSWORD, "csrf_token": csrf}
        )
        assert page.status_code == 403 and "Spam in three sessions" in page.text
        assert "forum_session" not in browser.cookies

    lifted = await client.delete(
        f"/api/v1/suspensions/{suspended.json()['id']}", headers=secretariat
    )
    assert lifted.status_code == 200
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    assert (await password_sign_in(client, eve.email)).status_code == 201


async def test_a_suspension_in_one_space_leaves_sign_in_alone(
    client: httpx.AsyncClient,
    make_user: MakeUser,
    make_space: Callable[..., Awaitable[str]],
    add_member: Callable[..., Awaitable[None]],
):
    moderator, fay = await make_user(), await make_user()
    slug = await make_space()
    await add_member(slug, moderator.id, "moderator")
    token = await token_for(client, fay)
    body = {"user_id": fay.id, "reason": "Off topic"}
    answer = await client.post(
        f"/api/v1/spaces/{slug}/suspensions",
        json=body,
        headers=bearer(await token_for(client, moderator)),
    )
    assert answer.status_code == 201, answer.text
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 200
    assert (await password_sign_in(client, fay.email)).status_code == 201
