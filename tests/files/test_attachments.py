"""Files on posts: attached through the API or the thread page's form, listed under the
post, and gone for those who may not read the post."""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from sqlalchemy import func, select

from forum_server.files.models import Upload
from tests.files import samples
from tests.files.conftest import upload
from tests.helpers import bearer, csrf_from, token_for


async def test_a_post_carries_files_uploaded_first(
    client, make_user, make_space, make_session
) -> None:
    author, reader = await make_user(), await make_user()
    slug = await make_space()
    session_id = await make_session(slug)
    threads = (await client.get(f"/api/v1/sessions/{session_id}/threads")).json()["items"]
    thread_id = threads[0]["id"]
    headers = bearer(await token_for(client, author))
    file = await upload(
        client,
        f"/api/v1/threads/{thread_id}/attachments",
        samples.png(),
        "map.png",
        headers=headers,
    )
    assert file.status_code == 201, file.text
    file_id = file.json()["id"]
    reader_headers = bearer(await token_for(client, reader))
    # Not posted yet: only its uploader has it.
    assert (await client.get(f"/api/v1/files/{file_id}", headers=reader_headers)).status_code == 404
    posted = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "See the map.", "attachment_ids": [file_id]},
        headers=headers,
    )
    assert posted.status_code == 201, posted.text
    listed = await client.get(f"/api/v1/posts/{posted.json()['id']}/attachments")
    assert [f["name"] for f in listed.json()["items"]] == ["map.png"]
    got = await client.get(f"/api/v1/files/{file_id}")
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    # Someone else's upload cannot be named; the post is refused whole.
    again = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "Mine too.", "attachment_ids": [file_id]},
        headers=reader_headers,
    )
    assert again.status_code == 422
    page = await client.get(f"/threads/{thread_id}")
    assert "map.png" in page.text and f"/files/{file_id}/preview" in page.text


async def test_the_thread_form_sends_a_file_with_the_post(
    client, make_user, make_space, make_session
) -> None:
    from tests.helpers import sign_in

    author = await make_user()
    slug = await make_space()
    session_id = await make_session(slug)
    threads = (await client.get(f"/api/v1/sessions/{session_id}/threads")).json()["items"]
    thread = f"/threads/{threads[0]['id']}"
    await sign_in(client, author)
    token = await csrf_from(client, thread)
    response = await client.post(
        f"{thread}/posts",
        data={"csrf_token": token, "body": "Our national report.", "client_id": "form-1"},
        files=[
            ("file", ("national report.pdf", samples.PDF, "application/pdf")),
            ("file", ("map.png", samples.png(), "image/png")),
        ],
    )
    assert response.status_code == 303, response.text
    page = await client.get(thread)
    assert "national report.pdf" in page.text and "map.png" in page.text
    assert 'name="file" multiple' in page.text


async def test_one_refused_file_refuses_the_post_and_keeps_nothing(
    client, make_user, make_space, make_session, app
) -> None:
    from tests.helpers import sign_in

    author = await make_user()
    slug = await make_space()
    session_id = await make_session(slug)
    threads = (await client.get(f"/api/v1/sessions/{session_id}/threads")).json()["items"]
    thread = f"/threads/{threads[0]['id']}"
    await sign_in(client, author)
    token = await csrf_from(client, thread)
    response = await client.post(
        f"{thread}/posts",
        data={"csrf_token": token, "body": "Two files, one bad.", "client_id": "form-2"},
        files=[
            ("file", ("fine.pdf", samples.PDF, "application/pdf")),
            ("file", ("page.pdf", b"<html><script>alert(1)</script>", "application/pdf")),
        ],
    )
    assert response.status_code == 422
    assert "page.pdf" in response.text  # the refusal names the file
    assert "Two files, one bad." in response.text  # the text is kept in the form
    async with app.state.ctx.db.read() as session:
        assert await session.scalar(select(func.count(Upload.id))) == 0
    posts = await client.get(f"/api/v1/threads/{threads[0]['id']}/posts")
    assert posts.json()["items"] == []


async def test_more_files_than_a_post_takes_are_refused(
    client, make_user, make_space, make_session
) -> None:
    from tests.helpers import sign_in

    author = await make_user()
    slug = await make_space()
    session_id = await make_session(slug)
    threads = (await client.get(f"/api/v1/sessions/{session_id}/threads")).json()["items"]
    thread = f"/threads/{threads[0]['id']}"
    await sign_in(client, author)
    token = await csrf_from(client, thread)
    response = await client.post(
        f"{thread}/posts",
        data={"csrf_token": token, "body": "Eleven.", "client_id": "form-3"},
        files=[("file", (f"n{i}.txt", b"note", "text/plain")) for i in range(11)],
    )
    assert response.status_code == 422
    assert "Eleven." in response.text
    posts = await client.get(f"/api/v1/threads/{threads[0]['id']}/posts")
    assert posts.json()["items"] == []


