"""The forum pages as a participant, a moderator and the secretariat use them: plain
HTML and forms, no JavaScript."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from forum_server.accounts.queries import UserView
from forum_server.orm import utcnow
from forum_server.rooms.pages.shared import duration_text
from tests.conftest import MakeUser
from tests.helpers import bearer, csrf_from, token_for

# --- helpers --------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every POST form on a page: its action and the hidden fields it would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self.forms.append({"action": a.get("action"), "hidden": {}, "names": set()})
        elif tag in {"input", "textarea", "select"} and self.forms and a.get("name"):
            self.forms[-1]["names"].add(a["name"])
            if a.get("type") == "hidden":
                self.forms[-1]["hidden"][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.forms:
            self.forms[-1]["closed"] = True


def forms_on(page: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


async def submit(
    client: httpx.AsyncClient, page: str, action: str, match: dict[str, str] | None = None, **values
) -> httpx.Response:
    """Load `page`, find the form posting to `action` (and with these hidden values),
    and send it with `values` filled in, the way a browser would."""
    found = forms_on((await client.get(page)).text)
    for form in found:
        if form["action"].split("?")[0] == action and all(
            form["hidden"].get(k) == v for k, v in (match or {}).items()
        ):
            return await client.post(action, data={**form["hidden"], **values})
    raise AssertionError(f"no form posting to {action} on {page}: {[f['action'] for f in found]}")


async def contribute(client: httpx.AsyncClient, thread: str, **values) -> httpx.Response:
    """Send the thread's own "Add your contribution" form (not a reply form)."""
    return await submit(client, thread, f"{thread}/posts", match={"parent_id": None}, **values)


def main_form(page: str, thread: str) -> dict[str, Any]:
    return next(
        form
        for form in forms_on(page)
        if form["action"].split("?")[0] == f"{thread}/posts" and "parent_id" not in form["hidden"]
    )


