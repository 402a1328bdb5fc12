"""The command line: parse options, call the pipeline, pick a renderer, write. No logic.

Imports of everything heavy (httpx, dnspython, rich, questionary) happen inside the
commands so that ``claude-doctor --help`` stays fast.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from claude_doctor import __version__

if TYPE_CHECKING:
    from claude_doctor.report import Report
    from claude_doctor.settings import Settings


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
    run_helpers: bool = False,
) -> None:
    """``check``: run the checks, print the verdict, save the report, exit per contract."""
    import asyncio

    from claude_doctor.checks import UnknownGroupError, select_checks
    from claude_doctor.pipeline import RunInput, execute
    from claude_doctor.render import OutputFormat, render

    settings = _load_settings(timeout=timeout, no_input=no_input or None)
    try:
        checks = select_checks(only.split(",") if only else None)
    except UnknownGroupError as exc:
        _fail(str(exc), ExitCode.USAGE)

    async def go() -> Report:
        report, _result = await execute(
            RunInput(settings=settings, checks=checks, consent=run_helpers)
        )
        return report

    show_spinner = not as_json and sys.stderr.isatty()
    try:
        if show_spinner:
            from rich.console import Console

            with Console(stderr=True).status("Checking…", spinner="dots"):
                report = asyncio.run(go())
        else:
            report = asyncio.run(go())
    except KeyboardInterrupt:
        sys.stderr.write("\nclaude-doctor: interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    saved = _save(report, settings) if save else None
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


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        run_check(as_json=False, no_input=False, only=None, timeout=None, verbose=False, save=True)


@app.command()
def check(
    as_json: JsonOpt = False,
    no_input: NoInputOpt = False,
    only: OnlyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
    save: SaveOpt = True,
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
        run_helpers=run_helpers,
    )


def _interactive(settings: Settings) -> bool:
    """Prompting is safe only with a terminal on both ends and outside CI (TESTING.md)."""
    return (
        sys.stdin.isatty()
        and sys.stderr.isatty()
        and "CI" not in settings.environ
        and not settings.no_input
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
    import asyncio

    from claude_doctor.render import OutputFormat, render
    from claude_doctor.verify import run_verify

    settings = _load_settings()
    if not yes:
        if not _interactive(settings):
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

    try:
        report, outcome = asyncio.run(run_verify(settings, on_line=line))
    except KeyboardInterrupt:
        sys.stderr.write("\nclaude-doctor: interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
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