async def test_an_interrupted_upload_leaves_no_file_and_no_row(app, settings, forum) -> None:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(10):
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.01)
    try:
        async with app.state.ctx.db.read() as session:
            before = await session.scalar(select(func.count(Upload.id)))
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        boundary = "xyz"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        total = 5 * 1024 * 1024
        token = forum["tokens"]["owner"]["Authorization"]
        writer.write(
            (
                f"POST /api/v1/spaces/{forum['slug']}/library HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: {token}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {total}\r\n\r\n"
            ).encode()
            + head
            + samples.PDF
        )
        for _ in range(24):  # 1.5 MB of 5, then the connection drops
            writer.write(b"\0" * 65536)
            await writer.drain()
        await asyncio.sleep(0.3)
        writer.close()
        await asyncio.sleep(0.5)
        incoming = settings.data_dir / "files" / "incoming"
        assert not incoming.exists() or not list(incoming.iterdir())
        stored = [p for p in (settings.data_dir / "files").rglob("*") if p.is_file()]
        assert all(p.stat().st_size < 1000 for p in stored)  # only the fixture's small PDF
        async with app.state.ctx.db.read() as session:
            assert await session.scalar(select(func.count(Upload.id))) == before
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def test_the_library_page_in_french(client, forum) -> None:
    page = await client.get(
        f"/spaces/{forum['slug']}/library",
        headers={**forum["tokens"]["owner"], "Accept-Language": "fr"},
    )
    assert page.status_code == 200
    assert '<html lang="fr" dir="ltr">' in page.text
    assert "Bibliothèque" in page.text and "Ajouter un document" in page.text


async def test_a_session_report_lists_its_attachments(
    client, make_user, make_space, make_session, db
) -> None:
    from forum_server.policy import Actor
    from forum_server.reports.transcript import compile_session_report

    author = await make_user(display_name="Amina Diallo")
    slug = await make_space()
    session_id = await make_session(slug)
    threads = (await client.get(f"/api/v1/sessions/{session_id}/threads")).json()["items"]
    headers = bearer(await token_for(client, author))
    path = f"/api/v1/threads/{threads[0]['id']}/attachments"
    file = (await upload(client, path, samples.PDF, "country report.pdf", headers=headers)).json()
    posted = await client.post(
        f"/api/v1/threads/{threads[0]['id']}/posts",
        json={"body": "Attached.", "attachment_ids": [file["id"]]},
        headers=headers,
    )
    assert posted.status_code == 201
    report = await client.get(
        f"/api/v1/sessions/{session_id}/report?format=json",
        headers=bearer(await token_for(client, await make_user(is_secretariat=True))),
    )
    assert report.status_code == 200, report.text
    (attachment,) = report.json()["session"]["attachments"]
    assert attachment["name"] == "country report.pdf"
    assert attachment["uploader"] == "Amina Diallo"
    assert attachment["url"] == f"http://testserver/files/{file['id']}"  # works from the file
    transcript = await compile_session_report(db, Actor(user_id=1, is_secretariat=True), session_id)
    assert transcript.sessions[0].attachments[0].name == "country report.pdf"


async def test_post_events_carry_the_posts_files_but_not_a_hidden_posts(
    client, make_user, make_space, make_session, app
) -> None:
    from forum_server.events import events_after
    from forum_server.live import posts as live_posts

    author, moderator = await make_user(), await make_user(is_secretariat=True)
    slug = await make_space()
    session_id = await make_session(slug)
    threads = (await client.get(f"/api/v1/sessions/{session_id}/threads")).json()["items"]
    thread_id = threads[0]["id"]
    headers = bearer(await token_for(client, author))
    path = f"/api/v1/threads/{thread_id}/attachments"
    file = (await upload(client, path, samples.png(), "map.png", headers=headers)).json()
    posted = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "With a map.", "attachment_ids": [file["id"]]},
        headers=headers,
    )
    post_id = posted.json()["id"]
    db = app.state.ctx.db
    async with db.read() as session:
        (created,) = [e for e in await events_after(session, 0) if e.type == "post.created"]
    (sent,) = await live_posts.current(db, [created])
    assert sent is not None
    assert sent.data["attachments"] == [file]
    mod = bearer(await token_for(client, moderator))
    hidden = await client.post(f"/api/v1/posts/{post_id}/hide", json={"reason": "x"}, headers=mod)
    assert hidden.status_code == 200, hidden.text
    async with db.read() as session:
        (hid,) = [e for e in await events_after(session, 0) if e.type == "post.hidden"]
    (sent,) = await live_posts.current(db, [hid])
    assert sent is not None and sent.data["attachments"] == []
