"""Cells that a spreadsheet shows as text and never runs as a formula (CSV injection).

A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage
return, which some strip first). A file may also be opened with another separator
than the one it was written with — `;` in much of Europe — so a cell `a;=1+1` becomes
two cells there, the second a formula. Every part that could start a cell, at the
start or after a `;` or `,` (and any spaces), gets a `'` before it: the apostrophe
that spreadsheets read as "this is text".
"""

from __future__ import annotations

import re

_FORMULA_START = "=+\\-@\t\r"
_CELL_START = re.compile(rf"(^|[;,])( *)(?=[{_FORMULA_START}])")


def safe_cell(value: str) -> str:
    """`value` with every place a cell could start as a formula made text."""
    return _CELL_START.sub(r"\1\2'", value)
