"""Real bytes for payload tests: tiny images with genuine headers, a minimal PDF, and
request bodies built around them; and the few steps every payload test takes (validate a
body, list its problems by path, mutate the valid request). Nothing is read from disk."""

from __future__ import annotations

import base64
import copy
import json
import struct
import zlib
from collections.abc import Callable
from typing import Any

from claude_doctor.checks.payload.validate import Result, validate

Body = dict[str, Any]
Mutation = Callable[[Body], None]
#: (name, mutation of :func:`valid_request`, finding id, JSON path it must name).
Case = tuple[str, Mutation, str, str]


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG. Pixel data is only written for small images; larger ones carry a real
    header (what dimension readers look at) and an empty compressed stream."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    pixels = zlib.compress(rows if width * height <= 10_000 else b"")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg(width: int = 8, height: int = 6, exif_bytes: int = 0) -> bytes:
    """A JPEG header: SOI, JFIF APP0, optional padding APP1 segments (like EXIF), SOF0."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    extra = b""
    while exif_bytes > 0:
        part = min(exif_bytes, 60_000)
        extra += b"\xff\xe1" + struct.pack(">H", part + 2) + b"\x00" * part
        exif_bytes -= part
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + extra + sof + b"\xff\xd9"


def gif(width: int = 5, height: int = 7) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b"\x3b"


def webp(width: int = 9, height: int = 4) -> bytes:
    """An extended-format (VP8X) WebP header."""
    vp8x = (
        b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    )
    chunk = b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def pdf(pages: int = 1, encrypted: bool = False) -> bytes:
    """A minimal real PDF with ``pages`` empty pages."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>" for _ in range(pages)],
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if encrypted:
        trailer += " /Encrypt 99 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def image_block(data: bytes, media_type: str = "image/png") -> dict[str, Any]:
    return {
        "type": "image",
        "source": {"type": "base64", "media_type": media_type, "data": b64(data)},
    }


def pdf_block(data: bytes) -> dict[str, Any]:
    return {
        "type": "document",
        "source": {"type": "base64", "media_type": "application/pdf", "data": b64(data)},
    }


WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


def valid_request() -> dict[str, Any]:
    """A request using text, every image format, a PDF and a tool-use round trip."""
    return {
        "model": "claude-sonnet-4-5-20250929",
        "max_tokens": 1024,
        "system": "You are terse.",
        "tools": [copy.deepcopy(WEATHER_TOOL)],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in these, and the weather in Paris?"},
                    image_block(png()),
                    image_block(jpeg(), "image/jpeg"),
                    image_block(gif(), "image/gif"),
                    image_block(webp(), "image/webp"),
                    pdf_block(pdf(2)),
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "Let me check the weather."},
                    {
                        "type": "tool_use",
                        "id": "toolu_01A",
                        "name": "get_weather",
                        "input": {"city": "Paris"},
                    },
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18 C, clear"},
                    {"type": "text", "text": "Thanks. Summarise."},
                ],
            },
        ],
    }


# --- validating and reading the result --------------------------------------------------


def run(body: Any, **kwargs: Any) -> Result:
    """Validate ``body`` (bytes as they are, anything else as JSON)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return validate(raw, **kwargs)


def problems(result: Result) -> dict[str, list[str]]:
    """Finding id -> paths, for warn and fail findings."""
    out: dict[str, list[str]] = {}
    for f in result.findings:
        if f.severity.is_problem:
            out.setdefault(f.id, []).append(f.evidence["path"])
    return out


def assert_reported_at(mutate: Mutation, finding: str, path: str) -> None:
    """The valid request, mutated, gives ``finding`` at ``path``, titled by that path."""
    body = valid_request()
    mutate(body)
    found = problems(run(body))
    assert finding in found, found
    assert path in found[finding], found[finding]
    titles = [f.title for f in run(body).findings if f.id == finding]
    assert any(t.startswith(path + " — ") for t in titles), titles


# --- mutations of the valid request -----------------------------------------------------


def set_at(path: list[Any], value: Any) -> Mutation:
    def mutate(body: Body) -> None:
        node: Any = body
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def delete_at(path: list[Any]) -> Mutation:
    def mutate(body: Body) -> None:
        node: Any = body
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def add_user_block(block: Any) -> Mutation:
    return lambda body: body["messages"][0]["content"].append(block)


def many_images(count: int, data: bytes) -> Mutation:
    def mutate(body: Body) -> None:
        body["messages"][0]["content"] = [{"type": "text", "text": "look"}] + [
            image_block(data) for _ in range(count)
        ]

    return mutate
