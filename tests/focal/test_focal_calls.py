"""A notification can point at a call for submissions: the link makes a focal point
without an account theirs, joins the space, designates them to submit for their
country and lands on the call; a country has responded once it has submitted, and
reminders go to the others."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.calls.conftest import call_body, close_call
from tests.conftest import MakeUser
from tests.focal.helpers import fill_register, link_in, sent_mail
from tests.focal.test_focal_notifications import _follow_in
from tests.helpers import bearer, client_for, csrf_from, sign_in, token_for


async def test_a_focal_point_answers_a_call_for_their_country_through_the_link(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, make_space
) -> None:
    staff = await make_user(is_secretariat=True)
    secretariat = bearer(await token_for(client, staff))
    await fill_register(client, secretariat)
    slug = await make_space(slug="liaison-group", visibility="members")
    opened = await client.post(
        f"/api/v1/spaces/{slug}/calls", json=call_body(), headers=secretariat
    )
    call = opened.json()
    offered = f'value="call:{call["id"]}"'
    async with client_for(app) as office:
        await sign_in(office, staff)
        assert offered in (await office.get("/focal-notifications")).text
    sent = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": "Call for views",
            "body": "Please submit your country's views.",
            "regions": ["africa"],
            "target_kind": "call",
            "target_id": call["id"],
        },
        headers=secretariat,
    )
    assert sent.status_code == 201, sent.text
    notification = sent.json()
    assert notification["waiting_countries"] == ["KE", "NG"]
    link = link_in((await sent_mail(app))["okafor@biosafety.gov.ng"][-1])

    async with client_for(app) as browser:
        page = await browser.get(link)
        assert "Continue to the call" in page.text and call["title"] in page.text
        done = await _follow_in(browser, link)
        assert done.status_code == 303 and done.headers["location"] == f"/calls/{call['id']}"
        assert (await browser.get(done.headers["location"])).status_code == 200
        csrf = await csrf_from(browser, f"/calls/{call['id']}")
        submitted = await browser.post(
            f"/calls/{call['id']}/submissions",
            data={"csrf_token": csrf, "text": "Nigeria's views on capacity-building."},
        )
        assert submitted.status_code == 303, submitted.text
    listed = await client.get(f"/api/v1/calls/{call['id']}/submissions", headers=secretariat)
    assert [s["submitter"] for s in listed.json()["items"]] == ["NG"]

    path = f"/api/v1/focal-notifications/{notification['id']}"
    detail = (await client.get(path, headers=secretariat)).json()
    assert detail["responded_countries"] == ["NG"] and detail["waiting_countries"] == ["KE"]
    reminded = await client.post(path + "/reminders", headers=secretariat)
    assert reminded.json() == {"sent": 1}
    mail = await sent_mail(app)
    assert any("Reminder" in m for m in mail["kamau@env.go.ke"])
    assert not any("Reminder" in m for m in mail["okafor@biosafety.gov.ng"])

    # A call whose deadline has passed is not offered, and is refused if named.
    await close_call(client, call, secretariat)
    late = await client.post(
        "/api/v1/focal-notifications",
        json={"subject": "S", "body": "B", "target_kind": "call", "target_id": call["id"]},
        headers=secretariat,
    )
    assert late.status_code == 422 and late.json()["error"]["field"] == "target_id"
    async with client_for(app) as office:
        await sign_in(office, staff)
        form = await office.get("/focal-notifications")
        assert form.status_code == 200 and offered not in form.text
