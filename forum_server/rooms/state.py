"""Named states: a session's (derived from its periods and the clock), a post's
status and a space's visibility, as stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

DRAFT, SCHEDULED, OPEN, CLOSED = "draft", "scheduled", "open", "closed"

# A post's status: published; pending review (held); hidden by a moderator (shown as a
# placeholder); rejected in review.
PUBLISHED, PENDING, HIDDEN, REJECTED = "published", "pending", "hidden", "rejected"

# A session's format: threads over days, or a live conversation by agenda over hours.
FORUM, CONFERENCE = "forum", "conference"

# A space's visibility: anyone may read it, or its members only.
PUBLIC, MEMBERS = "public", "members"


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
