"""The PDF transcript annex laid out by ReportLab, a part at a time.

WeasyPrint spends about 24 ms of CPU on each post (CSS cascade, Pango line breaking,
font subsetting per part); ReportLab's platypus lays the same post out in about 1 ms,
which is what lets a 20,000-post session become a PDF in under a minute. It does not
shape text or reorder it right to left, so it takes only parts whose every character
the font (DejaVu Sans, which WeasyPrint uses for the same text) has and that need no
shaping: anything else raises `NeedsShaping` before a page is drawn, and to_pdf.py
lays that part out with WeasyPrint. The look follows the report's CSS (_style.css):
A4, the same margins, sizes and rules, the page number at the foot. Nothing is
fetched: every text is escaped, and the markup names no images, only links.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from threading import Lock
from typing import Any

from forum_server.i18n import gettext
from forum_server.reports import outline
from forum_server.reports.model import ReportPost, SessionPart, ThreadPart, Transcript
from forum_server.reports.pdf_markup import Block, NeedsShaping, Text, blocks
from forum_server.reports.textual import byline_tail

__all__ = ["NeedsShaping", "available", "write_part"]

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
_FACES = {
    "Annex": "DejaVuSans.ttf",
    "Annex-Bold": "DejaVuSans-Bold.ttf",
    "Annex-Italic": "DejaVuSans-Oblique.ttf",
    "Annex-BoldItalic": "DejaVuSans-BoldOblique.ttf",
    "AnnexMono": "DejaVuSansMono.ttf",
}
PT_PER_MM = 72 / 25.4
SIZE = 10.5  # the report's font size; rem in the CSS
GREY_RULE = "#cccccc"
# ReportLab keeps fonts and some layout state in module globals; reports are built in
# worker threads, so one annex part is laid out at a time (the GIL allows no more).
_LAYOUT = Lock()


@cache
def _fonts() -> frozenset[int] | None:
    """Registers the faces once per process and returns the code points all of them
    have; None where a file is missing (then every part goes to WeasyPrint)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    paths: dict[str, Path] = {}
    for name, file in _FACES.items():
        found = next((p for d in FONT_DIRS if d.is_dir() for p in d.rglob(file)), None)
        if found is None:
            return None
        paths[name] = found
    covered: set[int] | None = None
    for name, path in paths.items():
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        if name != "AnnexMono":
            codes = set(font.face.charToGlyph)
            covered = codes if covered is None else covered & codes
    for bold, italic, name in ((0, 0, "Annex"), (1, 0, "Annex-Bold"), (0, 1, "Annex-Italic")):
        addMapping("Annex", bold, italic, name)
    addMapping("Annex", 1, 1, "Annex-BoldItalic")
    return frozenset(covered or ())


def available(t: Transcript) -> bool:
    """Whether this path may take the report's parts at all: the fonts are there and
    the report's own language is written left to right in letters the font has."""
    from forum_server.i18n import language

    chosen = language(t.language)
    return (
        chosen.direction == "ltr" and chosen.code not in ("zh", "ja", "ko") and _fonts() is not None
    )


