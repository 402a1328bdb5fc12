"""Run checks concurrently: a timeout per check, one deadline for the run.

A check is an async function ``(Context) -> list[Finding]``. It never prints and never
prompts. Whatever happens inside it (an exception, a hang, a deadline) becomes a
:class:`~claude_doctor.model.Finding` and a :class:`~claude_doctor.model.CheckRun`, never a
traceback.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace

from claude_doctor.context import Context
from claude_doctor.model import (
    Branch,
    CheckOutcome,
    CheckRun,
    Finding,
    FindingMaker,
    Question,
    Severity,
)

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
    #: The guided run's questions whose answers this check reads: it starts once they are
    #: given or skipped.
    needs: frozenset[Question] = frozenset()


@dataclass
class RunResult:
    findings: list[Finding]
    runs: list[CheckRun]
    duration_ms: int


def _engine(check: Check) -> FindingMaker:
    """The findings the engine writes about ``check``: ``engine.<check>.<outcome>``."""
    return FindingMaker(check.branch, f"engine.{check.name}", {"check": check.name})


def _timeout_finding(check: Check, seconds: float, deadline: bool) -> Finding:
    why = "the run's deadline" if deadline else "its own time limit"
    return _engine(check)(
        "timed_out",
        Severity.ERROR,
        f"{check.name} check timed out",
        f"The {check.name} check was still waiting for {check.waiting_for} "
        f"after {seconds:.1f} s and was stopped by {why}.",
        ("claude-doctor check --timeout 30",),
        outcome="timed_out",
        seconds=round(seconds, 2),
    )


def _stopped_finding(check: Check, seconds: float) -> Finding:
    return _engine(check)(
        "stopped",
        Severity.ERROR,
        f"{check.name} check stopped before it finished",
        f"The run was interrupted after {seconds:.1f} s while the {check.name} check was "
        f"still waiting for {check.waiting_for}.",
        ("claude-doctor check",),
        outcome="skipped",
        seconds=round(seconds, 2),
    )


def _crash_finding(check: Check, exc: BaseException) -> Finding:
    kind = type(exc).__name__
    return _engine(check)(
        "crashed",
        Severity.ERROR,
        f"{check.name} check crashed ({kind})",
        f"The {check.name} check stopped with {kind}: {exc}. The other checks still ran; "
        "this is a bug in claude-doctor, please report it with the JSON report.",
        outcome="crashed",
        exception=kind,
    )


class CheckRunner:
    """Starts checks as they become ready and collects what each one found.

    The guided run starts a check as soon as the answers it ``needs`` are in, while the
    questions go on; ``check`` starts them all at once (:func:`run_checks`). Each check gets
    a copy of the Context as it is when the check starts, so the answers and the signal it
    reads stay put while the run goes on; everything else in it is shared.
    """

    def __init__(self, ctx: Context, order: Iterable[Check] = ()) -> None:
        self.ctx = ctx
        #: The order findings are reported in (the registry's), whatever order the checks
        #: start in; checks not named here follow in the order they started.
        self._rank = {c.name: i for i, c in enumerate(order)}
        self.started = time.monotonic()
        self._order: list[Check] = []
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._findings: dict[str, list[Finding]] = {}
        self._runs: dict[str, CheckRun] = {}
        self._stopped = False

    def start(self, check: Check, *, budget: float | None = None) -> None:
        """Run ``check`` in the background, cut at its own timeout (or ``budget``)."""
        if check.name in self._tasks:
            return
        self._order.append(check)
        limit = min(check.timeout, budget if budget is not None else self.ctx.settings.timeout)
        self._tasks[check.name] = asyncio.create_task(
            self._run_one(check, replace(self.ctx), limit), name=f"check:{check.name}"
        )

    async def _run_one(self, check: Check, ctx: Context, budget: float) -> None:
        began = time.monotonic()
        outcome = CheckOutcome.DONE
        try:
            async with asyncio.timeout(budget):
                result = await check.func(ctx)
            self._findings[check.name] = list(result)
        except TimeoutError:
            outcome = CheckOutcome.TIMED_OUT
            elapsed = time.monotonic() - began
            self._findings[check.name] = [_timeout_finding(check, elapsed, False)]
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a check's bug must not end the run
            outcome = CheckOutcome.CRASHED
            self._findings[check.name] = [_crash_finding(check, exc)]
        self._runs[check.name] = CheckRun(
            check.name, check.branch, outcome, int((time.monotonic() - began) * 1000)
        )

    async def finish(self, deadline: float | None = None) -> RunResult:
        """Wait for every started check, at most ``deadline`` seconds more; checks still
        running then are cancelled and reported as timed out. Finished results are kept."""
        deadline = self.ctx.settings.timeout if deadline is None else deadline
        pending: set[asyncio.Task[None]] = {t for t in self._tasks.values() if not t.done()}
        if pending:
            _done, pending = await asyncio.wait(pending, timeout=max(deadline, 0))
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        return self.result()

    def not_reached(self, checks: Iterable[Check]) -> None:
        """``checks`` will not start (the user stopped the run first): reported as skipped,
        marked as never started."""
        for check in checks:
            if check.name not in self._tasks and check.name not in self._runs:
                self._order.append(check)
                self._runs[check.name] = CheckRun(
                    check.name, check.branch, CheckOutcome.SKIPPED, 0, started=False
                )

    async def stop(self) -> RunResult:
        """Stop every check still running (the user interrupted): finished results are kept,
        the others are reported as skipped, each with a finding that it did not finish."""
        self._stopped = True
        running = [t for t in self._tasks.values() if not t.done()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        return self.result()

    def result(self) -> RunResult:
        elapsed = time.monotonic() - self.started
        for check in self._order:
            if check.name not in self._runs and self._stopped:
                self._findings[check.name] = [_stopped_finding(check, elapsed)]
                self._runs[check.name] = CheckRun(
                    check.name, check.branch, CheckOutcome.SKIPPED, int(elapsed * 1000)
                )
            elif check.name not in self._runs:
                self._findings[check.name] = [_timeout_finding(check, elapsed, True)]
                self._runs[check.name] = CheckRun(
                    check.name, check.branch, CheckOutcome.TIMED_OUT, int(elapsed * 1000)
                )
        ordered = sorted(self._order, key=lambda c: self._rank.get(c.name, len(self._rank)))
        findings = [f for check in ordered for f in self._findings.get(check.name, [])]
        runs = [self._runs[c.name] for c in ordered]
        return RunResult(findings, runs, int(elapsed * 1000))


async def run_checks(
    checks: Iterable[Check], ctx: Context, *, deadline: float | None = None
) -> RunResult:
    """Run ``checks`` at once. Each is cut at its own timeout; everything is cut at
    ``deadline`` seconds (default: the settings' timeout). Finished results are kept."""
    deadline = ctx.settings.timeout if deadline is None else deadline
    runner = CheckRunner(ctx)
    for check in checks:
        runner.start(check, budget=deadline)
    return await runner.finish(deadline)
