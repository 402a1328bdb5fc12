"""Build Claude Code transcripts line by line, shaped as FACTS §3.8 describes them, and the
fake homes and steps the session tests share (run the session check, read one file)."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from claude_doctor.checks.session.records import SessionFile
from claude_doctor.checks.session.transcripts import encode_project_dir
from claude_doctor.settings import Settings, load_settings
from tests.kit.local import FakeHome, run_cli

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
OLD_SESSION = "0b5e2c1a-0000-4000-8000-000000000001"
KEY = "sk-ant-api03-" + "Q" * 80 + "x7Qa"


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


# --- fake homes and steps the session tests share ------------------------------------------


def error_text(i: int) -> str:
    return (
        'API Error: 500 {"type":"error","error":{"type":"api_error","message":'
        f'"Internal server error"}},"request_id":"req_011CVfail{i:04d}xyz"}}'
    )


def write_healthy(home: FakeHome) -> Transcript:
    """Two good turns in the home's working directory."""
    t = Transcript(str(home.cwd))
    t.user("add a test", at=0).assistant(context=30_000).user("thanks").assistant(context=32_000)
    t.write(home.claude)
    return t


def write_resumed_failing(home: FakeHome) -> Transcript:
    """(b): history copied from an older session, a day idle, then five 500s."""
    t = Transcript(str(home.cwd))
    t.user("fix the parser", session_id=OLD_SESSION, at=0).assistant(session_id=OLD_SESSION)
    t.user(f"my key is {KEY}", session_id=OLD_SESSION).assistant(session_id=OLD_SESSION)
    t.user("continue", at=24 * 60)
    for i in range(5):
        t.retry(500, 1).api_error(500, error_text(i))
    t.write(home.claude)
    other = Transcript("/home/someone/other-project")
    other.user("hello", at=24 * 60 + 20).assistant()
    other.write(home.claude)
    return t


def settings_for(home: FakeHome, **extra: str) -> Settings:
    return load_settings(home.env(**extra), cwd=home.cwd)


def check_report(home: FakeHome) -> dict[str, Any]:
    """The JSON report of ``check --only session`` in ``home``."""
    result = run_cli(
        ["check", "--json", "--no-save", "--only", "session"], home.env(), cwd=home.cwd
    )
    assert result.code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    data: dict[str, Any] = result.json()
    return data


def session_ids(report: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["severity"] for f in report["findings"] if f["id"].startswith("session.")}


def session_file(path: Path) -> SessionFile:
    """``path`` as a listing finds it."""
    info = path.stat()
    return SessionFile(path, path.parent.name, info.st_size, info.st_mtime)
