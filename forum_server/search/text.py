"""Text as the search index sees it.

Two forms of every searchable text are kept: the plain text shown in result snippets
(Markdown taken out, never HTML), and its folded form, the only thing the engines
tokenize. Folding is done here, in Python, once, so that SQLite and PostgreSQL see
exactly the same words:

- letters are case-folded and lose their diacritics (é → e, and Cyrillic ё,
  Arabic harakat and hamza seats likewise), so a search with or without accents
  finds the same posts;
- every character that is not a letter or a digit becomes a space, so both engines
  split words at the same places and nothing in the text can look like an operator;
- each Chinese or Japanese character stands alone between spaces. Those scripts
  write words without spaces; indexed one character at a time and searched as a
  phrase of consecutive characters, a word of any length is found (a trigram index
  misses the one- and two-character words most Chinese words are).

`fold_with_origins` also says which character of the plain text each folded character
came from, so that matches the engines mark in the folded text are highlighted in
the plain text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Han ideographs (with the extension blocks and compatibility forms), kana, bopomofo.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
# Kept whole: folding й into и would merge distinct Russian words.
_KEEP = {"й": "й", "Й": "й"}
_TATWEEL = "\u0640"  # Arabic elongation: typography, not spelling


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """The folded form of one character: letters and digits, or spaces."""
    if char in _KEEP:
        return _KEEP[char]
    if _CJK.match(char):
        return f" {char} "
    if char == _TATWEEL:
        return ""
    out = []
    for part in unicodedata.normalize("NFKD", char.casefold()):
        category = unicodedata.category(part)
        if category in {"Mn", "Me", "Mc", "Cf"}:  # accents, vowel marks, invisible joiners
            continue
        if _CJK.match(part):
            out.append(f" {part} ")
        elif category[0] in "LN":
            out.append(part)
        else:
            out.append(" ")
    return "".join(out)


class _Folding(dict[int, str]):
    """A str.translate table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(self) < 200_000:
            self[code] = folded
        return folded


_FOLDING = _Folding()


def fold(text: str) -> str:
    """The folded text the engines index (see the module's description)."""
    return text.translate(_FOLDING)


class _Widths(dict[int, str]):
    """A str.translate table marking each character "." when it folds to exactly one
    character, "#" otherwise: positions stay where they are."""

    def __missing__(self, code: int) -> str:
        width = "." if len(fold_char(chr(code))) == 1 else "#"
        if len(self) < 200_000:
            self[code] = width
        return width


_WIDTHS = _Widths()
_UNEVEN = re.compile("#+")


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index in `text` of the
    character it came from. Runs of characters that fold one to one are mapped whole
    (most of any text); only the others one by one."""
    origins: list[int] = []
    done = 0
    for run in _UNEVEN.finditer(text.translate(_WIDTHS)):
        origins.extend(range(done, run.start()))
        for index in range(run.start(), run.end()):
            origins.extend([index] * len(fold_char(text[index])))
        done = run.end()
    origins.extend(range(done, len(text)))
    return fold(text), origins


def words(text: str) -> list[str]:
    """The words of a text as the engines count them: folded, split at spaces."""
    return fold(text).split()


# --- Markdown to plain text ---------------------------------------------------------
# Linear patterns only (no nested repetition): this runs inside write transactions, on
# whatever a participant typed.
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]{1,999}\]:\s")
_BLOCK_PREFIX = re.compile(
    r"^\s{0,3}(?:>\s?)*\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)?"
)
_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")
_IMAGE = re.compile(r"!\[([^\]\n]{0,1000})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,1000})\](?:\([^)\n]{0,2000}\)|\[[^\]\n]{0,1000}\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]{1,2000})>")
_EMPHASIS = re.compile(
    r"(?:\*{1,3}|~~)(?=\S)|(?<=\S)(?:\*{1,3}|~~)|(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)"
)
_CODE = re.compile(r"`+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")


def plain_text(markdown: str) -> str:
    """What a reader reads of a Markdown text, as plain text: link and image targets,
    emphasis marks, headings' hashes, quote and list markers and code fences left out;
    one line a line."""
    lines: list[str] = []
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line) or _RULE.match(line) or _LINK_DEFINITION.match(line):
            continue
        if _TABLE_RULE.match(line) and "-" in line:
            continue
        line = _BLOCK_PREFIX.sub("", line, count=1)
        line = _HEADING_CLOSE.sub("", line)
        line = _IMAGE.sub(r"\1", line)
        line = _LINK.sub(r"\1", line)
        line = _AUTOLINK.sub(r"\1", line)
        line = _CODE.sub("", line)
        line = _EMPHASIS.sub("", line)
        line = html.unescape(_ESCAPE.sub(r"\1", line))
        line = line.replace("|", " ").strip()
        lines.append(line)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
