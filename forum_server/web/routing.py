"""Path ids that fit the database.

Starlette's `{name:int}` matches any run of digits, and a number past what the id
columns hold (32 bits in PostgreSQL) failed inside the database as a 500. Routes keep
declaring `{name:int}`; importing this module (forum_server.web does, before any route
is built) makes that convertor match only ids from 1 to MAX_ID, so any other number
finds no route and gets the ordinary 404.
"""

from __future__ import annotations

from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor

from forum_server.schemas import MAX_ID


def at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 1..limit (leading zeros allowed)."""
    digits = str(limit)
    alternatives = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        below = int(digit) - 1  # this digit lower, any digits after it
        if below >= lowest:
            choice = str(below) if below == lowest else f"[{lowest}-{below}]"
            rest = len(digits) - i - 1
            alternatives.append(digits[:i] + choice + (f"[0-9]{{{rest}}}" if rest else ""))
    alternatives.append(digits)
    return "0*(?:" + "|".join(alternatives) + ")"


class IdConvertor(Convertor[int]):
    regex = at_most(MAX_ID)

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        value = int(value)
        assert 1 <= value <= MAX_ID, "ids run from 1 to MAX_ID"
        return str(value)


def install() -> None:
    if not isinstance(CONVERTOR_TYPES["int"], IdConvertor):
        register_url_convertor("int", IdConvertor())


install()
