"""Tests for forum_server.rooms.markdown, the only renderer of user Markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from forum_server.rooms.markdown import (
    MAX_SOURCE_CHARS,
    render_markdown,
    render_plain_text_excerpt,
)
from forum_server.rooms.render_workers import render_markdown_off_loop

XSS_PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "xss-payload-list.txt"

# The allow-list, written out independently of the module under test.
ALLOWED_TAGS = frozenset(
    [
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
        "s",
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
    ]
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Browsers ignore ASCII whitespace and C0 controls inside a URL's scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """Scheme of an (already entity-decoded) attribute URL as a browser sees it."""
    cleaned = _IGNORED_IN_URL.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


class SafetyChecker(HTMLParser):
    """Collects every way rendered HTML breaks the sanitizer's contract."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name not in allowed:
                self.problems.append(f"attribute {name}= on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value or "")
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")
                cleaned = _IGNORED_IN_URL.sub("", value or "").lower()
                if cleaned.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "a" and dict(attrs).get("rel") != LINK_REL:
            self.problems.append(f"<a> without rel={LINK_REL!r}: {attrs!r}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"end tag </{tag}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration <![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")


def safety_problems(html: str) -> list[str]:
    checker = SafetyChecker()
    checker.feed(html)
    checker.close()
    return checker.problems


def load_payloads() -> list[str]:
    lines = XSS_PAYLOADS.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# --- basic rendering -------------------------------------------------------------------


def test_emphasis_and_strikethrough() -> None:
    html = render_markdown("*em* **strong** ~~gone~~")
    assert html == "<p><em>em</em> <strong>strong</strong> <s>gone</s></p>\n"


def test_lists() -> None:
    html = render_markdown("- one\n- two\n\n3. three\n4. four\n")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>' in html


def test_code_block_and_inline_code() -> None:
    html = render_markdown("```python\nif a < b:\n    pass\n```\n\nuse `x & y`")
    # The language class is dropped (no class attribute is allowed).
    assert "<pre><code>if a &lt; b:\n    pass\n</code></pre>" in html
    assert "<code>x &amp; y</code>" in html


def test_table_without_style_attributes() -> None:
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert "<table>" in html
    assert "<th>a</th>" in html
    assert "<td>2</td>" in html
    assert "style" not in html
    assert safety_problems(html) == []


def test_headings_rules_and_breaks() -> None:
    html = render_markdown("# Title\n\n---\n\nline one  \nline two")
    assert html == "<h1>Title</h1>\n<hr>\n<p>line one<br>\nline two</p>\n"


def test_bare_url_is_autolinked_with_rel() -> None:
    html = render_markdown("see https://undocs.org/A/RES/70/1 and www.un.org")
    assert (
        '<a href="https://undocs.org/A/RES/70/1" rel="nofollow ugc noopener">'
        "https://undocs.org/A/RES/70/1</a>"
    ) in html
    assert '<a href="http://www.un.org" rel="nofollow ugc noopener">www.un.org</a>' in html


def test_bare_url_with_emphasis_characters_stays_one_link() -> None:
    html = render_markdown("https://example.org/__init__.py")
    assert html == (
        '<p><a href="https://example.org/__init__.py" rel="nofollow ugc noopener">'
        "https://example.org/__init__.py</a></p>\n"
    )


def test_explicit_links_get_rel_and_keep_title() -> None:
    html = render_markdown('[docs](https://example.org/a "The docs") [rel](/rooms/3)')
    assert (
        '<a href="https://example.org/a" title="The docs" rel="nofollow ugc noopener">docs</a>'
    ) in html
    assert '<a href="/rooms/3" rel="nofollow ugc noopener">rel</a>' in html


def test_mailto_links() -> None:
    html = render_markdown("<someone@example.org>")
    assert (
        '<a href="mailto:someone@example.org" rel="nofollow ugc noopener">someone@example.org</a>'
    ) in html


def test_script_in_source_is_escaped_text() -> None:
    html = render_markdown("hello <script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_images_become_links_not_img() -> None:
    html = render_markdown('![a *map*](https://example.org/map.png "Map")')
    assert "<img" not in html
    assert html == (
        '<p><a href="https://example.org/map.png" title="Map" rel="nofollow ugc noopener">'
        "a map</a></p>\n"
    )


def test_image_without_alt_links_to_its_url() -> None:
    html = render_markdown("![](https://example.org/x.png)")
    assert html == (
        '<p><a href="https://example.org/x.png" rel="nofollow ugc noopener">'
        "https://example.org/x.png</a></p>\n"
    )


def test_image_inside_link_is_alt_text_no_nested_anchor() -> None:
    html = render_markdown("[![badge](https://example.org/b.svg)](https://example.org/)")
    assert html == ('<p><a href="https://example.org/" rel="nofollow ugc noopener">badge</a></p>\n')


def test_data_uri_image_is_alt_text_only() -> None:
    html = render_markdown("![pixel](data:image/png;base64,iVBORw0KGgo=)")
    assert html == "<p>pixel</p>\n"


# --- js-default preset: raw HTML off, links validated --------------------------------


def test_raw_html_is_escaped() -> None:
    assert render_markdown("<b>raw</b>") == "<p>&lt;b&gt;raw&lt;/b&gt;</p>\n"
    html = render_markdown('<div onclick="x()">\nblock\n</div>')
    assert "<div" not in html
    # nh3 re-serializes text nodes: quotes come out bare (safe in text), <> escaped.
    assert html == '<p>&lt;div onclick="x()"&gt;\nblock\n&lt;/div&gt;</p>\n'


def test_html_comment_is_escaped() -> None:
    assert render_markdown("a <!-- hidden --> b") == "<p>a &lt;!-- hidden --&gt; b</p>\n"


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[x]",
    ],
)
def test_dangerous_links_are_not_links(source: str) -> None:
    html = render_markdown(source)
    assert "<a" not in html
    assert safety_problems(html) == []


def test_data_image_link_loses_its_href() -> None:
    # markdown-it's validateLink allows data:image/*; nh3's scheme allow-list drops it.
    html = render_markdown("[x](data:image/png;base64,AAAA)")
    assert "data:" not in html
    assert safety_problems(html) == []


# --- the XSS corpus --------------------------------------------------------------------


def test_xss_payload_corpus_line_by_line() -> None:
    payloads = load_payloads()
    assert len(payloads) == 6613
    failures = []
    for number, payload in enumerate(payloads, start=1):
        problems = safety_problems(render_markdown(payload))
        if problems:
            failures.append((number, payload, problems))
    assert failures == []


def test_xss_payload_corpus_in_block_context() -> None:
    payloads = load_payloads()
    failures = []
    for start in range(0, len(payloads), 100):
        chunk = "\n\n".join(payloads[start : start + 100])
        problems = safety_problems(render_markdown(chunk))
        if problems:
            failures.append((start + 1, problems))
    assert failures == []


# --- hostile input: must render (quickly, but no timed assertions here) -----------------

N = MAX_SOURCE_CHARS


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("[" * N, id="open-brackets"),
        pytest.param("![" * (N // 2), id="open-images"),
        pytest.param("[![" * (N // 3), id="open-links-images"),
        pytest.param("[](" * (N // 3), id="empty-links-unclosed"),
        pytest.param("[[" * (N // 4) + "]]" * (N // 4), id="nested-brackets"),
        pytest.param("://" * (N // 3), id="scheme-separators"),
        pytest.param("http://x." * (N // 9), id="urls"),
        pytest.param("*a" * (N // 2), id="emphasis-openers"),
        pytest.param("<" * N, id="angle-brackets"),
    ],
)
def test_pathological_inline_input_renders_sanely(source: str) -> None:
    html = render_markdown(source)
    assert html.startswith("<p>")
    assert html.endswith("</p>\n")
    assert safety_problems(html) == []


def test_deeply_nested_blockquotes_are_capped() -> None:
    html = render_markdown(">" * N)
    assert 0 < html.count("<blockquote>") <= 25
    assert html.count("<blockquote>") == html.count("</blockquote>")
    assert safety_problems(html) == []


def test_deeply_nested_lists_render() -> None:
    source = "".join("  " * depth + "- x\n" for depth in range(120))
    html = render_markdown(source)
    assert "<ul>" in html
    assert html.count("<ul>") == html.count("</ul>")
    assert safety_problems(html) == []


# --- size limit ----------------------------------------------------------------------


def test_oversize_source_is_rejected() -> None:
    with pytest.raises(ValueError, match="too long"):
        render_markdown("a" * (MAX_SOURCE_CHARS + 1))


def test_exactly_max_chars_is_accepted() -> None:
    assert render_markdown("a" * MAX_SOURCE_CHARS) == "<p>" + "a" * MAX_SOURCE_CHARS + "</p>\n"


def test_limit_counts_characters_not_bytes() -> None:
    # 4 bytes each in UTF-8, but still MAX_SOURCE_CHARS characters.
    source = "\N{EARTH GLOBE EUROPE-AFRICA}" * MAX_SOURCE_CHARS
    assert len(source.encode("utf-8")) > MAX_SOURCE_CHARS
    assert render_markdown(source) == f"<p>{source}</p>\n"


# --- off the event loop --------------------------------------------------------------


async def test_off_loop_matches_render_markdown() -> None:
    source = "# Agenda\n\n1. *Opening* of https://example.org\n2. <b>AOB</b>"
    assert await render_markdown_off_loop(source) == render_markdown(source)


async def test_off_loop_propagates_size_error() -> None:
    with pytest.raises(ValueError, match="too long"):
        await render_markdown_off_loop("a" * (MAX_SOURCE_CHARS + 1))


# --- plain-text excerpt --------------------------------------------------------------


def test_excerpt_strips_tags_and_decodes_entities() -> None:
    html = render_markdown("# Draft &amp; notes\n\nFish <b> & *chips*\n\n- one\n- two")
    assert render_plain_text_excerpt(html) == "Draft & notes Fish <b> & chips one two"


def test_excerpt_short_text_is_unchanged() -> None:
    assert render_plain_text_excerpt("<p>Short   text\n here</p>") == "Short text here"


def test_excerpt_cuts_at_word_boundary_with_ellipsis() -> None:
    html = render_markdown("The quick brown fox jumps over the lazy dog")
    excerpt = render_plain_text_excerpt(html, limit=20)
    assert excerpt == "The quick brown fox…"
    assert len(excerpt) <= 20
    assert render_plain_text_excerpt(html, limit=18) == "The quick brown…"


def test_excerpt_hard_cuts_a_single_long_word() -> None:
    excerpt = render_plain_text_excerpt("<p>" + "x" * 50 + "</p>", limit=10)
    assert excerpt == "x" * 9 + "…"


def test_excerpt_default_limit() -> None:
    excerpt = render_plain_text_excerpt(render_markdown("word " * 100))
    assert excerpt.endswith("word…")
    assert len(excerpt) <= 200


def test_excerpt_rejects_non_positive_limit() -> None:
    with pytest.raises(ValueError):
        render_plain_text_excerpt("<p>x</p>", limit=0)


# --- the checker itself must catch what it is meant to catch -------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://example.org/x.png">',
        "<p onclick=alert(1)>x</p>",
        '<p style="color:red">x</p>',
        '<a href=" jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<a href="DATA:text/html,x" rel="nofollow ugc noopener">x</a>',
        '<a href="https://example.org/">no rel</a>',
        "<script>alert(1)</script>",
        "<!-- comment -->",
        "<svg><a xlink:href=javascript:alert(1)>x</a></svg>",
    ],
)
def test_safety_checker_flags_unsafe_html(html: str) -> None:
    assert safety_problems(html) != []


# --- link spoofing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("[bank.example](https://evil.example/login)", "https://evil.example/login"),
        ("[https://bank.example/login](https://evil.example/)", "https://evil.example/"),
        ("[www.un.org](https://evil.example)", "https://evil.example"),
        ("[un.org](/threads/3)", "/threads/3"),
        ("![bank.example](https://evil.example/p.png)", "https://evil.example/p.png"),
    ],
)
def test_a_link_whose_text_names_another_site_shows_its_target(source: str, shown: str) -> None:
    html = render_markdown(source)
    assert f">{shown}</a>" in html
    assert "bank.example" not in html and "un.org<" not in html


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("[the docs](https://example.org/a)", "the docs"),
        ("[example.org](https://www.example.org/a)", "example.org"),
        ("[https://example.org/b](https://example.org/a)", "https://example.org/b"),
        ("[Dr. Smith](https://example.org)", "Dr. Smith"),
        ("[bücher.example](https://xn--bcher-kva.example/)", "bücher.example"),
        ("see www.un.org", "www.un.org"),
    ],
)
def test_honest_link_text_is_kept(source: str, shown: str) -> None:
    assert f">{shown}</a>" in render_markdown(source)


def test_protocol_relative_links_are_external() -> None:
    html = render_markdown("[our page](//evil.example/p)")
    assert html == (
        '<p><a href="https://evil.example/p" rel="nofollow ugc noopener">our page</a></p>\n'
    )
    # A backslash never stands for a host.
    assert 'href="/%5Cevil.example"' in render_markdown("[x](/\\evil.example)")


@pytest.mark.parametrize(
    "control",
    ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u202c"],
)
def test_bidirectional_controls_are_removed_from_text_and_links(control: str) -> None:
    html = render_markdown(
        f"invoice{control}fdp.exe and [moc.{control}elgoog](https://example.org)"
    )
    assert control not in html
    assert "invoicefdp.exe" in html


def test_right_to_left_text_and_its_marks_are_kept() -> None:
    source = "مرحبا\u200f بالعالم \u200eABC"
    assert render_markdown(source) == f"<p>{source}</p>\n"
