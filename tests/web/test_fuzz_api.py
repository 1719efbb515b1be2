"""Schema-driven fuzzing: every operation of /api/v1/openapi.json, fed generated valid
and invalid input by schemathesis, signed out and as the secretariat, against a forum
with a space, a session, a thread and posts in it. Any 5xx fails the test."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from starlette.applications import Starlette

from forum_server.accounts import credentials
from forum_server.db import Database
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

# Examples per operation and generation mode: about 60 operations, two modes, two
# callers stay well under a minute per database.
EXAMPLES = 6


@dataclass
class Forum:
    admin_id: int
    path_values: dict[str, Any]


@pytest.fixture
async def forum(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session, add_member
) -> Forum:
    """Something for every id to point at: a public and a members space, an open
    session with its questions' threads, posts (one flagged), a suspension."""
    admin = await make_user(display_name="Secretariat", is_secretariat=True)
    ana = await make_user(display_name="Ana")
    slug = await make_space(guest_posting=True)
    await make_space(visibility="members")
    await add_member(slug, ana.id, "member")
    session_id = await make_session(slug, moderator_ids=[admin.id])
    detail = (await client.get(f"/api/v1/sessions/{session_id}")).json()
    question = detail["questions"][0]
    ana_headers = bearer(await token_for(client, ana))
    created = await client.post(
        f"/api/v1/threads/{question['thread_id']}/posts",
        json={"body": "Our authority trained 40 inspectors."},
        headers=ana_headers,
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    flag = await client.post(
        f"/api/v1/posts/{post_id}/flags", json={"reason": "off topic"}, headers=ana_headers
    )
    assert flag.status_code in {200, 201}, flag.text
    return Forum(
        admin_id=admin.id,
        path_values={
            "slug": slug,
            "session_id": session_id,
            "thread_id": question["thread_id"],
            "question_id": question["id"],
            "post_id": post_id,
            "user_id": ana.id,
            "flag_id": 1,
            "suspension_id": 1,
            "invitation_id": 1,
        },
    )


async def _send(client: httpx.AsyncClient, case: Any, headers: dict[str, str]) -> httpx.Response:
    """The case as schemathesis serializes it (for `requests`), sent through httpx."""
    sent = case.as_transport_kwargs(base_url=str(client.base_url))
    content: Any = sent.get("data")
    if "json" in sent:
        content = json.dumps(sent["json"], default=str).encode()
    return await client.request(
        sent["method"],
        sent["url"],
        params=sent.get("params"),
        headers={**sent.get("headers", {}), **headers},
        content=content,
    )


async def fuzz(
    app: Starlette, client: httpx.AsyncClient, headers: Callable[[], dict[str, str]], forum: Forum
) -> list[str]:
    """Every operation, generated valid and invalid; returns the requests answered 5xx."""
    document = (await client.get("/api/v1/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    loop = asyncio.get_running_loop()
    failures: list[str] = []

    def send(case: Any, caller_headers: dict[str, str]) -> None:
        try:
            response = asyncio.run_coroutine_threadsafe(
                _send(client, case, caller_headers), loop
            ).result(timeout=30)
        except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
            return  # not sendable over HTTP: nothing reached the server
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} query={case.query!r} "
                f"body={getattr(case, 'body', None)!r:.200} -> {response.status_code}"
            )
        elif response.status_code >= 400 and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            error = response.json().get("error", {})
            if not (error.get("code") and error.get("message")):
                failures.append(f"{case.method} {case.formatted_path}: no error code")

    def explore(strategy: Any, caller_headers: dict[str, str]) -> None:
        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            send(case, caller_headers)

        # An operation without inputs has no invalid ones to generate.
        with contextlib.suppress(Unsatisfiable):
            check()

    def run() -> None:
        for result in schema.get_all_operations():
            operation = result.ok()
            known = {
                name: value
                for name, value in forum.path_values.items()
                if "{" + name + "}" in operation.path
            }
            strategies = [
                operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            ]
            if known:  # aimed at things that exist, so that the deeper checks run too
                strategies.append(
                    operation.as_strategy(
                        generation_mode=GenerationMode.POSITIVE, path_parameters=known
                    )
                )
            for strategy in strategies:
                explore(strategy, headers())

    await asyncio.to_thread(run)
    return failures


async def test_no_input_makes_the_api_fail_signed_out(app, client, forum: Forum):
    failures = await fuzz(app, client, dict, forum)
    assert failures == []


async def test_no_input_makes_the_api_fail_for_the_secretariat(app, client, db: Database, forum):
    loop = asyncio.get_running_loop()

    async def fresh_token() -> str:
        async with db.write() as uow:
            return await credentials.create_api_token(uow, forum.admin_id, "fuzz")

    def headers() -> dict[str, str]:
        # A new token for each operation: the fuzzer may revoke the one it was given.
        token = asyncio.run_coroutine_threadsafe(fresh_token(), loop).result(timeout=30)
        return bearer(token)

    failures = await fuzz(app, client, headers, forum)
    assert failures == []
