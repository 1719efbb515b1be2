"""The calls' pages without JavaScript: open a call with the form (errors by their
fields), designate, submit with a document, edit, see the status table, order, remind,
and the 409 page after the deadline."""

from __future__ import annotations

import httpx

from tests.calls.conftest import close_call
from tests.helpers import csrf_from, sign_in

CALL_FORM = {
    "title": "Experiences with risk assessment",
    "text": "Please share your experiences.",
    "to_party": "on",
    "deadline": "2099-03-01T09:00",
    "reminder_days": "7 1",
    "symbol": "CBD/CP/RA/INF/2",
    "distribution": "General",
}


async def test_the_secretariat_opens_a_call_with_the_form(
    client: httpx.AsyncClient, calls: dict
) -> None:
    slug = calls["slug"]
    await sign_in(client, calls["users"]["owner"])
    token = await csrf_from(client, f"/spaces/{slug}/calls/new")
    wrong = {**CALL_FORM, "to_party": "", "deadline": "someday", "reminder_days": "0 x"}
    refused = await client.post(f"/spaces/{slug}/calls", data={**wrong, "csrf_token": token})
    assert refused.status_code == 422
    for field in ("addressed_to", "deadline", "reminder_days"):
        assert f'id="field-{field}-error"' in refused.text, field
    assert "Experiences with risk assessment" in refused.text  # what was typed is kept
    opened = await client.post(f"/spaces/{slug}/calls", data={**CALL_FORM, "csrf_token": token})
    assert opened.status_code == 303, opened.text
    page = await client.get(opened.headers["location"])
    assert "Experiences with risk assessment" in page.text
    assert "Remind those who have not submitted" in page.text
    listing = await client.get(f"/spaces/{slug}/calls")
    assert "Experiences with risk assessment" in listing.text


async def test_a_submitter_submits_with_a_document_and_edits(
    client: httpx.AsyncClient, calls: dict
) -> None:
    call_id = calls["call"]["id"]
    await sign_in(client, calls["users"]["brazil"])
    token = await csrf_from(client, f"/calls/{call_id}")
    empty = await client.post(
        f"/calls/{call_id}/submissions", data={"text": "", "public": "on", "csrf_token": token}
    )
    assert empty.status_code == 422 and 'id="field-text-error"' in empty.text
    sent = await client.post(
        f"/calls/{call_id}/submissions",
        # The token first, as the page's form sends it (multipart's first field).
        data={"csrf_token": token, "text": "Brazil's views by form.", "public": "on"},
        files={"file": ("views.txt", b"Annexed views", "text/plain")},
    )
    assert sent.status_code == 303, sent.text
    page = await client.get(sent.headers["location"])
    assert "Brazil&#39;s views by form." in page.text or "Brazil's views by form." in page.text
    assert "views.txt" in page.text and "Edit your submission" in page.text
    edited = await client.post(
        f"{sent.headers['location']}/edit",
        data={"text": "Brazil's second thoughts.", "csrf_token": token},
    )
    assert edited.status_code == 303
    page = await client.get(sent.headers["location"])
    assert "second thoughts" in page.text and "Restricted" in page.text
    call_page = await client.get(f"/calls/{call_id}")
    assert "Your submission" in call_page.text
    await close_call(client, calls["call"], calls["tokens"]["owner"])
    late = await client.post(
        f"{sent.headers['location']}/edit", data={"text": "Too late.", "csrf_token": token}
    )
    assert late.status_code in {403, 409}
    page = await client.get(sent.headers["location"])
    assert "Too late." not in page.text and "Edit your submission" not in page.text


async def test_designate_order_remind_and_download(client: httpx.AsyncClient, calls: dict) -> None:
    slug, call_id, tokens = calls["slug"], calls["call"]["id"], calls["tokens"]
    ids = []
    for name in ("argentina", "brazil"):
        sent = await client.post(
            f"/api/v1/calls/{call_id}/submissions",
            json={"text": f"{name} says"},
            headers=tokens[name],
        )
        ids.append(sent.json()["id"])
    await sign_in(client, calls["users"]["owner"])
    token = await csrf_from(client, f"/spaces/{slug}/calls/submitters")
    member = calls["users"]["member"].id
    refused = await client.post(
        f"/spaces/{slug}/calls/submitters",
        data={"user_id": str(member), "kind": "party", "country": "QQ", "csrf_token": token},
    )
    assert refused.status_code == 422
    named = await client.post(
        f"/spaces/{slug}/calls/submitters",
        data={
            "user_id": str(member),
            "kind": "other_government",
            "country": "US",
            "csrf_token": token,
        },
    )
    assert named.status_code == 303
    page = await client.get(f"/spaces/{slug}/calls/submitters")
    assert "United States" in page.text
    reminded = await client.post(f"/calls/{call_id}/remind", data={"csrf_token": token})
    assert reminded.status_code == 303
    page = await client.get(reminded.headers["location"])
    assert "Reminders queued: 1." in page.text  # IUCN's submitter (the call is not for the US)
    assert "Not yet" in page.text
    ordered = await client.post(
        f"/calls/{call_id}/order",
        data={f"position-{ids[0]}": "2", f"position-{ids[1]}": "1", "csrf_token": token},
    )
    assert ordered.status_code == 303
    listed = await client.get(f"/api/v1/calls/{call_id}/submissions", headers=tokens["owner"])
    assert [s["id"] for s in listed.json()["items"]] == [ids[1], ids[0]]
    await close_call(client, calls["call"], tokens["owner"])
    page = await client.get(f"/calls/{call_id}")
    assert f"/api/v1/calls/{call_id}/compilation?format=docx" in page.text
    compiled = await client.get(f"/api/v1/calls/{call_id}/compilation?format=html")
    assert compiled.status_code == 200
    assert compiled.text.index("brazil says") < compiled.text.index("argentina says")
