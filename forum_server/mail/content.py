"""What each kind of message says, decided when it is sent: the policy is asked again
then, so a post hidden or held since it was queued, or a session the recipient lost
access to, is never mailed (the message is dropped)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.mail.compose import Draft, Target
from forum_server.mail.outbox import Claimed
from forum_server.policy import may_mail_post, session_readers
from forum_server.rooms.models import ForumSession, Post, Question, Thread

EXCERPT_CHARS = 300

SESSION_NOTICES = {
    "opened": "is open: contributions are welcome",
    "closing": "closes in 24 hours",
    "closed": "is closed",
    "reopened": "is open again",
    "extended": "was extended",
}


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a post's text, on one line, cut at a word."""
    flat = re.sub(r"\s+", " ", body).strip()
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


async def _author_name(db: AsyncSession, post: Post) -> str:
    if post.author_id is None:
        return post.guest_name or "A guest"
    user = await db.get(User, post.author_id)
    return user.display_name if user else "Someone"


async def _thread_label(db: AsyncSession, thread: Thread) -> str:
    question = await db.scalar(select(Question).where(Question.thread_id == thread.id))
    return f"Question {question.number}: {question.text}" if question else thread.title


async def _readable(db: AsyncSession, m: Claimed) -> ForumSession | None:
    """The message's session, if its recipient may see it now."""
    if m.session_id is None or m.user_id is None:
        return None
    if m.user_id not in await session_readers(db, m.session_id, [m.user_id]):
        return None
    return await db.get(ForumSession, m.session_id)


async def _post(db: AsyncSession, m: Claimed) -> Draft | None:
    forum_session = await _readable(db, m)
    post = await db.get(Post, m.context.get("post_id", 0))
    if forum_session is None or post is None or m.user_id is None:
        return None
    access = (await session_readers(db, post.session_id, [m.user_id]))[m.user_id]
    thread = await db.get(Thread, post.thread_id)
    if thread is None or not may_mail_post(access, post.status, post.author_id):
        return None
    label = await _thread_label(db, thread)
    author = await _author_name(db, post)
    return Draft(
        subject=f"[{forum_session.title}] {label if len(label) < 90 else label[:87] + '…'}",
        template="post",
        context={
            "author": author,
            "session_title": forum_session.title,
            "thread_label": label,
            "body": post.body,
            "html": post.html,
            "is_reply": m.context.get("reason") == "reply",
            "link": f"/threads/{thread.id}#post-{post.id}",
        },
        session_id=forum_session.id,
        session_title=forum_session.title,
        thread_id=thread.id,
        parent_key=f"post-{post.parent_id}" if post.parent_id else None,
        unsubscribe=Target("thread", thread.id)
        if m.context.get("reason") == "reply" or m.context.get("via") == "thread"
        else Target("session", forum_session.id),
        user_id=m.user_id,
    )


async def _session(db: AsyncSession, m: Claimed) -> Draft | None:
    forum_session = await _readable(db, m)
    event = m.context.get("event", "")
    if forum_session is None or event not in SESSION_NOTICES:
        return None
    return Draft(
        subject=f"[{forum_session.title}] The session {SESSION_NOTICES[event]}",
        template="session",
        context={
            "event": event,
            "notice": SESSION_NOTICES[event],
            "session_title": forum_session.title,
            "closes_at": m.context.get("closes_at"),
            "link": f"/sessions/{forum_session.id}",
        },
        session_id=forum_session.id,
        session_title=forum_session.title,
        unsubscribe=Target("session", forum_session.id),
        user_id=m.user_id,
    )


async def _question(db: AsyncSession, m: Claimed) -> Draft | None:
    forum_session = await _readable(db, m)
    question = await db.get(Question, m.context.get("question_id", 0))
    if forum_session is None or question is None:
        return None
    return Draft(
        subject=f"[{forum_session.title}] New guiding question {question.number}",
        template="question",
        context={
            "session_title": forum_session.title,
            "number": question.number,
            "text": question.text,
            "link": f"/threads/{question.thread_id}",
        },
        session_id=forum_session.id,
        session_title=forum_session.title,
        thread_id=question.thread_id,
        unsubscribe=Target("session", forum_session.id),
        user_id=m.user_id,
    )


