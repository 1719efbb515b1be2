"""Frozen views of documents and files, as pages, the API and reports show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict

from forum_server.files.models import Upload


class FileJson(TypedDict):
    id: int
    name: str
    media_type: str
    size: int
    sha256: str
    uploader: str
    created_at: str
    url: str
    preview_url: str | None


@dataclass(frozen=True)
class FileView:
    id: int
    name: str
    media_type: str
    size: int
    sha256: str
    uploader: str
    created_at: datetime
    has_preview: bool
    uploader_id: int | None = None  # for reports, which attribute as their setting says

    @property
    def url(self) -> str:
        return f"/files/{self.id}"

    @property
    def preview_url(self) -> str | None:
        return f"/files/{self.id}/preview" if self.has_preview else None

    def as_json(self) -> FileJson:
        return {
            "id": self.id,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "uploader": self.uploader,
            "created_at": self.created_at.isoformat(),
            "url": self.url,
            "preview_url": self.preview_url,
        }


def file_view(upload: Upload) -> FileView:
    return FileView(
        upload.id,
        upload.name,
        upload.media_type,
        upload.size,
        upload.sha256,
        upload.uploader_name,
        upload.created_at,
        upload.preview_sha256 is not None,
        upload.uploader_id,
    )


class VersionJson(TypedDict):
    number: int
    file: FileJson


class DocumentJson(TypedDict):
    id: int
    space: str
    title: str
    description: str
    folder: str
    language: str
    created_at: str
    updated_at: str
    may_remove: bool
    may_add_version: bool
    versions: list[VersionJson]


@dataclass(frozen=True)
class DocumentView:
    id: int
    space_slug: str
    title: str
    description: str
    folder: str
    language: str
    created_at: datetime
    updated_at: datetime
    may_remove: bool
    may_add_version: bool
    versions: tuple[tuple[int, FileView], ...]  # newest first

    @property
    def current(self) -> FileView:
        return self.versions[0][1]

    def as_json(self) -> DocumentJson:
        return {
            "id": self.id,
            "space": self.space_slug,
            "title": self.title,
            "description": self.description,
            "folder": self.folder,
            "language": self.language,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "may_remove": self.may_remove,
            "may_add_version": self.may_add_version,
            "versions": [{"number": n, "file": f.as_json()} for n, f in self.versions],
        }


class LibrarySettingsJson(TypedDict):
    space: str
    adders: str


@dataclass(frozen=True)
class LibrarySettingsView:
    space_slug: str
    adders: str

    def as_json(self) -> LibrarySettingsJson:
        return {"space": self.space_slug, "adders": self.adders}
