"""What an API operation answers, declared once and described in OpenAPI.

A route names the frozen view it returns; the view's `as_json` is annotated with a
TypedDict (from typing_extensions, which pydantic reads on Python 3.11), so the
JSON a route sends, what mypy checks and what the OpenAPI document promises come
from one declaration. Lists wrap a view in `ListOf`, files are a `Download`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import TypeAdapter


@dataclass(frozen=True)
class ListOf:
    """`{"items": [view…], "next": cursor or null}`: a page of a listing."""

    view: Any


@dataclass(frozen=True)
class Download:
    """A file, with the media types it may come as."""

    media_types: tuple[str, ...]


_FILE = {"type": "string", "format": "binary"}

Response = Any  # a view class, a TypedDict, ListOf, Download, or None (no body)


def json_shape(response: Any) -> Any:
    """The TypedDict a view's `as_json` returns (or `response` itself if it is one)."""
    as_json = getattr(response, "as_json", None)
    if as_json is None:
        return response
    shape = get_type_hints(as_json).get("return")
    if shape is None or shape is dict or getattr(shape, "__origin__", None) is dict:
        raise TypeError(f"{response.__name__}.as_json must be annotated with a TypedDict")
    return shape


def shape_name(shape: Any) -> str:
    return str(getattr(shape, "__name__", None) or repr(shape))


def schema_of(response: Response, components: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of what `response` declares; named shapes go into `components`
    and are referenced, as request bodies are."""
    if isinstance(response, ListOf):
        return {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": schema_of(response.view, components)},
                "next": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
            },
            "required": ["items", "next"],
            "additionalProperties": False,
        }
    shape = json_shape(response)
    schema = _closed(TypeAdapter(shape).json_schema(ref_template="#/components/schemas/{model}"))
    components.update(schema.pop("$defs", {}))
    name = shape_name(shape)
    components[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def _closed(schema: Any) -> Any:
    """Objects with named keys get no others (a TypedDict's keys are all it has), so
    the document tells a client exactly what comes and the tests catch a key a view
    sends without declaring it."""
    if isinstance(schema, dict):
        for value in schema.values():
            _closed(value)
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
    elif isinstance(schema, list):
        for value in schema:
            _closed(value)
    return schema


def content_of(response: Response, components: dict[str, Any]) -> dict[str, Any] | None:
    """An OpenAPI `content` object for a success response; None when it has no body."""
    if response is None:
        return None
    if isinstance(response, Download):
        # A file that comes as JSON is still a document, not a string.
        return {
            media: {"schema": {"type": "object"} if media == "application/json" else _FILE}
            for media in response.media_types
        }
    return {"application/json": {"schema": schema_of(response, components)}}
