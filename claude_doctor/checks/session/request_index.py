"""Where a transcript's request records are, found in one streaming pass (FACTS §3.9a).

Claude Code writes each request it sends as an ``api-request`` line (``params``, a
``shapeHash``, ``keep``, ``tail``, ``cacheControl``), the system prompt and tools once per
shape as an ``api-request-shape`` line, and new messages as ``api-request-blob`` lines keyed
by ``hash``. Transcripts reach hundreds of MB, so :func:`index_transcript` holds no line
but the small request records: of every other line it keeps the offset and length, read
again by :func:`read_line_at` only when the rebuild needs it. The type of a line too long
to hold is told from its first bytes. Corrupt and unknown lines are counted or ignored,
never raised.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from claude_doctor.safe_read import JsonError, Unreadable, loads, open_file

#: Lines up to this size are held whole while indexing; longer ones by their head only.
SMALL_LINE = 1024 * 1024
#: The first bytes of a long line read to tell its type and hash.
HEAD_BYTES = 4096
CHUNK = 1024 * 1024

_TYPE = re.compile(rb'"type"\s*:\s*"(api-request(?:-blob|-shape)?)"')
_HASH = re.compile(rb'"hash"\s*:\s*"([0-9a-f]{64})"')
_SHAPE_HASH = re.compile(rb'"shapeHash"\s*:\s*"([0-9a-f]{64})"')
_FAILURE = re.compile(rb'"isApiErrorMessage"\s*:\s*true')
_MESSAGE_TYPE = re.compile(rb'"type"\s*:\s*"(?:user|assistant)"')


class IndexTimeout(Exception):
    """The index ran past its deadline."""


@dataclass(frozen=True)
class Span:
    """One line of a transcript: where it starts and how long it is (without its newline)."""

    offset: int
    length: int


@dataclass(frozen=True)
class RequestRef:
    """One ``api-request`` line: what the rebuild needs of it."""

    span: Span
    keep: int
    tail: tuple[str, ...]
    shape_hash: str | None
    #: The request's ``thread``, as compact JSON: a request keeps messages of the previous
    #: request of the same thread.
    thread: str
    timestamp: str | None
    params: dict[str, Any]
    cache_control: tuple[Any, ...]


@dataclass
class TranscriptIndex:
    """The request records of one transcript and where its other lines are."""

    path: Path
    size: int = 0
    requests: list[RequestRef] = field(default_factory=list)
    blobs: dict[str, Span] = field(default_factory=dict)
    shapes: dict[str, Span] = field(default_factory=dict)
    #: ``user`` and ``assistant`` lines (and long lines of unknown type), in file order.
    messages: list[Span] = field(default_factory=list)
    #: Offset of the last ``isApiErrorMessage`` assistant line.
    last_failure: int | None = None
    corrupt_lines: int = 0
    unreadable: bool = False


def _spans(handle: BinaryIO, deadline: float | None) -> Iterator[tuple[Span, bytes, bool]]:
    """Every line as (span, bytes, whole): the whole line when it is at most
    :data:`SMALL_LINE`, else its first :data:`HEAD_BYTES` only. An unterminated last line
    (a write in progress) is left out."""
    pos = 0
    start = 0
    held = bytearray()
    whole = True
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise IndexTimeout
        chunk = handle.read(CHUNK)
        if not chunk:
            return
        i = 0
        while True:
            nl = chunk.find(b"\n", i)
            piece = chunk[i:] if nl < 0 else chunk[i:nl]
            if whole:
                if len(held) + len(piece) > SMALL_LINE:
                    whole = False
                    del held[HEAD_BYTES:]
                    held += piece[: max(0, HEAD_BYTES - len(held))]
                else:
                    held += piece
            elif len(held) < HEAD_BYTES:
                held += piece[: HEAD_BYTES - len(held)]
            if nl < 0:
                break
            end = pos + nl
            if end > start:
                yield Span(start, end - start), bytes(held), whole
            held.clear()
            whole = True
            i = nl + 1
            start = pos + i
        pos += len(chunk)


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        value = loads(raw).value
    except JsonError:
        return None
    return value if isinstance(value, dict) else None


def _request_ref(span: Span, d: dict[str, Any]) -> RequestRef | None:
    tail = d.get("tail")
    params = d.get("params")
    if not isinstance(tail, list) or not all(isinstance(h, str) for h in tail):
        return None
    keep = d.get("keep", 0)
    shape = d.get("shapeHash")
    control = d.get("cacheControl")
    return RequestRef(
        span=span,
        keep=keep if isinstance(keep, int) and keep >= 0 else 0,
        tail=tuple(tail),
        shape_hash=shape if isinstance(shape, str) else None,
        thread=json.dumps(d.get("thread"), sort_keys=True),
        timestamp=d.get("timestamp") if isinstance(d.get("timestamp"), str) else None,
        params=params if isinstance(params, dict) else {},
        cache_control=tuple(control) if isinstance(control, list) else (),
    )


def _add_request_line(index: TranscriptIndex, span: Span, raw: bytes, whole: bool) -> None:
    head = raw[:HEAD_BYTES]
    kind = _TYPE.search(head)
    assert kind is not None
    name = kind.group(1)
    if not whole:
        # Only blob and shape lines grow this long; their keys come first.
        pattern = _HASH if name == b"api-request-blob" else _SHAPE_HASH
        found = pattern.search(head)
        if found and name != b"api-request":
            target = index.blobs if name == b"api-request-blob" else index.shapes
            target[found.group(1).decode()] = span
        return
    d = _parse(raw)
    if d is None:
        index.corrupt_lines += 1
        return
    if d.get("type") == "api-request":
        ref = _request_ref(span, d)
        if ref is not None:
            index.requests.append(ref)
    elif d.get("type") == "api-request-blob" and isinstance(d.get("hash"), str):
        index.blobs[d["hash"]] = span
    elif d.get("type") == "api-request-shape" and isinstance(d.get("shapeHash"), str):
        index.shapes[d["shapeHash"]] = span
    elif d.get("type") in ("user", "assistant"):
        index.messages.append(span)


def _add_line(index: TranscriptIndex, span: Span, raw: bytes, whole: bool) -> None:
    if _TYPE.search(raw[:HEAD_BYTES]):
        _add_request_line(index, span, raw, whole)
        return
    if not whole:
        index.messages.append(span)  # too long to hold: its type is read when needed
        return
    if _FAILURE.search(raw):
        d = _parse(raw)
        if d is None:
            index.corrupt_lines += 1
            return
        if d.get("type") == "assistant" and d.get("isApiErrorMessage") is True:
            index.last_failure = span.offset
            return
    if _MESSAGE_TYPE.search(raw):
        index.messages.append(span)


def index_transcript(path: Path, *, deadline: float | None = None) -> TranscriptIndex:
    """Index ``path`` in one pass. An unreadable file gives an index marked
    ``unreadable``; past ``deadline`` (a ``time.monotonic()`` value) raises
    :class:`IndexTimeout`."""
    index = TranscriptIndex(path)
    handle = open_file(path)
    if isinstance(handle, Unreadable):
        index.unreadable = True
        return index
    with handle:
        try:
            for span, raw, whole in _spans(handle, deadline):
                _add_line(index, span, raw, whole)
                index.size = span.offset + span.length + 1
        except OSError:
            index.unreadable = True
    return index


def read_line_at(handle: BinaryIO, span: Span) -> dict[str, Any] | None:
    """The JSON object on the line at ``span``; ``None`` when it is corrupt or gone."""
    try:
        handle.seek(span.offset)
        raw = handle.read(span.length)
    except OSError:
        return None
    if len(raw) != span.length:
        return None
    return _parse(raw)
