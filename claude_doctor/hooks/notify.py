"""A desktop notification with the verdict's one line when the hook recorded a failure
(``hook install --notify``): ``notify-send`` on Linux, ``osascript`` on macOS, nothing where
neither exists; at most one per session every :data:`QUIET_SECONDS`."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

from claude_doctor.redact import Redactor
from claude_doctor.report import Report
from claude_doctor.settings import Settings

#: One notification per session within this many seconds.
QUIET_SECONDS = 300.0
TITLE = "claude-doctor: Claude Code failed"
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")


def command_for(settings: Settings, title: str, text: str) -> list[str] | None:
    """The notifier's command line on this system, or None where there is none."""
    path = settings.environ.get("PATH")
    if settings.platform == "darwin":
        osascript = shutil.which("osascript", path=path)
        if osascript is None:
            return None
        script = f"display notification {json.dumps(text)} with title {json.dumps(title)}"
        return [osascript, "-e", script]
    notify_send = shutil.which("notify-send", path=path)
    return [notify_send, "--app-name=claude-doctor", title, text] if notify_send else None


def _quiet_path(settings: Settings, session_id: str) -> Path:
    name = _SAFE_ID.sub("_", session_id)[:100]
    return settings.doctor_home / "hooks" / f"notified-{name}"


def due(settings: Settings, session_id: str, now: float) -> bool:
    """Whether this session may be told now; marks it told when so."""
    path = _quiet_path(settings, session_id)
    try:
        last = float(path.read_text(encoding="utf-8").strip() or 0)
    except (OSError, ValueError):
        last = 0.0
    if 0 <= now - last < QUIET_SECONDS:
        return False
    with contextlib.suppress(OSError):
        path.write_text(f"{now}\n", encoding="utf-8")
    return True


def tell(settings: Settings, session_id: str, report: Report, now: float | None = None) -> bool:
    """Show the verdict's one line (redacted); True when a notifier was run."""
    if not due(settings, session_id, time.time() if now is None else now):
        return False
    text = Redactor.for_run(settings).text(report.verdict.summary)[:300]
    argv = command_for(settings, TITLE, text)
    if argv is None:
        return False
    try:
        subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=5,
            check=False,
            env=dict(settings.environ),
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True
