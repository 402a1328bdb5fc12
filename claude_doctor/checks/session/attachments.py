"""The byte scan for base64 images and documents in a transcript's history.

An image pasted into a session is resent with every turn until the next compaction, and a
line holding one can be 100 MB. So the scan reads the file chunk by chunk, finds each
``"type":"base64"`` block and measures its data string while streaming (never holding
it), and notes the compaction boundaries: only what follows the last one still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO

from claude_doctor.checks.session.lines import CHUNK
from claude_doctor.checks.session.records import Attachment, Session
from claude_doctor.limits import ATTACHMENT_LIMITS

_BASE64_MARK = b'"type":"base64"'
_COMPACT_MARK = b'"compact_boundary"'
_WINDOW = 512
_MEDIA = re.compile(rb'"media_type"\s*:\s*"([^"]{1,100})"')
_DATA = re.compile(rb'"data"\s*:\s*"')


@dataclass
class Attachments:
    """The base64 blocks and compaction boundaries a scan found."""

    found: list[Attachment] = field(default_factory=list)
    compact_offsets: list[int] = field(default_factory=list)
    scanned_from: int = 0


def scan_attachments(handle: BinaryIO, start: int, end: int) -> Attachments:
    """Find base64 blocks and compaction boundaries in ``[start, end)`` reading chunk by
    chunk; a data string is measured while streaming, never held."""
    result = Attachments(scanned_from=start)
    handle.seek(start)
    pos = start  # file offset of buf[0]
    buf = b""
    in_data = False
    data_len = 0
    current: tuple[str, str, int] | None = None
    read_to = start
    while True:
        chunk = handle.read(min(CHUNK, end - read_to)) if read_to < end else b""
        at_eof = not chunk
        read_to += len(chunk)
        buf += chunk
        i = 0
        while i < len(buf):
            if in_data:
                quote = buf.find(b'"', i)
                if quote < 0:
                    data_len += len(buf) - i
                    i = len(buf)
                    break
                data_len += quote - i
                assert current is not None
                result.found.append(Attachment(current[0], current[1], data_len, current[2]))
                in_data, data_len, current = False, 0, None
                i = quote + 1
                continue
            mark = buf.find(_BASE64_MARK, i)
            compact = buf.find(_COMPACT_MARK, i, mark if mark >= 0 else len(buf))
            if compact >= 0:
                result.compact_offsets.append(pos + compact)
                i = compact + len(_COMPACT_MARK)
                continue
            if mark < 0:
                # Keep a short tail in case a marker is split across chunks.
                i = max(i, len(buf) - max(len(_BASE64_MARK), len(_COMPACT_MARK)))
                break
            if mark + _WINDOW > len(buf) and not at_eof:
                i = mark  # wait for the rest of the window
                break
            window = buf[mark : mark + _WINDOW]
            media = _MEDIA.search(window)
            data = _DATA.search(window)
            if data is None:
                i = mark + len(_BASE64_MARK)
                continue
            media_type = media.group(1).decode("ascii", "replace") if media else "unknown"
            kind = "image" if media_type.startswith("image/") else "document"
            current = (kind, media_type, pos + mark)
            in_data, data_len = True, 0
            i = mark + data.end()
        buf = buf[i:]
        pos += i
        if at_eof:
            break
    return result


def apply_attachments(session: Session, found: Attachments, tail_compactions: list[int]) -> None:
    """Put what the scan found since the last compaction on ``session``; the tail's own
    compaction offsets stand in when the scan saw none."""
    # Only what follows the last compaction is still sent with every turn.
    boundaries = found.compact_offsets or tail_compactions
    if found.scanned_from == 0:
        session.compactions = len(found.compact_offsets)
        session.compactions_estimated = False
    cut = boundaries[-1] if boundaries else 0
    live = [a for a in found.found if a.offset >= cut]
    session.attachment_bytes = sum(a.base64_bytes for a in live)
    session.attachments_scanned_from = found.scanned_from
    session.oversized = [a for a in live if a.base64_bytes > ATTACHMENT_LIMITS[a.kind].warn_bytes]
