"""The one renderer of user-supplied Markdown (posts, comments, replies).

Pipeline (see SECURITY.md):

1. ``markdown-it-py`` with the ``js-default`` preset: raw HTML is OFF (``<b>`` in the
   source comes out as ``&lt;b&gt;``) and link URLs go through ``validateLink`` (no
   ``javascript:``/``vbscript:``/``file:``/non-image ``data:``).  Linkify, tables and
   strikethrough are enabled; the typographer is off.  ``maxNesting`` is lowered
   from the preset's 100 to ``_MAX_NESTING`` (see there).
2. ``nh3`` (ammonia) as defence in depth, with an explicit allow-list of tags,
   attributes and URL schemes, adding ``rel="nofollow ugc noopener"`` to every link.

Mentions (``@Name``, ``@[Full Name]``, see ``rooms/markdown_mentions.py``) become links to the
person's page only for the names the caller resolved beforehand (``people``): the
renderer never looks anyone up, and an unresolved mention stays the text it was.

Never render user Markdown any other way, and never mark the output of anything else
as safe in templates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from forum_server.rooms.markdown_linkify import bounded_inline_linkify
from forum_server.rooms.markdown_mentions import (
    MENTION,
    People,
    mention_key,
    mention_rule,
    mentioned_in,
)

__all__ = [
    "MAX_SOURCE_CHARS",
    "MENTION",
    "mention_key",
    "mentioned_in",
    "render_markdown",
    "render_plain_text_excerpt",
]

MAX_SOURCE_CHARS = 20_000
"""Longest accepted Markdown source, in characters (code points), not bytes."""

_ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "s",  # markdown-it renders ~~strikethrough~~ as <s>, not <del>
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        # Deliberately NO <img>: third-party images leak every reader's IP address (and
        # the fact that they are reading) to whoever hosts the image, and cost bandwidth
        # for delegates on slow or metered links.  ``![alt](url)`` is turned into a plain
        # link by ``_images_to_links`` below, so readers can choose to open it.
    }
)

# Table cells lose markdown-it's ``style="text-align:..."`` (no style attributes at all);
# fenced-code ``class="language-..."`` is dropped too (no highlighter uses it).
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "ol": {"start"},
}

_ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# The one class a rendered post may carry: the mention links this renderer makes
# (Markdown with raw HTML off cannot write a class attribute itself).
_ALLOWED_CLASSES: dict[str, set[str]] = {"a": {"mention"}}

_LINK_REL = "nofollow ugc noopener"

_SANITIZER = nh3.Cleaner(
    tags=set(_ALLOWED_TAGS),
    attributes=_ALLOWED_ATTRIBUTES,
    allowed_classes=_ALLOWED_CLASSES,
    url_schemes=set(_ALLOWED_URL_SCHEMES),
    link_rel=_LINK_REL,
    strip_comments=True,
    # Relative URLs (``/rooms/3``, ``#post-12``) are kept as they are.
    url_relative="pass_through",
)


_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _is_allowed_url(url: str) -> bool:
    """True for http(s)/mailto URLs and relative ones (the sanitizer re-checks)."""
    if not url:
        return False
    match = _URL_SCHEME.match(url)
    return match is None or match.group(1).lower() in _ALLOWED_URL_SCHEMES


def _alt_text(tokens: Sequence[Token] | None) -> str:
    """Plain text of an image description (its inline children), like ``alt``."""
    parts: list[str] = []
    for token in tokens or ():
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_alt_text(token.children))
    return "".join(parts).strip()


def _images_to_links(state: StateCore) -> None:
    """Core rule: replace every image token with a link to it (or just its alt text).

    ``![alt](url "title")`` becomes ``<a href="url" title="title">alt</a>`` (the URL is
    the link text when alt is empty).  Inside a link (``[![badge](img)](target)``) the
    image becomes its alt text only, so we never emit nested ``<a>`` elements; so does an
    image whose URL the sanitizer would strip anyway (``data:image/...``, which
    markdown-it's ``validateLink`` lets through for images).
    Done on the token stream in one linear pass, before rendering.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if not any(child.type == "image" for child in block.children):
            continue
        new_children: list[Token] = []
        link_depth = 0
        for child in block.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth = max(0, link_depth - 1)
            if child.type != "image":
                new_children.append(child)
                continue

            alt = _alt_text(child.children)
            src = str(child.attrGet("src") or "")
            if link_depth > 0 or not _is_allowed_url(src):
                if alt:
                    text = Token("text", "", 0)
                    text.content = alt
                    new_children.append(text)
                continue

            link_open = Token("link_open", "a", 1)
            link_open.attrSet("href", src)
            title = child.attrGet("title")
            if title:
                link_open.attrSet("title", str(title))
            text = Token("text", "", 0)
            text.content = alt or src
            new_children.extend([link_open, text, Token("link_close", "a", -1)])
        block.children = new_children


# Characters that reorder the text around them (embeddings, overrides, isolates):
# "moc.elgoog" written backwards with U+202E reads as a trusted name, and a file
# "invoice\u202Efdp.exe" as a PDF. Removed from the source before rendering, so
# neither a post's text nor its link text can be flipped. The plain marks (U+200E,
# U+200F, U+061C) stay: they reorder nothing and right-to-left writing needs them.
_BIDI_CONTROLS = dict.fromkeys(
    (*range(0x202A, 0x202F), *range(0x2066, 0x206A)),
    None,
)

# A link's visible text that names a place of its own: a URL, or a bare domain.
_URL_TEXT = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//([^/?#\s]+)", re.IGNORECASE)
_DOMAIN_TEXT = re.compile(
    r"^\s*(?:www\.)?((?:[\w-]+\.)+[^\W\d_]{2,})(?::\d+)?(?:[/?#]\S*)?\s*$", re.UNICODE
)


def _host_of_text(text: str) -> str | None:
    """The host a link's visible text names, if it reads as a URL or a domain."""
    match = _URL_TEXT.match(text) or _DOMAIN_TEXT.match(text)
    if match is None:
        return None
    return _comparable_host(match.group(1).rsplit("@", 1)[-1])


def _comparable_host(host: str) -> str:
    host = host.split(":", 1)[0].strip().rstrip(".").lower()
    host = host.removeprefix("www.")
    try:  # bücher.example and xn--bcher-kva.example are one host
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _host_of_target(href: str) -> str | None:
    if href.lower().startswith("mailto:"):
        return _comparable_host(href[7:].rsplit("@", 1)[-1]) if "@" in href else None
    try:
        host = urlsplit(href).hostname
    except ValueError:
        return None
    return _comparable_host(host) if host else None


def _is_protocol_relative(href: str) -> bool:
    # Browsers read "/\\host" and "\\\\host" like "//host": another site.
    return len(href) >= 2 and href[0] in "/\\" and href[1] in "/\\"


def _honest_links(state: StateCore) -> None:
    """Core rule: a link cannot pass for another one.

    - A protocol-relative target (``//evil.example``) is another site, not a page of
      ours: it becomes an explicit ``https://`` link.
    - Where the visible text is itself a URL or a domain (``[bank.example](https://
      evil.example)``) and names another host than the target, the text shown is the
      target. Links made from a bare URL (linkify, ``<...>``) show their own target.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        for index, child in enumerate(children):
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            if _is_protocol_relative(href):
                href = "https://" + href.lstrip("/\\")
                child.attrSet("href", href)
            if child.markup in ("linkify", "autolink"):
                continue
            end = index + 1
            while end < len(children) and children[end].type != "link_close":
                end += 1
            shown = _alt_text(children[index + 1 : end])
            named = _host_of_text(shown)
            if named is not None and named != _host_of_target(href):
                text = Token("text", "", 0)
                text.content = state.md.normalizeLinkText(href)
                children[index + 1 : end] = [text]


# Caps block and inline nesting (blockquotes, lists, links inside emphasis, ...).
# markdown-it's cost on unclosed brackets ("[" * 20_000, "![" * 10_000) is about
# O(len(source) * maxNesting): with the preset's 100 such a post took ~1.5-2 s of CPU, with
# 20 it takes a fraction of that.  Twenty levels is far more than any real post needs.
_MAX_NESTING = 20


def _build_markdown_it() -> MarkdownIt:
    # "js-default", NOT MarkdownIt()/"commonmark": those have raw HTML enabled.
    md = MarkdownIt(
        "js-default",
        {"linkify": True, "typographer": False, "maxNesting": _MAX_NESTING},
    )
    md.enable(["linkify", "table", "strikethrough"])
    md.inline.ruler.at("linkify", bounded_inline_linkify)
    md.inline.ruler.before("link", "mention", mention_rule)
    md.core.ruler.push("images_to_links", _images_to_links)
    md.core.ruler.push("honest_links", _honest_links)
    return md


# Built once: rendering creates fresh state per call, so the instance is reusable and
# safe to share between worker threads.
_MD = _build_markdown_it()


def render_markdown(source: str, people: People | None = None) -> str:
    """Render post Markdown to sanitized HTML. The only renderer of user Markdown.
    ``people`` are the mentions to turn into links (see ``rooms/mentions.py``).

    Raises ``ValueError`` if ``source`` is longer than ``MAX_SOURCE_CHARS`` characters.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise ValueError(
            f"Markdown source is too long: {len(source):,} characters "
            f"(the limit is {MAX_SOURCE_CHARS:,})."
        )
    env = {"people": people} if people else {}
    return _SANITIZER.clean(_MD.render(source.translate(_BIDI_CONTROLS), env))


# Elements after which text from the next element must not run on without a space.
_BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
    }
)

_WHITESPACE = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def render_plain_text_excerpt(html: str, limit: int = 200) -> str:
    """Text-only excerpt of rendered HTML, for notifications and snippets.

    Tags are dropped, entities decoded and whitespace collapsed.  If the text is longer
    than ``limit`` characters it is cut at a word boundary and ends with "…" (the result,
    ellipsis included, is at most ``limit`` characters).  The result is plain text:
    escape it (e.g. Jinja autoescape) before putting it into HTML.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = _WHITESPACE.sub(" ", "".join(extractor.parts)).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():
        # The cut falls inside a word: back up to the last space, unless that would
        # leave nothing (a single enormous "word", e.g. a URL).
        head, space, _ = cut.rpartition(" ")
        if space and head.strip():
            cut = head
    return cut.rstrip() + "…"
