"""WordprocessingML for the proceedings, written as text.

python-docx builds every paragraph as Python objects and inserts each one with a
scan of the body (quadratic: 100,000 posts took minutes); the proceedings are the
bulk of a report, so they are written here as XML strings and streamed into the
document (see `to_docx.py`). Post bodies are Markdown: paragraphs, line breaks,
list items, headings, block quotes, **bold**, *italic*, `code` and links are carried
over; the rest stays as typed. A contribution's runs carry its language, and its
paragraphs its direction where it differs from the document's.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from forum_server.i18n import gettext
from forum_server.reports.docx_language import TAGS
from forum_server.reports.model import ReportPost
from forum_server.reports.textual import (
    RTL_TEXT,
    byline_details,
    post_direction,
    reply_note,
    xml_safe,
)

_INLINE = re.compile(
    r"\*\*(?P<b1>[^*\n]+?)\*\*"
    r"|__(?P<b2>[^_\n]+?)__"
    r"|\*(?P<i1>[^*\s](?:[^*\n]*?[^*\s])?)\*"
    r"|(?<![\w])_(?P<i2>[^_\s](?:[^_\n]*?[^_\s])?)_(?![\w])"
    r"|`(?P<code>[^`\n]+)`"
    r"|\[(?P<text>[^\]\n]+)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)"
)
_MARKUP = re.compile(r"[*_`\[]")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_NUMBERED = re.compile(r"^\s{0,3}(\d{1,9})[.)]\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t>'


def run(
    text: str, *, bold: bool = False, italic: bool = False, code: bool = False, lang: str = ""
) -> str:
    """A run; `lang` is a `<w:lang .../>` element for the language it is written in.
    Text in a right-to-left script is marked so, with its bold and italic."""
    rtl = not text.isascii() and RTL_TEXT.search(text) is not None
    props = ""
    if bold or italic or code or rtl or lang:
        props = "<w:rPr>"
        if code:
            props += '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
        if bold:
            props += "<w:b/><w:bCs/>" if rtl else "<w:b/>"
        if italic:
            props += "<w:i/><w:iCs/>" if rtl else "<w:i/>"
        props += ("<w:rtl/>" if rtl else "") + lang + "</w:rPr>"
    return f"<w:r>{props}{_t(text)}</w:r>"


def language_tag(code: str | None) -> str:
    """The `<w:lang>` of runs written in `code` ("" when unknown)."""
    if code not in TAGS:
        return ""
    tag = TAGS[code]
    if code == "ar":
        return f'<w:lang w:bidi="{tag}"/>'
    if code == "zh":
        return f'<w:lang w:eastAsia="{tag}"/>'
    return f'<w:lang w:val="{tag}"/>'


def inline_runs(text: str, *, bold: bool = False, lang: str = "") -> str:
    if not _MARKUP.search(text):  # most lines: no markup at all, one run
        return run(text, bold=bold, lang=lang)
    out: list[str] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append(run(text[pos : match.start()], bold=bold, lang=lang))
        groups = match.groupdict()
        if groups["b1"] or groups["b2"]:
            out.append(run(groups["b1"] or groups["b2"], bold=True, lang=lang))
        elif groups["i1"] or groups["i2"]:
            out.append(run(groups["i1"] or groups["i2"], bold=bold, italic=True, lang=lang))
        elif groups["code"]:
            out.append(run(groups["code"], code=True))
        else:
            out.append(run(f"{groups['text']} ({groups['url']})", bold=bold, lang=lang))
        pos = match.end()
    if pos < len(text):
        out.append(run(text[pos:], bold=bold, lang=lang))
    return "".join(out)


def paragraph_direction(direction: str, rtl: bool) -> str:
    """The `<w:bidi>` of a paragraph written `direction` ("rtl"/"ltr") in a document
    that is right to left (`rtl`) or not: nothing where they agree."""
    if (direction == "rtl") == rtl:
        return ""
    return '<w:bidi w:val="0"/>' if rtl else "<w:bidi/>"


def paragraph(style_id: str, content: str, direction: str = "") -> str:
    """A paragraph; `direction` is `<w:bidi/>` (or `<w:bidi w:val="0"/>`) where it
    differs from the document's."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{direction}</w:pPr>{content}</w:p>'


def markdown_paragraphs(
    markdown: str, style_id: str, *, lang: str = "", direction: str = ""
) -> str:
    """Blocks separated by blank lines become paragraphs; list items and headings
    get a paragraph of their own; other line breaks stay line breaks."""
    out: list[str] = []
    lines: list[str] = []
    in_code = False

    def flush() -> None:
        if lines:
            content = "<w:r><w:br/></w:r>".join(
                run(line, code=True) if in_code else inline_runs(line, lang=lang) for line in lines
            )
            out.append(paragraph(style_id, content, direction))
            lines.clear()

    for raw in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw.lstrip().startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code:
            lines.append(raw)
            continue
        line = _QUOTE.sub("", raw, count=1) if _QUOTE.match(raw) else raw
        if not line.strip():
            flush()
        elif heading := _HEADING.match(line):
            flush()
            content = inline_runs(line[heading.end() :], bold=True, lang=lang)
            out.append(paragraph(style_id, content, direction))
        elif bullet := _BULLET.match(line):
            flush()
            content = run("•\u00a0") + inline_runs(line[bullet.end() :], lang=lang)
            out.append(paragraph(style_id, content, direction))
        elif number := _NUMBERED.match(line):
            flush()
            marker = run(f"{number.group(1)}.\u00a0")
            content = marker + inline_runs(line[number.end() :], lang=lang)
            out.append(paragraph(style_id, content, direction))
        else:
            lines.append(line.strip())
    flush()
    return "".join(out)


def byline_runs(post: ReportPost) -> str:
    parts = [run(f"#{post.id} "), run(post.author, bold=True)]
    parts += [run(" · " + detail) for detail in byline_details(post)]
    if (note := reply_note(post)) is not None:
        parts.append(run(f" · {note}", italic=True))
    if post.highlighted:
        parts.append(run(" · ★ " + gettext("highlighted")))
    return "".join(parts)


def post_xml(post: ReportPost, styles: tuple[tuple[str, str], ...], rtl: bool = False) -> str:
    """A post as a byline paragraph and its body, styled by depth: `styles` holds
    (byline style id, body style id) for a contribution, a reply, a deeper reply. The
    body keeps its language, and its direction (its language's, else its first
    letter's) where it differs from the document's (`rtl`: the document's is RTL)."""
    heading, body = styles[min(post.depth, len(styles) - 1)]
    direction = paragraph_direction(post_direction(post), rtl)
    text = markdown_paragraphs(post.body, body, lang=language_tag(post.lang), direction=direction)
    return paragraph(heading, byline_runs(post)) + text
