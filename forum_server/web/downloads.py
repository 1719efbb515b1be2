"""Sending a stored file: always as a download (or an inline preview image), never as
something a browser would run — sandboxed, not sniffed, named safely — with its hash
as ETag (304 when unchanged) and byte ranges for resuming large files."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from forum_server.errors import NotFound
from forum_server.files.queries import Servable
from forum_server.files.storage import LocalFileStore

SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"


def content_disposition(name: str, *, inline: bool = False) -> str:
    """RFC 6266 with an ASCII fallback and the exact name in RFC 5987 form."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(
    request: Request, store: LocalFileStore, servable: Servable, *, inline: bool = False
) -> Response:
    etag = f'"{servable.sha256}"'
    headers = {
        "Content-Disposition": content_disposition(servable.name, inline=inline),
        "Content-Security-Policy": SANDBOX,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-cache",
        "ETag": etag,
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    asked = request.headers.get("if-none-match", "")
    if etag in {tag.strip() for tag in asked.split(",")} or asked.strip() == "*":
        return Response(status_code=304, headers=headers)
    path = store.local_path(servable.sha256)
    if not path.exists():
        raise NotFound("No such file.")
    return FileResponse(path, media_type=servable.media_type, headers=headers)
