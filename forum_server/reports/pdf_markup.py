"""A post's sanitized HTML as blocks of ReportLab paragraph markup, for the PDF
transcript annex (pdf_annex.py).

The sanitizer (rooms/markdown.py) lets through a small, well-formed set of tags:
paragraphs, line breaks, rules, headings, strong/em/del/s/code, pre, blockquotes,
lists, links and tables. Each becomes a block (a paragraph, a list item, a row of a
table...) whose text is ReportLab's own inline markup, escaped again. Text that this
path cannot lay out faithfully — right-to-left scripts, characters the font lacks,
combining marks that need shaping — raises `NeedsShaping`, and the part goes to
WeasyPrint instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation
# forms) and combining marks: both need the bidi algorithm or shaping.
_NEEDS_SHAPING = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# Bidi isolates mark a name's own direction (textual.isolated); in a left-to-right
# part they change nothing, and the font has no glyph for them.
# Line ends and tabs are spaces in running text.
_ISOLATES = str.maketrans("\n\r\t", "   ", "\u2066\u2067\u2068\u2069")
_INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "del": "strike", "s": "strike"}
_BLOCKS = {"p", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}


class NeedsShaping(Exception):
    """The text needs a renderer with shaping and bidi: WeasyPrint."""


class Text:
    """Checks and escapes text for the annex's font (its code points, `covered`)."""

    def __init__(self, covered: frozenset[int]) -> None:
        self.covered = covered

    def __call__(self, text: str) -> str:
        text = text.translate(_ISOLATES)
        if _NEEDS_SHAPING.search(text) or not self.covered.issuperset(map(ord, text)):
            raise NeedsShaping(text[:40])
        return escape(text, quote=False)


@dataclass
class Block:
    kind: str  # p, li, pre, h, quote, hr, row
    markup: str = ""
    level: int = 0  # list and quote nesting
    bullet: str | None = None
    cells: list[str] = field(default_factory=list)  # a table row's cells
    header: bool = False


class _Parser(HTMLParser):
    def __init__(self, text: Text, mono: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.mono = mono
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] or [-1] for bullets
        self.quote = 0
        self.pre = False
        self.bullet: str | None = None
        self.row: Block | None = None

    # Blocks -----------------------------------------------------------------------
    def _flush(self, kind: str = "p") -> None:
        markup = "".join(self.pieces).strip() if not self.pre else "".join(self.pieces)
        self.pieces = []
        if self.row is not None and kind in ("td", "th"):
            self.row.cells.append(markup)
            self.row.header = self.row.header or kind == "th"
            return
        if not markup and self.bullet is None:
            return
        level = len(self.lists) + self.quote
        block_kind = "quote" if self.quote and kind == "p" else kind
        self.blocks.append(Block(block_kind, markup, level, self.bullet))
        self.bullet = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE:
            self.pieces.append(f"<{_INLINE[tag]}>")
        elif tag == "code" and not self.pre:
            self.pieces.append(f'<font face="{self.mono}">')
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.pieces.append(f'<a href="{escape(href)}" color="#1f5f8b">' if href else "<a>")
        elif tag == "br":
            self.pieces.append("<br/>")
        elif tag == "hr":
            self._flush()
            self.blocks.append(Block("hr"))
        elif tag in ("ul", "ol"):
            self._flush()
            start = dict(attrs).get("start")
            self.lists.append(
                [int(start) if start and start.isdigit() else 1] if tag == "ol" else [-1]
            )
        elif tag == "li":
            self._flush()
            counter = self.lists[-1] if self.lists else [-1]
            self.bullet = "•" if counter[0] < 0 else f"{counter[0]}."
            if counter[0] >= 0:
                counter[0] += 1
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "pre":
            self._flush()
            self.pre = True
        elif tag == "tr":
            self._flush()
            self.row = Block("row")
        elif tag in _BLOCKS and "".join(self.pieces).strip():
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self.pieces.append(f"</{_INLINE[tag]}>")
        elif tag == "code" and not self.pre:
            self.pieces.append("</font>")
        elif tag == "a":
            self.pieces.append("</a>")
        elif tag in ("ul", "ol"):
            self._flush("li")
            if self.lists:
                self.lists.pop()
        elif tag == "blockquote":
            self._flush()
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self._flush("pre")
            self.pre = False
        elif tag == "tr":
            if self.row is not None and self.row.cells:
                self.blocks.append(self.row)
            self.row = None
        elif tag in ("td", "th"):
            self._flush(tag)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush("h")
        elif tag in ("p", "li"):
            self._flush("li" if self.bullet is not None or tag == "li" else "p")

    def handle_data(self, data: str) -> None:
        if not self.pre and not data.strip() and not self.pieces:
            return  # whitespace between blocks
        if self.pre:  # spaces and line ends kept
            lines = (self.text(line).replace(" ", "&nbsp;") for line in data.split("\n"))
            self.pieces.append("<br/>".join(lines))
        else:
            self.pieces.append(self.text(data))


def blocks(html: str, text: Text, mono: str) -> list[Block]:
    """The post's blocks in order; raises NeedsShaping (see above)."""
    parser = _Parser(text, mono)
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks
