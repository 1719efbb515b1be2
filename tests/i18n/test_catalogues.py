"""The catalogues are whole: every string the product shows is in them, translated in
all five other languages, with the same placeholders, and compiled as shipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from forum_server.i18n import CODES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "forum_server" / "locales"
TEMPLATES = ROOT / "forum_server" / "web" / "templates"
TRANSLATED = [code for code in CODES if code != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdrf]|\{(\w*)\}")
KEYWORDS = [
    "N_",
    "lazy_gettext",
    "t",
    "Invalid",
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "TooLarge",
    "RateLimited",
    "Unavailable",
]


def _catalogue(code: str):  # type: ignore[no-untyped-def]
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=code)


def _ids(message) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _key(message) -> tuple[str | None, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """An entry's context and ids, hashable (a plural's ids are a list in a .mo)."""
    return message.context, _ids(message)


def _texts(message) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    texts = message.string
    return tuple(texts) if isinstance(texts, tuple | list) else (texts,)


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], str]:
    """What pybabel finds in the sources now, and what it warned about."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
    result = subprocess.run(
        [*command, *keywords, "--no-location", "-o", str(out), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    with out.open("rb") as source:
        found = {
            message_id for message in read_po(source) if message.id for message_id in _ids(message)
        }
    return found, result.stderr


def test_extraction_finds_nothing_new(extracted: tuple[set[str], str]) -> None:
    found, _ = extracted
    known = {i for message in _catalogue("fr") if message.id for i in _ids(message)}
    missing = sorted(found - known)
    assert not missing, f"not in the catalogues (run ./dev.sh messages): {missing[:20]}"


def test_no_string_is_built_where_it_cannot_be_translated(extracted: tuple[set[str], str]) -> None:
    _, warnings = extracted
    skipped = [line for line in warnings.splitlines() if "Skipping" in line]
    assert not skipped, "\n".join(skipped[:20])


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_is_translated_with_the_same_placeholders(code: str) -> None:
    problems = []
    for message in _catalogue(code):
        if not message.id:
            continue
        ids = _ids(message)
        texts = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(texts):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = _placeholders(ids[-1])
        for text in texts:
            # A plural form may leave the count out ("one" in words), never add names.
            got = _placeholders(text)
            if got != expected and not (len(ids) > 1 and got <= expected):
                problems.append(f"placeholders {sorted(got)} != {sorted(expected)}: {ids[0]!r}")
    assert not problems, f"{code}: {len(problems)} problems:\n" + "\n".join(problems[:30])


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_matches_its_source(code: str) -> None:
    with (LOCALES / code / "LC_MESSAGES" / "messages.mo").open("rb") as source:
        compiled = {_key(message): _texts(message) for message in read_mo(source) if message.id}
    written = {
        _key(message): _texts(message)
        for message in _catalogue(code)
        # Untranslated entries are not compiled (the test above finds them).
        if message.id and not message.fuzzy and all(_texts(message))
    }
    stale = [key for key, text in written.items() if compiled.get(key) != text]
    assert not stale, f"{code}: run ./dev.sh messages to compile: {stale[:10]}"


# Text a person reads in a template: between tags, and in these attributes.
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|alt|aria-label)="([^"]*)"')
_TAG = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")


def _visible_text(template: str) -> list[str]:
    source = re.sub(r"<(script|style)\b.*?</\1>", "", template, flags=re.S)
    text = _JINJA.sub(" ", source)
    pieces = [value for value in _ATTRIBUTE.findall(text)]
    pieces += _TAG.sub("\n", text).splitlines()
    return [piece.strip() for piece in pieces if _WORD.search(piece)]


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_template_text_is_all_in_the_catalogue(template: str) -> None:
    """No words outside {{ _() }}: a new line of English would stay English everywhere."""
    left = _visible_text((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not left, f"{template}: text outside the catalogue: {left[:10]}"
