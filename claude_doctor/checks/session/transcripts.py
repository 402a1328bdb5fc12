"""Read Claude Code's session transcripts (FACTS §3.8-3.10) without loading them.

A transcript is ``<config dir>/projects/<encoded cwd>/<session id>.jsonl``, one JSON object
a line, and real homes hold thousands of them and gigabytes. So nothing here reads a whole
file into memory: sessions are listed by ``stat`` (newest first), the *head* (first 64 KiB)
gives the working directory, session id, version and resume hints, and a bounded *tail*
(read backwards from the end, growing until the last assistant usage is in it) gives the
last usage, the API errors and the last turns. Lines longer than :data:`MAX_LINE` are
skipped without being held; a separate byte scan (bounded, chunked) finds base64 images and
documents in the history since the last compaction, even inside a line of 100 MB.

Bad input (corrupt or binary lines, a file being written, unreadable files, a missing
``projects/``, a symlink loop) is tolerated and counted in :class:`ScanProblems`.
Nothing here classifies error text: :mod:`claude_doctor.checks.session.check` does that, once.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from claude_doctor.limits import ATTACHMENT_LIMITS, context_window
from claude_doctor.settings import Settings

#: The first bytes of a transcript read for cwd, session id, version and resume hints.
HEAD_BYTES = 64 * 1024
#: The tail starts this big and doubles until it holds an assistant usage (or the cap).
TAIL_BYTES = 256 * 1024
TAIL_MAX_BYTES = 8 * 1024 * 1024
#: Lines longer than this are skipped unparsed (counted); the attachment scan covers them.
MAX_LINE = 1024 * 1024
#: The attachment scan reads at most this much, from the end of the file.
DEEP_SCAN_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024
#: Claude Code truncates encoded project names longer than this and appends a hash.
PROJECT_NAME_MAX = 200
#: An idle gap this long followed by new turns reads as "came back to the session".
RESUME_GAP_SECONDS = 3600


def encode_project_dir(cwd: str) -> str:
    """The ``projects/`` folder name Claude Code uses for a working directory."""
    return re.sub(r"[^A-Za-z0-9]", "-", cwd)


# ---------------------------------------------------------------------------------------
# What a scan finds


@dataclass
class ScanProblems:
    """Bad input met while scanning, counted rather than raised."""

    corrupt_lines: int = 0
    long_lines: int = 0
    binary_files: int = 0
    unreadable: int = 0
    symlink_loops: int = 0
    partial_last_lines: int = 0

    def add(self, other: ScanProblems) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @property
    def total(self) -> int:
        return sum(self.to_dict().values())


@dataclass(frozen=True)
class ApiError:
    """One API error line: a synthetic assistant message (``isApiErrorMessage``) or a
    ``system`` retry line (subtype ``api_error``)."""

    kind: str  # "message" or "retry"
    timestamp: str | None
    status: int | None
    text: str
    error: str | None = None
    request_id: str | None = None
    retry_attempt: int | None = None
    max_retries: int | None = None
    retry_in_ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "timestamp": self.timestamp,
            "status": self.status,
            "text": self.text,
            "error": self.error,
            "request_id": self.request_id,
            "retry_attempt": self.retry_attempt,
            "max_retries": self.max_retries,
            "retry_in_ms": self.retry_in_ms,
        }


@dataclass(frozen=True)
class Attachment:
    """A base64 image or document block found in the history."""

    kind: str  # "image" or "document"
    media_type: str
    base64_bytes: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "media_type": self.media_type,
            "base64_bytes": self.base64_bytes,
            "offset": self.offset,
        }


@dataclass
class Session:
    """What one transcript says, read from its head and tail."""

    session_id: str
    path: Path
    project: str
    size: int
    mtime: float
    cwd: str | None = None
    version: str | None = None
    first_timestamp: str | None = None
    last_timestamp: str | None = None
    models: list[str] = field(default_factory=list)
    #: Human turns (prompts) seen; an estimate when only the tail was read.
    turns: int = 0
    turns_estimated: bool = False
    resumed: bool = False
    resume_hint: str | None = None
    #: Offset in the file where the resumed part begins, when known.
    resume_offset: int | None = None
    compactions: int = 0
    compactions_estimated: bool = False
    errors: list[ApiError] = field(default_factory=list)
    #: API error messages after the last successful assistant reply.
    trailing_failures: int = 0
    #: Request ids of trailing failures (and of the errors' retry lines), in order.
    request_ids: list[str] = field(default_factory=list)
    last_success: str | None = None
    last_model: str | None = None
    context_tokens: int | None = None
    context_window: int | None = None
    oversized: list[Attachment] = field(default_factory=list)
    attachment_bytes: int = 0
    attachments_scanned_from: int = 0
    empty_thinking: int = 0
    dangling_tool_uses: list[str] = field(default_factory=list)
    tail_bytes: int = 0
    problems: ScanProblems = field(default_factory=ScanProblems)

    @property
    def last_activity(self) -> str:
        if self.last_timestamp:
            return self.last_timestamp
        return datetime.fromtimestamp(self.mtime, UTC).isoformat().replace("+00:00", "Z")

    @property
    def context_percent(self) -> float | None:
        if self.context_tokens is None or not self.context_window:
            return None
        return round(100.0 * self.context_tokens / self.context_window, 1)

    @property
    def latest_failure(self) -> ApiError | None:
        messages = [e for e in self.errors if e.kind == "message"]
        if messages:
            return messages[-1]
        return self.errors[-1] if self.errors else None

    @property
    def failed_since_resume(self) -> int:
        """Trailing failures recorded after the resume point (all of them if unknown)."""
        return self.trailing_failures

    def to_dict(self) -> dict[str, Any]:
        latest = self.latest_failure
        return {
            "session_id": self.session_id,
            "path": str(self.path),
            "project": self.project,
            "cwd": self.cwd,
            "size": self.size,
            "last_activity": self.last_activity,
            "first_timestamp": self.first_timestamp,
            "version": self.version,
            "models": list(self.models),
            "turns": self.turns,
            "turns_estimated": self.turns_estimated,
            "resumed": self.resumed,
            "resume_hint": self.resume_hint,
            "compactions": self.compactions,
            "compactions_estimated": self.compactions_estimated,
            "api_errors": len(self.errors),
            "api_error_messages": sum(1 for e in self.errors if e.kind == "message"),
            "retries": sum(1 for e in self.errors if e.kind == "retry"),
            "trailing_failures": self.trailing_failures,
            "error_statuses": sorted({e.status for e in self.errors if e.status is not None}),
            "latest_failure": latest.to_dict() if latest else None,
            "request_ids": list(self.request_ids),
            "last_success": self.last_success,
            "last_model": self.last_model,
            "context_tokens": self.context_tokens,
            "context_window": self.context_window,
            "context_percent": self.context_percent,
            "oversized_attachments": [a.to_dict() for a in self.oversized],
            "attachment_bytes": self.attachment_bytes,
            "empty_thinking_blocks": self.empty_thinking,
            "tool_uses_without_result": list(self.dangling_tool_uses),
            "problems": self.problems.to_dict(),
        }


@dataclass(frozen=True)
class SessionFile:
    """A transcript found by listing, before it is read."""

    path: Path
    project: str
    size: int
    mtime: float


@dataclass
class Listing:
    """Every transcript under ``projects/`` that a listing found, newest first."""

    projects_dir: Path
    exists: bool
    files: list[SessionFile]
    project_dirs: list[str]
    problems: ScanProblems


# ---------------------------------------------------------------------------------------
# Finding transcripts


def projects_dir(settings: Settings) -> Path:
    return settings.claude_config_dir / "projects"


def _list_dir(directory: Path, problems: ScanProblems) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            return list(it)
    except FileNotFoundError:
        return []
    except OSError as exc:
        _count_os_error(exc, problems)
        return []


def _count_os_error(exc: OSError, problems: ScanProblems) -> None:
    import errno

    if exc.errno == errno.ELOOP:
        problems.symlink_loops += 1
    else:
        problems.unreadable += 1


def _session_files(directory: Path, project: str, problems: ScanProblems) -> list[SessionFile]:
    found: list[SessionFile] = []
    for entry in _list_dir(directory, problems):
        if not entry.name.endswith(".jsonl"):
            continue
        try:
            info = entry.stat()  # follows a symlink; a loop raises ELOOP
        except OSError as exc:
            _count_os_error(exc, problems)
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        found.append(SessionFile(Path(entry.path), project, info.st_size, info.st_mtime))
    return found


def _project_names(root: Path, problems: ScanProblems) -> list[str]:
    names: list[str] = []
    for entry in _list_dir(root, problems):
        try:
            if entry.is_dir():
                names.append(entry.name)
        except OSError as exc:
            _count_os_error(exc, problems)
    return names


def current_project_names(settings: Settings, problems: ScanProblems) -> list[str]:
    """The ``projects/`` folder(s) of the working directory.

    ``CLAUDE_CODE_PROJECT_DIR_NAME`` pins the folder when ``CLAUDE_CONFIG_DIR`` is set
    (FACTS §3.3). A long path is truncated by Claude Code with a hash whose algorithm is
    not documented, so every folder with the same 200-character prefix is a candidate and
    the ``cwd`` recorded inside its newest transcript decides.
    """
    env = settings.environ
    pinned = env.get("CLAUDE_CODE_PROJECT_DIR_NAME", "").strip()
    if pinned and env.get("CLAUDE_CONFIG_DIR", "").strip():
        return [pinned]
    cwd = str(settings.cwd)
    encoded = encode_project_dir(cwd)
    if len(encoded) <= PROJECT_NAME_MAX:
        return [encoded]
    root = projects_dir(settings)
    prefix = encoded[:PROJECT_NAME_MAX]
    matches: list[str] = []
    for name in _project_names(root, problems):
        if not name.startswith(prefix):
            continue
        files = sorted(_session_files(root / name, name, problems), key=lambda f: -f.mtime)
        head = _read_head(files[0].path, ScanProblems()) if files else None
        if head is None or head.cwd in (None, cwd):
            matches.append(name)
    return matches


def list_sessions(settings: Settings, *, all_projects: bool) -> Listing:
    """Every transcript of the current project (or of every project), newest first.
    Only ``stat``: nothing is opened."""
    problems = ScanProblems()
    root = projects_dir(settings)
    try:
        exists = root.is_dir()
    except OSError as exc:
        _count_os_error(exc, problems)
        exists = False
    if not exists:
        return Listing(root, False, [], [], problems)
    names = (
        _project_names(root, problems)
        if all_projects
        else current_project_names(settings, problems)
    )
    files: list[SessionFile] = []
    for name in names:
        files.extend(_session_files(root / name, name, problems))
    files.sort(key=lambda f: f.mtime, reverse=True)
    return Listing(root, True, files, names, problems)


# ---------------------------------------------------------------------------------------
# Reading lines without holding long ones


def _lines(
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


def _parse(line: bytes, problems: ScanProblems) -> dict[str, Any] | None:
    line = line.strip()
    if not line:
        return None
    try:
        value = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        problems.corrupt_lines += 1
        return None
    if not isinstance(value, dict):
        problems.corrupt_lines += 1
        return None
    return value


# ---------------------------------------------------------------------------------------
# The head


@dataclass
class _Head:
    cwd: str | None = None
    session_id: str | None = None
    version: str | None = None
    first_timestamp: str | None = None
    foreign_session: str | None = None
    summary_leaf: bool = False
    lines: int = 0
    binary: bool = False


def _read_head(path: Path, problems: ScanProblems, stem: str | None = None) -> _Head | None:
    head = _Head()
    try:
        with path.open("rb") as handle:
            raw = handle.read(HEAD_BYTES)
    except OSError as exc:
        _count_os_error(exc, problems)
        return None
    if b"\x00" in raw[:4096] and raw.lstrip()[:1] != b"{":
        head.binary = True
        problems.binary_files += 1
        return head
    parts = raw.split(b"\n")
    if len(raw) == HEAD_BYTES:
        parts = parts[:-1]  # the last piece was cut by the read size
    scratch = ScanProblems()  # the tail counts corrupt lines; avoid counting twice
    for part in parts:
        entry = _parse(part, scratch)
        if entry is None:
            continue
        head.lines += 1
        if entry.get("type") == "summary" and entry.get("leafUuid"):
            head.summary_leaf = True
        if head.cwd is None and isinstance(entry.get("cwd"), str):
            head.cwd = entry["cwd"]
        if head.version is None and isinstance(entry.get("version"), str):
            head.version = entry["version"]
        if head.first_timestamp is None and isinstance(entry.get("timestamp"), str):
            head.first_timestamp = entry["timestamp"]
        sid = entry.get("sessionId")
        if isinstance(sid, str):
            if head.session_id is None:
                head.session_id = sid
            if stem and sid != stem and head.foreign_session is None:
                head.foreign_session = sid
    return head


# ---------------------------------------------------------------------------------------
# The tail


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            b.get("text", "")
            for b in content
            if isinstance(b, dict) and isinstance(b.get("text"), str)
        ]
        return "\n".join(texts)
    return ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: ``req_…`` ids inside an error's text (older versions put the API body there).
_REQUEST_ID = re.compile(r"\breq_[A-Za-z0-9]{8,}\b")


def _api_error(entry: Mapping[str, Any]) -> ApiError | None:
    if entry.get("isApiErrorMessage") is True:
        message = entry.get("message")
        text = _text_of(message.get("content")) if isinstance(message, dict) else ""
        status = _int(entry.get("apiErrorStatus"))
        error = entry.get("error")
        code = error if isinstance(error, str) else None
        if isinstance(error, dict):
            code = error.get("type") if isinstance(error.get("type"), str) else None
            status = status or _int(error.get("status"))
        return ApiError(
            kind="message",
            timestamp=entry.get("timestamp") if isinstance(entry.get("timestamp"), str) else None,
            status=status,
            text=text[:4000],
            error=code,
            request_id=_request_id(entry, text),
        )
    if entry.get("type") == "system" and entry.get("subtype") == "api_error":
        raw_error = entry.get("error")
        details: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
        content = entry.get("content")
        text = content if isinstance(content, str) else ""
        if not text:
            inner = details.get("error")
            if isinstance(inner, dict) and isinstance(inner.get("message"), str):
                text = inner["message"]
            elif isinstance(details.get("message"), str):
                text = details["message"]
        retry_in = entry.get("retryInMs")
        return ApiError(
            kind="retry",
            timestamp=entry.get("timestamp") if isinstance(entry.get("timestamp"), str) else None,
            status=_int(details.get("status")),
            text=str(text)[:4000],
            error=details.get("type") if isinstance(details.get("type"), str) else None,
            request_id=_request_id(entry, str(text)) or _request_id(details, ""),
            retry_attempt=_int(entry.get("retryAttempt")),
            max_retries=_int(entry.get("maxRetries")),
            retry_in_ms=float(retry_in) if isinstance(retry_in, int | float) else None,
        )
    return None


def _request_id(entry: Mapping[str, Any], text: str) -> str | None:
    for key in ("requestId", "request_id"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    found = _REQUEST_ID.findall(text)
    return found[-1] if found else None


_FAST_MIN = 2048
_FAST_PREFIX = 4096
_TOOL_RESULT_MARK = b'"type":"tool_result"'
_TOOL_USE_ID = re.compile(rb'"tool_use_id":"([^"]{1,200})"')
_TIMESTAMP = re.compile(rb'"timestamp":"([^"]{1,40})"')


@dataclass
class _Tail:
    start: int
    models: list[str] = field(default_factory=list)
    prompts: int = 0
    compactions: int = 0
    compact_offsets: list[int] = field(default_factory=list)
    errors: list[ApiError] = field(default_factory=list)
    trailing: list[ApiError] = field(default_factory=list)
    last_success: str | None = None
    last_model: str | None = None
    usage_tokens: int | None = None
    last_timestamp: str | None = None
    empty_thinking: int = 0
    tool_uses: dict[str, int] = field(default_factory=dict)
    tool_results: set[str] = field(default_factory=set)
    last_assistant_index: int = -1
    last_user_index: int = -1
    gap_offset: int | None = None
    gap_seconds: float = 0.0
    foreign_session: str | None = None
    lines: int = 0


def _scan_tail(handle: BinaryIO, start: int, end: int, stem: str, problems: ScanProblems) -> _Tail:
    tail = _Tail(start=start)
    previous: datetime | None = None
    seen_messages: set[str] = set()
    index = 0
    for offset, raw, terminated in _lines(handle, start, end, problems):
        if terminated and len(raw) > _FAST_MIN and _TOOL_RESULT_MARK in raw[:_FAST_PREFIX]:
            # A tool's output: often long, and only its ids and time matter. Regexes on the
            # bytes instead of a full parse keep thousands of transcripts fast to list.
            ids = _TOOL_USE_ID.findall(raw)
            if ids:
                index += 1
                tail.lines += 1
                tail.last_user_index = index
                tail.tool_results.update(i.decode("ascii", "replace") for i in ids)
                found = _TIMESTAMP.search(raw)
                if found:
                    tail.last_timestamp = found.group(1).decode("ascii", "replace")
                continue
        entry = _parse(raw, problems if terminated else ScanProblems())
        if entry is None:
            if not terminated:
                problems.partial_last_lines += 1  # a write in progress
            continue
        index += 1
        tail.lines += 1
        stamp = entry.get("timestamp") if isinstance(entry.get("timestamp"), str) else None
        moment = _parse_time(stamp)
        kind = entry.get("type")
        sid = entry.get("sessionId")
        if isinstance(sid, str) and sid != stem and tail.foreign_session is None:
            tail.foreign_session = sid
        if kind == "system" and entry.get("subtype") == "compact_boundary":
            tail.compactions += 1
            tail.compact_offsets.append(offset)
        error = _api_error(entry)
        if error is not None:
            tail.errors.append(error)
            tail.trailing.append(error)
        if moment is not None and kind in ("user", "assistant"):
            if previous is not None:
                gap = (moment - previous).total_seconds()
                if gap >= RESUME_GAP_SECONDS and kind == "user":
                    tail.gap_offset, tail.gap_seconds = offset, gap
            previous = moment
            tail.last_timestamp = stamp
        elif stamp:
            tail.last_timestamp = stamp
        message = entry.get("message")
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if kind == "user":
            tail.last_user_index = index
            blocks = content if isinstance(content, list) else []
            results = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_result"]
            for block in results:
                if isinstance(block.get("tool_use_id"), str):
                    tail.tool_results.add(block["tool_use_id"])
            if not results and not entry.get("isMeta") and not entry.get("isCompactSummary"):
                tail.prompts += 1
        elif kind == "assistant" and error is None:
            model = message.get("model")
            if isinstance(model, str) and model != "<synthetic>":
                if model not in tail.models:
                    tail.models.append(model)
                tail.last_model = model
            usage = message.get("usage")
            if isinstance(usage, dict) and model != "<synthetic>":
                tokens = sum(
                    _int(usage.get(k)) or 0
                    for k in (
                        "input_tokens",
                        "cache_read_input_tokens",
                        "cache_creation_input_tokens",
                    )
                )
                tail.usage_tokens = tokens
                tail.last_success = stamp
                tail.trailing = []
            tail.last_assistant_index = index
            # Streaming writes one message over several lines: count blocks once.
            key = f"{message.get('id')}:{entry.get('uuid')}"
            if key in seen_messages:
                continue
            seen_messages.add(key)
            for block in content if isinstance(content, list) else []:
                if not isinstance(block, dict):
                    continue
                if block.get("type") == "thinking" and not str(block.get("thinking", "")).strip():
                    tail.empty_thinking += 1
                elif block.get("type") == "tool_use" and isinstance(block.get("id"), str):
                    tail.tool_uses[block["id"]] = index
    return tail


def _dangling(tail: _Tail) -> list[str]:
    """tool_use ids with no tool_result although the conversation went on after them (a
    user line follows). One at the very end is a turn still running or cut off, which
    Claude Code repairs on resume."""
    return [
        tid
        for tid, at in tail.tool_uses.items()
        if tid not in tail.tool_results and at < tail.last_user_index
    ]


# ---------------------------------------------------------------------------------------
# The attachment scan


_BASE64_MARK = b'"type":"base64"'
_COMPACT_MARK = b'"compact_boundary"'
_WINDOW = 512
_MEDIA = re.compile(rb'"media_type"\s*:\s*"([^"]{1,100})"')
_DATA = re.compile(rb'"data"\s*:\s*"')


@dataclass
class _Attachments:
    found: list[Attachment] = field(default_factory=list)
    compact_offsets: list[int] = field(default_factory=list)
    scanned_from: int = 0


def _scan_attachments(handle: BinaryIO, start: int, end: int) -> _Attachments:
    """Find base64 blocks and compaction boundaries in ``[start, end)`` reading chunk by
    chunk; a data string is measured while streaming, never held."""
    result = _Attachments(scanned_from=start)
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


# ---------------------------------------------------------------------------------------
# One session


def read_session(
    file: SessionFile,
    *,
    deep_bytes: int = DEEP_SCAN_BYTES,
    tail_max: int = TAIL_MAX_BYTES,
) -> Session:
    """Read one transcript's head, tail and attachments. Never raises on bad input."""
    stem = file.path.stem
    session = Session(stem, file.path, file.project, file.size, file.mtime)
    problems = session.problems
    head = _read_head(file.path, problems, stem)
    if head is None or head.binary:
        return session
    session.cwd = head.cwd
    session.version = head.version
    session.first_timestamp = head.first_timestamp
    try:
        handle = file.path.open("rb")
    except OSError as exc:
        _count_os_error(exc, problems)
        return session
    with handle:
        try:
            end = os.fstat(handle.fileno()).st_size
        except OSError:
            end = file.size
        session.size = end
        window = min(TAIL_BYTES, end)
        while True:
            start = max(0, end - window)
            attempt = ScanProblems()
            tail = _scan_tail(handle, start, end, stem, attempt)
            if tail.usage_tokens is not None or start == 0 or window >= tail_max:
                break
            window = min(window * 2, tail_max)
        problems.add(attempt)
        session.tail_bytes = end - start
        _apply_tail(session, head, tail, start, end)
        # At least the tail already read; deeper (bounded) when asked.
        deep_start = min(start, max(0, end - deep_bytes))
        attachments = _scan_attachments(handle, deep_start, end)
    _apply_attachments(session, attachments, tail)
    return session


