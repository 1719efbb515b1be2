"""The report formats: their names, media types and file names, and the two ways to
produce them — `chunks()` streams the text formats, `write()` writes any format to a
binary file. Both are synchronous and pull posts from the event loop, so they run in
a worker thread (`asyncio.to_thread`, or Starlette's thread pool for a streamed body).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from forum_server.errors import Invalid
from forum_server.i18n import N_, current_language, gettext, using_language
from forum_server.reports import to_csv, to_docx, to_html, to_json, to_md, to_pdf
from forum_server.reports.model import Transcript
from forum_server.reports.textual import slug

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # a catalogue entry, translated where shown
    media_type: str
    streams: bool  # text produced in order, sent as it is made

    @property
    def title(self) -> str:
        return gettext(self.label)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "docx",
            N_("Word (.docx)"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            streams=False,
        ),
        Format("pdf", "PDF", "application/pdf", streams=False),
        Format("html", N_("Web page (.html)"), "text/html; charset=utf-8", streams=True),
        Format("md", N_("Markdown (.md)"), "text/markdown; charset=utf-8", streams=True),
        Format("json", "JSON", "application/json", streams=True),
        Format("csv", N_("Spreadsheet (.csv)"), "text/csv; charset=utf-8", streams=True),
    )
}
_TEXT: dict[str, Callable[[Transcript], Iterator[str]]] = {
    "html": to_html.chunks,
    "md": to_md.chunks,
    "json": to_json.chunks,
    "csv": to_csv.chunks,
}
_BINARY: dict[str, Callable[[Transcript, IO[bytes]], None]] = {
    "docx": to_docx.write,
    "pdf": to_pdf.write,
}


def check_format(value: str | None) -> Format:
    found = FORMATS.get((value or "").strip().lower())
    if found is None:
        raise Invalid(
            "format must be one of %(choices)s.",
            params={"choices": ", ".join(FORMATS)},
            field="format",
        )
    return found


def filename(transcript: Transcript, fmt: Format) -> str:
    """ASCII only, from the title and the day of compilation (UTC)."""
    return f"{slug(transcript.title)}-{transcript.generated_at:%Y-%m-%d}.{fmt.name}"


def content_disposition(name: str) -> str:
    return f'attachment; filename="{name}"'


def _in_language(language: str, pieces: Iterator[str]) -> Iterator[str]:
    """The renderer's pieces, each made in the report's language. The language is set
    around every step, not around the whole generator: a streamed body is pulled from
    whichever worker thread is free, each with a context of its own."""
    while True:
        token = current_language.set(language)  # not using_language: this runs per piece
        try:
            piece = next(pieces, None)
        finally:
            current_language.reset(token)
        if piece is None:
            return
        yield piece


def chunks(transcript: Transcript, fmt: Format) -> Iterator[bytes]:
    """A text format as UTF-8 chunks of about CHUNK_BYTES."""
    pending: list[str] = []
    size = 0
    for piece in _in_language(transcript.language, _TEXT[fmt.name](transcript)):
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(pending).encode()
            pending.clear()
            size = 0
    if pending:
        yield "".join(pending).encode()


def write(transcript: Transcript, fmt: Format, out: IO[bytes]) -> None:
    if fmt.name in _BINARY:
        with using_language(transcript.language):
            _BINARY[fmt.name](transcript, out)
        return
    for chunk in chunks(transcript, fmt):
        out.write(chunk)


async def render_bytes(transcript: Transcript, fmt: Format | str) -> bytes:
    """The whole report in memory, built in a worker thread (for tests and small uses)."""
    chosen = check_format(fmt) if isinstance(fmt, str) else fmt
    buffer = io.BytesIO()
    await asyncio.to_thread(write, transcript, chosen, buffer)
    return buffer.getvalue()
