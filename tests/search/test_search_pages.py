"""The search in the browser: a box in every page's header and on session pages, a
results page that works without JavaScript and pages by a link, snippets whose
matches are marked and whose text is escaped, in the reader's language."""

from __future__ import annotations

import re
from html import unescape

import httpx

from forum_server.moderation import posts as moderation
from tests.helpers import sign_in
from tests.search.conftest import CANARY_BODY, Forum, place_of

HEADER_BOX = re.compile(r'<form class="site-search" role="search" method="get" action="/search"')


def _results(page: str) -> list[str]:
    """Each result's text, tags left out."""
    found = re.findall(
        r'<li class="card">(.*?)</li>', page.split('class="search-results"', 1)[-1], re.S
    )
    return (
        [unescape(re.sub(r"<[^>]+>", "", item)) for item in found]
        if "search-results" in page
        else []
    )


async def test_every_page_has_a_search_box(client: httpx.AsyncClient, forum: Forum) -> None:
    for path in (
        "/",
        "/login",
        f"/spaces/{forum.public.slug}",
        f"/sessions/{forum.public.session_id}",
        f"/threads/{forum.public.thread_id}",
        "/search",
        "/no-such-page",
    ):
        page = await client.get(path)
        assert HEADER_BOX.search(page.text), path
        assert '<label class="visually-hidden" for="site-search">' in page.text


async def test_results_mark_the_words_and_escape_the_text(
    client: httpx.AsyncClient, forum: Forum
) -> None:
    await forum.post(
        "writer", forum.public, "A <script>alert('biosafety')</script> and <b>biosafety</b> note."
    )
    page = await client.get("/search", params={"q": "biosafety"})
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<b>biosafety" not in page.text
    assert "&lt;script&gt;alert(&#39;<mark>biosafety</mark>&#39;)&lt;/script&gt;" in page.text
    assert f'href="/threads/{forum.public.thread_id}#post-' in page.text
    texts = _results(page.text)
    assert len(texts) == 2 and all("Public Writer" in t for t in texts)
    # The search stays in the header's box and the page's own.
    assert page.text.count('value="biosafety"') == 2


async def test_results_come_a_page_at_a_time(client: httpx.AsyncClient, forum: Forum) -> None:
    for n in range(24):
        await forum.post("writer", forum.public, f"Inventory item {n} of the frambulator.")
    page = await client.get("/search", params={"q": "frambulator", "order": "newest"})
    first = _results(page.text)
    assert len(first) == 20 and "item 23" in first[0]
    following = re.search(r'<a class="button-secondary" href="([^"]+)" rel="next">', page.text)
    assert following is not None
    second_page = await client.get(unescape(following.group(1)))
    second = _results(second_page.text)
    assert [t for t in second if "item" in t] and len(second) == 4
    assert 'rel="next"' not in second_page.text
    assert not set(first) & set(second)


async def test_the_session_page_searches_that_session(
    client: httpx.AsyncClient, forum: Forum, make_session
) -> None:
    await forum.post("writer", forum.public, CANARY_BODY)
    second = await place_of(forum.db, forum.public.slug, await make_session(forum.public.slug))
    await forum.post("writer", second, CANARY_BODY)  # another session: not searched
    session_page = await client.get(f"/sessions/{forum.public.session_id}")
    form = re.search(
        r'<form class="inline-form session-search" role="search".*?</form>', session_page.text, re.S
    )
    assert form is not None
    assert f'<input type="hidden" name="in" value="{forum.public.session_id}">' in form.group(0)
    page = await client.get(
        "/search", params={"in": str(forum.public.session_id), "q": "zorblaxite"}
    )
    assert len(_results(page.text)) == 1
    everywhere = await client.get("/search", params={"q": "zorblaxite"})
    assert len(_results(everywhere.text)) == 2


async def test_moderators_see_what_they_found_marked(
    client: httpx.AsyncClient, forum: Forum, browser
) -> None:
    post_id = await forum.post("writer", forum.public, "The wobbleton plan.")
    await moderation.hide_post(forum.db, forum.actor("public_mod"), post_id, "Off topic.")
    async with browser(forum.users["public_mod"]) as moderator:
        page = await moderator.get("/search", params={"q": "wobbleton"})
    assert '<span class="badge badge-hidden">Hidden</span>' in page.text
    page = await client.get("/search", params={"q": "wobbleton"})
    assert "Nothing found" in page.text and "<mark>" not in page.text


async def test_members_search_their_workspace_in_the_browser(forum: Forum, browser) -> None:
    async with browser(forum.users["suspended"]) as member:
        page = await member.get("/search", params={"q": "quendrilith"})
    texts = _results(page.text)
    assert len(texts) == 3 and all("Quendrilith oversight session" in t for t in texts)
    async with browser(forum.users["removed"]) as removed:
        page = await removed.get("/search", params={"q": "quendrilith"})
    assert "Quendrilith oversight" not in page.text and "Nothing found" in page.text


async def test_the_search_page_in_french_and_arabic(
    client: httpx.AsyncClient, forum: Forum
) -> None:
    french = await client.get(
        "/search", params={"q": "biosafety"}, headers={"Accept-Language": "fr"}
    )
    assert '<html lang="fr" dir="ltr">' in french.text
    assert '<h1 id="search-heading">Rechercher</h1>' in french.text and "Résultats" in french.text
    refused = await client.get(
        "/search", params={"q": "x" * 201}, headers={"Accept-Language": "fr"}
    )
    assert refused.status_code == 422
    assert "La recherche est trop longue : 200 caractères au plus." in unescape(refused.text)
    arabic = await client.get("/search", params={"q": "lang:xx"}, headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert '<h1 id="search-heading">بحث</h1>' in arabic.text
    api = await client.get("/api/v1/search", params={"q": "-x"}, headers={"Accept-Language": "fr"})
    assert api.json()["error"]["message"].startswith("Ajoutez un mot à rechercher")


async def test_the_search_page_works_for_anyone_signed_in_or_not(
    client: httpx.AsyncClient, forum: Forum
) -> None:
    empty = await client.get("/search")
    assert empty.status_code == 200 and "Results" not in empty.text
    none = await client.get("/search", params={"q": "nonexistentword"})
    assert "Nothing found" in none.text
    async with httpx.AsyncClient(
        transport=client._transport, base_url=str(client.base_url)
    ) as other:
        await sign_in(other, forum.users["writer"])
        page = await other.get("/search", params={"q": "frameworks"})
    assert len(_results(page.text)) == 1
