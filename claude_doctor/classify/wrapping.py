"""Physical lines -> logical lines: where a line that a terminal, Claude Code's ``⎿``
block or a paste wrapped goes on, so that an error broken over lines is read whole.

A physical line goes on on the next one when the next is indented under it (unless it
starts a message of its own), an HTML page goes on, a JSON string or a bracket it opened
is still open, a long sentence breaks off mid-way (a lower-case word, a comma or a hyphen,
then lower-case words), or it announces what follows (a status or a colon, then a JSON
body; a long line broken after its colon). A line that starts a new record (a time stamp,
a level, an error's name, one of Claude Code's marks, a whole JSON object of a log's
array) never goes on from the line above. What a paste put around each line (a log
collector's prefix, a Markdown quote's marks) is taken off first, and a log record in
JSON whose text holds escaped line breaks (Docker's ``{"log": "…\\n"}``) is read for its
text's lines.
"""

from __future__ import annotations

import json
from typing import Any

from claude_doctor.classify import patterns
from claude_doctor.classify.line import normalize

#: A joined line (or one physical line) longer than this is cut and read in pieces.
MAX_LINE = 64 * 1024


def _is_continuation(block: bytes, start: int, end: int) -> bool:
    """Whether the physical line ``block[start:end]`` continues the line above it."""
    if start >= end:
        # A blank line inside an HTML page: the page goes on when its next line is markup.
        nxt = end + 1
        while block[nxt : nxt + 1] == b"\n" and nxt - end < 4:
            nxt += 1
        return block[nxt : nxt + 1] == b"<"
    if block[start] == 0x3C:  # "<": a line of an HTML page continues the page
        return True
    if block[start] not in b" \t":
        return False
    head = block[start : min(end, start + 80)].decode("utf-8", "replace")
    head = normalize(head)
    return bool(head) and not patterns.EVENT_START.match(head)


def _open_string(block: bytes, start: int, end: int, next_end: int) -> bool:
    """Whether the physical line ``block[start:end]`` breaks off inside a JSON string (a
    terminal wrapped the API's error JSON without indenting) and the next line goes on."""
    line = block[start:end]
    if next_end <= end + 1 or b'{"' not in line or line.count(b"{") <= line.count(b"}"):
        return False
    return (line.count(b'"') - line.count(b'\\"')) % 2 == 1


#: The shortest physical line a terminal or a paste is taken to have wrapped mid-sentence.
WRAP_WIDTH = 60
#: Physical lines a bracket left open (a wrapped "API Error (503 …", a JSON body broken over
#: lines without indenting) may join into one logical line.
OPEN_LINES = 40


def _balance(line: bytes) -> int:
    """Brackets ``line`` opens and does not close (negative: closes more than it opens)."""
    opens = line.count(b"(") + line.count(b"{") + line.count(b"[")
    return opens - line.count(b")") - line.count(b"}") - line.count(b"]")


def _wrapped_sentence(block: bytes, start: int, end: int, next_end: int) -> bool:
    """Whether the physical line ``block[start:end]`` breaks off mid-sentence (a long line
    ending in a lower-case word or a comma, wrapped without indenting) and the next
    line goes on with a lower-case word ("…in violation" / "of protocol", "…Invocation of" /
    "model ID …")."""
    last = end
    while last > start and block[last - 1] in b" \t\r":
        last -= 1
    if last - start < WRAP_WIDTH or next_end - end < 3:
        return False
    tail = block[last - 1]
    hyphen = tail == 0x2D and last - start > 1 and 0x61 <= block[last - 2] | 0x20 <= 0x7A
    if not (0x61 <= tail <= 0x7A or tail == 0x2C or hyphen):
        return False
    return patterns.WRAPPED_ON.match(block[end + 1 : min(next_end, end + 40)]) is not None


def _announced(block: bytes, start: int, end: int, next_end: int) -> bool:
    """Whether the physical line ``block[start:end]`` announces what the next one holds: a
    status or a colon, then a JSON body; or a long line broken after its colon, then what
    the colon announced (not a new record, not one of Claude Code's own messages)."""
    tail = block[max(start, end - 8) : end].rstrip()
    if next_end <= end + 1 or not tail or tail[-1] not in b":0123456789":
        return False
    if not patterns.ANNOUNCES.search(tail):
        return False
    if block[end + 1] == 0x7B or block[end + 1 : end + 3] == b"[{":
        return True
    if end - start < WRAP_WIDTH or patterns.MARK_START.match(block, end + 1):
        return False
    head = block[end + 1 : min(next_end, end + 41)].decode("utf-8", "replace")
    return not patterns.NEW_RECORD.match(head)


