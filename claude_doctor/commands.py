"""What each command does once its options are parsed: settings, one use case, the view,
the exit code.

The CLI (:mod:`claude_doctor.cli`) only declares options and help and hands them here.
Imports of everything heavy (httpx, dnspython, rich, questionary) happen inside the
functions so that ``claude-doctor --help`` stays fast.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from claude_doctor.terminal import use_color

if TYPE_CHECKING:
    from claude_doctor.model import Surface
    from claude_doctor.render import OutputFormat
    from claude_doctor.report import Report
    from claude_doctor.settings import Settings


T = TypeVar("T")


class ExitCode(enum.IntEnum):
    """The documented exit codes (DESIGN.md), mapped in this one place."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    TOOL_FAILED = 3
    #: stdout could not be written (:data:`claude_doctor.runtime.OUTPUT_FAILED`).
    OUTPUT_FAILED = 74
    #: 128 + the signal: SIGHUP, SIGINT (Ctrl-C), SIGTERM.
    HUNG_UP = 129
    INTERRUPTED = 130
    TERMINATED = 143


class ReportFormat(enum.StrEnum):
    """What ``report --last --format`` prints."""

    JSON = "json"
    MARKDOWN = "markdown"
    CONSOLE = "console"


def fail(message: str, code: ExitCode) -> NoReturn:
    """Say what went wrong on stderr and end the command with ``code``."""
    sys.stderr.write(f"claude-doctor: {message}\n")
    raise typer.Exit(int(code))


def load_settings(**overrides: Any) -> Settings:
    """The run's settings; a bad knob (``CLAUDE_DOCTOR_TIMEOUT=abc``) is a usage error."""
    from claude_doctor import settings

    try:
        return settings.load_settings(**overrides)
    except settings.SettingsError as exc:
        fail(str(exc), ExitCode.USAGE)


def surface_option(text: str | None) -> Surface | None:
    """``--surface`` of ``check`` and the guided run: one word of ``SURFACE_WORDS``; any
    other is a usage error naming the choices."""
    from claude_doctor.checks.status.watch import StatusUsageError, parse_surface

    try:
        return parse_surface(text)
    except StatusUsageError as exc:
        fail(str(exc), ExitCode.USAGE)


def write_report(
    report: Report,
    settings: Settings,
    *,
    as_json: bool,
    verbose: bool = False,
    saved: Path | None = None,
) -> None:
    """Print a report: one JSON document, or the console view sized to the terminal."""
    import time

    from claude_doctor import STARTED
    from claude_doctor.render import OutputFormat

    fmt = OutputFormat.JSON if as_json else OutputFormat.CONSOLE
    elapsed = time.monotonic() - STARTED
    sys.stdout.write(
        for_stdout(report, settings, fmt, verbose=verbose, saved=saved, elapsed=elapsed)
    )
    sys.stdout.flush()


def for_stdout(
    report: Report,
    settings: Settings,
    fmt: OutputFormat,
    *,
    verbose: bool = False,
    saved: Path | None = None,
    elapsed: float | None = None,
) -> str:
    """``report`` in ``fmt`` as stdout shows it: the console view in colour only on a
    terminal, at its width (unwrapped in a pipe), the saved file and home paths as ``~``."""
    from claude_doctor.render import OutputFormat, render
    from claude_doctor.terminal import console_width, home_relative

    console = fmt is OutputFormat.CONSOLE
    return render(
        report,
        fmt,
        verbose=verbose,
        color=console and use_color(sys.stdout, dict(settings.environ)),
        width=console_width(sys.stdout, settings.environ),
        saved_to=home_relative(saved, settings.home) if saved and console else None,
        home=settings.home,
        elapsed=elapsed,
    )


