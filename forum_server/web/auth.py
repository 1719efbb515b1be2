"""Who is calling: a bearer token, a sign-in cookie, or nobody."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse, Response

from forum_server.accounts import credentials
from forum_server.db import UnitOfWork
from forum_server.errors import Unauthorized
from forum_server.policy import ANONYMOUS, Actor
from forum_server.settings import Settings
from forum_server.web.context import app_context
from forum_server.web.language import adopt_account_language

SESSION_COOKIE = "forum_session"


def bearer_token(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


async def actor_of(conn: HTTPConnection) -> Actor:
    """The caller, resolved once per request. A bearer token that is wrong, expired or
    revoked is an error (401), not a silent fall back to anonymous."""
    cached: Actor | None = getattr(conn.state, "actor", None)
    if cached is not None:
        return cached
    ctx = app_context(conn)
    actor: Actor | None = ANONYMOUS
    token = bearer_token(conn)
    if token is not None:
        actor = await ctx.identities.for_api_token(token) if token else None
        if actor is None:
            raise Unauthorized("The API token is not valid.", code="invalid_token")
        conn.state.auth = "bearer"
    elif cookie := conn.cookies.get(SESSION_COOKIE):
        actor = await ctx.identities.for_login_session(cookie, days=ctx.settings.session_days)
        conn.state.auth = "cookie" if actor else None
    actor = actor or ANONYMOUS
    conn.state.actor = actor
    adopt_account_language(actor)
    return actor


async def begin_sign_in(uow: UnitOfWork, conn: HTTPConnection, user_id: int) -> str:
    """A fresh login session for the user, its token for the cookie. One the browser
    brought along is ended, never reused (nor left for whoever planted it)."""
    settings = app_context(conn).settings
    if old := conn.cookies.get(SESSION_COOKIE):
        await credentials.end_login_session(uow, old)
    return await credentials.start_login_session(
        uow, user_id, days=settings.session_days, user_agent=conn.headers.get("user-agent")
    )


async def signed_in_redirect(conn: HTTPConnection, user_id: int, target: str) -> Response:
    """Sign the user in (`begin_sign_in`) and send the browser on to `target`."""
    ctx = app_context(conn)
    async with ctx.db.write() as uow:
        token = await begin_sign_in(uow, conn, user_id)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, ctx.settings, token)
    return response


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        secure=settings.cookies_secure,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, secure=settings.cookies_secure, samesite="lax"
    )


def client_address(conn: HTTPConnection, settings: Settings) -> str:
    if settings.trust_proxy_headers:
        forwarded = conn.headers.get("x-forwarded-for", "")
        if forwarded:
            # The last hop is the one our own proxy appended; earlier ones are hearsay.
            return forwarded.split(",")[-1].strip()
    return conn.client.host if conn.client else "unknown"
