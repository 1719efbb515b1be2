"""The stylesheet lays pages out by the direction they read in: logical properties
only, so that a right-to-left page (Arabic) is the mirror of a left-to-right one, its
replies indented from the right and its arrows pointing the way it reads."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import httpx

CSS = Path(__file__).resolve().parents[2] / "static" / "forum.css"
# Properties and values tied to the physical left or right of the screen.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:"
    r"(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)[\w-]*"
    r"|left|right"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r")\s*:"
    r"|(?:float|clear|text-align|justify-self|resize)\s*:\s*(?:left|right)\b",
)


def declarations() -> list[str]:
    source = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    return [
        part.strip() for block in re.findall(r"\{([^{}]*)\}", source) for part in block.split(";")
    ]


def test_the_stylesheet_uses_logical_properties_only() -> None:
    physical = [d for d in declarations() if PHYSICAL.search(d)]
    assert not physical, f"use the logical property instead: {physical}"


def test_the_check_would_catch_a_physical_property() -> None:
    for caught in (
        "margin-left: 1rem",
        "padding-right:0",
        "left: 0",
        "text-align: right",
        "float: left",
        "border-right: 1px solid",
    ):
        assert PHYSICAL.search(caught), caught
    for fine in (
        "margin-inline-start: 1rem",
        "inset-inline-end: 0",
        "text-align: start",
        "border-inline-start: 4px solid",
    ):
        assert not PHYSICAL.search(fine), fine


def test_replies_indent_from_the_side_the_page_starts_on() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"\.post\s*\{[^}]*margin-inline-start:\s*calc\(var\(--depth", css)
    # Arrows are characters the bidirectional algorithm mirrors: in a right-to-left
    # page they point the way it reads, with no rule of their own.
    arrows = re.findall(r'content:\s*"([^"]+)"', css)
    assert arrows and all(unicodedata.mirrored(arrow) for arrow in arrows), arrows


async def test_an_arabic_page_reads_right_to_left(client: httpx.AsyncClient) -> None:
    client.cookies.set("forum_lang", "ar")  # as the footer's language switcher leaves it
    page = (await client.get("/")).text
    client.cookies.clear()
    assert '<html lang="ar" dir="rtl">' in page
    english = (await client.get("/", headers={"Accept-Language": "en"})).text
    assert '<html lang="en" dir="ltr">' in english
