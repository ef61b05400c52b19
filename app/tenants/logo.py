"""The letterhead logo, checked by its content: a real image, at most 1 MB and 1000 px a side, stored as PNG.

The file's name and declared type are ignored. Pillow must recognise and verify the bytes
as an image; it is then decoded again and re-encoded as a fresh PNG, so what is stored and
printed is pixels only (no metadata, no trailing data from the upload).
"""
from __future__ import annotations

import warnings
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.errors import Invalid

MAX_BYTES = 1024 * 1024
MAX_SIDE = 1000
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


def _refuse(message: str) -> Invalid:
    return Invalid(message, errors={"logo": [message]})


def checked_logo(raw: bytes) -> bytes:
    """The upload re-encoded as PNG; raises `Invalid` (at the field `logo`) for anything else."""
    if len(raw) > MAX_BYTES:
        raise _refuse(_("Logo terlalu besar (paling besar 1 MB)."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(raw)) as probe:
                kind, size = probe.format, probe.size
                probe.verify()
            if kind not in FORMATS:
                raise UnidentifiedImageError(kind)
            if max(size) > MAX_SIDE:
                raise _refuse(_("Logo paling besar %(n)s × %(n)s piksel; gambar ini %(w)s × %(h)s.",
                                n=MAX_SIDE, w=size[0], h=size[1]))
            with Image.open(BytesIO(raw)) as image:
                image.load()
                transparent = "A" in image.getbands() or "transparency" in image.info
                pixels = image.convert("RGBA" if transparent else "RGB")
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise _refuse(_("Berkas ini bukan gambar (PNG, JPEG, GIF atau WebP) yang dapat dibaca.")) from exc
    out = BytesIO()
    pixels.save(out, "PNG", optimize=True)
    return out.getvalue()
