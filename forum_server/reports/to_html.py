"""The HTML report: a standalone, printable page with its own inline style, streamed
from a Jinja template with autoescaping on. Post and summary HTML is used as stored
(rendered and sanitized when written); every other user text is escaped. The page
carries its own Content-Security-Policy (no scripts, no fetches, images only from
`data:`), so it stays inert wherever the file is opened."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from functools import cache

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from forum_server.i18n import language
from forum_server.i18n.jinja import install_i18n
from forum_server.reports import outline
from forum_server.reports.model import Transcript
from forum_server.reports.textual import (
    agenda_times,
    byline_tail,
    direction,
    figure_tables,
    isolated,
    period_text,
    poll_meta,
    posts_from,
    reply_note,
    when,
)

CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@cache
def template(name: str = "report.html") -> Template:
    """A template of reports/ (report.html, the whole page; part.html, a PDF's part)."""
    env = Environment(
        loader=PackageLoader("forum_server", "web/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(env)
    env.filters.update(isolate=isolated, direction=direction)
    env.globals.update(
        when=when,
        agenda_times=agenda_times,
        period_text=period_text,
        posts_from=posts_from,
        byline_tail=byline_tail,
        poll_meta=poll_meta,
        reply_note=reply_note,
        figure_tables=figure_tables,
        b64=lambda data: base64.b64encode(data).decode("ascii"),
        o=outline,
        transcript_items=outline.transcript_items,
    )
    return env.get_template(f"reports/{name}")


def chunks(transcript: Transcript) -> Iterator[str]:
    return template().generate(
        t=transcript, p=transcript.participation, language=language(transcript.language)
    )
