"""Checks for short user-supplied text shown to others (names, titles, organizations)."""

from __future__ import annotations

import unicodedata

from forum_server.i18n import N_
from forum_server.schemas import TooLong

# Bidirectional overrides and isolates can make a name read as something else
# ("Trojan Source"); zero-width characters make look-alike duplicates.
_SPOOFING = {
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u061c",
    "\ufeff",
}


def clean_line(value: str, *, max_length: int) -> str:
    """NFC-normalized, trimmed single-line text; raises ValueError (translated where
    it is shown: schemas.problem_text) with a reason."""
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValueError(N_("must not be empty"))
    if len(value) > max_length:
        raise TooLong(max_length)
    for char in value:
        if char in _SPOOFING:
            raise ValueError(N_("must not contain invisible or direction-changing characters"))
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            raise ValueError(N_("must not contain control characters or line breaks"))
    return value
