"""Reading times that people type: a form's `datetime-local` value or a query string."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_time(value: str) -> datetime | None:
    """An ISO 8601 date or time ("2026-03-01T09:00"), read as UTC when it has no offset
    (as the forms say); None when empty. Raises ValueError with a message for the person
    filling in the form."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("Use a date and time like 2026-03-01T09:00 (UTC).") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
