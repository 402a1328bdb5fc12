"""The command line: parse options, call the pipeline, pick a renderer, write. No logic.

Imports of everything heavy (httpx, dnspython, rich, questionary) happen inside the
commands so that ``claude-doctor --help`` stays fast.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from claude_doctor import __version__

if TYPE_CHECKING:
    from claude_doctor.report import Report
    from claude_doctor.settings import Settings


T = TypeVar("T")


class ExitCode(enum.IntEnum):
    """The documented exit codes (DESIGN.md), mapped in this one place."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    TOOL_FAILED = 3
    INTERRUPTED = 130


class ReportFormat(enum.StrEnum):
    JSON = "json"
    MARKDOWN = "markdown"
    CONSOLE = "console"


app = typer.Typer(
    name="claude-doctor",
    help=(
        "Find which branch a Claude error is in — an Anthropic incident, your login, a stale "
        "session, an unexpected auth route, the network, or your request — and the one "
        "first move. With no command: the guided run in a terminal, else the same as "
        "`check`."
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _fail(message: str, code: ExitCode) -> NoReturn:
    sys.stderr.write(f"claude-doctor: {message}\n")
    raise typer.Exit(int(code))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"claude-doctor {__version__}\n")
        raise typer.Exit(0)


def _use_color(stream: Any, environ: dict[str, str]) -> bool:
    if "NO_COLOR" in environ or environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _load_settings(**overrides: Any) -> Settings:
    from claude_doctor.settings import SettingsError, load_settings

    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        _fail(str(exc), ExitCode.USAGE)


def _write_report(
    report: Report,
    settings: Settings,
    *,
    as_json: bool,
    verbose: bool = False,
    saved: Path | None = None,
) -> None:
    """Print a report: one JSON document, or the console view sized to the terminal."""
    from claude_doctor.render import OutputFormat, render

    if as_json:
        sys.stdout.write(render(report, OutputFormat.JSON))
    else:
        color = _use_color(sys.stdout, dict(settings.environ))
        width = min(os.get_terminal_size(sys.stdout.fileno()).columns, 120) if color else 100
        sys.stdout.write(
            render(
                report,
                OutputFormat.CONSOLE,
                verbose=verbose,
                color=color,
                width=width,
                saved_to=saved,
            )
        )
    sys.stdout.flush()


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's async work; Ctrl-C ends the command with exit 130, no traceback."""
    import asyncio

    try:
        return asyncio.run(work)
    except KeyboardInterrupt:
        sys.stderr.write("\nclaude-doctor: interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _save(report: Report, settings: Settings) -> Path | None:
    from claude_doctor.store import Store, StoreError

    try:
        return Store(settings.doctor_home).save(report)
    except StoreError as exc:
        sys.stderr.write(f"claude-doctor: warning: {exc}\n")
        return None


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
) -> None:
    """``check``: run the checks, print the verdict, save the report, exit per contract."""
    from claude_doctor.checks.registry import UnknownGroupError, select_checks
    from claude_doctor.pipeline import RunInput, execute

    settings = _load_settings(timeout=timeout, no_input=no_input or None)
    try:
        checks = select_checks(only.split(",") if only else None)
    except UnknownGroupError as exc:
        _fail(str(exc), ExitCode.USAGE)

    signal = None
    if error and error.strip():
        from claude_doctor.classify import classify

        signal = classify(error)

    async def go() -> Report:
        report, _result = await execute(
            RunInput(settings=settings, checks=checks, signal=signal, consent=run_helpers)
        )
        return report

    show_spinner = not as_json and sys.stderr.isatty()
    if show_spinner:
        from rich.console import Console

        with Console(stderr=True).status("Checking…", spinner="dots"):
            report = _run(go())
    else:
        report = _run(go())
    saved = _save(report, settings) if save else None
    _write_report(report, settings, as_json=as_json, verbose=verbose, saved=saved)
    raise typer.Exit(int(ExitCode.FINDINGS if report.has_problems else ExitCode.OK))


JsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", help="Print one JSON report on stdout, nothing else.", envvar="CLAUDE_DOCTOR_JSON"
    ),
]
NoInputOpt = Annotated[
    bool,
    typer.Option(
        "--no-input",
        help="Never prompt (also CLAUDE_DOCTOR_NO_INPUT=1).",
        envvar="CLAUDE_DOCTOR_NO_INPUT",
    ),
]
OnlyOpt = Annotated[
    str | None,
    typer.Option(
        "--only",
        metavar="BRANCH,...",
        help="Run only these check groups or branches, e.g. status,network.",
        envvar="CLAUDE_DOCTOR_ONLY",
    ),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Deadline for the whole run [default: 10].",
        envvar="CLAUDE_DOCTOR_TIMEOUT",
    ),
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "-v",
        "--verbose",
        help="Show every finding with details and evidence.",
        envvar="CLAUDE_DOCTOR_VERBOSE",
    ),
]
SaveOpt = Annotated[
    bool,
    typer.Option(
        "--save/--no-save",
        help="Save the redacted report to the history (CLAUDE_DOCTOR_HOME).",
        envvar="CLAUDE_DOCTOR_SAVE",
    ),
]


