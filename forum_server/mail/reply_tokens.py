"""Reply addresses: `reply+<token>@FORUM_MAIL_DOMAIN`, one per recipient and per thing
answered (a post, a thread, or a session to start a topic in).

The token is the account and the target, the day it was handed out and the account's
sign-in generation, signed with the site's secret key: 25 bytes written in base32,
40 letters and digits. Base32 has one case, so a mail system that lower-cases local
parts changes nothing. The signature is checked without the database (the receiver
refuses forgeries while the sender is still connected); the generation and the age
are checked against the account when the message is handled, so that a password
change, deactivation or site-wide suspension ends every address handed out before.
The token, never the From: header, says who is writing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.orm import utcnow
from forum_server.settings import Settings

PREFIX = "reply+"
# An address keeps working this long after it was handed out.
VALID_FOR = timedelta(days=365)
KINDS = {"post": b"p", "thread": b"t", "session": b"s"}
_KIND_OF = {code: name for name, code in KINDS.items()}
_DAY_ZERO = date(2000, 1, 1)
_PAYLOAD = struct.Struct(">cIIHH")  # kind, user, target, day, generation: 13 bytes
_MAC_BYTES = 12
_TOKEN_CHARS = 40  # (13 + 12) bytes in base32, no padding
_PURPOSE = b"forum reply address\x00"


@dataclass(frozen=True)
class ReplyToken:
    """Who may write, and to what: `kind` is `post` (a reply to that post), `thread`
    (a contribution to that thread) or `session` (a new topic in that session)."""

    kind: str
    user_id: int
    target_id: int
    issued: date
    generation: int  # the account's sign-in generation, modulo 2**16

    def expired(self, today: date) -> bool:
        return today - self.issued > VALID_FOR


@dataclass(frozen=True)
class ReplyTarget:
    """What a message's reply address answers, for its recipient (whose sign-in
    generation it carries)."""

    kind: str
    target_id: int
    generation: int


def new_token(user_id: int, target: ReplyTarget, today: date) -> ReplyToken:
    return ReplyToken(target.kind, user_id, target.target_id, today, target.generation % 2**16)


def _mac(secret_key: str, payload: bytes) -> bytes:
    return hmac.new(secret_key.encode(), _PURPOSE + payload, hashlib.sha256).digest()[:_MAC_BYTES]


def encode(secret_key: str, token: ReplyToken) -> str:
    payload = _PAYLOAD.pack(
        KINDS[token.kind],
        token.user_id,
        token.target_id,
        (token.issued - _DAY_ZERO).days,
        token.generation % 2**16,
    )
    return base64.b32encode(payload + _mac(secret_key, payload)).decode().lower()


def decode(secret_key: str, text: str) -> ReplyToken | None:
    """The token these characters are, or None if they are not one this site signed."""
    if len(text) != _TOKEN_CHARS or not text.isascii():
        return None
    try:
        raw = base64.b32decode(text.upper())
    except ValueError:
        return None
    payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    if not hmac.compare_digest(mac, _mac(secret_key, payload)):
        return None
    kind, user_id, target_id, day, generation = _PAYLOAD.unpack(payload)
    if kind not in _KIND_OF:
        return None
    return ReplyToken(
        _KIND_OF[kind], user_id, target_id, _DAY_ZERO + timedelta(days=day), generation
    )


def address(settings: Settings, token: ReplyToken) -> str:
    return f"{PREFIX}{encode(settings.secret_key, token)}@{settings.message_domain.lower()}"


def token_of(settings: Settings, recipient: str) -> ReplyToken | None:
    """The token of a reply address of this site (any case, with or without angle
    brackets), or None for any other address."""
    local, at, domain = recipient.strip().strip("<>").rpartition("@")
    if not at or domain.lower().rstrip(".") != settings.message_domain.lower():
        return None
    if not local.lower().startswith(PREFIX):
        return None
    return decode(settings.secret_key, local[len(PREFIX) :])


async def topic_address(
    db: AsyncSession, settings: Settings, user_id: int | None, session_id: int
) -> str | None:
    """The address at which this person starts a topic in the session by mail (the
    caller asked the policy whether they may start one)."""
    if user_id is None:
        return None
    generation = await db.scalar(select(User.sign_in_generation).where(User.id == user_id))
    if generation is None:
        return None
    target = ReplyTarget("session", session_id, generation)
    return address(settings, new_token(user_id, target, utcnow().date()))
