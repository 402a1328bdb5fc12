"""The detached recorder behind the ``StopFailure`` hook: what the hook said, the failing
turn from the transcript (its structured error fields, request id and retries), then the
same pipeline and decide as ``check`` with that error as the signal, within a budget; the
report goes to the history tagged ``source: "stop_failure"`` with the session id.

A storm of failures in one session within :data:`STORM_SECONDS` makes one report with a
count. It never prompts and writes nothing but its own history; a failure of its own goes
into the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from claude_doctor.model import Answers, Branch, Category, ErrorSignal, Surface
from claude_doctor.redact import Redactor
from claude_doctor.report import Report, utc_timestamp
from claude_doctor.settings import Settings, SettingsError, load_settings
from claude_doctor.store import Store, StoreError

SOURCE = "stop_failure"
#: The recorder's whole budget, seconds (``CLAUDE_DOCTOR_HOOK_BUDGET``).
DEFAULT_BUDGET = 8.0
#: Failures of one session within this many seconds of its report are counted on it.
STORM_SECONDS = 60.0
#: The transcript's tail read for the failing turn.
TAIL_BYTES = 4 * 1024 * 1024
TEXT_LIMIT = 2000
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class HookInput:
    """What Claude Code gave the hook on stdin (FACTS §3.9a), strings bounded."""

    session_id: str
    transcript_path: str | None
    cwd: str | None
    error: str | None
    message: str


def _text(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def parse_input(data: bytes) -> HookInput | None:
    """The hook's JSON; None when it is not a JSON object."""
    try:
        raw = json.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    details = raw.get("error_details") if isinstance(raw.get("error_details"), dict) else {}
    message = (
        _text(raw.get("last_assistant_message"))
        or _text(raw.get("error_message"))
        or _text(details.get("message") if isinstance(details, dict) else None)
        or ""
    )
    error = _text(raw.get("error"), 100) or _text(raw.get("error_type"), 100)
    return HookInput(
        session_id=_text(raw.get("session_id"), 200) or "unknown",
        transcript_path=_text(raw.get("transcript_path"), 4096),
        cwd=_text(raw.get("cwd"), 4096),
        error=error,
        message=message,
    )


@dataclass(frozen=True)
class FailingTurn:
    """The transcript's last API error message and the retries before it."""

    text: str
    timestamp: str | None
    status: int | None
    request_id: str | None
    error: str | None
    api_error_type: str | None
    network: str | None
    retries: int
    signal: ErrorSignal | None


def failing_turn(path: Path) -> FailingTurn | None:
    """Read the transcript's tail for the failing turn; None when there is none."""
    from claude_doctor.checks.session.diagnose import classify_error
    from claude_doctor.checks.session.lines import parse_line, read_lines
    from claude_doctor.checks.session.parse import api_error
    from claude_doctor.checks.session.records import ApiError, ScanProblems

    problems = ScanProblems()
    errors: list[ApiError] = []
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            start = max(size - TAIL_BYTES, 0)
            for offset, line, _done in read_lines(handle, start, size, problems):
                entry = parse_line(line, problems)
                found = api_error(entry) if entry is not None else None
                if found is not None:
                    errors.append(replace(found, offset=offset))
    except OSError:
        return None
    messages = [i for i, e in enumerate(errors) if e.kind == "message"]
    if not messages:
        return None
    last = messages[-1]
    before = messages[-2] if len(messages) > 1 else -1
    error = errors[last]
    signal, _basis = classify_error(error, errors)
    return FailingTurn(
        text=error.text,
        timestamp=error.timestamp,
        status=error.status,
        request_id=error.request_id,
        error=error.error,
        api_error_type=error.api_error_type,
        network=error.network,
        retries=sum(1 for e in errors[before + 1 : last] if e.kind == "retry"),
        signal=signal,
    )


