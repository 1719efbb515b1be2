"""Documents and attachments: who adds to a space's library, who removes, and loading
a stored file for whoever may read what it belongs to, now."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import Forbidden, NotFound
from forum_server.files.models import MEMBERS_ADD, Document, DocumentVersion, Upload
from forum_server.policy.access import SessionAccess, SpaceAccess, may_see_space
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.policy.loading import (
    load_post,
    load_space,
    load_thread,
    visible_spaces_clause,
)
from forum_server.rooms.models import Space
from forum_server.rooms.state import HIDDEN


def may_read_library(access: SpaceAccess) -> bool:
    """Read a space's library (its documents, and find them by search): whoever may
    see the space."""
    return may_see_space(access.actor, access.visibility, access.role)


def check_may_read_library(access: SpaceAccess) -> None:
    if not may_read_library(access):
        raise NotFound("No such space.")  # outsiders are not told it exists


def readable_libraries(actor: Actor) -> Select[int]:
    """The ids of the spaces whose library the actor may read: may_read_library's rule
    as SQL (visible_spaces_clause), for reads across spaces such as search."""
    visible: ColumnElement[bool] = visible_spaces_clause(actor)
    return select(Space.id).where(visible)


def may_add_document(access: SpaceAccess, adders: str) -> bool:
    """Add documents (and versions): the space's owners and moderators and the
    secretariat; its members too where the space lets members add."""
    if not access.actor.signed_in:
        return False
    return access.can_moderate_space or (adders == MEMBERS_ADD and access.is_member)


def check_may_add_document(access: SpaceAccess, adders: str) -> None:
    if not may_add_document(access, adders):
        require_signed_in(access.actor)
        raise Forbidden("Only this space's moderators can add documents here.")


def may_remove_document(access: SpaceAccess, added_by: int | None) -> bool:
    """Remove a document: whoever added it, the space's moderators and owners, the
    secretariat."""
    if access.can_moderate_space:
        return True
    return access.actor.user_id is not None and access.actor.user_id == added_by


def check_may_remove_document(access: SpaceAccess, added_by: int | None) -> None:
    if not may_remove_document(access, added_by):
        require_signed_in(access.actor)
        raise Forbidden("Only whoever added this document or a moderator can remove it.")


def may_attach_files(access: SessionAccess) -> bool:
    """Attach files to a post: whoever may post there, signed in (guests do not)."""
    return access.actor.signed_in and access.may_post


def check_may_attach_files(access: SessionAccess) -> None:
    require_signed_in(access.actor)
    access.check_may_post()


async def load_space_by_id(db: AsyncSession, actor: Actor, space_id: int) -> SpaceAccess:
    slug = await db.scalar(select(Space.slug).where(Space.id == space_id))
    if slug is None:
        raise NotFound("No such space.")
    _, access = await load_space(db, actor, slug)
    return access


async def load_document(
    db: AsyncSession, actor: Actor, document_id: int
) -> tuple[Document, SpaceAccess]:
    """A document in the library of a space the actor may see; a removed one is gone."""
    document = await db.get(Document, document_id)
    if document is None or document.removed_at is not None:
        raise NotFound("No such document.")
    try:
        access = await load_space_by_id(db, actor, document.space_id)
    except NotFound:
        raise NotFound("No such document.") from None
    return document, access


async def load_upload(db: AsyncSession, actor: Actor, upload_id: int) -> Upload:
    """A stored file, for whoever may read what it belongs to at this moment: its
    document's space, or its post (a hidden post's files for moderators only); a file
    not yet on a post, for its uploader. Anything else is not there (404)."""
    upload = await db.get(Upload, upload_id)
    if upload is None or upload.removed_at is not None:
        raise NotFound("No such file.")
    try:
        if upload.post_id is not None:
            post, access = await load_post(db, actor, upload.post_id)
            if post.status == HIDDEN and not access.can_moderate:
                raise NotFound("No such file.")
            return upload
        if upload.thread_id is not None:
            await load_thread(db, actor, upload.thread_id)
            if actor.user_id is None or actor.user_id != upload.uploader_id:
                raise NotFound("No such file.")
            return upload
        document_id = await db.scalar(
            select(DocumentVersion.document_id).where(DocumentVersion.upload_id == upload_id)
        )
        if document_id is None:
            raise NotFound("No such file.")
        await load_document(db, actor, document_id)
    except NotFound:
        raise NotFound("No such file.") from None
    return upload
