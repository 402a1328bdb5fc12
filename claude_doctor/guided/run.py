"""The guided run: questions in front, checks behind.

Checks that need no answers start at once; each other check starts the moment the answers
it ``needs`` are given or skipped, so by the last answer most of the work is done and the
verdict waits only for the slowest check still running. Each answer puts a new snapshot of
the answers in the run's Context; a check reads the one that was there when it started.
Ctrl-C at a question, or a signal (SIGINT, SIGTERM, SIGHUP) at any point, keeps what
already finished: the report is marked interrupted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from claude_doctor.engine import Check, CheckRunner, RunResult
from claude_doctor.guided.interview import Interview, Prompter
from claude_doctor.model import Answers, ErrorSignal, Question, Surface
from claude_doctor.pipeline import (
    RunInput,
    close_network,
    conclude,
    effective_answers,
    make_context,
)
from claude_doctor.report import Report
from claude_doctor.settings import Settings

Classifier = Callable[[str, Surface | None], ErrorSignal | None]


def default_classifier(text: str, surface: Surface | None) -> ErrorSignal | None:
    from claude_doctor.classify import classify

    return classify(text, surface=surface)


def recent_recorded(settings: Settings) -> tuple[str, ErrorSignal] | None:
    """The newest failure the StopFailure hook recorded in the last hours, as the offer's
    line and the signal it gives (with its time, so the incident then counts)."""
    from claude_doctor.hooks.recorded import recorded_failures, recorded_signal, summary_line

    for recorded in recorded_failures(settings):
        signal = recorded_signal(recorded)
        if signal is not None:
            return summary_line(recorded), signal
    return None


@dataclass
class GuidedOutcome:
    report: Report
    result: RunResult
    #: The user pressed Ctrl-C (or closed the input) at a question.
    interrupted: bool
    answers: Answers


async def guided_run(
    settings: Settings,
    checks: Sequence[Check],
    prompter: Prompter,
    *,
    classify: Classifier = default_classifier,
    on_checking: Callable[[], None] | None = None,
    surface: Surface | None = None,
    error: str | None = None,
    consent: bool = False,
    recorded: tuple[str, ErrorSignal] | None = None,
) -> GuidedOutcome:
    """Ask the questions while the checks run; return the report (and whether the user
    stopped early). A ``surface`` given beforehand answers the surface question; else the
    answer, else the pasted error's surface, is the one the checks and the verdict go by.
    An ``error`` given beforehand answers the paste question; ``consent`` lets the checks
    run the user's own helpers, as ``check --run-helpers`` does."""
    ctx = make_context(RunInput(settings=settings, checks=checks, consent=consent))
    runner = CheckRunner(ctx, checks)
    answered: set[Question] = set()
    waiting = list(checks)

    def release() -> None:
        for check in list(waiting):
            if check.needs <= answered:
                waiting.remove(check)
                runner.start(check)

    def on_answer(question: Question, answers: Answers) -> None:
        answered.add(question)
        if question is Question.ERROR_TEXT:
            ctx.signal = interview.signal
        ctx.answers = effective_answers(answers, ctx.signal)
        release()

    interview = Interview(
        prompter,
        on_answer=on_answer,
        classify=classify,
        surface=surface,
        error_text=error,
        recorded=recorded if recorded is not None else recent_recorded(settings),
    )
    release()
    interrupted = False
    try:
        try:
            await interview.run()
        except (KeyboardInterrupt, EOFError, asyncio.CancelledError):
            interrupted = True
            runner.not_reached(waiting)
            result = await runner.stop()
        else:
            answered.update(Question)
            release()
            if on_checking is not None:
                on_checking()
            try:
                result = await runner.finish(settings.timeout)
            except asyncio.CancelledError:  # a signal while the last checks ran
                interrupted = True
                result = await runner.stop()
    finally:
        await close_network(ctx.network)
    report = conclude(ctx, result, interrupted=interrupted)
    return GuidedOutcome(report, result, interrupted, ctx.answers)


async def offer_next_action(outcome: GuidedOutcome, settings: Settings, prompter: Prompter) -> None:
    """After the verdict: offer the one safe next action that fits, and do it on a yes."""
    from claude_doctor.guided.offer import offer_for, perform

    if outcome.interrupted:
        return
    answers = outcome.answers
    offer = offer_for(outcome.report, answers, settings.cwd)
    if offer is None:
        return
    if offer.question and not await prompter.confirm(offer.question, default=False):
        return
    await perform(offer, settings, answers, prompter.say)
