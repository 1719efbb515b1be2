"""Schema-driven fuzzing: every operation of /api/v1/openapi.json, fed generated valid
and invalid input by schemathesis, signed out and as the secretariat, against a forum
with a space, a session, a thread and posts in it. Any 5xx fails the test."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import Counter
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

# Examples per operation and generation mode: about 60 operations, three kinds, two
# callers stay well under a minute per database.
# schemathesis's own strategies draw from the `random` module, which Hypothesis now
# warns about (now and then, so it would fail the run at random): not our code.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")

EXAMPLES = 4


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
    ana = await make_user(display_name="Ana")
    for _ in range(8):
        # Generated ids are mostly small: these take the suspensions and deactivations
        # meant for them, so the secretariat's run keeps its own account.
        await make_user()
    admin = await make_user(display_name="Secretariat", is_secretariat=True)
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


@dataclass(frozen=True)
class Sent:
    """One request, as plain values: a generated case, or a hostile variant of one."""

    method: str
    url: str
    params: Any
    headers: dict[str, str]
    body: bytes | None

    def describe(self) -> str:
        return f"{self.method} {self.url} params={self.params!r} body={self.body!r:.200}"


def as_sent(case: Any, base_url: str) -> Sent:
    """The case as schemathesis serializes it (for `requests`)."""
    kwargs = case.as_transport_kwargs(base_url=base_url)
    body: Any = kwargs.get("data")
    if "json" in kwargs:
        body = json.dumps(kwargs["json"], default=str).encode()
    elif isinstance(body, str):
        body = body.encode()
    return Sent(
        kwargs["method"], kwargs["url"], kwargs.get("params"), dict(kwargs.get("headers", {})), body
    )


# Besides what schemathesis generates: numbers past what the id columns hold, times at
# and past datetime's limits, and JSON nested deeper than the parser's stack.
BIG_NUMBERS = [2**31, 2**63, 2**64 + 1, 10**30]
ODD_TIMES: list[Any] = [
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "99999-01-01T00:00:00Z",
    10**20,
    1e308,
]
TIME_NAMES = {"opens_at", "closes_at", "until", "since"}
DEEP = ("[" * 5_000 + "]" * 5_000).encode()


def hostile(sent: Sent, operation: Any) -> list[Sent]:
    """Variants of a valid request with one hostile value each."""
    variants: list[Sent] = []
    origin, _, path = sent.url.partition("/api/")
    current = _path_values(operation.path, "/api/" + path)
    for name in current:
        if name in {"slug", "token"}:
            continue
        for big in BIG_NUMBERS:
            url = origin + operation.path.format(**{**current, name: big})
            variants.append(Sent(sent.method, url, sent.params, sent.headers, sent.body))
    for parameter in operation.query:
        name = parameter.name
        values: list[Any] = ODD_TIMES if name in TIME_NAMES else [*BIG_NUMBERS, -1]
        for value in values:
            params = {**(sent.params or {}), name: str(value)}
            variants.append(Sent(sent.method, sent.url, params, sent.headers, sent.body))
    if sent.body is not None:
        json_headers = {**sent.headers, "content-type": "application/json"}
        variants.append(Sent(sent.method, sent.url, sent.params, json_headers, DEEP))
        variants.append(
            Sent(sent.method, sent.url, sent.params, json_headers, b'{"body": ' + DEEP + b"}")
        )
        try:
            body = json.loads(sent.body)
        except ValueError:
            body = None
        if isinstance(body, dict):
            for key, value in body.items():
                if key in TIME_NAMES:
                    choices: list[Any] = ODD_TIMES
                elif isinstance(value, int) and not isinstance(value, bool):
                    choices = BIG_NUMBERS
                elif isinstance(value, list) and value and isinstance(value[0], int):
                    choices = [[big] for big in BIG_NUMBERS]
                else:
                    continue
                for choice in choices:
                    changed = json.dumps({**body, key: choice}).encode()
                    variants.append(Sent(sent.method, sent.url, sent.params, json_headers, changed))
    return variants


def _path_values(template: str, path: str) -> dict[str, str]:
    """The values `path` has where `template` names its parameters."""
    pattern = re.escape(template)
    for name in re.findall(r"{(\w+)}", template):
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>[^/]+)")
    found = re.fullmatch(pattern, path)
    return found.groupdict() if found else {}


async def fuzz(
    app: Starlette, client: httpx.AsyncClient, headers: Callable[[], dict[str, str]], forum: Forum
) -> tuple[list[str], Counter[int]]:
    """Every operation: generated valid and invalid input, and hostile variants of a
    valid request. Returns the requests answered 5xx (or 4xx without an error code),
    and how many got each status."""
    document = (await client.get("/api/v1/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    loop = asyncio.get_running_loop()
    base_url = str(client.base_url)
    failures: list[str] = []
    answered: Counter[int] = Counter()

    async def request(sent: Sent, caller_headers: dict[str, str]) -> httpx.Response:
        return await client.request(
            sent.method,
            sent.url,
            params=sent.params,
            headers={**sent.headers, **caller_headers},
            content=sent.body,
        )

    def send(sent: Sent, caller_headers: dict[str, str]) -> None:
        try:
            response = asyncio.run_coroutine_threadsafe(request(sent, caller_headers), loop).result(
                timeout=30
            )
        except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
            return  # not sendable over HTTP: nothing reached the server
        answered[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{sent.describe()} -> {response.status_code}")
        elif response.status_code >= 400 and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            error = response.json().get("error", {})
            if not (error.get("code") and error.get("message")):
                failures.append(f"{sent.describe()}: no error code")

    def explore(
        strategy: Any, caller_headers: dict[str, str], operation: Any, with_hostile: bool
    ) -> None:
        done = False

        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            nonlocal done
            sent = as_sent(case, base_url)
            send(sent, caller_headers)
            if with_hostile and not done:
                done = True
                for variant in hostile(sent, operation):
                    send(variant, caller_headers)

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
            # Aimed at things that exist, so that the deeper checks run too.
            aimed = operation.as_strategy(
                generation_mode=GenerationMode.POSITIVE, path_parameters=known
            )
            explore(aimed, headers(), operation, with_hostile=True)
            explore(
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
                headers(),
                operation,
                with_hostile=False,
            )
            if known:
                explore(
                    operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                    headers(),
                    operation,
                    with_hostile=False,
                )

    await asyncio.to_thread(run)
    return failures, answered


async def test_no_input_makes_the_api_fail_signed_out(app, client, forum: Forum):
    failures, _ = await fuzz(app, client, dict, forum)
    assert not failures, f"{len(failures)} answered 5xx:\n" + "\n".join(failures[:20])


async def test_no_input_makes_the_api_fail_for_the_secretariat(app, client, db: Database, forum):
    loop = asyncio.get_running_loop()

    async def fresh_token() -> str:
        async with db.write() as uow:
            return await credentials.create_api_token(uow, forum.admin_id, "fuzz")

    def headers() -> dict[str, str]:
        # A new token for each operation: the fuzzer may revoke the one it was given.
        token = asyncio.run_coroutine_threadsafe(fresh_token(), loop).result(timeout=30)
        return bearer(token)

    failures, answered = await fuzz(app, client, headers, forum)
    assert not failures, f"{len(failures)} answered 5xx:\n" + "\n".join(failures[:20])
    # It did get past sign-in: most operations answered, few asked who is calling.
    assert sum(n for status, n in answered.items() if status < 300) >= 50, answered
    assert answered[401] * 20 < sum(answered.values()), answered
