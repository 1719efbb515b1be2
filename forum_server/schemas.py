"""The base for validated input: strict models shared by the API, forms and the CLI."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from forum_server.errors import Invalid

ModelT = TypeVar("ModelT", bound=BaseModel)


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