@cache
def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("annex", fontName="Annex", fontSize=SIZE, leading=SIZE * 1.45)
    s = {
        "body": ParagraphStyle("body", base, spaceBefore=3, spaceAfter=3),
        "byline": ParagraphStyle(
            "byline",
            base,
            fontSize=9.24,
            leading=13.4,
            textColor="#333333",
            keepWithNext=1,
            spaceBefore=7.35,
        ),
        "meta": ParagraphStyle("meta", base, fontSize=9.45, textColor="#444444", spaceAfter=8),
        "question": ParagraphStyle("question", base, fontName="Annex-Bold", spaceAfter=8),
        "pre": ParagraphStyle("pre", base, fontName="AnnexMono", fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", base, fontSize=9.45, leading=13),
        "h": ParagraphStyle("h", base, fontName="Annex-Bold", spaceBefore=6, keepWithNext=1),
    }
    for level, (size, before) in {1: (14.2, 21), 2: (12.1, 16.8), 3: (SIZE, 12.6)}.items():
        s[f"h{level}"] = ParagraphStyle(
            f"h{level}",
            base,
            fontName="Annex-Bold",
            fontSize=size,
            leading=size * 1.3,
            spaceBefore=before,
            spaceAfter=6,
            keepWithNext=1,
        )
    return s


@cache
def _classes() -> tuple[type, type]:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph

    class Ruled(Paragraph):
        """A post's paragraph with the post's rule at its left (`.post` in the CSS)."""

        def draw(self) -> None:
            super().draw()
            canvas = self.canv
            canvas.saveState()
            canvas.setStrokeColor(self.rule_color)
            canvas.setLineWidth(self.rule_width)
            x = self.rule_x
            canvas.line(x, -self.style.spaceAfter, x, self.height + self.style.spaceBefore)
            canvas.restoreState()

        rule_x = 0.0
        rule_color = HexColor(GREY_RULE)  # parsed once, not at every draw
        rule_width = 1.5

    class Heading(Paragraph):
        """A heading that tells the page it lands on (for the contents)."""

        anchor: str | None = None

    return Ruled, Heading


class _Annex:
    def __init__(self, t: Transcript, covered: frozenset[int]) -> None:
        self.t = t
        self.text = Text(covered)
        self.styles = _styles()
        self.Ruled, self.Heading = _classes()
        self.story: list[Any] = []
        self.indented: dict[tuple[str, float, bool], Any] = {}

    def heading(self, level: int, text: str, anchor: str | None) -> None:
        paragraph = self.Heading(text, self.styles[f"h{min(level, 3)}"])
        paragraph.anchor = anchor
        self.story.append(paragraph)
        if level == 1:  # h2's rule under the heading
            from reportlab.platypus import HRFlowable

            self.story.append(
                HRFlowable(
                    width="100%", thickness=0.75, color="#bbbbbb", spaceBefore=1, spaceAfter=6
                )
            )

    def post(self, p: ReportPost) -> None:
        from reportlab.lib.styles import ParagraphStyle

        t = self.text
        indent = 15.75 * min(p.depth, 4) if p.is_reply else 0
        pad = 7.35  # .post's padding; its 2px rule is 1.5pt
        byline = f"#{p.id} <b>{t(p.author)}</b>{t(byline_tail(p))}"
        if p.reply_to_author is not None:
            byline += " · " + t(
                gettext(
                    "in reply to %(post)s (%(name)s)",
                    post="#" + str(p.parent_id),
                    name=p.reply_to_author,
                )
            )
        if p.highlighted:
            byline += " · ★ " + t(gettext("highlighted"))
        flows: list[tuple[Any, Any, float, str | None]] = [(byline, self.styles["byline"], 0, None)]
        for block in blocks(p.html, t, "AnnexMono"):
            flows.extend(self._block(block))
        for i, (markup, style, extra, bullet) in enumerate(flows):
            if not isinstance(markup, str):  # a rule or a table, inside the post's margin
                from reportlab.platypus import Indenter

                left = indent + pad + extra
                self.story += [Indenter(left=left), markup, Indenter(left=-left)]
                continue
            last = i == len(flows) - 1
            key = (style.name, indent + extra, last)
            styled = self.indented.get(key)
            if styled is None:  # a few dozen in a report: made once each
                styled = self.indented[key] = ParagraphStyle(
                    f"{style.name}-{indent + extra}-{last}",
                    style,
                    leftIndent=indent + pad + extra,
                    bulletIndent=indent + pad + extra - 11,
                    spaceAfter=7.35 if last else style.spaceAfter,
                )
            paragraph = self.Ruled(markup, styled, bulletText=bullet)
            paragraph.rule_x = indent + 0.75
            self.story.append(paragraph)

    def _block(self, block: Block) -> Iterable[tuple[Any, Any, float, str | None]]:
        s = self.styles
        nested = 15.75 * block.level
        if block.kind == "hr":
            from reportlab.platypus import HRFlowable

            yield HRFlowable(width="100%", thickness=0.5, color="#999999"), None, 0, None
        elif block.kind == "row":
            yield self._row(block), None, 0, None
        elif block.kind == "pre":
            yield block.markup, s["pre"], nested, None
        elif block.kind == "h":
            yield f"<b>{block.markup}</b>", s["body"], nested, None
        elif block.kind == "quote":
            yield f'<font color="#444444">{block.markup}</font>', s["body"], nested, None
        else:
            yield block.markup, s["body"], nested, block.bullet

    def _row(self, block: Block) -> Any:
        from reportlab.platypus import Paragraph, Table

        cell = self.styles["cell"]
        markup = [f"<b>{c}</b>" if block.header else c for c in block.cells]
        table = Table([[Paragraph(c, cell) for c in markup]], hAlign="LEFT")
        table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, "#bbbbbb")])
        return table

    def items(self, items: Iterable[outline.Item]) -> None:
        t, s, text = self.t, self.styles, self.text
        from reportlab.platypus import Paragraph

        for kind, x in items:
            if isinstance(x, ReportPost):
                self.post(x)
            elif kind == "start":
                self.heading(1, text(outline.transcript_heading()), "transcript")
            elif isinstance(x, SessionPart):
                self.heading(2, text(x.title), f"transcript-session-{x.id}")
            elif isinstance(x, ThreadPart):
                level = 2 if t.scope == "session" else 3
                title = x.heading if x.number is not None else x.text
                self.heading(level, text(title), outline.transcript_anchor(x))
                if x.number is not None:
                    self.story.append(Paragraph(text(x.text), s["question"]))
                else:
                    started = gettext("Started by %(name)s.", name=x.started_by or "")
                    self.story.append(Paragraph(text(started), s["meta"]))
            elif kind == "empty":
                self.story.append(Paragraph(text(gettext("No contributions.")), s["body"]))


