"""Reading a multipart form with its files, for the library and attachments.

Starlette's parser keeps a file part in memory only up to 1 MB and spools the rest to
a temporary file, so a large upload never sits whole in memory; from there it is
copied in chunks into the file store's incoming folder, hashed on the way. The body
limit middleware refuses a body over FORUM_MAX_UPLOAD_BYTES, so several files on one
form share that limit. Whatever goes wrong, the incoming files are removed."""

from __future__ import annotations

from python_multipart.multipart import MultipartParseError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from forum_server.errors import BadRequest, TooLarge
from forum_server.files.ingest import Received, ReceivedFile
from forum_server.files.storage import CHUNK_BYTES, LocalFileStore
from forum_server.web.csrf import CSRF_FIELD
from forum_server.web.forms import read_form

MAX_FIELDS = 20
MAX_TEXT_FIELD = 64 * 1024


def too_large(limit: int) -> TooLarge:
    return TooLarge(
        "The file is larger than %(limit)s bytes.", code="too_large", params={"limit": limit}
    )


async def read_upload_form(
    request: Request, store: LocalFileStore, limit: int, *, max_files: int = 1
) -> Received:
    """The form's text fields and up to `max_files` files sent as `file` parts (an
    empty file input sends a part with no name: skipped)."""
    received = Received()
    try:
        async with request.form(
            max_files=max_files, max_fields=MAX_FIELDS, max_part_size=MAX_TEXT_FIELD
        ) as form:
            for key, value in form.multi_items():
                if isinstance(value, str):
                    if key != CSRF_FIELD:
                        received.fields[key] = value.strip()
                elif key == "file" and value.filename:
                    await _copy(value, received, store, limit)
    except (MultiPartException, MultipartParseError) as exc:
        received.discard()
        raise BadRequest(
            "The form could not be read: %(problem)s", params={"problem": str(exc)}
        ) from None
    except BaseException:
        received.discard()
        raise
    return received


async def _copy(part: UploadFile, received: Received, store: LocalFileStore, limit: int) -> None:
    incoming = store.incoming()
    received.files.append(ReceivedFile(incoming, part.filename or ""))
    while chunk := await part.read(CHUNK_BYTES):
        incoming.write(chunk)
        if incoming.size > limit:
            raise too_large(limit)


async def read_form_with_files(
    request: Request, store: LocalFileStore, limit: int, *, max_files: int
) -> Received:
    """A form that may carry files (multipart) or not (urlencoded), alike."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await read_upload_form(request, store, limit, max_files=max_files)
    return Received(fields=await read_form(request))
