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
import re
import zipfile
from typing import IO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from lxml import etree

from forum_server.i18n import format_number, gettext, language
from forum_server.reports import docx_language
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

_MARKER = re.compile(rb"<!--PROCEEDINGS (\d+)-->")
DOCUMENT_XML = "word/document.xml"
CHUNK_BYTES = 256 * 1024
COMPRESSION = 3  # zlib level: 6 took twice the time for a file ~15% smaller
_COLUMN_WIDTHS = (Inches(4.1), Inches(1.1), Inches(1.1))


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


def _table(doc: DocumentObject, title: str, rows: list[Row], rtl: bool) -> None:
    if not rows:
        return
    doc.add_paragraph(title, style="Heading 3")
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    if rtl:
        docx_language.right_to_left_table(table)
    head = ("", gettext("Posts"), gettext("Participants"))
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for r in cell.paragraphs[0].runs:
            r.bold = True
            r.font.cs_bold = True
    for label, posts, people in rows:
        cells = table.add_row().cells
        cells[0].text = xml_safe(label)
        cells[1].text = format_number(posts)
        cells[2].text = format_number(people)
    for i, column in enumerate(table.columns):
        for cell in column.cells:
            cell.width = _COLUMN_WIDTHS[i]
            if i:  # the figures
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


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

    def build(self) -> DocumentObject:
        t, doc = self.t, self.doc
        doc.core_properties.title = xml_safe(t.title)
        doc.core_properties.subject = gettext("Summary report")
        doc.core_properties.language = docx_language.TAGS.get(t.language, "")
        doc.add_heading(xml_safe(t.title), 0)
        if t.scope == "session":
            self.text(t.space.title, "Report Meta")
        compiled = gettext("Report compiled %(when)s.", when=when(t.generated_at))
        attribution = gettext("Attribution: %(label)s.", label=t.attribution_label)
        self.text(f"{compiled} {attribution}", "Report Meta")
        self.participation()
        if t.highlights:
            doc.add_heading(gettext("Highlighted contributions"), 1)
            for post in t.highlights:
                self.post(post)
        if t.documents:
            doc.add_heading(gettext("Documents in the library"), 1)
            for file in t.documents:
                version = gettext("version %(number)s", number=file.version)
                self.file(f"{file.title}: {file.name}, {version}", file)
        for part in t.sessions:
            self.session(part)
        if self.rtl:
            docx_language.mark_runs(doc)
        return doc

    def participation(self) -> None:
        p, doc = self.t.participation, self.doc
        doc.add_heading(gettext("Participation"), 1)
        doc.add_paragraph(posts_from(p.posts, p.participants))
        for chart in self.t.charts.all():
            picture = doc.add_picture(io.BytesIO(chart.png), width=Inches(6.3))
            picture._inline.docPr.set("descr", xml_safe(chart.alt))  # the alt text
            self.text(gettext("Figure: %(title)s", title=chart.title), "Caption")
        for title, rows in figure_tables(p):
            _table(doc, title, rows, self.rtl)

    def session(self, part: SessionPart) -> None:
        doc = self.doc
        if self.t.scope == "session":
            doc.add_heading(gettext("Session"), 1)
        else:
            doc.add_heading(gettext("Session: %(title)s", title=xml_safe(part.title)), 1)
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
            doc.add_heading(gettext("Summary of the session"), 2)
            self.summary(part.summary)
        if part.attachments:
            doc.add_heading(gettext("Attached files"), 2)
            for file in part.attachments:
                self.file(file.name, file)
        self.polls(part)
        for thread in part.questions:
            self.thread(thread, 2)
        if part.topics:
            doc.add_heading(gettext("Topics from participants"), 2)
            for thread in part.topics:
                self.thread(thread, 3)

    def file(self, label: str, file: ReportFile) -> None:
        """One file as a bullet: what it is, who added it and when, and its address
        written out (a printed report keeps it too)."""
        self.text(f"{label} — {file.uploader}, {when(file.created_at)} — {file.url}", "List Bullet")

    def polls(self, part: SessionPart) -> None:
        if not part.polls:
            return
        doc = self.doc
        doc.add_heading(gettext("Polls and proposals"), 2)
        for poll in part.polls:
            doc.add_heading(xml_safe(f"{poll.kind_label}: {poll.title}"), 3)
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

    def thread(self, thread: ThreadPart, level: int) -> None:
        doc = self.doc
        if thread.number is not None:
            doc.add_heading(thread.heading, level)
            self.text(thread.text, "Question Text")
            if times := agenda_times(thread):
                self.text(times, "Report Meta")
        else:
            doc.add_heading(xml_safe(thread.text), level)
            self.text(gettext("Started by %(name)s.", name=thread.started_by), "Report Meta")
        self.text(posts_from(thread.posts, thread.participants), "Report Meta")
        if thread.summary:
            doc.add_heading(gettext("Running summary"), level + 1)
            self.summary(thread.summary)
        if thread.highlights:
            doc.add_heading(gettext("Highlighted contributions"), level + 1)
            for post in thread.highlights:
                self.post(post)
        doc.add_heading(gettext("Proceedings"), level + 1)
        self.sect.addprevious(etree.Comment(f"PROCEEDINGS {thread.thread_id}"))


def write(transcript: Transcript, out: IO[bytes]) -> None:
    """Writes the .docx to `out` (any writable binary file; it need not seek)."""
    builder = _Builder(transcript)
    frame = io.BytesIO()
    builder.build().save(frame)
    styles = builder.styles.posts
    rtl = builder.rtl
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
            pieces = _MARKER.split(source.read(info.filename))
            # By name, so the archive's compression level applies (not a ZipInfo's).
            with target.open(DOCUMENT_XML, "w", force_zip64=True) as document:
                document.write(pieces[0])
                for i in range(1, len(pieces), 2):
                    _stream_thread(transcript, int(pieces[i]), styles, rtl, document)
                    document.write(pieces[i + 1])


def _stream_thread(
    t: Transcript, thread_id: int, styles: tuple[tuple[str, str], ...], rtl: bool, out: IO[bytes]
) -> None:
    buffer: list[str] = []
    size = 0
    empty = True
    for post in t.posts(thread_id):
        empty = False
        xml = markup.post_xml(post, styles, rtl)
        buffer.append(xml)
        size += len(xml)
        if size >= CHUNK_BYTES:
            out.write("".join(buffer).encode())
            buffer.clear()
            size = 0
    if empty:
        buffer.append(markup.paragraph("Normal", markup.run(gettext("No contributions."))))
    out.write("".join(buffer).encode())
