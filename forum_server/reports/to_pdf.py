"""The PDF report: the HTML report laid out by WeasyPrint.

WeasyPrint needs Pango and HarfBuzz from the system. Where they are missing the
import fails, and the caller gets `PdfUnavailable` (501) naming exactly the Debian
packages to install. WeasyPrint may fetch nothing but `data:` URLs: post HTML has no
images (the sanitizer drops them), and this makes sure no link in a report can make
the server reach out (SSRF).

A PDF is laid out whole in memory (about 0.3 MB and 0.05 s a post here); reports larger than
`MAX_POSTS` are refused with a pointer to the DOCX and HTML formats, which stream.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import IO

from forum_server.errors import DomainError, TooLarge
from forum_server.i18n import N_
from forum_server.reports import to_html
from forum_server.reports.model import Transcript

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
MAX_POSTS = 2_000


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


def check_available(posts: int = 0) -> None:
    """Raises PdfUnavailable without the system libraries, TooLarge past MAX_POSTS."""
    if _weasyprint() is None:
        raise PdfUnavailable()
    if posts > MAX_POSTS:
        raise TooLarge(
            "This report has %(posts)s posts; PDF reports are limited to %(limit)s. "
            "Download it as DOCX or HTML (and print that to PDF).",
            params={"posts": posts, "limit": MAX_POSTS},
            code="report_too_large",
        )


def write(transcript: Transcript, out: IO[bytes]) -> None:
    weasyprint = _weasyprint()
    if weasyprint is None:
        raise PdfUnavailable()
    html = "".join(to_html.chunks(transcript))
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
    document.metadata.title = transcript.title
    document.write_pdf(out)
