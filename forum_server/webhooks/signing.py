"""Signatures of deliveries: `Forum-Signature: t=<unix time>,v1=<hex>` where the hex
is HMAC-SHA256 with the endpoint's secret over `<t>.` followed by the body's bytes,
as Stripe signs its webhooks. A receiver recomputes it and refuses an old `t`, so a
captured delivery cannot be replayed later (docs/api.md has a verification snippet)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "Forum-Signature"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
