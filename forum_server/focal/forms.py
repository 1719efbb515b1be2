"""Browser forms to the models the API takes: a checkbox to a boolean, numbers typed
as text to integers (what is not a number stays text, so the model names the field)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from forum_server.schemas import parse_id

ENTRY_FIELDS = ("country", "name", "title", "organization", "email", "language")


def entry_input(form: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {k: form.get(k, "") for k in ENTRY_FIELDS}
    data["language"] = data["language"] or None
    data["primary"] = form.get("primary") == "yes"
    return data


def _number(raw: str) -> int | str:
    value = parse_id(raw)
    return raw if value is None else value


def _target(raw: str) -> dict[str, Any]:
    """The form's one choice of what the notification links to, "session:7" or
    "call:3", as the model's kind and id (left for the model to refuse if odd)."""
    if not raw:
        return {"target_kind": None, "target_id": None}
    kind, _, number = raw.partition(":")
    return {"target_kind": kind, "target_id": _number(number)}


def notification_input(form: dict[str, Any], regions: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subject": form.get("subject", ""),
        "body": form.get("body", ""),
        "regions": list(regions),
        **_target(form.get("target", "")),
        "documents": [_number(d) for d in form.get("documents", [])],
    }
    if form.get("remind_at"):
        data["remind_at"] = form["remind_at"]
    return data
