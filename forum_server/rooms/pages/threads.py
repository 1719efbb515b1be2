"""The thread page: contributions in reading order with their replies, and the forms
to add to them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.consent import terms
from forum_server.decide import queries as decide_queries
from forum_server.errors import DomainError
from forum_server.files import attachments
from forum_server.files.ingest import Received
from forum_server.files.storage import LocalFileStore, file_store
from forum_server.i18n import N_, gettext
from forum_server.mail import watching
from forum_server.mail.compose import Target
from forum_server.notifications import reading as notification_reading
from forum_server.orm import utcnow
from forum_server.rooms import preview, queries, reading
from forum_server.rooms.pages import guest_pages, post_fragments, validators
from forum_server.rooms.pages.shared import (
    REFUSALS,
    accepted_terms,
    attempt,
    checked,
    field_problem,
    language_filter,
    language_name,
    live_resume_position,
    post_language,
    session_status,
)
from forum_server.rooms.posts_view import PostView
from forum_server.rooms.schemas import PostCreate, PreviewInput
from forum_server.rooms.space_views import SessionDetail
from forum_server.summaries import summary_for_thread
from forum_server.web import revalidation
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context
from forum_server.web.csrf import csrf_token
from forum_server.web.outcomes import Outcome, outcome_from
from forum_server.web.uploads import read_form_with_files

MAX_INDENT = 4  # deeper replies stay at this level, so phones keep a usable width
LABELS = {
    "body": N_("Your contribution"),
    "parent_id": N_("Reply to"),
    "client_id": N_("Form"),
    "lang": N_("Language of your contribution"),
    "accept_terms": N_("Participation terms"),
}


@dataclass(frozen=True)
class PostRow:
    post: PostView
    indent: int  # 0 .. MAX_INDENT
    reply_to: str | None  # the parent's author, where indentation no longer shows it
    client_id: str | None  # for this post's reply form, when there is one
    number: int | None = None  # its number in the thread (none while held)


def post_rows(
    posts: list[PostView], *, reply_forms: bool, numbers: dict[int, int] | None = None
) -> list[PostRow]:
    """Posts in reading order (each parent before its replies) with their indentation.
    Depth is counted over the posts shown, so a reply whose parent is not shown to this
    reader starts a new top level, as `reading_order` placed it."""
    shown: dict[int, tuple[int, str]] = {}
    rows = []
    for post in posts:
        parent = shown.get(post.parent_id) if post.parent_id is not None else None
        depth = parent[0] + 1 if parent else 0
        shown[post.id] = (depth, post.author.display_name)
        rows.append(
            PostRow(
                post,
                min(depth, MAX_INDENT),
                parent[1] if parent and depth > MAX_INDENT else None,
                secrets.token_urlsafe(12) if reply_forms else None,
                (numbers or {}).get(post.id),
            )
        )
    return rows


def _whole(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None


async def render_thread(
    request: Request,
    thread_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    preview_html: str | None = None,
) -> Response:
    """The thread page; after a refused contribution, with the message and the text
    kept in the form it came from (or, when no form is shown, beside the message);
    for a preview, the rendered text above the form it came from, the text kept."""
    ctx, actor = app_context(request), await actor_of(request)
    live_after = live_resume_position(request)
    lang = language_filter(request)
    async with ctx.db.read() as db:
        window = timedelta(minutes=ctx.settings.edit_window_minutes)
        detail = await queries.thread_detail(db, actor, thread_id, lang=lang, edit_window=window)
        summary = await summary_for_thread(db, actor, thread_id)
        files = await attachments.attachments_in_thread(db, actor, thread_id)
        watch = await watching.watch_state(db, actor, Target("thread", thread_id))
        last_read = await reading.position(db, actor, thread_id)
        post_reactions = await decide_queries.reactions_for_posts(
            db, actor, [post.id for post in detail.posts]
        )
        polls_here = await decide_queries.polls_on_page(
            db, actor, ctx.settings.secret_key, thread_id=thread_id
        )
        told = await notification_reading.unread_about_thread(db, actor, thread_id)
        consent = await terms.consent(db, actor, detail.session.space.slug)
    newest = max((post.id for post in detail.posts), default=None)
    if actor.user_id is not None and newest is not None and (last_read or 0) < newest:
        # What this page shows is read now; the next visit starts after it.
        await reading.mark_read(ctx.db, actor, thread_id, newest)
    if told:  # and so are the notifications that led here
        await notification_reading.mark_thread_seen(ctx.db, actor, thread_id, newest or 0)
    may_post = detail.session.can_post and not detail.thread.locked
    rows = post_rows(detail.posts, reply_forms=may_post, numbers=detail.numbers)
    form = form or {}
    reply_to = _whole(form.get("parent_id", ""))
    if not may_post or reply_to not in {row.post.id for row in rows}:
        reply_to = None
    context = {
        "thread": detail.thread,
        "session": detail.session,
        "live_after": live_after,
        "posts": rows,
        "editable": detail.editable,
        "versions": detail.versions,
        "status": session_status(detail.session, utcnow()),
        "may_post": may_post,
        "client_id": secrets.token_urlsafe(12),
        "form_error": error.message if error else None,
        "consent": consent,
        "terms_error": error.message if error and error.field == "accept_terms" else None,
        "typed": form.get("body", ""),
        "typed_lang": form.get("lang"),
        "lang_filter": lang,
        "lang_filter_name": language_name(lang) if lang else None,
        "reply_to": reply_to,
        "summary": summary,
        "files": files,
        "max_upload_mb": ctx.settings.max_upload_bytes // 1_048_576,
        "max_files": attachments.MAX_ATTACHMENTS,
        "watch": watch,
        "first_unread": reading.first_unread(detail.posts, last_read, actor.user_id),
        "preview_html": preview_html,
        "reactions": post_reactions,
        "polls": polls_here.polls,
        "may_start_poll": polls_here.may_start,
        "outcome": _outcome(request, thread_id, detail.session),
        "actor": actor,
        "csrf_token": csrf_token(request, ctx.settings.secret_key),
    }
    context["post_html"] = post_fragments.post_fragments(ctx.templates, rows, context)
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/thread.html", context, status=status)


def _outcome(request: Request, thread_id: int, session: SessionDetail) -> Outcome | None:
    """What a moderation or flag form just did here; a moderator's only to moderators."""
    outcome = outcome_from(request.query_params, thread_id, session.space.slug)
    if outcome is None or (outcome.moderators_only and not session.can_moderate):
        return None
    return outcome


