"""What a scan of Claude Code's transcripts finds, as typed records: the files a listing
found, what one session says (read from its head and tail), its API errors and
attachments, and the bad input met on the way."""

from __future__ import annotations

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
