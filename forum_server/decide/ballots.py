"""Ballot keys: what ties a ballot to its voter, and no more than that.

In a named poll the key is the voter's id. In an anonymous poll it is an HMAC of the
poll and the voter under the server's secret key: the server can find the ballot of
the person who is voting now (to change it — one vote per person), but the database
alone (a backup, a report, a query) cannot tell whose a ballot is. When the poll
closes, `unlink` gives every anonymous ballot a random key, so from then on not even
the server can.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.decide.models import Poll, PollBallot


def voter_key(secret: str, poll_id: int, user_id: int, *, anonymous: bool) -> str:
    if not anonymous:
        return f"user:{user_id}"
    message = f"poll:{poll_id}:voter:{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def unlink(session: AsyncSession, poll: Poll) -> None:
    """Replace an anonymous poll's ballot keys by random ones (once it is closed)."""
    if not poll.anonymous or poll.unlinked:
        return
    keys = (
        await session.scalars(select(PollBallot.voter_key).where(PollBallot.poll_id == poll.id))
    ).all()
    for key in keys:
        await session.execute(
            update(PollBallot)
            .where(PollBallot.poll_id == poll.id, PollBallot.voter_key == key)
            .values(voter_key="closed:" + secrets.token_hex(24))
        )
    poll.unlinked = True