async def thread_page(request: Request) -> Response:
    """A guest's page carries an ETag; asked again with it, and nothing it shows has
    changed, the answer is 304 without a post loaded or a template rendered. A guest's
    page is kept and served to the next guest while nothing can have changed it."""
    thread_id: int = request.path_params["thread_id"]
    guest_request = validators.is_guest(request)
    if guest_request:
        page_marks = guest_pages.marks(request)
        kept = guest_pages.lookup(request, thread_id, page_marks)
        if kept is not None:
            tag = validators.personal_tag(kept.shared, request)
            if validators.matches(request, tag):
                revalidation.allow(request.scope, tag, kept.until)
                return validators.not_modified(tag)
            return guest_pages.response(request, kept, validators.guest_headers(tag))
    guest = await validators.thread_validator(request, thread_id, language_filter(request))
    if guest is not None and validators.matches(request, guest.tag):
        # The same revalidation may be answered from memory until something moves.
        revalidation.allow(request.scope, guest.tag, guest.until)
        return validators.not_modified(guest.tag)
    response = await render_thread(request, thread_id)
    if guest is not None and response.status_code == 200:
        response.headers.update(validators.guest_headers(guest.tag))
        if guest_request:
            guest_pages.keep(request, thread_id, page_marks, guest.shared, guest.until, response)
    return response


def _post_input(form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"body": form.get("body", ""), "lang": post_language(form)}
    if form.get("client_id"):
        data["client_id"] = form["client_id"]
    if parent := form.get("parent_id"):
        parent_id = _whole(parent)
        if parent_id is None:
            problem = gettext("no such post in this thread.")
            raise field_problem(N_("Reply to"), problem, "parent_id")
        data["parent_id"] = parent_id
    data["accept_terms"] = accepted_terms(form)
    return data


async def create_post(request: Request) -> Response:
    """A contribution, with the files the form (multipart) sends."""
    ctx, actor = app_context(request), await actor_of(request)
    thread_id: int = request.path_params["thread_id"]
    store = file_store(ctx.settings)
    received = await _read_post_form(request, store, ctx.settings.max_upload_bytes)
    form = received.fields
    if form.get("preview"):
        received.discard()
        return await _preview(request, thread_id, form)

    async def run() -> str:
        try:
            data = checked(PostCreate, _post_input(form), LABELS)
            # A second submit of the same form finds the first post (same client_id).
            client = client_address(request, ctx.settings)
            posted = await attachments.create_post_with_files(
                ctx.db, store, actor, thread_id, data, [], received=received, client=client
            )
        finally:
            received.discard()  # stored by now, or not wanted
        return f"/threads/{thread_id}#post-{posted.post.id}"

    async def refused(error: DomainError) -> Response:
        return await render_thread(request, thread_id, error=error, form=form)

    return await attempt(run, refused)


async def _read_post_form(request: Request, store: LocalFileStore, limit: int) -> Received:
    # A few more files than a post takes are read, so that one too many is refused by
    # the command with the text kept in the form, not by the parser with an error page.
    files = 2 * attachments.MAX_ATTACHMENTS
    return await read_form_with_files(request, store, limit, max_files=files)


async def _preview(request: Request, thread_id: int, form: dict[str, str]) -> Response:
    """The "Preview" button: the thread page again, the text rendered above its form."""
    ctx, actor = app_context(request), await actor_of(request)
    try:
        data = checked(PreviewInput, {"body": form.get("body", ""), "thread_id": thread_id}, LABELS)
        client = client_address(request, ctx.settings)
        shown = await preview.render_preview(ctx.db, actor, data, client=client)
    except REFUSALS as error:
        return await render_thread(request, thread_id, error=error, form=form)
    return await render_thread(request, thread_id, form=form, preview_html=shown["html"])


routes: list[Route] = [
    Route("/threads/{thread_id:int}", thread_page, methods=["GET"]),
    Route("/threads/{thread_id:int}/posts", create_post, methods=["POST"]),
]
