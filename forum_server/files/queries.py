"""Reads of the library and of stored files, through the policy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import NotFound
from forum_server.files.models import (
    MEMBERS_ADD,
    MODERATORS_ADD,
    Document,
    DocumentVersion,
    LibrarySetting,
    Upload,
)
from forum_server.files.views import DocumentView, FileView, LibrarySettingsView, file_view
from forum_server.policy import (
    Actor,
    SpaceAccess,
    load_document,
    load_space,
    load_upload,
    may_add_document,
    may_remove_document,
)
from forum_server.rooms.models import Space
from forum_server.rooms.state import MEMBERS

MAX_LIMIT = 200


async def adders_of(db: AsyncSession, space: Space) -> str:
    chosen = await db.scalar(
        select(LibrarySetting.adders).where(LibrarySetting.space_id == space.id)
    )
    if chosen is not None:
        return chosen
    return MEMBERS_ADD if space.visibility == MEMBERS else MODERATORS_ADD


async def _versions(db: AsyncSession, document_ids: list[int]) -> dict[int, list]:
    rows = await db.execute(
        select(DocumentVersion.document_id, DocumentVersion.number, Upload)
        .join(Upload, Upload.id == DocumentVersion.upload_id)
        .where(DocumentVersion.document_id.in_(document_ids))
        .order_by(DocumentVersion.number.desc())
    )
    found: dict[int, list] = {i: [] for i in document_ids}
    for document_id, number, upload in rows:
        found[document_id].append((number, file_view(upload)))
    return found


def _view(
    document: Document,
    slug: str,
    access: SpaceAccess,
    adders: str,
    versions: list[tuple[int, FileView]],
) -> DocumentView:
    return DocumentView(
        document.id,
        slug,
        document.title,
        document.description,
        document.folder,
        document.language,
        document.created_at,
        document.updated_at,
        may_remove_document(access, document.created_by),
        may_add_document(access, adders),
        tuple(versions),
    )


async def document_detail(db: AsyncSession, actor: Actor, document_id: int) -> DocumentView:
    document, access = await load_document(db, actor, document_id)
    space = await db.get(Space, document.space_id)
    assert space is not None
    versions = await _versions(db, [document.id])
    return _view(document, space.slug, access, await adders_of(db, space), versions[document.id])


@dataclass(frozen=True)
class Library:
    space_slug: str
    space_title: str
    documents: list[DocumentView]
    folders: list[str]
    may_add: bool
    may_manage: bool
    adders: str
    next: int | None  # offset of the next page


async def library(
    db: AsyncSession,
    actor: Actor,
    slug: str,
    *,
    folder: str | None = None,
    language: str | None = None,
    sort: str = "title",
    limit: int = 50,
    offset: int = 0,
) -> Library:
    """A space's documents, filtered by folder and language, by title or newest first."""
    space, access = await load_space(db, actor, slug)
    query = select(Document).where(Document.space_id == space.id, Document.removed_at.is_(None))
    if folder is not None:
        query = query.where(Document.folder == folder)
    if language:
        query = query.where(Document.language == language)
    order = (
        (Document.updated_at.desc(), Document.id.desc())
        if sort == "date"
        else (Document.title, Document.id)
    )
    limit = max(1, min(limit, MAX_LIMIT))
    documents = list(await db.scalars(query.order_by(*order).offset(offset).limit(limit + 1)))
    more = len(documents) > limit
    documents = documents[:limit]
    versions = await _versions(db, [d.id for d in documents])
    folders = await db.scalars(
        select(Document.folder)
        .where(Document.space_id == space.id, Document.removed_at.is_(None), Document.folder != "")
        .distinct()
        .order_by(Document.folder)
    )
    adders = await adders_of(db, space)
    return Library(
        space.slug,
        space.title,
        [_view(d, space.slug, access, adders, versions[d.id]) for d in documents],
        list(folders),
        may_add_document(access, adders),
        access.can_manage,
        adders,
        offset + limit if more else None,
    )


async def library_settings(db: AsyncSession, actor: Actor, slug: str) -> LibrarySettingsView:
    space, _ = await load_space(db, actor, slug)
    return LibrarySettingsView(space.slug, await adders_of(db, space))


@dataclass(frozen=True)
class Servable:
    """What to send for a file: the content's hash, its type and the name to save as."""

    sha256: str
    media_type: str
    name: str
    size: int


async def file_to_serve(
    db: AsyncSession, actor: Actor, upload_id: int, *, preview: bool = False
) -> Servable:
    """A file (or its preview image) for whoever may read what it belongs to now."""
    upload = await load_upload(db, actor, upload_id)
    if not preview:
        return Servable(upload.sha256, upload.media_type, upload.name, upload.size)
    if upload.preview_sha256 is None:
        raise NotFound("This file has no preview.")
    stem = upload.name.rsplit(".", 1)[0]
    return Servable(upload.preview_sha256, "image/png", f"{stem}-preview.png", 0)
