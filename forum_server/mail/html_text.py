"""HTML mail to plain text, for replies sent without a text/plain part.

Nothing of the HTML survives: tags become line breaks, list markers or nothing, and
the text goes on through the same Markdown rendering and sanitizing as a web post.
Scripts, styles and the head are dropped with their content. What mail programs mark
as quoted history (Gmail's and Yahoo's quote blocks, Thunderbird's cite prefix,
any blockquote) is dropped too; Outlook's reply header ends the text there.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP_CONTENT = {"script", "style", "head", "title", "template", "noscript", "object", "svg"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "wbr"}
# Marked by mail programs as quoted history or signature: dropped with what they hold.
_QUOTE_CLASSES = {
    "gmail_quote",
    "gmail_quote_container",
    "gmail_attr",
    "gmail_signature",
    "yahoo_quoted",
    "moz-cite-prefix",
    "moz-signature",
    "moz-forward-container",
}
# Outlook's reply header: what follows it is the message answered.
_HISTORY_IDS = {"divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container"}
MAX_DEPTH = 200  # deeper nesting is hostile: what is deeper is read as text only


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skip_from: int | None = None  # depth of the element whose content is dropped
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        found = dict(attrs)
        if (found.get("id") or "").lower() in _HISTORY_IDS:
            self.done = True
            return
        if tag not in _VOID and len(self.open) < MAX_DEPTH:
            self.open.append(tag)
            classes = set((found.get("class") or "").lower().split())
            dropped = tag in _SKIP_CONTENT or tag == "blockquote" or classes & _QUOTE_CLASSES
            if self.skip_from is None and dropped:
                self.skip_from = len(self.open) - 1
        if self.skip_from is not None:
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCKS:
            self.out.append("\n\n" if tag in {"p", "h1", "h2", "h3", "hr", "table"} else "\n")
        elif tag == "img" and found.get("alt"):
            self.out.append(found["alt"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.done or tag not in self.open:
            return
        while self.open.pop() != tag:  # closes whatever was left open inside it
            pass
        if self.skip_from is not None and len(self.open) <= self.skip_from:
            self.skip_from = None
        elif self.skip_from is None and tag in _BLOCKS and tag != "li":
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.done and self.skip_from is None:
            self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; whatever it chokes on is hostile
        pass
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