def write_part(
    t: Transcript, items: Iterable[outline.Item], first_page: int, path: Path
) -> tuple[int, dict[str, int]]:
    """Lays the transcript's `items` out into `path`, numbering pages from
    `first_page`; returns the pages written and each heading's page. Raises
    NeedsShaping (nothing written) where the text needs WeasyPrint."""
    with _LAYOUT:
        return _write_part(t, items, first_page, path)


def _write_part(
    t: Transcript, items: Iterable[outline.Item], first_page: int, path: Path
) -> tuple[int, dict[str, int]]:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    covered = _fonts()
    if covered is None:
        raise NeedsShaping("fonts")
    annex = _Annex(t, covered)
    annex.items(items)  # every text is checked before a page is drawn
    anchors: dict[str, int] = {}

    def number(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Annex", 9)
        canvas.setFillColor("#555555")
        canvas.drawCentredString(A4[0] / 2, 11 * PT_PER_MM - 3, str(first_page + doc.page - 1))
        canvas.restoreState()

    class Document(BaseDocTemplate):
        def afterFlowable(self, flowable: Any) -> None:
            anchor = getattr(flowable, "anchor", None)
            if anchor is not None:
                anchors.setdefault(anchor, first_page + self.page - 1)

    left, right, top, bottom = (18 * PT_PER_MM, 18 * PT_PER_MM, 20 * PT_PER_MM, 22 * PT_PER_MM)
    frame = Frame(left, bottom, A4[0] - left - right, A4[1] - top - bottom, 0, 0, 0, 0)
    doc = Document(
        str(path),
        pagesize=A4,
        pageTemplates=[PageTemplate("page", [frame], onPage=number)],
        title=t.title,
        author=outline.site_name(t),
        lang=t.language,
    )
    doc.build(annex.story)
    return doc.page, anchors