def is_interactive(settings: Settings) -> bool:
    """Prompt only with a person at a terminal: stdin and stderr are TTYs, not CI, and
    prompts were not switched off."""
    if settings.no_input or "CI" in settings.environ:
        return False
    return sys.stdin.isatty() and sys.stderr.isatty()


def run_guided(settings: Settings, *, only: str | None, verbose: bool) -> None:
    """The guided run: questions on stderr while the checks run, then the verdict."""
    from claude_doctor.checks.registry import UnknownGroupError, select_checks
    from claude_doctor.guided.interview import QuestionaryPrompter
    from claude_doctor.guided.run import guided_run, offer_next_action

    try:
        checks = select_checks(only.split(",") if only else None)
    except UnknownGroupError as exc:
        _fail(str(exc), ExitCode.USAGE)
    sys.stderr.write(
        "claude-doctor: a few questions while the checks run (Enter keeps the default; "
        "every question can be skipped; Ctrl-C stops).\n\n"
    )

    def checking() -> None:
        sys.stderr.write("\nChecking…\n")

    prompter = QuestionaryPrompter()
    outcome = _run(guided_run(settings, checks, prompter, on_checking=checking))
    saved = _save(outcome.report, settings)
    _write_report(outcome.report, settings, as_json=False, verbose=verbose, saved=saved)
    try:
        _run(offer_next_action(outcome, settings, prompter))
    except EOFError:  # the terminal closed at the offer: nothing more to do
        sys.stderr.write("\n")
    if outcome.interrupted:
        sys.stderr.write("claude-doctor: interrupted; the checks that finished are in the report\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED))
    raise typer.Exit(int(ExitCode.FINDINGS if outcome.report.has_problems else ExitCode.OK))


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
    as_json: JsonOpt = False,
    no_input: NoInputOpt = False,
    only: OnlyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    settings = _load_settings(timeout=timeout, no_input=no_input or None)
    if not as_json and is_interactive(settings):
        run_guided(settings, only=only, verbose=verbose)
    run_check(
        as_json=as_json, no_input=True, only=only, timeout=timeout, verbose=verbose, save=True
    )


@app.command()
def check(
    as_json: JsonOpt = False,
    no_input: NoInputOpt = False,
    only: OnlyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
    save: SaveOpt = True,
    error: Annotated[
        str | None,
        typer.Option(
            "--error",
            metavar="TEXT",
            help="The error you saw: classified, it steers the verdict and the status check.",
            envvar="CLAUDE_DOCTOR_ERROR",
        ),
    ] = None,
    run_helpers: Annotated[
        bool,
        typer.Option(
            "--run-helpers",
            help="Run the apiKeyHelper command once (10 s limit) to test it, and on macOS "
            "read Claude Code's Keychain item to check its expiry; secrets are never shown.",
            envvar="CLAUDE_DOCTOR_RUN_HELPERS",
        ),
    ] = False,
) -> None:
    """Run every check at once and print the verdict: the branch, the first move, how to
    verify it, and what not to do. Exit 0 when nothing is wrong, 1 when something is."""
    run_check(
        as_json=as_json,
        no_input=no_input,
        only=only,
        timeout=timeout,
        verbose=verbose,
        save=save,
        error=error,
        run_helpers=run_helpers,
    )


@app.command()
def verify(
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Send the request without asking (for scripts)."),
    ] = False,
    as_json: JsonOpt = False,
    save: SaveOpt = True,
) -> None:
    """Send one minimal request (GET /v1/models, no tokens used) on the route Claude Code
    would use, with up to 3 attempts and backoff; print each attempt's status, error type
    and request-id. Asks first; --yes when not in a terminal. Exit 0 when it succeeds."""
    from claude_doctor.pipeline import verify_report
    from claude_doctor.render import OutputFormat, render

    settings = _load_settings()
    if not yes:
        if not is_interactive(settings):
            _fail(
                "verify sends one request with your credential to the API; "
                "re-run with --yes to allow it (no terminal to ask in).",
                ExitCode.USAGE,
            )
        if not typer.confirm(
            "Send one request (GET /v1/models, no tokens) with your active credential?",
            default=False,
            err=True,
        ):
            sys.stderr.write("Nothing sent.\n")
            raise typer.Exit(int(ExitCode.USAGE))
    out = sys.stderr if as_json else sys.stdout

    def line(text: str) -> None:
        out.write(f"{text}\n")
        out.flush()

    report, outcome = _run(verify_report(settings, on_line=line))
    saved = _save(report, settings) if save else None
    finding = report.findings[0]
    ok = outcome is not None and outcome.ok
    if as_json:
        sys.stdout.write(render(report, OutputFormat.JSON))
    else:
        mark = "✓" if ok else "✗"
        line(f"[{mark}] {finding.title}")
        if finding.detail and not ok:
            line(finding.detail)
        for step in finding.next_steps:
            line(f"  $ {step}")
        if saved is not None:
            line(f"Report saved: {saved}")
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.OK if ok else ExitCode.FINDINGS))


