"""``claude-doctor verify``: name the credential it will send, ask (in a terminal), send
one request on the detected route, print each attempt and the result, save the report."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING, NoReturn

import typer

from claude_doctor.commands import (
    ExitCode,
    ask_yes_no,
    fail,
    is_interactive,
    load_settings,
    run,
    save_report,
)

if TYPE_CHECKING:
    from claude_doctor.settings import Settings


def credential_line(settings: Settings) -> str:
    """What will be sent, redacted: the credential masked, where it was set, and where to,
    in one sentence."""
    from claude_doctor.checks.route.state import gather
    from claude_doctor.checks.route.verify_words import describe_credential
    from claude_doctor.redact import Redactor

    state = gather(settings)
    if state.route.active is None:
        return "verify found no credential on any route: there is nothing to send."
    words = f"verify will send {describe_credential(state, settings)}."
    return Redactor.for_run(settings, state.secrets()).text(words)


def verify(*, yes: bool, as_json: bool, save: bool, timeout: float | None = None) -> NoReturn:
    from claude_doctor import STARTED
    from claude_doctor.pipeline import verify_report
    from claude_doctor.render import OutputFormat, render

    settings = load_settings(timeout=timeout)
    if not yes:
        sys.stderr.write(credential_line(settings) + "\n")
        if not is_interactive(settings):
            fail(
                "verify sends one request with your credential to the API; "
                "re-run with --yes to allow it (no terminal to ask in).",
                ExitCode.USAGE,
            )
        if not ask_yes_no("Send one request (GET /v1/models, no tokens) with this credential?"):
            sys.stderr.write("Nothing sent.\n")
            raise typer.Exit(int(ExitCode.USAGE))
    out = sys.stderr if as_json else sys.stdout

    def line(text: str) -> None:
        out.write(f"{text}\n")
        out.flush()

    report, outcome = run(verify_report(settings, since=STARTED, on_line=line))
    report = replace(report, command="verify")
    saved = save_report(report, settings) if save else None
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
