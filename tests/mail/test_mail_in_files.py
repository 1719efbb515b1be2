"""Files attached to a reply by mail: those the thread's form would accept go with the
post (kind by content, images written afresh, names made safe); the others are named
in an answer to the writer, are never stored, and do not stop the post. Sent as real
MIME messages through the mail-in listener."""

from __future__ import annotations

import hashlib
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from forum_server.files.models import Upload
from forum_server.i18n import gettext
from forum_server.mail.incoming import parse
from forum_server.rooms import posting, sessions
from forum_server.rooms.models import Post
from forum_server.rooms.schemas import PostCreate
from forum_server.settings import Settings
from tests.conftest import SECRETARIAT
from tests.files import samples
from tests.helpers import deliver_mail, make_settings
from tests.mail.conftest import MailIn, Relay, actor_of, mailed, new_mail, text_of
from tests.mail.test_mail_in_answers import reply_address

CORPUS = Path(__file__).parent / "corpus"
LIMIT = 64 * 1024
HOSTILE_HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.fixture
def settings(tmp_path: Path, database_url: str, relay: Relay) -> Settings:
    return make_settings(
        tmp_path, database_url, smtp_url=f"smtp://127.0.0.1:{relay.port}", max_upload_bytes=LIMIT
    )


@pytest.fixture
async def forum(db, make_user, make_space, make_session, question_threads) -> dict[str, Any]:
    slug = await make_space(title="Online forum")
    session_id = await make_session(slug, title="Capacity-building")
    [thread_id, _] = await question_threads(session_id)
    writer, other = await make_user(email="w@example.org"), await make_user()
    posted = await posting.create_post(db, actor_of(other), thread_id, PostCreate(body="Ideas?"))
    return {"session_id": session_id, "thread_id": thread_id, "writer": writer, "post": posted}


def _corpus_message(to: str) -> EmailMessage:
    """The corpus's Apple Mail reply with files, sent to a real reply address."""
    message = message_from_bytes(
        (CORPUS / "apple_files_en.eml").read_bytes(), policy=policy.default
    )
    assert isinstance(message, EmailMessage)
    message.replace_header("To", to)
    return message


async def _files_of(db, post_id: int) -> list[Upload]:
    async with db.read() as session:
        return list(
            await session.scalars(
                select(Upload).where(Upload.post_id == post_id).order_by(Upload.id)
            )
        )


async def _answers(app, relay: Relay, message: EmailMessage) -> list[EmailMessage]:
    return [
        m
        for m in await mailed(app, relay, "w@example.org")
        if m["In-Reply-To"] == message["Message-ID"]
    ]


def test_attached_files_are_read_but_not_a_signatures_pictures() -> None:
    incoming = parse((CORPUS / "apple_files_en.eml").read_bytes(), "kofi@example.gh")
    names = [file.name for file in incoming.files]
    # The logo inside the HTML (it has a Content-ID) is not one of the writer's files.
    assert names == ["Workshop report.pdf", "training.jpg", "agenda.pdf", "setup.exe"]
    assert incoming.files[0].data == samples.PDF
    assert parse((CORPUS / "attachment_fr.eml").read_bytes()).files[0].name == "commentaires.pdf"


