"""A mention is also an e-mail to its person, in their language, once; never to
someone who turned the thread off, nor to someone who can no longer read it when it
is sent."""

from __future__ import annotations

from forum_server.db import Database
from forum_server.i18n import gettext
from forum_server.mail import watching
from forum_server.rooms import members, posting
from forum_server.rooms.schemas import PostCreate
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import deliver_mail
from tests.mail.conftest import Relay, actor_of, text_of


async def _post(db: Database, user, thread_id: int, body: str):
    return (await posting.create_post(db, actor_of(user), thread_id, PostCreate(body=body))).post


async def test_a_mention_is_mailed_once_and_says_so(
    app,
    db,
    relay: Relay,
    make_user: MakeUser,
    make_space,
    make_session,
    question_threads,
    add_member,
):
    slug = await make_space(visibility="members")
    session_id = await make_session(slug, title="Capacity-building")
    [thread_id, _] = await question_threads(session_id)
    named = await make_user(email="named@example.org", display_name="Named Person")
    quiet = await make_user(email="quiet@example.org", display_name="Quiet")
    writer = await make_user(display_name="Writer")
    for user in (named, quiet, writer):
        await add_member(slug, user.id)
    await watching.watch(
        db, actor_of(quiet), watching.WatchCreate(thread_id=thread_id, level="none")
    )
    post = await _post(db, writer, thread_id, "Over to @[Named Person] and @Quiet.")
    await deliver_mail(app)

    # A member follows the session post by post: the mention is that one message.
    [message] = relay.to("named@example.org", "Question")
    said = gettext(
        "%(author)s mentioned you in %(session)s", author="Writer", session="Capacity-building"
    )
    assert said in text_of(message)
    assert message["Message-ID"] == f"<post-{post.id}.u{named.id}@testserver>"
    assert relay.to("quiet@example.org", "Question") == []


async def test_a_mention_is_not_sent_once_its_person_left(
    app,
    db,
    relay: Relay,
    make_user: MakeUser,
    make_space,
    make_session,
    question_threads,
    add_member,
):
    slug = await make_space(visibility="members")
    [thread_id, _] = await question_threads(await make_session(slug))
    named = await make_user(email="left@example.org", display_name="Leaving")
    writer = await make_user(display_name="Writer")
    for user in (named, writer):
        await add_member(slug, user.id)
    await _post(db, writer, thread_id, "Thanks @Leaving.")
    await members.remove_member(db, SECRETARIAT, slug, named.id)
    await deliver_mail(app)
    assert relay.to("left@example.org", "Question") == []
