"""What the bytes of a base64 image or document are, judged quickly.

A body can be 32 MB, so an image is judged from a decoded prefix (magic bytes, double
encoding, pixel dimensions) and its base64 validity from a byte scan rather than a full
decode. Only a PDF's page count and an image whose size sits past the prefix need the
whole file decoded.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_B64_SET = frozenset(_B64_ALPHABET)
#: Base64 characters decoded up front: enough for magic bytes, double encoding and the
#: dimensions of PNG, GIF, WebP and most JPEGs (whose size can sit after EXIF data).
PREFIX_CHARS = 64 * 1024

#: What a character that is not base64 most likely means.
_BAD_CHARACTER = {
    b"\n": "a line break (the base64 was wrapped; encode without line breaks)",
    b"\r": "a line break (the base64 was wrapped; encode without line breaks)",
    b" ": "a space",
    b"-": "'-' (URL-safe base64; use the standard alphabet with + and /)",
    b"_": "'_' (URL-safe base64; use the standard alphabet with + and /)",
}


def sniff(head: bytes) -> str | None:
    """The media type the first bytes say, or ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return "image/heic-or-avif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"BM"):
        return "image/bmp"
    if head.lstrip().startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    if head.lstrip().startswith((b"<!DOCTYPE", b"<html", b"<HTML", b"<!doctype")):
        return "text/html"
    return None


@dataclass
class Base64Info:
    """What a base64 string holds, judged from a prefix."""

    prefix: bytes
    problem: str | None = None
    #: For a double-encoded string: what the inner layer is.
    double: str | None = None
    offset: int | None = None


def inspect_base64(data: str) -> Base64Info:
    """Whether ``data`` is plain standard base64, and its decoded prefix when it is."""
    if not data:
        return Base64Info(b"", "is empty")
    if data.startswith("data:"):
        return Base64Info(
            b"",
            "is a data: URL; put only the base64 part in data and the type in media_type",
        )
    try:
        raw = data.encode("ascii")
    except UnicodeEncodeError as exc:
        return Base64Info(
            b"", f"holds a non-ASCII character at offset {exc.start}", offset=exc.start
        )
    bad = raw.translate(None, _B64_ALPHABET)
    if bad:
        offset = raw.find(bad[:1])
        char = bad[:1]
        why = _BAD_CHARACTER.get(char, f"{char.decode('ascii', 'replace')!r}, which is not base64")
        return Base64Info(b"", f"is not valid base64: {why} at offset {offset}", offset=offset)
    body = raw.rstrip(b"=")
    if b"=" in body or len(raw) - len(body) > 2:
        return Base64Info(b"", "is not valid base64: '=' padding in the middle of the data")
    if len(raw) % 4:
        return Base64Info(
            b"",
            f"is not valid base64: its length {len(raw)} is not a multiple of 4 "
            "(truncated, or padding missing)",
        )
    cut = min(len(raw), PREFIX_CHARS)
    try:
        prefix = binascii.a2b_base64(raw[:cut], strict_mode=True)
    except binascii.Error as exc:
        return Base64Info(b"", f"is not valid base64 ({exc})")
    result = Base64Info(prefix)
    result.double = _inner_layer(prefix[:96])
    return result


def _inner_layer(head: bytes) -> str | None:
    """What a decoded prefix that is itself base64 (or a data: URL) holds, else ``None``."""
    if len(head) >= 16 and all(b in _B64_SET for b in head.rstrip(b"\r\n")):
        usable = len(head) - len(head) % 4
        try:
            inner = base64.b64decode(head[:usable])
        except binascii.Error:
            inner = b""
        return sniff(inner) or "unknown"
    if head.startswith(b"data:"):
        return "data-url"
    return None


def full_decode(data: str) -> bytes:
    return binascii.a2b_base64(data.encode("ascii"))


def dimensions(prefix: bytes, data: str) -> tuple[int, int] | None:
    """Width and height of the image whose base64 is ``data`` (decoded ``prefix``)."""
    import imagesize  # lazily: only requests with images pay for it

    w, h = imagesize.get(io.BytesIO(prefix))
    if (w <= 0 or h <= 0) and len(data) > PREFIX_CHARS:
        # A JPEG's size can sit after large EXIF or ICC blocks: read the whole image.
        w, h = imagesize.get(io.BytesIO(full_decode(data)))
    return (int(w), int(h)) if w > 0 and h > 0 else None


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_PAGE_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages"
)


def pdf_page_count(pdf: bytes) -> int | None:
    """Pages of an uncompressed-index PDF (``/Type /Page`` objects, else the page tree's
    ``/Count``); ``None`` when they sit in compressed object streams."""
    pages = len(_PAGE_OBJECT.findall(pdf))
    if pages:
        return pages
    counts = [int(a or b) for a, b in _PAGE_COUNT.findall(pdf)]
    return max(counts) if counts else None
