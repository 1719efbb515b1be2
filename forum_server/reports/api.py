"""JSON API routes for reports: the downloads and the space's report settings.

Text formats are streamed as they are made; DOCX and PDF are built in a worker
thread (so the event loop keeps serving) into a spooled temporary file, which is then
streamed. Every download is an attachment with a restrictive Content-Security-Policy.

`?lang=` chooses the report's language (the reader's interface language when absent);
`?post_lang=` keeps only the contributions written in one language.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from tempfile import SpooledTemporaryFile
from typing import IO

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from forum_server.i18n import current_language
from forum_server.reports import formats, to_pdf
from forum_server.reports.access import (
    ReportSettings,
    ReportSettingsUpdate,
    report_settings,
    update_report_settings,
)
from forum_server.reports.model import Transcript
from forum_server.reports.poll_votes import poll_votes_csv
from forum_server.reports.to_html import CONTENT_SECURITY_POLICY
from forum_server.reports.transcript import (
    Languages,
    check_language,
    compile_session_report,
    compile_space_report,
)
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import Download

api = ApiRouter()

DEFAULT_FORMAT = "docx"
SPOOL_BYTES = 16 * 1024 * 1024  # larger documents go to a temporary file
READ_BYTES = 256 * 1024


# Media types without their parameters (charset), as OpenAPI names them.
REPORT_DOWNLOAD = Download(tuple(f.media_type.split(";")[0] for f in formats.FORMATS.values()))


def _file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := file.read(READ_BYTES):
            yield chunk
    finally:
        file.close()


async def _download(transcript: Transcript, fmt: formats.Format) -> Response:
    headers = {
        "Content-Disposition": formats.content_disposition(formats.filename(transcript, fmt)),
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if fmt.streams:
        return StreamingResponse(
            formats.chunks(transcript, fmt), media_type=fmt.media_type, headers=headers
        )
    if fmt.name == "pdf":
        to_pdf.check_available()
    spooled: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        await asyncio.to_thread(formats.write, transcript, fmt, spooled)
        spooled.seek(0)
    except BaseException:
        spooled.close()
        raise
    return StreamingResponse(_file_chunks(spooled), media_type=fmt.media_type, headers=headers)


REPORT_QUERY = ("format", "attribution", "lang", "post_lang")


def _options(request: Request) -> tuple[formats.Format, str | None, Languages]:
    query = request.query_params
    fmt = formats.check_format(query.get("format") or DEFAULT_FORMAT)
    chosen = check_language(query.get("lang"))
    posts = check_language(query.get("post_lang"), field="post_lang")
    report = chosen or current_language.get()
    site_name = app_context(request).settings.site_name_in(report)
    return fmt, query.get("attribution"), Languages(report, posts, site_name)


@api.route(
    "GET",
    "/sessions/{session_id:int}/report",
    summary="A session's report as a download (md, html, docx, json, csv, pdf)",
    auth="optional",
    query=REPORT_QUERY,
    response=REPORT_DOWNLOAD,
)
async def session_report(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    fmt, attribution, languages = _options(request)
    session_id = path_int(request, "session_id")
    transcript = await compile_session_report(
        ctx.db,
        actor,
        session_id,
        attribution=attribution,
        languages=languages,
        site_url=ctx.settings.base_url,
    )
    return await _download(transcript, fmt)


@api.route(
    "GET",
    "/spaces/{slug}/report",
    summary="A whole space's report (all its sessions) as a download",
    auth="optional",
    query=REPORT_QUERY,
    response=REPORT_DOWNLOAD,
)
async def space_report(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    fmt, attribution, languages = _options(request)
    slug = request.path_params["slug"]
    transcript = await compile_space_report(
        ctx.db,
        actor,
        slug,
        attribution=attribution,
        languages=languages,
        site_url=ctx.settings.base_url,
    )
    return await _download(transcript, fmt)


@api.route(
    "GET",
    "/spaces/{slug}/report-settings",
    summary="A space's report settings",
    response=ReportSettings,
)
async def get_report_settings(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await report_settings(db, actor, request.path_params["slug"])
    return json_response(found.as_json())


@api.route(
    "PATCH",
    "/spaces/{slug}/report-settings",
    summary="Change a space's report settings (attribution: secretariat; members' downloads: "
    "owners and secretariat)",
    body=ReportSettingsUpdate,
    response=ReportSettings,
)
async def patch_report_settings(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, ReportSettingsUpdate)
    changed = await update_report_settings(ctx.db, actor, request.path_params["slug"], data)
    return json_response(changed.as_json())


@api.route(
    "GET",
    "/polls/{poll_id:int}/votes.csv",
    summary="A named poll's votes as CSV (who may download the session's report)",
    auth="optional",
    response=Download(("text/csv",)),
)
async def poll_votes(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        name, text = await poll_votes_csv(db, actor, path_int(request, "poll_id"))
    headers = {"Content-Disposition": formats.content_disposition(name)}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
