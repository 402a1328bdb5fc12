"""Images and documents: sources, base64 data, formats, sizes, pixels, pages, and the
request-wide limits on them."""

from __future__ import annotations

import pytest

from claude_doctor.model import Severity
from tests.kit.payload import (
    Case,
    Mutation,
    add_user_block,
    assert_reported_at,
    b64,
    gif,
    image_block,
    jpeg,
    many_images,
    pdf,
    pdf_block,
    png,
    problems,
    run,
    set_at,
    valid_request,
    webp,
)

CASES: list[Case] = [
    (
        "image double encoded",
        set_at(["messages", 0, "content", 1], image_block(b64(png()).encode())),
        "payload.image_double_encoded",
        "messages[0].content[1].source.data",
    ),
    (
        "image media type mismatch",
        set_at(["messages", 0, "content", 2, "source", "media_type"], "image/png"),
        "payload.image_media_type_mismatch",
        "messages[0].content[2].source.media_type",
    ),
    (
        "image unsupported media type",
        set_at(["messages", 0, "content", 1, "source", "media_type"], "image/bmp"),
        "payload.image_media_type_unsupported",
        "messages[0].content[1].source.media_type",
    ),
    (
        "image not an image",
        set_at(["messages", 0, "content", 1], image_block(b"<html><body>login</body></html>")),
        "payload.image_not_an_image",
        "messages[0].content[1].source.data",
    ),
    (
        "image wrapped base64",
        set_at(
            ["messages", 0, "content", 1, "source", "data"],
            b64(png())[:20] + "\n" + b64(png())[20:],
        ),
        "payload.image_base64_invalid",
        "messages[0].content[1].source.data",
    ),
    (
        "image data url",
        set_at(
            ["messages", 0, "content", 1, "source", "data"], "data:image/png;base64," + b64(png())
        ),
        "payload.image_base64_invalid",
        "messages[0].content[1].source.data",
    ),
    (
        "image truncated base64",
        set_at(["messages", 0, "content", 1, "source", "data"], b64(png())[:-3]),
        "payload.image_base64_invalid",
        "messages[0].content[1].source.data",
    ),
    (
        "image over 8000 px",
        set_at(["messages", 0, "content", 1], image_block(png(9000, 10))),
        "payload.image_dimensions_too_large",
        "messages[0].content[1].source.data",
    ),
    (
        "jpeg over 8000 px behind large exif",
        set_at(
            ["messages", 0, "content", 2],
            image_block(jpeg(8500, 20, exif_bytes=150_000), "image/jpeg"),
        ),
        "payload.image_dimensions_too_large",
        "messages[0].content[2].source.data",
    ),
    (
        "many images over 2000 px",
        many_images(21, png(2500, 10)),
        "payload.image_dimensions_too_large",
        "messages[0].content[21].source.data",
    ),
    ("too many images", many_images(101, png()), "payload.too_many_images", "messages"),
    (
        "image url malformed",
        add_user_block(
            {"type": "image", "source": {"type": "url", "url": "htp:/example.com/a.png"}}
        ),
        "payload.image_url_invalid",
        "messages[0].content[6].source.url",
    ),
    (
        "image url on localhost",
        add_user_block(
            {"type": "image", "source": {"type": "url", "url": "http://localhost/a.png"}}
        ),
        "payload.image_url_invalid",
        "messages[0].content[6].source.url",
    ),
    (
        "pdf not a pdf",
        set_at(["messages", 0, "content", 5], pdf_block(png())),
        "payload.document_not_pdf",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf double encoded",
        set_at(["messages", 0, "content", 5], pdf_block(b64(pdf()).encode())),
        "payload.document_double_encoded",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf bad base64",
        set_at(["messages", 0, "content", 5, "source", "data"], "JVBER!!!"),
        "payload.document_base64_invalid",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf encrypted",
        set_at(["messages", 0, "content", 5], pdf_block(pdf(1, encrypted=True))),
        "payload.document_encrypted",
        "messages[0].content[5].source.data",
    ),
    (
        "pdf too many pages",
        set_at(["messages", 0, "content", 5], pdf_block(pdf(101))),
        "payload.too_many_pdf_pages",
        "messages",
    ),
    (
        "image inside tool_result",
        set_at(
            ["messages", 2, "content", 0, "content"],
            [{"type": "text", "text": "chart"}, image_block(gif(), "image/png")],
        ),
        "payload.image_media_type_mismatch",
        "messages[2].content[0].content[1].source.media_type",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "finding", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_at_its_json_path(
    name: str, mutate: Mutation, finding: str, path: str
) -> None:
    assert_reported_at(mutate, finding, path)


def test_image_size_warns_at_5_mb_and_fails_at_10_mb() -> None:
    body = valid_request()
    big = png() + b"\x00" * (4 * 1024 * 1024)  # ~5.3 MiB of base64
    body["messages"][0]["content"][1] = image_block(big)
    found = [f for f in run(body).findings if f.id == "payload.image_too_large"]
    assert [f.severity for f in found] == [Severity.WARN]
    body["messages"][0]["content"][1] = image_block(png() + b"\x00" * (8 * 1024 * 1024))
    found = [f for f in run(body).findings if f.id == "payload.image_too_large"]
    assert [f.severity for f in found] == [Severity.FAIL]
    assert found[0].evidence["path"] == "messages[0].content[1].source.data"


def test_all_image_formats_have_their_dimensions_read() -> None:
    body = valid_request()
    body["messages"][0]["content"] = [
        image_block(png(30, 20)),
        image_block(jpeg(40, 10), "image/jpeg"),
        image_block(gif(50, 60), "image/gif"),
        image_block(webp(70, 80), "image/webp"),
    ]
    body["messages"] = body["messages"][:1]
    result = run(body)
    assert problems(result) == {}
    # visual tokens from real dimensions: ceil(w*h/750) each
    assert result.summary["estimate_parts"]["images"] == 1 + 1 + 4 + 8
