"""Handling one message received for a reply address: it becomes exactly one post,
through the same commands as the web (so the same rules, live delivery and
notifications), or exactly one answer saying why not — each in the transaction that
marks the inbox row done. Mail sent by programs (auto-replies, bounces, lists) gets
no answer at all, only a line in the log; so does what cannot be read.

Its attached files go with the post where they would be accepted from the thread's
form; those refused are named in an answer, and the post is made all the same.

The reply address says who writes and to what; the From: header is never trusted.
Replying twice with the same message (a mail system delivering it again) makes no
second post: the post's client_id is derived from the message's Message-ID.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.credentials import actor_of_account
from forum_server.accounts.models import User
from forum_server.accounts.standing import standing_of
from forum_server.db import Database, UnitOfWork
from forum_server.errors import DomainError, Forbidden, NotFound, Unavailable
from forum_server.files.attachments import MAX_ATTACHMENTS, add_stored
from forum_server.files.storage import file_store
from forum_server.mail import inbox
from forum_server.mail.answers import KEEPS_TEXT_UP_TO, KIND, Refusal, refusal_for
from forum_server.mail.attachments import store_mail_files
from forum_server.mail.incoming import Incoming, parse, topic_title
from forum_server.mail.outbox import Outgoing, queue
from forum_server.mail.quoting import reply_text
from forum_server.mail.reply_tokens import ReplyToken, token_of
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    Standing,
    check_may_sign_in,
    load_post,
    load_session,
    load_thread,
    may_sign_in,
)
from forum_server.rooms import posting
from forum_server.rooms.markdown import MAX_SOURCE_CHARS
from forum_server.rooms.models import ForumSession, Question, SessionPeriod, Thread
from forum_server.rooms.posting import Posted
from forum_server.rooms.schemas import PostCreate, ThreadCreate
from forum_server.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """Where a reply goes, as its writer may see it."""

    space_id: int
    session_id: int
    session_title: str
    thread_id: int | None  # None: a new topic in the session
    thread_label: str
    parent_id: int | None  # the post replied to


@dataclass(frozen=True)
class Reply:
    item: inbox.Claimed
    incoming: Incoming
    token: ReplyToken
    user_id: int
    email: str
    actor: Actor

    @property
    def key(self) -> str:
        """Stable for one message to one address, however often it is delivered."""
        origin = self.incoming.message_id or hashlib.sha256(self.item.raw).hexdigest()
        seed = f"{origin}|{self.item.recipient.lower()}".encode()
        return hashlib.sha256(seed).hexdigest()[:32]


async def handle(db: Database, settings: Settings, item: inbox.Claimed) -> str:
    """Acts on one claimed message; returns what became of it. Raises LostClaim if
    another worker took it over, Unavailable if the database is busy (try later)."""
    try:
        incoming = parse(item.raw, item.mail_from)
    except Exception:
        log.exception("mail %d: unreadable, dropped", item.id)
        return await _settle(db, item, "dropped", "unreadable")
    if not incoming.has_sender:
        log.warning("mail %d: no From header, not a message a person sent; dropped", item.id)
        return await _settle(db, item, "dropped", "no From header")
    if incoming.automatic:
        log.info("mail %d from %r: not answered (%s)", item.id, incoming.sender, incoming.automatic)
        return await _settle(db, item, "ignored", incoming.automatic)
    token = token_of(settings, item.recipient)
    async with db.read() as session:  # one read for the writer and where they write
        user = await session.get(User, token.user_id) if token else None
        standing = await standing_of(session, user) if user else None
        place = await _place(session, actor_of_account(user), token) if user and token else None
    if token is None or user is None or standing is None:
        log.warning("mail %d to %s: no such reply address, dropped", item.id, item.recipient)
        return await _settle(db, item, "dropped", "no such reply address")
    reply = Reply(item, incoming, token, user.id, user.email, actor_of_account(user))
    log.info("mail %d: from %r for account %d (%s)", item.id, incoming.sender, user.id, token.kind)
    if token.generation != user.sign_in_generation % 2**16 or not may_sign_in(standing):
        return await _answer(db, reply, _ended(standing), None)
    if token.expired(utcnow().date()):
        return await _answer(db, reply, Refusal("expired"), None)
    if place is None:
        return await _answer(db, reply, Refusal("unknown"), None)
    return await _post(db, settings, reply, place)


def _ended(standing: Standing) -> Refusal:
    """Why an address that was handed out no longer works: its account's sign-ins were
    all ended (a new password, deactivation) or it is suspended site-wide."""
    try:
        check_may_sign_in(standing)
    except Forbidden as error:
        if error.code == "suspended":
            return Refusal("suspended", {"message": error.message})
    return Refusal("revoked")


async def _post(db: Database, settings: Settings, reply: Reply, place: Place) -> str:
    text = reply_text(reply.incoming.text)
    if not text:
        return await _answer(db, reply, Refusal("empty"), place)
    if len(text) > MAX_SOURCE_CHARS:
        details = {"length": len(text), "limit": MAX_SOURCE_CHARS}
        return await _answer(db, reply, Refusal("too_long", details), place, text)
    # Files are checked and stored before the post's transaction, which names the kept
    # ones; if the post is refused, no row names them and the retention sweep deletes
    # their content.
    stored, refused = await store_mail_files(
        file_store(settings), reply.incoming.files, settings.max_upload_bytes
    )
    not_kept: dict[str, Any] = {}
    if refused:
        not_kept = {
            "refused_files": [f.as_context() for f in refused],
            "file_limit": MAX_ATTACHMENTS,
        }
    outcome = [""]

    async def settle(uow: UnitOfWork, posted: Posted) -> None:
        await add_stored(uow, reply.actor, place.space_id, stored, posted)
        held = posted.post.status == "pending"
        outcome[0] = "held" if held else "posted"
        note = f"post {posted.post.id}" + ("" if posted.created else " (delivered again)")
        if stored or refused:
            note += f", {len(stored)} file(s) kept, {len(refused)} refused"
        await inbox.settle(uow, reply.item, outcome[0], note=note, post_id=posted.post.id)
        if not posted.created:
            return
        if held:
            await _queue_answer(uow, reply, Refusal("held", not_kept), place, "")
        elif refused:
            await _queue_answer(uow, reply, Refusal("files_refused", not_kept), place, "")

    client_id = f"mail-{reply.key}"
    try:
        if place.thread_id is None:
            title = topic_title(reply.incoming.subject)
            if not title:
                return await _answer(db, reply, Refusal("no_title"), place, text)
            data = ThreadCreate(title=title[:200].strip(), body=text, client_id=client_id)
            await posting.create_thread(db, reply.actor, place.session_id, data, also=settle)
        else:
            post = PostCreate(body=text, parent_id=place.parent_id, client_id=client_id)
            await posting.create_post(db, reply.actor, place.thread_id, post, also=settle)
    except Unavailable:
        raise
    except DomainError as error:
        if error.code == "client_id_reused":  # another message with the same Message-ID
            log.warning("mail %d: Message-ID seen before for another text", reply.item.id)
            return await _settle(db, reply.item, "dropped", "Message-ID reused")
        return await _answer(db, reply, refusal_for(error), place, text)
    except ValidationError as error:
        message = str(error.errors()[0].get("msg", "")).removeprefix("Value error, ")
        return await _answer(db, reply, Refusal("invalid", {"message": message}), place, text)
    log.info("mail %d: %s in thread %s", reply.item.id, outcome[0], place.thread_id or "new")
    return outcome[0]


async def _place(session: AsyncSession, actor: Actor, token: ReplyToken) -> Place | None:
    """Where the reply address leads, as its writer may see it now (None if they may
    not, or it is gone). One question to the policy, then the titles to show."""
    kind, target = token.kind, token.target_id
    parent_id = thread_id = None
    try:
        if kind == "post":
            post, access = await load_post(session, actor, target)
            parent_id, thread_id = post.id, post.thread_id
        elif kind == "thread":
            thread, access = await load_thread(session, actor, target)
            thread_id = thread.id
        else:
            _, access = await load_session(session, actor, target)
    except NotFound:
        return None
    forum_session = await session.get(ForumSession, access.session_id)
    assert forum_session is not None  # the policy just found it
    label = ""
    if thread_id is not None:
        question = await session.scalar(select(Question).where(Question.thread_id == thread_id))
        title = await session.scalar(select(Thread.title).where(Thread.id == thread_id))
        label = f"Question {question.number}: {question.text}" if question else title or ""
    return Place(
        forum_session.space_id, forum_session.id, forum_session.title, thread_id, label, parent_id
    )


async def _closed_at(db: Database, session_id: int) -> str | None:
    async with db.read() as session:
        closed = await session.scalar(
            select(func.max(SessionPeriod.closes_at)).where(SessionPeriod.session_id == session_id)
        )
    return closed.isoformat() if closed else None


async def _answer(
    db: Database, reply: Reply, refusal: Refusal, place: Place | None, text: str | None = None
) -> str:
    """Queues the answer and marks the message done, in one transaction."""
    if refusal.reason == "closed" and place is not None:
        closed_at = await _closed_at(db, place.session_id)
        refusal = Refusal(refusal.reason, {**refusal.details, "closed_at": closed_at})
    if text is None:
        text = reply_text(reply.incoming.text)
    async with db.write() as uow:
        await _queue_answer(uow, reply, refusal, place, text)
        await inbox.settle(uow, reply.item, "answered", note=refusal.reason)
    log.info("mail %d: answered (%s)", reply.item.id, refusal.reason)
    return "answered"


async def _queue_answer(
    uow: UnitOfWork, reply: Reply, refusal: Refusal, place: Place | None, text: str
) -> None:
    incoming = reply.incoming
    context: dict[str, Any] = {
        **refusal.details,
        "reason": refusal.reason,
        "subject": incoming.subject[:200],
        "in_reply_to": incoming.message_id,
        "references": list(incoming.references),
        "text": text[:KEEPS_TEXT_UP_TO],
    }
    if place is not None:
        context.update(
            session_title=place.session_title,
            session_link=f"/sessions/{place.session_id}",
            thread_label=place.thread_label,
            thread_link=f"/threads/{place.thread_id}" if place.thread_id else "",
        )
    # One answer per message and reason, however often the message is delivered.
    key = f"answer-{reply.key}-{refusal.reason}"
    await queue(uow, [Outgoing(KIND, reply.email, context, user_id=reply.user_id, message_key=key)])


async def _settle(db: Database, item: inbox.Claimed, outcome: str, note: str) -> str:
    async with db.write() as uow:
        await inbox.settle(uow, item, outcome, note=note)
    return outcome


async def give_up(db: Database, settings: Settings, item: inbox.Claimed, error: Exception) -> None:
    """A message that failed unexpectedly MAX_ATTEMPTS times: marked failed (its raw
    text kept for a look) and, where the address names an account, answered."""
    log.error("mail %d: given up after %d attempts: %r", item.id, item.attempts, error)
    note = f"{type(error).__name__}: {error}"
    token = token_of(settings, item.recipient)
    async with db.read() as session:
        user = await session.get(User, token.user_id) if token else None
    async with db.write() as uow:
        if user is not None:
            context: dict[str, Any] = {"reason": "failed", "subject": "", "references": []}
            key = f"answer-failed-{item.id}"
            answer = Outgoing(KIND, user.email, context, user_id=user.id, message_key=key)
            await queue(uow, [answer])
        await inbox.settle(uow, item, "failed", note=note)
