"""Opaque secrets handed to clients: browser sign-in tokens and API tokens.

Clients get a random token once; we store only its SHA-256, so the table is
useless to a thief, and a lookup by hash is an ordinary index hit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from forum_server.accounts.models import ApiToken, LoginSession, User
from forum_server.accounts.standing import standing_of
from forum_server.db import Database, UnitOfWork
from forum_server.errors import NotFound
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_sign_in

API_TOKEN_PREFIX = "fst_"
# Touch last_seen at most this often, so reads don't all turn into writes.
_TOUCH_EVERY = timedelta(minutes=5)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "") -> tuple[str, str]:
    """A fresh (token, hash) pair."""
    token = prefix + secrets.token_urlsafe(32)
    return token, token_digest(token)


async def start_login_session(
    uow: UnitOfWork, user_id: int, *, days: int, user_agent: str | None = None
) -> str:
    """A new browser sign-in for the user; returns the cookie value.

    Always a new token, never one the browser brought along (no session fixation).
    Raises Forbidden for a deactivated or site-wide suspended account, whichever way
    it is signing in.
    """
    await check_may_start(uow, user_id)
    token, digest = new_token()
    now = utcnow()
    uow.session.add(
        LoginSession(
            token_hash=digest,
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=days),
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    await uow.flush()
    return token


async def check_may_start(uow: UnitOfWork, user_id: int) -> None:
    """Raises unless the account may get a new sign-in or token now (the policy decides)."""
    user = await uow.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    check_may_sign_in(await standing_of(uow.session, user))


async def end_login_session(uow: UnitOfWork, token: str) -> int | None:
    """Ends the sign-in; returns its user's id (None when there was none to end)."""
    ended = await uow.session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == token_digest(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(LoginSession.user_id)
    )
    user_id = ended.scalar_one_or_none()
    if user_id is not None:
        uow.accounts_changed.add(user_id)
    return user_id


async def end_all_login_sessions(uow: UnitOfWork, user_id: int) -> None:
    """Signs the user out everywhere (password change, suspension, deactivation), and
    ends the reply-by-mail addresses handed out so far (they carry the generation)."""
    uow.accounts_changed.add(user_id)
    await uow.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    await uow.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(sign_in_generation=User.sign_in_generation + 1)
    )


async def revoke_all_api_tokens(uow: UnitOfWork, user_id: int) -> None:
    """Ends every API token of the user (a password change: one minted with a stolen
    password must not outlive it)."""
    uow.accounts_changed.add(user_id)
    await uow.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def create_api_token(uow: UnitOfWork, user_id: int, name: str | None) -> str:
    await check_may_start(uow, user_id)
    token, digest = new_token(API_TOKEN_PREFIX)
    uow.session.add(ApiToken(token_hash=digest, user_id=user_id, name=name or "api"))
    await uow.flush()
    return token


async def revoke_api_token(uow: UnitOfWork, token: str) -> int | None:
    """Ends the token; returns its user's id (None when there was none to end)."""
    ended = await uow.session.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(ApiToken.user_id)
    )
    user_id = ended.scalar_one_or_none()
    if user_id is not None:
        uow.accounts_changed.add(user_id)
    return user_id


def actor_of_account(user: User) -> Actor:
    """The actor an account acts as (a sign-in, an API token, a reply by mail)."""
    return Actor(
        user_id=user.id,
        display_name=user.display_name,
        is_secretariat=user.is_secretariat,
        language=user.language,
        time_zone=user.time_zone,
    )


async def actor_for_login_session(db: Database, token: str, *, days: int) -> Actor | None:
    """The signed-in user behind a cookie, or None if it is unknown, expired or revoked."""
    found = await login_session_identity(db, token, days=days)
    return found[0] if found else None


async def login_session_identity(
    db: Database, token: str, *, days: int
) -> tuple[Actor, datetime] | None:
    """The signed-in user behind a cookie and when the sign-in ends (unless used), or
    None if it is unknown, expired or revoked.

    Sliding expiry: a sign-in in use stays alive; one left alone for `days` ends.
    The write that slides it happens at most every few minutes, not on every request.
    """
    now = utcnow()
    async with db.read() as session:
        row = (
            await session.execute(
                select(LoginSession, User)
                .join(User, User.id == LoginSession.user_id)
                .where(LoginSession.token_hash == token_digest(token))
            )
        ).first()
    if row is None:
        return None
    login, user = row
    if login.revoked_at is not None or login.expires_at <= now or not user.is_active:
        return None
    expires_at = login.expires_at
    if now - login.last_seen_at > _TOUCH_EVERY:
        expires_at = now + timedelta(days=days)
        async with db.write() as uow:
            await uow.session.execute(
                update(LoginSession)
                .where(LoginSession.id == login.id)
                .values(last_seen_at=now, expires_at=expires_at)
            )
    return actor_of_account(user), expires_at


async def actor_for_api_token(db: Database, token: str) -> Actor | None:
    """The user behind an API token, or None if it is unknown, expired or revoked (or
    its account deactivated). Raises Forbidden `suspended` during a site-wide suspension."""
    found = await api_token_identity(db, token)
    return found[0] if found else None


async def api_token_identity(db: Database, token: str) -> tuple[Actor, datetime | None] | None:
    """`actor_for_api_token`, and when the token expires (None: when revoked)."""
    now = utcnow()
    async with db.read(inline=True) as session:
        row = (
            await session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == token_digest(token))
            )
        ).first()
        if row is None:
            return None
        api_token, user = row
        expired = api_token.expires_at is not None and api_token.expires_at <= now
        if api_token.revoked_at is not None or expired or not user.is_active:
            return None
        # A site-wide suspension refuses the token while it lasts, saying why and until when.
        check_may_sign_in(await standing_of(session, user))
    if api_token.last_used_at is None or now - api_token.last_used_at > _TOUCH_EVERY:
        async with db.write() as uow:
            await uow.session.execute(
                update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now)
            )
    return actor_of_account(user), api_token.expires_at
