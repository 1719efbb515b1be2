"""What surrounds an upload and a download: the browser's upload form is checked for
its CSRF token (the form's first field) before its file is accepted, and stored files
go out uncompressed, so byte ranges stay ranges of the file."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from forum_server.files.models import Upload
from tests.files import samples
from tests.helpers import csrf_from, sign_in


async def _signed_in_library(client: httpx.AsyncClient, forum: dict, make_user, add_member):
    """A signed-in browser of a member who may add to the space's library."""
    owner = await make_user()
    await add_member(forum["slug"], owner.id, "owner")
    await sign_in(client, owner)
    path = f"/spaces/{forum['slug']}/library"
    return path, await csrf_from(client, path)


async def _uploads(app) -> int:
    async with app.state.ctx.db.read() as session:
        return await session.scalar(select(func.count(Upload.id))) or 0


async def test_the_token_is_read_from_the_forms_first_field(
    client, forum, make_user, add_member, app
) -> None:
    path, token = await _signed_in_library(client, forum, make_user, add_member)
    before = await _uploads(app)
    fields = {"csrf_token": token, "title": "Agenda", "language": "en"}
    sent = await client.post(path, data=fields, files={"file": ("a.pdf", samples.PDF)})
    assert sent.status_code == 303, sent.text
    assert await _uploads(app) == before + 1


async def test_a_token_in_the_address_or_behind_the_file_is_refused(
    client, forum, make_user, add_member, app
) -> None:
    path, token = await _signed_in_library(client, forum, make_user, add_member)
    before = await _uploads(app)
    fields = {"title": "Agenda", "language": "en"}
    big = samples.PDF + b"\0" * (200 * 1024)
    attempts = [
        # Only in the address, as forms once sent it: logs and Referer would keep it.
        client.post(f"{path}?csrf_token={token}", data=fields, files={"file": ("a.pdf", big)}),
        # In the body, but after the file: the check never reads that far.
        client.post(
            path,
            files=[
                ("file", ("a.pdf", big, "application/pdf")),
                ("csrf_token", (None, token)),
                ("title", (None, "Agenda")),
                ("language", (None, "en")),
            ],
        ),
        # First, but not ours.
        client.post(
            path, data={"csrf_token": "f" * 64, **fields}, files={"file": ("a.pdf", samples.PDF)}
        ),
        # No token at all.
        client.post(path, data=fields, files={"file": ("a.pdf", samples.PDF)}),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 403, response.text
    assert await _uploads(app) == before
    incoming = app.state.ctx.settings.data_dir / "files" / "incoming"
    assert not incoming.exists() or not list(incoming.iterdir())


async def test_downloads_are_not_compressed_and_keep_their_ranges(client, forum) -> None:
    owner = forum["tokens"]["owner"]
    text = ("A long line of minutes, compressible. " * 2000).encode()
    created = await client.post(
        f"/api/v1/spaces/{forum['slug']}/library",
        data={"title": "Minutes", "language": "en"},
        files={"file": ("minutes.txt", text, "text/plain")},
        headers=owner,
    )
    assert created.status_code == 201, created.text
    file = created.json()["versions"][0]["file"]
    for url in (file["url"], f"/api/v1{file['url']}"):
        whole = await client.get(url, headers={**owner, "Accept-Encoding": "gzip"})
        assert whole.status_code == 200
        assert "content-encoding" not in whole.headers
        assert whole.headers["content-length"] == str(len(text))
        part = await client.get(
            url, headers={**owner, "Accept-Encoding": "gzip", "Range": "bytes=10-19"}
        )
        assert part.status_code == 206 and part.content == text[10:20]
    # Pages and JSON are still compressed.
    listing = await client.get(
        f"/api/v1/spaces/{forum['slug']}/library", headers={**owner, "Accept-Encoding": "gzip"}
    )
    assert listing.headers.get("content-encoding") == "gzip"
