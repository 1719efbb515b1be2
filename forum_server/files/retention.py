"""Deleting what is no longer wanted: removed documents and attachments once the
retention period has passed, attachments uploaded but never posted, and stored
content no row names any more.

Content is deleted only when untouched for an hour: an upload of the same content in
another process touches the file before writing its row, so a sweep never removes
content a new row is about to name."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import delete, or_, select

from forum_server.db import Database
from forum_server.files.models import Document, Upload
from forum_server.files.storage import LocalFileStore, file_store
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.settings import Settings

EVERY_SECONDS = 3600.0
UNPOSTED = timedelta(days=1)
QUIET_SECONDS = 3600.0


async def purge(
    db: Database,
    store: LocalFileStore,
    retention_days: int,
    *,
    quiet_seconds: float = QUIET_SECONDS,
) -> int:
    """One pass; returns how many stored contents were deleted."""
    now = utcnow()
    cutoff = now - timedelta(days=retention_days)
    async with db.write() as uow:
        await uow.session.execute(
            delete(Document).where(Document.removed_at.is_not(None), Document.removed_at < cutoff)
        )
        await uow.session.execute(
            delete(Upload).where(
                or_(
                    Upload.removed_at < cutoff,
                    Upload.post_id.is_(None)
                    & Upload.thread_id.is_not(None)
                    & (Upload.created_at < now - UNPOSTED),
                )
            )
        )
    candidates = await asyncio.to_thread(lambda: list(store.stored(quiet_seconds)))
    deleted = 0
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        async with db.read() as session:
            named = set(
                await session.scalars(select(Upload.sha256).where(Upload.sha256.in_(batch)))
            )
            named |= set(
                await session.scalars(
                    select(Upload.preview_sha256).where(Upload.preview_sha256.in_(batch))
                )
            )
        for sha256 in batch:
            if sha256 not in named:
                store.delete(sha256)
                deleted += 1
    store.forget_stale_incoming(UNPOSTED.total_seconds())
    return deleted


async def run_file_retention(db: Database, settings: Settings, stop: asyncio.Event) -> None:
    store = file_store(settings)

    async def work() -> None:
        await purge(db, store, settings.file_retention_days)

    await repeat(work, stop, every=EVERY_SECONDS, what="file retention")
