"""What a file is, decided by its content against an allow-list; never by its name
or the type the client claims.

Zip-based documents (OOXML, OpenDocument) are opened only far enough to read their
declared type, and refused when their entries promise more than a document needs
(a zip bomb); text must be UTF-8 without NULs and not markup a browser would run.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from forum_server.errors import Invalid

HEAD_BYTES = 8192
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_NAME_CHARS = 160


@dataclass(frozen=True)
class Kind:
    media_type: str
    extension: str  # the one a download is named with
    image: bool = False


PDF = Kind("application/pdf", ".pdf")
PNG = Kind("image/png", ".png", image=True)
JPEG = Kind("image/jpeg", ".jpg", image=True)
WEBP = Kind("image/webp", ".webp", image=True)
TEXT = Kind("text/plain", ".txt")
CSV = Kind("text/csv", ".csv")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx")
ODT = Kind("application/vnd.oasis.opendocument.text", ".odt")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", ".ods")
ODP = Kind("application/vnd.oasis.opendocument.presentation", ".odp")

KINDS = (PDF, PNG, JPEG, WEBP, TEXT, CSV, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_MEDIA_TYPE = {kind.media_type: kind for kind in KINDS}
_OOXML_MAIN = {
    b"wordprocessingml.document.main+xml": DOCX,
    b"spreadsheetml.sheet.main+xml": XLSX,
    b"presentationml.presentation.main+xml": PPTX,
}
_ODF = {kind.media_type.encode(): kind for kind in (ODT, ODS, ODP)}
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body", b"<iframe")


def _refused() -> Invalid:
    return Invalid(
        "This kind of file is not accepted: PDF, Word, Excel, PowerPoint, OpenDocument, "
        "PNG, JPEG, WebP, plain text and CSV are.",
        field="file",
        code="file_type_refused",
    )


def detect(path: Path, name: str) -> Kind:
    """The file's kind; Invalid (code file_type_refused or zip_bomb) otherwise."""
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    if not head:
        raise Invalid("The file is empty.", field="file", code="file_empty")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if _is_text(path, head):
        return CSV if name.lower().endswith(".csv") else TEXT
    raise _refused()


def _zip_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            declared = sum(entry.file_size for entry in entries)
            if len(entries) > MAX_ZIP_ENTRIES or declared > MAX_ZIP_UNCOMPRESSED:
                raise Invalid(
                    "This document unpacks to far more than its size: refused.",
                    field="file",
                    code="zip_bomb",
                )
            names = {entry.filename: entry for entry in entries}
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size < 200:
                kind = _ODF.get(archive.read(mimetype).strip())
                if kind is not None:
                    return kind
            types = names.get("[Content_Types].xml")
            if types is not None and types.file_size < 1024 * 1024:
                listed = archive.read(types)
                for marker, kind in _OOXML_MAIN.items():
                    if marker in listed:
                        return kind
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        pass
    raise _refused()


def _is_text(path: Path, head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_MARKUP):
        return False  # a browser would render it as a page if ever opened in one
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as file:
            while chunk := file.read(256 * 1024):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# Path separators, and characters that reorder or hide what a name shows.
_DROP = set("/\\\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def plain_name(raw: str) -> str:
    """A name as sent, safe to show: no folders, no control or bidirectional override
    characters, a bounded length (for telling someone which file was refused)."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        c for c in name if c not in _DROP and unicodedata.category(c) not in {"Cc", "Cf"}
    )
    return name.strip().strip(".").strip()[:MAX_NAME_CHARS]


def display_name(raw: str, kind: Kind) -> str:
    """A name safe to show and to download as: no folders, no control or bidirectional
    override characters, a bounded length, and the extension of what the file is."""
    name = plain_name(raw)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if f".{ext.lower()}" != kind.extension and not (kind is JPEG and ext.lower() == "jpeg"):
        stem = name
        ext = kind.extension[1:]
    stem = stem[: MAX_NAME_CHARS - len(ext) - 1].strip() or "file"
    return f"{stem}.{ext}"
