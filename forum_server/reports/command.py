"""`forum-server report`: writes a session's (or a space's) report to a file, acting
as the secretariat like the other administrative commands, with a progress bar on
stderr for large sessions."""

from __future__ import annotations

import asyncio
import sys
from contextlib import ExitStack
from pathlib import Path

from tqdm import tqdm

from forum_server.accounts.admin import COMMAND_LINE
from forum_server.db import Database
from forum_server.migrate import migrate
from forum_server.reports import formats, to_pdf
from forum_server.reports.transcript import (
    Languages,
    check_language,
    compile_session_report,
    compile_space_report,
)
from forum_server.settings import Settings

# Below this many posts a report is written in a moment; no bar is drawn.
PROGRESS_FROM_POSTS = 2_000


async def write_report(
    settings: Settings,
    *,
    session_id: int | None,
    space_slug: str | None,
    format_name: str,
    output: str | None,
    attribution: str | None,
    language: str | None = None,
    post_language: str | None = None,
    progress: bool = True,
) -> str:
    """Writes the report, in `language` (else FORUM_DEFAULT_LANGUAGE), and returns
    where it went (a path, or "-" for stdout). Raises the domain errors of compilation
    (NotFound, Invalid, PdfUnavailable...)."""
    fmt = formats.check_format(format_name)
    report = check_language(language) or settings.default_language
    languages = Languages(
        report, check_language(post_language, field="post_lang"), settings.site_name_in(report)
    )
    await migrate(settings.database_url)
    db = Database(settings.database_url)
    try:
        if space_slug is not None:
            transcript = await compile_space_report(
                db,
                COMMAND_LINE,
                space_slug,
                attribution=attribution,
                languages=languages,
                site_url=settings.base_url,
            )
        else:
            assert session_id is not None
            transcript = await compile_session_report(
                db,
                COMMAND_LINE,
                session_id,
                attribution=attribution,
                languages=languages,
                site_url=settings.base_url,
            )
        if fmt.name == "pdf":
            to_pdf.check_available()
        target = output or formats.filename(transcript, fmt)
        total = transcript.participation.posts
        with ExitStack() as stack:
            bar = stack.enter_context(
                tqdm(
                    total=total,
                    unit="post",
                    desc=f"report ({fmt.name})",
                    file=sys.stderr,
                    disable=not progress or total < PROGRESS_FROM_POSTS,
                    leave=False,
                )
            )
            transcript.source.progress = bar.update
            if target == "-":
                await asyncio.to_thread(formats.write, transcript, fmt, sys.stdout.buffer)
                return target
            # Written beside the target and renamed when complete: never half a report.
            partial = Path(target).with_name(Path(target).name + ".part")
            try:
                with partial.open("wb") as out:
                    await asyncio.to_thread(formats.write, transcript, fmt, out)
                partial.replace(target)
            finally:
                partial.unlink(missing_ok=True)
        return target
    finally:
        await db.dispose()
