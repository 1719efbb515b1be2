"""Writing notifications, in the transaction of the change that causes them.

The unit of work's before-commit hook reads the events the change emitted: a
published post tells the author of the post it answers and the people it mentions;
an edit tells the people it newly mentions; a new guiding question tells the
session's followers. Decisions on held posts are told by the moderation commands
themselves (`held_post_decided`). Only people who may read the session now are told,
and nobody is told of their own doing. A mention also goes by e-mail (unless the
person turned the thread or session off), queued in the same transaction.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from forum_server.accounts.models import User
from forum_server.db import UnitOfWork
from forum_server.mail.models import Watch
from forum_server.mail.notifications import session_followers
from forum_server.mail.outbox import Outgoing, queue
from forum_server.notifications.models import Notification, PostMention
from forum_server.orm import utcnow
from forum_server.policy import session_readers
from forum_server.rooms.markdown import mentioned_in
from forum_server.rooms.models import Post, Question
from forum_server.rooms.state import PUBLISHED

EVENTS = frozenset({"post.created", "post.edited", "question.added"})
REPLY, MENTION, APPROVED, REJECTED, QUESTION = (
    "reply",
    "mention",
    "approved",
    "rejected",
    "question",
)


async def add_notifications(uow: UnitOfWork) -> None:
    """The unit of work's before-commit hook."""
    for record in uow.pending_events:
        if record.type not in EVENTS or record.session_id is None:
            continue
        subject = json.loads(record.data).get("id")
        if not isinstance(subject, int):
            continue  # an event about nothing stored (not one this hook speaks of)
        if record.type == "question.added":
            await _question_added(uow, record.session_id, subject)
            continue
        post = await uow.session.get(Post, subject)
        if post is None or post.status != PUBLISHED:
            continue  # a held post tells nobody until it is approved
        await _mentions(uow, post, edited=record.type == "post.edited")
        if record.type == "post.created" and post.parent_id is not None:
            await _reply(uow, post)


async def _readers(uow: UnitOfWork, session_id: int, user_ids: set[int]) -> set[int]:
    return set(await session_readers(uow.session, session_id, user_ids))


async def _reply(uow: UnitOfWork, post: Post) -> None:
    parent_author = await uow.session.scalar(
        select(Post.author_id).where(Post.id == post.parent_id)
    )
    if parent_author is None or parent_author == post.author_id:
        return
    told = await uow.session.scalar(
        select(Notification.id).where(
            Notification.user_id == parent_author,
            Notification.post_id == post.id,
            Notification.kind == MENTION,
        )
    )
    if told is None and await _readers(uow, post.session_id, {parent_author}):
        uow.session.add(_about_post(parent_author, REPLY, post))


async def _mentions(uow: UnitOfWork, post: Post, *, edited: bool) -> None:
    """Tells the people the post mentions who were not told yet."""
    mentioned = mentioned_in(post.html) - {post.author_id or 0}
    if not mentioned:
        return
    told = set(
        await uow.session.scalars(select(PostMention.user_id).where(PostMention.post_id == post.id))
    )
    new = await _readers(uow, post.session_id, mentioned - told)
    if not new:
        return
    now = utcnow()
    for user_id in sorted(new):
        uow.session.add(PostMention(post_id=post.id, user_id=user_id, notified_at=now))
        uow.session.add(_about_post(user_id, MENTION, post))
    await _mail_mentions(uow, post, new, edited=edited)


async def _mail_mentions(uow: UnitOfWork, post: Post, user_ids: set[int], *, edited: bool) -> None:
    """A message to each person mentioned who has an address and did not turn the
    thread (or, without a choice for it, the session) off. Its key is the one the
    post's own message to them would have, so nobody is sent both; an edit's mention
    has its own."""
    choices: dict[tuple[int, str], str] = {
        (user_id, target): level
        for user_id, target, level in await uow.session.execute(
            select(Watch.user_id, Watch.target_type, Watch.level).where(
                Watch.user_id.in_(user_ids),
                ((Watch.target_type == "thread") & (Watch.target_id == post.thread_id))
                | ((Watch.target_type == "session") & (Watch.target_id == post.session_id)),
            )
        )
    }
    emails = dict(
        (await uow.session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))).all()
    )
    wanted = []
    for user_id in sorted(user_ids):
        level = choices.get((user_id, "thread")) or choices.get((user_id, "session"))
        if level == "none" or not emails.get(user_id):
            continue
        key = f"post-{post.id}.mention.u{user_id}" if edited else f"post-{post.id}.u{user_id}"
        wanted.append(
            Outgoing(
                "post",
                emails[user_id],
                {"post_id": post.id, "reason": "mention"},
                user_id=user_id,
                session_id=post.session_id,
                message_key=key,
            )
        )
    await queue(uow, wanted)


async def _question_added(uow: UnitOfWork, session_id: int, question_id: int) -> None:
    question = await uow.session.get(Question, question_id)
    if question is None:
        return
    followers = await _readers(uow, session_id, await session_followers(uow, session_id))
    uow.session.add_all(
        Notification(
            user_id=user_id,
            kind=QUESTION,
            session_id=session_id,
            thread_id=question.thread_id,
            question_id=question.id,
        )
        for user_id in sorted(followers)
    )


async def held_post_decided(uow: UnitOfWork, post: Post, approved: bool) -> None:
    """Tells the author of a held post that a moderator published or turned it down
    (called by the moderation commands, in their transaction)."""
    if post.author_id is None:
        return  # a guest has no page to be told on
    if await _readers(uow, post.session_id, {post.author_id}):
        uow.session.add(_about_post(post.author_id, APPROVED if approved else REJECTED, post))


def _about_post(user_id: int, kind: str, post: Post) -> Notification:
    return Notification(
        user_id=user_id,
        kind=kind,
        session_id=post.session_id,
        thread_id=post.thread_id,
        post_id=post.id,
    )