def _apply_tail(session: Session, head: _Head, tail: _Tail, start: int, end: int) -> None:
    session.models = tail.models
    session.last_model = tail.last_model
    session.errors = tail.errors
    session.trailing_failures = sum(1 for e in tail.trailing if e.kind == "message")
    ids: list[str] = []
    for error in tail.trailing or tail.errors[-5:]:
        if error.request_id and error.request_id not in ids:
            ids.append(error.request_id)
    session.request_ids = ids
    session.last_success = tail.last_success
    session.last_timestamp = tail.last_timestamp or head.first_timestamp
    session.empty_thinking = tail.empty_thinking
    session.dangling_tool_uses = _dangling(tail)
    session.compactions = tail.compactions
    if tail.usage_tokens is not None:
        session.context_tokens = tail.usage_tokens
        session.context_window = context_window(tail.last_model)
    session.turns = tail.prompts
    if start > 0 and end > start:
        # Only the tail was read: scale the prompts seen by the share of the file read.
        session.turns = max(tail.prompts, round(tail.prompts * end / (end - start)))
        session.turns_estimated = True
        session.compactions_estimated = True
    foreign = head.foreign_session or tail.foreign_session
    if foreign:
        session.resumed = True
        session.resume_hint = f"carries history of session {foreign} (--resume/--continue)"
    elif head.summary_leaf:
        session.resumed = True
        session.resume_hint = "starts from a summary of an earlier session"
    if tail.gap_offset is not None:
        hours = tail.gap_seconds / 3600
        if not session.resumed:
            session.resumed = True
            session.resume_hint = f"reopened after {hours:.1f} h idle"
        session.resume_offset = tail.gap_offset


def _apply_attachments(session: Session, found: _Attachments, tail: _Tail) -> None:
    # Only what follows the last compaction is still sent with every turn.
    boundaries = found.compact_offsets or tail.compact_offsets
    if found.scanned_from == 0:
        session.compactions = len(found.compact_offsets)
        session.compactions_estimated = False
    cut = boundaries[-1] if boundaries else 0
    live = [a for a in found.found if a.offset >= cut]
    session.attachment_bytes = sum(a.base64_bytes for a in live)
    session.attachments_scanned_from = found.scanned_from
    session.oversized = [a for a in live if a.base64_bytes > ATTACHMENT_LIMITS[a.kind].warn_bytes]


def read_sessions(files: list[SessionFile], *, deep_bytes: int = DEEP_SCAN_BYTES) -> list[Session]:
    return [read_session(f, deep_bytes=deep_bytes) for f in files]
