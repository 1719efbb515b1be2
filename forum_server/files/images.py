"""Images are decoded and written afresh: what reaches readers is pixels only, with no
metadata (EXIF, GPS, comments) and nothing a decoder could be tricked by; a small PNG
preview is made at the same time. Decoding runs in a worker thread."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from forum_server.errors import Invalid
from forum_server.files.kinds import JPEG, PNG, WEBP, Kind

MAX_PIXELS = 40_000_000  # about 7,000 × 5,700: any real photograph or scan
PREVIEW_BOX = (320, 320)
_FORMATS = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}


def _too_large() -> Invalid:
    return Invalid(
        "The image has too many pixels (at most %(limit)s million).",
        field="file",
        code="image_too_large",
        params={"limit": MAX_PIXELS // 1_000_000},
    )


def reencode(path: Path, kind: Kind) -> tuple[bytes, bytes]:
    """The image written afresh in its own format, and its PNG preview."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[_FORMATS[kind]]) as source:
                if source.width * source.height > MAX_PIXELS:
                    raise _too_large()
                source.seek(0)  # first frame of an animation
                image = ImageOps.exif_transpose(source)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (OSError, SyntaxError, ValueError):
        raise Invalid(
            "The image could not be read.", field="file", code="image_unreadable"
        ) from None
    mode = "RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
    if kind is JPEG:
        mode = "RGB"
    image = image.convert(mode)
    out = io.BytesIO()
    options = {"quality": 90} if kind is not PNG else {"optimize": True}
    image.save(out, _FORMATS[kind], **options)  # no exif=, no icc: nothing carried over
    preview = image.copy()
    preview.thumbnail(PREVIEW_BOX)
    small = io.BytesIO()
    preview.save(small, "PNG", optimize=True)
    return out.getvalue(), small.getvalue()
