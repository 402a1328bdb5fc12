"""What base64 data holds: magic bytes, base64 faults named, PDF pages counted."""

from __future__ import annotations

from claude_doctor.checks.payload.validate.sniff import inspect_base64, pdf_page_count, sniff
from tests.kit.payload import b64, gif, jpeg, pdf, png, run, valid_request, webp


def test_magic_bytes_name_the_format() -> None:
    assert [sniff(x) for x in (png(), jpeg(), gif(), webp(), pdf())] == [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/pdf",
    ]
    assert sniff(b"<html><body>") == "text/html"
    assert sniff(b"plain words") is None


def test_double_encoding_is_seen_in_the_prefix() -> None:
    assert inspect_base64(b64(png())).double is None
    assert inspect_base64(b64(b64(png()).encode())).double == "image/png"
    assert inspect_base64(b64(b"data:image/png;base64,AAAA")).double == "data-url"


def test_pdf_pages_are_counted() -> None:
    assert pdf_page_count(pdf(3)) == 3
    assert pdf_page_count(b"%PDF-1.7 nothing here") is None


def test_url_safe_base64_is_named() -> None:
    raw = png()
    data = b64(raw + b"\x00" * (-len(raw) % 3) + b"\xfb\xff\xbf")  # ends in "+/+/"
    assert "+" in data and "/" in data
    body = valid_request()
    body["messages"][0]["content"][1]["source"]["data"] = data.replace("+", "-").replace("/", "_")
    found = run(body)
    (finding,) = [f for f in found.findings if f.id == "payload.image_base64_invalid"]
    assert "URL-safe" in finding.title
    assert finding.evidence["offset"] == data.replace("/", "+").index("+")