def run(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's async work; SIGINT, SIGTERM and SIGHUP stop it (work that keeps
    what finished returns it, else :class:`~claude_doctor.runtime.Interrupted`)."""
    from claude_doctor import runtime

    return runtime.run(work)


def interrupted_exit(saved: Path | None) -> NoReturn:
    """One line for a run stopped by a signal, and its exit code (130, 143, 129)."""
    from claude_doctor import runtime

    signum = runtime.received() or 2
    where = f": {saved}" if saved is not None else " printed (not saved)"
    sys.stderr.write(
        f"claude-doctor: interrupted ({runtime.signal_name(signum)}); "
        f"the checks that finished are in the report{where}\n"
    )
    raise typer.Exit(128 + signum)


def save_report(report: Report, settings: Settings) -> Path | None:
    from claude_doctor.store import Store, StoreError

    try:
        return Store(settings.doctor_home).save(report)
    except StoreError as exc:
        sys.stderr.write(f"claude-doctor: warning: {exc}\n")
        return None


def verdict_exit(report: Report, *, strict: bool = False) -> ExitCode:
    """1 when the verdict names a branch or a check could not run (it crashed or timed
    out); with ``strict`` also when a branch was left open (a check could not read); else 0."""
    named = report.verdict.branch.value != "none"
    not_run = any(c.outcome.value in ("crashed", "timed_out") for c in report.checks)
    findings = named or not_run or (strict and bool(report.verdict.open))
    return ExitCode.FINDINGS if findings else ExitCode.OK


def run_check(
    *,
    as_json: bool,
    no_input: bool,
    only: str | None,
    timeout: float | None,
    verbose: bool,
    save: bool,
    error: str | None = None,
    run_helpers: bool = False,
    surface: str | None = None,
    strict: bool = False,
    from_hook: str | None = None,
) -> None:
    """``check``: run the checks, print the verdict, save the report, exit per the verdict.
    The run is about ``surface`` when given, else the surface the error text shows."""
    from claude_doctor.checks.registry import UnknownGroupError, select_checks
    from claude_doctor.hooks.recorded import run_signal
    from claude_doctor.model import Answers
    from claude_doctor.pipeline import RunInput, execute

    settings = load_settings(timeout=timeout, no_input=no_input or None)
    try:
        checks = select_checks(only.split(",") if only else None)
    except UnknownGroupError as exc:
        fail(str(exc), ExitCode.USAGE)
    given = surface_option(surface)

    try:
        signal = run_signal(settings, error, given, from_hook)
    except LookupError as exc:
        fail(str(exc), ExitCode.USAGE)

    async def go() -> Report:
        report, _result = await execute(
            RunInput(
                settings=settings,
                checks=checks,
                signal=signal,
                answers=Answers(surface=given),
                consent=run_helpers,
            )
        )
        return report

    show_spinner = not as_json and sys.stderr.isatty()
    if show_spinner:
        from rich.console import Console

        with Console(stderr=True).status("Checking…", spinner="dots"):
            report = run(go())
    else:
        report = run(go())
    report = replace(report, command="check")
    saved = save_report(report, settings) if save else None
    write_report(report, settings, as_json=as_json, verbose=verbose, saved=saved)
    if report.interrupted:
        interrupted_exit(saved)
    raise typer.Exit(int(verdict_exit(report, strict=strict)))


def is_interactive(settings: Settings) -> bool:
    """Prompt only with a person at a terminal: stdin and stderr are TTYs, not CI, and
    prompts were not switched off."""
    if settings.no_input or "CI" in settings.environ:
        return False
    return sys.stdin.isatty() and sys.stderr.isatty()


def ask_yes_no(question: str) -> bool:
    """Ask ``question`` on the terminal (drawn on stderr) the way the guided run asks: ``y``
    or ``n`` answers at once, Enter takes the default, No. Ctrl-C stops the command."""
    import questionary
    from prompt_toolkit.output import create_output

    asked = questionary.confirm(question, default=False, output=create_output(stdout=sys.stderr))
    return bool(asked.unsafe_ask())


def run_guided(
    settings: Settings,
    *,
    only: str | None,
    verbose: bool,
    surface: str | None = None,
    save: bool = True,
    error: str | None = None,
    run_helpers: bool = False,
    strict: bool = False,
) -> None:
    """The guided run: questions on stderr while the checks run, then the verdict. A
    ``surface`` or ``error`` given answers its question; the rest is as for ``check``."""
    from claude_doctor.checks.registry import UnknownGroupError, select_checks
    from claude_doctor.guided.interview import QuestionaryPrompter
    from claude_doctor.guided.run import guided_run, offer_next_action

    try:
        checks = select_checks(only.split(",") if only else None)
    except UnknownGroupError as exc:
        fail(str(exc), ExitCode.USAGE)
    given = surface_option(surface)
    prompter = QuestionaryPrompter()
    prompter.say(
        "claude-doctor: a few questions while the checks run (Enter takes the marked answer; "
        "every question can be skipped; Ctrl-C stops).\n"
    )

    def checking() -> None:
        sys.stderr.write("\nChecking…\n")

    outcome = run(
        guided_run(
            settings,
            checks,
            prompter,
            on_checking=checking,
            surface=given,
            error=error.strip() if error and error.strip() else None,
            consent=run_helpers,
        )
    )
    outcome.report = replace(outcome.report, command="guided")
    saved = save_report(outcome.report, settings) if save else None
    write_report(outcome.report, settings, as_json=False, verbose=verbose, saved=saved)
    try:
        run(offer_next_action(outcome, settings, prompter))
    except EOFError:  # the terminal closed at the offer: nothing more to do
        sys.stderr.write("\n")
    if outcome.interrupted:
        interrupted_exit(saved)
    raise typer.Exit(int(verdict_exit(outcome.report, strict=strict)))


def status(
    *,
    as_json: bool,
    watch: bool,
    at: str | None,
    surface: str | None,
    max_wait: float,
    interval: float,
    timeout: float | None,
) -> NoReturn:
    import json
    from datetime import UTC, datetime

    from claude_doctor.checks.status.assess import DEFAULT_SURFACES
    from claude_doctor.checks.status.watch import (
        RETRY_NOW,
        StatusUsageError,
        parse_at,
        parse_surfaces,
    )
    from claude_doctor.pipeline import read_status

    settings = load_settings(timeout=timeout)
    try:
        surfaces = parse_surfaces(surface) or DEFAULT_SURFACES
        moment = parse_at(at, datetime.now(UTC)) if at else None
    except StatusUsageError as exc:
        fail(str(exc), ExitCode.USAGE)
    if not (interval > 0 and max_wait >= 0):
        fail("--interval must be above 0 and --max-wait at least 0", ExitCode.USAGE)

    def emit(line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    reading = run(
        read_status(
            settings,
            surfaces=surfaces,
            at=moment,
            watch_until_fine=watch,
            interval=interval,
            max_wait=max_wait,
            emit=emit,
        )
    )
    if as_json:
        from claude_doctor.checks.status.watch import status_document

        document = status_document(reading.poll, reading.redactor)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        from claude_doctor.render.status import render_status
        from claude_doctor.terminal import console_width

        color = use_color(sys.stdout, dict(settings.environ))
        width = console_width(sys.stdout, settings.environ)
        sys.stdout.write(render_status(reading.poll, reading.redactor, color=color, width=width))
        if watch and reading.fine:
            sys.stdout.write(f"Operational again — {RETRY_NOW}.\n")
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.OK if reading.fine else ExitCode.FINDINGS))


def explain(*, text: str | None, file: Path | None, as_json: bool) -> NoReturn:
    from claude_doctor.explain import (
        ExplainInputError,
        explain_document,
        explain_input,
        stdin_dashes,
    )
    from claude_doctor.redact import Redactor
    from claude_doctor.render.explain import render_console, render_json

    settings = load_settings()
    text, file = stdin_dashes(text, file)
    if text is None and file is None and sys.stdin is not None and sys.stdin.isatty():
        sys.stderr.write("Paste the error, then press Ctrl-D (Ctrl-Z Enter on Windows).\n")
    try:
        signal, log = explain_input(text, file, sys.stdin.buffer if sys.stdin else None)
    except ExplainInputError as exc:
        fail(str(exc), ExitCode.USAGE)
    doc = explain_document(signal, log, Redactor.for_run(settings))
    sys.stdout.write(render_json(doc) if as_json else render_console(doc))
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.OK if signal.category.value == "other" else ExitCode.FINDINGS))


def payload(
    *,
    file: str,
    as_json: bool,
    minimal: Path | None,
    force: bool,
    model: str | None,
    verbose: bool,
) -> NoReturn:
    from claude_doctor.checks.payload.body import PayloadInputError
    from claude_doctor.checks.payload.minimal import MinimalWriteError
    from claude_doctor.pipeline import payload_report

    settings = load_settings()
    if minimal is not None and minimal.exists() and not force:
        fail(f"{minimal} exists; pass --force to replace it", ExitCode.USAGE)
    source = sys.stdin.buffer if file == "-" else Path(file)
    try:
        outcome = payload_report(source, settings, model=model, minimal=minimal, force=force)
    except (PayloadInputError, MinimalWriteError) as exc:
        fail(str(exc), ExitCode.USAGE)
    for line in outcome.minimal_lines:
        sys.stderr.write(line + "\n")
    report = outcome.report
    write_report(report, settings, as_json=as_json, verbose=verbose)
    raise typer.Exit(int(ExitCode.FINDINGS if report.has_problems else ExitCode.OK))


def sessions(*, as_json: bool, all_projects: bool, limit: int) -> NoReturn:
    import json

    from claude_doctor.checks.session.diagnose import sessions_view
    from claude_doctor.redact import Redactor
    from claude_doctor.render.sessions import render_sessions

    settings = load_settings()
    view = sessions_view(settings, all_projects=all_projects, limit=limit)
    # Transcripts hold the user's own text: everything shown goes through the redactor.
    redactor = Redactor.for_run(settings)
    doc = redactor.data(view.to_dict(str(settings.cwd)))
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_sessions(doc))
        if not view.listing.exists:
            sys.stderr.write(f"No transcripts: {view.listing.projects_dir} does not exist.\n")
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.FINDINGS if view.suspicious else ExitCode.OK))


def session_request(
    *, session_id: str, all_projects: bool, out: str | None, force: bool, as_json: bool
) -> NoReturn:
    """``sessions --request``: a session's failing request rebuilt, its summary and, with
    ``out``, its redacted body (``-``: stdout, the summary then on stderr)."""
    import json

    from claude_doctor.checks.session import request_out as ro
    from claude_doctor.redact import Redactor
    from claude_doctor.render.request import render_request

    settings = load_settings()
    if out == "-" and as_json:
        fail("--json and --out - both print on stdout; write the body to a file", ExitCode.USAGE)
    target = Path(out) if out not in (None, "-") else None
    if target is not None and (target.exists() or target.is_symlink()) and not force:
        asked = is_interactive(settings) and ask_yes_no(
            f"{target} exists. Replace it (the old one is kept as a .bak copy)?"
        )
        if not asked:
            fail(f"{target} exists; pass --force to replace it", ExitCode.USAGE)
        force = True
    try:
        file = ro.find_session(settings, session_id, all_projects=all_projects)
    except ro.SessionLookupError as exc:
        fail(str(exc), ExitCode.USAGE)
    check = ro.rebuild_and_check(file)
    if check.rebuilt.unreadable:
        fail(f"cannot read the transcript {file.path}", ExitCode.USAGE)
    if not check.rebuilt.has_records:
        fail(
            f"session {file.path.stem}: its transcript has no request records "
            "(api-request lines); older Claude Code versions do not write them",
            ExitCode.USAGE,
        )
    redactor = Redactor.for_run(settings)
    try:
        written, backup = ro.deliver(check, out, sys.stdout, redactor, replace=force)
    except ro.RequestWriteError as exc:
        fail(str(exc), ExitCode.USAGE)
    if backup is not None:
        sys.stderr.write(f"claude-doctor: the old {target} is kept as {backup}\n")
    doc = redactor.data(ro.request_document(check, file))
    doc["out"] = written
    view = sys.stderr if out == "-" else sys.stdout
    view.write(
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if as_json
        else render_request(doc, written=written)
    )
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.FINDINGS if ro.has_problems(check) else ExitCode.OK))
