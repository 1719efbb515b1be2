"""JSON API of the library and of stored files. Uploads are multipart/form-data with
one `file` part; everything else is JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.files import attachments, library, queries
from forum_server.files.ingest import ReadForm, Received
from forum_server.files.kinds import BY_MEDIA_TYPE
from forum_server.files.schemas import LibrarySettingsUpdate
from forum_server.files.storage import file_store
from forum_server.files.views import DocumentView, FileView, LibrarySettingsView
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.downloads import file_response
from forum_server.web.shapes import Download, ListOf
from forum_server.web.uploads import read_upload_form

api = ApiRouter()

FILE = Download(tuple(BY_MEDIA_TYPE))
PREVIEW = Download(("image/png",))


def form_reader(request: Request) -> ReadForm:
    ctx = app_context(request)

    async def read() -> Received:
        return await read_upload_form(
            request, file_store(ctx.settings), ctx.settings.max_upload_bytes
        )

    return read


@api.route(
    "GET",
    "/spaces/{slug}/library",
    summary="A space's documents (filter by folder and language; sort by title or date)",
    auth="optional",
    query=("folder", "language", "sort", "limit", "after"),
    response=ListOf(DocumentView),
)
async def list_documents(request: Request) -> Response:
    ctx, actor, q = app_context(request), await actor_of(request), request.query_params
    async with ctx.db.read() as db:
        found = await queries.library(
            db,
            actor,
            request.path_params["slug"],
            folder=q.get("folder"),
            language=q.get("language"),
            sort="date" if q.get("sort") == "date" else "title",
            limit=query_int(request, "limit") or 50,
            offset=query_int(request, "after") or 0,
        )
    items = [document.as_json() for document in found.documents]
    return json_response({"items": items, "next": found.next})


@api.route(
    "POST",
    "/spaces/{slug}/library",
    summary="Add a document (multipart: file, title, language, description?, folder?)",
    status=201,
    response=DocumentView,
)
async def create_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    store, slug = file_store(ctx.settings), request.path_params["slug"]
    created = await library.create_document(ctx.db, store, actor, slug, form_reader(request))
    return json_response(created.as_json(), status=201)


@api.route(
    "GET",
    "/documents/{document_id:int}",
    summary="A document with all its versions",
    auth="optional",
    response=DocumentView,
)
async def get_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.document_detail(db, actor, path_int(request, "document_id"))
    return json_response(found.as_json())


@api.route(
    "POST",
    "/documents/{document_id:int}/versions",
    summary="Upload a new version of a document (multipart: file)",
    status=201,
    response=DocumentView,
)
async def add_version(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    store, document_id = file_store(ctx.settings), path_int(request, "document_id")
    changed = await library.add_version(ctx.db, store, actor, document_id, form_reader(request))
    return json_response(changed.as_json(), status=201)


@api.route(
    "DELETE",
    "/documents/{document_id:int}",
    summary="Remove a document (its uploader, moderators); files kept for the retention period",
    status=204,
)
async def remove_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await library.remove_document(ctx.db, actor, path_int(request, "document_id"))
    return Response(status_code=204)


@api.route(
    "GET",
    "/spaces/{slug}/library-settings",
    summary="Who may add documents to a space's library",
    auth="optional",
    response=LibrarySettingsView,
)
async def get_library_settings(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.library_settings(db, actor, request.path_params["slug"])
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/spaces/{slug}/library-settings",
    summary="Choose who may add documents: members or moderators (owners, secretariat)",
    body=LibrarySettingsUpdate,
    response=LibrarySettingsView,
)
async def put_library_settings(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, LibrarySettingsUpdate)
    changed = await library.set_library_adders(ctx.db, actor, request.path_params["slug"], data)
    return json_response(changed.as_json())


@api.route(
    "GET",
    "/files/{file_id:int}",
    summary="Download a file (a document's version or an attachment); ETag and Range",
    auth="optional",
    response=FILE,
)
async def download(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        servable = await queries.file_to_serve(db, actor, path_int(request, "file_id"))
    return file_response(request, file_store(ctx.settings), servable)


@api.route(
    "GET",
    "/files/{file_id:int}/preview",
    summary="A small PNG preview of an image file",
    auth="optional",
    response=PREVIEW,
)
async def preview(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    file_id = path_int(request, "file_id")
    async with ctx.db.read() as db:
        servable = await queries.file_to_serve(db, actor, file_id, preview=True)
    return file_response(request, file_store(ctx.settings), servable, inline=True)


@api.route(
    "POST",
    "/threads/{thread_id:int}/attachments",
    summary="Upload a file to attach to a post in this thread (multipart: file); name its id "
    "in the post's attachment_ids within a day",
    status=201,
    response=FileView,
)
async def upload_attachment(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    store, thread_id = file_store(ctx.settings), path_int(request, "thread_id")
    found = await attachments.upload_attachment(
        ctx.db, store, actor, thread_id, form_reader(request)
    )
    return json_response(found.as_json(), status=201)


@api.route(
    "GET",
    "/posts/{post_id:int}/attachments",
    summary="The files attached to a post",
    auth="optional",
    response=ListOf(FileView),
)
async def post_attachments(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await attachments.attachments_of_post(db, actor, path_int(request, "post_id"))
    return json_response({"items": [f.as_json() for f in found], "next": None})
