"""Calendar and feed routes: public ones answer whoever asks as the policy allows
(a signed-in browser included); personal ones (`/feeds/{key}/…`) answer as the
person whose key is in the address, for programs that cannot sign in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from forum_server.errors import NotFound
from forum_server.feeds import atom, calendar, queries
from forum_server.feeds.keys import actor_for_feed_key
from forum_server.i18n import current_language
from forum_server.i18n.site import site_name
from forum_server.policy import Actor
from forum_server.web.api import ApiRouter, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.language import adopt_account_language
from forum_server.web.shapes import Download

api = ApiRouter()

ICS = Download(("text/calendar",))
ATOM = Download(("application/atom+xml",))
# A read of what a calendar or feed shows: (read session, actor, request) → listing.
Build = Callable[[Any, Actor, Request], Awaitable[Any]]


async def personal_actor(request: Request) -> Actor:
    """Whose personal feed address the path's `key` is; 404 for any other key."""
    ctx = app_context(request)
    actor = await actor_for_feed_key(ctx.db, ctx.settings.secret_key, request.path_params["key"])
    if actor is None:
        # A reset, forged or deactivated key: nothing to say about which.
        raise NotFound("No such feed.")
    adopt_account_language(actor)
    return actor


async def _answer(request: Request, actor: Actor, kind: str, read: Build) -> Response:
    ctx = app_context(request)
    settings = ctx.settings
    async with ctx.db.read() as db:
        found = await read(db, actor, request)
    base_url, name = settings.base_url.rstrip("/"), site_name(settings)
    if kind == "ics":
        body = calendar.calendar_document(
            found, base_url=base_url, site_name=name, host=settings.site_host
        )
        media_type = calendar.MEDIA_TYPE
    else:
        builder = atom.posts_feed if isinstance(found, queries.SessionPosts) else atom.sessions_feed
        body = builder(
            found,
            base_url=base_url,
            self_url=str(request.url),
            site_name=name,
            language=current_language.get(),
        )
        media_type = atom.MEDIA_TYPE
    return Response(body, media_type=media_type, headers=feed_headers(actor))


def feed_headers(actor: Actor) -> dict[str, str]:
    """What a person (or their personal address, a secret) was answered is theirs: no
    shared cache keeps it."""
    scope = "private" if actor.signed_in else "public"
    return {"Cache-Control": f"{scope}, max-age=300", "X-Content-Type-Options": "nosniff"}


async def _session_dates(db: Any, actor: Actor, request: Request) -> Any:
    return await queries.session_dates(db, actor, path_int(request, "session_id"))


async def _space_dates(db: Any, actor: Actor, request: Request) -> Any:
    return await queries.space_dates(db, actor, request.path_params["slug"])


async def _session_posts(db: Any, actor: Actor, request: Request) -> Any:
    return await queries.session_posts(db, actor, path_int(request, "session_id"))


async def _personal_dates(db: Any, actor: Actor, request: Request) -> Any:
    return await queries.personal_dates(db, actor)


def _public(kind: str, read: Build) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _answer(request, await actor_of(request), kind, read)

    return endpoint


def _personal(kind: str, read: Build) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _answer(request, await personal_actor(request), kind, read)

    return endpoint


_ROUTES: list[tuple[str, str, str, Build, Download, str]] = [
    # path, operation name, kind, reader, response, summary
    (
        "/sessions/{session_id:int}/calendar.ics",
        "session_calendar",
        "ics",
        _session_dates,
        ICS,
        "A session's periods as an iCalendar file",
    ),
    (
        "/spaces/{slug}/calendar.ics",
        "space_calendar",
        "ics",
        _space_dates,
        ICS,
        "The periods of a space's sessions as an iCalendar file",
    ),
    (
        "/sessions/{session_id:int}/feed.atom",
        "session_feed",
        "atom",
        _session_posts,
        ATOM,
        "An Atom feed of a session's newest posts",
    ),
    (
        "/spaces/{slug}/feed.atom",
        "space_feed",
        "atom",
        _space_dates,
        ATOM,
        "An Atom feed of a space's sessions",
    ),
]


def _register() -> None:
    for path, name, kind, read, response, summary in _ROUTES:
        public = _public(kind, read)
        public.__name__ = name
        api.route("GET", path, summary=summary, auth="optional", response=response)(public)
        personal = _personal(kind, read)
        personal.__name__ = f"personal_{name}"
        api.route(
            "GET",
            "/feeds/{key}" + path,
            summary=summary + ", through a personal feed address",
            auth="none",
            response=response,
        )(personal)
    personal_calendar = _personal("ics", _personal_dates)
    personal_calendar.__name__ = "personal_calendar"
    api.route(
        "GET",
        "/feeds/{key}/calendar.ics",
        summary="The sessions one belongs to, follows or moderates, as an iCalendar file",
        auth="none",
        response=ICS,
    )(personal_calendar)


_register()