def _left_open(block: bytes, end: int, next_end: int, depth: int) -> bool:
    """Whether a logical line with ``depth`` brackets left open goes on on the next physical
    line ``block[end + 1:next_end]`` (one that starts flush left): it does unless that line
    starts a new record of its own (a level, an error's name, one of Claude Code's messages,
    the next JSON object of a log's array)."""
    if depth <= 0:
        return False
    if block[end + 1] == 0x7B and (
        _balance(block[end + 1 : next_end]) <= 0
        or block[max(0, end - 3) : end].rstrip().endswith(b"},")
    ):
        # The next object of an array, whole or begun after the last one's "},".
        return False
    head = block[end + 1 : min(next_end, end + 81)].decode("utf-8", "replace")
    return not (patterns.EVENT_START.match(head) or patterns.NEW_RECORD.match(head))


def _flush_left(block: bytes, end: int) -> bool:
    """Whether the physical line after ``end`` starts flush left with text that is not a
    time stamp (not indented, blank, markup or a new time-stamped record)."""
    first = block[end + 1 : end + 2]
    if first in (b" ", b"\t", b"", b"\n", b"<"):
        return False
    return not (first.isdigit() and patterns.RECORD_START.match(block, end + 1))


def _joins(block: bytes, start: int, end: int, next_end: int, *, brackets: bool = True) -> bool:
    """Whether the physical line after ``block[start:end]`` (ending at ``next_end``) is part
    of the same logical line: indented under it, an HTML page going on, a JSON string left
    open, a sentence wrapped mid-way, the body or the words a line announced; with
    ``brackets``, a bracket this line opened and left open too."""
    if not _flush_left(block, end):
        # Only the indent (or the page) and an open JSON string carry the line on.
        return _is_continuation(block, end + 1, next_end) or _open_string(
            block, start, end, next_end
        )
    return (
        _open_string(block, start, end, next_end)
        or _wrapped_sentence(block, start, end, next_end)
        or _announced(block, start, end, next_end)
        or (brackets and _left_open(block, end, next_end, _balance(block[start:end])))
    )


def _line_end(block: bytes, start: int) -> int:
    end = block.find(b"\n", start)
    return len(block) if end == -1 else end


def _head_of(block: bytes, start: int) -> int:
    """Where the logical line holding the physical line at ``start`` begins: walking up
    while a line is indented under the one above, or the line above goes on into it."""
    head = start
    steps = 0
    while head > 0 and steps < 200 and start - head < MAX_LINE:
        above = block.rfind(b"\n", 0, head - 1) + 1
        above_end = head - 1
        if not _joins(block, above, above_end, _line_end(block, head)):
            break
        head = above
        steps += 1
    return head


def logical_spans(block: bytes, positions: list[int]) -> list[tuple[int, int]]:
    """The logical lines (head line + its indented continuations) that hold ``positions``,
    in order. Each is at most :data:`MAX_LINE` bytes; a hit deep inside a longer line gets a
    window of its own."""
    spans: list[tuple[int, int]] = []
    size = len(block)
    covered = -1
    for pos in sorted(set(positions)):
        if pos < covered:
            continue
        start = block.rfind(b"\n", 0, pos) + 1
        head = _head_of(block, start)
        end = _line_end(block, start)
        # Brackets the logical line so far leaves open: counted when first asked for.
        depth: int | None = None
        cur = start
        steps = opened = 0
        while end < size and steps < 200 and end - head < MAX_LINE:
            nxt = end + 1
            nxt_end = _line_end(block, nxt)
            if not _joins(block, cur, end, nxt_end, brackets=False):
                if opened >= OPEN_LINES or not _flush_left(block, end):
                    break
                if depth is None:
                    depth = _balance(block[head:end])
                if not _left_open(block, end, nxt_end, depth):
                    break
                opened += 1
            cur, end = nxt, nxt_end
            if depth is not None:
                depth += _balance(block[cur:end])
            steps += 1
        if pos - head >= MAX_LINE:
            # Inside a giant line: read a window around the hit instead.
            head = max(head, pos - 1024)
        span = (max(head, covered), min(end, head + MAX_LINE))
        if span[0] < span[1]:
            spans.append(span)
        covered = span[1]
    return spans


def cut_point(data: bytes) -> int:
    """Where to end a block: before the last head line (so its continuations that are still
    to come stay with it), or after the last newline when that head is far back."""
    last_nl = data.rfind(b"\n")
    if last_nl == -1:
        return 0
    # Find the start of the last non-indented line within the tail window.
    pos = last_nl
    floor = max(0, len(data) - MAX_LINE)
    while pos > floor:
        start = data.rfind(b"\n", 0, pos) + 1
        if start < len(data) and data[start : start + 1] not in (b" ", b"\t", b"<", b"\n"):
            above = data.rfind(b"\n", 0, start - 1) + 1 if start > 0 else 0
            if start == 0 or not _joins(data, above, start - 1, _line_end(data, start)):
                return start if start > 0 else last_nl + 1
        if start == 0:
            break
        pos = start - 1
    return last_nl + 1


