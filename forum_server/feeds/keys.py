"""Personal feed keys: the secret part of a person's calendar and feed addresses.

A calendar program or a feed reader cannot sign in, so members-only calendars and
feeds are reached through an address that carries a key: the account and its feed
generation, signed with the site's secret key (22 bytes in base32, 36 characters).
Nothing secret is stored; resetting moves the generation, and every address handed
out before stops working. The key only says who is asking: what they may read is
decided by the policy on each request, so an address stops showing a members space
the moment its owner stops being a member, and stops working when the account is
deactivated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from sqlalchemy import select, update

from forum_server.accounts.credentials import actor_of_account
from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.policy import Actor, require_signed_in

_PAYLOAD = struct.Struct(">IH")  # user id, feed generation (modulo 2**16)
_MAC_BYTES = 16
_PURPOSE = b"forum feed key\x00"


def _mac(secret_key: str, payload: bytes) -> bytes:
    digest = hmac.new(secret_key.encode(), _PURPOSE + payload, hashlib.sha256).digest()
    return digest[:_MAC_BYTES]


def make_feed_key(secret_key: str, user_id: int, generation: int) -> str:
    payload = _PAYLOAD.pack(user_id, generation % 2**16)
    raw = payload + _mac(secret_key, payload)
    return base64.b32encode(raw).decode().rstrip("=").lower()


def read_feed_key(secret_key: str, key: str) -> tuple[int, int] | None:
    """(user id, generation) of a key this site made, or None for anything else."""
    if len(key) > 64:
        return None
    try:
        raw = base64.b32decode(key.upper() + "=" * (-len(key) % 8))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != _PAYLOAD.size + _MAC_BYTES:
        return None
    payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    if not hmac.compare_digest(mac, _mac(secret_key, payload)):
        return None
    user_id, generation = _PAYLOAD.unpack(payload)
    return user_id, generation


async def actor_for_feed_key(db: Database, secret_key: str, key: str) -> Actor | None:
    """Whom a feed address speaks for: an active account whose current generation the
    key carries; None for a forged, reset or deactivated one."""
    read = read_feed_key(secret_key, key)
    if read is None:
        return None
    user_id, generation = read
    async with db.read() as session:
        user = await session.scalar(select(User).where(User.id == user_id))
    if user is None or not user.is_active or user.feed_key_generation % 2**16 != generation:
        return None
    return actor_of_account(user)


async def feed_key_of(db: Database, secret_key: str, actor: Actor) -> str:
    """The signed-in person's current feed key."""
    user_id = require_signed_in(actor)
    async with db.read() as session:
        generation = await session.scalar(
            select(User.feed_key_generation).where(User.id == user_id)
        )
    return make_feed_key(secret_key, user_id, generation or 0)


async def reset_feed_key(db: Database, secret_key: str, actor: Actor) -> str:
    """A new key for the signed-in person; every address made with the old one stops
    working."""
    user_id = require_signed_in(actor)
    async with db.write() as uow:
        generation = await uow.session.scalar(
            update(User)
            .where(User.id == user_id)
            .values(feed_key_generation=User.feed_key_generation + 1)
            .returning(User.feed_key_generation)
        )
    return make_feed_key(secret_key, user_id, generation or 0)