def text_of(page: str) -> str:
    """What a reader sees: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def post_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', page)]


def article(page: str, post_id: int) -> str:
    match = re.search(rf'<article class="([^"]*)" id="post-{post_id}"', page)
    assert match, f"post {post_id} not on the page"
    return match.group(1)


def iso(delta: timedelta) -> str:
    return (utcnow() + delta).isoformat()


def local(delta: timedelta) -> str:
    return (utcnow() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client: httpx.AsyncClient, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


async def new_space(client, api, slug="forum", **fields) -> dict:
    body = {"slug": slug, "title": "Online forum on capacity-building", **fields}
    response = await client.post("/api/v1/spaces", json=body, headers=api)
    assert response.status_code == 201, response.text
    return response.json()


async def new_session(client, api, slug="forum", **fields) -> dict:
    body = {
        "title": "Strategic approaches",
        "questions": ["What has worked?", "What should change?"],
        "opens_at": iso(-timedelta(minutes=1)),
        "closes_at": iso(timedelta(days=3, hours=4, minutes=30)),
        **fields,
    }
    response = await client.post(f"/api/v1/spaces/{slug}/sessions", json=body, headers=api)
    assert response.status_code == 201, response.text
    return response.json()


# --- reading --------------------------------------------------------------------------


async def test_home_lists_public_spaces_but_not_restricted_ones(client, api, browser, make_user):
    await new_space(client, api, "forum", title="Online forum on capacity-building")
    await new_space(client, api, "liaison", title="Liaison Group", visibility="members")
    async with browser() as anonymous:
        page = (await anonymous.get("/")).text
    assert 'href="/spaces/forum"' in page and "Online forum on capacity-building" in page
    assert "/spaces/liaison" not in page and "Liaison Group" not in page


async def test_space_page_lists_sessions_with_their_state(client, api, browser, secretariat):
    await new_space(client, api, description="Forum of the **Liaison Group**.")
    open_one = await new_session(client, api, title="Open one")
    await new_session(
        client, api, title="Planned one", opens_at="2030-03-01T09:00:00+00:00", closes_at=None
    )
    await new_session(client, api, title="Draft one", opens_at=None, closes_at=None)
    closed = await new_session(client, api, title="Closed one")
    await client.post(f"/api/v1/sessions/{closed['id']}/close", headers=api)
    async with browser() as anonymous:
        response = await anonymous.get("/spaces/forum")
    assert response.status_code == 200
    page = response.text
    assert "<strong>Liaison Group</strong>" in page  # the description's Markdown
    seen = text_of(page)
    for title, state in [
        ("Open one", "Open"),
        ("Planned one", "Scheduled"),
        ("Closed one", "Closed"),
    ]:
        assert f"{title} {state}" in seen
    assert "Draft one" not in seen  # a draft is for those who prepare it
    assert f'href="/sessions/{open_one["id"]}"' in page
    assert "Opens Mar 1, 2030, 9:00:00 AM UTC" in seen
    assert "0 contributions" in seen
    assert "New session" not in page  # only for owners and the secretariat
    async with browser(secretariat) as staff:
        staff_page = (await staff.get("/spaces/forum")).text
        assert 'href="/spaces/forum/sessions/new"' in staff_page
        assert "Draft one Draft" in text_of(staff_page)


async def test_session_page_shows_questions_and_time_left(client, api, browser):
    await new_space(client, api)
    session = await new_session(client, api)
    planned = await new_session(
        client, api, opens_at="2030-03-01T09:00:00+00:00", closes_at="2030-03-15T17:00:00+00:00"
    )
    async with browser() as anonymous:
        page = (await anonymous.get(f"/sessions/{session['id']}")).text
        later = (await anonymous.get(f"/sessions/{planned['id']}")).text
    seen = text_of(page)
    assert "Open — closes in 3 days 4 hours" in seen
    for question in session["questions"]:
        assert f'href="/threads/{question["thread_id"]}"' in page
    assert "Question 1 What has worked? 0 contributions" in seen
    assert "Question 2 What should change?" in seen
    assert 'href="/spaces/forum"' in page  # breadcrumb
    assert "Scheduled — opens Mar 1, 2030, 9:00:00 AM UTC" in text_of(later)
    shown = "Mar 1, 2030, 9:00:00\u202fAM UTC"  # as English writes it (CLDR, via Babel)
    assert f'<time datetime="2030-03-01T09:00:00+00:00">{shown}</time>' in later


def test_time_left_reads_naturally():
    assert duration_text(timedelta(days=3, hours=4, minutes=30)) == "3 days 4 hours"
    assert duration_text(timedelta(days=1, minutes=5)) == "1 day"
    assert duration_text(timedelta(hours=1, minutes=1)) == "1 hour 1 minute"
    assert duration_text(timedelta(seconds=20)) == "less than a minute"


async def test_anonymous_reader_is_asked_to_sign_in(client, api, browser):
    await new_space(client, api)
    thread_id = (await new_session(client, api))["questions"][0]["thread_id"]
    async with browser() as anonymous:
        page = (await anonymous.get(f"/threads/{thread_id}")).text
    assert "Sign in to take part." in text_of(page)
    assert f'href="/login?next=/threads/{thread_id}"' in page
    assert f'action="/threads/{thread_id}/posts"' not in page


# --- taking part ----------------------------------------------------------------------


async def test_participant_posts_and_replies_through_the_forms(client, api, browser, make_user):
    await new_space(client, api)
    question = (await new_session(client, api))["questions"][0]
    thread = f"/threads/{question['thread_id']}"
    action = f"{thread}/posts"
    alice = await make_user(display_name="Alice", organization="Ministry of Environment")
    async with browser(alice) as http:
        page = (await http.get(thread)).text
        assert "Question 1 What has worked?" in text_of(page)
        assert all(form["hidden"].get("csrf_token") for form in forms_on(page))

        first = await contribute(http, thread, body="Training *works*.")
        assert first.status_code == 303
        assert first.headers["location"].startswith(f"{thread}#post-")
        first_id = int(first.headers["location"].rsplit("-", 1)[1])
        second = await contribute(http, thread, body="Mentoring too.")
        second_id = int(second.headers["location"].rsplit("-", 1)[1])
        reply = await submit(
            http, thread, action, match={"parent_id": str(first_id)}, body="Agreed on training."
        )
        assert reply.status_code == 303
        reply_id = int(reply.headers["location"].rsplit("-", 1)[1])

        page = (await http.get(thread)).text
    assert post_ids(page) == [first_id, reply_id, second_id]  # the reply under its parent
    assert "depth-1" in article(page, reply_id)
    assert "depth" not in article(page, first_id) and "depth" not in article(page, second_id)
    assert "<em>works</em>" in page
    seen = text_of(page)
    assert "Alice Kenya Ministry of Environment" in seen  # the country by name
    assert "3 contributions" in seen


async def test_the_same_form_sent_twice_posts_once(client, api, browser, make_user):
    await new_space(client, api)
    thread = f"/threads/{(await new_session(client, api))['questions'][0]['thread_id']}"
    async with browser(await make_user()) as http:
        form = main_form((await http.get(thread)).text, thread)
        sent = {**form["hidden"], "body": "Only once, please."}
        first = await http.post(f"{thread}/posts", data=sent)
        again = await http.post(f"{thread}/posts", data=sent)
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == again.headers["location"]
        assert len(post_ids((await http.get(thread)).text)) == 1


async def test_deep_replies_stop_indenting_and_say_whom_they_answer(
    client, api, browser, make_user
):
    await new_space(client, api)
    thread_id = (await new_session(client, api))["questions"][0]["thread_id"]
    people = [await make_user(display_name=f"Expert {n}") for n in range(7)]
    parent = None
    ids = []
    for person in people:
        headers = bearer(await token_for(client, person))
        body = {"body": f"Level {len(ids)}", "parent_id": parent}
        response = await client.post(
            f"/api/v1/threads/{thread_id}/posts", json=body, headers=headers
        )
        assert response.status_code == 201, response.text
        parent = response.json()["id"]
        ids.append(parent)
    async with browser() as anonymous:
        page = (await anonymous.get(f"/threads/{thread_id}")).text
    assert post_ids(page) == ids
    classes = [article(page, post_id) for post_id in ids]
    assert classes == ["post"] + [f"post depth-{n}" for n in (1, 2, 3, 4, 4, 4)]
    assert "In reply to Expert 4" in text_of(page)  # post at level 5, shown at 4
    assert "In reply to Expert 2" not in text_of(page)  # indentation still shows that one


async def test_posting_to_a_closed_session_says_so_and_keeps_the_text(
    client, api, browser, make_user
):
    await new_space(client, api)
    session = await new_session(client, api)
    thread = f"/threads/{session['questions'][0]['thread_id']}"
    async with browser(await make_user()) as http:
        form = main_form((await http.get(thread)).text, thread)
        # The moderator closes the session while the participant is still typing.
        await client.post(f"/api/v1/sessions/{session['id']}/close", headers=api)
        typed = "My long reply, with <angle brackets> & care."
        response = await http.post(f"{thread}/posts", data={**form["hidden"], "body": typed})
    assert response.status_code == 409
    assert 'class="notice notice-error"' in response.text
    assert "The session is closed" in text_of(response.text)
    # Said once, by the refusal; the status bar shows the state.
    assert "This session is closed." not in text_of(response.text)
    assert text_of(response.text).count("The session is closed") == 1
    assert html.escape(typed, quote=False) in response.text
    assert "<angle brackets>" not in response.text


async def test_an_empty_contribution_is_refused_on_the_page(client, api, browser, make_user):
    await new_space(client, api)
    thread = f"/threads/{(await new_session(client, api))['questions'][0]['thread_id']}"
    async with browser(await make_user()) as http:
        response = await contribute(http, thread, body="   ")
    assert response.status_code == 422
    assert 'class="notice notice-error"' in response.text
    assert "Add your contribution" in response.text


async def test_participant_starts_a_topic(client, api, browser, make_user):
    await new_space(client, api)
    session = await new_session(client, api, participant_topics=True)
    page, action = f"/sessions/{session['id']}", f"/sessions/{session['id']}/threads"
    async with browser(await make_user()) as http:
        empty = await submit(http, page, action, title="Regional centres", body="")
        assert empty.status_code == 422 and "Regional centres" in empty.text
        response = await submit(http, page, action, title="Regional centres", body="Who hosts?")
        assert response.status_code == 303
        topic = await http.get(response.headers["location"])
        assert ">Regional centres</h1>" in topic.text and "Who hosts?" in topic.text
        listed = (await http.get(page)).text
    assert f'href="{response.headers["location"]}"' in listed


# --- moderating -----------------------------------------------------------------------


async def test_moderator_opens_extends_closes_reopens_and_adds_questions(
    client, api, browser, make_user
):
    await new_space(client, api)
    moderator = await make_user(display_name="Moderator")
    session = await new_session(
        client,
        api,
        moderator_ids=[moderator.id],
        questions=["Q one?"],
        opens_at="2030-03-01T09:00:00+00:00",
        closes_at="2030-03-15T17:00:00+00:00",
    )
    page = f"/sessions/{session['id']}"

    async def state() -> dict:
        return (await client.get(f"/api/v1{page}", headers=api)).json()

    async with browser(moderator) as http:
        before = (await http.get(page)).text
        assert f'action="{page}/open"' in before and f'action="{page}/close"' not in before
        assert "Moderated by Moderator" in text_of(before)

        opened = await submit(http, page, f"{page}/open")
        assert opened.status_code == 303 and opened.headers["location"] == f"{page}?notice=opened"
        shown = (await http.get(opened.headers["location"])).text
        assert "The session is open." in shown and "Open — closes in" in text_of(shown)
        assert (await state())["state"] == "open"

        new_close = local(timedelta(days=5))
        extended = await submit(http, page, f"{page}/extend", closes_at=new_close)
        assert extended.status_code == 303
        closes_at = datetime.fromisoformat((await state())["closes_at"])
        assert closes_at == datetime.fromisoformat(new_close).replace(tzinfo=UTC)

        past = await submit(http, page, f"{page}/extend", closes_at="2020-01-01T00:00")
        assert past.status_code == 422
        assert 'class="notice notice-error"' in past.text and "future" in past.text
        assert "2020-01-01T00:00" in past.text  # what was typed stays in the field

        added = await submit(http, page, f"{page}/questions", text="What about <funding>?")
        assert added.status_code == 303
        shown = (await http.get(added.headers["location"])).text
        assert "Question 2 What about <funding>? 0 contributions" in text_of(shown)
        question_id = (await state())["questions"][1]["id"]
        edited = await submit(
            http,
            page,
            f"/questions/{question_id}/edit",
            text="What about funding and staff?",
        )
        assert edited.status_code == 303
        assert (await state())["questions"][1]["text"] == "What about funding and staff?"

        closed = await submit(http, page, f"{page}/close")
        assert closed.status_code == 303 and (await state())["state"] == "closed"
        shown = (await http.get(page)).text
        assert f'action="{page}/reopen"' in shown
        assert f'action="{page}/questions"' not in shown  # no new questions once closed
        assert "Closed — ended" in text_of(shown)

        reopened = await submit(http, page, f"{page}/reopen", closes_at=local(timedelta(days=14)))
        assert reopened.status_code == 303
        shown = (await http.get(reopened.headers["location"])).text
        assert "The session is open again" in shown and "Re-opened:" in text_of(shown)
        assert len((await state())["periods"]) == 2

        again = await http.post(f"{page}/reopen", data={"csrf_token": await csrf_from(http, page)})
        assert again.status_code == 409 and 'class="notice notice-error"' in again.text


async def test_non_moderators_see_no_controls_and_are_refused(client, api, browser, make_user):
    await new_space(client, api)
    session = await new_session(client, api)
    page = f"/sessions/{session['id']}"
    async with browser(await make_user()) as http:
        shown = (await http.get(page)).text
        assert "Moderator controls" not in shown
        assert not [f for f in forms_on(shown) if f["action"].startswith(page)]
        assert "/edit" not in shown
        token = await csrf_from(http, page)
        refused = await http.post(f"{page}/close", data={"csrf_token": token})
        question = await http.post(f"{page}/questions", data={"csrf_token": token, "text": "Mine?"})
    assert refused.status_code == 403 and question.status_code == 403
    assert "Only this session" in refused.text
    assert (await client.get(f"/api/v1{page}", headers=api)).json()["state"] == "open"
    async with browser() as anonymous:
        token = await csrf_from(anonymous, page)
        response = await anonymous.post(f"{page}/close", data={"csrf_token": token})
    assert response.status_code == 401 and "Sign in" in response.text


async def test_forms_without_the_csrf_token_are_refused(client, api, browser, make_user):
    await new_space(client, api)
    moderator = await make_user()
    session = await new_session(client, api, moderator_ids=[moderator.id])
    async with browser(moderator) as http:
        response = await http.post(f"/sessions/{session['id']}/close", data={})
    # The session's own moderator: refused for the missing token, not for who they are.
    assert response.status_code == 403 and "did not come from this site" in response.text
    assert (await client.get(f"/api/v1/sessions/{session['id']}", headers=api)).json()[
        "state"
    ] == "open"


# --- setting up -----------------------------------------------------------------------


async def test_secretariat_creates_a_space_and_a_session_through_the_forms(
    client, api, browser, secretariat, make_user, add_member
):
    moderator = await make_user(email="moderator@example.org", display_name="Moderator")
    async with browser(secretariat) as http:
        bad = await submit(http, "/spaces/new", "/spaces/new", slug="Bad Slug", title="Forum")
        assert bad.status_code == 422
        assert 'id="field-slug-error"' in bad.text and 'value="Bad Slug"' in bad.text

        made = await submit(
            http,
            "/spaces/new",
            "/spaces/new",
            slug="liaison",
            title="Liaison Group",
            description="Experts *only*.",
            visibility="members",
            guest_posting="on",
        )
        assert made.status_code == 303
        assert made.headers["location"] == "/spaces/liaison?notice=space_created"
        shown = (await http.get(made.headers["location"])).text
        assert "The space is created." in shown and "badge-restricted" in shown
        assert "<em>only</em>" in shown

        taken = await submit(http, "/spaces/new", "/spaces/new", slug="liaison", title="Again")
        assert taken.status_code == 409 and "slug exists" in taken.text

        form, action = "/spaces/liaison/sessions/new", "/spaces/liaison/sessions/new"
        assert "(UTC)" in (await http.get(form)).text
        unknown = await submit(
            http, form, action, title="Session 1", moderators="nobody@example.org"
        )
        assert unknown.status_code == 422
        assert "nobody@example.org" in text_of(unknown.text)
        assert 'id="field-moderators-error"' in unknown.text

        backwards = await submit(
            http,
            form,
            action,
            title="Session 1",
            opens_at="2030-03-15T09:00",
            closes_at="2030-03-01T09:00",
        )
        assert backwards.status_code == 422

        # In a members space, moderators are chosen among its members.
        outsider = await submit(
            http, form, action, title="Session 1", moderators="moderator@example.org"
        )
        assert outsider.status_code == 422
        assert "Moderator is not a member of this space" in text_of(outsider.text)
        assert 'id="field-moderators-error"' in outsider.text
        await add_member("liaison", moderator.id)

        created = await submit(
            http,
            form,
            action,
            title="Session 1: capacity needs",
            description="Please be *brief*.",
            opens_at="2030-03-01T09:00",
            closes_at="2030-03-15T17:00",
            moderators="Moderator@Example.org\n",
            questions="What has worked?\n\nWhat should change?\n",
            participant_topics="on",
            posting="members",
        )
        assert created.status_code == 303, created.text
        location = created.headers["location"]
        assert re.fullmatch(r"/sessions/\d+\?notice=session_created", location)
        shown = (await http.get(location)).text
        assert "The session is created." in shown
        assert "Scheduled — opens Mar 1, 2030, 9:00:00 AM UTC" in text_of(shown)

        draft = await submit(http, form, action, title="Later")
        assert draft.status_code == 303

    detail = (await client.get(f"/api/v1{location.split('?')[0]}", headers=api)).json()
    assert detail["opens_at"] == "2030-03-01T09:00:00+00:00"
    assert detail["closes_at"] == "2030-03-15T17:00:00+00:00"
    assert [m["id"] for m in detail["moderators"]] == [moderator.id]
    assert [q["text"] for q in detail["questions"]] == ["What has worked?", "What should change?"]
    assert detail["participant_topics"] is True and detail["posting"] == "members"
    space = (await client.get("/api/v1/spaces/liaison", headers=api)).json()
    assert space["visibility"] == "members" and space["guest_posting"] is True
    assert [s["state"] for s in space["sessions"]] == ["scheduled", "draft"]


async def test_only_the_secretariat_gets_the_new_space_form(client, api, browser, make_user):
    await new_space(client, api)
    async with browser() as anonymous:
        response = await anonymous.get("/spaces/new")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    async with browser(await make_user()) as http:
        assert (await http.get("/spaces/new")).status_code == 403
        assert (await http.get("/spaces/forum/sessions/new")).status_code == 403
        token = await csrf_from(http, "/")
        refused = await http.post(
            "/spaces/new", data={"csrf_token": token, "slug": "x", "title": "X"}
        )
        assert refused.status_code == 403


# --- safety ---------------------------------------------------------------------------


async def test_user_text_comes_out_escaped(client, api, browser, make_user):
    payload = '<script>alert("x")</script>'
    await new_space(client, api, "forum", title=f"Forum {payload}")
    session = await new_session(client, api, title=f"Session {payload}", questions=[payload])
    author = await make_user(display_name=f"Eve {payload}", organization=f"Org {payload}")
    thread_id = session["questions"][0]["thread_id"]
    headers = bearer(await token_for(client, author))
    body = {"body": f"Hello {payload} <img src=x onerror=alert(1)>"}
    assert (
        await client.post(f"/api/v1/threads/{thread_id}/posts", json=body, headers=headers)
    ).status_code == 201
    async with browser(author) as http:
        for path in ("/", "/spaces/forum", f"/sessions/{session['id']}", f"/threads/{thread_id}"):
            page = (await http.get(path)).text
            assert "<script>" not in page, path
            assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", ""), path
            assert "&lt;script&gt;" in page, path


async def test_a_members_space_is_not_found_by_outsiders(
    client, api, browser, make_user, add_member
):
    await new_space(client, api, "liaison", title="Liaison Group", visibility="members")
    session = await new_session(client, api, "liaison")
    thread_id = session["questions"][0]["thread_id"]
    question_id = session["questions"][0]["id"]
    paths = [
        "/spaces/liaison",
        "/spaces/liaison/sessions/new",
        f"/sessions/{session['id']}",
        f"/threads/{thread_id}",
    ]
    # Managers' and moderators' forms ask anonymous callers to sign in first, before
    # anything is looked up: the answer says nothing of the space either way.
    manager_only = {
        "/spaces/liaison/sessions/new",
        f"/sessions/{session['id']}/close",
        f"/questions/{question_id}/edit",
    }
    outsider, member = await make_user(), await make_user()
    await add_member("liaison", member.id)
    for user in (None, outsider):
        async with browser(user) as http:
            for path in paths:
                response = await http.get(path)
                if user is None and path in manager_only:
                    assert response.status_code == 303, path
                    assert response.headers["location"].startswith("/login"), path
                else:
                    assert response.status_code == 404, (user, path)
                assert "Liaison Group" not in response.text
            token = await csrf_from(http, "/")
            for path, data in [
                (f"/threads/{thread_id}/posts", {"body": "Let me in"}),
                (f"/sessions/{session['id']}/close", {}),
                (f"/questions/{question_id}/edit", {"text": "Mine now?"}),
            ]:
                response = await http.post(path, data={**data, "csrf_token": token})
                expected = 401 if user is None and path in manager_only else 404
                assert response.status_code == expected, (user, path)
                assert "Liaison Group" not in response.text
            assert "/spaces/liaison" not in (await http.get("/")).text
    async with browser(member) as http:
        for path in paths[:1] + paths[2:]:
            assert (await http.get(path)).status_code == 200, path
        assert 'href="/spaces/liaison"' in (await http.get("/")).text
        posted = await contribute(http, f"/threads/{thread_id}", body="Hi")
        assert posted.status_code == 303
