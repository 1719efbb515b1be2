"""The compilation of a call's submissions as an information document: a cover
(document symbol, distribution, site, title, deadline), contents, then a section per
submitter in the secretariat's order, each with its text and the list of its documents.
HTML is a standalone inert page (the reports' template environment and CSP); PDF is
that page laid out by WeasyPrint; Word uses the reports' A4 layout, page numbers and
contents field."""

from __future__ import annotations

import asyncio
import io
from functools import cache
from typing import Literal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from jinja2 import Environment, PackageLoader, Template, select_autoescape

from forum_server.calls.queries import Compilation, compilation
from forum_server.calls.views import SubmissionView
from forum_server.db import Database
from forum_server.errors import Invalid
from forum_server.i18n import current_language, format_number, gettext, language
from forum_server.i18n.jinja import install_i18n
from forum_server.policy import Actor
from forum_server.reports import docx_layout, docx_markup, to_pdf
from forum_server.reports import to_html as report_html
from forum_server.reports.textual import when, xml_safe

Format = Literal["html", "pdf", "docx"]
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
CONTENT_SECURITY_POLICY = report_html.CONTENT_SECURITY_POLICY


def check_format(value: str | None) -> Format:
    fmt = value or "html"
    if fmt not in MEDIA_TYPES:
        raise Invalid("format: use html, pdf or docx", field="format")
    if fmt == "pdf":
        to_pdf.check_available()
    return fmt  # type: ignore[return-value]


def filename(c: Compilation, fmt: Format) -> str:
    return f"{c.call.space_slug}-call-{c.call.id}-compilation.{fmt}"


def heading(s: SubmissionView) -> str:
    return s.submitter_name


def documents_line(s: SubmissionView) -> str:
    if not s.documents:
        return gettext("Documents: none.")
    names = "; ".join(f"{d.name} ({format_number(d.size)} B)" for d in s.documents)
    return gettext("Documents: %(names)s", names=names)


def deadline_line(c: Compilation) -> str:
    return gettext("Submissions received by %(deadline)s", deadline=when(c.call.deadline))


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("forum_server", "web/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(env)
    return env.get_template("calls/compilation.html")


def to_html(c: Compilation) -> str:
    return _template().render(
        c=c,
        lang=current_language.get(),
        rtl=language(current_language.get()).rtl,
        heading=heading,
        documents_line=documents_line,
        deadline_line=deadline_line,
    )


def to_docx(c: Compilation) -> bytes:
    doc = Document()
    docx_layout.a4(doc)
    docx_layout.page_numbers(doc)
    doc.core_properties.title = xml_safe(c.call.title)
    for line in (c.call.symbol, c.call.distribution):
        if line:
            p = doc.add_paragraph(xml_safe(line))
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.runs[0].bold = True
    site = doc.add_paragraph(xml_safe(c.site_name))
    site.paragraph_format.space_before = Pt(96)
    doc.add_paragraph(xml_safe(c.call.space_title))
    doc.add_paragraph(xml_safe(c.call.title), style="Title")
    doc.add_paragraph(xml_safe(deadline_line(c)))
    doc.add_paragraph(gettext("Contents"), style="TOC Heading")
    docx_layout.contents(doc, gettext("Update this field (F9) to show the contents."))
    docx_layout.page_break(doc)
    if c.call.text:
        doc.add_heading(xml_safe(gettext("The call")), 1)
        _markdown(doc, c.call.text)
    for submission in c.submissions:
        doc.add_heading(xml_safe(heading(submission)), 1)
        _markdown(doc, submission.text)
        doc.add_paragraph(xml_safe(documents_line(submission)))
    if not c.submissions:
        doc.add_paragraph(gettext("No submissions were received."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _markdown(doc: object, text: str) -> None:
    from lxml import etree

    body = doc.element.body  # type: ignore[attr-defined]
    xml = docx_markup.markdown_paragraphs(text, "Normal")
    wrapper = etree.fromstring(f'<w:body xmlns:w="{body.nsmap["w"]}">{xml}</w:body>'.encode())
    sect = body.find(f"{{{body.nsmap['w']}}}sectPr")
    for paragraph in list(wrapper):
        sect.addprevious(paragraph)


def to_pdf_bytes(c: Compilation) -> bytes:
    weasyprint = to_pdf._weasyprint()
    if weasyprint is None:
        raise to_pdf.PdfUnavailable()
    return bytes(weasyprint.HTML(string=to_html(c)).write_pdf())


def render(c: Compilation, fmt: Format) -> bytes:
    """The document's bytes (run in a worker thread: Word and PDF take CPU)."""
    if fmt == "docx":
        return to_docx(c)
    if fmt == "pdf":
        return to_pdf_bytes(c)
    return to_html(c).encode()


async def compilation_file(
    db: Database, actor: Actor, call_id: int, fmt_raw: str | None, site_name: str
) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of the compilation, for the call's managers at or
    after its deadline."""
    fmt = check_format(fmt_raw)
    async with db.read() as session:
        found = await compilation(session, actor, call_id, site_name)
    data = await asyncio.to_thread(render, found, fmt)
    return filename(found, fmt), MEDIA_TYPES[fmt], data
