"""The report downloads over the API: who may have them, and how they are served."""

from __future__ import annotations

import io

import httpx
import pytest

from forum_server.db import Database
from forum_server.reports import to_pdf
from forum_server.reports.access import session_report_download, space_report_download
from forum_server.reports.formats import FORMATS
from tests.helpers import bearer, token_for
from tests.reports.conftest import CANARIES, Forum, actor


async def _headers(client: httpx.AsyncClient, forum: Forum, who: str) -> dict[str, str]:
    return bearer(await token_for(client, forum.users[who]))


def _url(forum: Forum, fmt: str = "md", **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    return f"/api/v1/sessions/{forum.session_id}/report?{query}"


async def test_moderators_owners_and_the_secretariat_may_download(
    client: httpx.AsyncClient, forum: Forum
):
    for who in ("mod", "owner", "sec"):
        response = await client.get(_url(forum), headers=await _headers(client, forum, who))
        assert response.status_code == 200, (who, response.text)
        assert "Session I: NBSAPs" in response.text


async def test_others_in_a_public_space_get_403_and_guests_401(
    client: httpx.AsyncClient, forum: Forum
):
    for who in ("ana", "outsider", "member"):
        response = await client.get(_url(forum), headers=await _headers(client, forum, who))
        assert response.status_code == 403, who
        assert response.json()["error"]["code"] == "forbidden"
    anonymous = await client.get(_url(forum))
    assert anonymous.status_code == 401
    space = await client.get(
        f"/api/v1/spaces/{forum.slug}/report?format=md",
        headers=await _headers(client, forum, "ana"),
    )
    assert space.status_code == 403


async def test_a_members_space_is_404_to_outsiders_like_a_missing_session(
    client: httpx.AsyncClient, members_forum: Forum
):
    forum = members_forum
    outsider = await _headers(client, forum, "outsider")
    hidden = await client.get(_url(forum), headers=outsider)
    missing = await client.get("/api/v1/sessions/999999/report?format=md", headers=outsider)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert (await client.get(_url(forum))).status_code == 404
    space = await client.get(f"/api/v1/spaces/{forum.slug}/report?format=md", headers=outsider)
    assert space.status_code == 404
    for text in (hidden.text, space.text):
        assert "Session I" not in text and "Capacity" not in text


async def test_members_download_only_where_the_space_allows(
    client: httpx.AsyncClient, db: Database, members_forum: Forum
):
    forum = members_forum
    member = await _headers(client, forum, "member")
    assert (await client.get(_url(forum), headers=member)).status_code == 403
    async with db.read() as session:
        assert not await session_report_download(
            session, actor(forum.users["member"]), forum.session_id
        )
    owner = await _headers(client, forum, "owner")
    changed = await client.patch(
        f"/api/v1/spaces/{forum.slug}/report-settings",
        json={"members_may_download_reports": True},
        headers=owner,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "report_attribution": "named",
        "members_may_download_reports": True,
        "report_symbol": "",
        "report_distribution": "",
        "transparency_public": False,
    }
    assert (await client.get(_url(forum), headers=member)).status_code == 200
    space = await client.get(f"/api/v1/spaces/{forum.slug}/report?format=csv", headers=member)
    assert space.status_code == 200
    async with db.read() as session:
        assert await session_report_download(
            session, actor(forum.users["member"]), forum.session_id
        )
        assert await space_report_download(session, actor(forum.users["member"]), forum.slug)
        assert not await space_report_download(session, actor(forum.users["outsider"]), forum.slug)
    # A public space's participants are not members of a members space: the flag is moot.
    outsider = await _headers(client, forum, "outsider")
    assert (await client.get(_url(forum), headers=outsider)).status_code == 404


async def test_report_settings_attribution_is_the_secretariats(
    client: httpx.AsyncClient, forum: Forum
):
    url = f"/api/v1/spaces/{forum.slug}/report-settings"
    owner, sec = await _headers(client, forum, "owner"), await _headers(client, forum, "sec")
    refused = await client.patch(url, json={"report_attribution": "none"}, headers=owner)
    assert refused.status_code == 403
    bad = await client.patch(url, json={"report_attribution": "secret"}, headers=sec)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "report_attribution"
    done = await client.patch(url, json={"report_attribution": "country"}, headers=sec)
    assert done.json()["report_attribution"] == "country"
    assert (await client.get(url, headers=owner)).json()["report_attribution"] == "country"
    ana = await _headers(client, forum, "ana")
    assert (await client.get(url, headers=ana)).status_code == 403
    md = (await client.get(_url(forum), headers=sec)).text
    assert (
        "A participant from Brazil" in md and "Ana Souza" not in md.split("Annex II. Transcript")[1]
    )
    # Not even the secretariat overrides the setting for one download: it changes it.
    named = await client.get(_url(forum, attribution="named"), headers=sec)
    assert named.status_code == 403 and "Ana Souza" not in named.text
    assert named.json()["error"] == {
        "code": "attribution_not_allowed",
        "message": named.json()["error"]["message"],
        "field": "attribution",
    }
    none = (await client.get(_url(forum, attribution="none"), headers=sec)).text
    assert "A participant from Brazil" not in none and "A participant" in none
    invalid = await client.get(_url(forum, attribution="secret"), headers=sec)
    assert invalid.status_code == 422 and invalid.json()["error"]["field"] == "attribution"


async def test_downloads_have_type_disposition_and_a_strict_policy(
    client: httpx.AsyncClient, forum: Forum
):
    sec = await _headers(client, forum, "sec")
    for fmt in ("md", "csv", "json", "html", "docx"):
        response = await client.get(_url(forum, fmt), headers=sec)
        assert response.status_code == 200
        assert response.headers["content-type"] == FORMATS[fmt].media_type
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="session-i-nbsaps-planning-20')
        assert disposition.endswith(f'.{fmt}"')
        assert response.headers["content-security-policy"] == (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        )
        assert response.headers["x-content-type-options"] == "nosniff"
        if fmt == "docx":
            assert response.content.startswith(b"PK")
        else:
            for canary in CANARIES:
                assert canary not in response.text


async def test_pdf_download_or_501_naming_the_packages(
    client: httpx.AsyncClient, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(to_pdf, "_weasyprint", lambda: None)
    response = await client.get(_url(forum, "pdf"), headers=await _headers(client, forum, "sec"))
    assert response.status_code == 501
    error = response.json()["error"]
    assert error["code"] == "pdf_unavailable"
    assert (
        "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core" in error["message"]
    )


async def test_pdf_of_any_size_is_laid_out_in_parts(
    client: httpx.AsyncClient, forum: Forum, monkeypatch: pytest.MonkeyPatch
):
    """No size is refused: the transcript is laid out a chunk of posts at a time."""
    monkeypatch.setattr(to_pdf, "CHUNK_POSTS", 2)  # the forum has 8 posts: four parts
    response = await client.get(_url(forum, "pdf"), headers=await _headers(client, forum, "sec"))
    if to_pdf._weasyprint() is None:
        assert response.status_code == 501
        return
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 6  # cover, contents, ... and the transcript's parts
    assert all(p.extract_text().strip() for p in reader.pages)  # no blank page between parts


async def test_the_report_cover_is_set_per_space_and_per_session(
    client: httpx.AsyncClient, forum: Forum
):
    sec = await _headers(client, forum, "sec")
    url = f"/api/v1/spaces/{forum.slug}/report-settings"
    cover = {"report_symbol": "CBD/CP/LG-CB/10/INF/2", "report_distribution": "Limited"}
    done = await client.patch(url, json=cover, headers=sec)
    assert done.status_code == 200 and done.json()["report_symbol"] == cover["report_symbol"]
    bad = await client.patch(url, json={"report_symbol": "a\nb"}, headers=sec)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "report_symbol"
    md = (await client.get(_url(forum), headers=sec)).text
    assert "CBD/CP/LG-CB/10/INF/2" in md.split("\n# ")[0] and "Limited" in md.split("\n# ")[0]
    # The session's own override the space's; empty gives the space's back.
    session_url = f"/api/v1/sessions/{forum.session_id}"
    changed = await client.patch(
        session_url, json={"report_distribution": "General distribution"}, headers=sec
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["report_distribution"] == "General distribution"
    report = (await client.get(_url(forum, "json"), headers=sec)).json()
    assert report["report"]["cover"]["distribution"] == "General distribution"
    assert report["report"]["cover"]["symbol"] == "CBD/CP/LG-CB/10/INF/2"
    await client.patch(session_url, json={"report_distribution": ""}, headers=sec)
    report = (await client.get(_url(forum, "json"), headers=sec)).json()
    assert report["report"]["cover"]["distribution"] == "Limited"
    # A participant may not change either.
    ana = await _headers(client, forum, "ana")
    refused = await client.patch(session_url, json={"report_symbol": "X"}, headers=ana)
    assert refused.status_code in (403, 404)
    assert (await client.patch(url, json={"report_symbol": "X"}, headers=ana)).status_code in (
        403,
        404,
    )


async def test_unknown_format_is_422(client: httpx.AsyncClient, forum: Forum):
    response = await client.get(_url(forum, "exe"), headers=await _headers(client, forum, "sec"))
    assert response.status_code == 422 and response.json()["error"]["field"] == "format"


async def test_space_report_and_openapi(client: httpx.AsyncClient, forum: Forum):
    sec = await _headers(client, forum, "sec")
    response = await client.get(f"/api/v1/spaces/{forum.slug}/report?format=json", headers=sec)
    assert response.status_code == 200
    report = response.json()
    assert report["report"]["scope"] == "space"
    assert [s["session"]["id"] for s in report["sessions"]] == [forum.session_id]
    assert report["participation"]["posts"] == 8
    assert (
        'filename="online-forum-on-capacity-building-20' in response.headers["content-disposition"]
    )
    paths = (await client.get("/api/v1/openapi.json")).json()["paths"]
    assert "/api/v1/sessions/{session_id}/report" in paths or any(
        p.startswith("/api/v1/sessions/") and p.endswith("/report") for p in paths
    )
