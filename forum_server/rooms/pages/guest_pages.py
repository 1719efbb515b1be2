"""A guest's thread page, kept per process and served again to every guest while
nothing it shows can have changed.

Every guest is the same reader to the policy (no account, no role), so a page one
guest may see, every guest may see, and it is the same page but for the visitor's
CSRF token, which is kept as a slot and filled in per request. A kept page is used
only while all of these hold:

- the same thread, query string (`?lang=`, a notice's parameters), interface
  language and time zone;
- no write that changed a row in this process (`Database.write_marks`) and no event
  read by the live hub (any process) since the page's queries started: posts, their
  status and authors, the thread, the session, the space and memberships all change
  by writes here or by events;
- the clock has not reached what the page's validator says changes by itself (a
  deadline, the minute of the "time left" text, the hour), nor a minute after the
  page was made, which bounds the "3 minutes ago" texts and a change made by another
  server process without an event (a space's new title).

Kept per app (so per process), at most MAX_PAGES of them. A page that carries a
contribution form (its client ids must be new on every visit) is never kept; nor is
anything but a plain 200."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from forum_server.i18n import current_language, current_time_zone
from forum_server.orm import utcnow
from forum_server.rooms.pages.post_fragments import CSRF_SLOT
from forum_server.web.context import app_context
from forum_server.web.csrf import csrf_token

MAX_PAGES = 256  # about 250 KB each for 200 posts
KEEP_AT_MOST = timedelta(minutes=1)
_SLOT = CSRF_SLOT.encode()

Marks = tuple[int, int, int]
Key = tuple[int, str, str, str | None]


@dataclass(frozen=True)
class KeptPage:
    body: bytes  # with the CSRF token as a slot
    shared: str  # the validator's shared digest
    marks: Marks
    until: datetime


def _pages(request: Request) -> dict[Key, KeptPage]:
    """This app's kept pages: two apps in one process (tests) share nothing."""
    state = request.app.state
    pages: dict[Key, KeptPage] | None = getattr(state, "guest_pages", None)
    if pages is None:
        pages = state.guest_pages = {}
    return pages


def marks(request: Request) -> Marks:
    """Read before the page's queries: whatever changes after moves them."""
    return (*app_context(request).db.write_marks, request.app.state.hub.position)


def _key(request: Request, thread_id: int) -> Key:
    return (thread_id, request.url.query, current_language.get(), current_time_zone.get())


def lookup(request: Request, thread_id: int, now_marks: Marks) -> KeptPage | None:
    kept = _pages(request).get(_key(request, thread_id))
    if kept is None or kept.marks != now_marks or utcnow() >= kept.until:
        return None
    return kept


def keep(
    request: Request,
    thread_id: int,
    page_marks: Marks,
    shared: str,
    until: datetime,
    response: Response,
) -> None:
    body = bytes(response.body)
    if response.status_code != 200 or b'name="client_id"' in body:
        return
    token = csrf_token(request, app_context(request).settings.secret_key).encode()
    pages = _pages(request)
    if len(pages) >= MAX_PAGES:
        pages.clear()  # a bound, not a policy: a page is cheap to make again
    until = min(until, utcnow() + KEEP_AT_MOST)
    pages[_key(request, thread_id)] = KeptPage(
        body.replace(token, _SLOT), shared, page_marks, until
    )


def response(request: Request, kept: KeptPage, headers: dict[str, str]) -> Response:
    token = csrf_token(request, app_context(request).settings.secret_key).encode()
    return HTMLResponse(kept.body.replace(_SLOT, token), headers=headers)
