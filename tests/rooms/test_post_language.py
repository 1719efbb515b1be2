"""Every contribution says which of the six languages it is written in: the writer
chooses it on the form (the interface's language unless they pick another) or in the
API, pages mark each body with it and let the reader's browser set the direction, and
a thread can be read in one language."""

from __future__ import annotations

import re
from typing import Any, get_args

import httpx
import pytest

from forum_server.accounts.queries import UserView
from forum_server.db import Database
from forum_server.i18n import CODES
from forum_server.moderation import posts as moderation
from forum_server.rooms.schemas import PostLanguage
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.test_pages import contribute, forms_on, submit, text_of


@pytest.fixture
async def thread(make_space, make_session, client: httpx.AsyncClient) -> dict[str, Any]:
    slug = await make_space(slug="forum")
    session_id = await make_session(slug, participant_topics=True)
    detail = (await client.get(f"/api/v1/sessions/{session_id}")).json()
    thread_id = detail["questions"][0]["thread_id"]
    return {"id": thread_id, "path": f"/threads/{thread_id}", "session_id": session_id}


@pytest.fixture
async def writer(make_user: MakeUser) -> UserView:
    return await make_user(display_name="Amina")


async def api_post(
    client: httpx.AsyncClient, token: str, thread_id: int, **body: Any
) -> httpx.Response:
    headers = {**bearer(token), **body.pop("headers", {})}
    return await client.post(f"/api/v1/threads/{thread_id}/posts", json=body, headers=headers)


def body_tag(page: str, post_id: int) -> str:
    """The opening tag of a post's body on a thread page."""
    found = re.search(rf'id="post-{post_id}".*?(<div class="post-body"[^>]*>)', page, re.S)
    assert found, f"post {post_id} not on the page"
    return found.group(1)


def test_the_post_languages_are_the_six() -> None:
    assert set(get_args(PostLanguage)) == set(CODES)


async def test_the_api_takes_and_answers_a_posts_language(
    client: httpx.AsyncClient, writer: UserView, thread: dict[str, Any]
) -> None:
    token = await token_for(client, writer)
    french = await api_post(client, token, thread["id"], body="Bonjour à tous.", lang="fr")
    assert french.status_code == 201 and french.json()["lang"] == "fr"
    # Without one: the caller's interface language (here, their browser's), else the site's.
    spanish = await api_post(
        client, token, thread["id"], body="Hola.", headers={"Accept-Language": "es-MX,en;q=0.5"}
    )
    assert spanish.json()["lang"] == "es"
    plain = await api_post(client, token, thread["id"], body="Hello.")
    assert plain.json()["lang"] == "en"

    refused = await api_post(client, token, thread["id"], body="Hallo.", lang="de")
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "lang" and "must be one of" in error["message"]
    assert "'fr'" in error["message"] and "'zh'" in error["message"]

    listed = (await client.get(f"/api/v1/threads/{thread['id']}/posts")).json()["items"]
    assert [p["lang"] for p in listed] == ["fr", "es", "en"]

    # Editing may correct the language; leaving it out keeps it.
    post_id = french.json()["id"]
    corrected = await client.patch(
        f"/api/v1/posts/{post_id}", json={"body": "مرحبا.", "lang": "ar"}, headers=bearer(token)
    )
    assert corrected.status_code == 200 and corrected.json()["lang"] == "ar"
    kept = await client.patch(
        f"/api/v1/posts/{post_id}", json={"body": "مرحبا بالجميع."}, headers=bearer(token)
    )
    assert kept.json()["lang"] == "ar"


