"""Validators for guests' pages: an ETag that a browser sends back (`If-None-Match`)
and that is answered `304 Not Modified` without loading the posts or rendering.

The tag is a digest of everything the page shows a reader who is not signed in:
the newest event of the thread's session (posts created, edited, hidden, restored or
approved, the thread locked, a summary, the session opened, closed or extended) and the
newest event not tied to a session (accounts deactivated or suspended, memberships),
the session's periods with its state and the time left as the clock puts them now
(so the page changes at a deadline nobody acted on), the thread's own row, the
interface language and the `?lang=` filter, the visitor's CSRF token (the page's forms
carry it, so the tag is the visitor's own: `private`), and the templates, catalogues
and static files the server runs with. The clock's hour is in it too, so nothing the
tag does not name (a renamed author, a thumbnail made after the post) stays cached
for longer than that.

Signed-in readers get no validator: their pages stay `private, no-store`; nor does
a page that carries the contribution forms, which are new on every visit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from starlette.requests import Request, cookie_parser
from starlette.responses import Response

from forum_server.i18n import current_language
from forum_server.orm import utcnow
from forum_server.rooms.pages.shared import duration_text
from forum_server.rooms.state import OPEN, next_boundary, session_state
from forum_server.rooms.thread_marks import thread_marks
from forum_server.web.auth import SESSION_COOKIE, actor_of
from forum_server.web.context import app_context
from forum_server.web.csrf import csrf_token

GUEST_CACHE = "private, no-cache"  # kept by the visitor's browser, asked about each time
VARY = "Accept-Language, Cookie"
_PACKAGE = Path(__file__).resolve().parents[2]


@cache
def build_digest() -> str:
    """The templates, message catalogues and static files, read once per process: a
    new release never answers 304 for a page an older one rendered."""
    digest = hashlib.sha256()
    for folder in ("web/templates", "locales", "web/static"):
        for path in sorted((_PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix != ".po":
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def is_guest(request: Request) -> bool:
    """No sign-in cookie and no API token: the reader every guest is."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return False
    return not cookie_parser(request.headers.get("cookie", "")).get(SESSION_COOKIE)


@dataclass(frozen=True)
class GuestTag:
    tag: str
    until: datetime  # the clock alone changes the page then: a deadline, a minute, an hour
    shared: str  # the digest of all but the visitor's CSRF token: the same for every guest


def personal_tag(shared: str, request: Request) -> str:
    """The visitor's own tag: the shared digest with the CSRF token their forms carry."""
    token = csrf_token(request, app_context(request).settings.secret_key)
    return f'W/"{hashlib.sha256(f"{shared}:{token}".encode()).hexdigest()[:32]}"'


async def thread_validator(request: Request, thread_id: int, lang: str | None) -> GuestTag | None:
    """The guest's ETag for the thread page, or None (signed in, or a page that is
    refused, which is rendered as usual)."""
    if not is_guest(request):
        return None
    ctx = app_context(request)
    actor = await actor_of(request)
    if actor.signed_in:
        return None
    async with ctx.db.read() as db:
        found = await thread_marks(db, actor, thread_id)
    if found is None:
        return None
    thread, access, periods, marks = found
    now = utcnow()
    state = session_state(periods, now)
    if access.may_post and state == OPEN and not thread.locked:
        # A page with the contribution forms (each with a client id that makes a
        # second submit find the first post) must be fresh on every visit. Guests
        # post from a page of their own today; this keeps it so if that changes.
        return None
    change = next_boundary(periods, now)
    left = duration_text(change - now) if state == OPEN and change else None
    parts = (
        build_digest(),
        "thread",
        thread_id,
        thread.title,
        thread.locked,
        thread.post_count,
        access.space.visibility,
        lang,
        current_language.get(),
        marks,
        tuple(periods),
        state,
        change,
        left,
        now.strftime("%Y%m%d%H"),
    )
    shared = hashlib.sha256(repr(parts).encode()).hexdigest()
    return GuestTag(personal_tag(shared, request), _until(now, change, left is not None), shared)


def _until(now: datetime, change: datetime | None, time_left: bool) -> datetime:
    """When the clock alone changes what the tag names: the next hour, the state's
    next change, and while a time left is shown, the next instant its whole minutes
    (see `duration_text`) go down."""
    until = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if change is not None:
        until = min(until, change)
        if time_left:
            until = min(until, now + timedelta(seconds=(change - now).total_seconds() % 60))
    return until


def matches(request: Request, tag: str) -> bool:
    asked = request.headers.get("if-none-match", "")
    return asked.strip() == "*" or tag in {value.strip() for value in asked.split(",")}


def guest_headers(tag: str) -> dict[str, str]:
    return {"ETag": tag, "Cache-Control": GUEST_CACHE, "Vary": VARY}


def not_modified(tag: str) -> Response:
    return Response(status_code=304, headers=guest_headers(tag))
