"""Offline validation of a Messages API request body (the ``payload`` branch).

Input is the bytes of a file: a JSON request body, a logged request that wraps one (an
object with a ``body``, ``json`` or ``request`` key), or a curl command line whose
``-d``/``--data``/``--data-raw``/``--data-binary``/``--json`` carries it. The result is a
list of findings, each naming the JSON path of the offending part
(``messages[3].content[1].source.data``) in its title and in ``evidence["path"]``, plus a
summary (size breakdown, counts, an input-token estimate) for the report's ``payload``
block. Nothing here touches the network; limits come from :mod:`claude_doctor.limits`.

Speed matters (a body can be 32 MB): images are judged from a decoded prefix (magic bytes,
double encoding, pixel dimensions), their size from the string length, and their base64
validity from a byte scan rather than a full decode.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import difflib
import importlib
import io
import json
import math
import re
import shlex
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claude_doctor.limits import LIMITS, Limits, ModelFamily, model_limits
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.redact import find_secret_values

ROOT_PATH = "$"

#: Top-level parameters of ``POST /v1/messages`` (including the beta ones).
KNOWN_PARAMETERS = frozenset(
    {
        "model",
        "messages",
        "max_tokens",
        "system",
        "metadata",
        "stop_sequences",
        "stream",
        "temperature",
        "top_p",
        "top_k",
        "tools",
        "tool_choice",
        "thinking",
        "service_tier",
        "container",
        "context_management",
        "mcp_servers",
        "output_config",
        "output_format",
        "inference_geo",
        "cache_control",
    }
)
#: Parameters of other chat APIs that people carry over, and what the Messages API calls them.
FOREIGN_PARAMETERS = {
    "max_completion_tokens": "max_tokens",
    "max_output_tokens": "max_tokens",
    "stop": "stop_sequences",
    "response_format": "output_config.format",
    "user": "metadata.user_id",
    "functions": "tools",
    "function_call": "tool_choice",
    "n": "(nothing: one response per request)",
    "frequency_penalty": "(nothing: not supported)",
    "presence_penalty": "(nothing: not supported)",
    "logit_bias": "(nothing: not supported)",
    "seed": "(nothing: not supported)",
    "anthropic_version": "the anthropic-version header",
    "betas": "the anthropic-beta header",
}
USER_BLOCKS = frozenset(
    {"text", "image", "document", "tool_result", "search_result", "container_upload"}
)
ASSISTANT_BLOCKS = frozenset(
    {
        "text",
        "tool_use",
        "thinking",
        "redacted_thinking",
        "server_tool_use",
        "web_search_tool_result",
        "web_fetch_tool_result",
        "code_execution_tool_result",
        "bash_code_execution_tool_result",
        "text_editor_code_execution_tool_result",
        "tool_search_tool_result",
        "mcp_tool_use",
        "mcp_tool_result",
        "compaction",
    }
)
KNOWN_BLOCKS = USER_BLOCKS | ASSISTANT_BLOCKS
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
TOOL_CHOICE_TYPES = ("auto", "any", "tool", "none")

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_B64_SET = frozenset(_B64_ALPHABET)
#: Base64 characters decoded up front: enough for magic bytes, double encoding and the
#: dimensions of PNG, GIF, WebP and most JPEGs (whose size can sit after EXIF data).
_PREFIX_CHARS = 64 * 1024
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOOL_USE_ID = re.compile(r"[a-zA-Z0-9_-]+\Z")


class PayloadInputError(Exception):
    """The named input cannot be read at all (missing, a directory, permission denied)."""


# --- paths and findings -------------------------------------------------------------


def join_path(path: str, key: str | int) -> str:
    """``messages`` + 3 -> ``messages[3]``; ``source`` + ``data`` -> ``source.data``."""
    if isinstance(key, int):
        return f"{'' if path == ROOT_PATH else path}[{key}]"
    if _IDENT.match(key):
        return key if path in ("", ROOT_PATH) else f"{path}.{key}"
    return f"{'' if path == ROOT_PATH else path}[{json.dumps(key)}]"


@dataclass
class _Findings:
    items: list[Finding] = field(default_factory=list)

    def add(
        self,
        cause: str,
        severity: Severity,
        path: str,
        title: str,
        detail: str = "",
        steps: tuple[str, ...] = (),
        **evidence: Any,
    ) -> None:
        where = path or ROOT_PATH
        self.items.append(
            Finding(
                id=f"payload.{cause}",
                branch=Branch.PAYLOAD,
                severity=severity,
                # Not "path: title": the redactor reads "max_token: x" as a secret assignment.
                title=f"{where} — {title}",
                detail=detail,
                next_steps=steps,
                evidence={"path": where, **evidence},
            )
        )


def _size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{int(n)} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _did_you_mean(name: str, choices: frozenset[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return close[0] if close else None


# --- reading the input ----------------------------------------------------------------


def read_input(path: Path, limits: Limits = LIMITS) -> bytes | Finding:
    """The bytes of ``path``, or a finding when it is over the input cap (judged by its
    size before anything is read). Raises :class:`PayloadInputError` when it cannot be
    read at all."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PayloadInputError(f"{path}: no such file") from None
    except PermissionError:
        raise PayloadInputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise PayloadInputError(f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PayloadInputError(f"{path}: is a directory, not a request file")
    if stat.S_ISREG(info.st_mode) and info.st_size > limits.input_cap_bytes:
        return _too_large_input(info.st_size, limits)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.input_cap_bytes + 1)
    except PermissionError:
        raise PayloadInputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise PayloadInputError(f"{path}: {exc.strerror or exc}") from None
    if len(raw) > limits.input_cap_bytes:
        return _too_large_input(len(raw), limits)
    return raw


def read_stream(stream: io.BufferedIOBase | Any, limits: Limits = LIMITS) -> bytes | Finding:
    """Read at most the input cap from a binary stream (stdin)."""
    raw: bytes = stream.read(limits.input_cap_bytes + 1)
    if len(raw) > limits.input_cap_bytes:
        return _too_large_input(len(raw), limits, at_least=True)
    return raw


def _too_large_input(size: int, limits: Limits, at_least: bool = False) -> Finding:
    found = _Findings()
    amount = f"over {_size(limits.input_cap_bytes)}" if at_least else _size(size)
    found.add(
        "request_too_large",
        Severity.FAIL,
        ROOT_PATH,
        f"the input is {amount}; the Messages API accepts at most {_size(limits.request_bytes)}",
        detail=(
            f"claude-doctor did not read it: inputs over {_size(limits.input_cap_bytes)} are "
            "refused unread. A request this large is rejected with 413 request_too_large. "
            "Send large files through the Files API, or split the work over several requests."
        ),
        steps=("Move images and documents to the Files API and refer to them by file_id",),
        size=size,
        limit=limits.request_bytes,
        read=False,
    )
    return found.items[0]


