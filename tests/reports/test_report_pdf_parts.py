"""The PDF report at size: the transcript annex is laid out in parts, by ReportLab
where its text needs no shaping and by WeasyPrint where it does (Arabic, Chinese),
and the parts join into one document with its sections in order, page numbers that
run on across every part, and contents that give the right pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, update

from forum_server.db import Database
from forum_server.reports import pdf_annex, pdf_markup, to_pdf
from forum_server.reports.formats import render_bytes
from forum_server.reports.transcript import Languages, compile_session_report
from forum_server.rooms.models import Post
from tests.conftest import SECRETARIAT
from tests.reports.conftest import DAY3, Forum

ARABIC = "نرحب بالتعاون الإقليمي في مجال السلامة الأحيائية"
CHINESE = "我们支持区域合作"
MANY = 2_000


def _needs_pdf() -> None:
    if to_pdf._weasyprint() is None or shutil.which("pdftotext") is None:
        pytest.fail("WeasyPrint and poppler-utils are needed (dev.sh installs them)", pytrace=False)


def _pages(data: bytes) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return [p for p in done.stdout.decode().split("\f") if p.strip()]


def _plain_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def _continuous(pages: list[str]) -> None:
    """Every page after the cover ends with its own number."""
    for number, page in enumerate(pages[1:], start=2):
        assert page.strip().splitlines()[-1].strip() == str(number), page[-300:]


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many transcript parts each renderer laid out."""
    counts = {"reportlab": 0, "weasyprint": 0}
    real = pdf_annex.write_part

    def write_part(*args: Any) -> Any:
        try:
            done = real(*args)
        except pdf_annex.NeedsShaping:
            counts["weasyprint"] += 1
            raise
        counts["reportlab"] += 1
        return done

    monkeypatch.setattr(pdf_annex, "write_part", write_part)
    return counts


async def test_thousands_of_posts_make_one_document_in_order(
    db: Database, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    _needs_pdf()
    author = forum.users["ana"].id
    rows = [
        dict(
            thread_id=forum.threads["q2"],
            session_id=forum.session_id,
            author_id=author,
            body=f"Contribution number {n}",
            html=f"<p>Contribution number {n}, with <strong>markup</strong> &amp; a "
            f'<a href="https://example.org/{n}">link</a>.</p><ul><li>point {n}</li></ul>',
            status="published",
            created_at=DAY3 + timedelta(minutes=n),
        )
        for n in range(MANY)
    ]
    async with db.write() as uow:
        await uow.session.execute(insert(Post), rows)
    counts = _counting(monkeypatch)
    t = await compile_session_report(
        db, SECRETARIAT, forum.session_id, languages=Languages("en", None, "Forums")
    )
    data = await render_bytes(t, "pdf")
    assert counts["reportlab"] >= MANY // to_pdf.CHUNK_POSTS and counts["weasyprint"] == 0
    pages = _pages(data)
    _continuous(pages)
    flat = " ".join(" ".join(pages).split())
    landmarks = ["Contents", "Introduction", "Participation statistics", "Annex I."]
    landmarks += ["Annex II. Transcript", "Contribution number 0,", "point 0"]
    landmarks += [f"Contribution number {MANY - 1},", "Let us talk about funding."]
    at = [flat.index(x, flat.index("Annex I.") if i > 3 else 0) for i, x in enumerate(landmarks)]
    assert at == sorted(at), list(zip(landmarks, at, strict=True))
    # The contents name the page each question's proceedings start on.
    line = next(x for x in pages[1].splitlines() if re.search(r"Topics|Question 2", x))
    title, page = line.rsplit(maxsplit=1)
    assert title.split()[0] in pages[int(page) - 1]


async def test_arabic_and_chinese_posts_go_to_weasyprint_and_pages_run_on(
    db: Database, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    _needs_pdf()
    async with db.write() as uow:
        for key, text, lang in (("p3", ARABIC, "ar"), ("q1", CHINESE, "zh")):
            await uow.session.execute(
                update(Post)
                .where(Post.id == forum.posts[key])
                .values(body=text, html=f"<p>{text}</p>", lang=lang)
            )
    monkeypatch.setattr(to_pdf, "CHUNK_POSTS", 1)  # a part for every post
    counts = _counting(monkeypatch)
    t = await compile_session_report(
        db, SECRETARIAT, forum.session_id, languages=Languages("en", None, "Forums")
    )
    data = await render_bytes(t, "pdf")
    assert counts["weasyprint"] == 2 and counts["reportlab"] >= 4, counts
    pages = _pages(data)
    _continuous(pages)
    text = _plain_text(data)
    assert ARABIC in text and CHINESE in text
    assert text.index("Annex II. Transcript") < text.index(ARABIC) < text.index(CHINESE)


async def test_an_arabic_report_is_laid_out_by_weasyprint(
    db: Database, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    _needs_pdf()
    counts = _counting(monkeypatch)
    t = await compile_session_report(
        db, SECRETARIAT, forum.session_id, languages=Languages("ar", None, "Forums")
    )
    assert not pdf_annex.available(t)
    await render_bytes(t, "pdf")
    assert counts == {"reportlab": 0, "weasyprint": 0}


def test_post_markup_becomes_reportlab_blocks(tmp_path: Path):
    covered = pdf_annex._fonts()
    if covered is None:
        pytest.fail("fonts-dejavu-core is needed (dev.sh installs it)", pytrace=False)
    text = pdf_markup.Text(covered)
    html = (
        "<p>One <strong>bold</strong> &amp; <em>it</em> <code>x&lt;1</code></p>"
        '<ol start="3"><li>three</li><li><p>four</p><p>more</p></li></ol>'
        "<blockquote><p>quoted</p></blockquote><pre><code>a  b\nc</code></pre><hr>"
        "<table><tr><th>h</th></tr><tr><td>c</td></tr></table>"
    )
    blocks = pdf_markup.blocks(html, text, "Mono")
    kinds = [(b.kind, b.markup, b.bullet) for b in blocks if b.kind != "row"]
    assert kinds[0] == (
        "p",
        'One <b>bold</b> &amp; <i>it</i> <font face="Mono">x&lt;1</font>',
        None,
    )
    assert kinds[1:4] == [("li", "three", "3."), ("li", "four", "4."), ("p", "more", None)]
    assert kinds[4] == ("quote", "quoted", None)
    assert kinds[5] == ("pre", "a&nbsp;&nbsp;b<br/>c", None)
    assert [b.cells for b in blocks if b.kind == "row"] == [["h"], ["c"]]
    for refused in (ARABIC, CHINESE, "cafe\u0301"):
        with pytest.raises(pdf_markup.NeedsShaping):
            pdf_markup.blocks(f"<p>{refused}</p>", text, "Mono")
