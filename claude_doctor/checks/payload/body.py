"""Reading the request to validate: a file or stdin (bounded reads), and the body inside it.

The input may be a JSON request body, a logged request that wraps one (an object with a
``body``, ``json`` or ``request`` key), or a curl command line whose ``-d``/``--data``/
``--data-raw``/``--data-binary``/``--json`` carries it, inline or as ``@file``. Nothing is
read past :attr:`Limits.input_cap_bytes`: a larger input is a finding, judged by its size.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claude_doctor.checks.payload.findings import ROOT_PATH, Findings
from claude_doctor.checks.payload.jsontext import (
    check_parsed,
    decode_text,
    json_size,
    parse_or_report,
)
from claude_doctor.limits import LIMITS, Limits
from claude_doctor.model import Finding, Severity
from claude_doctor.redact import find_secret_values
from claude_doctor.safe_read import Bytes, Problem, human_size, read_bytes


class PayloadInputError(Exception):
    """The named input cannot be read at all (missing, a directory, permission denied)."""


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


# --- reading the input ----------------------------------------------------------------


def read_input(path: Path, limits: Limits = LIMITS) -> bytes | Finding:
    """The bytes of ``path``, or a finding when it is over the input cap (judged by its
    size before anything is read). Raises :class:`PayloadInputError` when it cannot be
    read at all (missing, not a regular file, permission denied)."""
    got = read_bytes(path, limits.input_cap_bytes)
    if isinstance(got, Bytes):
        return got.data
    if got.problem is Problem.TOO_LARGE:
        return _too_large_input(got.size or limits.input_cap_bytes + 1, limits)
    if got.problem is Problem.MISSING:
        raise PayloadInputError(f"{path}: no such file")
    if got.problem is Problem.NOT_A_FILE:
        hint = "; to read a pipe, give it on stdin: payload -" if "FIFO" in got.message else ""
        raise PayloadInputError(f"{path} {got.message}, not a request file{hint}")
    raise PayloadInputError(f"{path}: {got.message.removeprefix('cannot be read: ')}")


def read_stream(stream: io.BufferedIOBase | Any, limits: Limits = LIMITS) -> bytes | Finding:
    """Read at most the input cap from a binary stream (stdin)."""
    raw: bytes = stream.read(limits.input_cap_bytes + 1)
    if len(raw) > limits.input_cap_bytes:
        return _too_large_input(len(raw), limits, at_least=True)
    return raw


def _too_large_input(size: int, limits: Limits, at_least: bool = False) -> Finding:
    found = Findings()
    amount = f"over {human_size(limits.input_cap_bytes)}" if at_least else human_size(size)
    found.add(
        "request_too_large",
        Severity.FAIL,
        ROOT_PATH,
        f"the input is {amount}; the Messages API accepts at most "
        f"{human_size(limits.request_bytes)}",
        detail=(
            f"claude-doctor did not read it: inputs over {human_size(limits.input_cap_bytes)} "
            "are refused unread. A request this large is rejected with 413 request_too_large. "
            "Send large files through the Files API, or split the work over several requests."
        ),
        steps=("Move images and documents to the Files API and refer to them by file_id",),
        size=size,
        limit=limits.request_bytes,
        read=False,
    )
    return found.items[0]


# --- the body in the input --------------------------------------------------------------

_WRAPPER_KEYS = ("body", "json", "request")


def load_body(
    raw: bytes, *, base_dir: Path | None = None, limits: Limits = LIMITS
) -> tuple[Body | None, list[Finding]]:
    """Find the request body in ``raw``; findings describe why it could not be read."""
    found = Findings()
    base = base_dir or Path.cwd()
    if not raw.strip():
        found.add("json_syntax", Severity.FAIL, ROOT_PATH, "the input is empty")
        return None, found.items
    text = decode_text(raw, found)
    if text is None:
        return None, found.items
    stripped = text.lstrip()
    if re.match(r"(\$\s*)?curl(\.exe)?\s", stripped):
        return _curl_body(stripped, base, found, limits), found.items
    parsed = parse_or_report(text, found, ROOT_PATH)
    if parsed is None or not check_parsed(parsed, found):
        return None, found.items
    return _unwrap(parsed.value, len(raw), found), found.items


def _unwrap(data: dict[str, Any], size: int, found: Findings) -> Body | None:
    """The body inside a logged request: ``{"request": {"body": ...}}``, ``{"json": {...}}``,
    ``{"body": "<json text>"}``; ``data`` itself when it has ``messages``."""
    origin = "file"
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
            parsed = parse_or_report(inner, found, ".".join(trail))
            if parsed is None or not check_parsed(parsed, found):
                return None
            inner = parsed.value
            size = len(data[key].encode("utf-8"))
        else:
            try:
                size = len(json.dumps(inner, ensure_ascii=False).encode("utf-8"))
            except (RecursionError, ValueError, TypeError):
                size = json_size(inner)
        data = inner
        origin = ".".join(trail)
    return Body(data, size, origin, secrets)


# --- curl -------------------------------------------------------------------------------

_DATA_FLAGS = frozenset({"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"})
_SECRET_HEADERS = ("x-api-key", "authorization", "proxy-authorization")


def _curl_body(text: str, base_dir: Path, found: Findings, limits: Limits) -> Body | None:
    """The request body of a curl command line (``-d``, ``--data*``, ``--json``)."""
    arguments = _curl_arguments(text, found)
    if arguments is None:
        return None
    datas, secrets = arguments
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
            part = _curl_file(flag, value[1:], base_dir, found, limits)
            if part is None:
                return None
            parts.append(part)
        else:
            parts.append(value)
    text_body = "&".join(parts)  # curl joins several data arguments with '&'
    origin = f"curl {datas[0][0]}"
    parsed = parse_or_report(text_body, found, ROOT_PATH)
    if parsed is None:
        return None
    if not check_parsed(parsed, found):
        return None
    return Body(parsed.value, len(text_body.encode("utf-8")), origin, secrets)


def _curl_arguments(text: str, found: Findings) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The (flag, value) data arguments of a curl command and the values of its secret
    headers; ``None`` with a finding when the line cannot be split."""
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
    datas: list[tuple[str, str]] = []
    secrets: list[str] = []
    i = 1
    while i < len(argv):
        arg = argv[i]
        value: str | None = None
        flag = arg
        if arg in _DATA_FLAGS or arg in ("-H", "--header"):
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
            if name.strip().lower() in _SECRET_HEADERS:
                secrets.append(header_value.strip())
                secrets.extend(header_value.split()[-1:])
            continue
        datas.append((flag, value))
    return datas, secrets


def _curl_file(flag: str, ref: str, base_dir: Path, found: Findings, limits: Limits) -> str | None:
    """The text of a ``@file`` data argument, as curl would send it."""
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
    decoded = decode_text(got, found)
    if decoded is None:
        return None
    # curl -d @file drops carriage returns and newlines; --data-binary keeps them.
    return decoded.replace("\r", "").replace("\n", "") if flag == "-d" else decoded
