"""Files on posts. Through the API a file is uploaded first (it waits, seen only by its
uploader, for a day) and named by id when the post is written; a browser's form sends
the file with the post. Either way the files join the post in the post's own write
transaction: a refused post takes its files with it."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.db import Database, UnitOfWork
from forum_server.errors import Invalid
from forum_server.files.ingest import ReadForm, Received, Stored, store_all, store_received
from forum_server.files.library import new_upload
from forum_server.files.models import Upload
from forum_server.files.storage import LocalFileStore
from forum_server.files.views import FileView, file_view
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_attach_files,
    load_post,
    load_thread,
    visible_posts_clause,
)
from forum_server.rooms import posting
from forum_server.rooms.models import Post
from forum_server.rooms.schemas import PostCreate
from forum_server.rooms.state import HIDDEN
from forum_server.search.index import index_post_files

MAX_ATTACHMENTS = 10


async def _check(session: AsyncSession, actor: Actor, thread_id: int) -> int:
    """The thread's space, once the actor may attach files there."""
    _, access = await load_thread(session, actor, thread_id)
    check_may_attach_files(access)
    return access.space.space_id


async def upload_attachment(
    db: Database, store: LocalFileStore, actor: Actor, thread_id: int, read_form: ReadForm
) -> FileView:
    """A file to attach to a post in this thread, to be named in `attachment_ids`."""
    async with db.read() as session:
        await _check(session, actor, thread_id)
    received = await read_form()
    try:
        stored = await store_received(store, received)
    finally:
        received.discard()
    async with db.write() as uow:
        space_id = await _check(uow.session, actor, thread_id)
        upload = new_upload(actor, space_id, stored, utcnow())
        upload.thread_id = thread_id
        uow.session.add(upload)
        await uow.flush()
        return file_view(upload)


async def create_post_with_files(
    db: Database,
    store: LocalFileStore,
    actor: Actor,
    thread_id: int,
    data: PostCreate,
    attachment_ids: list[int],
    *,
    received: Received | None = None,
    client: str | None = None,
) -> posting.Posted:
    """A post with files: those uploaded before (by id) and those sent with the form.
    A refused file refuses the post; nothing of it is kept."""
    files = received.files if received is not None else []
    if len(set(attachment_ids)) + len(files) > MAX_ATTACHMENTS:
        if received is not None:
            received.discard()
        raise Invalid(
            "At most %(limit)s files per post.",
            field="attachment_ids" if attachment_ids else "file",
            params={"limit": MAX_ATTACHMENTS},
        )
    if not files and not attachment_ids:
        return await posting.create_post(db, actor, thread_id, data, client=client)
    async with db.read() as session:
        space_id = await _check(session, actor, thread_id)
    stored: list[Stored] = []
    if received is not None:
        stored = await store_all(store, received)
    return await create_post_with_stored(
        db, actor, thread_id, data, space_id, stored, attachment_ids, client=client
    )


async def create_post_with_stored(
    db: Database,
    actor: Actor,
    thread_id: int,
    data: PostCreate,
    space_id: int,
    stored: list[Stored],
    attachment_ids: list[int] | None = None,
    *,
    client: str | None = None,
) -> posting.Posted:
    """The post and its rows for files already checked and stored, in one transaction
    (the path shared by forms and e-mail replies)."""
    ids = set(attachment_ids or [])

    async def attach(uow: UnitOfWork, posted: posting.Posted) -> None:
        if not posted.created:
            return  # a retry: the files went with the original
        post_id = posted.post.id
        if ids:
            changed = await uow.session.execute(
                update(Upload)
                .where(
                    Upload.id.in_(ids),
                    Upload.uploader_id == actor.user_id,
                    Upload.thread_id == thread_id,
                    Upload.post_id.is_(None),
                    Upload.removed_at.is_(None),
                )
                .values(post_id=post_id)
            )
            if changed.rowcount != len(ids):  # type: ignore[attr-defined]
                raise Invalid(
                    "attachment_ids: no such file uploaded by you for this thread.",
                    field="attachment_ids",
                    code="invalid",
                )
        await add_stored(uow, actor, space_id, stored, posted)
        if ids:
            await index_post_files(uow, post_id)  # found by its files' names too

    return await posting.create_post(db, actor, thread_id, data, client=client, also=attach)


async def add_stored(
    uow: UnitOfWork, actor: Actor, space_id: int, stored: list[Stored], posted: posting.Posted
) -> None:
    """Rows naming stored files as the files of a post just written (inside the post's
    own transaction; nothing for a retry, whose files went with the original), and the
    post indexed again so that it is found by its files' names too."""
    if not posted.created or not stored:
        return
    for one in stored:
        upload = new_upload(actor, space_id, one, utcnow())
        upload.thread_id, upload.post_id = posted.post.thread_id, posted.post.id
        uow.session.add(upload)
    await uow.flush()
    await index_post_files(uow, posted.post.id)


async def attachments_of_post(db: AsyncSession, actor: Actor, post_id: int) -> list[FileView]:
    post, access = await load_post(db, actor, post_id)
    if post.status == HIDDEN and not access.can_moderate:
        return []
    rows = await db.scalars(
        select(Upload)
        .where(Upload.post_id == post_id, Upload.removed_at.is_(None))
        .order_by(Upload.id)
    )
    return [file_view(upload) for upload in rows]


async def attachments_in_thread(
    db: AsyncSession, actor: Actor, thread_id: int
) -> dict[int, list[FileView]]:
    """Files of the posts of a thread this reader sees (not those of hidden posts)."""
    _, access = await load_thread(db, actor, thread_id)
    shown = select(Post.id).where(
        Post.thread_id == thread_id, visible_posts_clause(access), Post.status != HIDDEN
    )
    rows = await db.scalars(
        select(Upload)
        .where(Upload.post_id.in_(shown), Upload.removed_at.is_(None))
        .order_by(Upload.id)
    )
    found: dict[int, list[FileView]] = {}
    for upload in rows:
        assert upload.post_id is not None
        found.setdefault(upload.post_id, []).append(file_view(upload))
    return found
