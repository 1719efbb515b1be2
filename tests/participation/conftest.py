"""A members space with one session: its owner, the session's moderator, members who
took part and who did not, an open invitation, and those outside it (a non-member, a
removed member, a moderator of another space)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

CANARY = "Canary-Participation-7f3a"


@pytest.fixture
async def forum(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session, add_member
) -> Any:
    users = {
        "owner": await make_user(display_name="Olga Owner", country="RU"),
        "moderator": await make_user(display_name="Mona Moderator", country="EG"),
        "active": await make_user(
            display_name="Amina Active", country="KE", gender="female", affiliation="party"
        ),
        "quiet": await make_user(
            display_name=f"Quinn Quiet {CANARY}", country="BR", gender="male", affiliation="ngo"
        ),
        "silent": await make_user(display_name="Sami Silent", country="FR"),
        "outsider": await make_user(display_name="Otto Outsider"),
        "removed": await make_user(display_name="Remy Removed"),
        "other moderator": await make_user(display_name="Omar Other"),
    }
    slug = await make_space(slug="expert-group", visibility="members")
    other = await make_space(slug="other-group", visibility="members")
    await add_member(slug, users["owner"].id, "owner")
    for name in ("moderator", "active", "quiet", "silent", "removed"):
        await add_member(slug, users[name].id)
    await add_member(other, users["other moderator"].id, "moderator")
    session_id = await make_session(slug, moderator_ids=[users["moderator"].id])
    tokens = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    detail = (await client.get(f"/api/v1/sessions/{session_id}", headers=tokens["owner"])).json()
    thread_id = detail["questions"][0]["thread_id"]
    posted = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": f"What worked for us. {CANARY}"},
        headers=tokens["active"],
    )
    assert posted.status_code == 201, posted.text
    invited = await client.post(
        f"/api/v1/spaces/{slug}/invitations",
        json={"email": "newcomer@example.org"},
        headers=tokens["owner"],
    )
    assert invited.status_code == 201, invited.text
    gone = await client.delete(
        f"/api/v1/spaces/{slug}/members/{users['removed'].id}", headers=tokens["owner"]
    )
    assert gone.status_code in {200, 204}, gone.text
    return {
        "slug": slug,
        "session_id": session_id,
        "users": users,
        "tokens": tokens,
        "questions": detail["questions"],
    }
