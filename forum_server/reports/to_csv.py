"""The CSV report: one row per published post, in reading order, streamed.

Every text cell that a spreadsheet would run as a formula (starting with `=`, `+`,
`-`, `@`, a tab or a carriage return) is prefixed with `'` (see SECURITY.md). The
file starts with a UTF-8 byte order mark so that spreadsheet programs read accents
right."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from forum_server.reports.model import ReportPost, ThreadPart, Transcript
from forum_server.reports.textual import spreadsheet_cell

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
)
ROWS_PER_CHUNK = 200


def _row(session: str, thread: ThreadPart, post: ReportPost) -> list[object]:
    return [
        post.id,
        post.session_id,
        spreadsheet_cell(session),
        thread.number if thread.number is not None else "",
        spreadsheet_cell(thread.text),
        post.parent_id if post.parent_id is not None else "",
        post.depth,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        spreadsheet_cell(post.author),
        "yes" if post.is_moderator else "",
        spreadsheet_cell(post.country or ""),
        spreadsheet_cell(post.organization or ""),
        "yes" if post.highlighted else "",
        spreadsheet_cell(post.body),
    ]


def chunks(transcript: Transcript) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for part in transcript.sessions:
        for thread in part.threads:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            for n, post in enumerate(transcript.posts(thread.thread_id), start=1):
                writer.writerow(_row(part.title, thread, post))
                if n % ROWS_PER_CHUNK == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()
