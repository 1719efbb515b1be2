"""The PDF report: the HTML report's parts laid out one at a time and joined with pypdf.

WeasyPrint lays a document out whole in memory, and its cost grows faster than the
document: 2,000 posts in one piece took ~38 s and 640 MB. So the report is laid out in
parts — the front matter (cover and contents), the introduction, each session's
questions, the statistics, the list of participants, then the transcript in chunks of
`CHUNK_POSTS` posts — each written to a temporary file and forgotten before the next.
Every part's first page continues the numbering of the parts before it, and the
contents, laid out last, give each entry's page; the joined file also has bookmarks
(the PDF outline), its title, author (the site) and language.

The transcript's chunks, nearly all of a large report, are laid out by ReportLab
(pdf_annex.py, about fifteen times faster per post) wherever their text needs no
shaping or right-to-left ordering; a chunk with Arabic or Chinese text, and every
chunk of an Arabic or Chinese report, goes to WeasyPrint like the other parts.

WeasyPrint needs Pango and HarfBuzz from the system. Where they are missing the
import fails, and the caller gets `PdfUnavailable` (501) naming exactly the Debian
packages to install. WeasyPrint may fetch nothing but `data:` URLs: post HTML has no
images (the sanitizer drops them), and this makes sure no link in a report can make
the server reach out (SSRF).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from forum_server.errors import DomainError
from forum_server.i18n import N_, language
from forum_server.reports import outline, pdf_annex, to_html
from forum_server.reports.model import Transcript

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
CHUNK_POSTS = 250  # a transcript part: large enough to fill pages, small enough to be quick
_PLACEHOLDER = "0000"  # the contents' page numbers before they are known

log = logging.getLogger(__name__)


class PdfUnavailable(DomainError):
    status = 501
    code = "pdf_unavailable"
    default_message = N_(
        "PDF reports need WeasyPrint's system libraries, which this server lacks. "
        "Install them with: apt-get install -y %(packages)s"
    )

    def __init__(self) -> None:
        super().__init__(params={"packages": DEBIAN_PACKAGES})


@cache
def _weasyprint() -> ModuleType | None:
    try:
        import weasyprint
    except (OSError, ImportError):
        return None
    return weasyprint


def check_available() -> None:
    """Raises PdfUnavailable without the system libraries. Any size is laid out."""
    if _weasyprint() is None:
        raise PdfUnavailable()


@dataclass
class _Part:
    kind: str
    context: dict[str, Any] = field(default_factory=dict)


def _parts(t: Transcript) -> Iterator[_Part]:
    """Every part after the front matter, in order; the transcript's chunks are read
    from the database as they are laid out."""
    yield _Part("introduction")
    for session in t.sessions:
        yield _Part("session", {"session": session})
    yield _Part("statistics")
    yield _Part("participants")
    items: list[outline.Item] = []
    posts = 0
    for item in outline.transcript_items(t):
        items.append(item)
        if item[0] == "post":
            posts += 1
            if posts >= CHUNK_POSTS:
                yield _Part("transcript", {"items": items})
                items, posts = [], 0
    if items:
        yield _Part("transcript", {"items": items})


class _Layout:
    def __init__(self, weasyprint: ModuleType, t: Transcript) -> None:
        self.weasyprint = weasyprint
        self.t = t
        self.fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
        self.template = to_html.template("part.html")
        self.anchors: dict[str, int] = {}  # a heading's id -> its page number

    def render(self, part: _Part, first_page: int) -> Any:
        html = self.template.render(
            t=self.t,
            p=self.t.participation,
            language=language(self.t.language),
            kind=part.kind,
            links=False,  # what a reply answers may be in another part
            first_page=first_page,
            **part.context,
        )
        document = self.weasyprint.HTML(string=html, url_fetcher=self.fetcher).render()
        for i, page in enumerate(document.pages):
            for anchor in page.anchors:
                self.anchors.setdefault(anchor, first_page + i)
        return document

    def write(self, part: _Part, first_page: int, path: Path, annex: bool) -> int:
        """Lays `part` out into `path` and returns its number of pages: the transcript
        with ReportLab where its text allows (pdf_annex.py), all else with WeasyPrint."""
        if annex and part.kind == "transcript":
            try:
                pages, anchors = pdf_annex.write_part(
                    self.t, part.context["items"], first_page, path
                )
            except pdf_annex.NeedsShaping:
                pass
            else:
                for anchor, number in anchors.items():
                    self.anchors.setdefault(anchor, number)
                return pages
        document = self.render(part, first_page)
        document.write_pdf(path)
        return len(document.pages)


def write(transcript: Transcript, out: IO[bytes]) -> None:
    weasyprint = _weasyprint()
    if weasyprint is None:
        raise PdfUnavailable()
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    t = transcript
    layout = _Layout(weasyprint, t)
    entries = outline.contents(t)
    placeholder = {e.anchor: _PLACEHOLDER for e in entries}
    front = _Part("front", {"pages": placeholder})
    front_pages = len(layout.render(front, 1).pages)
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as workdir:
        files: list[Path] = []
        page = front_pages + 1
        annex = pdf_annex.available(t)
        for n, part in enumerate(_parts(t)):
            files.append(Path(workdir) / f"{n:05d}.pdf")
            page += layout.write(part, page, files[-1], annex)
        numbers = {e.anchor: str(layout.anchors.get(e.anchor, "")) for e in entries}
        front_file = Path(workdir) / "front.pdf"
        document = layout.render(_Part("front", {"pages": numbers}), 1)
        if len(document.pages) != front_pages:  # never seen: the numbers are narrower
            log.warning("report contents: %s pages, not %s", len(document.pages), front_pages)
        document.write_pdf(front_file)
        del document

        writer = PdfWriter()
        for path in (front_file, *files):
            writer.append(str(path), import_outline=False)
        levels: dict[int, Any] = {}
        for entry in entries:
            number = layout.anchors.get(entry.anchor)
            if number is None:
                continue
            parent = levels.get(entry.level - 1)
            levels[entry.level] = writer.add_outline_item(
                title=entry.text, page_number=number - 1, parent=parent
            )
        writer.add_metadata(
            {
                "/Title": t.title,
                "/Author": outline.site_name(t),
                "/Subject": t.space.title,
            }
        )
        writer._root_object[NameObject("/Lang")] = TextStringObject(t.language)
        writer.page_mode = "/UseOutlines"
        writer.write(out)
        writer.close()
