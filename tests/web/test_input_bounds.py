"""Hostile numbers, times and nesting: ids past what the database holds, in paths,
query strings, bodies, forms and live frames; JSON nested a thousand deep; times at
and past datetime's limits. Each gets a clear 4xx with an error code, never a 500."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.routing import Route, WebSocketRoute

from forum_server.live.protocol import ProtocolError, Subscribe
from forum_server.live.protocol import parse as parse_frame
from forum_server.schemas import MAX_ID
from forum_server.web.routing import IdConvertor
from tests.conftest import MakeUser
from tests.helpers import bearer, csrf_from, sign_in, token_for

BIG_IDS = [MAX_ID + 1, 2**63, 2**64 + 1, 10**30]
ODD_TIMES: list[Any] = [
    "0000-01-01T00:00:00+00:00",
    "0001-01-01T00:00:00+05:00",  # before year 1 once in UTC
    "9999-12-31T23:59:59-05:00",  # after year 9999 once in UTC
    "99999-01-01T00:00:00+00:00",
    "1969-12-31T23:59:59+00:00",
    10**20,
    -(10**20),
    1e308,
]


def assert_refused(response: httpx.Response, *statuses: int) -> None:
    """A 4xx (one of `statuses` when given) in the API's error format."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:300])
    error = response.json()["error"]
    assert error["code"] and error["message"]


@pytest.fixture
async def forum(client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session):
    admin = await make_user(display_name="Secretariat", is_secretariat=True)
    slug = await make_space()
    session_id = await make_session(slug, moderator_ids=[admin.id])
    thread_id = (await client.get(f"/api/v1/sessions/{session_id}")).json()["questions"][0][
        "thread_id"
    ]
    return {
        "admin": admin,
        "headers": bearer(await token_for(client, admin)),
        "slug": slug,
        "session_id": session_id,
        "thread_id": thread_id,
    }


def test_id_paths_match_only_ids_the_database_holds(app):
    """Every `{x:int}` route, API, page and socket alike, uses the bounded convertor."""
    declared = 0
    for route in app.routes:
        if not isinstance(route, Route | WebSocketRoute):
            continue
        for name in re.findall(r"{(\w+):int}", route.path):
            declared += 1
            assert isinstance(route.param_convertors[name], IdConvertor), route.path
    assert declared > 30
    convertor = IdConvertor()
    pattern = re.compile(convertor.regex + r"\Z")
    for good in (1, 9, 10, 1_999_999_999, 2_147_483_639, MAX_ID):
        assert pattern.match(str(good)), good
    for bad in (0, MAX_ID + 1, 2_147_483_650, 2_200_000_000, 9_999_999_999, 2**63):
        assert not pattern.match(str(bad)), bad


@pytest.mark.parametrize("big", BIG_IDS)
async def test_big_ids_in_every_api_path_are_404(client, forum, big: int):
    document = (await client.get("/api/v1/openapi.json")).json()
    for template, operations in document["paths"].items():
        names = re.findall(r"{(\w+)}", template)
        if not names or names == ["slug"] or "token" in names:
            continue
        path = template.replace("{slug}", forum["slug"])
        for name in names:
            path = path.replace("{" + name + "}", str(big))
        for method in operations:
            response = await client.request(method.upper(), path, headers=forum["headers"])
            assert_refused(response, 404)
            assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/sessions/99999999999999999999", f"/threads/{MAX_ID + 1}", f"/sessions/{2**64}"]
)
async def test_big_ids_in_page_paths_are_a_404_page(client: httpx.AsyncClient, path: str):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text


@pytest.mark.parametrize("big", [str(n) for n in BIG_IDS] + ["-1", "1.5", "１２"])
async def test_big_numbers_in_query_strings_are_422(client, forum, big: str):
    for path, name in [
        (f"/api/v1/threads/{forum['thread_id']}/posts", "after"),
        (f"/api/v1/threads/{forum['thread_id']}/posts", "limit"),
        (f"/api/v1/spaces/{forum['slug']}/audit", "actor"),
        (f"/api/v1/spaces/{forum['slug']}/audit", "after"),
    ]:
        response = await client.get(path, params={name: big}, headers=forum["headers"])
        assert_refused(response, 422)
        assert response.json()["error"]["field"] == name


async def test_the_largest_id_is_still_an_ordinary_query(client, forum):
    posts = await client.get(
        f"/api/v1/threads/{forum['thread_id']}/posts",
        params={"after": MAX_ID, "limit": MAX_ID},
        headers=forum["headers"],
    )
    assert posts.status_code == 200 and posts.json()["items"] == []


