"""The command line: every command's options and help, each handed to
:mod:`claude_doctor.commands`, and the entry point that maps every way out to the
documented exit codes. No logic.

Nothing heavy is imported here (``commands`` imports inside its functions), so
``claude-doctor --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from claude_doctor import __version__, commands
from claude_doctor.commands import ExitCode, ReportFormat

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


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"claude-doctor {__version__}\n")
        raise typer.Exit(0)


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
CheckSurfaceOpt = Annotated[
    str | None,
    typer.Option(
        "--surface",
        metavar="SURFACE",
        help="Where you saw the error: claude_code, api, claude_ai, desktop, console or "
        "other_tool [default: what the error text shows]. Findings about what you do not use "
        "are listed, never the verdict.",
        envvar="CLAUDE_DOCTOR_SURFACE",
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

ErrorOpt = Annotated[
    str | None,
    typer.Option(
        "--error",
        metavar="TEXT",
        help="The error you saw: classified, it steers the verdict and the status check "
        "(in the guided run it answers the paste question).",
        envvar="CLAUDE_DOCTOR_ERROR",
    ),
]
RunHelpersOpt = Annotated[
    bool,
    typer.Option(
        "--run-helpers",
        help="Run the apiKeyHelper command once (10 s limit) to test it, and on macOS "
        "read Claude Code's Keychain item to check its expiry; secrets are never shown.",
        envvar="CLAUDE_DOCTOR_RUN_HELPERS",
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Exit 1 also when a branch could not be checked (a check timed out or "
        "could not read).",
        envvar="CLAUDE_DOCTOR_STRICT",
    ),
]


FromHookOpt = Annotated[
    str | None,
    typer.Option(
        "--from-hook",
        metavar="[ID]",
        help="Use the failure the StopFailure hook recorded as the error, with its time "
        "(the newest, or the report id or session id given).",
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
    as_json: JsonOpt = False,
    no_input: NoInputOpt = False,
    only: OnlyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
    surface: CheckSurfaceOpt = None,
    save: SaveOpt = True,
    error: ErrorOpt = None,
    run_helpers: RunHelpersOpt = False,
    strict: StrictOpt = False,
    from_hook: FromHookOpt = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    settings = commands.load_settings(timeout=timeout, no_input=no_input or None)
    if not as_json and from_hook is None and commands.is_interactive(settings):
        commands.run_guided(
            settings,
            only=only,
            verbose=verbose,
            surface=surface,
            save=save,
            error=error,
            run_helpers=run_helpers,
            strict=strict,
        )
    commands.run_check(
        as_json=as_json,
        no_input=True,
        only=only,
        timeout=timeout,
        verbose=verbose,
        save=save,
        error=error,
        run_helpers=run_helpers,
        surface=surface,
        strict=strict,
        from_hook=from_hook,
    )


@app.command()
def check(
    as_json: JsonOpt = False,
    no_input: NoInputOpt = False,
    only: OnlyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
    save: SaveOpt = True,
    error: ErrorOpt = None,
    run_helpers: RunHelpersOpt = False,
    surface: CheckSurfaceOpt = None,
    strict: StrictOpt = False,
    from_hook: FromHookOpt = None,
) -> None:
    """Run every check at once and print the verdict: the branch, the first move, how to
    verify it, and what not to do. Exit 1 when the verdict names a branch, 0 when not."""
    commands.run_check(
        as_json=as_json,
        no_input=no_input,
        only=only,
        timeout=timeout,
        verbose=verbose,
        save=save,
        error=error,
        run_helpers=run_helpers,
        surface=surface,
        strict=strict,
        from_hook=from_hook,
    )


@app.command()
def verify(
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Send the request without asking (for scripts)."),
    ] = False,
    as_json: JsonOpt = False,
    save: SaveOpt = True,
    timeout: TimeoutOpt = None,
) -> None:
    """Send one minimal request (GET /v1/models, no tokens used) on the route Claude Code
    would use, with up to 3 attempts and backoff for what a retry can fix, all within the
    timeout; print each attempt's status, error type and request-id, or the layer that
    failed. Names the credential and asks first; --yes when not in a terminal. Exit 0 when
    the API itself answered with success."""
    from claude_doctor.verify_command import verify as send

    send(yes=yes, as_json=as_json, save=save, timeout=timeout)


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
    commands.status(
        as_json=as_json,
        watch=watch,
        at=at,
        surface=surface,
        max_wait=max_wait,
        interval=interval,
        timeout=timeout,
    )


@app.command()
def report(
    report_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Print this saved report (an id from the list)."),
    ] = None,
    last: Annotated[bool, typer.Option("--last", help="Print the newest saved report.")] = False,
    listing: Annotated[
        bool, typer.Option("--list", help="List the saved reports (what no ID does).")
    ] = False,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format for ID or --last.",
            envvar="CLAUDE_DOCTOR_FORMAT",
        ),
    ] = ReportFormat.MARKDOWN,
) -> None:
    """List saved reports (id, time, command, verdict, interrupted or not), or print one:
    ID, or the newest with --last (markdown by default, ready to paste into a support
    ticket). A saved file that cannot be read is skipped with a note."""
    from claude_doctor import saved

    if listing and (last or report_id is not None):
        commands.fail("--list shows every report; leave out ID and --last", ExitCode.USAGE)
    saved.report(last=last, fmt=fmt, wanted=report_id)


@app.command()
def explain(
    text: Annotated[
        str | None,
        typer.Argument(help="The error text; - (or nothing, without --file) reads stdin."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="Read the error text or a whole log from this file; - for stdin."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Classify an error message or a log: its category, branch, what it means, the first
    move and the next command. Exit 1 when a Claude error was recognised, 0 when nothing
    recognisable was found, 2 for empty or unreadable input."""
    commands.explain(text=text, file=file, as_json=as_json)


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
    commands.payload(
        file=file, as_json=as_json, minimal=minimal, force=force, model=model, verbose=verbose
    )


