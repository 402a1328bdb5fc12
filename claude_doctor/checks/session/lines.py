"""Lines of a transcript read in bounded chunks, and each line as a JSON object.

A line longer than :data:`MAX_LINE` is skipped without ever being held in memory (the
attachment scan in :mod:`.attachments` covers what such a line carries); a corrupt one is
counted in :class:`.records.ScanProblems`, never raised. Lines are parsed by the safe
reader (bad bytes and lone surrogates replaced, a nesting limit).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from claude_doctor.checks.session.records import ScanProblems
from claude_doctor.safe_read import JsonError, loads

#: Lines longer than this are skipped unparsed (counted); the attachment scan covers them.
MAX_LINE = 1024 * 1024
#: Files are read this much at a time.
CHUNK = 1024 * 1024


def read_lines(
    handle: BinaryIO, start: int, end: int, problems: ScanProblems
) -> Iterator[tuple[int, bytes, bool]]:
    """Lines of ``[start, end)`` as (offset, bytes, terminated). A line cut by ``start``
    is dropped; lines over :data:`MAX_LINE` are skipped (counted) without being held; an
    unterminated last line (a write in progress) comes with ``terminated`` False."""
    handle.seek(start)
    pos = start
    pending = bytearray()
    line_start = start
    dropping = start > 0  # the first line began before the window
    oversize = False
    while pos < end:
        chunk = handle.read(min(CHUNK, end - pos))
        if not chunk:
            break  # the file shrank while being read
        i = 0
        while True:
            nl = chunk.find(b"\n", i)
            piece = chunk[i:] if nl < 0 else chunk[i:nl]
            if not (dropping or oversize):
                if len(pending) + len(piece) > MAX_LINE:
                    oversize = True
                    pending.clear()
                    problems.long_lines += 1
                else:
                    pending += piece
            if nl < 0:
                break
            if not (dropping or oversize) and pending:
                yield line_start, bytes(pending), True
            dropping = oversize = False
            pending.clear()
            i = nl + 1
            line_start = pos + i
        pos += len(chunk)
    if pending and not (dropping or oversize):
        yield line_start, bytes(pending), False


def parse_line(line: bytes, problems: ScanProblems) -> dict[str, Any] | None:
    """The JSON object on ``line``; ``None`` for a blank line, and for a corrupt one
    (counted)."""
    line = line.strip()
    if not line:
        return None
    try:
        value = loads(line).value
    except JsonError:
        problems.corrupt_lines += 1
        return None
    if not isinstance(value, dict):
        problems.corrupt_lines += 1
        return None
    return value
