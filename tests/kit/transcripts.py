"""Build Claude Code transcripts line by line, shaped as FACTS §3.8 describes them."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from claude_doctor.checks.session.transcripts import encode_project_dir

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def stamp(minutes: float) -> str:
    moment = T0 + timedelta(minutes=minutes)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Transcript:
    """One session's lines; ``write`` puts it under ``<config>/projects/<project>/``."""

    def __init__(self, cwd: str, session_id: str | None = None, version: str = "2.1.240"):
        self.cwd = cwd
        self.session_id = session_id or str(uuid.uuid4())
        self.version = version
        self.lines: list[dict[str, Any]] = []
        self.minute = 0.0

    def _base(self, kind: str, minutes: float | None, session_id: str | None) -> dict[str, Any]:
        if minutes is not None:
            self.minute = minutes
        else:
            self.minute += 1
        return {
            "parentUuid": None,
            "isSidechain": False,
            "userType": "external",
            "cwd": self.cwd,
            "sessionId": session_id or self.session_id,
            "version": self.version,
            "gitBranch": "main",
            "type": kind,
            "uuid": str(uuid.uuid4()),
            "timestamp": stamp(self.minute),
        }

    def user(
        self, text: str, *, at: float | None = None, session_id: str | None = None
    ) -> Transcript:
        line = self._base("user", at, session_id)
        line["message"] = {"role": "user", "content": text}
        self.lines.append(line)
        return self

    def user_blocks(self, blocks: list[dict[str, Any]], *, at: float | None = None) -> Transcript:
        line = self._base("user", at, None)
        line["message"] = {"role": "user", "content": blocks}
        self.lines.append(line)
        return self

    def image(self, base64_bytes: int, media_type: str = "image/png") -> Transcript:
        block = {
            "type": "image",
            "source": {"type": "base64", "media_type": media_type, "data": "A" * base64_bytes},
        }
        return self.user_blocks([{"type": "text", "text": "look at this"}, block])

    def assistant(
        self,
        text: str = "Done.",
        *,
        model: str = "claude-sonnet-4-5-20250929",
        context: int = 20_000,
        at: float | None = None,
        session_id: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> Transcript:
        line = self._base("assistant", at, session_id)
        line["requestId"] = f"req_011CV{uuid.uuid4().hex[:18]}"
        line["message"] = {
            "model": model,
            "id": f"msg_{uuid.uuid4().hex[:20]}",
            "type": "message",
            "role": "assistant",
            "content": blocks or [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {
                "input_tokens": 10,
                "cache_read_input_tokens": context - 2010,
                "cache_creation_input_tokens": 2000,
                "output_tokens": 300,
            },
        }
        self.lines.append(line)
        return self

    def api_error(
        self, status: int, text: str, *, request_id: str | None = None, at: float | None = None
    ) -> Transcript:
        line = self._base("assistant", at, None)
        line.update(isApiErrorMessage=True, apiErrorStatus=status, error="server_error")
        if request_id:
            line["requestId"] = request_id
        line["message"] = {
            "model": "<synthetic>",
            "id": str(uuid.uuid4()),
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": text}],
            "usage": {"input_tokens": 0, "output_tokens": 0},
        }
        self.lines.append(line)
        return self

    def retry(self, status: int, attempt: int, *, max_retries: int = 10) -> Transcript:
        line = self._base("system", None, None)
        line.update(
            subtype="api_error",
            level="error",
            error={"status": status, "error": {"type": "api_error", "message": "Internal"}},
            retryInMs=500 * 2**attempt,
            retryAttempt=attempt,
            maxRetries=max_retries,
        )
        self.lines.append(line)
        return self

    def compact(self) -> Transcript:
        line = self._base("system", None, None)
        line.update(subtype="compact_boundary", compactMetadata={"trigger": "auto"})
        self.lines.append(line)
        return self

    def text(self) -> str:
        return "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in self.lines)

    def write(self, config_dir: Path, *, mtime_minutes: float | None = None) -> Path:
        folder = config_dir / "projects" / encode_project_dir(self.cwd)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.session_id}.jsonl"
        path.write_text(self.text(), encoding="utf-8")
        minutes = self.minute if mtime_minutes is None else mtime_minutes
        moment = (T0 + timedelta(minutes=minutes)).timestamp()
        os.utime(path, (moment, moment))
        return path
