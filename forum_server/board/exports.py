"""The board in other formats: an Atom feed for feed readers, and CSV and JSON exports
in the common format (every field, one notice a row)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from forum_server.board.views import BoardListing, NoticeView
from forum_server.spreadsheet import safe_cell

ATOM = "http://www.w3.org/2005/Atom"

COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "category",
    "title",
    "summary",
    "countries",
    "region",
    "organization",
    "start_date",
    "end_date",
    "expires_on",
    "expired",
    "funding",
    "amount",
    "currency",
    "contact",
    "link",
    "status",
    "language",
    "pinned",
    "author",
    "created_at",
    "updated_at",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return safe_cell(str(value))


def notices_csv(notices: Iterable[NoticeView]) -> str:
    """Every notice as a row; text that a spreadsheet would run as a formula is made text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for notice in notices:
        row = notice.as_json()
        writer.writerow([_cell(row[name]) for name in COLUMNS])  # type: ignore[literal-required]
    return out.getvalue()


def notices_json(listing: BoardListing) -> str:
    return json.dumps(
        {"space": listing.space_slug, "items": [n.as_json() for n in listing.notices]},
        ensure_ascii=False,
        indent=1,
    )


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def atom_feed(listing: BoardListing, base_url: str, title: str, *, self_url: str) -> bytes:
    """An Atom 1.0 feed of the listing; the text is escaped by the XML writer, never
    written as markup."""
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"{base}/spaces/{listing.space_slug}/board")
    _text(feed, "title", title)
    newest = max((n.updated_at for n in listing.notices), default=datetime(2000, 1, 1, tzinfo=UTC))
    _text(feed, "updated", _stamp(newest))
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        {"rel": "alternate", "href": f"{base}/spaces/{listing.space_slug}/board"},
    )
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        {"rel": "self", "href": self_url},
    )
    for notice in listing.notices:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{base}{notice.url}")
        _text(entry, "title", notice.title)
        _text(entry, "updated", _stamp(notice.updated_at))
        _text(entry, "published", _stamp(notice.created_at))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{base}{notice.url}"})
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", notice.organization or notice.author or "-")
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": notice.kind})
        _text(entry, "summary", notice.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
