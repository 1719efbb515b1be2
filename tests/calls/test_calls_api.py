"""Calls through the API: opening, designating, submitting once per country (the race
ends on the database's constraint), editing until the deadline (409 after), the status
table, the order and the compilation in every format."""

from __future__ import annotations

import asyncio
import io
import zipfile

import httpx
import pytest

from tests.calls.conftest import call_body, close_call


async def test_a_submitter_submits_and_a_colleague_edits_until_the_deadline(
    client: httpx.AsyncClient, calls: dict
) -> None:
    call, tokens = calls["call"], calls["tokens"]
    path = f"/api/v1/calls/{call['id']}/submissions"
    assert call["may_manage"] is True and call["open"] is True
    seen = await client.get(f"/api/v1/calls/{call['id']}", headers=tokens["brazil"])
    assert seen.json()["may_submit"] is True and seen.json()["my_submission_id"] is None
    sent = await client.post(path, json={"text": "Brazil's views."}, headers=tokens["brazil"])
    assert sent.status_code == 201, sent.text
    submission = sent.json()
    assert submission["submitter"] == "BR" and submission["submitter_name"] == "Brazil"
    assert submission["may_edit"] is True and submission["public"] is True
    # The other Brazilian submitter edits the same submission.
    edited = await client.put(
        f"/api/v1/submissions/{submission['id']}",
        json={"text": "Brazil's revised views.", "public": False},
        headers=tokens["brazil too"],
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "Brazil's revised views."
    # Argentina's submitter may not touch it (restricted now: not there for them).
    other = await client.put(
        f"/api/v1/submissions/{submission['id']}",
        json={"text": "x"},
        headers=tokens["argentina"],
    )
    assert other.status_code == 404
    # A plain member is no submitter.
    refused = await client.post(path, json={"text": "mine"}, headers=tokens["member"])
    assert refused.status_code == 403
    await close_call(client, call, tokens["owner"])
    late = await client.put(
        f"/api/v1/submissions/{submission['id']}",
        json={"text": "Too late."},
        headers=tokens["brazil"],
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "call_closed"
    new = await client.post(path, json={"text": "Late."}, headers=tokens["argentina"])
    assert new.status_code == 409 and new.json()["error"]["code"] == "call_closed"
    kept = await client.get(f"/api/v1/submissions/{submission['id']}", headers=tokens["owner"])
    assert kept.json()["text"] == "Brazil's revised views."


async def test_two_submitters_of_one_country_race_and_one_submission_results(
    client: httpx.AsyncClient, calls: dict
) -> None:
    call, tokens = calls["call"], calls["tokens"]
    path = f"/api/v1/calls/{call['id']}/submissions"
    first, second = await asyncio.gather(
        client.post(path, json={"text": "From one."}, headers=tokens["brazil"]),
        client.post(path, json={"text": "From the other."}, headers=tokens["brazil too"]),
    )
    codes = sorted([first.status_code, second.status_code])
    assert codes == [201, 409], (first.text, second.text)
    loser = first if first.status_code == 409 else second
    assert loser.json()["error"]["code"] == "already_submitted"
    listed = await client.get(path, headers=tokens["owner"])
    assert [s["submitter"] for s in listed.json()["items"]] == ["BR"]


async def test_the_race_meets_the_database_constraint(calls: dict, db) -> None:  # type: ignore[no-untyped-def]
    """No look-up guards the insert: a second submission of one country is refused by
    the unique constraint itself, whatever the timing."""
    from forum_server.calls import submissions
    from forum_server.calls.schemas import SubmissionInput
    from forum_server.errors import Conflict
    from forum_server.policy import Actor

    users, call_id = calls["users"], calls["call"]["id"]
    one = Actor(user_id=users["brazil"].id)
    two = Actor(user_id=users["brazil too"].id)
    await submissions.submit(db, one, call_id, SubmissionInput(text="a"))
    with pytest.raises(Conflict) as raised:
        await submissions.submit(db, two, call_id, SubmissionInput(text="b"))
    assert raised.value.code == "already_submitted"


async def test_fields_are_checked_one_by_one(client: httpx.AsyncClient, calls: dict) -> None:
    slug, owner = calls["slug"], calls["tokens"]["owner"]
    path = f"/api/v1/spaces/{slug}/calls"
    for field, value in [
        ("title", ""),
        ("addressed_to", []),
        ("addressed_to", ["everyone"]),
        ("deadline", "next week"),
        ("deadline", "2026-03-01T09:00:00"),  # no offset
        ("reminder_days", [0]),
        ("reminder_days", [400]),
        ("symbol", "x" * 101),
    ]:
        refused = await client.post(path, json=call_body(**{field: value}), headers=owner)
        assert refused.status_code == 422, (field, value, refused.text)
        assert refused.json()["error"]["field"].split(".")[0] == field, (field, refused.json())
    submitters = f"/api/v1/spaces/{slug}/call-submitters"
    member_id = calls["users"]["member"].id
    for body, field in [
        ({"user_id": member_id, "kind": "party"}, "country"),
        ({"user_id": member_id, "kind": "party", "country": "QQ"}, "country"),
        ({"user_id": member_id, "kind": "organization"}, "organization"),
        (
            {"user_id": member_id, "kind": "party", "country": "BR", "organization": "X"},
            "organization",
        ),
    ]:
        refused = await client.post(submitters, json=body, headers=owner)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == field, body
    outsider = calls["users"]["outsider"].id
    refused = await client.post(
        submitters, json={"user_id": outsider, "kind": "party", "country": "BR"}, headers=owner
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "user_id"
    sub = f"/api/v1/calls/{calls['call']['id']}/submissions"
    brazil = calls["tokens"]["brazil"]
    for body, field in [({"text": ""}, "text"), ({"text": "x", "public": "yes"}, "public")]:
        refused = await client.post(sub, json=body, headers=brazil)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == field


async def test_status_table_order_and_compilation(client: httpx.AsyncClient, calls: dict) -> None:
    call, tokens = calls["call"], calls["tokens"]
    path = f"/api/v1/calls/{call['id']}/submissions"
    ids = {}
    for name, text in [
        ("argentina", "Argentina says."),
        ("iucn", "IUCN says."),
        ("brazil", "Brazil says."),
    ]:
        sent = await client.post(path, json={"text": text}, headers=tokens[name])
        assert sent.status_code == 201, sent.text
        ids[name] = sent.json()["id"]
    document = await client.post(
        f"/api/v1/submissions/{ids['brazil']}/files",
        files={"file": ("annex.txt", b"Annex of Brazil", "text/plain")},
        headers=tokens["brazil too"],
    )
    assert document.status_code == 201, document.text
    [doc] = document.json()["documents"]
    got = await client.get(doc["url"], headers=tokens["owner"])
    assert got.status_code == 200 and got.content == b"Annex of Brazil"
    status = await client.get(f"/api/v1/calls/{call['id']}/status", headers=tokens["member"])
    rows = {r["submitter"]: r["submitted"] for r in status.json()["items"]}
    assert rows == {"AR": True, "BR": True, "IUCN": True}
    early = await client.get(f"/api/v1/calls/{call['id']}/compilation", headers=tokens["owner"])
    assert early.status_code == 409 and early.json()["error"]["code"] == "call_open"
    order = [ids["brazil"], ids["iucn"], ids["argentina"]]
    bad = await client.put(
        f"/api/v1/calls/{call['id']}/order",
        json={"submission_ids": order[:2]},
        headers=tokens["owner"],
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "submission_ids"
    denied = await client.put(
        f"/api/v1/calls/{call['id']}/order",
        json={"submission_ids": order},
        headers=tokens["brazil"],
    )
    assert denied.status_code == 403
    ordered = await client.put(
        f"/api/v1/calls/{call['id']}/order", json={"submission_ids": order}, headers=tokens["owner"]
    )
    assert ordered.status_code == 204, ordered.text
    await close_call(client, call, tokens["owner"])
    compiled = await client.get(
        f"/api/v1/calls/{call['id']}/compilation",
        params={"format": "html"},
        headers=tokens["owner"],
    )
    assert compiled.status_code == 200, compiled.text
    html = compiled.text
    assert "CBD/CP/LG-CB/INF/1" in html and "attachment" in compiled.headers["content-disposition"]
    texts = ["Brazil says.", "IUCN says.", "Argentina says."]
    assert [html.count(t) for t in texts] == [1, 1, 1]
    assert html.index(texts[0]) < html.index(texts[1]) < html.index(texts[2])
    assert "annex.txt" in html
    word = await client.get(
        f"/api/v1/calls/{call['id']}/compilation",
        params={"format": "docx"},
        headers=tokens["owner"],
    )
    assert word.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(word.content)).read("word/document.xml").decode()
    assert [xml.count(t) for t in texts] == [1, 1, 1]
    assert xml.index(texts[0]) < xml.index(texts[1]) < xml.index(texts[2])
    assert "annex.txt" in xml and "CBD/CP/LG-CB/INF/1" in xml
    refused = await client.get(f"/api/v1/calls/{call['id']}/compilation", headers=tokens["brazil"])
    assert refused.status_code == 403


async def test_the_compilation_as_pdf(client: httpx.AsyncClient, calls: dict) -> None:
    from forum_server.reports import to_pdf

    if to_pdf._weasyprint() is None:
        pytest.skip("WeasyPrint's libraries are not installed")
    call, tokens = calls["call"], calls["tokens"]
    await client.post(
        f"/api/v1/calls/{call['id']}/submissions",
        json={"text": "Argentina says."},
        headers=tokens["argentina"],
    )
    await close_call(client, call, tokens["owner"])
    pdf = await client.get(
        f"/api/v1/calls/{call['id']}/compilation", params={"format": "pdf"}, headers=tokens["owner"]
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_the_compilation_in_arabic_reads_right_to_left(
    client: httpx.AsyncClient, calls: dict
) -> None:
    call, tokens = calls["call"], calls["tokens"]
    await client.post(
        f"/api/v1/calls/{call['id']}/submissions", json={"text": "Views."}, headers=tokens["brazil"]
    )
    await close_call(client, call, tokens["owner"])
    compiled = await client.get(
        f"/api/v1/calls/{call['id']}/compilation",
        params={"format": "html"},
        headers={**tokens["owner"], "Accept-Language": "ar"},
    )
    assert compiled.status_code == 200
    assert 'lang="ar" dir="rtl"' in compiled.text and "البرازيل" in compiled.text
