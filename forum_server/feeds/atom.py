"""Atom (RFC 4287) feeds: a session's newest posts and a space's sessions. Built with
ElementTree, so every title and body is escaped by the XML writer."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from forum_server.feeds.queries import Listing, PostEntry, SessionDates, SessionPosts
from forum_server.i18n import format_datetime, gettext
from forum_server.orm import utcnow
from forum_server.search.text import plain_text

MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_NS = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ET.register_namespace("", _NS)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _feed(title: str, page: str, self_url: str, updated: datetime, language: str) -> ET.Element:
    feed = ET.Element(f"{{{_NS}}}feed", {_XML_LANG: language})
    _add(feed, "id", page)
    _add(feed, "title", title)
    _add(feed, "updated", _stamp(updated))
    _add(feed, "link", rel="alternate", type="text/html", href=page)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "generator", "forum_server")
    return feed


def _document(feed: ET.Element) -> bytes:
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data


def posts_feed(
    found: SessionPosts, *, base_url: str, self_url: str, site_name: str, language: str
) -> bytes:
    """A session's newest published posts, newest first."""
    page = f"{base_url}/sessions/{found.session_id}"
    updated = max((post.updated_at for post in found.posts), default=utcnow())
    title = f"{found.title} · {found.space_title} · {site_name}"
    feed = _feed(title, page, self_url, updated, language)
    for post in found.posts:
        _post_entry(feed, post, base_url)
    return _document(feed)


def _post_entry(feed: ET.Element, post: PostEntry, base_url: str) -> None:
    link = f"{base_url}/threads/{post.thread_id}#post-{post.id}"
    entry = _add(feed, "entry")
    _add(entry, "id", link)
    _add(
        entry,
        "title",
        gettext("%(author)s in %(thread)s", author=post.author, thread=post.thread_title),
    )
    _add(entry, "link", rel="alternate", type="text/html", href=link)
    author = _add(entry, "author")
    _add(author, "name", post.author or gettext("Unknown"))
    _add(entry, "published", _stamp(post.created_at))
    _add(entry, "updated", _stamp(post.updated_at))
    # The stored HTML is the sanitised rendering the thread page shows.
    _add(entry, "content", post.html, type="html")


def sessions_feed(
    listing: Listing, *, base_url: str, self_url: str, site_name: str, language: str
) -> bytes:
    """A space's sessions (those with dates), newest first."""
    now = utcnow()
    updated = max((_session_updated(s, now) for s in listing.sessions), default=now)
    feed = _feed(
        f"{listing.title} · {site_name}", base_url + listing.path, self_url, updated, language
    )
    for session in listing.sessions:
        link = f"{base_url}/sessions/{session.id}"
        entry = _add(feed, "entry")
        _add(entry, "id", link)
        _add(entry, "title", session.title)
        _add(entry, "link", rel="alternate", type="text/html", href=link)
        _add(entry, "published", _stamp(session.created_at))
        _add(entry, "updated", _stamp(_session_updated(session, now)))
        _add(entry, "summary", _summary(session))
    return _document(feed)


def _session_updated(session: SessionDates, now: datetime) -> datetime:
    """The latest of its creation and its periods' openings that have come."""
    begun = [p.opens_at for p in session.periods if p.opens_at <= now]
    return max([session.created_at, *begun])


def _summary(session: SessionDates) -> str:
    periods = [
        gettext(
            "%(start)s to %(end)s",
            start=format_datetime(p.opens_at, "UTC"),
            end=format_datetime(p.closes_at, "UTC"),
        )
        if p.closes_at
        else gettext("From %(start)s", start=format_datetime(p.opens_at, "UTC"))
        for p in session.periods
    ]
    return "\n".join([*periods, "", plain_text(session.description)]).strip()
