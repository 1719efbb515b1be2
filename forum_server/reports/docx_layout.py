"""The Word report's page and fields: A4 pages with their numbers in the footer, a
table of contents Word fills in when the document is opened, page breaks, and
tables that repeat their header row on each page.

Word keeps fields (PAGE, TOC) as instructions and computes them itself; the contents
field says so in the report's language until it is updated, and the settings ask
Word to update it on opening.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

CONTENTS_LEVELS = "1-2"


def a4(doc: DocumentObject) -> None:
    """A4 portrait with the HTML report's margins, in every section."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(22)
        section.left_margin, section.right_margin = Mm(18), Mm(18)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field: its instruction, and what shows until Word updates it."""

    def char(kind: str) -> None:
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            mark.set(qn("w:dirty"), "true")
        run.append(mark)
        paragraph._p.append(run)

    char("begin")
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    paragraph._p.append(run)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def page_numbers(doc: DocumentObject) -> None:
    """The page number, centred in every section's footer."""
    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(paragraph, "PAGE", "1")
        for run in paragraph.runs:
            run.font.size = Pt(9)


def contents(doc: DocumentObject, until_updated: str) -> None:
    """A table of contents field (headings 1 and 2, linked, page numbers), showing
    `until_updated` until Word fills it in; Word is asked to do so on opening."""
    paragraph = doc.add_paragraph()
    _field(paragraph, f'TOC \\o "{CONTENTS_LEVELS}" \\h \\z \\u', until_updated)
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def repeat_header(table: Table) -> None:
    """The first row repeats at the top of each page the table runs onto, and no row
    breaks across pages."""
    for i, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        if i == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            properties.append(header)
        keep = OxmlElement("w:cantSplit")
        keep.set(qn("w:val"), "true")
        properties.append(keep)
