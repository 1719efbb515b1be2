"""The Word report (python-docx): real Heading styles, statistics tables, the charts
as pictures, and named paragraph styles a secretariat can change in Word to restyle
every contribution at once ("Contribution", "Reply", "Nested Reply", their
"… Heading" bylines, "Summary", "Question Text", "Report Meta"). Its fixed text is in
the report's language, which the document is tagged with (docx_language.py).

The frame of the document (titles, figures, summaries, highlights) is built with
python-docx; where a thread's proceedings go it leaves a marker. On saving, the
document's XML is split at the markers and the proceedings are streamed in between,
straight into the ZIP entry, so memory does not grow with the number of posts.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import IO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Length, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from lxml import etree

from forum_server.i18n import format_number, gettext, language
from forum_server.reports import docx_language, outline
from forum_server.reports import docx_layout as layout
from forum_server.reports import docx_markup as markup
from forum_server.reports.model import (
    ReportFile,
    ReportPost,
    SessionPart,
    SummaryText,
    ThreadPart,
    Transcript,
)
from forum_server.reports.textual import (
    Row,
    agenda_times,
    direction,
    figure_tables,
    period_text,
    poll_meta,
    posts_from,
    when,
    xml_safe,
)

_MARKER = b"<!--TRANSCRIPT-->"
DOCUMENT_XML = "word/document.xml"
CHUNK_BYTES = 256 * 1024
COMPRESSION = 3  # zlib level: 6 took twice the time for a file ~15% smaller
_COLUMN_WIDTHS = (Mm(110), Mm(30), Mm(30))  # A4's 174 mm between the margins


def _style(
    doc: DocumentObject, name: str, *, indent: float = 0.0, size: float | None = None
) -> ParagraphStyle:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.paragraph_format.left_indent = Inches(indent)
    if size:
        style.font.size = Pt(size)
        docx_language.complex_script_size(style, size)
    return style


class _Styles:
    def __init__(self, doc: DocumentObject) -> None:
        doc.styles["Normal"].font.size = Pt(10.5)
        meta = _style(doc, "Report Meta", size=9)
        meta.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        question = _style(doc, "Question Text", size=11.5)
        question.font.bold = True
        question.font.cs_bold = True
        summary = _style(doc, "Summary", indent=0.25)
        summary.font.italic = False
        # The cover: symbol and distribution at the top right, then the site and forum.
        symbol = _style(doc, "Cover Symbol", size=11)
        symbol.font.bold = True
        symbol.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        symbol.paragraph_format.space_after = Pt(2)
        site = _style(doc, "Cover Site", size=12)
        site.font.bold = True
        site.paragraph_format.space_before = Pt(96)
        site.paragraph_format.space_after = Pt(24)
        forum = _style(doc, "Cover Forum", size=13)
        forum.paragraph_format.space_after = Pt(12)
        levels = (("Contribution", 0.0), ("Reply", 0.4), ("Nested Reply", 0.8))
        pairs = []
        for name, indent in levels:
            heading = _style(doc, f"{name} Heading", indent=indent, size=9)
            heading.paragraph_format.space_before = Pt(8)
            heading.paragraph_format.space_after = Pt(1)
            heading.paragraph_format.keep_with_next = True
            body = _style(doc, name, indent=indent)
            body.paragraph_format.space_after = Pt(3)
            pairs.append((heading.style_id, body.style_id))
        self.posts: tuple[tuple[str, str], ...] = tuple(pairs)
        self.summary = summary.style_id


def _table(
    doc: DocumentObject,
    caption: str,
    head: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    widths: tuple[Length, ...],
    rtl: bool,
    figures: int = 1,
) -> None:
    """A captioned table: bold header row repeated on each page, the last `figures`
    columns right-aligned."""
    doc.add_paragraph(xml_safe(caption), style="Caption").paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(head))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    if rtl:
        docx_language.right_to_left_table(table)
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = xml_safe(text)
        for r in cell.paragraphs[0].runs:
            r.bold = True
            r.font.cs_bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = xml_safe(text)
    first_figure = len(head) - figures
    for i, column in enumerate(table.columns):
        for cell in column.cells:
            cell.width = widths[i]
            if i >= first_figure:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    layout.repeat_header(table)
    doc.add_paragraph()  # a table followed by a table would merge in Word


def _count_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    return [(label, format_number(posts), format_number(people)) for label, posts, people in rows]


class _Builder:
    def __init__(self, transcript: Transcript) -> None:
        self.t = transcript
        self.rtl = language(transcript.language).rtl
        self.doc = Document()
        self.styles = _Styles(self.doc)
        docx_language.apply(self.doc, transcript.language)
        self.body = self.doc.element.body
        # The section properties stay the body's last child: python-docx inserts before
        # them, and so does `_append`.
        self.sect = self.body.find(f"{{{self.body.nsmap['w']}}}sectPr")
        assert self.sect is not None

    def text(self, value: str, style: str | None = None) -> None:
        self.doc.add_paragraph(xml_safe(value), style=style)

    def raw(self, xml: str) -> None:
        """Appends paragraphs written by docx_markup to the body."""
        wrapper = etree.fromstring(
            f'<w:body xmlns:w="{self.body.nsmap["w"]}">{xml}</w:body>'.encode()
        )
        for paragraph in list(wrapper):
            self.sect.addprevious(paragraph)

    def markdown(self, text: str, style_id: str) -> None:
        """User text (a summary, a description), in its own direction."""
        bidi = markup.paragraph_direction(direction(text), self.rtl)
        self.raw(markup.markdown_paragraphs(text, style_id, direction=bidi))

    def summary(self, summary: SummaryText) -> None:
        self.markdown(summary.body, self.styles.summary)

    def post(self, post: ReportPost) -> None:
        self.raw(markup.post_xml(post, self.styles.posts[:1], self.rtl))

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(xml_safe(text), min(level, 9))

    def build(self) -> DocumentObject:
        t, doc = self.t, self.doc
        doc.core_properties.title = xml_safe(t.title)
        doc.core_properties.subject = xml_safe(t.space.title)
        doc.core_properties.author = xml_safe(outline.site_name(t))
        doc.core_properties.last_modified_by = xml_safe(outline.site_name(t))
        doc.core_properties.language = docx_language.TAGS.get(t.language, "")
        layout.a4(doc)
        layout.page_numbers(doc)
        self.cover()
        doc.add_paragraph(gettext("Contents"), style="TOC Heading")
        layout.contents(doc, gettext("Update this field (F9) to show the contents."))
        layout.page_break(doc)
        self.heading(outline.introduction(), 1)
        self.text(outline.figures_line(t))
        if t.scope == "session":
            self.session_intro(t.sessions[0], 1)
        else:
            self.text(outline.sessions_line(t))
        if t.documents:
            self.heading(gettext("Documents in the library"), 1)
            for file in t.documents:
                version = gettext("version %(number)s", number=file.version)
                self.file(f"{file.title}: {file.name}, {version}", file)
        for part in t.sessions:
            self.session(part)
        self.participation()
        layout.page_break(doc)
        self.participants()
        layout.page_break(doc)
        self.heading(outline.transcript_heading(), 1)
        self.sect.addprevious(etree.Comment("TRANSCRIPT"))
        if self.rtl:
            docx_language.mark_runs(doc)
        return doc

    def cover(self) -> None:
        t = self.t
        for line in (t.cover.symbol, t.cover.distribution):
            if line:
                self.text(line, "Cover Symbol")
        self.text(outline.site_name(t), "Cover Site")
        if t.subtitle:
            self.text(t.subtitle, "Cover Forum")
        self.doc.add_paragraph(xml_safe(t.title), style="Title")
        if dates := outline.dates_line(t):
            self.text(dates, "Cover Forum")
        self.text(outline.language_line(t), "Report Meta")
        self.text(f"{outline.compiled_line(t)} {outline.attribution_line(t)}", "Report Meta")
        layout.page_break(self.doc)

    def participation(self) -> None:
        p, doc = self.t.participation, self.doc
        self.heading(outline.statistics_heading(), 1)
        doc.add_paragraph(posts_from(p.posts, p.participants))
        for n, chart in enumerate(self.t.charts.all(), start=1):
            picture = doc.add_picture(io.BytesIO(chart.png), width=Mm(170))
            picture._inline.docPr.set("descr", xml_safe(chart.alt))  # the alt text
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            caption = gettext("Figure %(number)s. %(title)s", number=n, title=chart.title)
            self.text(caption, "Caption")
        head = (gettext("Posts"), gettext("Participants"))
        tables = [(title, rows) for title, rows in figure_tables(p) if rows]
        for n, (title, rows) in enumerate(tables, start=1):
            caption = gettext("Table %(number)s. %(title)s", number=n, title=title)
            _table(doc, caption, (title, *head), _count_rows(rows), _COLUMN_WIDTHS, self.rtl, 2)

    def participants(self) -> None:
        t = self.t
        self.heading(outline.participants_heading(), 1)
        if t.attribution == "named":
            head = (gettext("Name"), gettext("Country"), gettext("Organization"), gettext("Posts"))
            rows = [
                (p.name, p.country or "", p.organization or "", format_number(p.posts))
                for p in t.participants
            ]
            widths = (Mm(55), Mm(40), Mm(55), Mm(20))
            _table(self.doc, gettext("List of participants"), head, rows, widths, self.rtl)
        elif t.attribution == "country":
            self.text(
                gettext(
                    "Contributions are attributed by country only: "
                    "participants are counted by country."
                )
            )
            by_country = [
                (c.label, format_number(c.participants)) for c in t.participation.by_country
            ]
            _table(
                self.doc,
                gettext("Participants by country"),
                (gettext("Country"), gettext("Participants")),
                by_country,
                (Mm(120), Mm(50)),
                self.rtl,
            )
        else:
            self.text(
                gettext("Contributions are not attributed: this report lists no participants.")
            )
        self.text(outline.figures_line(t), "Report Meta")

    def session_intro(self, part: SessionPart, level: int) -> None:
        for i, period in enumerate(part.periods):
            span = period_text(period, i == 0)
            self.text(
                gettext("Period %(number)s: %(span)s", number=i + 1, span=span), "List Bullet"
            )
        if not part.periods:
            self.text(gettext("Not scheduled"), "List Bullet")
        names = ", ".join(part.moderators) or gettext("none")
        self.text(gettext("Moderators: %(names)s", names=names), "List Bullet")
        if part.description:
            self.markdown(part.description, "Normal")
        if part.summary:
            self.heading(outline.session_summary_heading(), level + 1)
            self.summary(part.summary)

    def session(self, part: SessionPart) -> None:
        level = outline.session_level(self.t)
        if self.t.scope == "space":
            self.heading(part.title, 1)
            self.session_intro(part, 1)
        for thread in part.questions:
            self.thread(thread, level)
        if part.topics:
            self.heading(outline.topics_heading(), level)
            for thread in part.topics:
                self.thread(thread, level + 1)
        if part.attachments:
            self.heading(gettext("Attached files"), level)
            for file in part.attachments:
                self.file(file.name, file)
        self.polls(part, level)

    def file(self, label: str, file: ReportFile) -> None:
        """One file as a bullet: what it is, who added it and when, and its address
        written out (a printed report keeps it too)."""
        self.text(f"{label} — {file.uploader}, {when(file.created_at)} — {file.url}", "List Bullet")

    def polls(self, part: SessionPart, level: int) -> None:
        if not part.polls:
            return
        doc = self.doc
        self.heading(gettext("Polls and proposals"), level)
        for poll in part.polls:
            self.heading(f"{poll.kind_label}: {poll.title}", level + 1)
            self.text(xml_safe(poll_meta(poll)), "Report Meta")
            if poll.options is None:
                self.text(gettext("Its results are shown when it closes."))
            chart = self.t.poll_charts.get(poll.id)
            if chart is not None:
                picture = doc.add_picture(io.BytesIO(chart.png), width=Inches(6.3))
                picture._inline.docPr.set("descr", xml_safe(chart.alt))
                self.text(gettext("Figure: %(title)s", title=xml_safe(chart.title)), "Caption")
            for option in poll.options or ():
                self.text(xml_safe(f"{option.label}: {format_number(option.count)}"), "List Bullet")
                for reason in option.reasons:
                    self.text(xml_safe(reason), "List Bullet 2")
            if poll.outcome:
                self.text(xml_safe(gettext("Outcome") + ": " + poll.outcome))

    def thread_head(self, thread: ThreadPart, level: int) -> None:

        if thread.number is not None:
            self.heading(thread.heading, level)
            self.text(thread.text, "Question Text")
            if times := agenda_times(thread):
                self.text(times, "Report Meta")
        else:
            self.heading(thread.text, level)
            self.text(gettext("Started by %(name)s.", name=thread.started_by), "Report Meta")

    def thread(self, thread: ThreadPart, level: int) -> None:
        self.thread_head(thread, level)
        self.text(posts_from(thread.posts, thread.participants), "Report Meta")
        if thread.summary:
            self.heading(outline.summary_heading(), level + 1)
            self.summary(thread.summary)
        if thread.highlights:
            self.heading(outline.highlights_heading(), level + 1)
            for post in thread.highlights:
                self.post(post)

    def transcript_xml(self, kind: str, item: object) -> str:
        """A transcript item that is not a post, as the body's XML (see `write`)."""
        body = self.doc.element.body
        mark = len(body)
        if kind == "session":
            assert isinstance(item, SessionPart)
            self.heading(item.title, 2)
        elif kind == "thread":
            assert isinstance(item, ThreadPart)
            self.thread_head(item, 2 if self.t.scope == "session" else 3)
        elif kind == "empty":
            self.text(gettext("No contributions."))
        added = list(body)[mark - 1 : -1]  # before the section properties
        if self.rtl:
            for element in added:
                docx_language.mark_runs_in(element)
        xml = "".join(etree.tostring(e, encoding="unicode") for e in added)
        for element in added:
            body.remove(element)
        return xml


