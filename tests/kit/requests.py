"""Transcripts that carry the requests Claude Code sent, in the format it writes them
(FACTS §3.9a, Claude Code 2.1.332): ``api-request-shape`` (system and tools once per
shape), ``api-request-blob`` (a message by its hash), ``api-request`` (params, ``keep``,
``tail``, ``cacheControl``), between the ``user`` and ``assistant`` lines of the turns.

:class:`RequestTranscript` writes them and remembers, for every request, the body the
client would have sent (without the parts it adds on the wire), so a test can compare the
rebuild with it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from claude_doctor.checks.session.transcripts import encode_project_dir

MODEL = "claude-opus-5-5"
BETAS = ["claude-code-20250219", "context-management-2025-06-27"]
SYSTEM = [
    {"type": "text", "text": "You are a Claude agent, built on Anthropic's Claude Agent SDK."},
    {"type": "text", "text": "You are an agent working with the user toward their goals."},
]
TOOLS = [
    {
        "name": "Read",
        "description": "Read a file.",
        "input_schema": {
            "type": "object",
            "properties": {"file_path": {"type": "string"}},
            "required": ["file_path"],
        },
    }
]
PARAMS = {
    "model": MODEL,
    "betas": BETAS,
    "max_tokens": 128000,
    "thinking": {"type": "adaptive", "display": "omitted"},
    "output_config": {"effort": "medium"},
}
ENVIRONMENT = {
    "role": "system",
    "content": [{"type": "text", "text": "# Environment\nPrimary working directory: /p"}],
}


def digest(message: Any) -> str:
    text = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def natural(message: dict[str, Any]) -> dict[str, Any]:
    """How the client sends a message: a system-role one with one text block as a string."""
    content = message.get("content")
    if message.get("role") == "system" and isinstance(content, list) and len(content) == 1:
        return {**message, "content": content[0]["text"]}
    return copy.deepcopy(message)


class RequestTranscript:
    """One session's lines with its requests; ``write`` puts it under ``projects/``."""

    def __init__(self, cwd: str, session_id: str | None = None) -> None:
        self.cwd = cwd
        self.session_id = session_id or str(uuid.uuid4())
        self.lines: list[dict[str, Any] | str] = []
        self.sent: list[dict[str, Any]] = []
        self._shapes: set[str] = set()
        self._last: str | None = None
        self._held: list[dict[str, Any]] = []

    def _line(self, kind: str, **fields: Any) -> dict[str, Any]:
        line = {
            "parentUuid": self._last,
            "isSidechain": False,
            "type": kind,
            "uuid": str(uuid.uuid4()),
            "timestamp": "2026-12-01T10:00:00.000Z",
            **fields,
            "userType": "external",
            "entrypoint": "sdk-cli",
            "cwd": self.cwd,
            "sessionId": self.session_id,
            "version": "2.1.332",
        }
        self._last = line["uuid"]
        self.lines.append(line)
        return line

    def user(self, content: str | list[Any]) -> RequestTranscript:
        self._line("user", message={"role": "user", "content": content})
        return self

    def reply(self, *blocks: dict[str, Any], message_id: str | None = None) -> RequestTranscript:
        """A successful reply, one ``assistant`` line a block as the client writes it."""
        mid = message_id or f"msg_{uuid.uuid4().hex[:12]}"
        for block in blocks:
            self._line(
                "assistant",
                message={"id": mid, "role": "assistant", "model": MODEL, "content": [block]},
                requestId="req_011OK",
            )
        return self

    def failure(self, text: str = "API Error: 500 Internal server error.") -> RequestTranscript:
        self._line(
            "assistant",
            message={
                "role": "assistant",
                "model": "<synthetic>",
                "content": [{"type": "text", "text": text}],
            },
            isApiErrorMessage=True,
            apiErrorStatus=500,
            apiErrorType="api_error",
            error="server_error",
        )
        return self

    def raw(self, text: str) -> RequestTranscript:
        """A line written as is (a corrupt one, an unknown type)."""
        self.lines.append(text)
        return self

    def blob(self, message: dict[str, Any], *, key: dict[str, Any] | None = None) -> str:
        h = digest(key if key is not None else message)
        self.lines.append(
            {
                "type": "api-request-blob",
                "sessionId": self.session_id,
                "hash": h,
                "message": message,
            }
        )
        return h

    def request(
        self,
        tail: list[dict[str, Any]],
        *,
        keep: int = 0,
        blobs: bool | list[bool] = True,
        cache_control: list[dict[str, Any]] | None = None,
        shape: bool = True,
        system: list[Any] | None = None,
    ) -> dict[str, Any]:
        """An ``api-request`` whose messages are the previous request's first ``keep`` and
        ``tail``; each tail message gets a blob line unless ``blobs`` says not. Returns
        (and keeps in ``sent``) the body the client sends, less its wire-only parts."""
        shape_value = {"system": system if system is not None else SYSTEM, "tools": TOOLS}
        shape_hash = digest(shape_value)
        if shape and shape_hash not in self._shapes:
            self._shapes.add(shape_hash)
            self.lines.append(
                {
                    "type": "api-request-shape",
                    "sessionId": self.session_id,
                    "shapeHash": shape_hash,
                    "shape": shape_value,
                }
            )
        wanted = blobs if isinstance(blobs, list) else [blobs] * len(tail)
        hashes = [self.blob(m) if want else digest(m) for m, want in zip(tail, wanted, strict=True)]
        control = (
            cache_control
            if cache_control is not None
            else [{"path": ["system", 0], "value": {"type": "ephemeral"}}]
        )
        self.lines.append(
            {
                "type": "api-request",
                "sessionId": self.session_id,
                "id": str(uuid.uuid4()),
                "timestamp": "2026-12-01T10:00:01.000Z",
                "version": "2.1.332",
                "querySource": "sdk",
                "shapeHash": shape_hash,
                "params": PARAMS,
                "thread": {"type": "none"},
                "keep": keep,
                "tail": hashes,
                "cacheControl": control,
                "requestDigest": uuid.uuid4().hex,
            }
        )
        # Kept messages go as the client holds them, without the last request's marks.
        messages = [natural(m) for m in self._held[:keep] + tail]
        self._held = copy.deepcopy(messages)
        body: dict[str, Any] = {
            "model": MODEL,
            "messages": copy.deepcopy(messages),
            **copy.deepcopy(shape_value),
            **{k: v for k, v in PARAMS.items() if k not in ("model", "betas")},
        }
        for entry in control:
            node: Any = body
            for step in entry["path"][:-1]:
                if step == "content" and isinstance(node[step], str):
                    node[step] = [{"type": "text", "text": node[step]}]
                node = node[step]
            node[entry["path"][-1]]["cache_control"] = entry["value"]
        self.sent.append(body)
        return body

    def path(self, config_dir: Path) -> Path:
        return config_dir / "projects" / encode_project_dir(self.cwd) / f"{self.session_id}.jsonl"

    def write(self, config_dir: Path) -> Path:
        path = self.path(config_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(
            (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
            for line in self.lines
        )
        path.write_text(text, encoding="utf-8")
        return path
