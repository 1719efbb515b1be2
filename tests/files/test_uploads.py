"""What an upload becomes: the type decided by content, hostile files refused or made
harmless, the same content stored once, versions kept, images stripped, ranges and
ETags served."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from forum_server.files.models import Upload
from tests.files import samples
from tests.files.conftest import upload


def stored_files(settings) -> list[Path]:
    root = settings.data_dir / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
async def adder(forum: dict):
    """Uploads to the space's library as its owner."""
    path = f"/api/v1/spaces/{forum['slug']}/library"

    async def add(client: httpx.AsyncClient, data: bytes, name: str = "file.pdf") -> httpx.Response:
        return await upload(
            client, path, data, name, headers=forum["tokens"]["owner"], title="T", language="en"
        )

    return add


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (samples.HTML_AS_PDF, "report.pdf", "file_type_refused"),
        (samples.SVG, "logo.svg", "file_type_refused"),
        (b"", "empty.pdf", "file_empty"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.exe", "file_type_refused"),
        (samples.bomb_png(), "bomb.png", "image_too_large"),
        (samples.docx({f"x/{n}.xml": b"" for n in range(2001)}), "many.docx", "zip_bomb"),
    ],
    ids=["html-named-pdf", "svg-with-script", "empty", "executable", "pixel-bomb", "many-parts"],
)
async def test_hostile_files_are_refused_and_leave_nothing(
    client, forum, adder, settings, data, name, code
) -> None:
    before = stored_files(settings)
    response = await adder(client, data, name)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert stored_files(settings) == before


async def test_a_zip_bomb_word_file_is_refused(client, forum, adder) -> None:
    response = await adder(client, samples.zip_bomb_docx(), "bomb.docx")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "zip_bomb"


async def test_a_polyglot_is_served_only_as_a_sandboxed_pdf_download(client, forum, adder) -> None:
    created = await adder(client, samples.POLYGLOT, "page.html")
    assert created.status_code == 201, created.text
    file = created.json()["versions"][0]["file"]
    assert file["name"] == "page.html.pdf" and file["media_type"] == "application/pdf"
    got = await client.get(file["url"], headers=forum["tokens"]["owner"])
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["content-security-policy"].startswith("sandbox")


async def test_a_name_with_folders_and_a_bidi_override_is_made_plain(client, forum, adder) -> None:
    created = await adder(client, samples.PDF, "../../etc/evil\u202egpj.pdf")
    name = created.json()["versions"][0]["file"]["name"]
    assert name == "evilgpj.pdf"
    got = await client.get(
        created.json()["versions"][0]["file"]["url"], headers=forum["tokens"]["owner"]
    )
    assert "filename*=UTF-8''evilgpj.pdf" in got.headers["content-disposition"]


async def test_a_file_over_the_limit_is_refused_with_413(tmp_path, database_url) -> None:
    from forum_server.app import create_app
    from tests.helpers import client_for, make_settings

    settings = make_settings(tmp_path, database_url, max_upload_bytes=1000)
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        response = await upload(client, "/api/v1/spaces/any/library", b"x" * 100_000)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def test_the_same_content_is_stored_once_and_versions_are_kept(
    client, forum, adder, settings, db
) -> None:
    owner = forum["tokens"]["owner"]
    first = (await adder(client, samples.PDF, "a.pdf")).json()
    second = (await adder(client, samples.PDF, "b.pdf")).json()
    assert first["versions"][0]["file"]["sha256"] == second["versions"][0]["file"]["sha256"]
    text = b"name,country\nAda,KE\n"
    newer = await upload(
        client, f"/api/v1/documents/{first['id']}/versions", text, "list.csv", headers=owner
    )
    assert newer.status_code == 201, newer.text
    versions = newer.json()["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["file"]["media_type"] == "text/csv"
    assert versions[1]["file"]["name"] == "a.pdf"
    shas = {p.name for p in stored_files(settings) if "incoming" not in p.parts}
    assert len(shas) == 2  # the PDF once, the CSV once (the member's upload is the same PDF)
    async with db.read() as session:
        assert await session.scalar(select(func.count(Upload.id))) == 4


async def test_image_metadata_and_location_are_stripped(client, forum, adder) -> None:
    original = samples.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    created = await adder(client, original, "photo.jpg")
    file = created.json()["versions"][0]["file"]
    owner = forum["tokens"]["owner"]
    got = await client.get(file["url"], headers=owner)
    assert got.headers["content-type"] == "image/jpeg"
    served = Image.open(io.BytesIO(got.content))
    assert not served.getexif() and b"SpyCam" not in got.content
    preview = await client.get(file["preview_url"], headers=owner)
    assert preview.headers["content-type"] == "image/png"
    assert preview.headers["content-disposition"].startswith("inline;")


async def test_etag_and_ranges(client, forum, adder) -> None:
    data = bytes(range(256)) * 400 + samples.PDF  # not text: binary, but starts as a PDF
    data = samples.PDF + data
    created = await adder(client, data, "big.pdf")
    file = created.json()["versions"][0]["file"]
    owner = forum["tokens"]["owner"]
    whole = await client.get(file["url"], headers=owner)
    assert whole.headers["etag"] == f'"{file["sha256"]}"'
    again = await client.get(file["url"], headers={**owner, "If-None-Match": whole.headers["etag"]})
    assert again.status_code == 304 and not again.content
    part = await client.get(file["url"], headers={**owner, "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"


async def test_removed_files_are_deleted_after_the_retention_period(
    client, forum, adder, settings, db
) -> None:
    from forum_server.files.retention import purge
    from forum_server.files.storage import file_store

    owner = forum["tokens"]["owner"]
    kept = (await adder(client, samples.PDF, "kept.pdf")).json()
    gone = (await adder(client, samples.png(800, 600), "gone.png")).json()
    gone_file = gone["versions"][0]["file"]
    assert (
        await client.delete(f"/api/v1/documents/{gone['id']}", headers=owner)
    ).status_code == 204
    store = file_store(settings)
    assert await purge(db, store, 30, quiet_seconds=0) == 0  # still within the retention
    assert store.path(gone_file["sha256"]).exists()
    assert await purge(db, store, 0, quiet_seconds=0) == 2  # the picture and its preview
    assert not store.path(gone_file["sha256"]).exists()
    shared = store.path(kept["versions"][0]["file"]["sha256"])
    assert shared.exists()  # the same PDF is still named by other documents
    assert (await client.get(kept["versions"][0]["file"]["url"], headers=owner)).status_code == 200
