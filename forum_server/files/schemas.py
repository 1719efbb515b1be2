"""What the library's forms and API accept."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from forum_server.rooms.schemas import PostLanguage
from forum_server.schemas import Input

Adders = Literal["members", "moderators"]
Sort = Literal["title", "date"]


class DocumentCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    folder: str = Field(default="", max_length=100)
    language: PostLanguage


class LibrarySettingsUpdate(Input):
    adders: Adders
