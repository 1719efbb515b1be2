"""A members space's participation leaks to no outsider: not its figures, not who has
not taken part, not that the dashboard exists. Guests, signed-in non-members, removed
members and moderators of another space are told it is not there (404, as for a session
that does not exist; the API asks guests to sign in, whatever they ask for); a plain
member, who sees the session, is refused (403); none of
them changes anything."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum_server.mail.models import OutboxMessage
from tests.helpers import client_for, csrf_from, sign_in
from tests.participation.conftest import CANARY

OUTSIDERS = ("outsider", "removed", "other moderator")
SECRETS = (CANARY, "Sami Silent", "Olga Owner", "newcomer@example.org")


def assert_nothing_leaks(response, status: int) -> None:
    assert response.status_code == status, (response.request.url, response.text[:300])
    for secret in SECRETS:
        assert secret not in response.text


async def api_calls(client, sid: int, headers: dict[str, str]) -> list:
    base = f"/api/v1/sessions/{sid}/participation"
    return [
        await client.get(base, headers=headers),
        await client.put(f"{base}/expected", json={"expected_participants": 2}, headers=headers),
        await client.post(f"{base}/reminders", headers=headers),
    ]


async def page_calls(client, sid: int) -> list:
    token = await csrf_from(client)
    base = f"/sessions/{sid}/participation"
    return [
        await client.get(base),
        await client.get(f"{base}/remind"),
        await client.post(f"{base}/reminders", data={"csrf_token": token}),
        await client.post(
            f"{base}/expected", data={"csrf_token": token, "expected_participants": "2"}
        ),
    ]


async def reminders_queued(db) -> int:
    async with db.read() as session:
        return int(
            await session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.kind == "participation_reminder"
                )
            )
            or 0
        )


@pytest.mark.parametrize("who", ["guest", "outsider"])
async def test_a_missing_session_and_a_members_space_answer_alike(client, forum, who):
    headers = forum["tokens"].get(who, {})
    missing = await client.get("/api/v1/sessions/999999/participation", headers=headers)
    hidden = await client.get(
        f"/api/v1/sessions/{forum['session_id']}/participation", headers=headers
    )
    assert missing.status_code == hidden.status_code == (401 if who == "guest" else 404)
    assert missing.json() == hidden.json()


async def test_guests_learn_nothing(client, forum, app, db):
    sid = forum["session_id"]
    for response in await api_calls(client, sid, {}):
        assert_nothing_leaks(response, 401)  # the API asks guests to sign in, first
    async with client_for(app) as browser:
        for response in await page_calls(browser, sid):
            assert_nothing_leaks(response, 404)
    assert await reminders_queued(db) == 0


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_outsiders_learn_nothing(client, forum, app, db, who):
    sid = forum["session_id"]
    for response in await api_calls(client, sid, forum["tokens"][who]):
        assert_nothing_leaks(response, 404)
    async with client_for(app) as browser:
        await sign_in(browser, forum["users"][who])
        for response in await page_calls(browser, sid):
            assert_nothing_leaks(response, 404)
    assert await reminders_queued(db) == 0


async def test_a_plain_member_is_refused(client, forum, app, db):
    sid = forum["session_id"]
    for response in await api_calls(client, sid, forum["tokens"]["active"]):
        assert_nothing_leaks(response, 403)
    async with client_for(app) as browser:
        await sign_in(browser, forum["users"]["active"])
        for response in await page_calls(browser, sid):
            assert_nothing_leaks(response, 403)
        session_page = await browser.get(f"/sessions/{sid}")
        assert f"/sessions/{sid}/participation" not in session_page.text
    assert await reminders_queued(db) == 0
