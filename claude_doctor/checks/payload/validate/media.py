"""Images and documents: their sources (base64, URL, file), the base64 data itself (valid,
encoded once, really the declared format, within the size and pixel limits), PDF pages and
encryption, and the request-wide limits on images and pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from claude_doctor.checks.payload.findings import join_path
from claude_doctor.checks.payload.jsontext import json_size
from claude_doctor.checks.payload.validate.sniff import (
    Base64Info,
    dimensions,
    full_decode,
    inspect_base64,
    pdf_page_count,
    sniff,
)
from claude_doctor.checks.payload.validate.state import ImageSeen, State
from claude_doctor.model import Severity
from claude_doctor.safe_read import human_size

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
_DOWNSCALE_STEP = "Downscale the image so its long edge is at most 1568 px"


def _bad_source_type(s: State, spath: str, what: str, kind: Any, allowed: str) -> None:
    s.add(
        "invalid_value",
        Severity.FAIL,
        join_path(spath, "type"),
        f"{what} source type {kind!r} is not {allowed}",
    )


def _offset(info: Base64Info) -> dict[str, Any]:
    return {"offset": info.offset} if info.offset is not None else {}


# --- images -----------------------------------------------------------------------------


def check_image(s: State, path: str, block: dict[str, Any]) -> None:
    source = block.get("source")
    spath = join_path(path, "source")
    if not isinstance(source, dict):
        s.missing(path, "source", "An image block")
        return
    kind = source.get("type")
    if kind == "url":
        _url(s, spath, source.get("url"), "image")
        s.images.append(ImageSeen(spath, 0, None))
        return
    if kind == "file":
        if not isinstance(source.get("file_id"), str):
            s.missing(spath, "file_id", "A file image source")
        s.images.append(ImageSeen(spath, 0, None))
        return
    if kind != "base64":
        _bad_source_type(s, spath, "image", kind, "base64, url or file")
        return
    media_type = source.get("media_type")
    data = source.get("data")
    if media_type not in IMAGE_TYPES:
        s.add(
            "image_media_type_unsupported",
            Severity.FAIL,
            join_path(spath, "media_type"),
            f"media_type {media_type!r} is not one of {', '.join(IMAGE_TYPES)}",
            media_type=media_type,
        )
    if not isinstance(data, str):
        s.missing(spath, "data", "A base64 image source")
        return
    image = ImageSeen(join_path(spath, "data"), len(data), None)
    s.image_bytes += image.size
    s.images.append(image)
    _image_size(s, image)
    _image_data(s, spath, image, media_type, data)


def _image_size(s: State, image: ImageSeen) -> None:
    size, limits = image.size, s.limits
    if size > limits.image_base64_max_bytes:
        s.add(
            "image_too_large",
            Severity.FAIL,
            image.path,
            f"image is {human_size(size)} of base64, over the "
            f"{human_size(limits.image_base64_max_bytes)} per-image limit",
            detail="Resize or recompress it (JPEG or WebP, long edge 1568 px is enough).",
            steps=(_DOWNSCALE_STEP,),
            size=size,
            limit=limits.image_base64_max_bytes,
        )
    elif size > limits.image_base64_warn_bytes:
        s.add(
            "image_too_large",
            Severity.WARN,
            image.path,
            f"image is {human_size(size)} of base64, over the "
            f"{human_size(limits.image_base64_warn_bytes)} limit of Bedrock, Google Cloud "
            f"and older API versions (the direct API now allows "
            f"{human_size(limits.image_base64_max_bytes)})",
            detail=(
                "The API once answered 'image exceeds 5 MB maximum: ... > 5242880 bytes'. "
                "Keeping images under 5 MB works everywhere."
            ),
            size=size,
            limit=limits.image_base64_warn_bytes,
        )


def _image_data(s: State, spath: str, image: ImageSeen, media_type: Any, data: str) -> None:
    """The base64 itself: valid, encoded once, the declared format, within the pixels."""
    dpath = image.path
    info = inspect_base64(data)
    if info.problem:
        s.add(
            "image_base64_invalid",
            Severity.FAIL,
            dpath,
            f"image data {info.problem}",
            detail="data must be plain standard base64 of the image file's bytes.",
            **_offset(info),
        )
        return
    if info.double:
        inner = "" if info.double == "unknown" else f" (inside is {info.double})"
        if info.double == "data-url":
            inner = " (inside is a data: URL)"
        s.add(
            "image_double_encoded",
            Severity.FAIL,
            dpath,
            f"image is base64-encoded twice{inner}",
            detail=(
                "The decoded bytes are themselves base64 text, so the API sees no image. "
                "Usually a string that was already base64 went through b64encode again."
            ),
            steps=("Encode the raw image bytes once: base64.b64encode(open(f,'rb').read())",),
            inner=info.double,
        )
        return
    actual = sniff(info.prefix)
    if actual not in IMAGE_TYPES:
        s.add(
            "image_not_an_image",
            Severity.FAIL,
            dpath,
            "image data is "
            + (f"{actual}, not a supported image" if actual else "not a JPEG, PNG, GIF or WebP"),
            detail="Supported formats: JPEG, PNG, GIF, WebP. Convert others first.",
            detected=actual,
        )
        return
    if media_type in IMAGE_TYPES and actual != media_type:
        s.add(
            "image_media_type_mismatch",
            Severity.FAIL,
            join_path(spath, "media_type"),
            f"media_type says {media_type} but the bytes are {actual}",
            detail="The API checks the bytes against media_type and answers 400.",
            steps=(f'Set "media_type": "{actual}"',),
            declared=media_type,
            detected=actual,
            data_path=dpath,
        )
    image.dims = dimensions(info.prefix, data)
    if image.dims and max(image.dims) > s.limits.image_max_px:
        w, h = image.dims
        s.add(
            "image_dimensions_too_large",
            Severity.FAIL,
            dpath,
            f"image is {w}x{h} px, over the {s.limits.image_max_px} px limit",
            steps=(_DOWNSCALE_STEP,),
            width=w,
            height=h,
            limit=s.limits.image_max_px,
        )


def _url(s: State, path: str, url: Any, what: str) -> None:
    upath = join_path(path, "url")
    if not isinstance(url, str):
        s.missing(path, "url", f"A {what} URL source")
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        s.add(
            f"{what}_url_invalid",
            Severity.FAIL,
            upath,
            f"{what} URL is not a well-formed http(s) URL: {url[:80]!r}",
            detail="The API fetches the URL itself: it must be an absolute https:// URL.",
        )
    elif parts.hostname in ("localhost", "127.0.0.1", "::1") or (parts.hostname or "").endswith(
        ".local"
    ):
        s.add(
            f"{what}_url_invalid",
            Severity.FAIL,
            upath,
            f"{what} URL points at this machine ({parts.hostname}); the API cannot reach it",
        )


# --- documents --------------------------------------------------------------------------


def check_document(s: State, path: str, block: dict[str, Any]) -> None:
    source = block.get("source")
    spath = join_path(path, "source")
    s.documents += 1
    if not isinstance(source, dict):
        s.missing(path, "source", "A document block")
        return
    kind = source.get("type")
    if kind == "url":
        _url(s, spath, source.get("url"), "document")
        return
    if kind == "text":
        if not isinstance(source.get("data"), str):
            s.missing(spath, "data", "A text document source")
        else:
            s.document_bytes += len(source["data"].encode("utf-8"))
        return
    if kind in ("content", "file"):
        s.document_bytes += json_size(source)
        return
    if kind != "base64":
        _bad_source_type(s, spath, "document", kind, "base64, text, content, url or file")
        return
    data = source.get("data")
    if source.get("media_type") != "application/pdf":
        s.add(
            "document_media_type_mismatch",
            Severity.FAIL,
            join_path(spath, "media_type"),
            f"a base64 document must be application/pdf, not {source.get('media_type')!r}",
            detail='Plain text goes in {"type": "text", "media_type": "text/plain"}.',
        )
    if not isinstance(data, str):
        s.missing(spath, "data", "A base64 document source")
        return
    s.document_bytes += len(data)
    _pdf_data(s, join_path(spath, "data"), data)


def _pdf_data(s: State, dpath: str, data: str) -> None:
    """A base64 PDF: valid, encoded once, really a PDF, not encrypted; its pages counted."""
    info = inspect_base64(data)
    if info.problem:
        s.add(
            "document_base64_invalid",
            Severity.FAIL,
            dpath,
            f"PDF data {info.problem}",
            **_offset(info),
        )
        return
    if info.double:
        s.add(
            "document_double_encoded",
            Severity.FAIL,
            dpath,
            "PDF is base64-encoded twice",
            detail="The decoded bytes are base64 text again; encode the file's bytes once.",
            inner=info.double,
        )
        return
    if not info.prefix.startswith(b"%PDF-"):
        actual = sniff(info.prefix)
        s.add(
            "document_not_pdf",
            Severity.FAIL,
            dpath,
            "document data does not start with %PDF-" + (f" (it is {actual})" if actual else ""),
            detail="Only PDF files can be sent as base64 documents.",
            detected=actual,
        )
        return
    # Counting pages needs the whole file; cheap enough for anything the API accepts.
    pages = None
    if len(data) <= s.limits.request_bytes:
        pdf = full_decode(data)
        pages = pdf_page_count(pdf)
        if b"/Encrypt" in pdf[-4096:] or b"/Encrypt" in pdf[:4096]:
            s.add(
                "document_encrypted",
                Severity.FAIL,
                dpath,
                "PDF is encrypted or password-protected",
                detail="The API accepts no password-protected or encrypted PDFs.",
            )
    if pages is None:
        s.pdf_pages_unknown += 1
    else:
        s.pdf_pages += pages


# --- request-wide limits ----------------------------------------------------------------


def check_media_limits(s: State) -> None:
    """Images per request, the stricter pixel limit of many-image requests, PDF pages."""
    limits = s.limits
    count = len(s.images)
    window = s.window or limits.small_window_tokens
    small = window <= limits.small_window_tokens
    limit = limits.images_small_window if small else limits.images_large_window
    if count > limit:
        s.add(
            "too_many_images",
            s.strict,
            "messages",
            f"the request holds {count} images; the limit is {limit} per request"
            + ("" if s.family else " (assumed: the model is not known)"),
            detail="Drop older images from the conversation, or summarise them as text.",
            count=count,
            limit=limit,
        )
    if count > limits.many_images_threshold:
        _many_images(s)
    pages_limit = (
        limits.pdf_pages_small_window
        if window < limits.large_window_tokens
        else limits.pdf_pages_large_window
    )
    if s.pdf_pages > pages_limit:
        s.add(
            "too_many_pdf_pages",
            s.strict,
            "messages",
            f"the PDFs hold {s.pdf_pages} pages; the limit is {pages_limit} per request",
            count=s.pdf_pages,
            limit=pages_limit,
        )


def _many_images(s: State) -> None:
    cap = s.limits.many_images_max_px
    for image in s.images:
        if image.dims and cap < max(image.dims) <= s.limits.image_max_px:
            w, h = image.dims
            s.add(
                "image_dimensions_too_large",
                Severity.FAIL,
                image.path,
                f"image is {w}x{h} px; with more than {s.limits.many_images_threshold}"
                f" images in a request each must be at most {cap} px",
                detail="The API applies a stricter per-image limit to many-image requests.",
                steps=(f"Downscale every image to at most {cap} px on its long edge",),
                width=w,
                height=h,
                limit=cap,
                many_images=True,
            )
