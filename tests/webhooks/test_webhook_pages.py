"""The webhook pages work without JavaScript: add, see the log, test, switch off,
remove; a refused address is shown next to its field, and nothing is saved."""

from __future__ import annotations

import re

import httpx

from tests.conftest import MakeUser
from tests.helpers import csrf_from, sign_in
from tests.webhooks.receiver import Receiver


async def test_an_owner_manages_a_space_webhook_from_the_pages(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member, receiver: Receiver
) -> None:
    owner = await make_user()
    slug = await make_space(slug="lg", visibility="members")
    await add_member(slug, owner.id, "owner")
    await sign_in(client, owner)
    space_page = await client.get(f"/spaces/{slug}")
    assert f'href="/spaces/{slug}/webhooks"' in space_page.text

    token = await csrf_from(client, f"/spaces/{slug}/webhooks")
    refused = await client.post(
        f"/spaces/{slug}/webhooks",
        data={"csrf_token": token, "url": "ftp://example.org/", "event_types": "post.published"},
    )
    assert refused.status_code == 422
    assert 'id="field-url-error"' in refused.text
    assert "No webhooks yet" in refused.text

    added = await client.post(
        f"/spaces/{slug}/webhooks",
        data={
            "csrf_token": token,
            "url": receiver.url,
            "description": "Portal",
            "event_types": ["post.published", "session.closed"],
        },
    )
    assert added.status_code == 303
    page_path = added.headers["location"].split("?")[0]
    page = await client.get(page_path)
    assert "whsec_" in page.text and receiver.url in page.text
    assert len(re.findall(r'name="event_types"[^>]* checked', page.text)) == 2

    tested = await client.post(page_path + "/test", data={"csrf_token": token})
    assert tested.status_code == 303
    await receiver.wait_for(1)
    assert receiver.received[0].json["type"] == "ping"

    off = await client.post(page_path + "/active", data={"csrf_token": token, "active": "false"})
    assert off.status_code == 303
    assert "Switch on" in (await client.get(page_path)).text

    gone = await client.post(page_path + "/remove", data={"csrf_token": token})
    assert gone.status_code == 303
    assert (await client.get(page_path)).status_code == 404


async def test_members_and_outsiders_find_no_webhook_pages(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member
) -> None:
    member = await make_user()
    slug = await make_space(slug="lg2", visibility="members")
    await add_member(slug, member.id)
    await sign_in(client, member)
    assert (await client.get(f"/spaces/{slug}/webhooks")).status_code == 403
    assert (await client.get("/webhooks")).status_code == 403
    assert 'href="/spaces/lg2/webhooks"' not in (await client.get(f"/spaces/{slug}")).text
