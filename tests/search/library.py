"""Library documents for the search tests: files with words in them (PDF, Word,
OpenDocument text), made here, and a document added through the library's command."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from forum_server.db import Database
from forum_server.files import library
from forum_server.files.ingest import ReadForm, Received, ReceivedFile
from forum_server.files.storage import LocalFileStore
from forum_server.policy import Actor


def pdf(*lines: str) -> bytes:
    """A one-page PDF whose page shows these lines (Helvetica, ASCII)."""
    shown = " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj 0 -16 Td"
        for line in lines
    )
    content = f"BT /F1 12 Tf 72 720 Td {shown} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(*paragraphs: str) -> bytes:
    """A Word document of these paragraphs (each split in two runs, as Word does)."""
    runs = ([p[: len(p) // 2], p[len(p) // 2 :]] for p in paragraphs)
    body = "".join(
        "<w:p>" + "".join(f"<w:r><w:t>{run}</w:t></w:r>" for run in pair) + "</w:p>"
        for pair in runs
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
        )
    return out.getvalue()


def odt(*paragraphs: str) -> bytes:
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            f'<office:document-content xmlns:office="{office}" xmlns:text="{text}">'
            f"<office:body><office:text>{body}</office:text></office:body>"
            "</office:document-content>",
        )
    return out.getvalue()


@dataclass
class Library:
    db: Database
    store: LocalFileStore

    def _form(self, data: bytes, filename: str, fields: dict[str, str]) -> ReadForm:
        async def read() -> Received:
            incoming = self.store.incoming()
            incoming.write(data)
            return Received(dict(fields), [ReceivedFile(incoming, filename)])

        return read

    async def add(self, actor: Actor, slug: str, data: bytes, filename: str, **fields: str) -> int:
        form = self._form(data, filename, {"language": "en", **fields})
        created = await library.create_document(self.db, self.store, actor, slug, form)
        return created.id

    async def new_version(self, actor: Actor, document_id: int, data: bytes, filename: str) -> None:
        form = self._form(data, filename, {})
        await library.add_version(self.db, self.store, actor, document_id, form)

    async def remove(self, actor: Actor, document_id: int) -> None:
        await library.remove_document(self.db, actor, document_id)
