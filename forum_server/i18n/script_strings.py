"""The strings the scripts (forum.js, conference.js) show, translated for one page.

forum.js writes them as t("…"), and counts as tn("…", "…", n); pybabel extracts them
with the rest (babel.cfg), and the page carries the translations it needs as a small
JSON block. A count's entry is {CLDR plural category: form}, so that the script picks
the form with the browser's Intl.PluralRules for the page's language.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.extract import extract

from forum_server.i18n.catalogues import translations

STATIC = Path(__file__).resolve().parents[2] / "static"
SCRIPT = STATIC / "forum.js"
# Every script whose strings pages carry: forum.js, and the conference page's own.
SCRIPTS = (SCRIPT, STATIC / "conference.js")


Message = str | tuple[str, str]  # a text, or a count's singular and plural


@cache
def script_messages(path: Path = SCRIPT) -> tuple[Message, ...]:
    """Every t("…") and tn("…", "…", n) in the script, in order of appearance."""
    try:
        with path.open("rb") as source:
            found = extract("javascript", source, keywords={"t": None, "tn": (1, 2)})
            return tuple(dict.fromkeys(_message(message) for _, message, _, _ in found))
    except FileNotFoundError:
        return ()


def _message(found: object) -> Message:
    if isinstance(found, tuple | list):
        return (str(found[0]), str(found[1]))
    return str(found)


def plural_forms(code: str, singular: str, plural: str) -> dict[str, str]:
    """{category: form} for a count in one language ("%(num)s" left to fill)."""
    locale, catalogue = Locale.parse(code), translations(code)
    forms: dict[str, str] = {}
    # A sample number for each category the language has; 0..199 meets them all.
    for n in range(200):
        forms.setdefault(str(locale.plural_form(n)), catalogue.ngettext(singular, plural, n))
    return forms


@cache
def script_strings_json(code: str) -> str:
    """{msgid: translation} for the script, as JSON safe inside a <script> element."""
    catalogue = translations(code)
    strings: dict[str, str | dict[str, str]] = {}
    for message in dict.fromkeys(m for path in SCRIPTS for m in script_messages(path)):
        if isinstance(message, tuple):
            strings[message[0]] = plural_forms(code, *message)
        elif (text := catalogue.gettext(message)) != message:
            strings[message] = text
    encoded = json.dumps(strings, ensure_ascii=False, separators=(",", ":"))
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
