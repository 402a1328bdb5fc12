"""Reading a log: blocks of bytes -> logical lines (wrapped lines joined again) -> hits ->
one :class:`LogSummary`, in bounded memory; and :func:`classify`, one text read the same way.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from claude_doctor.classify import patterns, wrapping
from claude_doctor.classify.line import (
    MAX_MESSAGE,
    best_hit,
    error_type_of,
    http_status_of,
    normalize,
    occurred_at_of,
    request_ids_of,
    signal_of,
    surface_of,
)
from claude_doctor.classify.rules import FAMILY, SPECIFIC, STRONG, Hit, branch_for
from claude_doctor.classify.structure import CLIENT_BUG_KIND
from claude_doctor.classify.wrapping import MAX_LINE
from claude_doctor.model import Category, ErrorSignal, Surface

#: Bytes read from a stream at a time.
CHUNK = 1 << 20
#: Request ids kept from one input; beyond this they are counted, not kept.
MAX_REQUEST_IDS = 10_000
#: Distinct error shapes remembered while reading a log.
CACHE_SIZE = 4096


@dataclass
class LogSummary:
    """What a stream of text holds: the chosen error as the signal (the most recent, unless
    it only retells the one before), how many errors of each category, and every request id
    in order."""

    signal: ErrorSignal | None = None
    counts: dict[str, int] = field(default_factory=dict)
    request_ids: list[str] = field(default_factory=list)
    #: Request ids seen beyond :data:`MAX_REQUEST_IDS` (counted, not kept).
    request_ids_dropped: int = 0
    lines: int = 0
    bytes_read: int = 0
    #: Lines longer than :data:`MAX_LINE` that were read in pieces.
    long_lines: int = 0
    #: The input held NUL bytes (binary); an examined line held bytes that are not UTF-8.
    binary: bool = False
    invalid_utf8: bool = False
    #: The read stopped at the cap: bytes of the input that were not read (a file's
    #: beginning, or what followed on a stream), and the cap.
    unread_bytes: int = 0
    cap_bytes: int | None = None

    @property
    def errors(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "bytes": self.bytes_read,
            "errors": self.errors,
            "counts": dict(sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))),
            "request_ids": list(self.request_ids),
            "request_ids_dropped": self.request_ids_dropped,
            "long_lines": self.long_lines,
            "binary": self.binary,
            "invalid_utf8": self.invalid_utf8,
            "cut_at_bytes": self.cap_bytes,
            "unread_bytes": self.unread_bytes,
        }


class _Collector:
    """Folds classified logical lines into a :class:`LogSummary`."""

    def __init__(self, surface: Surface | None) -> None:
        self.summary = LogSummary()
        self._surface = surface
        self._seen_ids: set[str] = set()
        self._counts: Counter[str] = Counter()
        self._latest_strong: tuple[str, Hit, int | None] | None = None
        self._latest_weak: tuple[str, Hit, int | None] | None = None
        # A chain marker ("The above exception was the direct cause…", "[cause]:") was
        # read since the chosen error: what follows belongs to the same failure.
        self._chained = False
        # A tool's wrapper around Claude Code's exit was read: the list under it names
        # possible causes, not errors.
        self._cause_list = False
        # The errors log of Claude Code's bug report was reached: it holds the session's
        # earlier errors, not the one the report is about.
        self._history = False
        self._surface_votes: Counter[Surface] = Counter()
        # Logs repeat the same error with a new request id or time stamp: classify each
        # shape once. Bounded: cleared when full.
        self._cache: dict[str, tuple[Hit | None, int | None, Surface]] = {}

    def add_ids(self, ids: Iterable[str]) -> None:
        s = self.summary
        for rid in ids:
            if rid in self._seen_ids:
                continue
            if len(s.request_ids) >= MAX_REQUEST_IDS:
                s.request_ids_dropped += 1
                continue
            self._seen_ids.add(rid)
            s.request_ids.append(rid)

    def line(self, raw: str) -> None:
        line = normalize(raw)
        if not line:
            return
        if ("xception" in line or "ause" in line or "Traceback" in line) and patterns.CHAIN.search(
            line
        ):
            self._chained = True
        elif patterns.NEW_RECORD.match(line):
            self._chained = False
        if line == "**Errors**":
            self._history = True
        if self._cause_list:
            if patterns.LIST_ITEM.match(line):
                return
            self._cause_list = False
        # A tool's wrapper around Claude Code's exit was read: the list under it names
        # possible causes, not errors.
        self._cause_list = False
        if "req" in line or "equest" in line:
            self.add_ids(request_ids_of(line))
        volatile = "req_" in line or line[:1].isdigit() or ":" in line or "attempt" in line
        key = patterns.VOLATILE.sub("", line) if volatile else line
        cached = self._cache.get(key)
        if cached is None:
            status = http_status_of(line)
            hit = best_hit(line, status)
            found = surface_of(line) if hit is not None else Surface.UNKNOWN
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = (hit, status, found)
        else:
            hit, status, found = cached
        if hit is None:
            return
        if hit.kind == "wrapper_exit":
            self._cause_list = True
        self._counts[hit.category.value] += 1
        if found is not Surface.UNKNOWN:
            self._surface_votes[found] += 1
        # A record logged at an informational level tells of an error, it is not one: it only
        # counts when no record says anything stronger.
        if hit.priority >= STRONG and not patterns.INFO_RECORD.match(line):
            if self._replaces(hit) and not self._retold(line, hit):
                self._latest_strong = (line, hit, status)
        elif self._weak_replaces(hit):
            self._latest_weak = (line, hit, status)

    def _retold(self, line: str, hit: Hit) -> bool:
        """Whether ``line`` tells in the first person ("I encountered an error connecting…")
        of an error less specific than the one already chosen: it retells, not replaces."""
        chosen = self._latest_strong
        if chosen is None or hit.priority >= chosen[1].priority:
            return False
        return bool(patterns.FIRST_PERSON.search(line))

    def _weak_replaces(self, hit: Hit) -> bool:
        """Whether a weak ``hit`` replaces the weak one chosen so far: the most recent, except a
        less specific one of the same family (a certificate failure, then "connection closed")."""
        if self._latest_weak is None:
            return True
        chosen = self._latest_weak[1]
        return hit.priority >= chosen.priority or FAMILY[hit.category] != FAMILY[chosen.category]

    def _replaces(self, hit: Hit) -> bool:
        """Whether ``hit`` becomes the chosen error: the most recent error wins, except a
        less specific one that retells the chosen one (same family, or a later link of the
        same exception chain) and anything that is not an API error at all, unless it is the
        client's own bug that the API error reports. In the errors log under a bug report's
        own error, only a more specific telling of that error replaces it."""
        if self._latest_strong is None:
            return True
        chosen = self._latest_strong[1]
        if self._history and chosen.category is not Category.OTHER:
            # The report's own error stands; its log may only tell the same failure better.
            return (
                FAMILY[hit.category] == FAMILY[chosen.category] and hit.priority > chosen.priority
            )
        if hit.category is Category.OTHER and chosen.category is not Category.OTHER:
            return hit.kind == CLIENT_BUG_KIND
        if hit.priority >= chosen.priority:
            return True
        if chosen.category is Category.OTHER:
            return hit.priority >= SPECIFIC
        return not (self._chained or FAMILY[hit.category] == FAMILY[chosen.category])

    def finish(self) -> LogSummary:
        s = self.summary
        s.counts = dict(self._counts)
        chosen = self._latest_strong or self._latest_weak
        if chosen is not None:
            line, hit, status = chosen
            surface = self._surface
            if surface is None:
                surface = surface_of(line)
                if surface is Surface.UNKNOWN and self._surface_votes:
                    surface = self._surface_votes.most_common(1)[0][0]
            ids = s.request_ids or request_ids_of(line)
            s.signal = signal_of(line, hit, status, surface, ids)
        return s


_GATE_CASE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\n", b"abcdefghijklmnopqrstuvwxyz ")


@functools.cache
def _gate_automaton() -> Any:
    """One Aho-Corasick automaton over every prefilter literal: a single pass over a block
    finds them all (the literals are many; a pass each costs more than the rest of the work)."""
    import ahocorasick_rs

    return ahocorasick_rs.BytesAhoCorasick(list(patterns.GATE))


def _gate_positions(block: bytes) -> list[int]:
    """Offsets in ``block`` where a prefilter literal occurs (unsorted, may repeat). Every
    occurrence counts: the spans of :func:`_logical_spans` merge those of one line, and in a
    giant line each gets a window of its own."""
    # Lower-cased, line ends as blanks: a literal a wrap broke over two lines is found too.
    low = block.translate(_GATE_CASE)
    found = [start for _, start, _ in _gate_automaton().find_matches_as_indexes(low)]
    found.extend(m.start() for m in patterns.GATE_CODES.finditer(block))
    return found


def _process_block(block: bytes, collector: _Collector) -> None:
    s = collector.summary
    s.lines += block.count(b"\n")
    if b"\x00" in block:
        s.binary = True
    block = wrapping.unpasted(block)
    positions = _gate_positions(block)
    if not positions:
        return
    for start, end in wrapping.logical_spans(block, positions):
        raw = block[start:end]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            s.invalid_utf8 = True
            text = raw.decode("utf-8", "replace")
        if "\x00" in text:
            text = text.replace("\x00", " ")
        collector.line(wrapping.joined(text))


def _blocks(chunks: Iterable[bytes], summary: LogSummary) -> Iterator[bytes]:
    """Re-cut ``chunks`` at line boundaries, keeping a head line and its continuations in one
    block; a line with no newline in sight is cut every :data:`CHUNK` bytes (bounded). Small
    chunks gather into one block first: a cut is made only where a block is full, so a text
    shorter than a block is read whole."""
    carry = b""
    for chunk in chunks:
        if not chunk:
            continue
        summary.bytes_read += len(chunk)
        data = carry + chunk if carry else chunk
        if len(data) < CHUNK:
            carry = data
            continue
        cut = wrapping.cut_point(data)
        if len(data) - cut >= CHUNK:
            # No line end in sight: a line longer than a block is read in pieces.
            summary.long_lines += 1
            yield data
            carry = b""
            continue
        if cut > 0:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def classify_chunks(chunks: Iterable[bytes], *, surface: Surface | None = None) -> LogSummary:
    """Classify a stream given as byte blocks (any sizes). Memory stays bounded."""
    collector = _Collector(surface)
    for block in _blocks(chunks, collector.summary):
        _process_block(block, collector)
    return collector.finish()


def classify_stream(stream: BinaryIO, *, surface: Surface | None = None) -> LogSummary:
    """Classify everything readable from a binary stream (a file, stdin's buffer)."""
    return classify_chunks(iter(lambda: stream.read(CHUNK), b""), surface=surface)


def _encoded(lines: Iterable[str]) -> Iterator[bytes]:
    buf: list[bytes] = []
    size = 0
    for line in lines:
        data = line.encode("utf-8", "replace")
        if not data.endswith(b"\n"):
            data += b"\n"
        buf.append(data)
        size += len(data)
        if size >= CHUNK:
            yield b"".join(buf)
            buf, size = [], 0
    if buf:
        yield b"".join(buf)


def classify_lines(lines: Iterable[str], *, surface: Surface | None = None) -> LogSummary:
    """Classify a log given line by line: the most recent error becomes the signal (unless
    it only retells the one before, see the package docstring), every error is counted by
    category, every request id is kept in order."""
    summary = classify_chunks(_encoded(lines), surface=surface)
    # Lines were counted by their newlines; a caller's lines may not carry one.
    return summary


#: Claude Code's errors log pasted whole: a JSON array of ``{"error": …, "timestamp": …}``
#: entries on one line. Each entry is an error of its own (independent failures, so the most
#: recent decides), not parts of one.
_LOG_ENTRY = re.compile(r'\}\s*,\s*(?=\{\s*"error"\s*:)')


def classify(text: str, *, surface: Surface | None = None) -> ErrorSignal:
    """The signal of one error text (its most specific cause; of independent errors, the most
    recent). Text with nothing recognisable gives category ``other``."""
    if '"error"' in text and '"timestamp"' in text:
        text = _LOG_ENTRY.sub("},\n", text)
    if "equest" in text:
        text = patterns.ID_ON_NEXT_LINE.sub(r"\1: \2", text)
    summary = classify_lines(text.splitlines() or [""], surface=surface)
    if summary.signal is not None:
        return summary.signal
    line = normalize(text)
    found = surface or surface_of(line)
    return ErrorSignal(
        category=Category.OTHER,
        branch=branch_for(Category.OTHER, found),
        message=line[:MAX_MESSAGE],
        http_status=http_status_of(line[:MAX_LINE]),
        error_type=error_type_of(line[:MAX_LINE]),
        request_ids=tuple(summary.request_ids),
        occurred_at=occurred_at_of(line[:MAX_LINE]),
        surface=found,
        confidence=0.0,
    )
