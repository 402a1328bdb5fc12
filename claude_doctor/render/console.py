"""The console view, in the manner of ``flutter doctor``: the header, one line naming the
credential that wins, one line per branch with a mark, in the route board's order
(:data:`claude_doctor.board.BASE_ORDER`), the problems under it, then the verdict with one
"Why:" line and the other problems ("Also found:"). Details and evidence, as readable
lines, under ``-v``. A branch whose checks did not all run says so (``not run``,
``cancelled``, ``timed out``) instead of showing a pass. Lines are fitted to the width by
:mod:`claude_doctor.render.layout`."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.text import Text

from claude_doctor.board import BASE_ORDER, STATUS_UNREAD, plain_reading
from claude_doctor.model import (
    Branch,
    CheckOutcome,
    CheckRun,
    Confidence,
    Finding,
    Severity,
    Surface,
)
from claude_doctor.redact import Redactor
from claude_doctor.render.layout import Printer
from claude_doctor.render.lines import evidence_lines, next_steps, route_line, verdict_reasons
from claude_doctor.report import ENVIRONMENT_FINDING, Report

#: A branch line's name where it is not the branch's own.
LINE_NAMES = {Branch.INCIDENT: "status"}

MARKS = {
    "ok": ("[✓]", "green"),
    "info": ("[✓]", "green"),
    "neutral": ("[•]", "cyan"),
    "skipped": ("[-]", "dim"),
    "warn": ("[!]", "yellow"),
    "fail": ("[✗]", "red"),
    "timed_out": ("[⏱]", "magenta"),
    "crashed": ("[‼]", "magenta"),
    "error": ("[?]", "magenta"),
}
SEVERITY_MARKS = {
    Severity.OK: ("✓", "green"),
    Severity.INFO: ("•", "cyan"),
    Severity.WARN: ("!", "yellow"),
    Severity.FAIL: ("✗", "red"),
    Severity.ERROR: ("?", "magenta"),
}


#: Branches about Claude Code's own state: neutral, not a pass, for a user of an app that
#: signs in by itself (claude.ai, Claude Desktop).
CLAUDE_CODE_BRANCHES = frozenset({Branch.LOGIN, Branch.ROUTE, Branch.SESSION})
_OWN_LOGIN = frozenset({Surface.CLAUDE_AI.value, Surface.DESKTOP.value})


def _app_user(report: Report) -> bool:
    surface = (report.answers or {}).get("surface")
    if not surface and report.signal is not None:
        surface = report.signal.surface.value
    return surface in _OWN_LOGIN


def _line_state(
    findings: list[Finding], outcomes: set[CheckOutcome], *, neutral: bool = False
) -> str:
    """A crash or a time-out marks the line whatever else was found; a real problem found
    by the checks that did finish beats a check that was cancelled; a line whose checks
    did not all run never shows a pass, nor a ``neutral`` one (about Claude Code, for a user
    of an app that signs in by itself; a status page that could not be read)."""
    if CheckOutcome.CRASHED in outcomes:
        return "crashed"
    if CheckOutcome.TIMED_OUT in outcomes:
        return "timed_out"
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.OK)
    if worst.is_problem:
        return worst.value
    if CheckOutcome.SKIPPED in outcomes:
        return "skipped"
    if neutral:
        return "neutral"
    return worst.value


def text_console(buffer: io.StringIO, *, width: int, color: bool) -> Console:
    """A rich console that draws into ``buffer``: colour only when asked, no markup or
    emoji guessing, so a renderer returns the same text wherever it runs."""
    return Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


def _problems(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.is_problem or f.severity is Severity.ERROR]


def _not_run_summary(runs: list[CheckRun]) -> str:
    unfinished = [r for r in runs if r.outcome is not CheckOutcome.DONE]
    started = any(r.started for r in unfinished)
    words = "cancelled before it finished" if started else "not run"
    if len(unfinished) < len(runs):
        words += f" ({len(runs) - len(unfinished)} of {len(runs)} checks finished)"
    return words


def _line_summary(findings: list[Finding], state: str, runs: list[CheckRun]) -> str:
    problems = _problems(findings)
    if len(problems) == 1:
        return problems[0].title
    if problems:
        return f"{len(problems)} problems"
    if state == "skipped":
        return _not_run_summary(runs)
    shown = [f for f in findings if f.severity in (Severity.OK, Severity.INFO)]
    return shown[0].title if shown else "nothing to report"


def render_console(
    report: Report,
    *,
    verbose: bool = False,
    color: bool = False,
    width: int | None = 100,
    saved_to: Path | None = None,
    elapsed: float | None = None,
) -> str:
    """The console view, wrapped at ``width`` (None: not wrapped); ``elapsed`` is the
    wall time the header shows (default: the report's own duration)."""
    buffer = io.StringIO()
    console = text_console(buffer, width=width or 4096, color=color)
    out = Printer(console, width)
    out.line(_header(report, elapsed))
    credential = route_line(report)
    if credential is not None:
        out.line(Text.assemble((credential[0], "bold"), credential[1]), keep=credential[2])
    out.line()
    _print_branches(out, report, verbose=verbose)
    _print_verdict(out, report)
    if saved_to is not None:
        out.line()
        path = str(saved_to)
        out.line(f"Report saved: {path}", keep=(path,))
        out.line("Paste it into a ticket with `claude-doctor report --last --format markdown`")
    return Redactor.patterns_only().text(buffer.getvalue())


def _header(report: Report, elapsed: float | None) -> Text:
    env = report.environment
    header = Text(f"claude-doctor {report.tool_version}", style="bold")
    if env:
        cc = env.get("claude_code_version")
        header.append(
            f" · {env.get('os', '?')} · Python {env.get('python', '?')}"
            f" · Claude Code {cc or 'not found'}"
        )
    seconds = elapsed if elapsed is not None else report.duration_ms / 1000
    header.append(f" · {seconds:.1f} s", style="dim")
    return header


def _print_branches(out: Printer, report: Report, *, verbose: bool) -> None:
    """One line per branch in the board's order, with its problems (every finding under
    ``verbose``) below it."""
    by_branch: dict[Branch, list[Finding]] = {}
    for f in report.findings:
        if f.id != ENVIRONMENT_FINDING:
            by_branch.setdefault(f.branch, []).append(f)
    runs: dict[Branch, list[CheckRun]] = {}
    for run in report.checks:
        runs.setdefault(run.branch, []).append(run)
    # A branch whose checks ran and found nothing at all (no request body given, say) has
    # nothing to show; one that did not run, timed out or crashed always has.
    branches = [
        b
        for b in BASE_ORDER
        if b in by_branch or any(r.outcome is not CheckOutcome.DONE for r in runs.get(b, []))
    ]
    app_user = _app_user(report)
    for branch in branches:
        findings = by_branch.get(branch, [])
        state = _line_state(
            findings,
            {r.outcome for r in runs.get(branch, [])},
            neutral=(app_user and branch in CLAUDE_CODE_BRANCHES)
            or any(f.id in STATUS_UNREAD for f in findings),
        )
        mark, style = MARKS[state]
        name = f" {LINE_NAMES.get(branch, branch.value):<11}"
        line = Text.assemble((mark, style), (name, "bold"))
        line.append(_line_summary(findings, state, runs.get(branch, [])))
        out.line(line, indent=len(mark) + len(name))
        listed = findings if verbose else _problems(findings)
        if verbose or len(listed) >= 2:
            for f in listed:
                _print_finding(out, f, verbose=verbose)


def _print_finding(out: Printer, f: Finding, *, verbose: bool) -> None:
    sign, sign_style = SEVERITY_MARKS[f.severity]
    out.line(Text.assemble("    ", (sign, sign_style), f" {f.title}"), indent=6)
    if not verbose:
        return
    if f.detail:
        out.line(Text(f"      {f.detail}", style="dim"), indent=6)
    for step in f.next_steps:
        out.whole(Text(f"      → {step}"))
    for key, value in evidence_lines(f.evidence):
        out.line(Text(f"      {key}: {value}", style="dim"), indent=8)


def _print_verdict(out: Printer, report: Report) -> None:
    """The error, if one was given, then the verdict with its first move, how to verify,
    the next steps, what not to do and the request ids."""
    if report.signal:
        s = report.signal
        out.line()
        what = plain_reading(s) or "not an error claude-doctor recognises"
        out.line(Text.assemble(("Your error: ", "bold"), f"looks like {what}"))
    v = report.verdict
    out.line()
    if report.interrupted:
        out.line(Text("Interrupted: only the checks that finished count.", style="bold"))
    out.line(Text.assemble(("Verdict: ", "bold"), (v.branch.value, "bold cyan"), f" — {v.summary}"))
    out.line(Text.assemble(("Why: ", "bold"), why_line(report)))
    for item in v.also_found:
        out.line(Text.assemble(("Also found: ", "bold"), item.title))
    out.line(Text.assemble(("First move: ", "bold"), v.first_move))
    if v.verify:
        out.line(Text.assemble(("Verify: ", "bold"), v.verify))
    steps = next_steps(report)
    if steps:
        out.line(Text("Next steps:", style="bold"))
        for step in steps:
            if _looks_like_command(step):
                out.command(step)
            else:
                out.line(Text(f"  - {step}"), indent=4)
    if v.what_not_to_do:
        out.line(Text("Don't:", style="bold"))
        for dont in v.what_not_to_do:
            out.line(Text(f"  - {dont}"), indent=4)
    ids = report.evidence.get("request_ids") or []
    if ids:
        out.line(Text("Request ids: " + ", ".join(ids), style="dim"))


def why_line(report: Report) -> str:
    """One sentence: what decided, what was ruled out, what stayed open, how sure; a low
    confidence says what would raise it."""
    v = report.verdict
    parts = verdict_reasons(report)
    raise_it = _to_raise(report) if v.confidence is Confidence.LOW else []
    if raise_it:
        parts.append("to be surer: " + ", ".join(raise_it))
    return "; ".join(parts) + "."


def _to_raise(report: Report) -> list[str]:
    """What the user can do to raise a low confidence."""
    steps: list[str] = []
    if report.signal is None:
        steps.append("paste the error (claude-doctor check --error '...')")
    surface = (report.answers or {}).get("surface")
    if not surface and (report.signal is None or report.signal.surface is Surface.UNKNOWN):
        steps.append("say where you met the error (--surface)")
    if any(r.branch in (Branch.INCIDENT, Branch.NETWORK) for r in report.verdict.open):
        steps.append("go online and run it again")
    return steps


def _looks_like_command(step: str) -> bool:
    first = step.split(" ", 1)[0]
    return first in {"claude", "claude-doctor", "export", "unset", "security", "curl"}
