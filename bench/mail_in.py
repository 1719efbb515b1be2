"""Replies by e-mail benchmark (not a test).

On a fresh SQLite database (or --database-url), in one process:

1. the receiver: replies sent one after another over SMTP on loopback (smtplib, one
   connection per message, as a mail server hands them over), each stored before its
   250 — messages accepted per second;
2. the inbox worker: the stored replies (each with a Gmail-style quoted history to
   leave out) turned into posts through the posting command, one transaction each —
   messages handled per second;
3. for comparison, as many posts made through the posting command directly.

    .venv/bin/python bench/mail_in.py                  # 500 replies from 50 people
    .venv/bin/python bench/mail_in.py --messages 200
"""

from __future__ import annotations

import argparse
import asyncio
import smtplib
import tempfile
import time
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from sqlalchemy import func, select

from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.mail.inbox_worker import process_waiting
from forum_server.mail.models import InboxMessage
from forum_server.mail.notifications import add_jobs
from forum_server.mail.receiver import Receiver
from forum_server.mail.reply_tokens import ReplyTarget, address, new_token
from forum_server.migrate import migrate
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import posting, sessions, spaces
from forum_server.rooms.models import Post, Question
from forum_server.rooms.schemas import PostCreate, SessionCreate, SpaceCreate
from forum_server.settings import load_settings

SECRETARIAT = Actor(user_id=None, display_name="bench", is_secretariat=True)
QUOTE = "\n".join(
    f"> Line {n} of the message answered, quoted by the mail program." for n in range(30)
)


def reply(to: str, n: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"writer{n}@example.org"
    message["To"] = to
    message["Subject"] = "Re: [Capacity-building] Question 1: What has worked?"
    message["Message-ID"] = make_msgid(domain="bench.example.org")
    message.set_content(
        f"Reply {n}: peer learning and regional workshops worked for us.\n\n"
        "On Mon, 6 Jan 2025 at 10:12, Forum <forum@forum.example.org> wrote:\n"
        f"{QUOTE}\n\n-- \nA writer\n"
    )
    return message


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="mail-in-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{folder / 'forum.db'}"
    await migrate(url)
    settings = load_settings(
        environ={},
        data_dir=folder,
        database_url=url,
        secret_key="x" * 40,
        base_url="https://forum.example.org",
    )
    db = Database(url)
    db.before_commit.append(add_jobs)  # as in the server: posts queue their notices
    await spaces.create_space(
        db, SECRETARIAT, SpaceCreate.model_validate({"slug": "s", "title": "S"})
    )
    now = utcnow()
    detail = await sessions.create_session(
        db,
        SECRETARIAT,
        "s",
        SessionCreate.model_validate(
            {
                "title": "Capacity-building",
                "opens_at": now - timedelta(minutes=1),
                "closes_at": now + timedelta(days=5),
                "questions": ["What has worked?"],
            }
        ),
    )
    async with db.write() as uow:
        writers = [
            User(email=f"w{n}@example.org", display_name=f"Writer {n}") for n in range(args.writers)
        ]
        uow.session.add_all(writers)
        await uow.flush()
        ids = [w.id for w in writers]
        thread_id = await uow.session.scalar(
            select(Question.thread_id).where(Question.session_id == detail.id)
        )
    assert thread_id is not None
    addresses = [
        address(settings, new_token(i, ReplyTarget("thread", thread_id, 0), now.date()))
        for i in ids
    ]
    messages = [reply(addresses[n % len(addresses)], n) for n in range(args.messages)]

    receiver = Receiver(db, settings, wake=asyncio.Event())
    port = await receiver.start("127.0.0.1", 0)

    def send_all() -> None:
        for message in messages:
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                smtp.send_message(message, from_addr=str(message["From"]))

    began = time.perf_counter()
    await asyncio.to_thread(send_all)
    received = time.perf_counter() - began
    await receiver.stop()
    print(
        f"receiver: {len(messages)} messages stored and acknowledged in {received:.1f} s "
        f"({len(messages) / received:.0f}/s)"
    )

    # Start the Markdown worker processes first: neither figure below should pay for it.
    warm = PostCreate(body="Warming up the Markdown workers.")
    await posting.create_post(db, Actor(user_id=ids[0], display_name="W"), thread_id, warm)
    began = time.perf_counter()
    handled = await process_waiting(db, settings)
    worked = time.perf_counter() - began
    async with db.read() as session:
        posts = await session.scalar(select(func.count()).select_from(Post))
        outcomes = dict(
            (
                await session.execute(
                    select(InboxMessage.outcome, func.count()).group_by(InboxMessage.outcome)
                )
            ).all()
        )
    print(
        f"worker: {handled} messages handled in {worked:.1f} s ({handled / worked:.0f}/s); "
        f"{posts} posts; outcomes {outcomes}"
    )

    # The same number of posts through the posting command alone, for comparison.
    began = time.perf_counter()
    for n in range(args.messages):
        writer = Actor(user_id=ids[n % len(ids)], display_name="Writer")
        body = PostCreate(body=f"Reply {n}: peer learning and regional workshops worked for us.")
        await posting.create_post(db, writer, thread_id, body)
    direct = time.perf_counter() - began
    print(
        f"the posting command alone: {args.messages} posts in {direct:.1f} s "
        f"({args.messages / direct:.0f}/s); by mail {worked / direct:.1f}x the time"
    )
    await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--database-url", default="")
    asyncio.run(main(parser.parse_args()))
