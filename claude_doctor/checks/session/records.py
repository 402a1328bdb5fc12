"""What a scan of Claude Code's transcripts finds, as typed records: the files a listing
found, what one session says (read from its head and tail), its API errors and
attachments, and the bad input met on the way."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


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
    ``system`` retry line (subtype ``api_error``), with the structured fields the client
    writes beside the text (FACTS §3.9a)."""

    kind: str  # "message" or "retry"
    timestamp: str | None
    status: int | None
    text: str
    #: The client's error kind: ``server_error``, ``rate_limit``, ``authentication_failed``…
    error: str | None = None
    request_id: str | None = None
    retry_attempt: int | None = None
    max_retries: int | None = None
    retry_in_ms: float | None = None
    #: The API's error type (``apiErrorType``): ``api_error``, ``overloaded_error``…
    api_error_type: str | None = None
    #: The client's network failure kind (``apiError``): ``connection_failed``, ``tls_…``.
    network: str | None = None
    #: The system error code of a retry's failed connection (``ECONNREFUSED``, ``ENOTFOUND``).
    connection_code: str | None = None
    #: Whether the client judged the network down (a retry's ``isNetworkDown``).
    network_down: bool | None = None
    #: The client's one-line account of a retry's error (``error.formatted``).
    formatted: str | None = None
    #: Where the line starts in the file (not part of the JSON form).
    offset: int | None = None

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
            "api_error_type": self.api_error_type,
            "network": self.network,
            "connection_code": self.connection_code,
            "network_down": self.network_down,
            "formatted": self.formatted,
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
    #: Offset in the file where the resumed part begins (the last run's start), when known.
    resume_offset: int | None = None
    #: Where each run appended by ``--resume``/``--continue`` (or a fork's own part) starts.
    run_offsets: list[int] = field(default_factory=list)
    #: Runs appended to the session after its first (a lower bound when part was not read).
    runs_appended: int = 0
    runs_estimated: bool = False
    #: The session a ``--fork-session`` copied its history from.
    forked_from: str | None = None
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

    def _trailing_messages(self) -> list[ApiError]:
        messages = [e for e in self.errors if e.kind == "message"]
        return messages[len(messages) - self.trailing_failures :] if self.trailing_failures else []

    @property
    def failed_since_resume(self) -> int:
        """Trailing failures recorded after the resume point (all of them if unknown)."""
        if self.resume_offset is None:
            return self.trailing_failures
        at = self.resume_offset
        return sum(1 for e in self._trailing_messages() if e.offset is None or e.offset >= at)

    @property
    def failing_runs(self) -> int:
        """How many runs (the first, each appended one) hold the trailing failures."""
        starts = sorted(self.run_offsets)
        runs = {bisect_right(starts, e.offset or 0) for e in self._trailing_messages()}
        return len(runs)

    @property
    def retries(self) -> dict[str, Any]:
        """The client's retry lines: how many, the highest attempt, and their spacing."""
        lines = [e for e in self.errors if e.kind == "retry"]
        attempts = [e.retry_attempt for e in lines if e.retry_attempt is not None]
        limits = [e.max_retries for e in lines if e.max_retries is not None]
        waits = [e.retry_in_ms for e in lines if e.retry_in_ms is not None]
        return {
            "lines": len(lines),
            "max_attempt": max(attempts, default=None),
            "max_retries": max(limits, default=None),
            "retry_in_ms": [round(w) for w in waits[-10:]],
        }

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
            "runs_appended": self.runs_appended,
            "runs_estimated": self.runs_estimated,
            "forked_from": self.forked_from,
            "failed_since_resume": self.failed_since_resume,
            "compactions": self.compactions,
            "compactions_estimated": self.compactions_estimated,
            "api_errors": len(self.errors),
            "api_error_messages": sum(1 for e in self.errors if e.kind == "message"),
            "retries": sum(1 for e in self.errors if e.kind == "retry"),
            "retry": self.retries,
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
