"""Run checks concurrently: a timeout per check, one deadline for the run.

A check is an async function ``(Context) -> list[Finding]``. It never prints and never
prompts. Whatever happens inside it (an exception, a hang, a deadline) becomes a
:class:`~claude_doctor.model.Finding` and a :class:`~claude_doctor.model.CheckRun`, never a
traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from claude_doctor.model import (
    Answers,
    Branch,
    CheckOutcome,
    CheckRun,
    ErrorSignal,
    Finding,
    Severity,
)
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


CheckFunc = Callable[[Context], Awaitable[list[Finding]]]


@dataclass(frozen=True)
class Check:
    """A named check of one group (what ``--only`` selects) and its own time budget."""

    name: str
    group: str
    branch: Branch
    func: CheckFunc
    #: Seconds this check may take; the run's deadline still caps it.
    timeout: float
    #: What the check waits on, for the "timed out" finding ("the status page", ...).
    waiting_for: str


@dataclass
class RunResult:
    findings: list[Finding]
    runs: list[CheckRun]
    duration_ms: int


def _timeout_finding(check: Check, seconds: float, deadline: bool) -> Finding:
    why = "the run's deadline" if deadline else "its own time limit"
    return Finding(
        id=f"engine.{check.name}.timed_out",
        branch=check.branch,
        severity=Severity.ERROR,
        title=f"{check.name} check timed out",
        detail=(
            f"The {check.name} check was still waiting for {check.waiting_for} "
            f"after {seconds:.1f} s and was stopped by {why}."
        ),
        next_steps=("claude-doctor check --timeout 30",),
        evidence={"check": check.name, "outcome": "timed_out", "seconds": round(seconds, 2)},
    )


def _crash_finding(check: Check, exc: BaseException) -> Finding:
    kind = type(exc).__name__
    return Finding(
        id=f"engine.{check.name}.crashed",
        branch=check.branch,
        severity=Severity.ERROR,
        title=f"{check.name} check crashed ({kind})",
        detail=(
            f"The {check.name} check stopped with {kind}: {exc}. The other checks still ran; "
            "this is a bug in claude-doctor, please report it with the JSON report."
        ),
        evidence={"check": check.name, "outcome": "crashed", "exception": kind},
    )


async def run_checks(
    checks: Iterable[Check], ctx: Context, *, deadline: float | None = None
) -> RunResult:
    """Run ``checks`` at once. Each is cut at its own timeout; everything is cut at
    ``deadline`` seconds (default: the settings' timeout). Finished results are kept."""
    checks = list(checks)
    deadline = ctx.settings.timeout if deadline is None else deadline
    started = time.monotonic()
    findings: dict[str, list[Finding]] = {}
    runs: dict[str, CheckRun] = {}

    async def run_one(check: Check) -> None:
        began = time.monotonic()
        budget = min(check.timeout, deadline)
        outcome = CheckOutcome.DONE
        try:
            async with asyncio.timeout(budget):
                result = await check.func(ctx)
            findings[check.name] = list(result)
        except TimeoutError:
            outcome = CheckOutcome.TIMED_OUT
            findings[check.name] = [_timeout_finding(check, time.monotonic() - began, False)]
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a check's bug must not end the run
            outcome = CheckOutcome.CRASHED
            findings[check.name] = [_crash_finding(check, exc)]
        runs[check.name] = CheckRun(
            check.name, check.branch, outcome, int((time.monotonic() - began) * 1000)
        )

    tasks = [asyncio.create_task(run_one(check), name=check.name) for check in checks]
    if tasks:
        _done, pending = await asyncio.wait(tasks, timeout=deadline)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    elapsed = time.monotonic() - started
    for check in checks:
        if check.name not in runs:
            findings[check.name] = [_timeout_finding(check, elapsed, True)]
            runs[check.name] = CheckRun(
                check.name, check.branch, CheckOutcome.TIMED_OUT, int(elapsed * 1000)
            )
    ordered = [f for check in checks for f in findings.get(check.name, [])]
    return RunResult(ordered, [runs[c.name] for c in checks], int(elapsed * 1000))
