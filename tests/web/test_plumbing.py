"""What every response promises: headers, error formats, limits, the API description."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from forum_server.app import all_api_routers


async def test_home_page_has_security_headers(client: httpx.AsyncClient):
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in response.text  # no inline script anywhere


async def test_unknown_api_path_is_json_404(client: httpx.AsyncClient):
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_unknown_page_is_an_html_404(client: httpx.AsyncClient):
    response = await client.get("/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text


async def test_oversized_body_is_413(client: httpx.AsyncClient, app):
    limit = app.state.ctx.settings.max_body_bytes
    response = await client.post(
        "/api/v1/users",
        content=b"{" + b" " * limit + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def test_form_with_thousands_of_fields_is_refused(client: httpx.AsyncClient):
    from tests.helpers import csrf_from

    token = await csrf_from(client)
    fields = {f"f{i}": "x" for i in range(2000)} | {"csrf_token": token}
    response = await client.post("/login", data=fields)
    assert response.status_code == 400


async def test_every_request_gets_an_id_and_one_log_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger="forum_server.requests"):
        response = await client.get("/healthz?secret=hunter2")
    request_id = response.headers["x-request-id"]
    lines = [r.getMessage() for r in caplog.records if r.name == "forum_server.requests"]
    assert len(lines) == 1
    assert request_id in lines[0] and "/healthz" in lines[0]
    assert "hunter2" not in lines[0]


def plain(path: str) -> str:
    return re.sub(r"{(\w+):\w+}", r"{\1}", path)


# Streams that never end are documented in docs/api.md beside the live socket, not in
# the OpenAPI document (a client generated from it could not read them).
STREAMS = {("/api/v1/live/events", "GET")}


async def test_openapi_describes_every_api_route(client: httpx.AsyncClient, app):
    document = (await client.get("/api/v1/openapi.json")).json()
    described = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    mounted = {
        (plain(route.path), method)
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/api/")
        for method in (route.methods or set()) - {"HEAD"}
    }
    assert mounted >= STREAMS and mounted - STREAMS == described
    declared = {
        (plain(op.path), op.method) for router in all_api_routers() for op in router.operations
    }
    assert declared == described
    assert "UserCreate" in document["components"]["schemas"]


# Operations whose answers are not declared yet. This list only shrinks.
UNDECLARED: set[tuple[str, str]] = set()


async def test_every_answer_with_a_body_is_described(client: httpx.AsyncClient):
    document = (await client.get("/api/v1/openapi.json")).json()
    undescribed = set()
    for path, methods in document["paths"].items():
        for method, entry in methods.items():
            (status, success), *_ = entry["responses"].items()
            if status != "204" and "content" not in success:
                undescribed.add((method.upper(), path))
    assert undescribed == UNDECLARED


async def test_openapi_document_is_valid_openapi_3_1(client: httpx.AsyncClient):
    document = (await client.get("/api/v1/openapi.json")).json()
    validate(document)  # the schema of OpenAPI 3.1, with every $ref resolved


async def test_large_pages_are_compressed(client: httpx.AsyncClient):
    response = await client.get("/register", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"


async def test_health(client: httpx.AsyncClient):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ok", "database": "ok"}


async def test_liveness_needs_no_database_and_readiness_says_when_it_is_gone(
    app, client: httpx.AsyncClient
):
    """A database that stops answering leaves the process alive (so it is not
    restarted for nothing) but not ready (so no traffic is sent to it)."""
    db = app.state.ctx.db

    class Gone:
        def read(self):  # type: ignore[no-untyped-def]
            raise ConnectionRefusedError("the database went away")

    app.state.ctx.db = Gone()
    try:
        assert (await client.get("/healthz")).status_code == 200
        answer = await client.get("/readyz")
        assert answer.status_code == 503 and answer.json()["status"] == "unavailable"
    finally:
        app.state.ctx.db = db


async def test_signed_in_answers_are_never_cached(
    client: httpx.AsyncClient, make_user, make_space, add_member
):
    from tests.helpers import bearer, sign_in, token_for

    member = await make_user()
    slug = await make_space(visibility="members")
    await add_member(slug, member.id)
    anonymous = await client.get("/")
    assert "no-store" not in anonymous.headers.get("cache-control", "")

    token = await token_for(client, member)
    for path in ("/api/v1/me", f"/api/v1/spaces/{slug}", "/api/v1/nothing-here"):
        response = await client.get(path, headers=bearer(token))
        assert response.headers["cache-control"] == "private, no-store", path
    refused = await client.get("/api/v1/me", headers=bearer("not-a-token"))
    assert refused.status_code == 401
    assert refused.headers["cache-control"] == "private, no-store"

    await sign_in(client, member)  # the sign-in answer itself sets the cookie
    for path in ("/", f"/spaces/{slug}", f"/api/v1/spaces/{slug}", "/profile"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "private, no-store", path
    # The same stylesheet for everyone: still cacheable when signed in.
    style = await client.get("/static/forum.css")
    assert style.status_code == 200 and "no-store" not in style.headers.get("cache-control", "")


async def test_the_sign_in_answer_is_not_cached(client: httpx.AsyncClient, make_user):
    from tests.helpers import PASSWORD, csrf_from

    user = await make_user()
    token = await csrf_from(client)
    response = await client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303 and "forum_session=" in response.headers["set-cookie"]
    assert response.headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize("path", ["/invitations/not-a-real-token", "/confirm-email/nope"])
async def test_pages_behind_secret_links_are_not_cached(client: httpx.AsyncClient, path: str):
    response = await client.get(path)
    assert response.headers["cache-control"] == "private, no-store"


async def test_sign_in_works_at_any_loopback_name_of_the_address_served(
    tmp_path, database_url: str, make_user
):
    """FORUM_BASE_URL unset, `serve --port 8201`: a browser at localhost:8201 signs in."""
    from forum_server.app import create_app
    from forum_server.web.server import serving_at
    from tests.helpers import PASSWORD, csrf_from, make_settings

    settings, _ = serving_at(make_settings(tmp_path, database_url, base_url=""), "127.0.0.1", 8201)
    app = create_app(settings)
    user = await make_user()
    async with app.router.lifespan_context(app):
        for address in ("http://localhost:8201", "http://127.0.0.1:8201", "http://[::1]:8201"):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=address) as browser:
                token = await csrf_from(browser)
                response = await browser.post(
                    "/login",
                    data={"email": user.email, "password": PASSWORD, "csrf_token": token},
                    headers={"Origin": address},
                )
                assert response.status_code == 303, (address, response.text[:500])


async def test_a_refused_origin_gets_a_styled_page_saying_what_to_set(
    client: httpx.AsyncClient, make_user
):
    from tests.helpers import PASSWORD, csrf_from

    user = await make_user()
    token = await csrf_from(client)
    response = await client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "http://localhost:8201"},
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "/static/forum.css" in page and 'class="site-header' in page  # the site's layout
    assert "Not allowed" in page
    assert "http://localhost:8201" in page and "FORUM_BASE_URL" in page
    api = await client.post(
        "/api/v1/tokens",
        json={"email": user.email, "password": PASSWORD},
        headers={"Origin": "http://localhost:8201", "Cookie": "forum_session=x"},
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "csrf_failed"