@app.command()
def status(
    as_json: JsonOpt = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Poll until what you use is operational, then say to retry (Ctrl-C stops).",
        ),
    ] = False,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="TIME",
            help="When your error happened: ISO 8601, HH:MM, or a span back like 20m.",
        ),
    ] = None,
    surface: Annotated[
        str | None,
        typer.Option(
            "--surface",
            metavar="SURFACE,...",
            help="What you use: claude_code (default), api, claude_ai, desktop, console.",
            envvar="CLAUDE_DOCTOR_SURFACE",
        ),
    ] = None,
    max_wait: Annotated[
        float,
        typer.Option("--max-wait", metavar="SECONDS", help="Give up watching after this long."),
    ] = 3600.0,
    interval: Annotated[
        float,
        typer.Option("--interval", metavar="SECONDS", help="Seconds between polls in --watch."),
    ] = 30.0,
    timeout: TimeoutOpt = None,
) -> None:
    """The status page at a glance: every component, unresolved incidents with their latest
    update, maintenance, and whether an incident overlapped your error. Exit 0 when what you
    use is operational, 1 when it is not or the page cannot be read."""
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

    settings = _load_settings(timeout=timeout)
    try:
        surfaces = parse_surfaces(surface) or DEFAULT_SURFACES
        moment = parse_at(at, datetime.now(UTC)) if at else None
    except StatusUsageError as exc:
        _fail(str(exc), ExitCode.USAGE)
    if not (interval > 0 and max_wait >= 0):
        _fail("--interval must be above 0 and --max-wait at least 0", ExitCode.USAGE)

    def emit(line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    reading = _run(
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

        color = _use_color(sys.stdout, dict(settings.environ))
        sys.stdout.write(render_status(reading.poll, reading.redactor, color=color))
        if watch and reading.fine:
            sys.stdout.write(f"Operational again — {RETRY_NOW}.\n")
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.OK if reading.fine else ExitCode.FINDINGS))


@app.command()
def report(
    last: Annotated[bool, typer.Option("--last", help="Print the newest saved report.")] = False,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", help="Output format for --last.", envvar="CLAUDE_DOCTOR_FORMAT"
        ),
    ] = ReportFormat.MARKDOWN,
) -> None:
    """List saved reports, or print the newest with --last (markdown by default, ready to
    paste into a support ticket)."""
    from claude_doctor.render import OutputFormat, render
    from claude_doctor.store import Store, StoreError

    settings = _load_settings()
    store = Store(settings.doctor_home)
    if not last:
        paths = store.paths()
        if not paths:
            sys.stderr.write(
                f"No saved reports in {store.reports_dir}. Run `claude-doctor check` first.\n"
            )
            raise typer.Exit(int(ExitCode.FINDINGS))
        for path in paths:
            sys.stdout.write(f"{path}\n")
        return
    try:
        found = store.last()
    except StoreError as exc:
        _fail(str(exc), ExitCode.TOOL_FAILED)
    if found is None:
        sys.stderr.write(
            f"No saved reports in {store.reports_dir}. Run `claude-doctor check` first.\n"
        )
        raise typer.Exit(int(ExitCode.FINDINGS))
    path, stored = found
    sys.stdout.write(
        render(
            stored, OutputFormat(fmt.value), saved_to=path if fmt is ReportFormat.CONSOLE else None
        )
    )


