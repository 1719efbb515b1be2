"""Turning a draft into a message: templates (plain text first, an HTML alternative),
and the headers that let mail clients thread, list and unsubscribe.

Threading: every message about a session refers to the session's own root id, and a
post's notice to its thread's, so a client groups a session's messages as one
conversation. The ids are stable: a retried message keeps its Message-ID. An answer
to a reply by mail threads under the message it answers instead.

A notice its recipient may answer by mail carries a Reply-To: a signed reply address
for that recipient and what the notice is about (reply_tokens.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from itsdangerous import BadData, URLSafeSerializer
from jinja2 import Environment, PackageLoader, select_autoescape

from forum_server.i18n import SOURCE_LANGUAGE, current_time_zone, language, using_language
from forum_server.i18n.jinja import install_i18n
from forum_server.i18n.site import site_name
from forum_server.mail.reply_tokens import ReplyTarget, address, new_token
from forum_server.orm import utcnow
from forum_server.settings import Settings

_UNSUBSCRIBE_SALT = "forum-mail-unsubscribe"

_env = Environment(
    loader=PackageLoader("forum_server", "web/templates"),
    # The HTML part is autoescaped like every page; the text part is not HTML at all.
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
install_i18n(_env)


@dataclass(frozen=True)
class Reader:
    """Who a message is written for: their language and time zone (None: UTC)."""

    language: str = SOURCE_LANGUAGE
    time_zone: str | None = None


@contextmanager
def writing_for(reader: Reader) -> Iterator[None]:
    """Text, dates and times made in the block are in the reader's language and zone."""
    with using_language(reader.language):
        token = current_time_zone.set(reader.time_zone)
        try:
            yield
        finally:
            current_time_zone.reset(token)


@dataclass(frozen=True)
class Target:
    """What a message's one-click unsubscribe stops: a session, a thread, or moderation."""

    type: str
    id: int


@dataclass(frozen=True)
class Draft:
    """What one message says, before it becomes MIME."""

    subject: str
    template: str  # mail/<template>.txt and mail/<template>.html
    context: dict[str, Any] = field(default_factory=dict)
    session_id: int | None = None
    session_title: str = ""
    thread_id: int | None = None
    parent_key: str | None = None  # the message this one answers (a post's parent)
    unsubscribe: Target | None = None
    user_id: int | None = None
    reply_to: ReplyTarget | None = None  # what a reply by mail to it answers
    auto_replied: bool = False  # an answer to a message received (RFC 3834)
    answers: str | None = None  # that message's Message-ID, if it had one
    references: tuple[str, ...] = ()  # and its own References
    reader: Reader = Reader()  # the subject was written for them; the body will be


def unsubscribe_token(secret_key: str, user_id: int, target: Target) -> str:
    return URLSafeSerializer(secret_key, salt=_UNSUBSCRIBE_SALT).dumps(
        [user_id, target.type, target.id]
    )


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[int, Target] | None:
    """The person and target a one-click link names, or None if it was not ours."""
    try:
        data = URLSafeSerializer(secret_key, salt=_UNSUBSCRIBE_SALT).loads(token)
    except BadData:
        return None
    if not (isinstance(data, list) and len(data) == 3 and isinstance(data[0], int)):
        return None
    if not isinstance(data[1], str) or not isinstance(data[2], int):
        return None
    return data[0], Target(data[1], data[2])


def reply_address(settings: Settings, user_id: int | None, draft: Draft) -> str | None:
    """The address a reply to this message goes to: a signed reply address for the
    recipient and what the message is about, or None (replies go to the sender)."""
    if draft.reply_to is None or user_id is None:
        return None
    return address(settings, new_token(user_id, draft.reply_to, utcnow().date()))


def _root(settings: Settings, name: str) -> str:
    return f"<{name}@{settings.message_domain}>"


def build(settings: Settings, key: str, to: str, draft: Draft) -> EmailMessage:
    """The MIME message: text/plain first, then text/html, with the list headers; in
    the language and time zone of the draft's reader."""
    unsubscribe_url = None
    if draft.unsubscribe is not None and draft.user_id is not None:
        token = unsubscribe_token(settings.secret_key, draft.user_id, draft.unsubscribe)
        unsubscribe_url = f"{settings.base_url}/mail/unsubscribe/{token}"
    reply_to = reply_address(settings, draft.user_id, draft)
    with writing_for(draft.reader):
        context = {
            **draft.context,
            "base_url": settings.base_url,
            "site_name": site_name(settings),
            "unsubscribe_url": unsubscribe_url,
            "reply_by_mail": reply_to is not None,
            "language": language(draft.reader.language),
        }
        text = _env.get_template(f"mail/{draft.template}.txt").render(context)
        html = _env.get_template(f"mail/{draft.template}.html").render(context)
    message = EmailMessage()
    message["From"] = Address(context["site_name"], addr_spec=settings.sender)
    message["To"] = to
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = _root(settings, key)
    # RFC 3834: no program answers these (an answer to a reply is auto-replied).
    message["Auto-Submitted"] = "auto-replied" if draft.auto_replied else "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"  # Exchange: no out-of-office answers
    if draft.answers is not None:
        message["In-Reply-To"] = draft.answers
        message["References"] = " ".join((*draft.references, draft.answers))
    elif draft.session_id is not None:
        session_root = _root(settings, f"session-{draft.session_id}")
        parents = [session_root]
        if draft.thread_id is not None:
            parents.append(_root(settings, f"thread-{draft.thread_id}"))
        if draft.parent_key is not None:
            parents.append(_root(settings, draft.parent_key))
        message["In-Reply-To"] = parents[-1]
        message["References"] = " ".join(parents)
        title = draft.session_title.replace('"', "'")
        message["List-Id"] = f'"{title}" <session-{draft.session_id}.{settings.message_domain}>'
        message["List-Archive"] = f"<{settings.base_url}/sessions/{draft.session_id}>"
    if unsubscribe_url is not None:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if reply_to is not None:
        message["Reply-To"] = reply_to
    message.set_content(text, cte=_encoding(text))
    message.add_alternative(html, subtype="html", cte=_encoding(html))
    message["Content-Language"] = draft.reader.language  # after set_content, which drops it
    return message


def _encoding(text: str) -> str:
    """7bit when it can be (links stay whole for any reader), quoted-printable else."""
    if text.isascii() and all(len(line) <= 998 for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"
