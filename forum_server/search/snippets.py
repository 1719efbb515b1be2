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


class SegmentJson(TypedDict):
    text: str
    match: bool


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool

    def as_json(self) -> SegmentJson:
        return {"text": self.text, "match": self.match}


def matched_ranges(text: str, marked: str | None) -> list[tuple[int, int]]:
    """The ranges of `text` whose folded form the engine marked in `marked` (the folded
    text with START/STOP around each match); none when `marked` is not that."""
    if not marked:
        return []
    folded, origins = fold_with_origins(text)
    ranges: list[tuple[int, int]] = []
    position, start = 0, None
    for char in marked:
        if char == START:
            start = position
        elif char == STOP:
            if start is not None and position > start:
                ranges.append((origins[start], origins[position - 1] + 1))
            start = None
        else:
            if position >= len(folded) or folded[position] != char:
                return []  # not this text's folding: better no highlight than a wrong one
            position += 1
    if position != len(folded):
        return []
    return _merged(ranges)


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping and touching ranges as one (a Chinese word's characters each match)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _boundary_after(text: str, index: int) -> int:
    """The start of the word at or after `index` (not cutting a word in two)."""
    if index <= 0:
        return 0
    space = text.find(" ", index)
    return space + 1 if 0 <= space < index + 20 else index


def _boundary_before(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", index - 20, index)
    return space if space > 0 else index


def snippet(text: str, ranges: list[tuple[int, int]]) -> list[Segment]:
    """About LENGTH characters of `text` on one line, from a little before the first
    match, the matches in it marked; an ellipsis where the text goes on."""
    # Line breaks become spaces one for one, so the ranges still point at their words.
    flat = "".join(" " if c.isspace() else c for c in text)
    first = ranges[0][0] if ranges else 0
    begin = _boundary_after(flat, first - BEFORE) if first > BEFORE else 0
    end = _boundary_before(flat, begin + LENGTH) if begin + LENGTH < len(flat) else len(flat)
    end = max(end, min(len(flat), ranges[0][1])) if ranges else end
    segments: list[Segment] = []
    position = begin
    for start, stop in ranges:
        start, stop = max(start, begin), min(stop, end)
        if start >= stop:
            continue
        if start > position:
            segments.append(Segment(flat[position:start], False))
        segments.append(Segment(flat[start:stop], True))
        position = stop
    if position < end:
        segments.append(Segment(flat[position:end], False))
    if begin > 0:
        segments.insert(0, Segment("… ", False))
    if end < len(flat):
        segments.append(Segment(" …", False))
    return [_squeezed(s) for s in segments if s.text]


def _squeezed(segment: Segment) -> Segment:
    return Segment(_SPACES.sub(" ", segment.text), segment.match)