@app.command()
def explain(
    text: Annotated[
        str | None,
        typer.Argument(help="The error text. Without it (and without --file), read stdin."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Read the error text or a whole log from this file."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Classify an error message or a log: its category, branch, what it means, the first
    move and the next command. Exit 1 when a Claude error was recognised, 0 when nothing
    recognisable was found, 2 for empty or unreadable input."""
    from claude_doctor.explain import ExplainInputError, explain_document, explain_input
    from claude_doctor.redact import Redactor
    from claude_doctor.render.explain import render_console, render_json

    settings = _load_settings()
    if text is None and file is None and sys.stdin is not None and sys.stdin.isatty():
        sys.stderr.write("Paste the error, then press Ctrl-D (Ctrl-Z Enter on Windows).\n")
    try:
        signal, log = explain_input(text, file, sys.stdin.buffer if sys.stdin else None)
    except ExplainInputError as exc:
        _fail(str(exc), ExitCode.USAGE)
    doc = explain_document(signal, log, Redactor.for_run(settings))
    sys.stdout.write(render_json(doc) if as_json else render_console(doc))
    sys.stdout.flush()
    raise typer.Exit(int(ExitCode.OK if signal.category.value == "other" else ExitCode.FINDINGS))


@app.command()
def payload(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="The request body, a logged request or a curl command; - for stdin.",
        ),
    ],
    as_json: JsonOpt = False,
    minimal: Annotated[
        Path | None,
        typer.Option(
            "--minimal",
            metavar="OUT",
            help="Write the smallest request that keeps the failure to OUT, redacted.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --minimal replace an existing OUT.")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", metavar="NAME", help="Check limits for this model instead of the body's."
        ),
    ] = None,
    verbose: VerboseOpt = False,
) -> None:
    """Validate a Messages API request body offline: every problem with its JSON path.
    Exit 0 when the request is valid, 1 when a problem is found, 2 when FILE cannot be read."""
    from claude_doctor.checks.payload.body import PayloadInputError
    from claude_doctor.checks.payload.minimal import MinimalWriteError
    from claude_doctor.pipeline import payload_report

    settings = _load_settings()
    if minimal is not None and minimal.exists() and not force:
        _fail(f"{minimal} exists; pass --force to replace it", ExitCode.USAGE)
    source = sys.stdin.buffer if file == "-" else Path(file)
    try:
        outcome = payload_report(source, settings, model=model, minimal=minimal, force=force)
    except (PayloadInputError, MinimalWriteError) as exc:
        _fail(str(exc), ExitCode.USAGE)
    for line in outcome.minimal_lines:
        sys.stderr.write(line + "\n")
    report = outcome.report
    _write_report(report, settings, as_json=as_json, verbose=verbose)
    raise typer.Exit(int(ExitCode.FINDINGS if report.has_problems else ExitCode.OK))


@app.command()
def sessions(
    as_json: JsonOpt = False,
    all_projects: Annotated[
        bool, typer.Option("--all", help="Every project, not only this directory.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=0, metavar="N", help="Show the newest N (0: all).")
    ] = 20,
) -> None:
    """List recent Claude Code sessions of this directory (newest first) with their
    errors, context use and attachments; suspicious ones are marked. Exit 1 when any is."""
    import json

    from claude_doctor.checks.session.diagnose import sessions_view
    from claude_doctor.redact import Redactor
    from claude_doctor.render.sessions import render_sessions

    settings = _load_settings()
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


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: maps every way out to the documented exit codes."""
    from typer import _click, exceptions

    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=argv if argv is not None else sys.argv[1:],
            prog_name="claude-doctor",
            standalone_mode=False,
        )
    except (KeyboardInterrupt, exceptions.Abort):
        sys.stderr.write("\nclaude-doctor: interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except _click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE) if exc.exit_code == 2 else exc.exit_code)
    except BrokenPipeError:
        sys.exit(int(ExitCode.OK))
    except Exception as exc:  # the tool's own failure: say so, no traceback
        sys.stderr.write(
            f"claude-doctor: internal error: {type(exc).__name__}: {exc}\n"
            "Please report this at the project's issue tracker.\n"
        )
        sys.exit(int(ExitCode.TOOL_FAILED))
    sys.exit(result if isinstance(result, int) else int(ExitCode.OK))
