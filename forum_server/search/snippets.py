"""Snippets: a stretch of a result's plain text around what matched, as segments that
say which parts to highlight. Never markup: pages put each matched segment in <mark>,
escaped like any other text.

The engines mark matches in the folded text (with [ and ], which folding never
leaves); fold_with_origins maps each folded character back to the plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing_extensions import TypedDict

from forum_server.search.text import fold_with_origins

START, STOP = "[", "]"
BEFORE = 60  # characters of context before the first match
LENGTH = 240  # characters in a snippet, about
_SPACES = re.compile(r"\s+")
_SPACE = re.compile(r"\s")


class SegmentJson(TypedDict):
    text: str
    match: bool


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool

    def as_json(self) -> SegmentJson:
        return {"text": self.text, "match": self.match}


_MARK = re.compile(r"[\[\]]")


def matched_ranges(text: str, marked: str | None) -> list[tuple[int, int]]:
    """The ranges of `text` whose folded form the engine marked in `marked` (the folded
    text with START/STOP around each match); none when `marked` is not that."""
    if not marked:
        return []
    folded, origins = fold_with_origins(text)
    if marked.replace(START, "").replace(STOP, "") != folded:
        return []  # not this text's folding: better no highlight than a wrong one
    ranges: list[tuple[int, int]] = []
    start = None
    for count, mark in enumerate(_MARK.finditer(marked)):
        position = mark.start() - count  # in the folded text: markers before it left out
        if mark.group() == START:
            start = position
        elif start is not None and position > start:
            ranges.append((origins[start], origins[position - 1] + 1))
            start = None
    return _merged(text, ranges)


def _merged(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping ranges, and ranges with only spaces between them, as one: a phrase,
    or a Chinese word whose characters each matched, is one highlight (whether the
    engine marked its words one by one or together)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _boundary_after(text: str, index: int) -> int:
    """The start of the word at or after `index` (not cutting a word in two)."""
    space = _SPACE.search(text, index, index + 20)
    return space.end() if space else index


def _boundary_before(text: str, index: int) -> int:
    spaces = list(_SPACE.finditer(text, max(0, index - 20), index))
    return spaces[-1].start() if spaces else index


def snippet(text: str, ranges: list[tuple[int, int]]) -> list[Segment]:
    """About LENGTH characters of `text` on one line, from a little before the first
    match, the matches in it marked; an ellipsis where the text goes on."""
    first = ranges[0][0] if ranges else 0
    begin = _boundary_after(text, first - BEFORE) if first > BEFORE else 0
    end = _boundary_before(text, begin + LENGTH) if begin + LENGTH < len(text) else len(text)
    if ranges:
        end = max(end, min(len(text), ranges[0][1]))
    segments: list[Segment] = []
    position = begin
    for start, stop in ranges:
        start, stop = max(start, begin), min(stop, end)
        if start >= stop:
            continue
        if start > position:
            segments.append(Segment(text[position:start], False))
        segments.append(Segment(text[start:stop], True))
        position = stop
    if position < end:
        segments.append(Segment(text[position:end], False))
    if begin > 0:
        segments.insert(0, Segment("… ", False))
    if end < len(text):
        segments.append(Segment(" …", False))
    # On one line: line breaks and runs of spaces as one space.
    return [Segment(_SPACES.sub(" ", s.text), s.match) for s in segments if s.text]
