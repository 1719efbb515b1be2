"""The feed and the exports carry every field as text: a spreadsheet runs no formula
from a notice, and the Atom feed is well-formed XML whatever a title holds."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

import httpx

from tests.board.conftest import NEED

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> & ]]>'


async def test_csv_neutralizes_formulas_and_keeps_every_field(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug, editor = board["slug"], board["tokens"]["editor"]
    posted = await client.post(
        f"/api/v1/spaces/{slug}/board",
        json={**NEED, "title": HOSTILE, "organization": "@SUM(A1)"},
        headers=editor,
    )
    assert posted.status_code == 201
    response = await client.get(f"/api/v1/spaces/{slug}/board/export?format=csv", headers=editor)
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    hostile = next(row for row in rows if "HYPERLINK" in row["title"])
    assert hostile["title"].startswith("'=")
    assert hostile["organization"] == "'@SUM(A1)"
    assert hostile["countries"] == "BR" and hostile["start_date"] == "2026-03-01"
    exported = await client.get(f"/api/v1/spaces/{slug}/board/export?format=json", headers=editor)
    assert HOSTILE in [n["title"] for n in exported.json()["items"]]


async def test_the_feed_is_atom_with_the_text_escaped(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug, editor = board["slug"], board["tokens"]["editor"]
    await client.post(
        f"/api/v1/spaces/{slug}/board", json={**NEED, "title": HOSTILE}, headers=editor
    )
    response = await client.get(f"/api/v1/spaces/{slug}/board/feed?kind=need", headers=editor)
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert HOSTILE in titles and NEED["title"] in titles
    assert "<script>" not in response.text
    link = feed.find(f"{ATOM}entry/{ATOM}link")
    assert link is not None and "/notices/" in link.attrib["href"]


async def test_the_notice_page_shows_hostile_text_as_text(
    client: httpx.AsyncClient, board: dict
) -> None:
    slug, editor = board["slug"], board["tokens"]["editor"]
    posted = await client.post(
        f"/api/v1/spaces/{slug}/board", json={**NEED, "title": HOSTILE}, headers=editor
    )
    page = await client.get(f"/notices/{posted.json()['id']}", headers=editor)
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