async def test_the_api_lists_a_threads_posts_in_one_language(
    client: httpx.AsyncClient, writer: UserView, thread: dict[str, Any]
) -> None:
    token = await token_for(client, writer)
    for body, lang in (("One.", "en"), ("Deux.", "fr"), ("Trois.", "fr"), ("Четыре.", "ru")):
        await api_post(client, token, thread["id"], body=body, lang=lang)
    path = f"/api/v1/threads/{thread['id']}/posts"
    french = (await client.get(path, params={"lang": "fr"})).json()
    assert [p["body"] for p in french["items"]] == ["Deux.", "Trois."]
    paged = (await client.get(path, params={"lang": "fr", "limit": 1})).json()
    assert [p["body"] for p in paged["items"]] == ["Deux."] and paged["next"] is not None
    rest = (await client.get(path, params={"lang": "fr", "after": paged["next"]})).json()
    assert [p["body"] for p in rest["items"]] == ["Trois."]
    unknown = await client.get(path, params={"lang": "klingon"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "lang"


async def test_a_topic_started_over_the_api_keeps_its_language(
    client: httpx.AsyncClient, writer: UserView, thread: dict[str, Any]
) -> None:
    token = await token_for(client, writer)
    started = await client.post(
        f"/api/v1/sessions/{thread['session_id']}/threads",
        json={"title": "Центры", "body": "Кто их принимает?", "lang": "ru"},
        headers=bearer(token),
    )
    assert started.status_code == 201, started.text
    assert started.json()["first_post"]["lang"] == "ru"


async def test_the_forms_offer_the_six_languages_with_the_readers_own_chosen(
    browser, writer: UserView, thread: dict[str, Any]
) -> None:
    async with browser(writer) as http:
        await http.post(
            "/language",
            data={"lang": "fr", "next": "/", "csrf_token": await _csrf(http)},
        )
        page = (await http.get(thread["path"])).text
    selects = re.findall(
        r'<select id="((?:field|reply)-[^"]+)" name="lang">(.*?)</select>', page, re.S
    )
    assert [name for name, _ in selects] == ["field-lang"]  # no posts yet: no reply forms
    options = re.findall(r'<option value="(\w+)" lang="\w+"( selected)?>', selects[0][1])
    assert [code for code, _ in options] == ["ar", "zh", "en", "fr", "ru", "es"]
    assert [code for code, chosen in options if chosen] == ["fr"]
    assert "Langue de votre contribution" in text_of(page)


async def _csrf(http: httpx.AsyncClient) -> str:
    page = (await http.get("/")).text
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]


async def test_a_contribution_from_the_page_is_marked_with_its_language(
    browser, client: httpx.AsyncClient, writer: UserView, thread: dict[str, Any]
) -> None:
    async with browser(writer) as http:
        sent = await contribute(http, thread["path"], body="مساهمة بالعربية.", lang="ar")
        assert sent.status_code == 303
        post_id = int(sent.headers["location"].rsplit("-", 1)[1])
        # A reply, left in the interface's language (English here).
        replied = await submit(
            http,
            thread["path"],
            f"{thread['path']}/posts",
            match={"parent_id": str(post_id)},
            body="A reply in English.",
        )
        assert replied.status_code == 303
        page = (await http.get(thread["path"])).text
    assert body_tag(page, post_id) == '<div class="post-body" lang="ar" dir="auto">'
    reply_id = int(replied.headers["location"].rsplit("-", 1)[1])
    assert body_tag(page, reply_id) == '<div class="post-body" lang="en" dir="auto">'
    # The reply form under each post has a language of its own, with a unique id.
    ids = re.findall(r'<select id="((?:field|reply)-[^"]+)" name="lang">', page)
    assert ids == [f"reply-{post_id}-lang", f"reply-{reply_id}-lang", "field-lang"]
    # Posts in another language than the reader's say which it is.
    assert '<span class="meta" lang="ar">العربية</span>' in page
    listed = (await client.get(f"/api/v1/threads/{thread['id']}/posts")).json()["items"]
    assert [p["lang"] for p in listed] == ["ar", "en"]


async def test_a_language_outside_the_six_is_refused_and_the_text_kept(
    browser, writer: UserView, thread: dict[str, Any]
) -> None:
    async with browser(writer) as http:
        refused = await contribute(http, thread["path"], body="Guten Tag.", lang="de")
    assert refused.status_code == 422
    assert "Language of your contribution: Must be one of" in text_of(refused.text)
    assert ">Guten Tag.</textarea>" in refused.text


async def test_a_topic_started_from_the_page_keeps_its_language(
    browser, client: httpx.AsyncClient, writer: UserView, thread: dict[str, Any]
) -> None:
    session = f"/sessions/{thread['session_id']}"
    async with browser(writer) as http:
        started = await submit(
            http,
            session,
            f"{session}/threads",
            title="Centros regionales",
            body="¿Quién los acoge?",
            lang="es",
        )
        assert started.status_code == 303
        topic_id = int(started.headers["location"].rsplit("/", 1)[1])
    posts = (await client.get(f"/api/v1/threads/{topic_id}/posts")).json()["items"]
    assert [p["lang"] for p in posts] == ["es"]


async def test_a_thread_can_be_read_in_one_language(
    browser, client: httpx.AsyncClient, writer: UserView, thread: dict[str, Any]
) -> None:
    token = await token_for(client, writer)
    ids = {}
    for body, lang in (("First, in English.", "en"), ("Ensuite, en français.", "fr")):
        ids[lang] = (await api_post(client, token, thread["id"], body=body, lang=lang)).json()["id"]
    async with browser(writer) as http:
        everything = (await http.get(thread["path"])).text
        french = (await http.get(thread["path"], params={"lang": "fr"})).text
        nonsense = (await http.get(thread["path"], params={"lang": "xx"})).text
    assert f'id="post-{ids["en"]}"' in everything and f'id="post-{ids["fr"]}"' in everything
    # The filter is a plain form: it works without JavaScript.
    filters = [form for form in forms_on(everything) if form["action"] == thread["path"]]
    assert not filters  # a GET form, not one of the POST forms
    assert f'<form class="language-filter" method="get" action="{thread["path"]}">' in everything

    assert f'id="post-{ids["en"]}"' not in french and f'id="post-{ids["fr"]}"' in french
    shown = text_of(french)
    assert "1 contribution in French" in shown
    assert "Only contributions written in French are shown. Show every contribution" in shown
    assert '<option value="fr" lang="fr" selected>' in french
    assert 'data-live-lang="fr"' in french  # live posts in other languages stay off it
    # An unknown language filters nothing.
    assert f'id="post-{ids["en"]}"' in nonsense and "data-live-lang" not in nonsense


async def test_a_hidden_posts_placeholder_is_in_the_readers_language_not_the_posts(
    browser, client: httpx.AsyncClient, db: Database, writer: UserView, thread: dict[str, Any]
) -> None:
    token = await token_for(client, writer)
    post_id = (await api_post(client, token, thread["id"], body="Texte.", lang="fr")).json()["id"]
    await moderation.hide_post(db, SECRETARIAT, post_id, "Hors sujet")
    async with browser() as http:
        page = (await http.get(thread["path"], headers={"Accept-Language": "es"})).text
    assert body_tag(page, post_id) == '<div class="post-body" dir="auto">'
    assert "Un moderador ocultó esta contribución." in text_of(page)
    listed = (await client.get(f"/api/v1/threads/{thread['id']}/posts")).json()["items"]
    assert listed[0]["lang"] == "fr" and listed[0]["body"] == ""
