"""The Word report's language: the document's language tags (spelling and fonts follow
them), fonts that cover Arabic and Chinese wherever the file is opened, and, for an
Arabic report, a right-to-left document (sections, paragraphs and tables).

Word picks a run's font by script: `ascii`/`hAnsi` for Latin and Cyrillic (the
theme's), `eastAsia` for Chinese and `cs` ("complex script") for Arabic. The default
template leaves the last two to a theme that names no such font; here they are set on
every style to fonts that Windows and macOS ship (other systems substitute their own).
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.table import Table
from lxml.etree import _Element

from forum_server.i18n import language
from forum_server.reports.textual import RTL_TEXT

# The language tags Word knows, per report language (UN usage: British English,
# Simplified Chinese).
TAGS = {"ar": "ar-SA", "zh": "zh-CN", "en": "en-GB", "fr": "fr-FR", "ru": "ru-RU", "es": "es-ES"}
CHINESE_FONT = "SimSun"
ARABIC_FONT = "Arial"


def _set(element: _Element, **attributes: str) -> None:
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)


def _child(parent: _Element, tag: str, *, before: tuple[str, ...] = ()) -> _Element:
    """`parent`'s `tag` child, made (before the first of `before` present) if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    made = OxmlElement(tag)
    anchor = next((e for name in before if (e := parent.find(qn(name))) is not None), None)
    if anchor is not None:
        anchor.addprevious(made)
    else:
        parent.append(made)
    return made


def apply(doc: DocumentObject, code: str) -> None:
    """Tags the document as written in `code` and sets its fonts and direction."""
    tag = TAGS.get(code, TAGS["en"])
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None  # python-docx's template has them
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set(_child(run_defaults, "w:lang"), val=tag, eastAsia=TAGS["zh"], bidi=TAGS["ar"])
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in ("eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)
        _set(fonts, eastAsia=CHINESE_FONT, cs=ARABIC_FONT)
    settings = doc.settings.element
    _set(_child(settings, "w:themeFontLang"), val=tag, eastAsia=TAGS["zh"], bidi=TAGS["ar"])
    if language(code).rtl:
        _right_to_left(doc)


def _right_to_left(doc: DocumentObject) -> None:
    """Every paragraph right to left unless it says otherwise (Normal's direction is
    inherited by every style), and the pages' layout too."""
    normal = doc.styles["Normal"].element
    paragraph = _child(normal, "w:pPr", before=("w:rPr",))
    _child(paragraph, "w:bidi", before=("w:spacing", "w:ind", "w:jc"))
    for section in doc.sections:
        _child(section._sectPr, "w:bidi", before=("w:rtlGutter", "w:docGrid"))


def complex_script_size(style: BaseStyle, points: float) -> None:
    """The same size for Arabic (complex-script) text, which Word sizes apart."""
    properties = style.element.get_or_add_rPr()
    size = _child(properties, "w:szCs", before=("w:highlight", "w:u", "w:rtl", "w:lang"))
    _set(size, val=str(round(points * 2)))


def right_to_left_table(table: Table) -> None:
    """The table's first column on the right, as an Arabic reader expects."""
    properties = table._tbl.tblPr
    _child(properties, "w:bidiVisual", before=("w:tblStyleRowBandSize", "w:tblW", "w:jc"))


def mark_runs(doc: DocumentObject) -> None:
    """Runs holding Arabic text are right-to-left runs (Word's own marking), so their
    neutral characters and complex-script formatting follow."""
    mark_runs_in(doc.element.body)


def mark_runs_in(root: Any) -> None:
    """`mark_runs` for the runs under one element."""
    for run in root.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if RTL_TEXT.search(text):
            properties = run.find(qn("w:rPr"))
            if properties is None:
                properties = OxmlElement("w:rPr")
                run.insert(0, properties)
            _child(properties, "w:rtl", before=("w:cs", "w:em", "w:lang", "w:eastAsianLayout"))
