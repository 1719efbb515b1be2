"""Reports list the space's library and the files on the contributions they show —
name, who, when and a working link — in every format; never a file of a hidden post
nor a removed document, and uploaders attributed as the report's setting says."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from forum_server.db import Database
from forum_server.files import library
from forum_server.files.ingest import Received, ReceivedFile
from forum_server.files.models import Upload
from forum_server.files.storage import file_store
from forum_server.orm import utcnow
from forum_server.reports import to_pdf
from forum_server.reports.formats import FORMATS, render_bytes
from forum_server.reports.transcript import compile_session_report
from forum_server.rooms.models import Space
from forum_server.settings import Settings
from tests.conftest import SECRETARIAT
from tests.files import samples
from tests.reports.conftest import Forum, actor

SITE = "https://forum.example.org"
HIDDEN_FILE = "CANARY-FILE-of-hidden-post.pdf"
REMOVED_DOCUMENT = "CANARY-DOCUMENT-removed"


def _reader(store, name: str, data: bytes, **fields: str):
    async def read() -> Received:
        incoming = store.incoming()
        incoming.write(data)
        return Received(fields=fields, files=[ReceivedFile(incoming, name)])

    return read


async def _attach(db: Database, settings: Settings, forum: Forum, post: str, name: str) -> int:
    """A file on one of the known posts, as the post's author added it."""
    store = file_store(settings)
    sha256 = store.put_bytes(samples.PDF + name.encode())
    author = {"p2": "ana", "p5": "dan"}[post]
    async with db.write() as uow:
        space_id = await uow.session.scalar(select(Space.id).where(Space.slug == forum.slug))
        upload = Upload(
            space_id=space_id,
            uploader_id=forum.users[author].id,
            uploader_name=forum.users[author].display_name,
            name=name,
            media_type="application/pdf",
            size=100,
            sha256=sha256,
            created_at=utcnow(),
            thread_id=forum.threads["q1"],
            post_id=forum.posts[post],
        )
        uow.session.add(upload)
        await uow.flush()
        return upload.id


@pytest.fixture
async def files(db: Database, settings: Settings, forum: Forum) -> dict[str, int]:
    store = file_store(settings)
    owner = actor(forum.users["owner"])
    terms = await library.create_document(
        db,
        store,
        owner,
        forum.slug,
        _reader(store, "terms.pdf", samples.PDF, title="Terms of reference", language="en"),
    )
    await library.add_version(
        db, store, owner, terms.id, _reader(store, "terms v2.pdf", samples.PDF + b"v2")
    )
    gone = await library.create_document(
        db,
        store,
        owner,
        forum.slug,
        _reader(store, "gone.pdf", samples.PDF + b"x", title=REMOVED_DOCUMENT, language="en"),
    )
    await library.remove_document(db, owner, gone.id)
    return {
        "budget": await _attach(db, settings, forum, "p2", "budget.pdf"),
        "hidden": await _attach(db, settings, forum, "p5", HIDDEN_FILE),
        "terms": terms.id,
    }


def _text(name: str, data: bytes) -> str:
    if name == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return text + z.read("word/document.xml").decode()
    if name == "pdf":
        from tests.reports.test_report_formats import _pdf_text

        return _pdf_text(data)
    return data.decode("utf-8")


async def test_every_format_lists_the_documents_and_the_attachments(
    db: Database, forum: Forum, files: dict[str, int]
):
    t = await compile_session_report(db, SECRETARIAT, forum.session_id, site_url=SITE)
    for name in FORMATS:
        if name == "pdf" and to_pdf._weasyprint() is None:
            continue  # tests/reports/test_report_formats.py checks the message instead
        text = _text(name, await render_bytes(t, name))
        assert "budget.pdf" in text, name
        assert f"{SITE}/files/{files['budget']}" in text, name
        assert "Ana Souza" in text, name
        assert "Terms of reference" in text and "terms v2.pdf" in text, name
        assert HIDDEN_FILE not in text and REMOVED_DOCUMENT not in text, name
        assert f"{SITE}/files/{files['hidden']}" not in text, name
        if name != "json":  # a date a reader can read, in the report's language
            assert str(utcnow().year) in text, name


async def test_json_and_csv_name_the_post_and_the_version(
    db: Database, forum: Forum, files: dict[str, int]
):
    t = await compile_session_report(db, SECRETARIAT, forum.session_id, site_url=SITE)
    report = json.loads(await render_bytes(t, "json"))
    (document,) = report["documents"]
    assert (document["title"], document["version"], document["name"]) == (
        "Terms of reference",
        2,
        "terms v2.pdf",
    )
    assert document["uploader"] == "Owner" and document["url"].startswith(f"{SITE}/files/")
    (attached,) = report["session"]["attachments"]
    assert attached["post_id"] == forum.posts["p2"] and attached["uploader"] == "Ana Souza"

    rows = list(csv.DictReader(io.StringIO((await render_bytes(t, "csv")).decode("utf-8-sig"))))
    posts = [r for r in rows if r["record"] == "post"]
    assert len(posts) == 8  # one row per post, as before
    by_id = {int(r["post_id"]): r for r in posts}
    expected = f"budget.pdf <{SITE}/files/{files['budget']}>"
    assert by_id[forum.posts["p2"]]["attachments"] == expected
    assert by_id[forum.posts["p1"]]["attachments"] == ""
    (document_row,) = [r for r in rows if r["record"] == "document"]
    assert document_row["body"] == "Terms of reference"
    assert document_row["attachments"].startswith("terms v2.pdf <")


async def test_uploaders_follow_the_reports_attribution(
    db: Database, forum: Forum, files: dict[str, int]
):
    t = await compile_session_report(
        db, SECRETARIAT, forum.session_id, attribution="none", site_url=SITE
    )
    text = (await render_bytes(t, "md")).decode()
    assert "budget.pdf" in text and "Ana Souza" not in text and "Owner" not in text
