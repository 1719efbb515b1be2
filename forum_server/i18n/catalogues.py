"""Translations: the compiled gettext catalogues, and the language of the work at hand.

The language is a context variable: a request sets it once (web/language.py), a mail
being composed sets it to the recipient's, a report to the one asked for. Code that
produces text calls `gettext` without passing a language around.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import LazyProxy, NullTranslations, Translations

from forum_server.i18n.languages import CODES, SOURCE_LANGUAGE, language

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"

current_language: ContextVar[str] = ContextVar("current_language", default=SOURCE_LANGUAGE)


@cache
def translations(code: str) -> NullTranslations:
    """The catalogue for `code`; the msgids themselves for English or a missing file."""
    if code == SOURCE_LANGUAGE or code not in CODES:
        return NullTranslations()
    found = Translations.load(str(LOCALES_DIR), [code], DOMAIN)
    return found


def active() -> NullTranslations:
    return translations(current_language.get())


def gettext(message: str, **params: Any) -> str:
    """`message` in the current language; `params` fill its %(name)s placeholders."""
    text = active().gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """The form for `n` in the current language; `n` is also %(num)s."""
    text: str = active().ngettext(singular, plural, n)
    return text % {"num": n, **params}


def pgettext(context: str, message: str, **params: Any) -> str:
    text = str(active().pgettext(context, message))
    return text % params if params else text


def lazy_gettext(message: str, **params: Any) -> Any:
    """For strings defined at import time (form labels): translated when shown."""
    return LazyProxy(gettext, message, enable_cache=False, **params)


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; translate it where shown."""
    return message


@contextmanager
def using_language(code: str | None) -> Iterator[str]:
    """Run the block in `code` (one of the six; English otherwise)."""
    chosen = language(code).code
    token = current_language.set(chosen)
    try:
        yield chosen
    finally:
        current_language.reset(token)