def write(transcript: Transcript, out: IO[bytes]) -> None:
    """Writes the .docx to `out` (any writable binary file; it need not seek)."""
    builder = _Builder(transcript)
    frame = io.BytesIO()
    builder.build().save(frame)
    with (
        zipfile.ZipFile(frame) as source,
        zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION
        ) as target,
    ):
        for info in source.infolist():
            if info.filename != DOCUMENT_XML:
                target.writestr(info, source.read(info.filename))
                continue
            before, after = source.read(info.filename).split(_MARKER, 1)
            # By name, so the archive's compression level applies (not a ZipInfo's).
            with target.open(DOCUMENT_XML, "w", force_zip64=True) as document:
                document.write(before)
                _stream_transcript(builder, document)
                document.write(after)


def _stream_transcript(builder: _Builder, out: IO[bytes]) -> None:
    """The transcript annex, straight into the document's XML."""
    styles, rtl = builder.styles.posts, builder.rtl
    buffer: list[str] = []
    size = 0
    for kind, item in outline.transcript_items(builder.t):
        if kind == "post":
            assert isinstance(item, ReportPost)
            xml = markup.post_xml(item, styles, rtl)
        elif kind == "start":
            continue  # its heading is in the frame
        else:
            xml = builder.transcript_xml(kind, item)
        buffer.append(xml)
        size += len(xml)
        if size >= CHUNK_BYTES:
            out.write("".join(buffer).encode())
            buffer.clear()
            size = 0
    out.write("".join(buffer).encode())
