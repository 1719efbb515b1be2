"""Shared steps of the focal points tests: a small register, the messages sent."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import httpx
from starlette.applications import Starlette

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


async def sent_mail(app: Starlette) -> dict[str, list[str]]:
    """Every message delivered so far, by recipient, plain text (subject first)."""
    await deliver_mail(app)
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
