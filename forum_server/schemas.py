"""The base for validated input: strict models shared by the API, forms and the CLI,
and the bounds every id and time must keep to."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError

from forum_server.errors import Invalid

ModelT = TypeVar("ModelT", bound=BaseModel)

# Ids are 32-bit integers in PostgreSQL (64-bit in SQLite): one bound for both, so a
# larger number is refused as input instead of failing inside the database.
MAX_ID = 2**31 - 1
# Live event ids are 64-bit in both databases.
MAX_EVENT_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Times a person may give: far enough from datetime's limits that converting to UTC or
# adding an extension can never overflow.
EARLIEST_YEAR = 1970
LATEST_YEAR = 9998
TIME_RANGE_MESSAGE = f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}"


def in_time_range(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(TIME_RANGE_MESSAGE)
    return value


# Times arrive as ISO 8601 strings in JSON, so this one field type parses strings.
Timestamp = Annotated[datetime, Strict(False), AfterValidator(in_time_range)]


def aware_utc(value: datetime | None) -> datetime | None:
    """A time from JSON must say its offset (a bare one could be any zone); kept in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("must include a time zone offset, e.g. 2026-03-01T09:00:00+00:00")
    return value.astimezone(UTC)


def parse_id(raw: str) -> int | None:
    """A decimal id from a form or a query string; None unless it is one (1..MAX_ID)."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_ID)) + 2):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def parse_utc(raw: str) -> datetime:
    """An ISO 8601 date or time in the accepted range, in UTC (no offset: read as UTC).
    Raises ValueError saying what is wrong."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError("use an ISO 8601 date and time, e.g. 2026-03-01T09:00") from None
    in_time_range(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Input(BaseModel):
    """Unknown fields and wrong types are refused, never ignored or coerced."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


def invalid_from(exc: ValidationError) -> Invalid:
    """The first problem pydantic found, as our error, naming the field."""
    first = exc.errors()[0]
    loc = ".".join(str(part) for part in first["loc"]) or None
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a field this call accepts"
    elif first["type"] == "missing":
        message = "is required"
    return Invalid(f"{loc}: {message}" if loc else message, field=loc)


def validate(model: type[ModelT], data: Any) -> ModelT:
    """`data` checked against `model`; raises Invalid naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
