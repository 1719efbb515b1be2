"""Shared steps of the focal points tests: a small register, the messages sent."""

from __future__ import annotations

import asyncio
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import httpx
from sqlalchemy import func, select
from starlette.applications import Starlette

from forum_server.mail.models import OutboxMessage
from tests.helpers import deliver_mail

LINK = re.compile(r"http://testserver(/focal-links/fp_[A-Za-z0-9_-]+)")

# Two African focal points (one with an account, one without), one from GRULAC, one WEOG.
REGISTER: list[dict[str, Any]] = [
    {"country": "KE", "name": "Wanjiru Kamau", "email": "kamau@env.go.ke", "primary": True},
    {"country": "NG", "name": "Adaeze Okafor", "email": "okafor@biosafety.gov.ng"},
    {"country": "BR", "name": "Lucas Pereira", "email": "pereira@mma.gov.br", "language": "es"},
    {"country": "DE", "name": "Anna Schmidt", "email": "schmidt@bmuv.de"},
]


async def fill_register(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, int]:
    ids = {}
    for entry in REGISTER:
        answer = await client.post("/api/v1/focal-points", json=entry, headers=headers)
        assert answer.status_code == 201, answer.text
        ids[entry["email"]] = answer.json()["id"]
    return ids


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


async def _settled(app: Starlette) -> None:
    """Waits (a few seconds at most) for messages the app's own background sender may
    be writing at this moment: what it has claimed, deliver_mail leaves to it."""
    db = app.state.ctx.db
    for _ in range(100):
        async with db.read() as session:
            busy = await session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status.in_(("queued", "sending"))
                )
            )
        if not busy:
            return
        await deliver_mail(app)
        await asyncio.sleep(0.05)


async def sent_mail(app: Starlette) -> dict[str, list[str]]:
    """Every message delivered so far, by recipient, plain text (subject first)."""
    await deliver_mail(app)
    await _settled(app)
    found: dict[str, list[str]] = {}
    for path in sorted((app.state.ctx.settings.data_dir / "outbox").glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        text = f"{message['Subject']}\n{_text(message)}"
        found.setdefault(str(message["To"]), []).append(text)
    return found


def link_in(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    return match.group(1)
