"""One run, start to end: settings -> context -> checks -> decide -> report.

The CLI and the guided flow both come through here, so ``check`` and the guided run can
never disagree about a verdict.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claude_doctor.context import Context
from claude_doctor.decide import decide
from claude_doctor.engine import Check, RunResult, run_checks
from claude_doctor.model import Answers, ErrorSignal
from claude_doctor.net import Network
from claude_doctor.redact import Redactor, SecretSet, secrets_from_environ
from claude_doctor.report import Report, build_report
from claude_doctor.settings import Settings


@dataclass
class RunInput:
    settings: Settings
    checks: Sequence[Check]
    signal: ErrorSignal | None = None
    answers: Answers | None = None
    consent: bool = False


def redactor_for(settings: Settings, extra_secrets: Iterable[str] = ()) -> Redactor:
    """A redactor that knows every secret value in play: the environment's, and any the
    checks found (``ctx.secrets``)."""
    return Redactor([*secrets_from_environ(settings.environ), *extra_secrets])


def make_context(run: RunInput) -> Context:
    return Context(
        settings=run.settings,
        network=Network(run.settings),
        signal=run.signal,
        answers=run.answers or Answers(),
        consent=run.consent,
        secrets=SecretSet(),
    )


def conclude(ctx: Context, result: RunResult) -> Report:
    """Findings -> verdict -> the redacted report."""
    verdict = decide(result.findings, ctx.signal, ctx.answers)
    return build_report(
        findings=result.findings,
        verdict=verdict,
        redactor=redactor_for(ctx.settings, ctx.secrets),
        checks=result.runs,
        signal=ctx.signal,
        answers=ctx.answers if ctx.answers != Answers() else None,
        duration_ms=result.duration_ms,
    )


async def execute(run: RunInput) -> tuple[Report, RunResult]:
    """Run the checks and build the (redacted) report."""
    ctx = make_context(run)
    try:
        result = await run_checks(run.checks, ctx)
    finally:
        await close_network(ctx)
    return conclude(ctx, result), result


async def close_network(ctx: Context) -> None:
    """Close the run's connections; a stuck close must not hold the exit."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(2):
            await ctx.network.aclose()
