"""The documentation names what the code serves: docs/api.md's route table is the
routers' own list, so a route cannot be added, renamed or dropped without it."""

from __future__ import annotations

import re
from pathlib import Path

from forum_server.app import all_api_routers

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
CONVERTER = re.compile(r"{(\w+):\w+}")  # {id:int} is documented as {id}
ROW = re.compile(r"^\| `(?P<method>[A-Z]+)` \| `(?P<path>[^`]+)` \| (?P<does>.*) \|$")


def documented_routes() -> list[str]:
    section = API_DOC.read_text().split("## Every route", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if ROW.match(line)]


def served_routes() -> list[str]:
    rows = {
        (op.method, CONVERTER.sub(r"{\1}", op.path), op.summary)
        for router in all_api_routers()
        for op in router.operations
    }
    return [f"| `{method}` | `{path}` | {does} |" for method, path, does in sorted(rows)]


def test_the_route_table_is_the_routers_own() -> None:
    documented, served = documented_routes(), served_routes()
    missing = "\n".join(row for row in served if row not in documented)
    stale = "\n".join(row for row in documented if row not in served)
    assert not missing and not stale, (
        f"docs/api.md's route table differs from the code.\nAdd:\n{missing}\nRemove:\n{stale}"
    )
    assert documented == served, "docs/api.md's route table is out of order"
