"""The library's pages, working without JavaScript: the list with its filters and
upload form, a document with its versions, and the file downloads for browsers. Each
action calls the same command as its API route."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import DomainError
from forum_server.files import library, queries
from forum_server.files.api import form_reader
from forum_server.files.storage import file_store
from forum_server.i18n.languages import LANGUAGES
from forum_server.rooms.pages.shared import attempt, language_name
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.downloads import file_response
from forum_server.web.forms import read_form


def _languages() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGES]


async def library_page(request: Request, error: DomainError | None = None) -> Response:
    ctx, actor, q = app_context(request), await actor_of(request), request.query_params
    folder, language = q.get("folder") or None, q.get("language") or None
    sort = "date" if q.get("sort") == "date" else "title"
    async with ctx.db.read() as db:
        found = await queries.library(
            db, actor, request.path_params["slug"], folder=folder, language=language, sort=sort
        )
    context = {
        "library": found,
        "folder": folder,
        "language": language,
        "sort": sort,
        "languages": _languages(),
        "language_names": dict(_languages()),
        "form_error": error.message if error else None,
        "max_upload_bytes": ctx.settings.max_upload_bytes,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "files/library.html", context, status=status)


async def add_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    store, slug = file_store(ctx.settings), request.path_params["slug"]

    async def run() -> str:
        created = await library.create_document(ctx.db, store, actor, slug, form_reader(request))
        return f"/documents/{created.id}"

    async def refused(error: DomainError) -> Response:
        return await library_page(request, error)

    return await attempt(run, refused)


async def document_page(request: Request, error: DomainError | None = None) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.document_detail(db, actor, request.path_params["document_id"])
    context = {
        "document": found,
        "language_label": language_name(found.language),
        "form_error": error.message if error else None,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "files/document.html", context, status=status)


async def add_version(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    store, document_id = file_store(ctx.settings), request.path_params["document_id"]

    async def run() -> str:
        await library.add_version(ctx.db, store, actor, document_id, form_reader(request))
        return f"/documents/{document_id}"

    async def refused(error: DomainError) -> Response:
        return await document_page(request, error)

    return await attempt(run, refused)


async def remove_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    document_id = request.path_params["document_id"]
    await read_form(request)  # only the CSRF token, checked on the way in

    async def run() -> str:
        slug = await library.remove_document(ctx.db, actor, document_id)
        return f"/spaces/{slug}/library"

    async def refused(error: DomainError) -> Response:
        return await document_page(request, error)

    return await attempt(run, refused)


async def download(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        servable = await queries.file_to_serve(db, actor, request.path_params["file_id"])
    return file_response(request, file_store(ctx.settings), servable)


async def preview(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    file_id = request.path_params["file_id"]
    async with ctx.db.read() as db:
        servable = await queries.file_to_serve(db, actor, file_id, preview=True)
    return file_response(request, file_store(ctx.settings), servable, inline=True)


routes: list[Route] = [
    Route("/spaces/{slug}/library", library_page, methods=["GET"]),
    Route("/spaces/{slug}/library", add_document, methods=["POST"]),
    Route("/documents/{document_id:int}", document_page, methods=["GET"]),
    Route("/documents/{document_id:int}/versions", add_version, methods=["POST"]),
    Route("/documents/{document_id:int}/remove", remove_document, methods=["POST"]),
    Route("/files/{file_id:int}", download, methods=["GET"]),
    Route("/files/{file_id:int}/preview", preview, methods=["GET"]),
]
