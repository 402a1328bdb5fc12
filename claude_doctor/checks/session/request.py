"""The exact request a session's failing turn sent, rebuilt from its transcript.

The request is the ``api-request`` line before the session's last failure (the last
``isApiErrorMessage`` assistant line), or the latest one when the session has no failure.
Its body is ``{"model": params.model, "messages": …, **shape, **params}`` without
``params.betas`` (they go to the ``anthropic-beta`` header): the messages are the previous
request's (same ``thread``) first ``keep`` messages and one message per ``tail`` hash, and
``cacheControl`` sets ``cache_control`` at its paths. A hash is resolved from, in order,
the session's own ``api-request-blob`` lines, the blob lines of the other transcripts in its
project folder (a fork's parent), and the ``user`` and ``assistant`` lines of the session
(an assistant reply written one block a line is merged by its message id) whose
``{role, content}`` hashes to it. Claude Code sends a ``system``-role message with a single
text block as a string, and turns string content into a text block where cache control
goes, and so does the rebuild.

What cannot be resolved is named, never guessed: :attr:`Rebuilt.missing`. What is read is
bounded by a byte cap and a deadline. The client adds a ``metadata`` block, ``"stream":
true`` and a billing-header system block to what it sends; the rebuild has none of them.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from claude_doctor.checks.session.request_index import (
    IndexTimeout,
    RequestRef,
    Span,
    TranscriptIndex,
    index_transcript,
    read_line_at,
)
from claude_doctor.safe_read import Unreadable, open_file

#: The rebuild reads at most this many bytes of messages; past it, it stops and says so.
CAP_BYTES = 300 * 1024 * 1024
#: At most this many other transcripts of the project are searched for blobs.
SIBLINGS_MAX = 50


def message_hash(message: Any) -> str:
    """The hash Claude Code keys a message by: sha256 of its JSON with sorted keys, no
    spaces, non-ASCII kept."""
    text = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Missing:
    """A message of the request that could not be resolved."""

    index: int
    #: The tail hash, or ``None`` for a kept message of a request not in the transcript.
    hash: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "hash": self.hash}


@dataclass
class Rebuilt:
    """The rebuilt request body and what is known about it."""

    path: Path
    #: The transcript has ``api-request`` lines at all.
    has_records: bool = False
    body: dict[str, Any] | None = None
    #: When the request was made (its line's timestamp).
    timestamp: str | None = None
    #: The rebuilt request is the one before the session's last failure.
    failed_turn: bool = False
    requests_seen: int = 0
    messages: int = 0
    missing: list[Missing] = field(default_factory=list)
    #: Why the rebuild is short of the whole body, in words.
    gaps: list[str] = field(default_factory=list)
    #: The byte cap or the deadline was hit: the body is not there.
    stopped: str | None = None
    unreadable: bool = False
    corrupt_lines: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    betas: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.body is not None and not self.missing and not self.gaps


def _target(index: TranscriptIndex) -> tuple[int, bool] | None:
    """The position in ``index.requests`` of the request to rebuild, and whether it is the
    one that failed."""
    if not index.requests:
        return None
    if index.last_failure is not None:
        before = [i for i, r in enumerate(index.requests) if r.span.offset < index.last_failure]
        if before:
            return before[-1], True
    return len(index.requests) - 1, False


def _hashes(requests: list[RequestRef], at: int) -> list[str | None]:
    """The message hashes of ``requests[at]``: the kept ones of the previous request of its
    thread, then its tail. ``None`` where the previous request is not in the transcript."""
    chain: list[RequestRef] = [requests[at]]
    thread = requests[at].thread
    i = at
    while chain[-1].keep > 0:
        i -= 1
        while i >= 0 and requests[i].thread != thread:
            i -= 1
        if i < 0:
            break
        chain.append(requests[i])
    hashes: list[str | None] = []
    for n, ref in enumerate(reversed(chain)):
        if n == 0 and ref.keep > 0:
            hashes = [None] * ref.keep  # kept from a request this transcript lacks
        else:
            hashes = hashes[: ref.keep]
            hashes += [None] * (ref.keep - len(hashes))
        hashes.extend(ref.tail)
    return hashes


class _Budget:
    def __init__(self, cap: int, deadline: float | None) -> None:
        self.cap = cap
        self.deadline = deadline
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.cap:
            raise _Stop(f"the request is over the {self.cap // (1024 * 1024)} MB read cap")
        self.check()

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _Stop("the time allowed ran out")


class _Stop(Exception):
    pass


def _read_blobs(
    handle: BinaryIO, blobs: dict[str, Span], wanted: set[str], budget: _Budget
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for h in sorted(wanted & blobs.keys(), key=lambda k: blobs[k].offset):
        budget.take(blobs[h].length)
        d = read_line_at(handle, blobs[h])
        message = d.get("message") if d else None
        if isinstance(message, dict):
            found[h] = message
    return found


def _candidates(message: dict[str, Any], kind: str) -> Iterable[dict[str, Any]]:
    content = message.get("content")
    yield {"role": message.get("role", kind), "content": content}
    if kind == "user" and isinstance(content, str):
        yield {"role": "user", "content": [{"type": "text", "text": content}]}


def _from_lines(
    handle: BinaryIO, index: TranscriptIndex, wanted: set[str], before: int, budget: _Budget
) -> dict[str, Any]:
    """Messages of the session's ``user``/``assistant`` lines (written before offset
    ``before``) whose hash is wanted; an assistant reply over several lines is merged."""
    found: dict[str, Any] = {}
    run_id: Any = None
    run: list[Any] = []
    for span in index.messages:
        if span.offset >= before or not wanted - found.keys():
            break
        budget.check()
        d = read_line_at(handle, span)
        message = d.get("message") if d else None
        if d is None:
            index.corrupt_lines += 1
            continue
        kind = d.get("type")
        if kind not in ("user", "assistant") or not isinstance(message, dict):
            continue
        tries = list(_candidates(message, str(kind)))
        content = message.get("content")
        if kind == "assistant" and isinstance(content, list) and message.get("id") is not None:
            if message.get("id") != run_id:
                run_id, run = message.get("id"), []
            run = run + content
            if len(run) > len(content):
                tries.append({"role": "assistant", "content": run})
        else:
            run_id, run = None, []
        for candidate in tries:
            h = message_hash(candidate)
            if h in wanted and h not in found:
                budget.take(span.length)
                found[h] = copy.deepcopy(candidate)
    return found


def _siblings(path: Path) -> list[Path]:
    try:
        files = [p for p in path.parent.glob("*.jsonl") if p != path and p.is_file()]
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    return files[:SIBLINGS_MAX]


def _resolve(
    handle: BinaryIO,
    index: TranscriptIndex,
    wanted: set[str],
    before: int,
    budget: _Budget,
    rebuilt: Rebuilt,
) -> dict[str, Any]:
    found = _read_blobs(handle, index.blobs, wanted, budget)
    rebuilt.sources["own_blobs"] = len(found)
    for sibling in _siblings(index.path) if wanted - found.keys() else []:
        budget.check()
        try:
            other = index_transcript(sibling, deadline=budget.deadline)
            other_handle = open_file(sibling)
            if isinstance(other_handle, Unreadable):
                continue
            with other_handle:
                more = _read_blobs(other_handle, other.blobs, wanted - found.keys(), budget)
        except (IndexTimeout, OSError):
            continue
        rebuilt.sources["other_transcripts"] = rebuilt.sources.get("other_transcripts", 0) + len(
            more
        )
        found.update(more)
        if not wanted - found.keys():
            break
    if wanted - found.keys():
        lines = _from_lines(handle, index, wanted - found.keys(), before, budget)
        rebuilt.sources["transcript_lines"] = len(lines)
        found.update(lines)
    return found


def _shape(handle: BinaryIO, index: TranscriptIndex, ref: RequestRef) -> dict[str, Any] | None:
    span = index.shapes.get(ref.shape_hash or "")
    d = read_line_at(handle, span) if span else None
    shape = d.get("shape") if d else None
    return shape if isinstance(shape, dict) else None


def _natural(message: dict[str, Any]) -> dict[str, Any]:
    """A ``system``-role message with one plain text block goes as a string."""
    content = message.get("content")
    if (
        message.get("role") == "system"
        and isinstance(content, list)
        and len(content) == 1
        and isinstance(content[0], dict)
        and set(content[0]) == {"type", "text"}
        and content[0].get("type") == "text"
    ):
        return {**message, "content": content[0]["text"]}
    return message


def _apply_cache_control(body: dict[str, Any], entries: tuple[Any, ...]) -> int:
    """Set each entry's ``value`` as ``cache_control`` at its ``path``; string content on
    the way becomes a text block. Returns how many paths did not fit the body."""
    misses = 0
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, list) or not path:
            misses += 1
            continue
        node: Any = body
        try:
            for step, after in itertools.pairwise(path):
                child = node[step]
                if isinstance(child, str) and isinstance(after, int) and step == "content":
                    child = node[step] = [{"type": "text", "text": child}]
                node = child
            target = node[path[-1]]
            if not isinstance(target, dict):
                raise TypeError
            target["cache_control"] = copy.deepcopy(entry.get("value"))
        except (KeyError, IndexError, TypeError):
            misses += 1
    return misses


def _assemble(
    ref: RequestRef,
    hashes: list[str | None],
    found: dict[str, Any],
    shape: dict[str, Any] | None,
    rebuilt: Rebuilt,
) -> dict[str, Any]:
    messages: list[Any] = []
    for i, h in enumerate(hashes):
        if h is None or h not in found:
            rebuilt.missing.append(Missing(i, h))
            messages.append(None)
        else:
            messages.append(_natural(copy.deepcopy(found[h])))
    body: dict[str, Any] = {"model": ref.params.get("model"), "messages": messages}
    if shape is None:
        rebuilt.gaps.append(f"no api-request-shape line for shape {ref.shape_hash}")
    else:
        body.update(copy.deepcopy(shape))
    for key, value in ref.params.items():
        if key not in ("model", "betas"):
            body[key] = copy.deepcopy(value)
    misses = _apply_cache_control(body, ref.cache_control)
    if misses:
        rebuilt.gaps.append(f"{misses} cache-control path(s) did not fit the rebuilt body")
    return body


def rebuild_request(
    path: Path, *, deadline: float | None = None, cap_bytes: int = CAP_BYTES
) -> Rebuilt:
    """Rebuild the request of ``path``'s failing turn (or its latest). Never raises on
    bad input: an unreadable file, no request records, a cap or deadline hit each leave
    their mark on the result."""
    rebuilt = Rebuilt(path)
    try:
        index = index_transcript(path, deadline=deadline)
    except IndexTimeout:
        rebuilt.stopped = "the time allowed ran out"
        return rebuilt
    rebuilt.unreadable = index.unreadable
    rebuilt.requests_seen = len(index.requests)
    rebuilt.has_records = bool(index.requests)
    target = _target(index)
    if target is None or index.unreadable:
        rebuilt.corrupt_lines = index.corrupt_lines
        return rebuilt
    at, rebuilt.failed_turn = target
    ref = index.requests[at]
    rebuilt.timestamp = ref.timestamp
    betas = ref.params.get("betas")
    rebuilt.betas = [b for b in betas if isinstance(b, str)] if isinstance(betas, list) else []
    hashes = _hashes(index.requests, at)
    rebuilt.messages = len(hashes)
    budget = _Budget(cap_bytes, deadline)
    opened = open_file(path)
    if isinstance(opened, Unreadable):
        rebuilt.unreadable = True
        rebuilt.corrupt_lines = index.corrupt_lines
        return rebuilt
    try:
        with opened as handle:
            wanted = {h for h in hashes if h is not None}
            found = _resolve(handle, index, wanted, ref.span.offset, budget, rebuilt)
            rebuilt.body = _assemble(ref, hashes, found, _shape(handle, index, ref), rebuilt)
    except _Stop as stop:
        rebuilt.stopped = str(stop)
        rebuilt.missing = []
    except OSError:
        rebuilt.unreadable = True
    rebuilt.corrupt_lines = index.corrupt_lines
    return rebuilt
