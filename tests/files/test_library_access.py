"""The canary: a document in a members space is not there — 404 by every route, absent
from every listing — for a guest, a non-member, a removed member and a moderator of
another space; its members and the secretariat get it."""

from __future__ import annotations

import httpx
import pytest

from tests.files.conftest import upload
from tests.files.samples import PDF

OUTSIDERS = ["guest", "outsider", "removed", "other moderator"]


def reads(forum: dict) -> list[str]:
    document = forum["document"]
    file_id = document["versions"][0]["file"]["id"]
    return [
        f"/api/v1/documents/{document['id']}",
        f"/api/v1/files/{file_id}",
        f"/files/{file_id}",
        f"/documents/{document['id']}",
        f"/api/v1/spaces/{forum['slug']}/library",
        f"/spaces/{forum['slug']}/library",
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_the_document_is_not_there_for_those_outside_the_space(
    client: httpx.AsyncClient, forum: dict, who: str
) -> None:
    headers = forum["tokens"].get(who, {})
    for path in reads(forum):
        response = await client.get(path, headers=headers)
        assert response.status_code == 404, (who, path, response.status_code)
        assert "Draft terms" not in response.text
    document_id = forum["document"]["id"]
    for method, path in [
        ("DELETE", f"/api/v1/documents/{document_id}"),
        ("POST", f"/api/v1/documents/{document_id}/versions"),
    ]:
        response = await client.request(method, path, headers=headers)
        assert response.status_code in ({401} if who == "guest" else {404}), (who, path)


async def test_members_read_and_download_it(client: httpx.AsyncClient, forum: dict) -> None:
    headers = forum["tokens"]["owner"]
    listing = await client.get(f"/api/v1/spaces/{forum['slug']}/library", headers=headers)
    assert [d["title"] for d in listing.json()["items"]] == ["Draft terms of reference"]
    file = forum["document"]["versions"][0]["file"]
    got = await client.get(f"/api/v1/files/{file['id']}", headers=headers)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-security-policy"].startswith("sandbox")
    page = await client.get(f"/spaces/{forum['slug']}/library", headers=headers)
    assert "Draft terms of reference" in page.text


async def test_a_member_removed_loses_the_file_at_once(
    client: httpx.AsyncClient, forum: dict, add_member
) -> None:
    member = forum["users"][1]
    file_id = forum["document"]["versions"][0]["file"]["id"]
    headers = forum["tokens"]["member"]
    assert (await client.get(f"/api/v1/files/{file_id}", headers=headers)).status_code == 200
    owner = forum["tokens"]["owner"]
    await client.delete(f"/api/v1/spaces/{forum['slug']}/members/{member.id}", headers=owner)
    assert (await client.get(f"/api/v1/files/{file_id}", headers=headers)).status_code == 404


async def test_who_may_add_follows_the_space_setting(
    client: httpx.AsyncClient, forum: dict
) -> None:
    path = f"/api/v1/spaces/{forum['slug']}/library"
    owner, member = forum["tokens"]["owner"], forum["tokens"]["member"]
    changed = await client.put(
        f"/api/v1/spaces/{forum['slug']}/library-settings",
        json={"adders": "moderators"},
        headers=owner,
    )
    assert changed.json() == {"space": forum["slug"], "adders": "moderators"}
    refused = await upload(client, path, PDF, headers=member, title="Mine", language="fr")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    allowed = await upload(client, path, PDF, headers=owner, title="Ours", language="fr")
    assert allowed.status_code == 201


async def test_removal_by_a_moderator_is_audited_and_hides_the_document(
    client: httpx.AsyncClient, forum: dict
) -> None:
    document_id = forum["document"]["id"]
    owner = forum["tokens"]["owner"]
    removed = await client.delete(f"/api/v1/documents/{document_id}", headers=owner)
    assert removed.status_code == 204
    for path in reads(forum)[:4]:
        assert (await client.get(path, headers=owner)).status_code == 404, path
    audit = await client.get(f"/api/v1/spaces/{forum['slug']}/audit", headers=owner)
    assert "document.removed" in audit.text


async def test_upload_new_version_is_offered_only_to_those_who_may(
    client: httpx.AsyncClient, forum: dict
) -> None:
    from forum_server.i18n import gettext

    document_id = forum["document"]["id"]
    owner, member = forum["tokens"]["owner"], forum["tokens"]["member"]
    offer = gettext("Upload a new version")
    # Members may add in this space: the member is offered it.
    page = await client.get(f"/documents/{document_id}", headers=member)
    assert offer in page.text and f"/documents/{document_id}/versions" in page.text
    await client.put(
        f"/api/v1/spaces/{forum['slug']}/library-settings",
        json={"adders": "moderators"},
        headers=owner,
    )
    for headers, may in ((member, False), (owner, True)):
        page = await client.get(f"/documents/{document_id}", headers=headers)
        assert (offer in page.text) is may
        assert (f"/documents/{document_id}/versions" in page.text) is may
        detail = await client.get(f"/api/v1/documents/{document_id}", headers=headers)
        assert detail.json()["may_add_version"] is may
    refused = await upload(client, f"/api/v1/documents/{document_id}/versions", PDF, headers=member)
    assert refused.status_code == 403
