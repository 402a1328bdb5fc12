"""JSON text as the Messages API reads it: UTF-8 only, no NaN or Infinity, and keys that
appear twice in one object noticed rather than silently dropped.

Every problem becomes a finding at the path it was met; a deeply nested value is walked
and measured iteratively, so no body can overflow the stack.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from claude_doctor.checks.payload.findings import ROOT_PATH, Findings, join_path, type_name
from claude_doctor.model import Severity
from claude_doctor.safe_read import Json, JsonError, TooDeep, loads

#: The parse of a body: the value, its duplicate keys, NaN/Infinity and huge numbers.
Parsed = Json


def parse_json(text: str) -> Parsed:
    """The safe reader's parse, recording duplicate keys, non-finite and huge numbers.
    Raises :class:`~claude_doctor.safe_read.JsonError`."""
    return loads(text, duplicates=True)


def walk(value: Any, path: str = ROOT_PATH) -> Iterator[tuple[str, Any]]:
    """Every node with its path, iteratively (a deeply nested body must not overflow)."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        yield p, v
        if isinstance(v, dict):
            stack.extend((join_path(p, k), c) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend((join_path(p, i), c) for i, c in reversed(list(enumerate(v))))


def json_size(value: Any) -> int:
    """Approximate serialised size in bytes, without recursion or a full dump."""
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v) + 2 if v.isascii() else len(v.encode("utf-8", "replace")) + 2
        elif isinstance(v, dict):
            total += 2 + 2 * len(v)
            for k, c in v.items():
                total += len(k) + 3
                stack.append(c)
        elif isinstance(v, list):
            total += 2 + len(v)
            stack.extend(v)
        else:
            total += len(str(v))
    return total


def decode_text(raw: bytes, found: Findings) -> str | None:
    """``raw`` as UTF-8 text (a byte-order mark dropped), or ``None`` with a finding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        found.add(
            "not_utf8",
            Severity.FAIL,
            ROOT_PATH,
            "the file is UTF-16 text; request bodies must be UTF-8",
            detail="Windows PowerShell's `>` writes UTF-16. Save the body as UTF-8.",
            steps=("Out-File -Encoding utf8, or write the body with Python/your SDK",),
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        found.add(
            "not_utf8",
            Severity.FAIL,
            ROOT_PATH,
            f"the input is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}, "
            f"line {line})",
            detail=(
                "JSON request bodies must be UTF-8. A byte like this comes from a Latin-1 or "
                "Windows-1252 file, or from binary data pasted into a string."
            ),
            steps=("Re-encode the text as UTF-8, or base64-encode binary data",),
            offset=exc.start,
            line=line,
        )
        return None


def parse_or_report(text: str, found: Findings, where: str) -> Parsed | None:
    """The parsed ``text``, or ``None`` with a finding at ``where`` saying why not."""
    try:
        return parse_json(text)
    except TooDeep:
        found.add(
            "json_too_deep",
            Severity.FAIL,
            where,
            "the JSON is nested too deeply to read",
            detail=(
                "Arrays or objects are nested hundreds of levels deep; no Messages request "
                "needs that. Something built the body recursively by mistake."
            ),
        )
    except JsonError as exc:
        line, column = exc.line or 1, exc.column or 1
        found.add(
            "json_syntax",
            Severity.FAIL,
            where,
            f"invalid JSON: {exc.message}",
            detail=(
                "The API answers 400 invalid_request_error for a body that is not JSON. "
                f"Look at line {line}, column {column}"
                + (" of the embedded body." if where != ROOT_PATH else ".")
            ),
            steps=(f"Fix the JSON at line {line}, column {column}",),
            line=line,
            column=column,
        )
    return None


def _nonfinite_name(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _duplicates_and_nonfinite(parsed: Parsed, found: Findings) -> None:
    for path, node in walk(parsed.value):
        if isinstance(node, dict) and id(node) in parsed.duplicates:
            for key in sorted(set(parsed.duplicates[id(node)])):
                found.add(
                    "duplicate_key",
                    Severity.WARN,
                    join_path(path, key),
                    f"the key {key!r} appears more than once in the same object",
                    detail=(
                        "JSON parsers disagree about duplicate keys (most keep the last). "
                        "The value you meant may not be the one the API reads."
                    ),
                    steps=(f"Keep one {key!r} in {path}",),
                    key=key,
                )
        elif isinstance(node, float) and math.isinf(node) and parsed.huge:
            found.add(
                "number_too_large",
                Severity.FAIL,
                path,
                "the number is too large to hold (a literal like 1e999 or thousands of digits)",
                detail=(
                    "No parameter of a Messages request takes a number this large; "
                    "the API rejects it. Something wrote a runaway value here."
                ),
                steps=(f"Put a sensible number at {path}",),
            )
        elif isinstance(node, float) and not math.isfinite(node):
            found.add(
                "json_nonfinite",
                Severity.FAIL,
                path,
                f"{_nonfinite_name(node)} is not valid JSON (JSON has no NaN or Infinity)",
                detail=(
                    "Python's json.dumps writes NaN/Infinity unless allow_nan=False; the "
                    "API rejects them. Replace with a number or null."
                ),
                steps=("json.dumps(body, allow_nan=False) shows where they come from",),
            )


def check_parsed(parsed: Parsed, found: Findings) -> bool:
    """Duplicate keys and NaN/Infinity (paths found by one walk, only when present), and
    that the top level is an object."""
    if parsed.duplicates or parsed.nonfinite or parsed.huge:
        _duplicates_and_nonfinite(parsed, found)
    if not isinstance(parsed.value, dict):
        found.add(
            "not_an_object",
            Severity.FAIL,
            ROOT_PATH,
            f"the body is a JSON {type_name(parsed.value)}; a Messages request is an object",
            detail='The body must look like {"model": ..., "max_tokens": ..., "messages": [...]}.',
        )
        return False
    return True
