"""The words of a library document, read from its file so that search finds them: PDF
(pypdf), Word (DOCX) and OpenDocument text (ODT), plain text and CSV.

Reading a document is the one step here that a crafted file could make slow or
greedy, so PDF and zip-based documents are read in a child process with a time limit,
a memory limit and a bound on what it writes back; it is killed when the time is up.
Whatever goes wrong, the answer is "" (no words), never an error: an upload is never
refused because its words could not be read. It runs after the file is stored and
before the write transaction, never inside one.

Run as `python -m forum_server.files.extract MEDIA_TYPE PATH`: the child's side.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import iterparse

from forum_server.files.kinds import CSV, DOCX, ODT, PDF, TEXT, Kind

MAX_CHARS = 100_000  # of a document's text kept for search (about 40 pages)
SECONDS = 20.0  # for the child to read one file
MEMORY_BYTES = 768 * 1024 * 1024  # the child's address space
_READ_IN_CHILD = {PDF.media_type, DOCX.media_type, ODT.media_type}
_READ_HERE = {TEXT.media_type, CSV.media_type}
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")

log = logging.getLogger(__name__)


READABLE = frozenset(_READ_IN_CHILD | _READ_HERE)  # media types with words to read


async def extract_text(path: Path, kind: Kind) -> str | None:
    """The file's words as plain text, at most MAX_CHARS of them: "" when none could be
    read (in time), None for a kind of file that has no words to read (an image)."""
    if kind.media_type in _READ_HERE:
        return await asyncio.to_thread(_plain, path)
    if kind.media_type not in _READ_IN_CHILD:
        return None
    try:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "forum_server.files.extract",
            kind.media_type,
            str(path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError:
        log.warning("could not start the text extraction of a %s", kind.media_type)
        return ""
    try:
        out, _ = await asyncio.wait_for(child.communicate(), SECONDS)
    except TimeoutError:
        log.warning("text extraction of a %s stopped after %s s", kind.media_type, SECONDS)
        return ""
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    if child.returncode != 0:
        # What it wrote before it gave up (a broken page, the memory limit) still counts.
        log.info("a %s was read only in part (the reader gave up)", kind.media_type)
    return tidy(out.decode("utf-8", "replace"))


def tidy(text: str) -> str:
    """Control characters out (a NUL among them: PostgreSQL refuses it), runs of spaces
    and of blank lines as one, and at most MAX_CHARS characters."""
    kept = "".join(
        c if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cs", "Co"} else " "
        for c in text[: MAX_CHARS * 2]
    )
    kept = _LINES.sub("\n\n", _SPACES.sub(" ", kept))
    return "\n".join(line.strip() for line in kept.split("\n")).strip()[:MAX_CHARS]


def _plain(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(MAX_CHARS * 4)
    return tidy(head.decode("utf-8", "ignore"))


# --- the child's side ---------------------------------------------------------------


def _pdf(path: Path) -> Iterator[str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        return
    for page in reader.pages:
        try:
            yield page.extract_text() + "\n\n"
        except Exception:  # one unreadable page: the others may be fine
            continue


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _docx(path: Path) -> Iterator[str]:
    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as xml:
        for _, element in iterparse(xml):
            if element.tag == _W + "p":
                yield "".join(t.text or "" for t in element.iter(_W + "t")) + "\n"
                element.clear()


def _odt(path: Path) -> Iterator[str]:
    paragraphs = {_TEXT_NS + "p", _TEXT_NS + "h"}
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as xml:
        for _, element in iterparse(xml):
            if element.tag in paragraphs:
                yield "".join(element.itertext()) + "\n"
                element.clear()  # a paragraph within a note is not read twice


_READERS = {PDF.media_type: _pdf, DOCX.media_type: _docx, ODT.media_type: _odt}


def _limit_resources() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    cpu = int(SECONDS) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def main(argv: list[str]) -> int:
    media_type, path = argv
    _limit_resources()
    logging.disable(logging.CRITICAL)  # pypdf's warnings about malformed files
    written = 0
    out = sys.stdout
    for part in _READERS[media_type](Path(path)):
        out.write(part)
        written += len(part)
        if written >= MAX_CHARS * 2:
            break
    out.flush()
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.exit(main(sys.argv[1:]))
