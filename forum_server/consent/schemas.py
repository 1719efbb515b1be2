"""Inputs of consent and attribution: the terms' text, an acceptance, a choice."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from forum_server.rooms.markdown import MAX_SOURCE_CHARS
from forum_server.schemas import Id, Input

MAX_TERMS_CHARS = MAX_SOURCE_CHARS


class TermsInput(Input):
    body: str = Field(min_length=1, max_length=MAX_TERMS_CHARS)

    @field_validator("body")
    @classmethod
    def _nonblank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class TermsAccept(Input):
    # The version read and accepted: accepting is refused once it is no longer current.
    version: Id


class AttributionChoice(Input):
    attribution: Literal["named", "country", "none"]
