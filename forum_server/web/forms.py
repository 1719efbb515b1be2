"""Browser form handling: read a bounded form, validate it with the same models as
the API, and hand back field errors for the page to show."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from forum_server.errors import Invalid
from forum_server.i18n import gettext
from forum_server.schemas import invalid_from, problem_words
from forum_server.web.csrf import CSRF_FIELD

ModelT = TypeVar("ModelT", bound=BaseModel)

MAX_FIELDS = 100


async def read_form(request: Request) -> dict[str, str]:
    """Text fields of the submitted form (the CSRF token already checked and dropped).
    Empty strings stay empty strings; callers decide what blank means."""
    async with request.form(max_fields=MAX_FIELDS, max_files=0) as form:
        return {
            key: value if "password" in key else value.strip()
            for key, value in form.items()
            if isinstance(value, str) and key != CSRF_FIELD
        }


def validate_form(
    model: type[ModelT], data: dict[str, Any]
) -> tuple[ModelT | None, dict[str, str]]:
    """The validated model, or None with a message for every field that failed."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for problem in exc.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "form"
            errors.setdefault(name, invalid_from_single(problem))
        return None, errors


def invalid_from_single(problem: Any) -> str:
    """One field's problem as a sentence under the field, in the reader's language."""
    if problem["type"] == "missing":
        return gettext("This is required.")
    message = str(problem_words(problem))
    if message.endswith((".", "。", "!", "?", "؟")):
        return message[:1].upper() + message[1:]
    # The sentence's full stop is the language's own ("。" in Chinese).
    return gettext("%(problem)s.", problem=message[:1].upper() + message[1:])


def error_for_field(error: Invalid) -> dict[str, str]:
    return {error.field or "form": error.message}


__all__ = ["error_for_field", "invalid_from", "read_form", "validate_form"]
