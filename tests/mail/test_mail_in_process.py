"""`forum-server mail-in` as it runs in production: its own process, listening on
loopback; killed outright right after acknowledging a message, it loses nothing,
and the message still becomes exactly one post."""

from __future__ import annotations

import asyncio
import os
import re
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from forum_server.mail import inbox_worker
from forum_server.mail.models import InboxMessage
from forum_server.orm import utcnow
from forum_server.rooms.models import Post
from forum_server.settings import Settings
from tests.mail.conftest import new_mail
from tests.mail.test_mail_in_answers import reply_address

ROOT = Path(__file__).resolve().parents[2]


def _start(settings: Settings, *args: str) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    env = {
        **clean,
        "FORUM_DATA_DIR": str(settings.data_dir),
        "FORUM_DATABASE_URL": settings.database_url,
        "FORUM_SECRET_KEY": settings.secret_key,
        "FORUM_BASE_URL": settings.base_url,
        "FORUM_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "forum_server", "mail-in", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_mail_in_killed_after_250_loses_nothing_and_posts_once(
    app, db, settings: Settings, make_user, make_space, make_session, question_threads
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    writer = await make_user(email="w@example.org")
    to = await reply_address(db, settings, writer.id, "thread", thread_id)

    receiver = _start(settings, "--port", "0")
    assert receiver.stdout is not None
    line = await asyncio.to_thread(receiver.stdout.readline)
    found = re.fullmatch(
        r"forum_server mail-in \(smtp\) listening on 127\.0\.0\.1:(\d+) .*\n", line
    )
    assert found, line + (receiver.stderr.read() if receiver.poll() is not None else "")
    port = int(found.group(1))

    def deliver() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(new_mail(to, "Re: Q1", "Sent just before the crash."))
        receiver.kill()  # SIGKILL the moment the 250 is read: no clean shutdown

    try:
        await asyncio.to_thread(deliver)
    finally:
        receiver.kill()
        receiver.communicate(timeout=30)
    async with db.read() as session:
        [row] = list(await session.scalars(select(InboxMessage)))
    assert row.raw or row.status == "done"  # acknowledged, so stored (or done already)

    if row.status == "working":  # killed while handling it: its lease runs out first
        async with db.write() as uow:
            await uow.session.execute(
                update(InboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1))
            )
    # The next mail-in (here: its worker) finishes what the killed one left.
    await inbox_worker.process_waiting(db, settings)
    await inbox_worker.process_waiting(db, settings)
    async with db.read() as session:
        bodies = list(await session.scalars(select(Post.body).where(Post.author_id == writer.id)))
        row = await session.get(InboxMessage, row.id, populate_existing=True)
    assert bodies == ["Sent just before the crash."]
    assert row is not None and row.status == "done"


async def test_mail_in_refuses_a_taken_port_clearly_and_stops_on_sigterm(app, settings: Settings):
    first = _start(settings, "--port", "0", "--lmtp")
    try:
        assert first.stdout is not None
        line = await asyncio.to_thread(first.stdout.readline)
        found = re.search(r"\(lmtp\) listening on 127\.0\.0\.1:(\d+) for reply\+…@testserver", line)
        assert found, line
        second = _start(settings, "--port", found.group(1))
        out, err = await asyncio.to_thread(second.communicate, timeout=60)
        assert second.returncode == 1 and "listening" not in out
        assert f"cannot listen on 127.0.0.1:{found.group(1)}" in err and "Traceback" not in err
        first.terminate()
        await asyncio.to_thread(first.wait, 30)
        assert first.returncode == 0
    finally:
        first.kill()
        first.communicate(timeout=30)
