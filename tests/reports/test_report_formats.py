"""Every format against the known transcript of conftest.py: structure, counts,
replies, escaping, and no trace of hidden, pending or rejected posts."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from docx import Document

from forum_server.db import Database
from forum_server.reports import to_pdf
from forum_server.reports.formats import FORMATS, render_bytes
from forum_server.reports.textual import md_block, md_inline
from forum_server.reports.transcript import compile_session_report
from forum_server.spreadsheet import safe_cell
from tests.conftest import SECRETARIAT
from tests.reports.conftest import CANARIES, Forum


async def _render(db: Database, forum: Forum, fmt: str, attribution: str | None = None) -> bytes:
    t = await compile_session_report(db, SECRETARIAT, forum.session_id, attribution=attribution)
    return await render_bytes(t, fmt)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


async def test_no_format_carries_hidden_pending_or_rejected_posts(db: Database, forum: Forum):
    """PDF too, where WeasyPrint's libraries are there (`dev.sh test` installs them);
    without them, the answer names the packages to install."""
    t = await compile_session_report(db, SECRETARIAT, forum.session_id)
    for name in FORMATS:
        if name == "pdf" and to_pdf._weasyprint() is None:
            with pytest.raises(to_pdf.PdfUnavailable) as caught:
                to_pdf.check_available()
            assert caught.value.status == 501 and to_pdf.DEBIAN_PACKAGES in caught.value.message
            continue
        data = await render_bytes(t, name)
        if name == "pdf":
            assert data.startswith(b"%PDF-")
        text = _docx_text(data) if name == "docx" else data.decode("utf-8", "replace")
        if name == "docx":  # the raw XML too, not only what python-docx reads back
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                text += z.read("word/document.xml").decode()
        if name == "pdf":
            text = _pdf_text(data)
        for canary in CANARIES:
            assert canary not in text, (name, canary)
        assert "A reply to a post that will be hidden." in text, name


def _pdf_text(data: bytes) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:  # dev.sh installs it (poppler-utils)
        pytest.fail("pdftotext is needed to read the PDF report back", pytrace=False)
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return " ".join(done.stdout.decode().split())  # lines wrap anywhere


async def test_json_has_the_api_fields_and_counts(db: Database, forum: Forum):
    report = json.loads(await _render(db, forum, "json"))
    assert report["session"]["title"] == "Session I: NBSAPs & <planning>"
    assert report["session"]["moderators"] == ["Nomvula Khumalo"]
    assert len(report["session"]["periods"]) == 1
    p = report["participation"]
    assert (p["posts"], p["participants"]) == (8, 5)
    assert p["by_region"]["africa"] == {"label": "African States", "posts": 3, "participants": 2}
    assert {k: v["posts"] for k, v in p["by_day"].items()} == {
        "2026-03-02": 2,
        "2026-03-03": 2,
        "2026-03-04": 4,
    }
    assert p["by_country"]["BR"]["posts"] == 2 and p["by_affiliation"]["ngo"]["posts"] == 2
    assert [q["number"] for q in report["questions"]] == [1, 2]
    q1, q2 = report["questions"]
    assert len(q1["posts"]) == 5 and len(q2["posts"]) == 2
    reply = next(x for x in q1["posts"] if x["id"] == forum.posts["p3"])
    assert reply["in_reply_to"] == {"id": forum.posts["p2"], "author": "Ana Souza"}
    assert reply["depth"] == 1
    assert [h["id"] for h in report["highlights"]] == [forum.posts["p2"]]
    assert q1["summary"]["body"] == "Participants **agree** on integration."
    assert report["topics"][0]["title"] == "-Funding ideas"


async def test_csv_one_row_per_post_neutralized(db: Database, forum: Forum):
    data = await _render(db, forum, "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 8
    by_id = {int(r["post_id"]): r for r in rows}
    assert by_id[forum.posts["p3"]]["body"].startswith("'=1+2")
    assert by_id[forum.posts["q1"]]["body"].startswith("'+cmd|")
    assert by_id[forum.posts["q2"]]["body"].startswith("'@SUM(1)")
    assert by_id[forum.posts["t1"]]["thread"] == "'-Funding ideas"
    assert by_id[forum.posts["p3"]]["organization"] == "'=Nordic NGO"
    assert by_id[forum.posts["p3"]]["parent_id"] == str(forum.posts["p2"])
    assert by_id[forum.posts["p4"]]["reply_depth"] == "2"
    assert by_id[forum.posts["p1"]]["question"] == "1"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize("value", ["=A1", "+1", "-2", "@x", "\tx", "\rx"])
def test_spreadsheet_cells_that_would_run_get_a_quote(value: str):
    assert safe_cell(value) == "'" + value
    assert safe_cell("A " + value) == "A " + value


PAYLOADS = ["a;=1+1", "x,@SUM(1)", "+", "-", "=", "@", "\t", "\r", "a; -2", "x,,=1", "ok;\t=1"]


def _cells_seen_by(separator: str, text: str) -> list[str]:
    """The cells a spreadsheet opening `text` with `separator` would make, as it trims."""
    return [
        cell.lstrip(" ")
        for line in csv.reader(io.StringIO(text), delimiter=separator)
        for cell in line
    ]


@pytest.mark.parametrize("value", PAYLOADS)
def test_no_part_of_a_cell_runs_whatever_the_separator(value: str):
    cell = safe_cell(value)
    for separator in (",", ";"):
        for part in _cells_seen_by(separator, cell):
            assert not part.startswith(("=", "+", "-", "@", "\t", "\r")), (value, part)
    assert cell.replace("'", "") == value  # nothing but the quotes is changed


async def test_csv_report_cells_split_on_semicolons_never_run(db: Database, forum: Forum):
    from sqlalchemy import update

    from forum_server.rooms.models import Post

    async with db.write() as uow:
        await uow.session.execute(
            update(Post)
            .where(Post.id == forum.posts["p1"])
            .values(body='Agreed;=HYPERLINK("http://evil.example";"x"), x,@SUM(1)')
        )
    text = (await _render(db, forum, "csv")).decode("utf-8-sig")
    for separator in (",", ";"):
        for cell in _cells_seen_by(separator, text):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (separator, cell)


@pytest.mark.parametrize(
    ("mode", "shown", "absent"),
    [
        ("named", ["Ana Souza", "MMA Brasil", "Nomvula Khumalo"], []),
        ("country", ["A participant from Brazil", "The moderator"], ["Ana Souza", "MMA Brasil"]),
        ("none", ["A participant", "The moderator"], ["Ana Souza", "Brazil", "MMA Brasil"]),
    ],
)
async def test_markdown_and_csv_follow_the_attribution(db, forum, mode, shown, absent):
    t = await compile_session_report(db, SECRETARIAT, forum.session_id, attribution=mode)
    md = (await render_bytes(t, "md")).decode()
    rows = (await render_bytes(t, "csv")).decode("utf-8-sig")
    proceedings = md[md.index("## Annex II. Transcript") :]  # after the statistics by country
    for text in shown:
        assert text in proceedings and text in rows, (mode, text)
    for text in absent:
        assert text not in proceedings and text not in rows, (mode, text)


async def test_markdown_structure_replies_and_escaping(db: Database, forum: Forum):
    md = (await _render(db, forum, "md")).decode()
    assert (
        "\n# Session I: NBSAPs &amp; &lt;planning>\n" in md
    )  # the one '#', after the cover's lines
    assert md.index("## Question 1") < md.index("## Question 2") < md.index("## Topics from")
    assert "| African States | 3 | 2 |" in md
    assert "| Mar 4, 2026 | 4 | 4 |" in md  # days as the report's language writes them
    p3, p4 = forum.posts["p3"], forum.posts["p4"]
    assert f"> #{p3} **Bjørn Eriksen**" in md and f"in reply to #{forum.posts['p2']}" in md
    assert f"> > #{p4} **Chen Wei**" in md  # a reply to a reply: two levels of quote
    assert "&lt;b>raw&lt;/b>" in md and "<b>" not in md
    assert "### Moderator's summary\n\n> Participants **agree** on integration." in md


def test_markdown_escaping_helpers():
    assert md_inline("*a* [b](c) <i>") == r"\*a\* \[b\](c) &lt;i>"
    assert md_block("# head\n<script>") == "> # head\n> &lt;script>"


async def test_html_is_standalone_escaped_and_marks_replies(db: Database, forum: Forum):
    html = (await _render(db, forum, "html")).decode()
    assert html.startswith("<!doctype html>") and "<style>" in html
    assert "<script" not in html and "http://" not in html.split("<body>")[0]
    assert "Session I: NBSAPs &amp; &lt;planning&gt;" in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html and "<b>raw</b>" not in html
    assert "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"" in html
    assert html.count('src="data:image/png;base64,') == 2
    p3 = forum.posts["p3"]
    assert f'class="post reply depth-1" id="post-{p3}"' in html
    assert f'class="post reply depth-2" id="post-{forum.posts["p4"]}"' in html
    assert f'in reply to <a href="#post-{forum.posts["p2"]}">' in html
    assert html.index("Question 1") < html.index("Question 2")
    assert "<strong>agree</strong>" in html  # the running summary, as stored


async def test_docx_has_headings_tables_images_and_editable_styles(db: Database, forum: Forum):
    data = await _render(db, forum, "docx")
    doc = Document(io.BytesIO(data))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert ("Title", "Session I: NBSAPs & <planning>") in headings
    assert ("Heading 1", "Participation statistics") in headings
    assert ("Heading 1", "Question 1") in headings and ("Heading 1", "Question 2") in headings
    # The transcript annex, each question's contributions one level down.
    annex = headings.index(("Heading 1", "Annex II. Transcript"))
    assert ("Heading 2", "Question 1") in headings[annex:]
    assert len(doc.inline_shapes) == 2
    assert len(doc.tables) >= 5
    region = next(t for t in doc.tables if t.rows[1].cells[0].text == "African States")
    assert [c.text for c in region.rows[1].cells] == ["African States", "3", "2"]
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Contribution", "Contribution Heading", "Reply", "Nested Reply"} <= styles
    replies = [p.text for p in doc.paragraphs if p.style.name == "Reply Heading"]
    assert any("in reply to" in text and "Ana Souza" in text for text in replies)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "•\u00a0first point" in text and "Participants agree on integration." in text
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert "question one" in bold
    assert "<b>raw</b> & more" in text  # the source, as typed


def test_pdf_message_names_the_debian_packages(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(to_pdf, "_weasyprint", lambda: None)
    with pytest.raises(to_pdf.PdfUnavailable) as caught:
        to_pdf.check_available()
    assert caught.value.message.endswith(
        "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
    )
