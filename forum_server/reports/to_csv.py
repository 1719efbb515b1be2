"""The CSV report: one row per published post, in reading order, streamed.

Every text cell that a spreadsheet could run as a formula is neutralized, also where
a `;` or `,` inside it could start a cell (see forum_server/spreadsheet.py). The
file starts with a UTF-8 byte order mark so that spreadsheet programs read accents
right. Column names stay as they are in every language (scripts read them); `lang` is
the language each post is written in, where known. `record` is `post`, or `document`
for the rows after the posts that list the space's library (title in `body`);
`attachments` holds each row's files as `name <address>`, separated by ` | `."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from forum_server.reports.model import ReportFile, ReportPost, ThreadPart, Transcript
from forum_server.spreadsheet import safe_cell

COLUMNS = (
    "post_id",
    "session_id",
    "session",
    "question",
    "thread",
    "parent_id",
    "reply_depth",
    "created_at",
    "edited_at",
    "author",
    "moderator",
    "country",
    "organization",
    "highlighted",
    "body",
    "lang",
    "record",
    "attachments",
)
ROWS_PER_CHUNK = 200


def _files(files: list[ReportFile]) -> str:
    return safe_cell(" | ".join(f"{file.name} <{file.url}>" for file in files))


def _document_row(session_id: object, session: str, file: ReportFile) -> list[object]:
    """A library document, after the posts: its title as the body, its uploader as the
    author, its current file as its attachment."""
    row: list[object] = [""] * len(COLUMNS)
    row[COLUMNS.index("session_id")] = session_id
    row[COLUMNS.index("session")] = safe_cell(session)
    row[COLUMNS.index("created_at")] = file.created_at.isoformat()
    row[COLUMNS.index("author")] = safe_cell(file.uploader)
    row[COLUMNS.index("body")] = safe_cell(file.title)
    row[COLUMNS.index("record")] = "document"
    row[COLUMNS.index("attachments")] = _files([file])
    return row


def _row(
    session: str, thread: ThreadPart, post: ReportPost, files: list[ReportFile]
) -> list[object]:
    return [
        post.id,
        post.session_id,
        safe_cell(session),
        thread.number if thread.number is not None else "",
        safe_cell(thread.text),
        post.parent_id if post.parent_id is not None else "",
        post.depth,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        safe_cell(post.author),
        "yes" if post.is_moderator else "",
        safe_cell(post.country or ""),
        safe_cell(post.organization or ""),
        "yes" if post.highlighted else "",
        safe_cell(post.body),
        post.lang or "",
        "post",
        _files(files),
    ]


def chunks(transcript: Transcript) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for part in transcript.sessions:
        files: dict[int | None, list[ReportFile]] = {}
        for file in part.attachments:
            files.setdefault(file.post_id, []).append(file)
        for thread in part.threads:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            for n, post in enumerate(transcript.posts(thread.thread_id), start=1):
                writer.writerow(_row(part.title, thread, post, files.get(post.id, [])))
                if n % ROWS_PER_CHUNK == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()
    if transcript.documents:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        one = transcript.sessions[0] if transcript.scope == "session" else None
        for file in transcript.documents:
            writer.writerow(_document_row(one.id if one else "", one.title if one else "", file))
        yield buffer.getvalue()
