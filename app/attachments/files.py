"""What an uploaded file really is, and what of it is kept.

- The type comes from the content (`filetype`, the magic bytes), never from the name or the
  browser's Content-Type: only PDF, JPEG and PNG are taken.
- A PDF is kept byte for byte, but refused when it names anything that runs or carries other
  files (/JavaScript, /JS, /Launch, /EmbeddedFile(s), /RichMedia, /XFA, /SubmitForm,
  /ImportData), looked for in the plain text (with #xx name escapes undone) and inside every
  Flate stream, since object streams can hide a catalog there. This is a refusal filter, not a
  PDF sanitiser: a name hidden behind another filter (LZW, ASCII85…) is not seen; downloads are
  always served as attachments with `nosniff`, so no browser runs a PDF inline from this site.
- An image is decoded by Pillow only after its declared size passed ATTACHMENT_MAX_PIXELS (a
  decompression bomb never gets decoded), turned upright, scaled to at most 3000 px a side and
  re-encoded (JPEG quality 85 / PNG) with no metadata at all; only when asked (`keep_location`,
  a field photo taken with the person's consent) is the EXIF GPS block copied over, and the
  position returned for the record.
"""
from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass

import filetype
from flask import current_app
from flask_babel import gettext as _
from PIL import ExifTags, Image, ImageOps
from werkzeug.utils import secure_filename

from app.errors import Invalid

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MAX_SIDE = 3000
JPEG_QUALITY = 85
#: PDF names that run code, act on the reader's machine, or carry other files.
ACTIVE_PDF_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia",
                              b"XFA", b"SubmitForm", b"ImportData"})
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
INFLATE_LIMIT = 20 * 1024 * 1024  # per stream: a Flate bomb is cut off, not inflated


@dataclass(frozen=True)
class CheckedFile:
    """The bytes to store, their type, and (for a located field photo) where it was taken."""

    data: bytes
    content_type: str
    latitude: float | None = None
    longitude: float | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def refuse(message: str):
    return Invalid(message, errors={"file": [message]})


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def too_big() -> Invalid:
    limit = current_app.config.get("ATTACHMENT_MAX_MB", 10)
    return refuse(_("Berkas terlalu besar: paling besar %(mb)s MB.", mb=limit))


def check_file(data: bytes, keep_location: bool = False) -> CheckedFile:
    """The file made safe to keep, or `Invalid` (at the field "file") saying why not."""
    if not data:
        raise refuse(_("Berkas kosong."))
    if len(data) > max_bytes():
        raise too_big()
    guessed = filetype.guess_mime(data)
    if guessed == PDF and data.startswith(b"%PDF-"):
        return CheckedFile(_checked_pdf(data), PDF)
    if guessed in (JPEG, PNG):
        return _reencoded(data, guessed, keep_location)
    raise refuse(_("Jenis berkas tidak diterima: hanya PDF, JPEG, atau PNG (dilihat dari isinya, bukan namanya)."))


# --- PDF -------------------------------------------------------------------------------------------------

def _names(chunk: bytes) -> set[bytes]:
    return {re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), n) for n in PDF_NAME.findall(chunk)}


def _inflated(stream: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(stream.strip(b"\r\n"), INFLATE_LIMIT)
    except zlib.error:
        return b""


def _checked_pdf(data: bytes) -> bytes:
    chunks = [data, *(_inflated(s) for s in PDF_STREAM.findall(data))]
    if any(_names(chunk) & ACTIVE_PDF_NAMES for chunk in chunks):
        raise refuse(_("PDF ini memuat skrip, tindakan otomatis, atau berkas sisipan, jadi tidak diterima. "
                       "Cetak ulang ke PDF biasa atau pindai dokumennya."))
    return data


# --- images ----------------------------------------------------------------------------------------------

def _open(data: bytes, content_type: str) -> Image.Image:
    image_format = "JPEG" if content_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[image_format])
            width, height = image.size
            if width * height > int(current_app.config.get("ATTACHMENT_MAX_PIXELS", 50_000_000)):
                raise too_big()
            image.load()
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big() from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise refuse(_("Gambar rusak atau tidak dapat dibaca.")) from None
    return image


def _degrees(values, ref) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    sign = -1 if str(ref).upper() in ("S", "W") else 1
    return sign * (d + m / 60 + s / 3600)


def _location(source: Image.Image) -> tuple[Image.Exif | None, float | None, float | None]:
    """A new EXIF holding only the source's GPS block, and its latitude/longitude (None when absent)."""
    gps = dict(source.getexif().get_ifd(ExifTags.IFD.GPSInfo))
    if not gps:
        return None, None, None
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    return exif, lat, lon


def _reencoded(data: bytes, content_type: str, keep_location: bool) -> CheckedFile:
    source = _open(data, content_type)
    exif, lat, lon = _location(source) if keep_location else (None, None, None)
    image = ImageOps.exif_transpose(source)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # What Pillow would carry over on its own (an ICC profile, PNG text, DPI) goes too.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = io.BytesIO()
    options: dict = {"exif": exif} if exif is not None else {}
    if content_type == JPEG:
        image = image if image.mode in ("RGB", "L") else image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    else:
        image = image if image.mode in ("RGB", "RGBA", "L", "LA", "P", "1") else image.convert("RGBA")
        image.save(out, "PNG", optimize=True, **options)
    return CheckedFile(out.getvalue(), content_type, lat, lon)


# --- names -----------------------------------------------------------------------------------------------

def display_name(original: str | None, extension: str) -> str:
    """The uploader's file name, cleaned (no path, ASCII only), ending with the type found in the content."""
    base = unicodedata.normalize("NFKD", (original or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = secure_filename(base.rsplit(".", 1)[0] if "." in base else base)[:80] or "lampiran"
    return f"{stem}.{extension}"
