"""Public submissions are found by search under their space's rule; a restricted one —
or one made restricted — by nobody; the rebuild of the index does the same."""

from __future__ import annotations

import httpx

WORD = "mangroveresilience"


async def _found(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:
    response = await client.get("/api/v1/search", params={"q": WORD}, headers=headers)
    assert response.status_code == 200, response.text
    return [h for h in response.json()["items"] if h["kind"] == "submission"]


async def test_a_public_submission_is_found_by_those_who_see_the_space(
    client: httpx.AsyncClient, calls: dict, db
) -> None:  # type: ignore[no-untyped-def]
    tokens = calls["tokens"]
    sent = await client.post(
        f"/api/v1/calls/{calls['call']['id']}/submissions",
        json={"text": f"On {WORD} of coasts."},
        headers=tokens["brazil"],
    )
    submission = sent.json()
    [hit] = await _found(client, tokens["member"])
    assert hit["url"] == f"/submissions/{submission['id']}"
    page = await client.get("/search", params={"q": WORD}, headers=tokens["member"])
    assert f"/submissions/{submission['id']}" in page.text
    for outsider in ("outsider", "other"):
        assert await _found(client, tokens[outsider]) == []
    assert await _found(client, {}) == []
    # Made restricted: found by nobody, not even its own country.
    await client.put(
        f"/api/v1/submissions/{submission['id']}",
        json={"text": f"On {WORD} of coasts.", "public": False},
        headers=tokens["brazil"],
    )
    for name in ("member", "brazil", "owner"):
        assert await _found(client, tokens[name]) == [], name
    # The rebuild keeps public ones only.
    await client.put(
        f"/api/v1/submissions/{submission['id']}",
        json={"text": f"On {WORD} again.", "public": True},
        headers=tokens["brazil"],
    )
    await client.post(
        f"/api/v1/calls/{calls['call']['id']}/submissions",
        json={"text": f"Restricted {WORD}.", "public": False},
        headers=tokens["argentina"],
    )
    from forum_server.search.rebuild import rebuild

    async with db.write() as uow:
        await (await uow.session.connection()).run_sync(rebuild)
    hits = await _found(client, tokens["owner"])
    assert [h["id"] for h in hits] == [submission["id"]]