def signal_for(hook: HookInput, turn: FailingTurn | None, received: str) -> ErrorSignal:
    """The recorded error as the run's signal: the transcript's structured fields where
    they are, the hook's text where not, the failure's time always."""
    from claude_doctor.classify import classify

    signal = turn.signal if turn is not None else None
    if signal is None:
        text = hook.message or (turn.text if turn else "") or (hook.error or "")
        signal = classify(text, surface=Surface.CLAUDE_CODE) if text.strip() else None
    if signal is None:
        signal = ErrorSignal(Category.OTHER, Branch.NONE, hook.message)
    ids = list(signal.request_ids)
    if turn is not None and turn.request_id and turn.request_id not in ids:
        ids.append(turn.request_id)
    return replace(
        signal,
        request_ids=tuple(ids),
        http_status=signal.http_status if turn is None or turn.status is None else turn.status,
        occurred_at=(turn.timestamp if turn else None) or signal.occurred_at or received,
        surface=Surface.CLAUDE_CODE,
        message=signal.message or hook.message,
    )


def _budget(environ: dict[str, str]) -> float:
    try:
        value = float(environ.get("CLAUDE_DOCTOR_HOOK_BUDGET", "") or DEFAULT_BUDGET)
    except ValueError:
        return DEFAULT_BUDGET
    return min(max(value, 1.0), 60.0) if value == value else DEFAULT_BUDGET


def _settings(hook: HookInput) -> tuple[Settings, str | None]:
    """The run's settings, and what went wrong when a knob could not be used (the run
    then goes by the defaults, keeping where the history is)."""
    environ = dict(os.environ)
    cwd = Path(hook.cwd) if hook.cwd and Path(hook.cwd).is_dir() else None
    budget = _budget(environ)
    try:
        return load_settings(environ, timeout=budget, no_input=True, cwd=cwd), None
    except SettingsError as exc:
        plain = {
            k: v
            for k, v in environ.items()
            if not k.startswith("CLAUDE_DOCTOR_") or k == "CLAUDE_DOCTOR_HOME"
        }
        problem = f"a setting could not be used, the defaults were: {exc}"
        return load_settings(plain, timeout=budget, no_input=True, cwd=cwd), problem


# --- the history beside the reports: storms, the last firing ------------------------------


def hooks_dir(settings: Settings) -> Path:
    return settings.doctor_home / "hooks"


@contextlib.contextmanager
def locked(settings: Settings) -> Iterator[None]:
    """One recorder at a time in the part that decides whether a failure is a repeat."""
    directory = hooks_dir(settings)
    (directory / "inbox").mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except ImportError:
            pass
        yield
    finally:
        os.close(fd)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    tmp.replace(path)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes()[:65536])
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _storm_path(settings: Settings, session_id: str) -> Path:
    return hooks_dir(settings) / f"session-{_SAFE_ID.sub('_', session_id)[:100]}.json"


#: Inputs left in the inbox this long (a recorder that never started) are removed: they
#: hold the error's text.
INBOX_KEEP_SECONDS = 3600.0


def sweep_inbox(settings: Settings, now: float) -> None:
    with contextlib.suppress(OSError):
        for path in (hooks_dir(settings) / "inbox").iterdir():
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > INBOX_KEEP_SECONDS:
                    path.unlink()


def claim(settings: Settings, hook: HookInput, now: float) -> bool:
    """True when this failure gets its own report; False when it is counted on the
    session's report of the last :data:`STORM_SECONDS` (that report's count goes up)."""
    store = Store(settings.doctor_home)
    with locked(settings):
        sweep_inbox(settings, now)
        path = _storm_path(settings, hook.session_id)
        state = _read_json(path)
        _write_json(
            hooks_dir(settings) / "last.json",
            {"at": utc_timestamp(), "session_id": hook.session_id, "error": hook.error},
        )
        fresh = (
            state is not None
            and isinstance(state.get("first_at"), int | float)
            and now - state["first_at"] < STORM_SECONDS
        )
        if not fresh or state is None:
            _write_json(path, {"first_at": now, "count": 1, "report": None})
            return True
        state["count"] = int(state.get("count", 1)) + 1
        state["last_at"] = utc_timestamp()
        _write_json(path, state)
        if isinstance(state.get("report"), str):
            _count_on(store, Path(state["report"]), state)
        return False


