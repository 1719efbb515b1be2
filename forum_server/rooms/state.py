"""A session's state, derived from its periods and the clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

DRAFT, SCHEDULED, OPEN, CLOSED = "draft", "scheduled", "open", "closed"


@dataclass(frozen=True)
class Period:
    opens_at: datetime
    closes_at: datetime | None


def session_state(periods: Sequence[Period], now: datetime) -> str:
    """draft without periods; otherwise decided by the latest period."""
    if not periods:
        return DRAFT
    latest = periods[-1]
    if now < latest.opens_at:
        return SCHEDULED
    if latest.closes_at is None or now < latest.closes_at:
        return OPEN
    return CLOSED


def next_boundary(periods: Sequence[Period], now: datetime) -> datetime | None:
    """The next time the state will change by itself, if any."""
    if not periods:
        return None
    latest = periods[-1]
    if now < latest.opens_at:
        return latest.opens_at
    if latest.closes_at is not None and now < latest.closes_at:
        return latest.closes_at
    return None
