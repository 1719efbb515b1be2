"""Reading times that people type: a form's `datetime-local` value or a query string."""

from __future__ import annotations

from datetime import datetime

from forum_server.i18n import N_
from forum_server.schemas import EARLIEST_YEAR, LATEST_YEAR, Problem, in_time_range, parse_utc


def utc_time(value: str) -> datetime | None:
    """An ISO 8601 date or time ("2026-03-01T09:00"), read as UTC when it has no offset
    (as the forms say), in the years every time field accepts; None when empty. Raises
    Problem with a message for the person filling in the form (schemas.problem_text)."""
    value = value.strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise Problem(N_("Use a date and time like 2026-03-01T09:00 (UTC).")) from None
    try:
        in_time_range(when)
    except Problem:
        raise Problem(
            N_("The time must be between the years %(earliest)s and %(latest)s."),
            earliest=EARLIEST_YEAR,
            latest=LATEST_YEAR,
        ) from None
    return parse_utc(value)