def _count_on(store: Store, path: Path, state: dict[str, Any]) -> None:
    with contextlib.suppress(StoreError):
        report = store.load(path)
        hook = dict(report.hook or {})
        hook.update(count=state["count"], last_at=state.get("last_at"))
        store.rewrite(path, replace(report, hook=hook))


def save(settings: Settings, hook: HookInput, report: Report) -> Path | None:
    """Save the session's report with the count its storm reached meanwhile."""
    store = Store(settings.doctor_home)
    with locked(settings):
        path = _storm_path(settings, hook.session_id)
        state = _read_json(path) or {"first_at": time.time(), "count": 1}
        block = dict(report.hook or {})
        block["count"] = int(state.get("count", 1))
        if state.get("last_at"):
            block["last_at"] = state["last_at"]
        try:
            saved = store.save(replace(report, hook=block))
        except StoreError:
            return None
        state["report"] = str(saved)
        _write_json(path, state)
        return saved


# --- the run -----------------------------------------------------------------------------


def hook_block(hook: HookInput, turn: FailingTurn | None, received: str) -> dict[str, Any]:
    return {
        "session_id": hook.session_id,
        "transcript_path": hook.transcript_path,
        "cwd": hook.cwd,
        "error": hook.error,
        "message": hook.message,
        "failed_at": (turn.timestamp if turn else None) or received,
        "received_at": received,
        "request_id": turn.request_id if turn else None,
        "http_status": turn.status if turn else None,
        "api_error_type": turn.api_error_type if turn else None,
        "network_error": turn.network if turn else None,
        "retries": turn.retries if turn else None,
        "count": 1,
        "problem": None,
    }


def _checks(signal: ErrorSignal) -> list[Any]:
    """What ``check`` runs, the network probes only when the error was a network one."""
    from claude_doctor.checks.registry import select_checks

    network = signal.branch is Branch.NETWORK or signal.category.value.startswith("network")
    return [c for c in select_checks(None) if network or c.group != "network"]


async def _diagnose(settings: Settings, signal: ErrorSignal) -> Report:
    from claude_doctor.pipeline import RunInput, execute

    run = RunInput(
        settings=settings,
        checks=_checks(signal),
        signal=signal,
        answers=Answers(surface=Surface.CLAUDE_CODE),
    )
    async with asyncio.timeout(settings.timeout + 2):
        report, _result = await execute(run)
    return report


def record(data: bytes, *, notify: bool = False) -> Path | None:
    """Record one ``StopFailure``; the path of the report saved (None: counted on the
    session's report, or nothing usable came in)."""
    hook = parse_input(data)
    if hook is None:
        return None
    settings, problem = _settings(hook)
    received = utc_timestamp()
    if not claim(settings, hook, time.time()):
        return None
    turn = failing_turn(Path(hook.transcript_path)) if hook.transcript_path else None
    signal = signal_for(hook, turn, received)
    block = hook_block(hook, turn, received)
    block["problem"] = problem
    try:
        report = asyncio.run(_diagnose(settings, signal))
    except BaseException as exc:
        block["problem"] = f"the run failed: {type(exc).__name__}: {exc}"[:500]
        from claude_doctor.pipeline import signal_report

        report = signal_report(settings, signal)
    block = Redactor.for_run(settings).data(block)
    saved = save(settings, hook, replace(report, source=SOURCE, hook=block))
    if notify and saved is not None:
        with contextlib.suppress(Exception):
            from claude_doctor.hooks.notify import tell

            tell(settings, hook.session_id, report)
    return saved
