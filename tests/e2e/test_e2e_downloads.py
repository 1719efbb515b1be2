"""Hostile files, opened in a real browser: an HTML page named .pdf, an SVG with a
script, a PDF that is also a web page, and a text file that is also a script. Each is
opened by its address, framed, and loaded as a script from the site's own page; each
only ever downloads, and none of their scripts runs: no dialog, no request to the
marker address, nothing written to the site's storage.

The HTML page and the SVG are refused at upload (their content is checked), so they
are planted in the store here, as if a check had let them through: serving must make
them harmless by itself. Also here: files on a post arrive live with it, and the
thread's form sends several files without the script."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image
from sqlalchemy import select

from forum_server.files.models import Upload
from forum_server.files.storage import file_store
from forum_server.orm import utcnow
from tests.e2e.harness import Forum, Person, tr

if TYPE_CHECKING:
    from playwright.async_api import Page, Request

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


# Each payload, if it ever ran, would open a dialog, ask for /pwned/<name> and write
# to the site's storage.
def _payload(name: str) -> str:
    return (
        f"alert('{name}'); fetch('/pwned/{name}'); "
        f"try {{ localStorage.setItem('pwned', '{name}'); }} catch (e) {{}} "
        f"top.__pwned = true;"
    )


HTML_AS_PDF = f"<!DOCTYPE html><html><body><script>{_payload('html')}</script></body></html>"
SVG = (
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="'
    + _payload("svg-onload").replace("'", "&apos;")
    + f'"><script>{_payload("svg")}</script></svg>'
)
POLYGLOT = f"%PDF-1.4\n<html><body><script>{_payload('polyglot')}</script></body></html>\n%%EOF\n"
# Accepted as plain text (it does not start with markup), and valid JavaScript.
TEXT_SCRIPT = f"{_payload('text')}\n// <script>{_payload('text-html')}</script>\n"

CANARY = """
window.__pwned = false;
for (const name of ["alert", "confirm", "prompt"]) {
    const original = window[name];
    window[name] = function (...args) {
        try { top.__pwned = true; } catch (e) {}
        return original.apply(this, args);
    };
}
"""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "navy").save(out, "PNG")
    return out.getvalue()


async def _attach(forum: Forum, who: Person, thread_id: int, name: str, data: bytes) -> int:
    response = await forum.http.post(
        f"/api/v1/threads/{thread_id}/attachments",
        files={"file": (name, data, "application/octet-stream")},
        headers=who.bearer,
    )
    assert response.status_code == 201, response.text
    file_id: int = response.json()["id"]
    return file_id


async def _plant(forum: Forum, post: dict[str, Any], name: str, media_type: str, data: str) -> int:
    """A stored file on the post whose row says what a lax check would have said."""
    store = file_store(forum.server.settings)
    sha256 = store.put_bytes(data.encode())
    async with forum.server.db.write() as uow:
        thread_id = post["thread_id"]
        space_id = await uow.session.scalar(
            select(Upload.space_id).where(Upload.post_id == post["id"]).limit(1)
        )
        upload = Upload(
            space_id=space_id,
            uploader_id=post["author"]["id"],
            uploader_name=post["author"]["display_name"],
            name=name,
            media_type=media_type,
            size=len(data.encode()),
            sha256=sha256,
            created_at=utcnow(),
            thread_id=thread_id,
            post_id=post["id"],
        )
        uow.session.add(upload)
        await uow.flush()
        return upload.id


async def _watch(page: Page) -> tuple[list[str], list[str]]:
    dialogs: list[str] = []
    marked: list[str] = []

    async def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    def on_request(request: Request) -> None:
        if "/pwned/" in request.url:
            marked.append(request.url)

    page.on("dialog", dismiss)
    page.context.on("request", on_request)
    await page.add_init_script(CANARY)
    return dialogs, marked


async def _nothing_ran(page: Page, dialogs: list[str], marked: list[str]) -> None:
    await page.wait_for_timeout(300)
    assert not dialogs, dialogs
    assert not marked, marked
    await page.goto("/healthz")
    assert await page.evaluate("() => localStorage.getItem('pwned')") is None


async def test_hostile_downloads_never_run_in_the_browser(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    author, reader = await forum.person("Uploader"), await forum.person("Reader")
    uploaded = {
        "polyglot": await _attach(forum, author, thread_id, "minutes.pdf", POLYGLOT.encode()),
        "text": await _attach(forum, author, thread_id, "notes.txt", TEXT_SCRIPT.encode()),
    }
    post = await forum.call(
        author,
        "POST",
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "Our files.", "attachment_ids": list(uploaded.values())},
    )
    files = {
        **uploaded,
        "html": await _plant(forum, post, "report.pdf", "text/html", HTML_AS_PDF),
        "svg": await _plant(forum, post, "logo.svg", "image/svg+xml", SVG),
    }
    # The HTML page and the SVG are refused when uploaded.
    for name, data in (("report.pdf", HTML_AS_PDF), ("logo.svg", SVG)):
        refused = await forum.http.post(
            f"/api/v1/threads/{thread_id}/attachments",
            files={"file": (name, data.encode(), "application/pdf")},
            headers=author.bearer,
        )
        assert refused.status_code == 422 and refused.json()["error"]["code"] == (
            "file_type_refused"
        )

    for label, file_id in files.items():
        served = await forum.http.get(f"/files/{file_id}", headers=reader.bearer)
        assert served.status_code == 200, label
        assert served.headers["content-disposition"].startswith("attachment;"), label
        assert served.headers["x-content-type-options"] == "nosniff", label
        assert served.headers["content-security-policy"].startswith("sandbox"), label

    page = await new_page(reader)
    dialogs, marked = await _watch(page)
    for label, file_id in files.items():
        # Opened by its address (a link followed, a URL pasted): a download, no page.
        async with page.expect_download() as download:
            try:
                await page.goto(f"/files/{file_id}")
            except Exception as error:  # Chromium reports the navigation became a download
                assert "download" in str(error).lower() or "aborted" in str(error), error
        assert (await download.value).suggested_filename, label
    await _nothing_ran(page, dialogs, marked)

    # From the site's own page: framed, and as a script (the site's CSP allows its own
    # scripts, so only the file's type and nosniff keep it from running).
    await page.goto(f"/threads/{thread_id}")
    outcome = await page.evaluate(
        """async (ids) => {
            const results = [];
            for (const id of ids) {
                const frame = document.createElement("iframe");
                frame.src = "/files/" + id;
                document.body.appendChild(frame);
                results.push(await new Promise((done) => {
                    const script = document.createElement("script");
                    script.src = "/files/" + id;
                    script.onload = () => done("loaded");
                    script.onerror = () => done("blocked");
                    document.body.appendChild(script);
                }));
            }
            await new Promise((done) => setTimeout(done, 500));
            return {results, pwned: window.__pwned === true};
        }""",
        list(files.values()),
    )
    assert outcome == {"results": ["blocked"] * len(files), "pwned": False}
    await _nothing_ran(page, dialogs, marked)


async def test_files_on_a_post_arrive_live_with_it(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    author, reader = await forum.person("Sender"), await forum.person("Watcher")
    page = await new_page(reader)
    await page.goto(f"/threads/{thread_id}")
    await page.wait_for_selector("[data-live-posts]")
    await page.wait_for_timeout(300)  # the live socket is up
    file_ids = [
        await _attach(forum, author, thread_id, "agenda.pdf", POLYGLOT.encode()),
        await _attach(forum, author, thread_id, "site map.png", _png()),
    ]
    post = await forum.call(
        author,
        "POST",
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "The agenda and the map.", "attachment_ids": file_ids},
    )
    files = page.locator(f"#post-{post['id']} ul.attachments a[download]")
    await files.first.wait_for(timeout=5_000)
    assert await files.all_inner_texts() == ["agenda.pdf", "site map.png"]
    assert await files.first.get_attribute("href") == f"/files/{file_ids[0]}"
    preview = page.locator(f"#post-{post['id']} ul.attachments img")
    assert await preview.get_attribute("src") == f"/files/{file_ids[1]}/preview"
    label = tr("en", "Attached files")
    assert (
        await page.locator(f"#post-{post['id']} ul.attachments").get_attribute("aria-label")
        == label
    )


async def test_the_form_sends_several_files_without_the_script(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    author = await forum.person("Form Sender")
    page = await new_page(author, js=False)
    await page.goto(f"/threads/{thread_id}")
    await page.get_by_role("textbox", name=tr("en", "Your contribution")).fill("Two files at once.")
    await page.locator("#field-file").set_input_files(
        [
            {"name": "budget.csv", "mimeType": "text/csv", "buffer": b"item,cost\nmeeting,10\n"},
            {"name": "photo.png", "mimeType": "image/png", "buffer": _png()},
        ]
    )
    async with page.expect_navigation():
        await page.get_by_role("button", name=tr("en", "Post"), exact=True).click()
    files = page.locator("article.post ul.attachments a[download]")
    assert await files.all_inner_texts() == ["budget.csv", "photo.png"]