async def _moderation(db: AsyncSession, m: Claimed) -> Draft | None:
    """The held posts and flags still waiting, in sessions the recipient moderates."""
    if m.user_id is None:
        return None
    items = []
    for item in m.context.get("items", []):
        readers = await session_readers(db, item["session_id"], [m.user_id])
        access = readers.get(m.user_id)
        post = await db.get(Post, item["post_id"])
        if access is None or not access.can_moderate or post is None:
            continue
        thread = await db.get(Thread, post.thread_id)
        items.append(
            {
                "kind": item["kind"],
                "author": await _author_name(db, post),
                "thread": await _thread_label(db, thread) if thread else "",
                "excerpt": excerpt(post.body, 160),
                "link": f"/threads/{post.thread_id}#post-{post.id}",
            }
        )
    if not items:
        return None
    return Draft(
        subject=f"{len(items)} new item{'s' if len(items) > 1 else ''} for moderation",
        template="moderation",
        context={"items": items, "link": "/moderation"},
        unsubscribe=Target("moderation", 0),
        user_id=m.user_id,
    )


async def _digest(db: AsyncSession, m: Claimed) -> Draft | None:
    """New posts grouped by session, then question or topic, each re-checked."""
    if m.user_id is None:
        return None
    posts = list(
        await db.scalars(
            select(Post).where(Post.id.in_(m.context.get("post_ids", []))).order_by(Post.id)
        )
    )
    groups: dict[int, dict[str, Any]] = {}
    for post in posts:
        readers = await session_readers(db, post.session_id, [m.user_id])
        access = readers.get(m.user_id)
        if access is None or not may_mail_post(access, post.status, post.author_id):
            continue
        if post.session_id not in groups:
            forum_session = await db.get(ForumSession, post.session_id)
            title = forum_session.title if forum_session else ""
            groups[post.session_id] = {"title": title, "id": post.session_id, "threads": {}}
        threads = groups[post.session_id]["threads"]
        if post.thread_id not in threads:
            thread = await db.get(Thread, post.thread_id)
            label = await _thread_label(db, thread) if thread else ""
            threads[post.thread_id] = {"label": label, "link": f"/threads/{post.thread_id}"}
            threads[post.thread_id]["posts"] = []
        threads[post.thread_id]["posts"].append(
            {
                "author": await _author_name(db, post),
                "excerpt": excerpt(post.body),
                "link": f"/threads/{post.thread_id}#post-{post.id}",
            }
        )
    if not groups:
        return None
    sessions = [{**g, "threads": list(g["threads"].values())} for g in groups.values()]
    count = sum(len(t["posts"]) for g in sessions for t in g["threads"])
    only = sessions[0] if len(sessions) == 1 else None
    return Draft(
        subject=f"Daily digest: {count} new contribution{'s' if count > 1 else ''}",
        template="digest",
        context={"sessions": sessions, "count": count},
        session_id=only["id"] if only else None,
        session_title=only["title"] if only else "",
        unsubscribe=Target("session", only["id"]) if only else Target("digest", 0),
        user_id=m.user_id,
    )


async def _plain(db: AsyncSession, m: Claimed) -> Draft | None:
    """Invitations, address confirmations and password resets: their text is all in
    the context the command queued."""
    subjects = {
        "invitation": f"Invitation to {m.context.get('space_title', '')}",
        "confirm_email": "Confirm your e-mail address",
        "password_reset": "Choose a new password",
    }
    return Draft(subject=subjects[m.kind], template=m.kind, context=dict(m.context))


DRAFTERS: dict[str, Callable[[AsyncSession, Claimed], Awaitable[Draft | None]]] = {
    "post": _post,
    "session": _session,
    "question": _question,
    "moderation": _moderation,
    "digest": _digest,
    "invitation": _plain,
    "confirm_email": _plain,
    "password_reset": _plain,
}


async def draft_for(db: AsyncSession, message: Claimed) -> Draft | None:
    """What the message says now, or None when it must not be sent any more."""
    drafter = DRAFTERS.get(message.kind)
    return None if drafter is None else await drafter(db, message)
