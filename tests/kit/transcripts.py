"""Build Claude Code transcripts line by line, shaped as FACTS §3.8 describes them, and the
fake homes and steps the session tests share (run the session check, read one file)."""

from __future__ import annotations

import hashlib
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


# --- the current client's format (FACTS §3.9a) ----------------------------------------------

CLIENT_VERSION = "2.1.332"
CLIENT_MODEL = "claude-opus-5-5"
START_MS = int(T0.timestamp() * 1000)


def blob_hash(message: dict[str, Any]) -> str:
    """The ``api-request-blob`` hash of a message, as the client computes it."""
    text = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class ClientTranscript:
    """One session written line by line the way Claude Code 2.1.332 writes it under
    ``claude -p``: each :meth:`run` starts with a queue-operation pair and a ``user`` line
    with ``turnPosition``/``promptId``, attachments and the ``api-request-*`` lines follow,
    then :meth:`reply` or :meth:`fail` (``system``/``api_error`` retries, an
    ``isApiErrorMessage`` line), and :meth:`end` closes the run (last-prompt, mode,
    cost-state). Running again appends a resumed run; :meth:`fork` copies it as
    ``--fork-session`` does."""

    def __init__(self, cwd: str, session_id: str | None = None) -> None:
        self.cwd = cwd
        self.session_id = session_id or str(uuid.uuid4())
        self.lines: list[dict[str, Any]] = []
        self.minute = 0.0
        self.turn = 0
        self.last_uuid: str | None = None
        self.prompt_id = ""
        self.request_id = ""
        self.shape_written = False

    def _stamp(self, step: float = 0.01) -> str:
        self.minute += step
        return stamp(self.minute)

    def _chained(self, kind: str, **fields: Any) -> dict[str, Any]:
        line: dict[str, Any] = {"parentUuid": self.last_uuid, "isSidechain": False}
        line.update(fields)
        line.update(type=kind, uuid=str(uuid.uuid4()), timestamp=self._stamp())
        line.update(
            userType="external",
            entrypoint="sdk-cli",
            cwd=self.cwd,
            sessionId=self.session_id,
            version=CLIENT_VERSION,
            gitBranch="HEAD",
        )
        self.last_uuid = line["uuid"]
        self.lines.append(line)
        return line

    def _plain(self, kind: str, **fields: Any) -> dict[str, Any]:
        line = {"type": kind, **fields, "sessionId": self.session_id}
        self.lines.append(line)
        return line

    def run(self, prompt: str, *, at: float | None = None) -> ClientTranscript:
        """A new ``claude -p`` run: on a session with runs already, a resumed one."""
        if at is not None:
            self.minute = at
        self._queue(prompt)
        return self._turn(prompt)

    def _queue(self, prompt: str) -> None:
        self._plain("queue-operation", operation="enqueue", timestamp=self._stamp(), content=prompt)
        self._plain("queue-operation", operation="dequeue", timestamp=self._stamp())

    def _turn(self, prompt: str) -> ClientTranscript:
        self.turn += 1
        self.prompt_id = str(uuid.uuid4())
        self._chained(
            "user",
            promptId=self.prompt_id,
            message={"role": "user", "content": prompt},
            permissionMode="default",
            promptSource="sdk",
            sentAtMs=START_MS + int(self.minute * 60_000),
            rowSource="local",
            turnOrigin="sdk",
            turnPosition={"promptIndex": 0, "turnIndex": self.turn},
        )
        self._chained(
            "attachment",
            attachment={"type": "date", "date": "2026-11-20"},
            rendered=[
                {"content": "<system-reminder>\nToday's date is 2026-11-20.\n</system-reminder>"}
            ],
            renderedRole="system",
        )
        self._plain("atis-latch", atis="")
        self._request(prompt)
        return self

    def _request(self, prompt: str) -> None:
        shape_hash = hashlib.sha256(b"shape").hexdigest()
        if not self.shape_written:
            system = [{"type": "text", "text": "You are a Claude agent."}]
            self._plain(
                "api-request-shape",
                shapeHash=shape_hash,
                timestamp=stamp(self.minute),
                version=CLIENT_VERSION,
                shape={"system": system, "tools": []},
            )
            self.shape_written = True
        message = {"role": "user", "content": [{"type": "text", "text": prompt}]}
        self._plain("api-request-blob", hash=blob_hash(message), message=message)
        self.request_id = str(uuid.uuid4())
        self._plain(
            "api-request",
            id=self.request_id,
            timestamp=stamp(self.minute),
            version=CLIENT_VERSION,
            querySource="sdk",
            shapeHash=shape_hash,
            params={"model": CLIENT_MODEL, "max_tokens": 128000, "betas": ["claude-code-20250219"]},
            thread={"type": "none"},
            echoWireToolInputs=False,
            keep=0,
            tail=[blob_hash(message)],
            cacheControl=[{"path": ["system", 0], "value": {"type": "ephemeral"}}],
            requestDigest=hashlib.sha256(prompt.encode()).hexdigest(),
        )

    def reply(self, text: str = "Done.", *, context: int = 20_000) -> ClientTranscript:
        usage = {
            "input_tokens": 10,
            "cache_creation_input_tokens": 2000,
            "cache_read_input_tokens": context - 2010,
            "output_tokens": 5,
            "service_tier": "standard",
        }
        self._chained(
            "assistant",
            apiBlockIndex=0,
            requestId=f"req_011CV{uuid.uuid4().hex[:18]}",
            requestRef=self.request_id,
            requestedModel=CLIENT_MODEL,
            promptCacheRequested="5m",
            message={
                "id": f"msg_{uuid.uuid4().hex[:20]}",
                "type": "message",
                "role": "assistant",
                "model": CLIENT_MODEL,
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "stop_details": None,
                "usage": usage,
            },
            effort="medium",
            perTurnEffort="medium",
            madeBy="model",
        )
        return self

    def retry(
        self,
        status: int | None,
        message: str,
        *,
        formatted: str,
        attempt: int = 1,
        max_retries: int = 10,
        wait_ms: int = 600,
        request_id: str | None = None,
        connection: str | None = None,
    ) -> ClientTranscript:
        """A ``system``/``api_error`` line: the client will try again in ``wait_ms``."""
        error: dict[str, Any] = {
            "message": message,
            "formatted": formatted,
            "connection": None,
            "isNetworkDown": connection is not None,
            "rateLimits": None,
            "noResponse": None,
        }
        if status is not None:
            error.update(status=status, requestId=request_id)
        if connection is not None:
            error["connection"] = {"code": connection, "message": connection, "isSSLError": False}
        self._chained(
            "system",
            subtype="api_error",
            level="error",
            error=error,
            retryInMs=wait_ms,
            retryAttempt=attempt,
            maxRetries=max_retries,
            source="request_retry",
        )
        return self

    def fail(
        self,
        text: str,
        *,
        status: int | None = 500,
        error: str = "server_error",
        api_type: str | None = "api_error",
        network: str | None = None,
        request_id: str | None = None,
    ) -> ClientTranscript:
        """The ``isApiErrorMessage`` line the client writes when a turn fails."""
        line = self._chained(
            "assistant",
            message={
                "diagnostics": None,
                "id": str(uuid.uuid4()),
                "container": None,
                "model": "<synthetic>",
                "role": "assistant",
                "stop_details": None,
                "stop_reason": "stop_sequence",
                "stop_sequence": "",
                "type": "message",
                "usage": {"input_tokens": 0, "output_tokens": 0},
                "content": [{"type": "text", "text": text}],
                "context_management": None,
            },
        )
        if request_id is not None:
            line["requestId"] = request_id
        line.update(error=error, isApiErrorMessage=True)
        if status is not None:
            line.update(apiErrorStatus=status, apiErrorType=api_type)
        if network is not None:
            line["apiError"] = network
        line.update(perTurnEffort="medium", failedResponseHadNoToolCall=True, madeBy="model")
        return self

    def end(self) -> ClientTranscript:
        """The lines a run ends with; the ``cost-state`` is written as the client leaves."""
        self._plain("last-prompt", lastPrompt="", leafUuid=self.last_uuid)
        self._plain("mode", mode="normal")
        self._plain(
            "cost-state",
            totalCostUSD=0.00014,
            totalAPIDuration=105,
            totalAPIDurationWithoutRetries=75,
            totalToolDuration=0,
            totalLinesAdded=0,
            totalLinesRemoved=0,
            totalDuration=1319,
            startTime=START_MS,
            modelUsage={CLIENT_MODEL: {"inputTokens": 10, "outputTokens": 5}},
            hasUnknownModelCost=False,
        )
        return self

    def odd_line(self) -> ClientTranscript:
        """A line type no version wrote yet, for tolerance."""
        self._plain("hologram-sync", frames=[1, 2, 3], nested={"deep": {"er": None}})
        return self

    def fork(self, prompt: str, session_id: str | None = None) -> ClientTranscript:
        """``claude -p --resume <this> --fork-session <prompt>``: a new file that starts with
        the new run's queue-operation pair, then the copied conversation lines under the new
        id (the copied assistant lines keep the old one as ``requestSessionId``), then the
        new turn."""
        forked = ClientTranscript(self.cwd, session_id)
        forked.minute, forked.turn, forked.last_uuid = self.minute, self.turn, self.last_uuid
        forked._plain("mode", mode="normal")
        forked._plain("atis-latch", atis="")
        forked._queue(prompt)
        for line in self.lines:
            if "uuid" not in line:
                continue
            copy = dict(line, sessionId=forked.session_id)
            if copy["type"] == "assistant":
                copy["requestSessionId"] = self.session_id
            forked.lines.append(copy)
        return forked._turn(prompt)

    def text(self) -> str:
        return "".join(
            json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n"
            for line in self.lines
        )

    def write(self, config_dir: Path) -> Path:
        folder = config_dir / "projects" / encode_project_dir(self.cwd)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.session_id}.jsonl"
        path.write_text(self.text(), encoding="utf-8")
        moment = (T0 + timedelta(minutes=self.minute)).timestamp()
        os.utime(path, (moment, moment))
        return path


def fail_500(t: ClientTranscript, n: int) -> ClientTranscript:
    """One failed turn the way 2.1.332 words a 500: a retry, then the error message."""
    body = (
        '500 {"type":"error","error":{"type":"api_error","message":"Internal server error"},'
        f'"request_id":"req_011CVreal500{n:04d}"}}'
    )
    t.retry(500, body, formatted="500 Internal server error", request_id=f"req_011CVreal500{n:04d}")
    return t.fail(TEXT_500, request_id=f"req_011CVreal500{n:04d}")


TEXT_500 = (
    "API Error: 500 Internal server error. This is a server-side issue, usually temporary — "
    "try again in a moment. If it persists, check your inference gateway (127.0.0.1:8080)."
)
