"""Small text helpers the renderers share: dates, file names, neutralizing user text
for Markdown and XML (spreadsheets: forum_server.spreadsheet)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from forum_server.rooms.state import Period

# Characters XML 1.0 cannot carry at all (DOCX is XML): C0 controls but tab/LF/CR,
# surrogates and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def when(value: datetime | None) -> str:
    # isoformat, not strftime: this runs once a post, and is several times faster.
    return value.isoformat(" ", "minutes")[:16] + " UTC" if value else "no closing date"


def period_text(period: Period, first: bool) -> str:
    prefix = "" if first else "re-opened "
    return f"{prefix}{when(period.opens_at)} – {when(period.closes_at)}"


def slug(text: str, *, default: str = "report", max_length: int = 60) -> str:
    """ASCII, lower-case, hyphenated: safe in any file name and header."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:max_length].rstrip("-") or default


def md_inline(text: str) -> str:
    """Plain text (a title, a name) as Markdown that shows exactly that text: markup
    characters are escaped, and `<`/`&` become entities so no raw HTML survives."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


def md_block(markdown: str, prefix: str = "> ") -> str:
    """A post's Markdown source kept as Markdown, inside a block quote so that its
    headings and lists cannot break the report's structure; `<` becomes `&lt;` so a
    viewer that would render raw HTML shows it as text instead."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("<", "&lt;").split("\n")
    return "\n".join((prefix + line).rstrip() for line in lines)
