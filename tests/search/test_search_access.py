"""A search finds what the reader may read and nothing else: a members-only workspace
full of words found nowhere else stays invisible to everyone outside it, whatever they
search for and however they page; the same words in a public forum are found."""

from __future__ import annotations

import pytest

from tests.search.conftest import (
    CANARY_AUTHOR,
    CANARY_BODY,
    CANARY_WORDS,
    Forum,
    api_search,
    headers_for,
)

OUTSIDERS = ["guest", "outsider", "removed", "other_mod"]
INSIDERS = ["member", "suspended", "ws_mod", "session_mod", "sec"]

# (q, filters): every way of asking for the workspace's texts.
PROBES: list[tuple[str, dict[str, str]]] = [
    *((word, {}) for word in CANARY_WORDS),
    ("ZORBLAXITE", {}),
    ('"zorblaxite assessment"', {}),
    ('"quendrilith protocol"', {}),
    ("zorbla*", {}),
    ("quendri*", {}),
    ("mavro*", {}),
    ("nothingatall OR zorblaxite", {}),
    ("zorblaxite -biosafety", {}),
    ("oversight", {}),  # the session's title and its question
    ("working paper", {}),  # the topic's title
    ("confidential findings", {}),
    ("", {"by": CANARY_AUTHOR}),
    ("", {"by": "Xanthippe"}),
    ("", {"in": "workspace"}),
    ("", {"question": "1"}),
    ("", {"after": "2000-01-01"}),
    ("in:workspace", {}),
    ('by:"Xanthippe Vorloq"', {}),
]


def _places(hits) -> set[str]:
    return {hit.space_slug for hit in hits}


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_outsiders_find_nothing_of_a_workspace(forum: Forum, who: str) -> None:
    probes = [*PROBES, ("", {"in": str(forum.members.session_id)})]
    for q, fields in probes:
        for order in ("newest", "relevance"):
            hits = await forum.find(who, q, order=order, **fields)
            assert "workspace" not in _places(hits), (who, q, fields, order)
            assert not any(CANARY_WORDS[0] in seg.text.lower() for h in hits for seg in h.snippet)


@pytest.mark.parametrize("who", INSIDERS)
async def test_readers_of_the_workspace_find_it(forum: Forum, who: str) -> None:
    for word in CANARY_WORDS:
        hits = await forum.find(who, word)
        assert _places(hits) == {"workspace"}, (who, word)
    kinds = {h.kind for h in await forum.find(who, "quendrilith")}
    assert kinds == {"post", "topic", "session"}
    assert {h.kind for h in await forum.find(who, "oversight")} == {"question", "session"}
    by_author = await forum.find(who, "", by="xanthippe")
    assert {h.kind for h in by_author} == {"post", "topic"}
    assert [h.author for h in await forum.find(who, '"zorblaxite assessment"')] == [CANARY_AUTHOR]


async def test_the_same_words_in_a_public_forum_are_found_by_everyone(forum: Forum) -> None:
    await forum.post("writer", forum.public, CANARY_BODY)
    for who in OUTSIDERS:
        for word in CANARY_WORDS:
            hits = await forum.find(who, word)
            assert _places(hits) == {"open-forum"}, (who, word)
    for who in INSIDERS:
        assert _places(await forum.find(who, "zorblaxite")) == {"open-forum", "workspace"}


@pytest.mark.parametrize("who", ["guest", "removed", "other_mod"])
async def test_the_api_and_its_pages_tell_outsiders_nothing(client, forum: Forum, who: str) -> None:
    headers = await headers_for(client, forum, who)
    for q, fields in PROBES:
        items = await api_search(client, headers, q=q, **fields)
        assert all(item["space"]["slug"] != "workspace" for item in items), (q, fields)
    # One page with one result, and no next page: the limit hides no workspace hit.
    response = await client.get(
        "/api/v1/search", params={"q": "zorblaxite", "limit": "1"}, headers=headers
    )
    assert response.json() == {"items": [], "next": None}


async def test_members_page_through_everything_they_may_find(client, forum: Forum) -> None:
    headers = await headers_for(client, forum, "suspended")
    items = await api_search(client, headers, q="quendrilith OR zorblaxite OR mavrotekton")
    kinds = sorted(item["kind"] for item in items)
    assert kinds == ["post", "post", "question", "session", "topic"]  # the topic's post too
    assert len({(item["kind"], item["id"]) for item in items}) == len(items)
