"""markdown-it-py's inline linkify rule with its scheme look-back bounded, so that
a paragraph of "://" repeated costs linear time (see `bounded_inline_linkify`)."""

from __future__ import annotations

from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.linkify import SCHEME_RE

# Longest URL scheme the inline linkify rule looks back for (linkify-it only knows
# http:, https:, ftp:, mailto: and //).
_MAX_SCHEME_CHARS = 32


def bounded_inline_linkify(state: StateInline, silent: bool) -> bool:
    """markdown-it-py's inline ``linkify`` rule, with its scheme look-back bounded.

    Copied from ``markdown_it.rules_inline.linkify.linkify`` (markdown-it-py 4.x) with
    one change: upstream runs ``SCHEME_RE.search(state.pending)`` at every ``://``, and
    ``state.pending`` is all the plain text seen so far in the paragraph, so
    ``"://" * 6_666`` cost ~2.5 s (quadratic).  Here only the last
    ``_MAX_SCHEME_CHARS + 1`` characters are searched.  That gives exactly upstream's
    result: the scheme is the maximal trailing run of scheme characters, so a match that
    starts after the first character of the tail is the same match, and a run longer than
    ``_MAX_SCHEME_CHARS`` is no scheme linkify-it knows (upstream fails on it too).
    """
    if not state.md.options.linkify or state.linkLevel > 0:
        return False
    linkify = state.md.linkify
    if linkify is None:
        raise ModuleNotFoundError("Linkify enabled but not installed.")

    pos = state.pos
    if pos + 3 > state.posMax or state.src[pos : pos + 3] != "://":
        return False

    match = SCHEME_RE.search(state.pending[-(_MAX_SCHEME_CHARS + 1) :])
    if match is None or len(match.group(1)) > _MAX_SCHEME_CHARS:
        return False
    proto = match.group(1)

    link = linkify.match_at_start(state.src[pos - len(proto) :])
    if not link:
        return False
    # disallow '*' at the end of the link (conflicts with emphasis)
    url: str = link.url.rstrip("*")

    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False

    if not silent:
        state.pending = state.pending[: -len(proto)]

        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"

        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)

        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"

    state.pos += len(url) - len(proto)
    return True
