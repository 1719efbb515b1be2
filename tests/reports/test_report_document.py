"""The report as a document a secretariat circulates: a cover (site, forum and session
titles, symbol, distribution, dates, language), contents, an introduction, each
question's summary and highlights before the statistics, then the annexes (list of
participants, transcript) — in Word, PDF, HTML, Markdown and JSON alike."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from html import unescape
from itertools import pairwise
from typing import Any

import pytest
from docx import Document
from sqlalchemy import update

from forum_server.db import Database
from forum_server.i18n import gettext, using_language
from forum_server.reports import to_pdf
from forum_server.reports.formats import render_bytes
from forum_server.reports.model import Transcript
from forum_server.reports.transcript import Languages, compile_session_report
from forum_server.rooms.models import ForumSession, Space
from tests.conftest import SECRETARIAT
from tests.reports.conftest import Forum

SYMBOL = "CBD/CP/LG-CB/10/INF/2"
DISTRIBUTION = "General distribution"
SITE = "Biosafety Clearing-House forums"


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


async def _transcript(db: Database, forum: Forum, lang: str = "en") -> Transcript:
    async with db.write() as uow:
        await uow.session.execute(
            update(Space).where(Space.slug == forum.slug).values(report_distribution=DISTRIBUTION)
        )
        await uow.session.execute(
            update(ForumSession)
            .where(ForumSession.id == forum.session_id)
            .values(report_symbol=SYMBOL)
        )
    return await compile_session_report(
        db, SECRETARIAT, forum.session_id, languages=Languages(lang, None, SITE)
    )


def _expected_order(lang: str = "en") -> list[str]:
    """Landmarks of the document, in the order a reader meets them."""
    with using_language(lang):
        return [
            SYMBOL,
            DISTRIBUTION,
            SITE,
            "Online Forum on Capacity-building",
            "Session I: NBSAPs & <planning>",
            gettext("Contents"),
            gettext("Introduction"),
            "The session went well.",  # the session's summary, in the introduction
            gettext("Question %(number)s", number=1),
            "Participants agree on integration.",  # the moderator's summary of Q1
            gettext("Highlighted contributions"),
            gettext("Question %(number)s", number=2),
            gettext("Participation statistics"),
            gettext("Annex I. List of participants"),
            "Bjørn Eriksen",
            gettext("Annex II. Transcript"),
            "Welcome to",
            "A reply to a post that will be hidden.",
        ]


def _in_order(text: str, landmarks: list[str], after: int = 0) -> None:
    at = after
    for landmark in landmarks:
        found = text.find(landmark, at)
        assert found >= 0, f"{landmark!r} missing after position {at}: {text[at : at + 300]!r}"
        at = found + len(landmark)


def _docx_body_text(doc: Any) -> str:
    """Every paragraph's text in document order, tables' cells included."""
    body = doc.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(_w("t"))) for p in body.iter(_w("p")))


async def test_docx_is_a_circulated_document(db: Database, forum: Forum):
    data = await render_bytes(await _transcript(db, forum), "docx")
    doc = Document(io.BytesIO(data))
    # A4 portrait in every section, page numbers as fields in the footer.
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        footer = section.footer._element.xml
        assert "PAGE" in footer and ("fldSimple" in footer or "instrText" in footer)
    # A contents field Word fills in, before the introduction.
    body = doc.element.body.xml
    assert re.search(r"TOC \\o &quot;1-2&quot;|TOC \\o \"1-2\"", body)
    text = _docx_body_text(doc)
    _in_order(text, _expected_order())
    # Headings never skip a level (the title is "Title", the parts Heading 1...).
    levels = [
        int(p.style.name.split()[-1]) for p in doc.paragraphs if p.style.name.startswith("Heading ")
    ]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels
    # Document properties.
    props = doc.core_properties
    assert props.title == "Session I: NBSAPs & <planning>"
    assert props.author == SITE and props.language == "en-GB"
    # Each figure has one caption, not a title in the picture and another below.
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(set(captions))


async def test_docx_in_french_is_in_french_order(db: Database, forum: Forum):
    data = await render_bytes(await _transcript(db, forum, "fr"), "docx")
    doc = Document(io.BytesIO(data))
    _in_order(_docx_body_text(doc), _expected_order("fr"))
    assert doc.core_properties.language == "fr-FR"


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:  # dev.sh installs it (poppler-utils)
        pytest.fail("pdftotext is needed to read the PDF report back", pytrace=False)
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode()


def _needs_pdf() -> None:
    if to_pdf._weasyprint() is None:
        pytest.skip("WeasyPrint's system libraries are not installed")


async def test_pdf_has_the_same_order_and_numbered_contents(
    db: Database, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    _needs_pdf()
    monkeypatch.setattr(to_pdf, "CHUNK_POSTS", 3)  # the transcript in several parts
    data = await render_bytes(await _transcript(db, forum), "pdf")
    text = _pdf_text(data)
    flat = " ".join(text.split())
    _in_order(flat, [" ".join(x.split()) for x in _expected_order()])
    pages = text.split("\f")
    # Page numbers continue across parts: the last page says how many there are.
    numbered = [p for p in pages if p.strip()]
    assert numbered[-1].strip().splitlines()[-1].strip() == str(len(numbered))
    # The contents give the page of the transcript, and that page starts it.
    contents = pages[1]
    line = next(x for x in contents.splitlines() if "Annex II. Transcript" in x)
    page = int(line.split()[-1])
    assert "Annex II. Transcript" in pages[page - 1]

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata.title == "Session I: NBSAPs & <planning>"
    assert reader.metadata.author == SITE
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "Introduction" and titles[-1] == "Annex II. Transcript"
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210,
        297,
    )


async def test_html_and_markdown_follow_the_same_structure(db: Database, forum: Forum):
    t = await _transcript(db, forum)
    html = (await render_bytes(t, "html")).decode()
    assert '<nav class="contents"' in html and 'href="#transcript"' in html
    _in_order(unescape(re.sub(r"<[^>]+>", "", html)), _expected_order())
    heads = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert heads.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(heads)), heads
    t = await _transcript(db, forum)
    md = (await render_bytes(t, "md")).decode()
    md_plain = md.replace("\\", "").replace("&lt;", "<").replace("&amp;", "&").replace("**", "")
    _in_order(md_plain, [x for x in _expected_order()])
    md_levels = [len(m) for m in re.findall(r"^(#+) ", md, flags=re.M)]
    assert md_levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(md_levels)), md_levels


async def test_json_has_the_cover_and_contents(db: Database, forum: Forum):
    t = await _transcript(db, forum)
    report = json.loads(await render_bytes(t, "json"))
    cover = report["report"]["cover"]
    assert cover["symbol"] == SYMBOL and cover["distribution"] == DISTRIBUTION
    assert cover["site"] == SITE and cover["language"] == "en"
    assert report["report"]["contents"][0]["anchor"] == "introduction"
    assert report["report"]["countries"] == 5
    names = [p["name"] for p in report["participants"]]
    assert "Bjørn Eriksen" in names and "Ana Souza" in names


async def test_the_demo_spaces_report_is_the_same_document(db: Database):
    """A space's report: its sessions one after the other, each with its introduction
    and questions one level down, then the statistics and the annexes."""
    from forum_server.demo import load_demo
    from forum_server.demo_content import SESSIONS, SPACE
    from forum_server.reports.transcript import compile_space_report

    await load_demo(db)
    t = await compile_space_report(db, SECRETARIAT, SPACE.slug)
    assert t.cover.symbol == SPACE.report_symbol
    landmarks = [
        SPACE.report_symbol,
        SPACE.report_distribution,
        SPACE.title,
        "Contents",
        "Introduction",
        *[text for s in SESSIONS for text in (s.title, "Question 1", "Question 2")],
        "Participation statistics",
        "Annex I. List of participants",
        "Annex II. Transcript",
        *[s.title for s in SESSIONS],
    ]
    doc = Document(io.BytesIO(await render_bytes(t, "docx")))
    _in_order(_docx_body_text(doc), landmarks)
    assert re.search(r"TOC \\o", doc.element.body.xml)
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert "PAGE" in section.footer._element.xml
    levels = [
        int(p.style.name.split()[-1]) for p in doc.paragraphs if p.style.name.startswith("Heading ")
    ]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels)), levels
    # The sessions are Heading 1, their questions Heading 2.
    headings = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Heading 1", SESSIONS[0].title) in headings
    assert ("Heading 2", "Question 1") in headings
    _needs_pdf()
    pdf = _pdf_text(await render_bytes(t, "pdf"))
    _in_order(" ".join(pdf.split()), [" ".join(x.split()) for x in landmarks])
