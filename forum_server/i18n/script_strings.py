"""The strings forum.js shows, translated for one page: only its own, never a catalogue.

forum.js writes them as t("…"); pybabel extracts them with the rest (babel.cfg), and
the page carries the translations it needs as a small JSON block.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from babel.messages.extract import extract

from forum_server.i18n.catalogues import translations

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "forum.js"


@cache
def script_messages(path: Path = SCRIPT) -> tuple[str, ...]:
    """Every t("…") in the script, in order of appearance."""
    try:
        with path.open("rb") as source:
            found = extract("javascript", source, keywords={"t": None})
            return tuple(dict.fromkeys(str(message) for _, message, _, _ in found))
    except FileNotFoundError:
        return ()


@cache
def script_strings_json(code: str) -> str:
    """{msgid: translation} for the script, as JSON safe inside a <script> element."""
    catalogue = translations(code)
    strings = {
        message: text
        for message in script_messages()
        if (text := catalogue.gettext(message)) != message
    }
    encoded = json.dumps(strings, ensure_ascii=False, separators=(",", ":"))
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
