"""Slows password guessing. Every sign-in attempt is counted *before* its password is
checked, in one transaction with the check of the limits (`forum_server.throttle.take`),
so guesses sent all at once cannot slip through together; an attempt that succeeds is
un-counted afterwards.

Three counters, so that an attacker cannot lock the owner of an account out:

- per account and address: `attempts` within fifteen minutes — what one attacker at
  one address meets first, and all a mistyping owner ever meets;
- per address: five times that within fifteen minutes — one address trying many
  accounts (password spraying);
- per account: ten times that within an hour — many addresses guessing one account.
  One address cannot reach it (it is held to four fifteen-minute windows an hour),
  so the owner, from their own address, still signs in while an attacker at another
  address is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from forum_server.accounts.models import LoginFailure
from forum_server.db import Database
from forum_server.errors import RateLimited
from forum_server.throttle import Limit, clear_hits, drop_hits, take

PAIR_WINDOW = timedelta(minutes=15)
ACCOUNT_WINDOW = timedelta(hours=1)
ADDRESS_FACTOR = 5
ACCOUNT_FACTOR = 10


@dataclass(frozen=True)
class Attempt:
    """A counted sign-in attempt: its counter rows, and the key its owner clears."""

    hit_ids: tuple[int, ...]
    pair_key: str


def _key(kind: str, value: str) -> str:
    # Keys are bounded (the column is 300 characters); long values are digested.
    return (
        f"{kind}:{value}"
        if len(value) <= 200
        else f"{kind}#{hashlib.sha256(value.encode()).hexdigest()}"
    )


def limits_for(client: str, email: str, attempts: int) -> dict[str, Limit]:
    email = email.strip().lower()
    return {
        _key("pair", f"{client}|{email}"): Limit(attempts, PAIR_WINDOW),
        _key("client", client): Limit(attempts * ADDRESS_FACTOR, PAIR_WINDOW),
        _key("email", email): Limit(attempts * ACCOUNT_FACTOR, ACCOUNT_WINDOW),
    }


async def begin_attempt(db: Database, client: str, email: str, *, attempts: int) -> Attempt:
    """Counts a sign-in attempt as failed until `succeeded` says otherwise; raises
    RateLimited, counting nothing, once a limit is reached."""
    limits = limits_for(client, email, attempts)
    async with db.write() as uow:
        wait, ids = await take(uow.session, LoginFailure, limits)
    if wait is not None:
        raise RateLimited("Too many failed sign-ins; try again later.", retry_after=wait)
    return Attempt(tuple(ids), next(iter(limits)))


async def succeeded(db: Database, attempt: Attempt) -> None:
    """The attempt was right: it does not count, nor do the owner's earlier mistakes from
    this address. (Failures counted per address and per account stay: they may be
    someone else's.)"""
    async with db.write() as uow:
        await drop_hits(uow.session, LoginFailure, attempt.hit_ids)
        await clear_hits(uow.session, LoginFailure, [attempt.pair_key])
