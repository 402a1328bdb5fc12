#!/usr/bin/env python3
"""Payload validation benchmark: a 32 MB request with 25 images and 200 messages.

Prints the median wall time of ``checks.payload.validate.validate`` on the file's bytes (read
included) next to a plain ``json.load`` of the same file, and the first (cold) validation,
which also pays for importing jsonschema and imagesize.
Targets: validation under 1.5 s, and under 4x the plain parse.
Usage: python scripts/bench_payload.py [--runs 5]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claude_doctor.checks.payload.validate import validate  # noqa: E402

TARGET_BYTES = 32_000_000
IMAGES = 25
MESSAGES = 200


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + crc


def build_request() -> dict[str, Any]:
    rng = random.Random(8)
    tool = {
        "name": "lookup",
        "description": "Look a record up.",
        "input_schema": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
            "required": ["id"],
        },
    }
    messages: list[dict[str, Any]] = []
    for i in range(MESSAGES // 2):
        words = " ".join(rng.choice(("alpha", "beta", "gamma", "delta")) for _ in range(300))
        messages.append({"role": "user", "content": [{"type": "text", "text": f"{i}: {words}"}]})
        messages.append({"role": "assistant", "content": f"answer {i}: {words[:800]}"})
    text_size = len(json.dumps(messages))
    per_image = (TARGET_BYTES - text_size - 2_000) // IMAGES * 3 // 4
    header = png_header(1500, 1000)
    for n in range(IMAGES):
        data = header + os.urandom(per_image - len(header))
        block = {
            "type": "image",
            "source": {
                "type": "base64",
                "media_type": "image/png",
                "data": base64.b64encode(data).decode(),
            },
        }
        messages[2 * (n * (MESSAGES // 2) // IMAGES)]["content"].append(block)
    messages[-1] = {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"id": "7"}}],
    }
    messages.append(
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}],
        }
    )
    return {
        "model": "claude-opus-4-6",
        "max_tokens": 4096,
        "system": "You are a benchmark.",
        "tools": [tool],
        "messages": messages,
    }


def timed(func: Any) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "request.json"
        path.write_text(json.dumps(build_request()), encoding="utf-8")
        size = path.stat().st_size

        def plain() -> None:
            with path.open(encoding="utf-8") as handle:
                json.load(handle)

        result = None

        def check() -> None:
            nonlocal result
            result = validate(path.read_bytes())

        cold = timed(check)
        plain_t = statistics.median(timed(plain) for _ in range(args.runs))
        valid_t = statistics.median(timed(check) for _ in range(args.runs))
    assert result is not None
    problems = [f.id for f in result.findings if f.severity.is_problem]
    print(f"request                {size / 1e6:.1f} MB, {IMAGES} images, {MESSAGES} messages")
    print(f"findings               {problems or 'none'}")
    print(f"plain json.load        median {plain_t * 1000:7.1f} ms over {args.runs} runs")
    print(f"validate (warm)        median {valid_t * 1000:7.1f} ms over {args.runs} runs")
    print(f"validate (cold, first) {cold * 1000:12.1f} ms (includes lazy imports)")
    ratio = valid_t / plain_t
    print(f"ratio                  {ratio:7.2f}x")
    ok = valid_t < 1.5 and ratio < 4
    print(f"target                 < 1.5 s and < 4x: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
