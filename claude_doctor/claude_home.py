"""Read Claude Code's local state into typed objects, safely.

Every read is bounded in size and every failure (missing, a directory, unreadable, binary,
not JSON, too large) comes back as a :class:`FileProblem` value the checks turn into
findings. Nothing here writes.
"""

from __future__ import annotations

import enum
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claude_doctor.settings import Settings

#: Claude Code refuses settings files over 2 MiB (FACTS §3.4).
SETTINGS_MAX_BYTES = 2 * 1024 * 1024


class Problem(enum.StrEnum):
    MISSING = "missing"
    NOT_A_FILE = "not_a_file"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    BINARY = "binary"
    INVALID_JSON = "invalid_json"
    NOT_AN_OBJECT = "not_an_object"


@dataclass(frozen=True)
class FileProblem:
    """Why a file could not be used, in words a user can act on."""

    path: Path
    problem: Problem
    message: str
    line: int | None = None
    column: int | None = None
    size: int | None = None


@dataclass(frozen=True)
class JsonFile:
    """A JSON object read from disk."""

    path: Path
    data: dict[str, Any]
    size: int
    mode: int


def read_json_object(path: Path, *, max_bytes: int = SETTINGS_MAX_BYTES) -> JsonFile | FileProblem:
    """Read ``path`` as a JSON object, never more than ``max_bytes`` + 1 bytes."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return FileProblem(path, Problem.MISSING, "does not exist")
    except PermissionError:
        return FileProblem(path, Problem.UNREADABLE, "cannot be read: permission denied")
    except OSError as exc:
        return FileProblem(path, Problem.UNREADABLE, f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return FileProblem(path, Problem.NOT_A_FILE, f"is {kind}, not a JSON file")
    if info.st_size > max_bytes:
        return FileProblem(
            path,
            Problem.TOO_LARGE,
            f"is {_size(info.st_size)}, over the {_size(max_bytes)} limit",
            size=info.st_size,
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except PermissionError:
        return FileProblem(path, Problem.UNREADABLE, "cannot be read: permission denied")
    except OSError as exc:
        return FileProblem(path, Problem.UNREADABLE, f"cannot be read: {exc.strerror or exc}")
    if len(raw) > max_bytes:  # grew between stat and read
        return FileProblem(
            path, Problem.TOO_LARGE, f"is over the {_size(max_bytes)} limit", size=len(raw)
        )
    return parse_json_object(path, raw, mode=info.st_mode)


def parse_json_object(path: Path, raw: bytes, *, mode: int = 0) -> JsonFile | FileProblem:
    """Parse bytes already read from ``path``; see :func:`read_json_object`."""
    if not raw.strip():
        return FileProblem(path, Problem.EMPTY, "is empty", size=len(raw))
    if b"\x00" in raw:
        return FileProblem(path, Problem.BINARY, "holds binary data, not JSON text", size=len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FileProblem(
            path,
            Problem.BINARY,
            f"is not UTF-8 text (bad byte at offset {exc.start})",
            size=len(raw),
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return FileProblem(
            path,
            Problem.INVALID_JSON,
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            line=exc.lineno,
            column=exc.colno,
            size=len(raw),
        )
    except RecursionError:
        return FileProblem(path, Problem.INVALID_JSON, "is nested too deeply to read")
    if not isinstance(data, dict):
        return FileProblem(
            path,
            Problem.NOT_AN_OBJECT,
            f"holds a JSON {type(data).__name__}, but an object {{...}} is expected",
            size=len(raw),
        )
    return JsonFile(path, data, len(raw), stat.S_IMODE(mode))


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"  # pragma: no cover


@dataclass(frozen=True)
class SettingsLocation:
    """One file of Claude Code's settings hierarchy, highest precedence first."""

    scope: str  # managed | managed.d | project_local | project | user
    path: Path


def managed_settings_dir(settings: Settings) -> Path:
    """Where this OS keeps managed (enterprise) settings (FACTS §3.4)."""
    override = settings.environ.get("CLAUDE_DOCTOR_MANAGED_SETTINGS_DIR", "").strip()
    if override:
        return Path(override)
    if settings.platform == "darwin":
        return Path("/Library/Application Support/ClaudeCode")
    if settings.platform.startswith("win"):
        return Path(settings.environ.get("ProgramFiles", r"C:\Program Files")) / "ClaudeCode"
    return Path("/etc/claude-code")


def settings_locations(settings: Settings) -> list[SettingsLocation]:
    """Every settings file Claude Code would read, highest precedence first."""
    managed = managed_settings_dir(settings)
    found = [SettingsLocation("managed", managed / "managed-settings.json")]
    drop_in = managed / "managed-settings.d"
    try:
        extra = sorted(p for p in drop_in.iterdir() if p.suffix == ".json")
    except OSError:
        extra = []
    found += [SettingsLocation("managed.d", p) for p in extra]
    project = settings.cwd / ".claude"
    found += [
        SettingsLocation("project_local", project / "settings.local.json"),
        SettingsLocation("project", project / "settings.json"),
        SettingsLocation("user", settings.claude_config_dir / "settings.json"),
    ]
    return found
