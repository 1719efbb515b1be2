"""The board's pages, working without JavaScript: the list with its filters, a notice
(with what matches a need), the form to post, suggest or edit, and the review of
suggestions. Each action calls the same command as its API route."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.board import commands, queries
from forum_server.board.labels import board_labels
from forum_server.board.schemas import FILTER_FIELDS, EditorAdd, NoticeFilter, NoticeInput
from forum_server.board.views import PENDING, NoticeView
from forum_server.errors import DomainError, Forbidden, Invalid
from forum_server.rooms.pages.shared import attempt, checkbox
from forum_server.schemas import parse_id, validate
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

PAGE_SIZE = 50
_SEPARATORS = re.compile(r"[\s,;]+")
# The form's fields that are not text boxes of the same name.
_TEXT_FIELDS = tuple(
    name for name in NoticeInput.model_fields if name not in {"countries", "amount", "pinned"}
)


def input_from_form(form: dict[str, str]) -> dict[str, Any]:
    """What the form sent, in the shape NoticeInput takes (the same model as the API):
    countries as a list, the amount as a number where it is one, the pin box as a flag."""
    data: dict[str, Any] = {name: form[name] for name in _TEXT_FIELDS if name in form}
    data["countries"] = [code for code in _SEPARATORS.split(form.get("countries", "")) if code]
    amount = form.get("amount", "").replace(" ", "")
    data["amount"] = int(amount) if amount.isascii() and amount.isdigit() else amount
    data["pinned"] = checkbox(form, "pinned")
    return data


def _form_values(notice: NoticeView | None, form: dict[str, str] | None) -> dict[str, str]:
    """What the form shows: what was sent (after a refusal), the notice, or nothing."""
    if form is not None:
        return form
    if notice is None:
        return {}
    shown = notice.as_json()
    values = {name: "" if shown[name] is None else str(shown[name]) for name in _TEXT_FIELDS}  # type: ignore[literal-required]
    values["countries"] = " ".join(notice.countries)
    values["amount"] = "" if notice.amount is None else str(notice.amount)
    values["pinned"] = "on" if notice.pinned else ""
    return values


def _filters(params: QueryParams) -> tuple[dict[str, str], NoticeFilter, str | None]:
    """The filters as typed (shown back in the form), as checked, and what was wrong
    with them: a bad filter lists everything beneath its message."""
    shown = {name: params.get(name, "") for name in FILTER_FIELDS}
    try:
        return shown, validate(NoticeFilter, {k: v for k, v in shown.items() if v}), None
    except Invalid as error:
        return shown, NoticeFilter(), error.message


async def board_page(request: Request) -> Response:
    ctx, actor, q = app_context(request), await actor_of(request), request.query_params
    shown, filters, filter_error = _filters(q)
    offset = parse_id(q.get("after", "")) or 0
    async with ctx.db.read() as db:
        found = await queries.board(
            db, actor, request.path_params["slug"], filters, limit=PAGE_SIZE, offset=offset
        )
    context = {
        "board": found,
        "shown": shown,
        "filter_error": filter_error,
        "query": urlencode({k: v for k, v in shown.items() if v}),
        **board_labels(),
    }
    status = 422 if filter_error else 200
    return await ctx.templates.page(request, "board/list.html", context, status=status)


async def _form_page(
    request: Request,
    *,
    slug: str,
    notice: NoticeView | None,
    may_edit: bool,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: DomainError | None = None,
) -> Response:
    ctx = app_context(request)
    context = {
        "slug": slug,
        "item": notice,  # "notice" is the page's flash message in the base template
        "may_edit": may_edit,
        "values": _form_values(notice, form),
        "errors": errors or {},
        "form_error": error.message if error else None,
        **board_labels(),
    }
    status = error.status if error else (422 if errors else 200)
    return await ctx.templates.page(request, "board/form.html", context, status=status)


async def new_notice_page(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    async with ctx.db.read() as db:
        may_edit = await queries.check_may_post(db, actor, slug)
    return await _form_page(request, slug=slug, notice=None, may_edit=may_edit)


async def create_notice(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    form = await read_form(request)
    data, errors = validate_form(NoticeInput, input_from_form(form))
    async with ctx.db.read() as db:
        may_edit = await queries.check_may_post(db, actor, slug)
    if data is None:
        return await _form_page(
            request, slug=slug, notice=None, may_edit=may_edit, form=form, errors=errors
        )
    valid = data

    async def run() -> str:
        created = await commands.create_notice(ctx.db, actor, slug, valid)
        return created.url

    async def refused(error: DomainError) -> Response:
        return await _form_page(
            request, slug=slug, notice=None, may_edit=may_edit, form=form, error=error
        )

    return await attempt(run, refused)


async def notice_page(request: Request, error: DomainError | None = None) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        notice, matching = await queries.matches(db, actor, request.path_params["notice_id"])
    context = {
        "item": notice,  # "notice" is the page's flash message in the base template
        "matching": matching,
        "form_error": error.message if error else None,
        **board_labels(),
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "board/notice.html", context, status=status)


async def edit_notice_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        notice = await queries.notice_detail(db, actor, request.path_params["notice_id"])
    if not notice.may_edit:
        raise Forbidden("Only this board's editors can do this.")
    return await _form_page(
        request, slug=notice.space_slug, notice=notice, may_edit=notice.may_review
    )


async def update_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    notice_id = request.path_params["notice_id"]
    async with ctx.db.read() as db:
        notice = await queries.notice_detail(db, actor, notice_id)
    form = await read_form(request)
    data, errors = validate_form(NoticeInput, input_from_form(form))
    shown: dict[str, Any] = {
        "slug": notice.space_slug,
        "notice": notice,
        "may_edit": notice.may_review,
    }
    if data is None:
        return await _form_page(request, **shown, form=form, errors=errors)
    valid = data

    async def run() -> str:
        changed = await commands.update_notice(ctx.db, actor, notice_id, valid)
        return changed.url

    async def refused(error: DomainError) -> Response:
        return await _form_page(request, **shown, form=form, error=error)

    return await attempt(run, refused)


async def _notice_action(request: Request, action: str) -> Response:
    """Pin, unpin, approve, reject or remove, from the notice page or the review list;
    back to where the form said (the review list) or to the notice."""
    ctx, actor = app_context(request), await actor_of(request)
    notice_id = request.path_params["notice_id"]
    form = await read_form(request)

    async def run() -> str:
        if action == "remove":
            slug = await commands.remove_notice(ctx.db, actor, notice_id)
            return f"/spaces/{slug}/board"
        if action in {"pin", "unpin"}:
            changed = await commands.set_pinned(ctx.db, actor, notice_id, action == "pin")
        else:
            changed = await commands.review_notice(
                ctx.db, actor, notice_id, form.get("decision") == "approve"
            )
        if form.get("back") == "suggestions":
            return f"/spaces/{changed.space_slug}/board/suggestions"
        return changed.url

    async def refused(error: DomainError) -> Response:
        return await notice_page(request, error)

    return await attempt(run, refused)


async def pin_notice(request: Request) -> Response:
    return await _notice_action(request, "pin")


async def unpin_notice(request: Request) -> Response:
    return await _notice_action(request, "unpin")


async def review_notice(request: Request) -> Response:
    return await _notice_action(request, "review")


async def remove_notice(request: Request) -> Response:
    return await _notice_action(request, "remove")


async def suggestions_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.board(
            db,
            actor,
            request.path_params["slug"],
            NoticeFilter(expired="include"),
            limit=200,
            review=PENDING,
        )
    context = {"board": found, **board_labels()}
    return await ctx.templates.page(request, "board/suggestions.html", context)


async def editors_page(request: Request, error: DomainError | None = None) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.editors_page(db, actor, request.path_params["slug"])
    context = {
        "page": found,
        "candidates": [(c.user_id, c.display_name) for c in found.candidates],
        "form_error": error.message if error else None,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "board/editors.html", context, status=status)


async def add_editor(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    form = await read_form(request)

    async def run() -> str:
        data = validate(EditorAdd, {"user_id": parse_id(form.get("user_id", "")) or 0})
        await commands.add_editor(ctx.db, actor, slug, data.user_id)
        return f"/spaces/{slug}/board/editors"

    async def refused(error: DomainError) -> Response:
        return await editors_page(request, error)

    return await attempt(run, refused)


async def remove_editor(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    await read_form(request)  # only the CSRF token, checked on the way in

    async def run() -> str:
        await commands.remove_editor(ctx.db, actor, slug, request.path_params["user_id"])
        return f"/spaces/{slug}/board/editors"

    async def refused(error: DomainError) -> Response:
        return await editors_page(request, error)

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/spaces/{slug}/board", board_page, methods=["GET"]),
    Route("/spaces/{slug}/board", create_notice, methods=["POST"]),
    Route("/spaces/{slug}/board/new", new_notice_page, methods=["GET"]),
    Route("/spaces/{slug}/board/suggestions", suggestions_page, methods=["GET"]),
    Route("/spaces/{slug}/board/editors", editors_page, methods=["GET"]),
    Route("/spaces/{slug}/board/editors", add_editor, methods=["POST"]),
    Route("/spaces/{slug}/board/editors/{user_id:int}/remove", remove_editor, methods=["POST"]),
    Route("/notices/{notice_id:int}", notice_page, methods=["GET"]),
    Route("/notices/{notice_id:int}/edit", edit_notice_page, methods=["GET"]),
    Route("/notices/{notice_id:int}/edit", update_notice, methods=["POST"]),
    Route("/notices/{notice_id:int}/pin", pin_notice, methods=["POST"]),
    Route("/notices/{notice_id:int}/unpin", unpin_notice, methods=["POST"]),
    Route("/notices/{notice_id:int}/review", review_notice, methods=["POST"]),
    Route("/notices/{notice_id:int}/remove", remove_notice, methods=["POST"]),
]
