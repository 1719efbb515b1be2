"""What each kind of message says, decided when it is sent: the policy is asked again
then, so a post hidden or held since it was queued, or a session the recipient lost
access to, is never mailed (the message is dropped)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.accounts.queries import user_id_by_email
from forum_server.calls.reminders import KIND as CALL_REMINDER
from forum_server.calls.reminders import draft_reminder as draft_call_reminder
from forum_server.focal.mail import draft_focal
from forum_server.i18n import N_, base_code, gettext, language, ngettext
from forum_server.mail.answers import KIND as ANSWER
from forum_server.mail.answers import draft_answer
from forum_server.mail.compose import Draft, Reader, Target, writing_for
from forum_server.mail.outbox import Claimed
from forum_server.mail.reply_tokens import ReplyTarget
from forum_server.participation.mail import KIND as REMINDER
from forum_server.participation.mail import draft_reminder as draft_participation_reminder
from forum_server.policy import SessionAccess, may_mail_post, session_readers
from forum_server.rooms.models import ForumSession, Post, Question, Thread

EXCERPT_CHARS = 300

SESSION_NOTICES = {
    "opened": N_("The session is open: contributions are welcome"),
    "closing": N_("The session closes in 24 hours"),
    "closed": N_("The session is closed"),
    "reopened": N_("The session is open again"),
    "extended": N_("The session was extended"),
}


class Lookups:
    """What one delivery batch reads again and again (a session's readers, posts,
    thread titles, authors' names), read once for the batch. The policy is still
    asked at send time: the batch lasts seconds."""

    def __init__(self, db: AsyncSession, default_language: str = "en") -> None:
        self.db = db
        self.default_language = default_language
        self._readers: dict[int, dict[int, SessionAccess]] = {}
        self._wanted: dict[int, set[int]] = {}
        self._people: dict[int, tuple[str | None, str | None]] = {}
        self._names: dict[int, str | None] = {}
        self._threads: dict[int, tuple[int | None, str]] = {}
        self._posts: dict[int, Post] = {}
        self._checked: dict[int, set[int]] = {}
        self._excerpts: dict[tuple[int, int], str] = {}
        self._generations: dict[int, int] = {}
        self._recipients: set[int] = set()

    def expect(self, messages: Iterable[Claimed]) -> None:
        """Announces the batch, so that each session's readers are read in one go."""
        for m in messages:
            if m.session_id is not None and m.user_id is not None:
                self._wanted.setdefault(m.session_id, set()).add(m.user_id)
                self._recipients.add(m.user_id)

    async def reply_to(
        self, access: SessionAccess, kind: str, target_id: int
    ) -> ReplyTarget | None:
        """What the recipient's reply by mail answers, where they may post (else None:
        a reply would only be refused)."""
        user_id = access.actor.user_id
        if user_id is None or not access.may_post:
            return None
        if user_id not in self._generations:
            # The batch's recipients at once: their reply addresses carry it.
            wanted = sorted((self._recipients | {user_id}) - set(self._generations))
            for start in range(0, len(wanted), 1000):
                rows = await self.db.execute(
                    select(User.id, User.sign_in_generation).where(
                        User.id.in_(wanted[start : start + 1000])
                    )
                )
                self._generations.update((user, generation) for user, generation in rows)
        generation = self._generations.get(user_id)
        return None if generation is None else ReplyTarget(kind, target_id, generation)

    async def access(self, session_id: int, user_id: int) -> SessionAccess | None:
        """The user's access to the session if they may see it now, else None."""
        known = self._readers.setdefault(session_id, {})
        checked = self._checked.setdefault(session_id, set())
        if user_id not in checked:
            # Everyone of the batch expected in this session not checked yet, at once.
            wanted = (self._wanted.get(session_id, set()) | {user_id}) - checked
            known.update(await session_readers(self.db, session_id, wanted))
            checked |= wanted
        return known.get(user_id)

    def excerpt(self, post: Post, limit: int = EXCERPT_CHARS) -> str:
        key = (post.id, limit)
        if key not in self._excerpts:
            self._excerpts[key] = excerpt(post.body, limit)
        return self._excerpts[key]

    async def posts(self, ids: Iterable[int]) -> list[Post]:
        """The posts with these ids that exist, in id order (digests share theirs)."""
        wanted = sorted(set(ids))
        missing = [i for i in wanted if i not in self._posts]
        for start in range(0, len(missing), 1000):
            chunk = missing[start : start + 1000]
            for post in await self.db.scalars(select(Post).where(Post.id.in_(chunk))):
                self._posts[post.id] = post
        return [self._posts[i] for i in wanted if i in self._posts]

    async def reader(self, m: Claimed) -> Reader:
        """The recipient's language and time zone as their profile says; without a
        language there, the one the message was queued in (an inviter's), else the
        site's default. An invitation's address may have an account by now."""
        user_id = m.user_id if m.user_id is not None else await user_id_by_email(self.db, m.to)
        chosen, zone = None, None
        if user_id is not None:
            if user_id not in self._people:
                user = await self.db.get(User, user_id)
                self._people[user_id] = (
                    base_code(user.language or "") if user else None,
                    user.time_zone if user else None,
                )
            chosen, zone = self._people[user_id]
        queued_in = base_code(str(m.context.get("language") or ""))
        return Reader(chosen or queued_in or self.default_language, zone)

    async def author(self, post: Post) -> str:
        """The author's name, in the language of the work at hand for a guest."""
        if post.author_id is None:
            return post.guest_name or gettext("A guest")
        if post.author_id not in self._names:
            user = await self.db.get(User, post.author_id)
            self._names[post.author_id] = user.display_name if user else None
        return self._names[post.author_id] or gettext("Someone")

    async def label(self, thread_id: int) -> str:
        """ "Question 2: …" for a guiding question's thread, else the topic's title."""
        if thread_id not in self._threads:
            thread = await self.db.get(Thread, thread_id)
            question = await self.db.scalar(select(Question).where(Question.thread_id == thread_id))
            self._threads[thread_id] = (
                (question.number, question.text)
                if question
                else (None, thread.title if thread else "")
            )
        number, text = self._threads[thread_id]
        if number is None:
            return text
        return gettext("Question %(number)s: %(text)s", number=number, text=text)


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a post's text, on one line, cut at a word."""
    flat = re.sub(r"\s+", " ", body).strip()
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


async def _readable(look: Lookups, m: Claimed) -> ForumSession | None:
    """The message's session, if its recipient may see it now."""
    if m.session_id is None or m.user_id is None:
        return None
    if await look.access(m.session_id, m.user_id) is None:
        return None
    return await look.db.get(ForumSession, m.session_id)


async def _post(look: Lookups, m: Claimed) -> Draft | None:
    forum_session = await _readable(look, m)
    post = await look.db.get(Post, m.context.get("post_id", 0))
    if forum_session is None or post is None or m.user_id is None:
        return None
    access = await look.access(post.session_id, m.user_id)
    thread = await look.db.get(Thread, post.thread_id)
    if thread is None or access is None or not may_mail_post(access, post.status, post.author_id):
        return None
    label = await look.label(thread.id)
    author = await look.author(post)
    return Draft(
        subject=f"[{forum_session.title}] {label if len(label) < 90 else label[:87] + '…'}",
        template="post",
        context={
            "author": author,
            "session_title": forum_session.title,
            "thread_label": label,
            "body": post.body,
            "html": post.html,
            "post_language": language(post.lang) if post.lang else None,
            "is_reply": m.context.get("reason") == "reply",
            "is_mention": m.context.get("reason") == "mention",
            "link": f"/threads/{thread.id}#post-{post.id}",
        },
        session_id=forum_session.id,
        session_title=forum_session.title,
        thread_id=thread.id,
        parent_key=f"post-{post.parent_id}" if post.parent_id else None,
        unsubscribe=Target("thread", thread.id)
        if m.context.get("reason") in ("reply", "mention") or m.context.get("via") == "thread"
        else Target("session", forum_session.id),
        user_id=m.user_id,
        reply_to=await look.reply_to(access, "post", post.id),
    )


async def _session(look: Lookups, m: Claimed) -> Draft | None:
    forum_session = await _readable(look, m)
    event = m.context.get("event", "")
    if forum_session is None or event not in SESSION_NOTICES:
        return None
    notice = gettext(SESSION_NOTICES[event])
    closes_at = m.context.get("closes_at")
    return Draft(
        subject=f"[{forum_session.title}] {notice}",
        template="session",
        context={
            "event": event,
            "notice": notice,
            "session_title": forum_session.title,
            "closes_at": datetime.fromisoformat(closes_at) if closes_at else None,
            "link": f"/sessions/{forum_session.id}",
        },
        session_id=forum_session.id,
        session_title=forum_session.title,
        unsubscribe=Target("session", forum_session.id),
        user_id=m.user_id,
    )


async def _question(look: Lookups, m: Claimed) -> Draft | None:
    forum_session = await _readable(look, m)
    question = await look.db.get(Question, m.context.get("question_id", 0))
    if forum_session is None or question is None or m.user_id is None:
        return None
    access = await look.access(forum_session.id, m.user_id)
    assert access is not None  # _readable asked
    return Draft(
        subject=f"[{forum_session.title}] "
        + gettext("New guiding question %(number)s", number=question.number),
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
        reply_to=await look.reply_to(access, "thread", question.thread_id),
    )


async def _moderation(look: Lookups, m: Claimed) -> Draft | None:
    """The held posts and flags still waiting, in sessions the recipient moderates."""
    if m.user_id is None:
        return None
    items = []
    for item in m.context.get("items", []):
        access = await look.access(item["session_id"], m.user_id)
        post = await look.db.get(Post, item["post_id"])
        if access is None or not access.can_moderate or post is None:
            continue
        items.append(
            {
                "kind": item["kind"],
                "author": await look.author(post),
                "thread": await look.label(post.thread_id),
                "excerpt": look.excerpt(post, 160),
                "link": f"/threads/{post.thread_id}#post-{post.id}",
            }
        )
    if not items:
        return None
    return Draft(
        subject=ngettext(
            "%(num)s new item for moderation", "%(num)s new items for moderation", len(items)
        ),
        template="moderation",
        context={"items": items, "link": "/moderation"},
        unsubscribe=Target("moderation", 0),
        user_id=m.user_id,
    )


async def _digest(look: Lookups, m: Claimed) -> Draft | None:
    """New posts grouped by session, then question or topic, each re-checked."""
    if m.user_id is None:
        return None
    db = look.db
    posts = await look.posts(m.context.get("post_ids", []))
    groups: dict[int, dict[str, Any]] = {}
    for post in posts:
        access = await look.access(post.session_id, m.user_id)
        if access is None or not may_mail_post(access, post.status, post.author_id):
            continue
        if post.session_id not in groups:
            forum_session = await db.get(ForumSession, post.session_id)
            title = forum_session.title if forum_session else ""
            groups[post.session_id] = {"title": title, "id": post.session_id, "threads": {}}
        threads = groups[post.session_id]["threads"]
        if post.thread_id not in threads:
            label = await look.label(post.thread_id)
            threads[post.thread_id] = {"label": label, "link": f"/threads/{post.thread_id}"}
            threads[post.thread_id]["posts"] = []
        threads[post.thread_id]["posts"].append(
            {
                "author": await look.author(post),
                "excerpt": look.excerpt(post),
                "link": f"/threads/{post.thread_id}#post-{post.id}",
            }
        )
    if not groups:
        return None
    sessions = [{**g, "threads": list(g["threads"].values())} for g in groups.values()]
    count = sum(len(thread["posts"]) for g in sessions for thread in g["threads"])
    only = sessions[0] if len(sessions) == 1 else None
    return Draft(
        subject=ngettext(
            "Daily digest: %(num)s new contribution",
            "Daily digest: %(num)s new contributions",
            count,
        ),
        template="digest",
        context={"sessions": sessions, "count": count},
        session_id=only["id"] if only else None,
        session_title=only["title"] if only else "",
        unsubscribe=Target("session", only["id"]) if only else Target("digest", 0),
        user_id=m.user_id,
    )


async def _plain(look: Lookups, m: Claimed) -> Draft | None:
    """Invitations, address confirmations, password resets, the links the secretariat
    sends and webhooks switched off: their text is all in the context the command
    queued."""
    context = dict(m.context)
    if m.kind == "invitation":
        subject = gettext("Invitation to %(space)s", space=context.get("space_title", ""))
        if context.get("expires_at"):
            context["expires_at"] = datetime.fromisoformat(context["expires_at"])
    elif m.kind == "confirm_email":
        subject = gettext("Confirm your e-mail address")
    elif m.kind == "sign_in_link" and context.get("because") == "created":
        subject = gettext("Your account is ready: choose a password")
    elif m.kind == "sign_in_link":
        subject = gettext("Your sign-in was reset: choose a new password")
    elif m.kind == "webhook_disabled":
        subject = gettext("A webhook was switched off")
    else:
        subject = gettext("Choose a new password")
    return Draft(subject=subject, template=m.kind, context=context)


async def _call_reminder(look: Lookups, m: Claimed) -> Draft | None:
    return await draft_call_reminder(look.db, m)


DRAFTERS: dict[str, Callable[[Lookups, Claimed], Awaitable[Draft | None]]] = {
    "post": _post,
    "session": _session,
    "question": _question,
    "moderation": _moderation,
    "digest": _digest,
    "invitation": _plain,
    "confirm_email": _plain,
    "password_reset": _plain,
    "sign_in_link": _plain,
    "webhook_disabled": _plain,
    "focal_notification": draft_focal,
    ANSWER: draft_answer,
    REMINDER: draft_participation_reminder,
    CALL_REMINDER: _call_reminder,
}


async def draft_for(look: Lookups, message: Claimed) -> Draft | None:
    """What the message says now, in its recipient's language, or None when it must
    not be sent any more."""
    drafter = DRAFTERS.get(message.kind)
    if drafter is None:
        return None
    reader = await look.reader(message)
    with writing_for(reader):
        draft = await drafter(look, message)
    return None if draft is None else replace(draft, reader=reader)
