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
- Chinese and Japanese, written without spaces between words, are indexed as the
  overlapping pairs of characters of each run (生物安全 → 生物 物安 安全, and its last
  character 全 alone), and searched the same way: a word of two characters or more is
  the phrase of its pairs, a single character the pairs it begins (or ends a run). A
  trigram index would miss the one- and two-character words most Chinese words are;
  single characters as words would make a search for any word of common characters read
  most of the Chinese texts.

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
_CJK_CLASS = (
    "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
_CJK = re.compile(_CJK_CLASS)
_CJK_RUN = re.compile(_CJK_CLASS + "+")
# Kept whole: folding й into и would merge distinct Russian words.
_KEEP = {"й": "й", "Й": "й"}
_TATWEEL = "\u0640"  # Arabic elongation: typography, not spelling


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """The folded form of one character: letters and digits, or spaces."""
    if char in _KEEP:
        return _KEEP[char]
    if _CJK.match(char):
        return char  # pairs are made of whole runs (fold)
    if char == _TATWEEL:
        return ""
    out = []
    for part in unicodedata.normalize("NFKD", char.casefold()):
        category = unicodedata.category(part)
        if category in {"Mn", "Me", "Mc", "Cf"}:  # accents, vowel marks, invisible joiners
            continue
        if category[0] in "LN":
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


def _pairs(run: str) -> list[str]:
    """A run of Chinese or Japanese characters as a search asks for it."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def _indexed(run: str) -> list[str]:
    """… and as the index keeps it: its last character alone too, so that a search for
    one character finds it at the end of a run as well."""
    return _pairs(run) + ([run[-1]] if len(run) > 1 else [])


def fold(text: str) -> str:
    """The folded text the engines index (see the module's description)."""
    return _CJK_RUN.sub(lambda run: " " + " ".join(_indexed(run.group())) + " ", _letters(text))


def fold_query(text: str) -> tuple[list[str], bool]:
    """The words a typed term asks for, and whether its last one is a single Chinese or
    Japanese character (found as the start of the pairs that follow it: a prefix)."""
    folded = _CJK_RUN.sub(lambda run: " " + " ".join(_pairs(run.group())) + " ", _letters(text))
    words = folded.split()
    return words, bool(words) and len(words[-1]) == 1 and bool(_CJK.match(words[-1]))


def _letters(text: str) -> str:
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
    """fold(text), and for each of its characters the index in `text` of the character
    it came from. Runs of characters that fold one to one are mapped whole (most of any
    text); only the others one by one."""
    origins: list[int] = []
    done = 0
    for run in _UNEVEN.finditer(text.translate(_WIDTHS)):
        origins.extend(range(done, run.start()))
        for index in range(run.start(), run.end()):
            origins.extend([index] * len(fold_char(text[index])))
        done = run.end()
    origins.extend(range(done, len(text)))
    letters = _letters(text)
    # Each run of Chinese or Japanese characters becomes its pairs, as in fold().
    parts: list[str] = []
    mapped: list[int] = []
    done = 0
    for run in _CJK_RUN.finditer(letters):
        parts.append(letters[done : run.start()])
        mapped.extend(origins[done : run.start()])
        where = origins[run.start() : run.end()]
        parts.append(" ")
        mapped.append(where[0])
        for i, token in enumerate(_indexed(run.group())):  # each begins at the i-th
            parts.append(token + " ")
            mapped.extend([*where[i : i + len(token)], where[i]])
        done = run.end()
    parts.append(letters[done:])
    mapped.extend(origins[done:])
    return "".join(parts), mapped


# --- Markdown to plain text ---------------------------------------------------------
# Linear patterns only (no nested repetition): this runs inside write transactions, on
# whatever a participant typed.
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]{1,999}\]:\s")
_BLOCK_PREFIX = re.compile(
    r"^\s{0,3}(?:>\s?)*\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)?"
)
_TABLE_RULE = frozenset("|-: \t")  # a table's header rule: |---|:--:| (checked by hand)
# Each bracket or parenthesis ends what may be in one: a text of nothing but brackets
# costs one step per character, not one per character and bound.
_TARGET = r"\([^()\s]{0,2000}(?:\s{1,9}\"[^\"\n]{0,300}\")?\)"
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,1000})\]" + _TARGET)
_LINK = re.compile(r"\[([^\[\]\n]{0,1000})\](?:" + _TARGET + r"|\[[^\[\]\n]{0,1000}\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]{1,2000})>")
_EMPHASIS = re.compile(
    r"(?:\*{1,3}|~~)(?=\S)|(?<=\S)(?:\*{1,3}|~~)|(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)"
)
_CODE = re.compile(r"`+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BLANK_LINES = re.compile(r"\n{3,}")


def _without_closing_hashes(heading: str) -> str:
    """A heading's optional closing hashes ("## Title ##") left out; done by hand, as a
    pattern for it would try every position of a long run of spaces."""
    text = heading.rstrip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        return bare.rstrip()
    return heading


_BLOCK_STARTS = frozenset(">#-*+_|~`[0123456789")


def _block(line: str) -> str | None:
    """A line without its block markup (quote and list markers, a heading's hashes);
    None for a line that is only markup (a fence, a rule, a link's definition)."""
    if _FENCE.match(line) or _RULE.match(line) or _LINK_DEFINITION.match(line):
        return None
    if "-" in line and "|" in line and set(line) <= _TABLE_RULE:
        return None
    prefix = _BLOCK_PREFIX.match(line)
    if prefix is None:
        return line
    if "#" in prefix.group():
        line = _without_closing_hashes(line)
    return line[prefix.end() :]


def plain_text(markdown: str) -> str:
    """What a reader reads of a Markdown text, as plain text: link and image targets,
    emphasis marks, headings' hashes, quote and list markers and code fences left out;
    one line a line. Block markup is looked for only on lines that start like it; the
    inline patterns run once over the whole text."""
    lines: list[str] = []
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        start = line.lstrip()[:1]
        kept = _block(line) if start in _BLOCK_STARTS and start else line
        if kept is not None:
            lines.append(kept)
    text = "\n".join(lines)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = html.unescape(_ESCAPE.sub(r"\1", text)).replace("|", " ")
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
