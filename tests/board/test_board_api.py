"""Posting, suggesting, reviewing, filtering and matching notices through the API, and
the common format's checks field by field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.board.conftest import NEED, PROJECT


async def test_editors_post_and_everyone_in_the_space_reads(
    client: httpx.AsyncClient, board: dict
) -> None:
    listing = await client.get(
        f"/api/v1/spaces/{board['slug']}/board", headers=board["tokens"]["member"]
    )
    assert listing.status_code == 200
    titles = [n["title"] for n in listing.json()["items"]]
    assert titles == [PROJECT["title"], NEED["title"]]
    need = board["need"]
    assert need["review"] == "published" and need["countries"] == ["BR"]
    assert need["may_edit"] is True and need["may_review"] is True


async def test_a_members_suggestion_is_held_until_an_editor_approves_it(
    client: httpx.AsyncClient, board: dict
) -> None:
    path = f"/api/v1/spaces/{board['slug']}/board"
    member, editor = board["tokens"]["member"], board["tokens"]["editor"]
    suggested = await client.post(path, json={**NEED, "title": "Seed bank support"}, headers=member)
    assert suggested.status_code == 201, suggested.text
    notice = suggested.json()
    assert notice["review"] == "pending"
    # Not listed for anyone yet; the author and the editors see it.
    listed = await client.get(path, headers=editor)
    assert "Seed bank support" not in [n["title"] for n in listed.json()["items"]]
    queue = await client.get(f"{path}/suggestions", headers=editor)
    assert [n["title"] for n in queue.json()["items"]] == ["Seed bank support"]
    owner_view = await client.get(f"/api/v1/notices/{notice['id']}", headers=member)
    assert owner_view.status_code == 200
    # A member may not approve, nor pin.
    refused = await client.post(
        f"/api/v1/notices/{notice['id']}/review", json={"decision": "approve"}, headers=member
    )
    assert refused.status_code == 403
    pinned = await client.post(path, json={**NEED, "pinned": True}, headers=member)
    assert pinned.status_code == 403
    approved = await client.post(
        f"/api/v1/notices/{notice['id']}/review", json={"decision": "approve"}, headers=editor
    )
    assert approved.status_code == 200 and approved.json()["review"] == "published"
    listed = await client.get(path, headers=member)
    assert "Seed bank support" in [n["title"] for n in listed.json()["items"]]
    again = await client.post(
        f"/api/v1/notices/{notice['id']}/review", json={"decision": "reject"}, headers=editor
    )
    assert again.status_code == 409


async def test_a_removed_editor_loses_the_right_at_once(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug, owner = board["slug"], board["tokens"]["owner"]
    editor_id = board["users"]["editor"].id
    editors = await client.get(f"/api/v1/spaces/{slug}/board/editors", headers=owner)
    assert [e["user_id"] for e in editors.json()["items"]] == [editor_id]
    gone = await client.delete(f"/api/v1/spaces/{slug}/board/editors/{editor_id}", headers=owner)
    assert gone.status_code == 204
    posted = await client.post(
        f"/api/v1/spaces/{slug}/board", json=NEED, headers=board["tokens"]["editor"]
    )
    assert posted.json()["review"] == "pending"
    # Only owners and the secretariat name editors, and only members can be named.
    refused = await client.post(
        f"/api/v1/spaces/{slug}/board/editors",
        json={"user_id": editor_id},
        headers=board["tokens"]["editor"],
    )
    assert refused.status_code == 403
    outsider = await client.post(
        f"/api/v1/spaces/{slug}/board/editors",
        json={"user_id": board["users"]["outsider"].id},
        headers=owner,
    )
    assert outsider.status_code == 422 and outsider.json()["error"]["field"] == "user_id"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2026-05-01", "end_date": "2026-04-30"}, "end_date"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": 20260501}, "start_date"),
        ({"countries": ["BR", "XX"]}, "countries"),
        ({"countries": "BR"}, "countries"),
        ({"region": "europe"}, "region"),
        ({"title": "x" * 201}, "title"),
        ({"title": ""}, "title"),
        ({"summary": "x" * 4001}, "summary"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "ftp://example.org/file"}, "link"),
        ({"amount": -1, "currency": "USD"}, "amount"),
        ({"amount": "100", "currency": "USD"}, "amount"),
        ({"amount": 100}, "currency"),
        ({"amount": 100, "currency": "ABC"}, "currency"),
        ({"kind": "opportunity"}, "category"),
        ({"category": "training"}, "category"),
        ({"status": "finished"}, "status"),
        ({"language": "de"}, "language"),
        ({"pinned": "yes"}, "pinned"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_each_field_is_checked(
    client: httpx.AsyncClient, board: dict, change: dict[str, Any], field: str
) -> None:
    response = await client.post(
        f"/api/v1/spaces/{board['slug']}/board",
        json={**NEED, **change},
        headers=board["tokens"]["editor"],
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["field"] == field


async def test_filters_by_every_field(client: httpx.AsyncClient, board: dict) -> None:
    path, headers = f"/api/v1/spaces/{board['slug']}/board", board["tokens"]["member"]

    async def titles(**params: str) -> list[str]:
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [n["title"] for n in response.json()["items"]]

    need, project = NEED["title"], PROJECT["title"]
    assert await titles(kind="need") == [need]
    assert await titles(country="br") == [need]
    # A region filter finds notices naming the region or one of its countries.
    assert await titles(region="grulac") == [project, need]
    assert await titles(region="africa") == []
    assert await titles(status="ongoing") == [project]
    assert await titles(language="fr") == []
    assert await titles(start="2026-10-01") == [project]  # the need ends in September
    assert await titles(end="2026-02-01") == [project]
    bad = await client.get(path, params={"country": "ZZ"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "country"
    bad = await client.get(path, params={"start": "soon"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "start"


async def test_expired_notices_leave_the_default_list(
    client: httpx.AsyncClient, board: dict
) -> None:
    path, editor = f"/api/v1/spaces/{board['slug']}/board", board["tokens"]["editor"]
    old = await client.post(
        path, json={**NEED, "title": "Call of 2020", "expires_on": "2020-12-31"}, headers=editor
    )
    assert old.json()["expired"] is True
    default = await client.get(path, headers=editor)
    assert "Call of 2020" not in [n["title"] for n in default.json()["items"]]
    only = await client.get(path, params={"expired": "only"}, headers=editor)
    assert [n["title"] for n in only.json()["items"]] == ["Call of 2020"]


async def test_pinned_notices_come_first(client: httpx.AsyncClient, board: dict) -> None:
    editor = board["tokens"]["editor"]
    pinned = await client.put(
        f"/api/v1/notices/{board['need']['id']}/pin", json={"pinned": True}, headers=editor
    )
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    listing = await client.get(f"/api/v1/spaces/{board['slug']}/board", headers=editor)
    assert listing.json()["items"][0]["title"] == NEED["title"]


async def test_a_need_is_matched_with_projects_of_its_region(
    client: httpx.AsyncClient, board: dict
) -> None:
    path, editor = f"/api/v1/spaces/{board['slug']}/board", board["tokens"]["editor"]
    elsewhere = {**PROJECT, "title": "Pacific islands training", "region": "", "countries": ["FJ"]}
    assert (await client.post(path, json=elsewhere, headers=editor)).status_code == 201
    found = await client.get(f"/api/v1/notices/{board['need']['id']}/matches", headers=editor)
    assert [n["title"] for n in found.json()["items"]] == [PROJECT["title"]]


async def test_editing_and_removing(client: httpx.AsyncClient, board: dict) -> None:
    notice_id, editor = board["need"]["id"], board["tokens"]["editor"]
    member = board["tokens"]["member"]
    changed = await client.put(
        f"/api/v1/notices/{notice_id}", json={**NEED, "status": "closed"}, headers=editor
    )
    assert changed.status_code == 200 and changed.json()["status"] == "closed"
    refused = await client.put(f"/api/v1/notices/{notice_id}", json=NEED, headers=member)
    assert refused.status_code == 403
    assert (await client.delete(f"/api/v1/notices/{notice_id}", headers=editor)).status_code == 204
    assert (await client.get(f"/api/v1/notices/{notice_id}", headers=editor)).status_code == 404


async def test_leaving_the_space_ends_the_naming(
    client: httpx.AsyncClient, board: dict, add_member
) -> None:
    slug, owner = board["slug"], board["tokens"]["owner"]
    editor = board["users"]["editor"]
    left = await client.delete(f"/api/v1/spaces/{slug}/members/{editor.id}", headers=owner)
    assert left.status_code in {200, 204}
    await add_member(slug, editor.id)
    editors = await client.get(f"/api/v1/spaces/{slug}/board/editors", headers=owner)
    assert editors.json()["items"] == []
    posted = await client.post(
        f"/api/v1/spaces/{slug}/board", json=NEED, headers=board["tokens"]["editor"]
    )
    assert posted.json()["review"] == "pending"


async def test_in_a_public_space_anyone_signed_in_suggests_and_guests_read(
    client: httpx.AsyncClient, board: dict, make_space
) -> None:
    slug = await make_space(slug="open-forum", visibility="public")
    outsider = board["tokens"]["outsider"]
    suggested = await client.post(f"/api/v1/spaces/{slug}/board", json=NEED, headers=outsider)
    assert suggested.status_code == 201 and suggested.json()["review"] == "pending"
    guest = await client.post(f"/api/v1/spaces/{slug}/board", json=NEED)
    assert guest.status_code == 401
    listing = await client.get(f"/api/v1/spaces/{slug}/board")
    assert listing.status_code == 200 and listing.json()["items"] == []
    held = await client.get(f"/api/v1/notices/{suggested.json()['id']}")
    assert held.status_code == 404
