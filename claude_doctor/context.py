"""The checks' toolbox: the run's :class:`Context` and the helpers every check may use.

A check gets everything from the Context (settings, network, the clock, the answers) and
never reads the environment or a global itself. It returns findings only: a secret value it
discovers goes into ``ctx.secrets``, the run's set, which the run's redactor masks wherever
the value recurs. Blocking work goes through :func:`in_thread`, external commands through
:func:`run_command`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from claude_doctor.model import Answers, ErrorSignal, Finding, Severity
from claude_doctor.redact import SecretSet
from claude_doctor.settings import Settings

if TYPE_CHECKING:
    from claude_doctor.net import Network

T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    """Everything a check may use. Tests build their own instead of patching globals."""

    settings: Settings
    network: Network
    signal: ErrorSignal | None = None
    answers: Answers = field(default_factory=Answers)
    #: The wall clock (UTC, aware). Replaced by tests.
    now: Callable[[], datetime] = _utc_now
    #: The user agreed to run things that have side effects (``apiKeyHelper``, verify).
    consent: bool = False
    #: Secret values the checks discovered; never in a finding, always in the redactor.
    secrets: SecretSet = field(default_factory=SecretSet)


async def in_thread(func: Callable[[], T]) -> T:
    """Run blocking ``func`` (file reads, ``stat`` on a network mount) off the event loop.

    A daemon thread rather than the default executor: a thread stuck on a hung file system
    must neither block the deadline nor keep the process alive at exit.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(setter: Callable[..., object], value: object) -> None:
        if not future.done():
            setter(value)

    def work() -> None:
        try:
            outcome: tuple[Callable[..., object], object] = (future.set_result, func())
        except BaseException as exc:
            outcome = (future.set_exception, exc)
        # RuntimeError: the run ended (its loop closed) before the thread did.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=work, name="claude-doctor-io", daemon=True).start()
    return await future


def for_context_only(findings: list[Finding], why: str) -> list[Finding]:
    """Findings that do not bear on the user's problem (Claude Code's login when they use
    claude.ai, say): kept for the report, but as information that cannot steer the verdict."""
    out: list[Finding] = []
    for f in findings:
        if f.severity.is_problem:
            f = replace(f, severity=Severity.INFO, detail=f"{f.detail} ({why})".lstrip())
        out.append(f)
    return out


async def run_command(
    ctx: Context, argv: list[str], *, timeout: float, max_bytes: int = 64 * 1024
) -> tuple[int | None, bytes, bytes]:
    """Run ``argv`` with the user's environment, no stdin, a hard timeout and bounded output.

    The child gets its own process group, and a timeout kills the whole group: a shell
    script's own children (a ``sleep``) would otherwise hold the pipes open and keep us
    waiting. Returns (exit code or None when it timed out, stdout, stderr), each output cut
    at ``max_bytes``.
    """
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(ctx.settings.environ),
        cwd=str(ctx.settings.cwd) if ctx.settings.cwd.is_dir() else None,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        async with asyncio.timeout(timeout):
            out, err = await asyncio.gather(
                _bounded(proc.stdout, max_bytes), _bounded(proc.stderr, max_bytes)
            )
            code = await proc.wait()
    except TimeoutError:
        return None, b"", b""
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
    return code, out, err


async def _bounded(stream: asyncio.StreamReader, max_bytes: int) -> bytes:
    """The first ``max_bytes`` of ``stream`` to its end; the rest is read and dropped, so a
    child that writes a lot never blocks on a full pipe."""
    kept = bytearray()
    while chunk := await stream.read(64 * 1024):
        if len(kept) < max_bytes:
            kept += chunk[: max_bytes - len(kept)]
    return bytes(kept)


def which(ctx: Context, name: str) -> str | None:
    """``name`` on the user's PATH (the settings' environment, not this process's)."""
    return shutil.which(name, path=ctx.settings.environ.get("PATH", ""))