# --- parsing --------------------------------------------------------------------------


@dataclass
class _Parsed:
    value: Any
    #: id() of each object that had a key twice -> those keys.
    duplicates: dict[int, list[str]]
    nonfinite: list[str]


def _parse_json(text: str) -> _Parsed:
    duplicates: dict[int, list[str]] = {}
    nonfinite: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj:
                duplicates.setdefault(id(obj), []).append(key)
            obj[key] = value
        return obj

    def constant(name: str) -> float:
        nonfinite.append(name)
        return float(name)

    value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    return _Parsed(value, duplicates, nonfinite)


def _walk(value: Any, path: str = ROOT_PATH) -> Iterator[tuple[str, Any]]:
    """Every node with its path, iteratively (a deeply nested body must not overflow)."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        yield p, v
        if isinstance(v, dict):
            stack.extend((join_path(p, k), c) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend((join_path(p, i), c) for i, c in reversed(list(enumerate(v))))


def _json_size(value: Any) -> int:
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


@dataclass
class Body:
    """The request body found in the input, with how it was found."""

    data: dict[str, Any]
    #: Bytes of the body as it would be sent.
    size: int
    #: "file", "curl --data-binary", "request.body", ...
    origin: str
    #: Header values from a curl command (x-api-key, Authorization) to redact.
    secrets: list[str] = field(default_factory=list)


def _decode_text(raw: bytes, found: _Findings) -> str | None:
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


def _parse_or_report(text: str, found: _Findings, where: str) -> _Parsed | None:
    try:
        return _parse_json(text)
    except json.JSONDecodeError as exc:
        found.add(
            "json_syntax",
            Severity.FAIL,
            where,
            f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            detail=(
                "The API answers 400 invalid_request_error for a body that is not JSON. "
                f"Look at line {exc.lineno}, column {exc.colno}"
                + (" of the embedded body." if where != ROOT_PATH else ".")
            ),
            steps=(f"Fix the JSON at line {exc.lineno}, column {exc.colno}",),
            line=exc.lineno,
            column=exc.colno,
        )
    except RecursionError:
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
    return None


def _curl_body(text: str, base_dir: Path, found: _Findings, limits: Limits) -> Body | None:
    """The request body of a curl command line (``-d``, ``--data*``, ``--json``)."""
    joined = re.sub(r"[\\^]\r?\n", " ", text)
    try:
        argv = shlex.split(joined, comments=False, posix=True)
    except ValueError as exc:
        found.add(
            "curl_unparsable",
            Severity.FAIL,
            ROOT_PATH,
            f"the curl command cannot be split into arguments ({exc})",
            detail="Check the quotes: every ' and \" must be closed.",
        )
        return None
    if argv and argv[0] == "$":
        argv = argv[1:]
    data_flags = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"}
    datas: list[tuple[str, str]] = []
    secrets: list[str] = []
    i = 1
    while i < len(argv):
        arg = argv[i]
        value: str | None = None
        flag = arg
        if arg in data_flags or arg in ("-H", "--header"):
            value = argv[i + 1] if i + 1 < len(argv) else ""
            i += 1
        elif arg.startswith("-d") and len(arg) > 2:
            flag, value = "-d", arg[2:]
        elif arg.startswith("-H") and len(arg) > 2:
            flag, value = "-H", arg[2:]
        i += 1
        if value is None:
            continue
        if flag in ("-H", "--header"):
            name, _, header_value = value.partition(":")
            if name.strip().lower() in ("x-api-key", "authorization", "proxy-authorization"):
                secrets.append(header_value.strip())
                secrets.extend(header_value.split()[-1:])
            continue
        datas.append((flag, value))
    if not datas:
        found.add(
            "missing_field",
            Severity.FAIL,
            ROOT_PATH,
            "the curl command has no request body (-d, --data, --data-binary or --json)",
            detail="Paste the command that sent the failing request, with its data argument.",
        )
        return None
    parts: list[str] = []
    for flag, value in datas:
        if value.startswith("@") and flag != "--data-raw":
            ref = value[1:]
            if ref == "-":
                found.add(
                    "curl_unparsable",
                    Severity.FAIL,
                    ROOT_PATH,
                    f"the curl body is read from stdin ({flag} @-)",
                    detail="Save that body to a file and run claude-doctor payload FILE on it.",
                )
                return None
            path = Path(ref).expanduser()
            if not path.is_absolute():
                path = base_dir / path
            try:
                got = read_input(path, limits)
            except PayloadInputError as exc:
                found.add(
                    "curl_unparsable",
                    Severity.FAIL,
                    ROOT_PATH,
                    f"the curl body file cannot be read: {exc}",
                    detail="curl resolves @file against the directory it was run from.",
                )
                return None
            if isinstance(got, Finding):
                found.items.append(got)
                return None
            decoded = _decode_text(got, found)
            if decoded is None:
                return None
            # curl -d @file drops carriage returns and newlines; --data-binary keeps them.
            parts.append(decoded.replace("\r", "").replace("\n", "") if flag == "-d" else decoded)
        else:
            parts.append(value)
    text_body = "&".join(parts)  # curl joins several data arguments with '&'
    origin = f"curl {datas[0][0]}"
    parsed = _parse_or_report(text_body, found, ROOT_PATH)
    if parsed is None:
        return None
    if not _check_parsed(parsed, found):
        return None
    return Body(parsed.value, len(text_body.encode("utf-8")), origin, secrets)


def _nonfinite_name(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _check_parsed(parsed: _Parsed, found: _Findings) -> bool:
    """Duplicate keys and NaN/Infinity (paths found by one walk, only when present), and
    that the top level is an object."""
    if parsed.duplicates or parsed.nonfinite:
        for path, node in _walk(parsed.value):
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
    if not isinstance(parsed.value, dict):
        found.add(
            "not_an_object",
            Severity.FAIL,
            ROOT_PATH,
            f"the body is a JSON {_type_name(parsed.value)}; a Messages request is an object",
            detail='The body must look like {"model": ..., "max_tokens": ..., "messages": [...]}.',
        )
        return False
    return True


_WRAPPER_KEYS = ("body", "json", "request")


def load_body(
    raw: bytes, *, base_dir: Path | None = None, limits: Limits = LIMITS
) -> tuple[Body | None, list[Finding]]:
    """Find the request body in ``raw``; findings describe why it could not be read."""
    found = _Findings()
    base = base_dir or Path.cwd()
    if not raw.strip():
        found.add("json_syntax", Severity.FAIL, ROOT_PATH, "the input is empty")
        return None, found.items
    text = _decode_text(raw, found)
    if text is None:
        return None, found.items
    stripped = text.lstrip()
    if re.match(r"(\$\s*)?curl(\.exe)?\s", stripped):
        return _curl_body(stripped, base, found, limits), found.items
    parsed = _parse_or_report(text, found, ROOT_PATH)
    if parsed is None or not _check_parsed(parsed, found):
        return None, found.items
    data: dict[str, Any] = parsed.value
    size = len(raw)
    origin = "file"
    # A logged request: {"request": {"body": ...}}, {"json": {...}}, {"body": "<json text>"}.
    trail: list[str] = []
    secrets: list[str] = []
    for _ in range(3):
        if "messages" in data:
            break
        key = next((k for k in _WRAPPER_KEYS if isinstance(data.get(k), dict | str)), None)
        if key is None:
            break
        trail.append(key)
        inner = data[key]
        # A logged request's headers (x-api-key, Authorization) must not reach any output.
        with contextlib.suppress(RecursionError):
            secrets.extend(find_secret_values({k: v for k, v in data.items() if k != key}))
        if isinstance(inner, str):
            parsed = _parse_or_report(inner, found, ".".join(trail))
            if parsed is None or not _check_parsed(parsed, found):
                return None, found.items
            inner = parsed.value
            size = len(data[key].encode("utf-8"))
        else:
            try:
                size = len(json.dumps(inner, ensure_ascii=False).encode("utf-8"))
            except (RecursionError, ValueError, TypeError):
                size = _json_size(inner)
        data = inner
        origin = ".".join(trail)
    return Body(data, size, origin, secrets), found.items


# --- binary sniffing ------------------------------------------------------------------


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
class _B64:
    """What a base64 string holds, judged from a prefix."""

    prefix: bytes
    problem: str | None = None
    #: For a double-encoded string: what the inner layer is.
    double: str | None = None
    offset: int | None = None


def _inspect_base64(data: str) -> _B64:
    if not data:
        return _B64(b"", "is empty")
    if data.startswith("data:"):
        return _B64(
            b"",
            "is a data: URL; put only the base64 part in data and the type in media_type",
        )
    try:
        raw = data.encode("ascii")
    except UnicodeEncodeError as exc:
        return _B64(b"", f"holds a non-ASCII character at offset {exc.start}", offset=exc.start)
    bad = raw.translate(None, _B64_ALPHABET)
    if bad:
        offset = raw.find(bad[:1])
        char = bad[:1]
        why = {
            b"\n": "a line break (the base64 was wrapped; encode without line breaks)",
            b"\r": "a line break (the base64 was wrapped; encode without line breaks)",
            b" ": "a space",
            b"-": "'-' (URL-safe base64; use the standard alphabet with + and /)",
            b"_": "'_' (URL-safe base64; use the standard alphabet with + and /)",
        }.get(char, f"{char.decode('ascii', 'replace')!r}, which is not base64")
        return _B64(b"", f"is not valid base64: {why} at offset {offset}", offset=offset)
    body = raw.rstrip(b"=")
    if b"=" in body or len(raw) - len(body) > 2:
        return _B64(b"", "is not valid base64: '=' padding in the middle of the data")
    if len(raw) % 4:
        return _B64(
            b"",
            f"is not valid base64: its length {len(raw)} is not a multiple of 4 "
            "(truncated, or padding missing)",
        )
    cut = min(len(raw), _PREFIX_CHARS)
    try:
        prefix = binascii.a2b_base64(raw[:cut], strict_mode=True)
    except binascii.Error as exc:
        return _B64(b"", f"is not valid base64 ({exc})")
    result = _B64(prefix)
    head = prefix[:96]
    if len(head) >= 16 and all(b in _B64_SET for b in head.rstrip(b"\r\n")):
        usable = len(head) - len(head) % 4
        try:
            inner = base64.b64decode(head[:usable])
        except binascii.Error:
            inner = b""
        result.double = sniff(inner) or "unknown"
    elif head.startswith(b"data:"):
        result.double = "data-url"
    return result


def _full_decode(data: str) -> bytes:
    return binascii.a2b_base64(data.encode("ascii"))


def _dimensions(prefix: bytes, data: str) -> tuple[int, int] | None:
    import imagesize  # lazily: only requests with images pay for it

    w, h = imagesize.get(io.BytesIO(prefix))
    if (w <= 0 or h <= 0) and len(data) > _PREFIX_CHARS:
        # A JPEG's size can sit after large EXIF or ICC blocks: read the whole image.
        w, h = imagesize.get(io.BytesIO(_full_decode(data)))
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


# --- the validator --------------------------------------------------------------------


@dataclass
class _Image:
    path: str
    size: int
    dims: tuple[int, int] | None


@dataclass
class Result:
    """What :func:`validate` found and measured."""

    findings: list[Finding]
    body: Body | None
    summary: dict[str, Any]

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.FAIL for f in self.findings)


class _Validator:
    def __init__(self, body: Body, model: str | None, limits: Limits) -> None:
        self.body = body
        self.data = body.data
        self.limits = limits
        self.found = _Findings()
        self.model = model or (
            self.data.get("model") if isinstance(self.data.get("model"), str) else None
        )
        self.family: ModelFamily | None = model_limits(self.model) if self.model else None
        self.images: list[_Image] = []
        self.image_bytes = 0
        self.document_bytes = 0
        self.text_bytes = 0
        self.tool_bytes = 0
        self.documents = 0
        self.pdf_pages = 0
        self.pdf_pages_unknown = 0
        self.messages = 0
        self.tool_names: set[str] = set()
        self.summary: dict[str, Any] = {"size_bytes": body.size}

    # helpers ------------------------------------------------------------------------

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.found.add(*args, **kwargs)

    def wrong_type(self, path: str, value: Any, expected: str) -> None:
        self.add(
            "wrong_type",
            Severity.FAIL,
            path,
            f"must be {expected}, not {_type_name(value)}",
            detail=f"The API rejects the request: {path} must be {expected}.",
        )

    def missing(self, path: str, key: str, what: str) -> None:
        self.add(
            "missing_field",
            Severity.FAIL,
            join_path(path, key),
            f"required field {key!r} is missing",
            detail=f"{what} needs {key!r}.",
            key=key,
        )

    @property
    def window(self) -> int | None:
        return self.family.context_window if self.family else None

    @property
    def strict(self) -> Severity:
        """Limits that depend on the model are certain only when the model is known."""
        return Severity.FAIL if self.family else Severity.WARN

    # top level ----------------------------------------------------------------------

    def run(self) -> list[Finding]:
        d = self.data
        self.top_level()
        if isinstance(d.get("system"), str | list):
            self.system(d["system"])
        tools = d.get("tools")
        if tools is not None:
            self.tools(tools)
        if "tool_choice" in d:
            self.tool_choice(d["tool_choice"])
        messages = d.get("messages")
        if isinstance(messages, list):
            self.messages = len(messages)
            self.all_messages(messages)
        self.image_limits()
        self.size_and_tokens()
        return self.found.items

    def top_level(self) -> None:
        d = self.data
        for key in ("model", "max_tokens", "messages"):
            if key not in d:
                self.missing(ROOT_PATH, key, "Every Messages request")
        expected = {
            "model": (str, "a string"),
            "max_tokens": (int, "an integer"),
            "messages": (list, "an array"),
            "stream": (bool, "a boolean"),
            "stop_sequences": (list, "an array of strings"),
            "metadata": (dict, "an object"),
            "tools": (list, "an array"),
            "tool_choice": (dict, "an object"),
            "thinking": (dict, "an object"),
            "temperature": (int | float, "a number"),
            "top_p": (int | float, "a number"),
            "top_k": (int, "an integer"),
            "system": (str | list, "a string or an array of text blocks"),
        }
        for key, (kind, words) in expected.items():
            if key not in d:
                continue
            value = d[key]
            bad_bool = isinstance(value, bool) and kind is not bool
            if bad_bool or not isinstance(value, kind):
                self.wrong_type(key, value, words)
        for key in d:
            if key in KNOWN_PARAMETERS:
                continue
            if key in FOREIGN_PARAMETERS:
                self.add(
                    "unknown_parameter",
                    Severity.FAIL,
                    key,
                    f"{key!r} is not a Messages API parameter (use {FOREIGN_PARAMETERS[key]})",
                    detail=(
                        "This name comes from another chat API. The Messages API rejects "
                        "extra inputs with 400 invalid_request_error."
                    ),
                    parameter=key,
                )
                continue
            guess = _did_you_mean(key, KNOWN_PARAMETERS)
            if guess:
                self.add(
                    "unknown_parameter",
                    Severity.FAIL,
                    key,
                    f"unknown parameter {key!r} (did you mean {guess!r}?)",
                    detail="The API rejects extra inputs with 400 invalid_request_error.",
                    steps=(f"Rename {key!r} to {guess!r}",),
                    parameter=key,
                    suggestion=guess,
                )
            else:
                self.add(
                    "unknown_parameter",
                    Severity.WARN,
                    key,
                    f"unknown parameter {key!r}",
                    detail=(
                        "claude-doctor does not know this parameter. The API rejects extra "
                        "inputs, unless this is a parameter newer than this version of "
                        "claude-doctor."
                    ),
                    parameter=key,
                )
        self.ranges()

    def ranges(self) -> None:
        d = self.data
        for key in ("temperature", "top_p"):
            v = d.get(key)
            if isinstance(v, int | float) and not isinstance(v, bool) and not 0 <= v <= 1:
                self.add(
                    "out_of_range",
                    Severity.FAIL,
                    key,
                    f"{key} is {v}; it must be between 0 and 1",
                    detail="Other APIs allow temperature up to 2; the Messages API allows 0-1.",
                    value=v,
                )
        top_k = d.get("top_k")
        if isinstance(top_k, int) and not isinstance(top_k, bool) and top_k < 0:
            self.add("out_of_range", Severity.FAIL, "top_k", f"top_k is {top_k}; must be >= 0")
        max_tokens = d.get("max_tokens")
        if isinstance(max_tokens, int) and not isinstance(max_tokens, bool):
            if max_tokens < 1:
                self.add(
                    "out_of_range",
                    Severity.FAIL,
                    "max_tokens",
                    f"max_tokens is {max_tokens}; it must be at least 1",
                    value=max_tokens,
                )
            elif self.family and max_tokens > self.family.max_output:
                note = f" ({self.family.note})" if self.family.note else ""
                self.add(
                    "out_of_range",
                    Severity.FAIL,
                    "max_tokens",
                    f"max_tokens {max_tokens:,} is over {self.family.label}'s output limit of "
                    f"{self.family.max_output:,}{note}",
                    detail=f"Model {self.model} writes at most {self.family.max_output:,} tokens.",
                    steps=(f"Set max_tokens to {self.family.max_output} or less",),
                    value=max_tokens,
                    limit=self.family.max_output,
                )
        thinking = d.get("thinking")
        if isinstance(thinking, dict) and thinking.get("type") == "enabled":
            budget = thinking.get("budget_tokens")
            if not isinstance(budget, int) or isinstance(budget, bool):
                self.missing("thinking", "budget_tokens", "Enabled extended thinking")
            elif budget < 1024:
                self.add(
                    "out_of_range",
                    Severity.FAIL,
                    "thinking.budget_tokens",
                    f"budget_tokens is {budget}; the minimum is 1024",
                    value=budget,
                )
            elif isinstance(max_tokens, int) and budget >= max_tokens:
                self.add(
                    "out_of_range",
                    Severity.FAIL,
                    "thinking.budget_tokens",
                    f"budget_tokens {budget} must be less than max_tokens {max_tokens}",
                    value=budget,
                )
        stops = d.get("stop_sequences")
        if isinstance(stops, list):
            for i, s in enumerate(stops):
                if not isinstance(s, str):
                    self.wrong_type(join_path("stop_sequences", i), s, "a string")

    def system(self, system: Any) -> None:
        if isinstance(system, str):
            self.text_bytes += len(system.encode("utf-8"))
            return
        for i, block in enumerate(system):
            path = join_path("system", i)
            if not isinstance(block, dict):
                self.wrong_type(path, block, "a text block object")
                continue
            if block.get("type") != "text":
                self.add(
                    "invalid_block",
                    Severity.FAIL,
                    join_path(path, "type"),
                    f"system blocks must be text blocks, not {block.get('type')!r}",
                )
            text = block.get("text")
            if not isinstance(text, str):
                self.missing(path, "text", "A system text block")
            else:
                self.text_bytes += len(text.encode("utf-8"))

    # tools ----------------------------------------------------------------------------

    def tools(self, tools: Any) -> None:
        if not isinstance(tools, list):
            return
        self.tool_bytes += _json_size(tools)
        seen: dict[str, int] = {}
        pattern = re.compile(self.limits.tool_name_pattern)
        for i, tool in enumerate(tools):
            path = join_path("tools", i)
            if not isinstance(tool, dict):
                self.wrong_type(path, tool, "a tool object")
                continue
            name = tool.get("name")
            server_tool = isinstance(tool.get("type"), str) and tool["type"] != "custom"
            if not isinstance(name, str):
                self.missing(path, "name", "A tool")
            else:
                self.tool_names.add(name)
                if name in seen:
                    self.add(
                        "tool_name_duplicate",
                        Severity.FAIL,
                        join_path(path, "name"),
                        f"tool name {name!r} is also used by tools[{seen[name]}]",
                        detail="Tool names must be unique within a request.",
                        name=name,
                        first=f"tools[{seen[name]}]",
                    )
                else:
                    seen[name] = i
                if not server_tool and not pattern.match(name):
                    self.add(
                        "tool_name_invalid",
                        Severity.FAIL,
                        join_path(path, "name"),
                        f"tool name {name!r} does not match {self.limits.tool_name_pattern}",
                        detail=(
                            "Tool names may use letters, digits, '_' and '-' only, 1 to 64 "
                            "characters: no spaces, dots or slashes."
                        ),
                        name=name,
                    )
            if server_tool:
                continue
            if "input_schema" not in tool:
                self.missing(path, "input_schema", "A client tool")
                continue
            self.tool_schema(join_path(path, "input_schema"), tool["input_schema"])

    def tool_schema(self, path: str, schema: Any) -> None:
        if not isinstance(schema, dict):
            self.add(
                "tool_schema_invalid",
                Severity.FAIL,
                path,
                f"input_schema must be a JSON Schema object, not {_type_name(schema)}",
            )
            return
        # Imported lazily (only requests with tools pay for it) and as a module object:
        # jsonschema ships no type stubs.
        validators: Any = importlib.import_module("jsonschema.validators")
        schema_error: type[Exception] = importlib.import_module("jsonschema.exceptions").SchemaError
        try:
            validators.validator_for(schema).check_schema(schema)
        except schema_error as exc:
            err: Any = exc
            where = path
            for part in err.absolute_path:
                where = join_path(where, part)
            self.add(
                "tool_schema_invalid",
                Severity.FAIL,
                where,
                f"input_schema is not a valid JSON Schema: {err.message}",
                detail=(
                    "The API answers 400 for a tool whose input_schema fails the JSON Schema "
                    "meta-schema. Common causes: a type name like 'str' or 'int' (use "
                    "'string', 'integer'), 'required' given as true on a property instead of "
                    "a list on the object."
                ),
                steps=(f"Fix {where}",),
                schema_path="/".join(str(p) for p in err.absolute_schema_path),
            )
            return
        except RecursionError:
            self.add(
                "tool_schema_invalid",
                Severity.FAIL,
                path,
                "input_schema is nested too deeply to check",
            )
            return
        if schema.get("type") != "object":
            self.add(
                "tool_schema_not_object",
                Severity.FAIL,
                join_path(path, "type"),
                f"input_schema type must be 'object', not {schema.get('type')!r}",
                detail="A tool's input is always a JSON object; wrap other types in a property.",
                steps=('Set "type": "object" and put the fields under "properties"',),
            )

    def tool_choice(self, choice: Any) -> None:
        if not isinstance(choice, dict):
            return
        kind = choice.get("type")
        if kind not in TOOL_CHOICE_TYPES:
            self.add(
                "invalid_value",
                Severity.FAIL,
                "tool_choice.type",
                f"tool_choice type {kind!r} is not one of {', '.join(TOOL_CHOICE_TYPES)}",
            )
        elif kind == "tool" and choice.get("name") not in self.tool_names:
            self.add(
                "tool_choice_unknown_tool",
                Severity.FAIL,
                "tool_choice.name",
                f"tool_choice names {choice.get('name')!r}, which is not in tools",
                name=choice.get("name"),
            )

    # messages -------------------------------------------------------------------------

    def all_messages(self, messages: list[Any]) -> None:
        last = len(messages) - 1
        for i, msg in enumerate(messages):
            path = join_path("messages", i)
            if not isinstance(msg, dict):
                self.wrong_type(path, msg, "a message object")
                continue
            role = msg.get("role")
            if role == "system":
                self.add(
                    "system_role",
                    Severity.FAIL,
                    join_path(path, "role"),
                    "'system' is not a message role; use the top-level system parameter",
                    detail=(
                        "The Messages API takes the system prompt as the top-level `system` "
                        "field; messages alternate between user and assistant."
                    ),
                    steps=("Move this message's content to the top-level system field",),
                )
            elif role not in ("user", "assistant"):
                hint = (
                    " (tool results go in a user message as tool_result blocks)"
                    if role
                    in (
                        "tool",
                        "function",
                    )
                    else ""
                )
                self.add(
                    "invalid_role",
                    Severity.FAIL,
                    join_path(path, "role"),
                    f"role {role!r} is not 'user' or 'assistant'{hint}",
                )
            if i == 0 and role == "assistant":
                self.add(
                    "first_not_user",
                    Severity.FAIL,
                    join_path(path, "role"),
                    "the first message must come from the user",
                    detail="Start the conversation with a user message.",
                )
            content = msg.get("content")
            if "content" not in msg:
                self.missing(path, "content", "A message")
                continue
            final_assistant = i == last and role == "assistant"
            self.content(join_path(path, "content"), content, role, final_assistant)
        self.tool_pairs(messages)

    def content(self, path: str, content: Any, role: Any, final_assistant: bool) -> None:
        if isinstance(content, str):
            if not content.strip() and not final_assistant:
                self.empty(path, content)
            self.text_bytes += len(content.encode("utf-8"))
            return
        if not isinstance(content, list):
            self.wrong_type(path, content, "a string or an array of content blocks")
            return
        if not content and not final_assistant:
            self.empty(path, content)
        for j, block in enumerate(content):
            self.block(join_path(path, j), block, role, final_assistant)

    def empty(self, path: str, value: Any) -> None:
        what = "empty" if not value else "only whitespace"
        self.add(
            "empty_content",
            Severity.FAIL,
            path,
            f"content is {what}",
            detail=(
                "Every message needs non-empty content (only a final assistant message may be "
                "empty), and text blocks need non-whitespace text."
            ),
            steps=("Remove this message or give it content",),
        )

    def block(self, path: str, block: Any, role: Any, final_assistant: bool) -> None:
        if not isinstance(block, dict):
            self.wrong_type(path, block, "a content block object")
            return
        kind = block.get("type")
        if not isinstance(kind, str):
            self.missing(path, "type", "A content block")
            return
        if kind not in KNOWN_BLOCKS:
            guess = _did_you_mean(kind, KNOWN_BLOCKS)
            self.add(
                "unknown_block_type",
                Severity.FAIL if guess else Severity.WARN,
                join_path(path, "type"),
                f"unknown content block type {kind!r}"
                + (f" (did you mean {guess!r}?)" if guess else ""),
                detail=(
                    "Known types: text, image, document, tool_use, tool_result, thinking, ..."
                    if guess
                    else "Not a block type claude-doctor knows; the API may reject it."
                ),
                block_type=kind,
            )
            return
        if role == "user" and kind not in USER_BLOCKS:
            self.add(
                "block_role_mismatch",
                Severity.FAIL,
                join_path(path, "type"),
                f"a {kind} block cannot be in a user message",
                detail=f"{kind} blocks come from the assistant; send them in assistant turns.",
            )
        elif role == "assistant" and kind not in ASSISTANT_BLOCKS:
            self.add(
                "block_role_mismatch",
                Severity.FAIL,
                join_path(path, "type"),
                f"a {kind} block cannot be in an assistant message",
                detail=(
                    "tool_result, image and document blocks go in user messages."
                    if kind in USER_BLOCKS
                    else ""
                ),
            )
        if kind == "text":
            text = block.get("text")
            if not isinstance(text, str):
                self.missing(path, "text", "A text block")
            else:
                if not text.strip() and not final_assistant:
                    self.empty(join_path(path, "text"), text)
                self.text_bytes += len(text.encode("utf-8"))
        elif kind == "image":
            self.image(path, block)
        elif kind == "document":
            self.document(path, block)
        elif kind == "tool_use":
            if not isinstance(block.get("id"), str) or not _TOOL_USE_ID.match(block["id"]):
                self.add(
                    "invalid_value",
                    Severity.FAIL,
                    join_path(path, "id"),
                    "tool_use id must be a string of letters, digits, '_' and '-'",
                )
            if not isinstance(block.get("input"), dict):
                self.wrong_type(join_path(path, "input"), block.get("input"), "an object")
            self.text_bytes += _json_size(block.get("input"))
        elif kind == "tool_result":
            inner = block.get("content")
            if isinstance(inner, str):
                self.text_bytes += len(inner.encode("utf-8"))
            elif isinstance(inner, list):
                for k, sub in enumerate(inner):
                    sub_path = join_path(join_path(path, "content"), k)
                    if isinstance(sub, dict) and sub.get("type") in (
                        "text",
                        "image",
                        "document",
                        "search_result",
                    ):
                        self.block(sub_path, sub, "user", False)
                    else:
                        self.add(
                            "invalid_block",
                            Severity.FAIL,
                            sub_path,
                            "tool_result content may hold text, image, document and "
                            "search_result blocks only",
                        )
            elif inner is not None:
                self.wrong_type(join_path(path, "content"), inner, "a string or an array")
        elif kind in ("thinking", "redacted_thinking"):
            self.text_bytes += _json_size(block)

    # images and documents -------------------------------------------------------------

    def image(self, path: str, block: dict[str, Any]) -> None:
        source = block.get("source")
        spath = join_path(path, "source")
        if not isinstance(source, dict):
            self.missing(path, "source", "An image block")
            return
        kind = source.get("type")
        if kind == "url":
            self.url(spath, source.get("url"), "image")
            self.images.append(_Image(spath, 0, None))
            return
        if kind == "file":
            if not isinstance(source.get("file_id"), str):
                self.missing(spath, "file_id", "A file image source")
            self.images.append(_Image(spath, 0, None))
            return
        if kind != "base64":
            self.add(
                "invalid_value",
                Severity.FAIL,
                join_path(spath, "type"),
                f"image source type {kind!r} is not base64, url or file",
            )
            return
        media_type = source.get("media_type")
        data = source.get("data")
        dpath = join_path(spath, "data")
        if media_type not in IMAGE_TYPES:
            self.add(
                "image_media_type_unsupported",
                Severity.FAIL,
                join_path(spath, "media_type"),
                f"media_type {media_type!r} is not one of {', '.join(IMAGE_TYPES)}",
                media_type=media_type,
            )
        if not isinstance(data, str):
            self.missing(spath, "data", "A base64 image source")
            return
        size = len(data)
        self.image_bytes += size
        image = _Image(dpath, size, None)
        self.images.append(image)
        if size > self.limits.image_base64_max_bytes:
            self.add(
                "image_too_large",
                Severity.FAIL,
                dpath,
                f"image is {_size(size)} of base64, over the "
                f"{_size(self.limits.image_base64_max_bytes)} per-image limit",
                detail="Resize or recompress it (JPEG or WebP, long edge 1568 px is enough).",
                steps=("Downscale the image so its long edge is at most 1568 px",),
                size=size,
                limit=self.limits.image_base64_max_bytes,
            )
        elif size > self.limits.image_base64_warn_bytes:
            self.add(
                "image_too_large",
                Severity.WARN,
                dpath,
                f"image is {_size(size)} of base64, over the "
                f"{_size(self.limits.image_base64_warn_bytes)} limit of Bedrock, Google Cloud "
                f"and older API versions (the direct API now allows "
                f"{_size(self.limits.image_base64_max_bytes)})",
                detail=(
                    "The API once answered 'image exceeds 5 MB maximum: ... > 5242880 bytes'. "
                    "Keeping images under 5 MB works everywhere."
                ),
                size=size,
                limit=self.limits.image_base64_warn_bytes,
            )
        info = _inspect_base64(data)
        if info.problem:
            self.add(
                "image_base64_invalid",
                Severity.FAIL,
                dpath,
                f"image data {info.problem}",
                detail="data must be plain standard base64 of the image file's bytes.",
                **({"offset": info.offset} if info.offset is not None else {}),
            )
            return
        if info.double:
            inner = "" if info.double == "unknown" else f" (inside is {info.double})"
            if info.double == "data-url":
                inner = " (inside is a data: URL)"
            self.add(
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
            self.add(
                "image_not_an_image",
                Severity.FAIL,
                dpath,
                "image data is "
                + (
                    f"{actual}, not a supported image" if actual else "not a JPEG, PNG, GIF or WebP"
                ),
                detail="Supported formats: JPEG, PNG, GIF, WebP. Convert others first.",
                detected=actual,
            )
            return
        if media_type in IMAGE_TYPES and actual != media_type:
            self.add(
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
        image.dims = _dimensions(info.prefix, data)
        if image.dims and max(image.dims) > self.limits.image_max_px:
            w, h = image.dims
            self.add(
                "image_dimensions_too_large",
                Severity.FAIL,
                dpath,
                f"image is {w}x{h} px, over the {self.limits.image_max_px} px limit",
                steps=("Downscale the image so its long edge is at most 1568 px",),
                width=w,
                height=h,
                limit=self.limits.image_max_px,
            )

    def url(self, path: str, url: Any, what: str) -> None:
        upath = join_path(path, "url")
        if not isinstance(url, str):
            self.missing(path, "url", f"A {what} URL source")
            return
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            self.add(
                f"{what}_url_invalid",
                Severity.FAIL,
                upath,
                f"{what} URL is not a well-formed http(s) URL: {url[:80]!r}",
                detail="The API fetches the URL itself: it must be an absolute https:// URL.",
            )
        elif parts.hostname in ("localhost", "127.0.0.1", "::1") or (parts.hostname or "").endswith(
            ".local"
        ):
            self.add(
                f"{what}_url_invalid",
                Severity.FAIL,
                upath,
                f"{what} URL points at this machine ({parts.hostname}); the API cannot reach it",
            )

    def document(self, path: str, block: dict[str, Any]) -> None:
        source = block.get("source")
        spath = join_path(path, "source")
        self.documents += 1
        if not isinstance(source, dict):
            self.missing(path, "source", "A document block")
            return
        kind = source.get("type")
        if kind == "url":
            self.url(spath, source.get("url"), "document")
            return
        if kind == "text":
            if not isinstance(source.get("data"), str):
                self.missing(spath, "data", "A text document source")
            else:
                self.document_bytes += len(source["data"].encode("utf-8"))
            return
        if kind in ("content", "file"):
            self.document_bytes += _json_size(source)
            return
        if kind != "base64":
            self.add(
                "invalid_value",
                Severity.FAIL,
                join_path(spath, "type"),
                f"document source type {kind!r} is not base64, text, content, url or file",
            )
            return
        data = source.get("data")
        dpath = join_path(spath, "data")
        if source.get("media_type") != "application/pdf":
            self.add(
                "document_media_type_mismatch",
                Severity.FAIL,
                join_path(spath, "media_type"),
                f"a base64 document must be application/pdf, not {source.get('media_type')!r}",
                detail='Plain text goes in {"type": "text", "media_type": "text/plain"}.',
            )
        if not isinstance(data, str):
            self.missing(spath, "data", "A base64 document source")
            return
        self.document_bytes += len(data)
        info = _inspect_base64(data)
        if info.problem:
            self.add(
                "document_base64_invalid",
                Severity.FAIL,
                dpath,
                f"PDF data {info.problem}",
                **({"offset": info.offset} if info.offset is not None else {}),
            )
            return
        if info.double:
            self.add(
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
            self.add(
                "document_not_pdf",
                Severity.FAIL,
                dpath,
                "document data does not start with %PDF-"
                + (f" (it is {actual})" if actual else ""),
                detail="Only PDF files can be sent as base64 documents.",
                detected=actual,
            )
            return
        # Counting pages needs the whole file; cheap enough for anything the API accepts.
        if len(data) <= self.limits.request_bytes:
            pdf = _full_decode(data)
            pages = pdf_page_count(pdf)
            if b"/Encrypt" in pdf[-4096:] or b"/Encrypt" in pdf[:4096]:
                self.add(
                    "document_encrypted",
                    Severity.FAIL,
                    dpath,
                    "PDF is encrypted or password-protected",
                    detail="The API accepts no password-protected or encrypted PDFs.",
                )
        else:
            pages = None
        if pages is None:
            self.pdf_pages_unknown += 1
        else:
            self.pdf_pages += pages

    def image_limits(self) -> None:
        count = len(self.images)
        window = self.window or 200_000
        limit = (
            self.limits.images_small_window
            if window <= 200_000
            else self.limits.images_large_window
        )
        if count > limit:
            self.add(
                "too_many_images",
                self.strict,
                "messages",
                f"the request holds {count} images; the limit is {limit} per request"
                + ("" if self.family else " (assumed: the model is not known)"),
                detail="Drop older images from the conversation, or summarise them as text.",
                count=count,
                limit=limit,
            )
        if count > self.limits.many_images_threshold:
            cap = self.limits.many_images_max_px
            for image in self.images:
                if (
                    image.dims
                    and max(image.dims) > cap
                    and max(image.dims) <= (self.limits.image_max_px)
                ):
                    w, h = image.dims
                    self.add(
                        "image_dimensions_too_large",
                        Severity.FAIL,
                        image.path,
                        f"image is {w}x{h} px; with more than {self.limits.many_images_threshold}"
                        f" images in a request each must be at most {cap} px",
                        detail="The API applies a stricter per-image limit to many-image requests.",
                        steps=(f"Downscale every image to at most {cap} px on its long edge",),
                        width=w,
                        height=h,
                        limit=cap,
                        many_images=True,
                    )
        pages_limit = (
            self.limits.pdf_pages_small_window
            if (self.window or 200_000) < 1_000_000
            else self.limits.pdf_pages_large_window
        )
        if self.pdf_pages > pages_limit:
            self.add(
                "too_many_pdf_pages",
                self.strict,
                "messages",
                f"the PDFs hold {self.pdf_pages} pages; the limit is {pages_limit} per request",
                count=self.pdf_pages,
                limit=pages_limit,
            )

    # size and tokens ------------------------------------------------------------------

    def image_tokens(self, image: _Image) -> int:
        if not image.dims:
            return 1600
        w, h = image.dims
        edge = self.limits.image_downscale_px
        scale = min(1.0, edge / max(w, h))
        return min(1600, math.ceil(w * scale * h * scale / 750))

    def size_and_tokens(self) -> None:
        size = self.body.size
        breakdown = {
            "images": self.image_bytes,
            "documents": self.document_bytes,
            "text": self.text_bytes,
            "tools": self.tool_bytes,
        }
        breakdown["other"] = max(0, size - sum(breakdown.values()))
        limit = self.limits.request_bytes
        parts = ", ".join(
            f"{k} {_size(v)}" for k, v in sorted(breakdown.items(), key=lambda kv: -kv[1]) if v
        )
        if size > limit:
            self.add(
                "request_too_large",
                Severity.FAIL,
                ROOT_PATH,
                f"the request is {_size(size)}, over the API's {_size(limit)} limit",
                detail=f"What takes the space: {parts}. The API answers 413 request_too_large.",
                steps=(
                    "Move images and PDFs to the Files API and refer to them by file_id",
                    "Drop old images and tool results from the conversation",
                ),
                size=size,
                limit=limit,
                breakdown=breakdown,
            )
        else:
            smaller = [name for name, cap in self.limits.platform_request_bytes if size > cap]
            if smaller:
                self.add(
                    "request_size_platform",
                    Severity.INFO,
                    ROOT_PATH,
                    f"the request ({_size(size)}) is over the smaller limit of "
                    + " and ".join(smaller),
                    detail=f"Fine on the direct API. What takes the space: {parts}.",
                    size=size,
                )
        text_tokens = math.ceil(self.text_bytes / self.limits.chars_per_token)
        image_tokens = sum(self.image_tokens(i) for i in self.images)
        pdf_tokens = self.limits.pdf_tokens_per_page * self.pdf_pages
        pdf_tokens += self.limits.pdf_tokens_per_page * 10 * self.pdf_pages_unknown
        tool_tokens = math.ceil(self.tool_bytes / self.limits.chars_per_token) + (
            self.limits.tool_use_system_tokens if self.tool_bytes else 0
        )
        estimate = text_tokens + image_tokens + pdf_tokens + tool_tokens
        max_tokens = self.data.get("max_tokens")
        max_tokens = max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else 0
        window = self.window
        label = "estimate, ~4 characters a token; count_tokens gives the exact figure"
        if window is not None and estimate > window:
            self.add(
                "context_window_exceeded",
                Severity.FAIL if estimate > window * 1.25 else Severity.WARN,
                "messages",
                f"about {estimate:,} input tokens (estimate) against {self.model}'s "
                f"{window:,}-token window",
                detail=(
                    f"This is an {label}. A prompt past the window is answered 'prompt is too "
                    "long'. Trim old turns or summarise them."
                ),
                steps=("POST /v1/messages/count_tokens with this body gives the exact count",),
                estimate=estimate,
                window=window,
            )
        elif window is not None and max_tokens and estimate + max_tokens > window:
            self.add(
                "context_window_tight",
                Severity.WARN,
                "max_tokens",
                f"about {estimate:,} input tokens (estimate) + max_tokens {max_tokens:,} is "
                f"over the {window:,}-token window",
                detail=(
                    f"This is an {label}. The API refuses input + max_tokens over the window "
                    "('input length and max_tokens exceed context limit')."
                ),
                steps=("Lower max_tokens or trim the conversation",),
                estimate=estimate,
                window=window,
            )
        if self.model and self.family is None:
            self.add(
                "model_unknown",
                Severity.INFO,
                "model",
                f"model {self.model!r} is not in claude-doctor's table; window and output "
                "limits were not checked",
                detail="Pass --model with a Claude model id to check them.",
                model=self.model,
            )
        self.summary = {
            "origin": self.body.origin,
            "model": self.model,
            "model_family": self.family.label if self.family else None,
            "context_window": window,
            "size_bytes": size,
            "size_limit_bytes": limit,
            "breakdown_bytes": breakdown,
            "messages": self.messages,
            "images": len(self.images),
            "documents": self.documents,
            "pdf_pages": self.pdf_pages if not self.pdf_pages_unknown else None,
            "tools": len(self.data["tools"]) if isinstance(self.data.get("tools"), list) else 0,
            "input_tokens_estimate": estimate,
            "input_tokens_estimate_note": label,
            "estimate_parts": {
                "text": text_tokens,
                "images": image_tokens,
                "documents": pdf_tokens,
                "tools": tool_tokens,
            },
        }

    # tool_use / tool_result pairing ---------------------------------------------------

    def tool_pairs(self, messages: list[Any]) -> None:
        def blocks(msg: Any) -> list[tuple[int, dict[str, Any]]]:
            content = msg.get("content") if isinstance(msg, dict) else None
            if not isinstance(content, list):
                return []
            return [(j, b) for j, b in enumerate(content) if isinstance(b, dict)]

        previous_ids: dict[str, int] = {}
        for i, msg in enumerate(messages):
            if not isinstance(msg, dict):
                previous_ids = {}
                continue
            role = msg.get("role")
            path = join_path("messages", i)
            if role == "user":
                seen_other = False
                for j, b in blocks(msg):
                    bpath = join_path(join_path(path, "content"), j)
                    if b.get("type") != "tool_result":
                        seen_other = True
                        continue
                    if seen_other:
                        self.add(
                            "tool_result_order",
                            Severity.FAIL,
                            bpath,
                            "tool_result blocks must come first in the user message",
                            detail="Put every tool_result before any text in that message.",
                        )
                        seen_other = False
                    tid = b.get("tool_use_id")
                    if tid not in previous_ids:
                        self.add(
                            "orphan_tool_result",
                            Severity.FAIL,
                            join_path(bpath, "tool_use_id"),
                            f"tool_result for {tid!r} answers no tool_use in the previous "
                            "assistant message",
                            detail=(
                                "Each tool_result must answer a tool_use id from the assistant "
                                "message right before it. Usually a turn was dropped or "
                                "trimmed from the history."
                            ),
                            steps=("Keep the assistant tool_use turn, or drop this tool_result",),
                            tool_use_id=tid,
                        )
                previous_ids = {}
            elif role == "assistant":
                ids: dict[str, int] = {}
                for j, b in blocks(msg):
                    if b.get("type") == "tool_use" and isinstance(b.get("id"), str):
                        if b["id"] in ids:
                            self.add(
                                "tool_use_id_duplicate",
                                Severity.FAIL,
                                join_path(join_path(join_path(path, "content"), j), "id"),
                                f"tool_use id {b['id']!r} is used twice in this message",
                            )
                        ids[b["id"]] = j
                nxt = messages[i + 1] if i + 1 < len(messages) else None
                answered: set[Any] = set()
                if isinstance(nxt, dict) and nxt.get("role") == "user":
                    answered = {
                        b.get("tool_use_id")
                        for _, b in blocks(nxt)
                        if b.get("type") == "tool_result"
                    }
                for tid, j in ids.items():
                    if tid in answered:
                        continue
                    self.add(
                        "tool_use_unanswered",
                        Severity.FAIL,
                        join_path(join_path(path, "content"), j),
                        f"tool_use {tid!r} has no tool_result in the next user message",
                        detail=(
                            "Every tool_use must be answered by a tool_result with its id in the "
                            "user message that immediately follows."
                            + (" This is the last message." if nxt is None else "")
                        ),
                        steps=("Add the tool_result to the next user message",),
                        tool_use_id=tid,
                    )
                previous_ids = ids
            else:
                previous_ids = {}


def validate(
    raw: bytes,
    *,
    model: str | None = None,
    base_dir: Path | None = None,
    limits: Limits = LIMITS,
) -> Result:
    """Validate the request in ``raw`` (a body, a wrapped body or a curl command)."""
    body, findings = load_body(raw, base_dir=base_dir, limits=limits)
    if body is None:
        return Result(findings, None, {"size_bytes": len(raw), "readable": False})
    validator = _Validator(body, model, limits)
    try:
        findings += validator.run()
    except RecursionError:
        findings.append(
            Finding(
                id="payload.json_too_deep",
                branch=Branch.PAYLOAD,
                severity=Severity.FAIL,
                title=f"{ROOT_PATH} — the request is nested too deeply to check",
                evidence={"path": ROOT_PATH},
            )
        )
    return Result(findings, body, validator.summary)


def summary_finding(result: Result) -> Finding:
    """The info finding that carries the ``payload`` evidence block."""
    s = result.summary
    if not s.get("readable", True):
        title = "request could not be read"
    else:
        counts = ", ".join(
            _count(s[k], k[:-1]) for k in ("messages", "images", "documents", "tools")
        )
        title = (
            f"request {_size(s['size_bytes'])}: {counts}, "
            f"~{s['input_tokens_estimate']:,} input tokens (estimate)"
        )
    problems = sum(1 for f in result.findings if f.severity.is_problem)
    return Finding(
        id="payload.summary",
        branch=Branch.PAYLOAD,
        severity=Severity.INFO,
        title=title,
        detail=(
            "No problem found in the request." if not problems else f"{problems} problem(s) found."
        ),
        evidence={"path": ROOT_PATH, "payload": s},
    )


def report_findings(result: Result) -> list[Finding]:
    """The findings for a report: the summary first, then every problem."""
    return [summary_finding(result), *result.findings]
