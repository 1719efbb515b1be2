"""The canary: a notice in a members space is not there — 404 by every route, absent
from every listing, feed and export — for a guest, a non-member, a removed member and a
moderator of another space; its members and the secretariat get it."""

from __future__ import annotations

import httpx
import pytest

from tests.board.conftest import NEED

OUTSIDERS = ["guest", "outsider", "removed", "other moderator"]


def reads(board: dict) -> list[str]:
    slug, notice_id = board["slug"], board["need"]["id"]
    return [
        f"/api/v1/spaces/{slug}/board",
        f"/api/v1/spaces/{slug}/board?kind=need&country=BR",
        f"/api/v1/spaces/{slug}/board/feed",
        f"/api/v1/spaces/{slug}/board/export?format=csv",
        f"/api/v1/spaces/{slug}/board/export?format=json",
        f"/api/v1/notices/{notice_id}",
        f"/api/v1/notices/{notice_id}/matches",
        f"/spaces/{slug}/board",
        f"/spaces/{slug}/board/new",
        f"/spaces/{slug}/board/suggestions",
        f"/spaces/{slug}/board/editors",
        f"/notices/{notice_id}",
        f"/notices/{notice_id}/edit",
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_the_notice_is_not_there_for_those_outside_the_space(
    client: httpx.AsyncClient, board: dict, who: str
) -> None:
    headers = board["tokens"].get(who, {})
    for path in reads(board):
        response = await client.get(path, headers=headers)
        assert response.status_code in {401, 404}, (who, path, response.status_code)
        assert response.status_code == 404 or who == "guest", (who, path)
        assert NEED["title"] not in response.text
        assert "Ministry of Environment" not in response.text
    slug, notice_id = board["slug"], board["need"]["id"]
    for method, path, body in [
        ("POST", f"/api/v1/spaces/{slug}/board", NEED),
        ("PUT", f"/api/v1/notices/{notice_id}", NEED),
        ("DELETE", f"/api/v1/notices/{notice_id}", None),
        ("PUT", f"/api/v1/notices/{notice_id}/pin", {"pinned": True}),
        ("POST", f"/api/v1/notices/{notice_id}/review", {"decision": "reject"}),
        ("GET", f"/api/v1/spaces/{slug}/board/suggestions", None),
        ("GET", f"/api/v1/spaces/{slug}/board/editors", None),
        ("POST", f"/api/v1/spaces/{slug}/board/editors", {"user_id": 1}),
    ]:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code in ({401} if who == "guest" else {404}), (who, method, path)


async def test_members_get_it_everywhere(client: httpx.AsyncClient, board: dict) -> None:
    headers = board["tokens"]["member"]
    for path in reads(board):
        if path.endswith(("/new", "/edit", "/suggestions", "/matches", "/editors")):
            continue
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        assert NEED["title"] in response.text, path


async def test_a_held_suggestion_is_for_its_author_and_the_editors_only(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug, tokens = board["slug"], board["tokens"]
    suggested = await client.post(
        f"/api/v1/spaces/{slug}/board",
        json={**NEED, "title": "A suggestion in waiting"},
        headers=tokens["member"],
    )
    notice_id = suggested.json()["id"]
    assert (await client.get(f"/api/v1/notices/{notice_id}", headers=tokens["owner"])).is_success
    # Another member of the space sees neither the notice nor its count.
    other = tokens["editor"]
    gone = await client.delete(
        f"/api/v1/spaces/{slug}/board/editors/{board['users']['editor'].id}",
        headers=tokens["owner"],
    )
    assert gone.status_code == 204
    assert (await client.get(f"/api/v1/notices/{notice_id}", headers=other)).status_code == 404
    for path in (
        f"/api/v1/spaces/{slug}/board/suggestions",
        f"/spaces/{slug}/board/suggestions",
        f"/spaces/{slug}/board",
        f"/api/v1/spaces/{slug}/board/export?format=json",
        f"/api/v1/spaces/{slug}/board/feed",
    ):
        response = await client.get(path, headers=other)
        assert "A suggestion in waiting" not in response.text, path
        assert "suggestion awaits review" not in response.text, path