@pytest.mark.parametrize("big", BIG_IDS)
async def test_big_ids_in_bodies_are_422(client, forum, big: int):
    cases = [
        (f"/api/v1/threads/{forum['thread_id']}/posts", {"body": "Hi", "parent_id": big}),
        (
            f"/api/v1/spaces/{forum['slug']}/sessions",
            {"title": "Second", "moderator_ids": [big]},
        ),
        (f"/api/v1/spaces/{forum['slug']}/suspensions", {"user_id": big, "reason": "spam"}),
        ("/api/v1/suspensions", {"user_id": big, "reason": "spam"}),
    ]
    for path, body in cases:
        response = await client.post(path, json=body, headers=forum["headers"])
        assert_refused(response, 422)
    moderators = f"/api/v1/sessions/{forum['session_id']}/moderators"
    response = await client.put(moderators, json={"moderator_ids": [big]}, headers=forum["headers"])
    assert_refused(response, 422)


@pytest.mark.parametrize("when", ODD_TIMES)
async def test_out_of_range_times_in_bodies_are_422(client, forum, when: Any):
    session = f"/api/v1/sessions/{forum['session_id']}"
    cases = [
        ("PATCH", session, {"closes_at": when}),
        ("POST", f"{session}/reopen", {"closes_at": when}),
        ("POST", f"/api/v1/spaces/{forum['slug']}/sessions", {"title": "T", "opens_at": when}),
        (
            "POST",
            f"/api/v1/spaces/{forum['slug']}/suspensions",
            {"user_id": forum["admin"].id, "reason": "spam", "until": when},
        ),
    ]
    for method, path, body in cases:
        response = await client.request(method, path, json=body, headers=forum["headers"])
        assert_refused(response, 409, 422)  # reopen of an open session may answer 409 first


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0000-01-01", "nonsense"]
)
async def test_out_of_range_times_in_query_strings_are_422(client, forum, when: str):
    for name in ("since", "until"):
        response = await client.get(
            f"/api/v1/spaces/{forum['slug']}/audit", params={name: when}, headers=forum["headers"]
        )
        assert_refused(response, 422)
        assert response.json()["error"]["field"] == name


@pytest.mark.parametrize("depth", [1_000, 100_000])
async def test_deeply_nested_json_is_400(client, forum, depth: int):
    nested = "[" * depth + "]" * depth
    for body in (nested, '{"body": ' + nested + "}"):
        response = await client.post(
            f"/api/v1/threads/{forum['thread_id']}/posts",
            content=body.encode(),
            headers={**forum["headers"], "content-type": "application/json"},
        )
        assert_refused(response, 400, 422)


async def test_pages_refuse_out_of_range_ids_and_times(
    client: httpx.AsyncClient, forum, make_user: MakeUser
):
    await sign_in(client, forum["admin"])
    session_page = f"/sessions/{forum['session_id']}"
    token = await csrf_from(client, session_page)
    for when in ("0001-01-01T00:00+05:00", "9999-12-31T23:59-05:00", "0000-01-01T00:00"):
        response = await client.post(
            f"{session_page}/extend", data={"closes_at": when, "csrf_token": token}
        )
        assert 400 <= response.status_code < 500, response.status_code
        assert "New closing time" in response.text
    response = await client.post(
        f"/threads/{forum['thread_id']}/posts",
        data={"body": "Hello", "parent_id": str(2**63), "csrf_token": token},
    )
    assert 400 <= response.status_code < 500
    response = await client.post(
        f"/moderation/spaces/{forum['slug']}/suspensions",
        data={"user_id": str(2**40), "reason": "spam", "csrf_token": token},
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ({"type": "subscribe", "session_id": MAX_ID + 1}, "session_id"),
        ({"type": "subscribe", "session_id": 2**64}, "session_id"),
        ({"type": "unsubscribe", "session_id": 2**63}, "session_id"),
        ({"type": "subscribe", "session_id": 1, "after": 2**63}, "after"),
    ],
)
def test_live_frames_refuse_ids_the_database_cannot_hold(frame: dict[str, Any], field: str):
    import json

    with pytest.raises(ProtocolError) as refused:
        parse_frame(json.dumps(frame))
    assert refused.value.code == "invalid" and refused.value.field == field


def test_live_frames_take_the_largest_ids():
    import json

    frame = {"type": "subscribe", "session_id": MAX_ID, "after": 2**63 - 1}
    assert parse_frame(json.dumps(frame)) == Subscribe(MAX_ID, 2**63 - 1)
