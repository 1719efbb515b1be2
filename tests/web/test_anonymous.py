"""Every API operation that needs a caller answers an anonymous one with 401, before
looking anything up: nobody learns what exists, or is told 403 or 404, unsigned."""

from __future__ import annotations

import re

import httpx
import pytest

from forum_server.app import all_api_routers

SIGNED_IN_ONLY = sorted(
    {
        (op.method, op.path)
        for router in all_api_routers()
        for op in router.operations
        if op.auth == "required"
    }
)


def concrete(path: str) -> str:
    """A path of the pattern with made-up values: a space, ids and tokens that exist or
    not — the answer must not depend on it."""
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: "demo" if m[1] in {"slug", "token"} else "1", path)


def test_operations_that_need_a_caller_are_found() -> None:
    assert len(SIGNED_IN_ONLY) >= 40


@pytest.mark.parametrize(("method", "path"), SIGNED_IN_ONLY)
async def test_anonymous_callers_are_asked_to_sign_in(
    client: httpx.AsyncClient, make_space, method: str, path: str
) -> None:
    await make_space(slug="demo")
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    response = await client.request(method, concrete(path), json=body)
    assert response.status_code == 401, (method, path, response.text)
    assert response.json()["error"]["code"]
