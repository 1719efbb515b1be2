"""The write path of a space's library: add a document with its first file, add a
version, remove, and choose who may add. Each command checks access before the form's
file is read, stores the file and reads its words for search (outside any transaction),
then writes its rows and the search index's in one transaction: a refused or
interrupted upload leaves neither a row nor a file behind."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.db import Database
from forum_server.files.extract import extract_text
from forum_server.files.ingest import ReadForm, Received, Stored, store_received
from forum_server.files.models import (
    Document,
    DocumentVersion,
    LibrarySetting,
    Upload,
)
from forum_server.files.queries import adders_of, document_detail
from forum_server.files.schemas import DocumentCreate, LibrarySettingsUpdate
from forum_server.files.storage import LocalFileStore
from forum_server.files.views import DocumentView, LibrarySettingsView
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    SpaceAccess,
    check_may_add_document,
    check_may_manage_space,
    check_may_remove_document,
    load_document,
    load_space,
)
from forum_server.rooms.models import Space
from forum_server.schemas import invalid_from
from forum_server.search.index import index_document


async def _check_adder(db: AsyncSession, actor: Actor, slug: str) -> tuple[Space, SpaceAccess]:
    space, access = await load_space(db, actor, slug)
    check_may_add_document(access, await adders_of(db, space))
    return space, access


async def store_with_text(store: LocalFileStore, received: Received) -> tuple[Stored, str | None]:
    """The received file stored, and its words read for search (None if it has none)."""
    stored = await store_received(store, received)
    return stored, await extract_text(store.path(stored.sha256), stored.kind)


def new_upload(actor: Actor, space_id: int, stored: Stored, at: datetime) -> Upload:
    return Upload(
        space_id=space_id,
        uploader_id=actor.user_id,
        uploader_name=actor.display_name or "",
        name=stored.name,
        media_type=stored.kind.media_type,
        size=stored.size,
        sha256=stored.sha256,
        preview_sha256=stored.preview_sha256,
        created_at=at,
    )


async def create_document(
    db: Database, store: LocalFileStore, actor: Actor, slug: str, read_form: ReadForm
) -> DocumentView:
    """A new document with its first version. Raises NotFound, Forbidden, Invalid (the
    metadata or the file: file_type_refused, zip_bomb, image_too_large, file_empty…)."""
    async with db.read() as session:
        await _check_adder(session, actor, slug)
    received = await read_form()
    try:
        try:
            data = DocumentCreate.model_validate(received.fields)
        except ValidationError as exc:
            raise invalid_from(exc) from None
        stored, text = await store_with_text(store, received)
    finally:
        received.discard()
    async with db.write() as uow:
        space, _ = await _check_adder(uow.session, actor, slug)
        now = utcnow()
        upload = new_upload(actor, space.id, stored, now)
        upload.extracted_text = text
        document = Document(
            space_id=space.id,
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
            **data.model_dump(),
        )
        uow.session.add_all([upload, document])
        await uow.flush()
        uow.session.add(DocumentVersion(document_id=document.id, number=1, upload_id=upload.id))
        await index_document(uow, document.id)
        return await document_detail(uow.session, actor, document.id)


async def add_version(
    db: Database, store: LocalFileStore, actor: Actor, document_id: int, read_form: ReadForm
) -> DocumentView:
    """A new version of a document; the earlier ones stay listed."""

    async def check(session: AsyncSession) -> Document:
        document, access = await load_document(session, actor, document_id)
        space = await session.get(Space, document.space_id)
        assert space is not None
        check_may_add_document(access, await adders_of(session, space))
        return document

    async with db.read() as session:
        await check(session)
    received = await read_form()
    try:
        stored, text = await store_with_text(store, received)
    finally:
        received.discard()
    async with db.write() as uow:
        document = await check(uow.session)
        now = utcnow()
        upload = new_upload(actor, document.space_id, stored, now)
        upload.extracted_text = text
        uow.session.add(upload)
        await uow.flush()
        last = await uow.session.scalar(
            select(func.max(DocumentVersion.number)).where(
                DocumentVersion.document_id == document_id
            )
        )
        uow.session.add(
            DocumentVersion(document_id=document_id, number=(last or 0) + 1, upload_id=upload.id)
        )
        document.updated_at = now
        await index_document(uow, document_id)
        return await document_detail(uow.session, actor, document_id)


async def remove_document(db: Database, actor: Actor, document_id: int) -> str:
    """Removes a document from the library at once (its files are kept for the
    retention period, then deleted); returns its space's slug."""
    async with db.write() as uow:
        document, access = await load_document(uow.session, actor, document_id)
        check_may_remove_document(access, document.created_by)
        now = utcnow()
        document.removed_at = now
        versions = select(DocumentVersion.upload_id).where(
            DocumentVersion.document_id == document_id
        )
        await uow.session.execute(
            update(Upload).where(Upload.id.in_(versions)).values(removed_at=now)
        )
        await index_document(uow, document_id)
        audit.record(
            uow,
            actor,
            "document.removed",
            space_id=document.space_id,
            target_type="document",
            target_id=document.id,
            details={"title": document.title},
        )
        slug = await uow.session.scalar(select(Space.slug).where(Space.id == document.space_id))
        return slug or ""


async def set_library_adders(
    db: Database, actor: Actor, slug: str, data: LibrarySettingsUpdate
) -> LibrarySettingsView:
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_space(access)
        setting = await uow.session.get(LibrarySetting, space.id)
        if setting is None:
            uow.session.add(LibrarySetting(space_id=space.id, adders=data.adders))
        else:
            setting.adders = data.adders
        audit.record(
            uow,
            actor,
            "library.settings_changed",
            space_id=space.id,
            target_type="space",
            target_id=space.id,
            details={"adders": data.adders},
        )
        return LibrarySettingsView(space.slug, data.adders)
