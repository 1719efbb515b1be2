"""The CSV report: one row per published post, in reading order, streamed.

Every text cell that a spreadsheet could run as a formula is neutralized, also where
a `;` or `,` inside it could start a cell (see forum_server/spreadsheet.py). The
file starts with a UTF-8 byte order mark so that spreadsheet programs read accents
right. Column names stay as they are in every language (scripts read them); `lang` is
the language each post is written in, where known."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from forum_server.reports.model import ReportPost, ThreadPart, Transcript
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
)
ROWS_PER_CHUNK = 200


def _row(session: str, thread: ThreadPart, post: ReportPost) -> list[object]:
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
