"""JSON API of calls for submissions, their submissions, status table, designated
submitters, documents and compilation."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.calls import commands, compile, queries, reminders, submissions
from forum_server.calls.schemas import CallInput, OrderInput, SubmissionInput, SubmitterInput
from forum_server.calls.views import (
    CallView,
    ReminderView,
    StatusRow,
    SubmissionView,
    SubmitterView,
)
from forum_server.files.ingest import ReadForm
from forum_server.files.kinds import BY_MEDIA_TYPE
from forum_server.files.storage import file_store
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.downloads import content_disposition, file_response
from forum_server.web.shapes import Download, ListOf
from forum_server.web.uploads import read_upload_form

api = ApiRouter()


def form_reader(request: Request) -> ReadForm:
    ctx = app_context(request)

    async def read():  # type: ignore[no-untyped-def]
        return await read_upload_form(
            request, file_store(ctx.settings), ctx.settings.max_upload_bytes
        )

    return read


@api.route(
    "GET",
    "/spaces/{slug}/calls",
    summary="A space's calls for submissions, open ones first",
    auth="optional",
    response=ListOf(CallView),
)
async def list_calls(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.calls_of(db, actor, request.path_params["slug"])
    return json_response({"items": [c.as_json() for c in found.calls], "next": None})


@api.route(
    "POST",
    "/spaces/{slug}/calls",
    summary="Open a call for submissions (owners, secretariat)",
    body=CallInput,
    status=201,
    response=CallView,
)
async def open_call(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, CallInput)
    created = await commands.open_call(ctx.db, actor, request.path_params["slug"], data)
    return json_response(created.as_json(), status=201)


@api.route("GET", "/calls/{call_id:int}", summary="A call", auth="optional", response=CallView)
async def get_call(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.call_detail(db, actor, path_int(request, "call_id"))
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/calls/{call_id:int}",
    summary="Replace a call's fields; a later deadline re-opens it (owners, secretariat)",
    body=CallInput,
    response=CallView,
)
async def put_call(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, CallInput)
    changed = await commands.update_call(ctx.db, actor, path_int(request, "call_id"), data)
    return json_response(changed.as_json())


@api.route(
    "GET",
    "/calls/{call_id:int}/submissions",
    summary="The call's submissions the caller may see, in the compilation's order",
    auth="optional",
    query=("limit", "after"),
    response=ListOf(SubmissionView),
)
async def list_call_submissions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    limit, offset = query_int(request, "limit") or 50, query_int(request, "after") or 0
    async with ctx.db.read() as db:
        found, more = await queries.submissions_of(
            db, actor, path_int(request, "call_id"), limit=limit, offset=offset
        )
    return json_response({"items": [s.as_json() for s in found], "next": more})


@api.route(
    "POST",
    "/calls/{call_id:int}/submissions",
    summary="Submit for one's country or organization, once (designated submitters); "
    "409 already_submitted, 409 call_closed",
    body=SubmissionInput,
    status=201,
    response=SubmissionView,
)
async def submit_to_call(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SubmissionInput)
    created = await submissions.submit(ctx.db, actor, path_int(request, "call_id"), data)
    return json_response(created.as_json(), status=201)


@api.route(
    "GET",
    "/submissions/{submission_id:int}",
    summary="A submission",
    auth="optional",
    response=SubmissionView,
)
async def get_submission(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.submission_detail(db, actor, path_int(request, "submission_id"))
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/submissions/{submission_id:int}",
    summary="Replace a submission's text and visibility until the deadline (its "
    "submitters); 409 call_closed after",
    body=SubmissionInput,
    response=SubmissionView,
)
async def put_submission(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SubmissionInput)
    changed = await submissions.update_submission(
        ctx.db, actor, path_int(request, "submission_id"), data
    )
    return json_response(changed.as_json())


@api.route(
    "POST",
    "/submissions/{submission_id:int}/files",
    summary="Add a document to a submission until the deadline (multipart: file)",
    status=201,
    response=SubmissionView,
)
async def add_submission_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    changed = await submissions.add_document_from_form(
        ctx.db,
        file_store(ctx.settings),
        actor,
        path_int(request, "submission_id"),
        form_reader(request),
    )
    return json_response(changed.as_json(), status=201)


@api.route(
    "GET",
    "/submissions/{submission_id:int}/files/{file_id:int}",
    summary="Download a document of a submission",
    auth="optional",
    response=Download(tuple(BY_MEDIA_TYPE)),
)
async def download_submission_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    ids = path_int(request, "submission_id"), path_int(request, "file_id")
    async with ctx.db.read() as db:
        servable = await queries.document_to_serve(db, actor, *ids)
    return file_response(request, file_store(ctx.settings), servable)


@api.route(
    "DELETE",
    "/submissions/{submission_id:int}/files/{file_id:int}",
    summary="Remove a document from a submission until the deadline",
    status=204,
)
async def remove_submission_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    ids = path_int(request, "submission_id"), path_int(request, "file_id")
    await submissions.remove_document(ctx.db, actor, *ids)
    return Response(status_code=204)


@api.route(
    "GET",
    "/calls/{call_id:int}/status",
    summary="Who has and has not submitted (every country and organization addressed "
    "that has designated submitters or has submitted)",
    auth="optional",
    response=ListOf(StatusRow),
)
async def call_status(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        rows = await queries.status_of(db, actor, path_int(request, "call_id"))
    return json_response({"items": [r.as_json() for r in rows], "next": None})


@api.route(
    "PUT",
    "/calls/{call_id:int}/order",
    summary="The compilation's order: every submission's id, first to last (owners, secretariat)",
    body=OrderInput,
    status=204,
)
async def order_call(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, OrderInput)
    await commands.order_submissions(ctx.db, actor, path_int(request, "call_id"), data)
    return Response(status_code=204)


@api.route(
    "POST",
    "/calls/{call_id:int}/reminders",
    summary="Remind now every designated submitter whose country or organization has "
    "not submitted (owners, secretariat)",
    response=ReminderView,
)
async def remind_call(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    done = await reminders.remind_now(ctx.db, actor, path_int(request, "call_id"))
    return json_response(done.as_json())


@api.route(
    "GET",
    "/calls/{call_id:int}/compilation",
    summary="The compilation of every submission as an information document "
    "(format=html|pdf|docx), at or after the deadline (owners, secretariat)",
    query=("format",),
    response=Download(tuple(m.split(";")[0] for m in compile.MEDIA_TYPES.values())),
)
async def call_compilation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    name, media_type, data = await compile.compilation_file(
        ctx.db,
        actor,
        path_int(request, "call_id"),
        request.query_params.get("format"),
        ctx.settings.site_name,
    )
    headers = {"Content-Disposition": content_disposition(name)}
    if media_type.startswith("text/html"):
        headers["Content-Security-Policy"] = compile.CONTENT_SECURITY_POLICY
    return Response(data, media_type=media_type, headers=headers)


@api.route(
    "GET",
    "/spaces/{slug}/call-submitters",
    summary="The space's designated submitters (for those who see its members)",
    response=ListOf(SubmitterView),
)
async def list_call_submitters(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.submitters_of(db, actor, request.path_params["slug"])
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route(
    "POST",
    "/spaces/{slug}/call-submitters",
    summary="Designate a member to submit for a country or an organization (owners, secretariat)",
    body=SubmitterInput,
    status=201,
    response=SubmitterView,
)
async def add_call_submitter(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SubmitterInput)
    added = await commands.add_submitter(ctx.db, actor, request.path_params["slug"], data)
    return json_response(added.as_json(), status=201)


@api.route(
    "DELETE",
    "/spaces/{slug}/call-submitters/{user_id:int}",
    summary="Remove a designated submitter (owners, secretariat)",
    status=204,
)
async def remove_call_submitter(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, user_id = request.path_params["slug"], path_int(request, "user_id")
    await commands.remove_submitter(ctx.db, actor, slug, user_id)
    return Response(status_code=204)