async def test_a_reply_with_files_posts_the_good_ones_and_names_the_others(
    app, client, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post"].post.id)
    message = _corpus_message(to)
    too_big = bytes(range(256)) * (LIMIT // 256 + 1)
    message.add_attachment(too_big, maintype="application", subtype="pdf", filename="big.pdf")
    await mail_in.send(message)
    [row] = await mail_in.settled()
    assert row.outcome == "posted", row.note
    post_id = row.post_id

    kept = await _files_of(db, post_id)
    assert [(f.name, f.media_type) for f in kept] == [
        ("Workshop report.pdf", "application/pdf"),
        ("training.jpg", "image/jpeg"),
    ]
    photo = await client.get(f"/files/{kept[1].id}")
    assert photo.status_code == 200 and b"SpyCam" not in photo.content  # written afresh
    assert kept[1].preview_sha256 is not None
    page = await client.get(f"/threads/{forum['thread_id']}")
    assert "Workshop report.pdf" in page.text and "training.jpg" in page.text
    # Refused files are not stored at all.
    store = settings.data_dir / "files"
    for refused in (HOSTILE_HTML, too_big):
        digest = hashlib.sha256(refused).hexdigest()
        assert not list(store.rglob(digest))

    [answer] = await _answers(app, relay, message)
    text = text_of(answer)
    assert answer["Auto-Submitted"] == "auto-replied"
    assert gettext("Some attached files were not kept") not in answer["Subject"]  # theirs: Re:
    assert f"/threads/{forum['thread_id']}" in text
    refusal = gettext(
        "This kind of file is not accepted: PDF, Word, Excel, PowerPoint, OpenDocument, "
        "PNG, JPEG, WebP, plain text and CSV are."
    )
    assert f"- agenda.pdf: {refusal}" in text
    assert f"- setup.exe: {refusal}" in text
    too_large = gettext("The file is larger than %(limit)s bytes.") % {"limit": LIMIT}
    assert f"- big.pdf: {too_large}" in text
    assert "Workshop report.pdf" not in text
    html = answer.get_body(("html",))
    assert html is not None and "<bdi>agenda.pdf</bdi>" in str(html.get_content())

    # Delivered again: no second post and no second set of files.
    await mail_in.send(message)
    await mail_in.settled(2)
    async with db.read() as session:
        posts = await session.scalar(
            select(func.count()).select_from(Post).where(Post.thread_id == forum["thread_id"])
        )
        uploads = await session.scalar(select(func.count()).select_from(Upload))
    assert posts == 2 and uploads == 2


async def test_a_reply_whose_files_are_all_kept_gets_no_answer(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "thread", forum["thread_id"])
    message = new_mail(to, "Re: Q1", "The map of the training centres.")
    message.add_attachment(
        samples.png(), maintype="image", subtype="png", filename="../../maps/\u202ecentres.png"
    )
    message.add_attachment(
        b"region,centres\nAfrica,4\n", maintype="text", subtype="csv", filename="centres.csv"
    )
    await mail_in.send(message)
    [row] = await mail_in.settled()
    assert row.outcome == "posted"
    kept = await _files_of(db, row.post_id)
    assert [f.name for f in kept] == ["centres.png", "centres.csv"]
    assert [f.media_type for f in kept] == ["image/png", "text/csv"]
    await deliver_mail(app)
    assert not [m for m in relay.to("w@example.org") if m["In-Reply-To"] == message["Message-ID"]]


async def test_a_refused_reply_keeps_none_of_its_files(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post"].post.id)
    await sessions.close_now(db, SECRETARIAT, forum["session_id"])
    message = new_mail(to, "Re: Ideas", "Too late, with a file.")
    message.add_attachment(samples.PDF, maintype="application", subtype="pdf", filename="late.pdf")
    await mail_in.send(message)
    [row] = await mail_in.settled()
    assert (row.outcome, row.note) == ("answered", "closed")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Upload)) == 0
    [answer] = await _answers(app, relay, message)
    assert "Too late, with a file." in text_of(answer)


async def test_more_files_than_a_post_takes_are_named(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "thread", forum["thread_id"])
    message = new_mail(to, "Re: Q1", "Twelve notes.")
    for n in range(12):
        message.add_attachment(
            f"note {n}\n".encode(), maintype="text", subtype="plain", filename=f"note-{n}.txt"
        )
    await mail_in.send(message)
    [row] = await mail_in.settled()
    assert row.outcome == "posted"
    assert len(await _files_of(db, row.post_id)) == 10
    [answer] = await _answers(app, relay, message)
    text = text_of(answer)
    limit = gettext("At most %(limit)s files per post.") % {"limit": 10}
    assert re.findall(r"^- (note-\d+\.txt): ", text, re.M) == ["note-10.txt", "note-11.txt"]
    assert limit in text
