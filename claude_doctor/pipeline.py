"""The one way to a redacted report: settings -> context -> work -> decide -> report.

Every command that shows what it found comes through here, so no two of them can disagree
about a verdict or forget a secret:

- ``check`` and the guided run: :func:`execute` (or :func:`make_context` and
  :func:`conclude` when the guided run starts the checks itself);
- ``verify`` and the guided run's verify offer: :func:`verify_report`;
- ``payload`` and the guided run's minimal reproduction: :func:`payload_report`;
- ``status`` and the guided run's watch: :func:`read_status`.

Each run's redactor is :meth:`~claude_doctor.redact.Redactor.for_run` over the environment
and the secrets the run discovered (``ctx.secrets``). The heavy parts of a branch (verify,
the payload validator, the status page) are imported only by the function that needs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from claude_doctor.context import Context
from claude_doctor.decide import decide
from claude_doctor.engine import Check, CheckRunner, RunResult
from claude_doctor.model import (
    Answers,
    Branch,
    CheckOutcome,
    CheckRun,
    ErrorSignal,
    Finding,
    Surface,
    Verdict,
)
from claude_doctor.net import Network
from claude_doctor.redact import Redactor, SecretSet
from claude_doctor.report import Report, build_report
from claude_doctor.settings import Settings

if TYPE_CHECKING:
    from claude_doctor.checks.route.verify import Attempt, Outcome, Sleep
    from claude_doctor.checks.status.watch import Poll


@dataclass
class RunInput:
    settings: Settings
    checks: Sequence[Check]
    signal: ErrorSignal | None = None
    answers: Answers | None = None
    consent: bool = False


def effective_answers(answers: Answers | None, signal: ErrorSignal | None) -> Answers:
    """The answers a run goes by, with the surface it is about: what the user said
    (``--surface`` or the guided question), else where the error text came from, else
    unknown (``None``)."""
    answers = answers or Answers()
    if answers.surface is None and signal is not None and signal.surface is not Surface.UNKNOWN:
        return replace(answers, surface=signal.surface)
    return answers


def make_context(run: RunInput) -> Context:
    """The run's Context, with its own network, an empty secret set and the answers the
    checks go by (:func:`effective_answers`)."""
    return Context(
        settings=run.settings,
        network=Network(run.settings),
        signal=run.signal,
        answers=effective_answers(run.answers, run.signal),
        consent=run.consent,
        secrets=SecretSet(),
    )


def _report(
    findings: list[Finding],
    redactor: Redactor,
    *,
    runs: Iterable[CheckRun] = (),
    signal: ErrorSignal | None = None,
    answers: Answers | None = None,
    duration_ms: int = 0,
    adjust: Callable[[Verdict], Verdict] | None = None,
) -> Report:
    """Findings -> verdict (``adjust``-ed for the command) -> the report, every string
    through ``redactor``."""
    verdict = decide(findings, signal, answers)
    return build_report(
        findings=findings,
        verdict=adjust(verdict) if adjust is not None else verdict,
        redactor=redactor,
        checks=list(runs),
        signal=signal,
        answers=answers if answers is not None and answers != Answers() else None,
        duration_ms=duration_ms,
    )


def conclude(ctx: Context, result: RunResult, *, interrupted: bool = False) -> Report:
    """The checks' findings -> the redacted report of the run. A payload verdict about the
    request body the guided run was given names that file in its commands; ``interrupted``:
    the run was stopped and only the checks that finished count."""
    from claude_doctor.checks.payload.findings import verdict_for_file

    body = ctx.answers.payload_path

    def adjust(verdict: Verdict) -> Verdict:
        if body and verdict.branch is Branch.PAYLOAD:
            return verdict_for_file(verdict, body, None)
        return verdict

    report = _report(
        result.findings,
        Redactor.for_run(ctx.settings, ctx.secrets),
        runs=result.runs,
        signal=ctx.signal,
        answers=ctx.answers,
        duration_ms=result.duration_ms,
        adjust=adjust,
    )
    return replace(report, interrupted=True) if interrupted else report


def signal_report(settings: Settings, signal: ErrorSignal) -> Report:
    """The report of a run whose checks could not run at all: the signal's verdict alone
    (the StopFailure recorder's answer when its own run failed)."""
    return _report([], Redactor.for_run(settings), signal=signal)


async def execute(run: RunInput) -> tuple[Report, RunResult]:
    """Run the checks and build the (redacted) report. Cancelled (a signal), it stops the
    checks still running and reports what finished, marked interrupted."""
    ctx = make_context(run)
    runner = CheckRunner(ctx)
    deadline = ctx.settings.timeout
    interrupted = False
    try:
        for check in run.checks:
            runner.start(check, budget=deadline)
        result = await runner.finish(deadline)
    except asyncio.CancelledError:
        interrupted = True
        result = await runner.stop()
    finally:
        await close_network(ctx.network)
    return conclude(ctx, result, interrupted=interrupted), result


async def close_network(network: Network) -> None:
    """Close a run's connections; a stuck close must not hold the exit."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(2):
            await network.aclose()


@contextlib.asynccontextmanager
async def open_network(settings: Settings) -> AsyncIterator[Network]:
    """The network parts of a run that has no checks (the status page), closed at the end."""
    network = Network(settings)
    try:
        yield network
    finally:
        await close_network(network)


async def verify_report(
    settings: Settings,
    *,
    sleep: Sleep | None = None,
    now: Callable[[], datetime] | None = None,
    clock: Callable[[], float] | None = None,
    since: float | None = None,
    on_line: Callable[[str], None] = lambda line: None,
) -> tuple[Report, Outcome | None]:
    """``verify`` (the caller has the user's consent): one request on the detected route
    within ``settings.timeout`` of ``since`` (default: now), each attempt told through
    ``on_line`` (redacted), and the report of its one finding."""
    from claude_doctor.checks.route.verify import format_attempt, verify_route

    ctx = make_context(RunInput(settings=settings, checks=(), consent=True))
    if now is not None:
        ctx.now = now
    started = ctx.now()

    def attempt_line(attempt: Attempt) -> None:
        on_line(Redactor.for_run(settings, ctx.secrets).text(format_attempt(attempt)))

    try:
        finding, outcome = await verify_route(
            ctx, sleep=sleep, clock=clock, since=since, on_attempt=attempt_line
        )
    finally:
        await close_network(ctx.network)
    elapsed = max(int((ctx.now() - started).total_seconds() * 1000), 0)
    report = _report([finding], Redactor.for_run(settings, ctx.secrets), duration_ms=elapsed)
    return report, outcome


@dataclass(frozen=True)
class PayloadOutcome:
    report: Report
    #: What writing the minimal reproduction said (empty when none was asked for).
    minimal_lines: list[str]
    #: The input was over the size limit, so nothing could be validated or reduced.
    too_large: bool


def payload_report(
    source: Path | BinaryIO,
    settings: Settings,
    *,
    model: str | None = None,
    minimal: Path | None = None,
    force: bool = False,
) -> PayloadOutcome:
    """``payload`` and the guided run's reproduction: read the request (a file, or a stream
    such as stdin), validate it, build its redacted report and, with ``minimal``, write the
    reduced request through the same redactor (never over a file unless ``force``).

    Raises ``PayloadInputError`` when ``source`` cannot be read and ``MinimalWriteError``
    when ``minimal`` cannot be written.
    """
    from claude_doctor.checks.payload.findings import verdict_for_file
    from claude_doctor.checks.payload.minimal import write_minimal
    from claude_doctor.checks.payload.validate import read_and_validate, report_findings

    started = time.monotonic()
    result = read_and_validate(source, model=model, base_dir=settings.cwd)
    # A curl command's credential headers: masked wherever they recur.
    redactor = Redactor.for_run(settings, result.body.secrets if result.body else ())
    elapsed = int((time.monotonic() - started) * 1000)
    report = _report(
        report_findings(result),
        redactor,
        runs=[CheckRun("payload", Branch.PAYLOAD, CheckOutcome.DONE, elapsed)],
        duration_ms=elapsed,
        adjust=lambda v: verdict_for_file(
            v,
            str(source) if isinstance(source, Path) else None,
            str(minimal) if minimal is not None else None,
        ),
    )
    lines: list[str] = []
    if minimal is not None:
        lines = write_minimal(result, minimal, force=force, model=model, redactor=redactor)
    return PayloadOutcome(report, lines, not result.read)


@dataclass(frozen=True)
class StatusReading:
    poll: Poll
    #: What the user relies on is operational.
    fine: bool
    #: The redactor for everything shown about this reading.
    redactor: Redactor


async def read_status(
    settings: Settings,
    *,
    surfaces: Sequence[Surface],
    at: datetime | None,
    watch_until_fine: bool,
    interval: float,
    max_wait: float,
    emit: Callable[[str], None],
) -> StatusReading:
    """``status`` and the guided watch: one reading of the page or, with
    ``watch_until_fine``, readings until the user's components are operational or
    ``max_wait`` passes. Every line the watch emits is redacted."""
    from claude_doctor.checks.status.watch import poll, watch

    redactor = Redactor.for_run(settings)

    def redacted(line: str) -> None:
        emit(redactor.text(line))

    async with open_network(settings) as network:
        if watch_until_fine:
            result, fine = await watch(
                network,
                settings,
                surfaces=surfaces,
                at=at,
                interval=interval,
                max_wait=max_wait,
                emit=redacted,
            )
        else:
            result = await poll(
                network, settings, surfaces=surfaces, at=at, now=lambda: datetime.now(UTC)
            )
            fine = result.assessment.ok_for_you
    return StatusReading(result, fine, redactor)
