"""The base for validated input: strict models shared by the API, forms and the CLI,
and the bounds every id and time must keep to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from babel.support import LazyProxy
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError
from pydantic_core import ErrorDetails

from forum_server.errors import Invalid
from forum_server.i18n import N_, gettext, ngettext

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


class Problem(ValueError):
    """What a validator refuses, in words a person reads: `message` is a catalogue entry
    (mark it with N_ where it is raised) whose %(name)s placeholders `params` fill; it is
    translated where it is shown (`problem_text`). A plain ValueError with a marked
    message is translated too; a Problem is for messages with placeholders."""

    def __init__(self, message: str, **params: object) -> None:
        self.template, self.params = message, params
        super().__init__(message % params if params else message)

    def text(self) -> str:
        return gettext(self.template, **self.params)


class TooLong(Problem):
    """Text longer than `max_length` characters (in words that agree with the number)."""

    def __init__(self, max_length: int) -> None:
        super().__init__("must be at most %(num)s characters", num=max_length)

    def text(self) -> str:
        return ngettext(
            "must be at most %(num)s character",
            "must be at most %(num)s characters",
            int(str(self.params["num"])),
        )


def problem_text(error: BaseException) -> str:
    """A validator's ValueError in the current language."""
    if isinstance(error, Problem):
        return error.text()
    return gettext(str(error))


def in_time_range(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise Problem(
            N_("must be between the years %(earliest)s and %(latest)s"),
            earliest=EARLIEST_YEAR,
            latest=LATEST_YEAR,
        )
    return value


# Times arrive as ISO 8601 strings in JSON, so this one field type parses strings.
Timestamp = Annotated[datetime, Strict(False), AfterValidator(in_time_range)]


def aware_utc(value: datetime | None) -> datetime | None:
    """A time from JSON must say its offset (a bare one could be any zone); kept in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(N_("must include a time zone offset, e.g. 2026-03-01T09:00:00+00:00"))
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
        raise ValueError(N_("use an ISO 8601 date and time, e.g. 2026-03-01T09:00")) from None
    in_time_range(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Input(BaseModel):
    """Unknown fields and wrong types are refused, never ignored or coerced."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


# pydantic's refusals in our words, from the details it gives (`ctx`); anything not
# listed keeps pydantic's English message.
_Words = Callable[[Mapping[str, Any]], str]
_TIME = N_("must be a date and time such as 2026-03-01T09:00:00+00:00")
_DAY = N_("must be a date such as 2026-03-01")
_WORDS: dict[str, _Words] = {
    "missing": lambda ctx: gettext("is required"),
    "extra_forbidden": lambda ctx: gettext("is not a field this call accepts"),
    "string_too_short": lambda ctx: (
        gettext("must not be empty")
        if ctx["min_length"] == 1
        else ngettext(
            "must be at least %(num)s character",
            "must be at least %(num)s characters",
            ctx["min_length"],
        )
    ),
    "string_too_long": lambda ctx: TooLong(ctx["max_length"]).text(),
    "too_short": lambda ctx: ngettext(
        "must have at least %(num)s item", "must have at least %(num)s items", ctx["min_length"]
    ),
    "too_long": lambda ctx: ngettext(
        "must have at most %(num)s item", "must have at most %(num)s items", ctx["max_length"]
    ),
    "string_type": lambda ctx: gettext("must be text"),
    "string_pattern_mismatch": lambda ctx: gettext("is not in the expected form"),
    "int_type": lambda ctx: gettext("must be a whole number"),
    "int_parsing": lambda ctx: gettext("must be a whole number"),
    "int_from_float": lambda ctx: gettext("must be a whole number"),
    "float_type": lambda ctx: gettext("must be a number"),
    "float_parsing": lambda ctx: gettext("must be a number"),
    "bool_type": lambda ctx: gettext("must be true or false"),
    "bool_parsing": lambda ctx: gettext("must be true or false"),
    "list_type": lambda ctx: gettext("must be a list"),
    "dict_type": lambda ctx: gettext("must be an object"),
    "model_type": lambda ctx: gettext("must be an object"),
    "greater_than_equal": lambda ctx: gettext("must be at least %(ge)s", ge=ctx["ge"]),
    "greater_than": lambda ctx: gettext("must be more than %(gt)s", gt=ctx["gt"]),
    "less_than_equal": lambda ctx: gettext("must be at most %(le)s", le=ctx["le"]),
    "less_than": lambda ctx: gettext("must be less than %(lt)s", lt=ctx["lt"]),
    # pydantic lists the choices as "'a', 'b' or 'c'"; the "or" is its English.
    "literal_error": lambda ctx: gettext(
        "must be one of: %(choices)s", choices=str(ctx["expected"]).replace(" or ", ", ")
    ),
    "enum": lambda ctx: gettext(
        "must be one of: %(choices)s", choices=str(ctx["expected"]).replace(" or ", ", ")
    ),
    "datetime_type": lambda ctx: gettext(_TIME),
    "datetime_parsing": lambda ctx: gettext(_TIME),
    "datetime_from_date_parsing": lambda ctx: gettext(_TIME),
    "date_type": lambda ctx: gettext(_DAY),
    "date_parsing": lambda ctx: gettext(_DAY),
    "date_from_datetime_parsing": lambda ctx: gettext(_DAY),
    "date_from_datetime_inexact": lambda ctx: gettext(_DAY),
}


def _problem_words(problem: ErrorDetails) -> str:
    """One problem pydantic found, in the current language, e.g. "must be at most 200
    characters" (the field's name is not part of it)."""
    ctx: Mapping[str, Any] = problem.get("ctx") or {}
    kind = problem["type"]
    if kind == "value_error":
        error = ctx.get("error")
        if isinstance(error, BaseException):
            return problem_text(error)
        if "reason" in ctx:  # pydantic's own check of e-mail addresses
            return gettext("is not a valid e-mail address")
    words = _WORDS.get(kind)
    if words is not None:
        return words(ctx)
    return str(problem["msg"]).removeprefix("Value error, ")


def problem_words(problem: ErrorDetails) -> Any:
    """`_problem_words`, put off until the text is shown (in the reader's language)."""
    return LazyProxy(_problem_words, problem, enable_cache=False)


def invalid_from(exc: ValidationError) -> Invalid:
    """The first problem pydantic found, as our error, naming the field."""
    first = exc.errors()[0]
    loc = ".".join(str(part) for part in first["loc"]) or None
    words = problem_words(first)
    if loc is None:
        return Invalid(_WHOLE, params={"problem": words})
    return Invalid(N_("%(field)s: %(problem)s"), field=loc, params={"field": loc, "problem": words})


# A problem with the whole input, not one field: the problem's words are the message.
_WHOLE = "%(problem)s"


def validate(model: type[ModelT], data: Any) -> ModelT:
    """`data` checked against `model`; raises Invalid naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
