"""The board's pages without JavaScript: filter, post with the form (errors shown by
their fields, what was typed kept), suggest, review, pin and remove."""

from __future__ import annotations

import httpx

from forum_server.board.pages import PAGE_SIZE
from tests.board.conftest import NEED
from tests.helpers import csrf_from, sign_in

FORM = {
    "kind": "opportunity",
    "category": "fellowship",
    "title": "Fellowships in marine taxonomy",
    "summary": "Six months at a partner institute.",
    "countries": "br, ar CL",
    "region": "",
    "organization": "Partner institute",
    "start_date": "2026-06-01",
    "end_date": "2026-12-01",
    "expires_on": "",
    "funding": "Partner institute",
    "amount": "12 000",
    "currency": "eur",
    "contact": "fellowships@example.org",
    "link": "https://example.org/fellowships",
    "status": "open",
    "language": "en",
}


async def test_an_editor_posts_with_the_form(client: httpx.AsyncClient, board: dict) -> None:
    slug = board["slug"]
    await sign_in(client, board["users"]["editor"])
    token = await csrf_from(client, f"/spaces/{slug}/board/new")
    wrong = {**FORM, "end_date": "2026-05-01", "countries": "BR QQ", "csrf_token": token}
    refused = await client.post(f"/spaces/{slug}/board", data=wrong)
    assert refused.status_code == 422
    assert 'id="field-end_date-error"' in refused.text
    assert 'id="field-countries-error"' in refused.text
    assert "Fellowships in marine taxonomy" in refused.text  # what was typed is kept
    posted = await client.post(f"/spaces/{slug}/board", data={**FORM, "csrf_token": token})
    assert posted.status_code == 303, posted.text
    page = await client.get(posted.headers["location"])
    assert "Fellowships in marine taxonomy" in page.text
    assert "12,000 EUR" in page.text
    assert 'role="status"' not in page.text  # no flash message on a plain visit
    listing = await client.get(f"/spaces/{slug}/board", params={"country": "CL"})
    assert "Fellowships in marine taxonomy" in listing.text
    assert NEED["title"] not in listing.text
    expected = "Projects and opportunities for the same countries or region"
    need_page = await client.get(f"/notices/{board['need']['id']}")
    assert expected in need_page.text
    assert "Fellowships in marine taxonomy" in need_page.text  # Brazil: a match


async def test_a_member_suggests_and_an_editor_approves(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug = board["slug"]
    await sign_in(client, board["users"]["member"])
    token = await csrf_from(client, f"/spaces/{slug}/board/new")
    posted = await client.post(f"/spaces/{slug}/board", data={**FORM, "csrf_token": token})
    assert posted.status_code == 303
    notice_path = posted.headers["location"]
    assert "Fellowships" not in (await client.get(f"/spaces/{slug}/board")).text
    client.cookies.clear()
    await sign_in(client, board["users"]["editor"])
    queue = await client.get(f"/spaces/{slug}/board/suggestions")
    assert "Fellowships in marine taxonomy" in queue.text
    token = await csrf_from(client, f"/spaces/{slug}/board/suggestions")
    approved = await client.post(
        f"{notice_path}/review",
        data={"decision": "approve", "back": "suggestions", "csrf_token": token},
    )
    assert approved.status_code == 303
    assert approved.headers["location"] == f"/spaces/{slug}/board/suggestions"
    assert "Fellowships in marine taxonomy" in (await client.get(f"/spaces/{slug}/board")).text
    pinned = await client.post(f"{notice_path}/pin", data={"csrf_token": token})
    assert pinned.status_code == 303
    removed = await client.post(f"{notice_path}/remove", data={"csrf_token": token})
    assert removed.headers["location"] == f"/spaces/{slug}/board"
    assert (await client.get(notice_path)).status_code == 404


async def test_a_bad_filter_is_told_on_the_page(client: httpx.AsyncClient, board: dict) -> None:
    await sign_in(client, board["users"]["member"])
    page = await client.get(f"/spaces/{board['slug']}/board", params={"start": "2026-13-40"})
    assert page.status_code == 422
    assert NEED["title"] in page.text  # the list is shown unfiltered beneath the message


async def test_the_owner_names_an_editor_on_the_page(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug, member = board["slug"], board["users"]["member"]
    await sign_in(client, board["users"]["owner"])
    page = await client.get(f"/spaces/{slug}/board/editors")
    assert f'value="{member.id}"' in page.text
    token = await csrf_from(client, f"/spaces/{slug}/board/editors")
    named = await client.post(
        f"/spaces/{slug}/board/editors", data={"user_id": str(member.id), "csrf_token": token}
    )
    assert named.status_code == 303
    page = await client.get(f"/spaces/{slug}/board/editors")
    assert f"/board/editors/{member.id}/remove" in page.text
    removed = await client.post(
        f"/spaces/{slug}/board/editors/{member.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 303
    refused = await client.post(
        f"/spaces/{slug}/board/editors", data={"user_id": "nobody", "csrf_token": token}
    )
    assert refused.status_code == 422


async def test_the_list_goes_on_page_by_page(client: httpx.AsyncClient, board: dict) -> None:
    slug, editor = board["slug"], board["tokens"]["editor"]
    for n in range(PAGE_SIZE):
        posted = await client.post(
            f"/api/v1/spaces/{slug}/board", json={**NEED, "title": f"Notice {n}"}, headers=editor
        )
        assert posted.status_code == 201
    first = await client.get(f"/spaces/{slug}/board", params={"kind": "need"}, headers=editor)
    assert "Notice 49" in first.text and NEED["title"] not in first.text
    assert f"kind=need&amp;after={PAGE_SIZE}" in first.text
    second = await client.get(
        f"/spaces/{slug}/board", params={"kind": "need", "after": PAGE_SIZE}, headers=editor
    )
    assert NEED["title"] in second.text and "Notice 49" not in second.text