#: A block this small may be a paste: its quote marks and collector prefixes are looked for
#: everywhere in it (in a larger one, only where cheap single-byte checks point).
PASTE = 256 * 1024


def unpasted(block: bytes) -> bytes:
    """``block`` without what a paste put around each line: the prefix a log collector puts
    on every line (Docker Compose's ``service  | `` when two lines or more carry the same one,
    Kubernetes' ``<time> stderr F ``, the VS Code extension's ``<time> [info] From claude: ``),
    the marks of a Markdown quote of two lines or more
    (a paste in an issue), and the JSON around a log record's text when that text holds an
    escaped line break or quote (Docker's ``{"log": "…\\n"}``). The message's own indents
    and chains are read again."""
    small = len(block) < PASTE
    if b"|" in block:
        found = patterns.COMPOSE_PREFIX.findall(block)
        if len(found) >= 2 and len(set(found)) == 1:
            block = patterns.COMPOSE_PREFIX.sub(b"", block)
    cri = patterns.CRI_PREFIX.match(block) or (
        small and (b" stderr " in block or b" stdout " in block)
    )
    if cri and len(patterns.CRI_PREFIX.findall(block, 0, 1 << 16)) >= 2:
        block = patterns.CRI_PREFIX.sub(b"", block)
    if b"] From claude: " in block:
        block = patterns.EXTENSION_PREFIX.sub(b"", block)
    if block[:1] == b">" or (small and b">" in block and b"\n>" in block):
        block = patterns.QUOTE_RUN.sub(lambda m: patterns.QUOTE_MARK.sub(b"", m.group(0)), block)
    # Cheap first: a large block is looked at only when it starts as a JSON record.
    record = block[:2] == b'{"' or (small and b'{"' in block)
    if record and (b"\\n" in block or b'\\"' in block):
        block = patterns.JSON_RECORD.sub(_record_lines, block)
    return block


_DECODER = json.JSONDecoder()
_DOCKER_HEAD = b'{"log":"'
_DOCKER_TAIL = b'\\n","stream":"std'


def _strings(value: Any) -> tuple[list[str], list[str]]:
    """The strings in a decoded JSON value, in order: those that hold a line break or a quote
    mark, and the others."""
    broken: list[str] = []
    other: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        values = item.values() if isinstance(item, dict) else item
        pending = []
        for part in values:
            if isinstance(part, str):
                (broken if "\n" in part or '"' in part else other).append(part)
            elif isinstance(part, (dict, list)):
                pending.append(part)
        stack.extend(reversed(pending))
    return broken, other


def _record_lines(m: Any) -> bytes:
    """A one-line JSON record with its strings that hold line breaks read out as their lines.
    When another of its strings is words (an error's own text, not a stream's name or a time)
    the record stays too, above them, with those strings emptied. As it is when it is not
    JSON or holds no such string."""
    raw = bytes(m.group(0))
    if b"\\n" not in raw and b'\\"' not in raw:
        return raw
    # Docker's json-file record of a line with nothing escaped but its break: the line.
    record = raw.strip()
    if record.startswith(_DOCKER_HEAD):
        end = record.find(_DOCKER_TAIL)
        if end > 0 and b"\\" not in record[len(_DOCKER_HEAD) : end]:
            return record[len(_DOCKER_HEAD) : end]
    rest = raw.decode("utf-8", "replace")
    try:
        record = _DECODER.decode(rest)
    except ValueError:
        return raw
    broken, other = _strings(record) if isinstance(record, dict) else ([], [])
    if not broken:
        return raw
    lines = [text.rstrip("\r\n") for text in broken]
    if any(" " in text for text in other):
        for text in broken:
            for ascii_only in (False, True):
                escaped = json.dumps(text, ensure_ascii=ascii_only)
                if escaped in rest:
                    rest = rest.replace(escaped, '""', 1)
                    break
        lines.insert(0, rest)
    return "\n".join(lines).encode()


def joined(text: str) -> str:
    """One logical line's physical lines as one line: a word a wrap broke at its hyphen
    ("on-" / "demand") is one word again, the other line ends are blanks."""
    if "-\n" in text:
        text = patterns.HYPHEN_BREAK.sub("-", text)
    return text.replace("\n", " ")
