"""Reports in a chosen language: `?lang=` (default: the reader's interface language)
and `--lang` (default: FORUM_DEFAULT_LANGUAGE) set the headings, labels, figures and
dates; contributions stay as written, each marked with its language. Arabic reports
read right to left; Arabic and Chinese PDFs embed fonts that have their glyphs."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import httpx
import pytest
from docx import Document
from sqlalchemy import update

from forum_server.cli import main
from forum_server.db import Database
from forum_server.i18n import gettext, using_language
from forum_server.reports import to_pdf
from forum_server.rooms.models import Post
from tests.helpers import bearer, token_for
from tests.reports.conftest import CANARIES, Forum

STATISTICS, TRANSCRIPT = "Participation statistics", "Annex II. Transcript"


def tr(lang: str, message: str, **params: object) -> str:
    """A heading as the catalogue translates it."""
    with using_language(lang):
        return gettext(message, **params)


# The forum's posts as their authors wrote them: two in French, one in Arabic.
WRITTEN_IN = {"p2": "fr", "q1": "fr", "p4": "ar"}


@pytest.fixture
async def forum_in_languages(db: Database, forum: Forum) -> Forum:
    async with db.write() as uow:
        for key, lang in WRITTEN_IN.items():
            await uow.session.execute(
                update(Post).where(Post.id == forum.posts[key]).values(lang=lang)
            )
    return forum


async def _get(client: httpx.AsyncClient, forum: Forum, **params: str) -> httpx.Response:
    headers = bearer(await token_for(client, forum.users["sec"]))
    headers["Accept-Language"] = params.pop("accept", "en")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return await client.get(f"/api/v1/sessions/{forum.session_id}/report?{query}", headers=headers)


def _needs_pdf() -> None:
    if to_pdf._weasyprint() is None or shutil.which("pdftotext") is None:
        pytest.fail("WeasyPrint and poppler-utils are needed (dev.sh installs them)", pytrace=False)


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def _pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    return done.stdout


def _keep(name: str, data: bytes) -> None:
    """Leaves the file where FORUM_TEST_KEEP_REPORTS says, to look at it."""
    if folder := os.environ.get("FORUM_TEST_KEEP_REPORTS"):
        (Path(folder) / name).write_bytes(data)


async def test_the_readers_language_by_default_and_lang_to_choose(
    client: httpx.AsyncClient, forum_in_languages: Forum
):
    forum = forum_in_languages
    french = (await _get(client, forum, format="md", accept="fr-FR,fr;q=0.9")).text
    assert f"## {tr('fr', STATISTICS)}" in french
    assert f"## {tr('fr', 'Question %(number)s', number=1)}" in french
    assert "Rapport établi le" in french and tr("fr", TRANSCRIPT) in french
    assert "8 contributions de 5 participants." in french
    assert "| 4 mars 2026 | 4 | 4 |" in french  # the days as French writes them
    assert "| États d'Afrique | 3 | 2 |" in french  # regional groups, as the catalogue says
    assert "Groupe de liaison" not in french  # names and titles stay as they are
    spanish = (await _get(client, forum, format="md", lang="es", accept="fr")).text
    assert "Informe elaborado el" in spanish and tr("es", TRANSCRIPT) in spanish
    # Each contribution keeps its words and says which language they are in.
    assert f"#{forum.posts['p2']} **Ana Souza** · Brasil · MMA Brasil · " in spanish
    assert "\\[fr\\]" in spanish and "\\[ar\\]" in spanish  # [fr], escaped for Markdown
    for canary in CANARIES:
        assert canary not in spanish


async def test_html_marks_the_report_and_each_posts_language(
    client: httpx.AsyncClient, forum_in_languages: Forum
):
    forum = forum_in_languages
    html = (await _get(client, forum, format="html", lang="ar")).text
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<h2 id="participation">{tr("ar", STATISTICS)}</h2>' in html
    p2, p4 = forum.posts["p2"], forum.posts["p4"]
    assert f'id="post-{p2}"' in html
    body_of_p2 = html[html.index(f'id="post-{p2}"') :]
    assert '<div class="post-body" lang="fr" dir="ltr">' in body_of_p2.split("</article>")[0]
    body_of_p4 = html[html.index(f'id="post-{p4}"') :]
    assert '<div class="post-body" lang="ar" dir="rtl">' in body_of_p4.split("</article>")[0]


async def test_only_the_posts_written_in_one_language(
    client: httpx.AsyncClient, forum_in_languages: Forum
):
    forum = forum_in_languages
    report = (await _get(client, forum, format="json", post_lang="fr")).json()
    assert report["report"]["post_language"] == "fr" and report["report"]["language"] == "en"
    assert report["participation"]["posts"] == 2
    posts = [p for q in report["questions"] for p in q["posts"]]
    assert sorted(p["id"] for p in posts) == sorted([forum.posts["p2"], forum.posts["q1"]])
    assert {p["lang"] for p in posts} == {"fr"}
    assert report["topics"] == []  # the topic has no French post: not named either


async def test_an_unknown_language_is_refused_in_the_error_format(
    client: httpx.AsyncClient, forum: Forum
):
    for name, value in (("lang", "de"), ("post_lang", "xx"), ("lang", "fr-CA")):
        response = await _get(client, forum, format="md", **{name: value})
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid" and error["field"] == name
        assert error["message"] == f"{name} must be one of ar, zh, en, fr, ru, es."
    # The message is in the reader's language, the field and code stay as they are.
    response = await _get(client, forum, format="md", lang="de", accept="fr")
    assert response.json()["error"]["message"] == (
        "lang doit être l'une des valeurs suivantes : ar, zh, en, fr, ru, es."
    )


async def test_arabic_word_report_reads_right_to_left(
    client: httpx.AsyncClient, forum_in_languages: Forum
):
    forum = forum_in_languages
    response = await _get(client, forum, format="docx", lang="ar")
    assert response.status_code == 200
    _keep("report-ar.docx", response.content)
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        document = docx.read("word/document.xml").decode()
        styles = docx.read("word/styles.xml").decode()
    assert "<w:bidi/>" in document.split("<w:sectPr")[-1]  # the section: pages laid out RTL
    assert "<w:bidiVisual/>" in document  # tables: first column on the right
    assert "<w:rtl/>" in document  # runs of Arabic text
    normal = styles[styles.index('w:styleId="Normal"') :].split("</w:style>")[0]
    assert "<w:bidi/>" in normal  # every paragraph RTL unless it says otherwise
    assert 'w:val="ar-SA"' in styles and 'w:cs="Arial"' in styles
    # A French contribution stays left to right, tagged French.
    assert '<w:bidi w:val="0"/>' in document and 'w:val="fr-FR"' in document
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert tr("ar", STATISTICS) in headings and "السؤال 1" in headings
    assert tr("ar", TRANSCRIPT) in headings


async def test_chinese_word_report_is_tagged_chinese(client: httpx.AsyncClient, forum: Forum):
    response = await _get(client, forum, format="docx", lang="zh")
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        styles = docx.read("word/styles.xml").decode()
        document = docx.read("word/document.xml").decode()
    assert 'w:val="zh-CN"' in styles and 'w:eastAsia="SimSun"' in styles
    assert "<w:bidi/>" not in document
    doc = Document(io.BytesIO(response.content))
    assert tr("zh", STATISTICS) in [p.text for p in doc.paragraphs]


async def test_arabic_pdf_has_its_fixed_text_in_arabic(
    client: httpx.AsyncClient, forum: Forum, tmp_path: Path
):
    _needs_pdf()
    response = await _get(client, forum, format="pdf", lang="ar")
    assert response.status_code == 200
    _keep("report-ar.pdf", response.content)
    text = _pdf_text(response.content)
    # pdftotext gives Arabic words in visual runs: each word of the headings is there.
    for heading in (STATISTICS, TRANSCRIPT):
        assert all(word in text for word in re.findall(r"\w+", tr("ar", heading))), heading
    fonts = _pdf_fonts(response.content, tmp_path)
    assert "Arabic" in fonts or "DejaVu" in fonts, fonts


async def test_chinese_pdf_embeds_a_font_with_chinese_glyphs(
    client: httpx.AsyncClient, forum: Forum, tmp_path: Path
):
    _needs_pdf()
    response = await _get(client, forum, format="pdf", lang="zh")
    assert response.status_code == 200
    _keep("report-zh.pdf", response.content)
    text = _pdf_text(response.content)
    assert tr("zh", STATISTICS) in text and tr("zh", TRANSCRIPT) in text
    fonts = _pdf_fonts(response.content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line or "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded


def test_the_command_line_writes_in_the_language_asked(
    tmp_path: Path,
    database_url: str,
    forum_in_languages: Forum,
    monkeypatch: pytest.MonkeyPatch,
):
    forum = forum_in_languages
    monkeypatch.setenv("FORUM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORUM_DATABASE_URL", database_url)
    target = tmp_path / "rapport.md"
    args = ["report", str(forum.session_id), "--format", "md", "-o", str(target)]
    assert main([*args, "--lang", "fr"]) == 0
    text = target.read_text()
    assert f"## {tr('fr', STATISTICS)}" in text
    assert f"## {tr('fr', 'Question %(number)s', number=1)}" in text
    assert f"## {tr('fr', TRANSCRIPT)}" in text and "Rapport établi le" in text
    assert main([*args, "--lang", "fr", "--post-lang", "ar"]) == 0
    assert "1 contribution de 1 participant." in target.read_text()
    # Without --lang: FORUM_DEFAULT_LANGUAGE.
    monkeypatch.setenv("FORUM_DEFAULT_LANGUAGE", "ru")
    out = tmp_path / "report.json"
    assert main(["report", str(forum.session_id), "--format", "json", "-o", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["report"]["language"] == "ru"
    assert report["participation"]["by_day"]["2026-03-02"]["label"] == "2 мар. 2026\u202fг."
    with pytest.raises(SystemExit):  # argparse refuses it, naming the choices
        main([*args, "--lang", "de"])
