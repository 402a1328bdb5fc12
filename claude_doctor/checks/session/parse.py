"""Transcript entries (one JSON object a line) turned into what the session check needs:
the facts of a transcript's head, the running account of its tail (models, usage, turns,
compactions, API errors, tool calls and their results, idle gaps), the client runs it holds
(:class:`Runs`: resumed, continued, forked), and each API error as an
:class:`.records.ApiError` with its structured fields. No file is read here;
:mod:`.transcripts` feeds the lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from claude_doctor.checks.session.records import ApiError

#: An idle gap this long followed by new turns reads as "came back to the session".
RESUME_GAP_SECONDS = 3600

#: A tool's output line longer than this is judged from its bytes, not parsed.
_FAST_MIN = 2048
_FAST_PREFIX = 4096
_TOOL_RESULT_MARK = b'"type":"tool_result"'
_TOOL_USE_ID = re.compile(rb'"tool_use_id":"([^"]{1,200})"')
_TIMESTAMP = re.compile(rb'"timestamp":"([^"]{1,40})"')
#: Usage fields that together are the context a turn sent.
_CONTEXT_FIELDS = ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


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


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def api_error(entry: Mapping[str, Any]) -> ApiError | None:
    """The API error an entry records: a synthetic assistant message
    (``isApiErrorMessage``) or a ``system`` retry line (subtype ``api_error``), with its
    structured fields (status, error kind, network kind, request id, retry count and wait)."""
    if entry.get("isApiErrorMessage") is True:
        return _error_message(entry)
    if entry.get("type") == "system" and entry.get("subtype") == "api_error":
        return _retry_line(entry)
    return None


def _error_message(entry: Mapping[str, Any]) -> ApiError:
    message = entry.get("message")
    text = _text_of(message.get("content")) if isinstance(message, dict) else ""
    status = _int(entry.get("apiErrorStatus"))
    error = entry.get("error")
    code = _str(error)
    if isinstance(error, dict):
        code = _str(error.get("type"))
        status = status or _int(error.get("status"))
    return ApiError(
        kind="message",
        timestamp=_str(entry.get("timestamp")),
        status=status,
        text=text[:4000],
        error=code,
        request_id=_request_id(entry, text),
        api_error_type=_str(entry.get("apiErrorType")),
        network=_str(entry.get("apiError")),
    )


def _retry_line(entry: Mapping[str, Any]) -> ApiError:
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
    connection = details.get("connection")
    down = details.get("isNetworkDown")
    return ApiError(
        kind="retry",
        timestamp=_str(entry.get("timestamp")),
        status=_int(details.get("status")),
        text=str(text)[:4000],
        error=_str(details.get("type")),
        request_id=_request_id(entry, str(text)) or _request_id(details, ""),
        retry_attempt=_int(entry.get("retryAttempt")),
        max_retries=_int(entry.get("maxRetries")),
        retry_in_ms=float(retry_in)
        if isinstance(retry_in, int | float) and not isinstance(retry_in, bool)
        else None,
        connection_code=_str(connection.get("code")) if isinstance(connection, dict) else None,
        network_down=down if isinstance(down, bool) else None,
        formatted=(_str(details.get("formatted")) or "")[:1000] or None,
    )


def _request_id(entry: Mapping[str, Any], text: str) -> str | None:
    for key in ("requestId", "request_id"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    found = _REQUEST_ID.findall(text)
    return found[-1] if found else None


# --- runs -------------------------------------------------------------------------------


@dataclass
class Runs:
    """The client's runs in one transcript, seen line by line (FACTS §3.9a).

    ``claude --resume`` and ``--continue`` append a new run to the same file under the same
    ``sessionId``: the run before ended with a ``cost-state`` line (the client writes it when
    it leaves a session) and the new one starts with its ``queue-operation`` enqueue or its
    first conversation line, whose ``parentUuid`` is the previous run's last line. A
    boundary needs only those two neighbouring lines, so any window of the file shows the
    boundaries inside it: the tail alone shows where the last run began. ``--fork-session``
    writes a new file whose copied lines carry the old id as ``requestSessionId``; the
    fork's own part begins after the last of them.
    """

    #: Offsets where an appended run begins, in file order.
    boundaries: list[int] = field(default_factory=list)
    forked_from: str | None = None
    #: Offset of the first line after the last copied one (a fork's own part).
    fork_end: int | None = None
    ended: bool = False
    after_copy: bool = False

    def add(self, offset: int, entry: Mapping[str, Any]) -> None:
        kind = entry.get("type")
        if kind == "cost-state":
            self.ended = True
            return
        starts = isinstance(entry.get("uuid"), str) or (
            kind == "queue-operation" and entry.get("operation") == "enqueue"
        )
        if self.ended and starts:
            self.boundaries.append(offset)
            self.ended = False
        source, own = entry.get("requestSessionId"), entry.get("sessionId")
        if isinstance(source, str) and source and isinstance(own, str) and source != own:
            self.forked_from = self.forked_from or source
            self.after_copy = True
        elif self.after_copy:
            self.fork_end, self.after_copy = offset, False


# --- the head -----------------------------------------------------------------------------


@dataclass
class Head:
    """What the first lines of a transcript say."""

    cwd: str | None = None
    session_id: str | None = None
    version: str | None = None
    first_timestamp: str | None = None
    foreign_session: str | None = None
    summary_leaf: bool = False
    lines: int = 0
    binary: bool = False
    runs: Runs = field(default_factory=Runs)

    def add(self, entry: Mapping[str, Any], stem: str | None, offset: int = 0) -> None:
        self.lines += 1
        self.runs.add(offset, entry)
        if entry.get("type") == "summary" and entry.get("leafUuid"):
            self.summary_leaf = True
        if self.cwd is None and isinstance(entry.get("cwd"), str):
            self.cwd = entry["cwd"]
        if self.version is None and isinstance(entry.get("version"), str):
            self.version = entry["version"]
        if self.first_timestamp is None and isinstance(entry.get("timestamp"), str):
            self.first_timestamp = entry["timestamp"]
        sid = entry.get("sessionId")
        if isinstance(sid, str):
            if self.session_id is None:
                self.session_id = sid
            if stem and sid != stem and self.foreign_session is None:
                self.foreign_session = sid


# --- the tail -----------------------------------------------------------------------------


@dataclass
class Tail:
    """The running account of a transcript's last lines, fed one line at a time."""

    start: int
    stem: str
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
    #: Lines counted so far; the index of the latest one.
    lines: int = 0
    previous: datetime | None = None
    seen_messages: set[str] = field(default_factory=set)
    runs: Runs = field(default_factory=Runs)

    def add_tool_output(self, raw: bytes) -> bool:
        """Take a long tool-output line from its bytes (only its ids and time matter);
        ``False`` when the line must be parsed instead. Regexes on the bytes instead of a
        full parse keep thousands of transcripts fast to list."""
        if len(raw) <= _FAST_MIN or _TOOL_RESULT_MARK not in raw[:_FAST_PREFIX]:
            return False
        ids = _TOOL_USE_ID.findall(raw)
        if not ids:
            return False
        self.lines += 1
        self.last_user_index = self.lines
        self.tool_results.update(i.decode("ascii", "replace") for i in ids)
        found = _TIMESTAMP.search(raw)
        if found:
            self.last_timestamp = found.group(1).decode("ascii", "replace")
        return True

    def add(self, offset: int, entry: Mapping[str, Any]) -> None:
        """Take one parsed line that starts at ``offset`` in the file."""
        self.lines += 1
        self.runs.add(offset, entry)
        stamp = entry.get("timestamp") if isinstance(entry.get("timestamp"), str) else None
        kind = entry.get("type")
        sid = entry.get("sessionId")
        if isinstance(sid, str) and sid != self.stem and self.foreign_session is None:
            self.foreign_session = sid
        if kind == "system" and entry.get("subtype") == "compact_boundary":
            self.compactions += 1
            self.compact_offsets.append(offset)
        error = api_error(entry)
        if error is not None:
            error = replace(error, offset=offset)
            self.errors.append(error)
            self.trailing.append(error)
        self._timing(offset, kind, stamp)
        message = entry.get("message")
        if not isinstance(message, dict):
            return
        if kind == "user":
            self._user(entry, message.get("content"))
        elif kind == "assistant" and error is None:
            self._assistant(entry, message, stamp)

    def _timing(self, offset: int, kind: Any, stamp: str | None) -> None:
        moment = _parse_time(stamp)
        if moment is not None and kind in ("user", "assistant"):
            if self.previous is not None:
                gap = (moment - self.previous).total_seconds()
                if gap >= RESUME_GAP_SECONDS and kind == "user":
                    self.gap_offset, self.gap_seconds = offset, gap
            self.previous = moment
            self.last_timestamp = stamp
        elif stamp:
            self.last_timestamp = stamp

    def _user(self, entry: Mapping[str, Any], content: Any) -> None:
        self.last_user_index = self.lines
        blocks = content if isinstance(content, list) else []
        results = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_result"]
        for block in results:
            if isinstance(block.get("tool_use_id"), str):
                self.tool_results.add(block["tool_use_id"])
        if not results and not entry.get("isMeta") and not entry.get("isCompactSummary"):
            self.prompts += 1

    def _assistant(
        self, entry: Mapping[str, Any], message: dict[str, Any], stamp: str | None
    ) -> None:
        model = message.get("model")
        if isinstance(model, str) and model != "<synthetic>":
            if model not in self.models:
                self.models.append(model)
            self.last_model = model
        usage = message.get("usage")
        if isinstance(usage, dict) and model != "<synthetic>":
            self.usage_tokens = sum(_int(usage.get(k)) or 0 for k in _CONTEXT_FIELDS)
            self.last_success = stamp
            self.trailing = []
        self.last_assistant_index = self.lines
        # Streaming writes one message over several lines: count blocks once.
        key = f"{message.get('id')}:{entry.get('uuid')}"
        if key in self.seen_messages:
            return
        self.seen_messages.add(key)
        content = message.get("content")
        for block in content if isinstance(content, list) else []:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "thinking" and not str(block.get("thinking", "")).strip():
                self.empty_thinking += 1
            elif block.get("type") == "tool_use" and isinstance(block.get("id"), str):
                self.tool_uses[block["id"]] = self.lines

    def dangling(self) -> list[str]:
        """tool_use ids with no tool_result although the conversation went on after them (a
        user line follows). One at the very end is a turn still running or cut off, which
        Claude Code repairs on resume."""
        return [
            tid
            for tid, at in self.tool_uses.items()
            if tid not in self.tool_results and at < self.last_user_index
        ]