@app.command()
def sessions(
    as_json: JsonOpt = False,
    all_projects: Annotated[
        bool, typer.Option("--all", help="Every project, not only this directory.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=0, metavar="N", help="Show the newest N (0: all).")
    ] = 20,
    request: Annotated[
        str | None,
        typer.Option(
            "--request",
            metavar="SESSION_ID",
            help="Rebuild the request this session's failing turn sent (an id or a unique "
            "prefix; --all to look in every project), check its size against the API's "
            "32 MB limit and validate it: model, counts, size and problems by JSON path, "
            "never your conversation. Exit 1 when it has a problem or is incomplete, 2 when "
            "the session is unknown or its transcript has no request records.",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="FILE",
            help="With --request: write the rebuilt body as JSON to FILE (- for stdout), "
            "secrets redacted; it holds your conversation. An existing FILE is replaced "
            "only when you confirm or pass --force, and kept as FILE.bak.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --out replace an existing FILE (kept as .bak).")
    ] = False,
) -> None:
    """List recent Claude Code sessions of this directory (newest first) with their
    errors, context use and attachments; suspicious ones are marked. Exit 1 when any is.
    With --request SESSION_ID: the exact request its failing turn sent, rebuilt from the
    transcript and checked."""
    if request is not None:
        commands.session_request(
            session_id=request, all_projects=all_projects, out=out, force=force, as_json=as_json
        )
    if out is not None or force:
        commands.fail("--out and --force go with --request SESSION_ID", ExitCode.USAGE)
    commands.sessions(as_json=as_json, all_projects=all_projects, limit=limit)


hook_app = typer.Typer(
    name="hook",
    help="Claude Code's StopFailure hook: record a diagnosis the moment a turn fails.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(hook_app)
YesOpt = Annotated[
    bool, typer.Option("--yes", "-y", help="Write the change without asking (for scripts).")
]


@hook_app.command("install")
def hook_install(
    scope: Annotated[
        str,
        typer.Option(
            "--scope", help="Which settings file: user (~/.claude/settings.json) or project."
        ),
    ] = "user",
    yes: YesOpt = False,
    notify: Annotated[
        bool, typer.Option("--notify", help="Also show a desktop notification (rate-limited).")
    ] = False,
) -> None:
    """Add a StopFailure hook that runs `claude-doctor hook stop-failure` to a Claude Code
    settings file: shows the change, asks first (or --yes), keeps a timestamped backup."""
    from claude_doctor.hooks import commands as hook_commands

    hook_commands.install(scope=scope, yes=yes, notify=notify)


@hook_app.command("uninstall")
def hook_uninstall(
    scope: Annotated[
        str | None,
        typer.Option("--scope", help="Only this settings file [default: wherever it is]."),
    ] = None,
    yes: YesOpt = False,
) -> None:
    """Remove claude-doctor's StopFailure hook, and nothing else, keeping a backup."""
    from claude_doctor.hooks import commands as hook_commands

    hook_commands.uninstall(scope=scope, yes=yes)


@hook_app.command("status")
def hook_status(as_json: JsonOpt = False) -> None:
    """Whether the hook is installed, where, and when it last fired. Exit 1 when it is not
    installed."""
    from claude_doctor.hooks import commands as hook_commands

    hook_commands.status(as_json=as_json)


@hook_app.command("stop-failure")
def hook_stop_failure(
    notify: Annotated[bool, typer.Option("--notify", help="Notify on the desktop.")] = False,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="Read the hook's JSON from this file (then removed)."),
    ] = None,
) -> None:
    """What the hook runs: reads the hook's JSON on stdin, records the failure in the
    background and exits 0 at once."""
    from claude_doctor.hooks import commands as hook_commands

    hook_commands.stop_failure(notify=notify, input_file=input_file)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: maps every way out to the documented exit codes."""
    from claude_doctor import runtime

    runtime.prepare_streams()
    command = typer.main.get_command(app)
    args = list(argv if argv is not None else sys.argv[1:])
    for i, word in enumerate(args):
        if word == "--from-hook" and (i + 1 == len(args) or args[i + 1].startswith("-")):
            args[i] = "--from-hook="  # its ID is optional: alone, the newest recorded failure
    code = runtime.dispatch(
        lambda: command.main(args=args, prog_name="claude-doctor", standalone_mode=False)
    )
    sys.exit(runtime.exit_code(code))
