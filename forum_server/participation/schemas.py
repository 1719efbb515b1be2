"""What the participation page takes: the turnout the moderators expect."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from forum_server.schemas import Input

# More people than any forum has had: a typing slip, not an expectation.
MAX_EXPECTED = 100_000


class ExpectationInput(Input):
    """How many people the moderators expect to take part; null clears it."""

    expected_participants: Annotated[int, Field(ge=1, le=MAX_EXPECTED)] | None
