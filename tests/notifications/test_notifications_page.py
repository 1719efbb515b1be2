"""The notifications page and API: replies, mentions, decisions on held posts and new
guiding questions; read and unread; the header's badges; every read through the
policy, so that what someone can no longer read shows nothing of itself."""

from __future__ import annotations

import httpx

from forum_server.i18n import gettext
from forum_server.mail import watching
from forum_server.moderation import posts as moderation
from forum_server.rooms import members, sessions
from forum_server.rooms.schemas import QuestionCreate
from tests.conftest import SECRETARIAT
from tests.helpers import bearer, client_for, csrf_from, sign_in, token_for
from tests.notifications.conftest import actor_of


async def _api(client: httpx.AsyncClient, user) -> dict:
    headers = bearer(await token_for(client, user))
    response = await client.get("/api/v1/me/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _badge(html: str) -> str | None:
    marker = '<span class="badge badge-count" data-unread-badge><span aria-hidden="true">'
    if marker not in html:
        return None
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


async def test_a_reply_is_on_the_page_with_a_badge_until_the_thread_is_read(
    app, db, make_user, make_space, make_session, question_threads, post_as
):
    slug = await make_space()
    [thread_id, _] = await question_threads(await make_session(slug))
    author = await make_user(display_name="Amina")
    replier = await make_user(display_name="Rafael")
    first = await post_as(author, thread_id, "Peer learning worked.")
    reply = await post_as(replier, thread_id, "Which **peers**?", parent_id=first.id)

    async with client_for(app) as browser:
        await sign_in(browser, author)
        home = await browser.get("/")
        assert _badge(home.text) == "1"
        page = await browser.get("/notifications")
        assert page.status_code == 200
        said = gettext(
            "%(author)s replied to your contribution in %(place)s",
            author="Rafael",
            place=gettext("Question %(number)s: %(text)s", number=1, text="What has worked?"),
        )
        assert said in page.text
        assert "Which peers?" in page.text  # the excerpt, as text
        assert f'href="/threads/{thread_id}#post-{reply.id}"' in page.text

        await browser.get(f"/threads/{thread_id}")  # following it reads it
        assert _badge((await browser.get("/")).text) is None

    data = await _api(client_for(app), author)
    assert data["unread"] == 0
    [item] = data["items"]
    assert item["kind"] == "reply" and item["read"] is True
    assert item["author"] == "Rafael" and item["post_id"] == reply.id
    assert await _api(client_for(app), replier) == {"items": [], "next": None, "unread": 0}


async def test_marking_read_one_or_all_works_with_forms_and_the_api(
    app, client, db, make_user, make_space, make_session, question_threads, post_as
):
    slug = await make_space()
    [thread_id, other_thread] = await question_threads(await make_session(slug))
    named = await make_user(display_name="Named")
    await post_as(named, thread_id, "Here.")
    writer = await make_user()
    for body in ("@Named one", "@Named two", "@Named three"):
        await post_as(writer, other_thread, body)
    headers = bearer(await token_for(client, named))
    items = (await client.get("/api/v1/me/notifications?limit=2", headers=headers)).json()
    assert [i["kind"] for i in items["items"]] == ["mention", "mention"]
    assert items["unread"] == 3 and items["next"] is not None
    older = await client.get(
        f"/api/v1/me/notifications?limit=2&after={items['next']}", headers=headers
    )
    assert len(older.json()["items"]) == 1 and older.json()["next"] is None

    newest = items["items"][0]["id"]
    marked = await client.post(f"/api/v1/me/notifications/{newest}/read", headers=headers)
    assert marked.status_code == 200 and marked.json() == {"unread": 2}

    async with client_for(app) as browser:
        await sign_in(browser, named)
        token = await csrf_from(browser, "/notifications")
        one = items["items"][1]["id"]
        done = await browser.post(f"/notifications/{one}/read", data={"csrf_token": token})
        assert done.status_code == 303
        assert done.headers["location"] == f"/notifications#notification-{one}"
        done = await browser.post("/notifications/read", data={"csrf_token": token})
        assert done.status_code == 303
        refused = await browser.post("/notifications/read", data={})
        assert refused.status_code == 403  # no CSRF token, no change
    assert (await client.get("/api/v1/me/notifications", headers=headers)).json()["unread"] == 0

    # Someone else's notification is not there for them.
    other = bearer(await token_for(client, writer))
    stranger = await client.post(f"/api/v1/me/notifications/{newest}/read", headers=other)
    assert stranger.status_code == 404
    assert (await client.get("/api/v1/me/notifications")).status_code == 401


async def test_held_posts_tell_their_author_when_decided(
    app, client, db, make_user, make_space, make_session, question_threads, post_as
):
    from forum_server.moderation import holding
    from forum_server.moderation.schemas import SettingsUpdate

    slug = await make_space()
    await holding.change_holding_rules(db, SECRETARIAT, slug, SettingsUpdate(hold_first_posts=2))
    [thread_id, _] = await question_threads(await make_session(slug))
    newcomer = await make_user()
    kept = await post_as(newcomer, thread_id, "First words.")
    turned = await post_as(newcomer, thread_id, "Second words.")
    assert kept.status == turned.status == "pending"
    await moderation.approve_post(db, SECRETARIAT, kept.id)
    await moderation.reject_post(db, SECRETARIAT, turned.id, "Off topic")
    data = await _api(client, newcomer)
    assert [(i["kind"], i["post_id"]) for i in data["items"]] == [
        ("rejected", turned.id),
        ("approved", kept.id),
    ]
    rejected = data["items"][0]
    assert rejected["excerpt"] == "" and "#post-" not in rejected["link"]


async def test_a_new_question_tells_the_sessions_followers_who_may_read_it(
    app, client, db, make_user, make_space, make_session, add_member
):
    slug = await make_space(visibility="members")
    session_id = await make_session(slug)
    member, follower_left = await make_user(), await make_user()
    for user in (member, follower_left):
        await add_member(slug, user.id)
    await watching.watch(
        db, actor_of(follower_left), watching.WatchCreate(session_id=session_id, level="digest")
    )
    await members.remove_member(db, SECRETARIAT, slug, follower_left.id)
    question = await sessions.add_question(
        db, SECRETARIAT, session_id, QuestionCreate(text="What comes next?")
    )
    [item] = (await _api(client, member))["items"]
    assert item["kind"] == "question" and item["excerpt"] == "What comes next?"
    assert item["link"] == f"/threads/{question.thread_id}"
    assert (await _api(client, follower_left))["items"] == []


async def test_moderators_see_what_waits_in_the_header(
    app, db, make_user, make_space, make_session, question_threads, post_as, add_member
):
    slug = await make_space(guest_posting=True)
    [thread_id, _] = await question_threads(await make_session(slug))
    moderator, participant = await make_user(), await make_user()
    await add_member(slug, moderator.id, "moderator")
    async with client_for(app) as guest:
        held = await guest.post(
            f"/api/v1/threads/{thread_id}/posts", json={"body": "Hello", "guest_name": "Visitor"}
        )
        assert held.status_code == 202
    async with client_for(app) as browser:
        await sign_in(browser, moderator)
        page = (await browser.get("/")).text
        assert 'href="/moderation"' in page
        assert '<span class="badge badge-count"><span aria-hidden="true">1</span>' in page
    async with client_for(app) as browser:
        await sign_in(browser, participant)
        assert 'href="/moderation"' not in (await browser.get("/")).text
