"""The console view, in the manner of ``flutter doctor``: one line per branch with a mark,
in the route board's order (:data:`claude_doctor.board.BASE_ORDER`), the problems under
it, then the verdict with one "Why:" line and the other problems ("Also found:"). Details
and evidence under ``-v``."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from claude_doctor.board import BASE_ORDER, plain_reading
from claude_doctor.model import Branch, CheckOutcome, Confidence, Finding, Severity, Surface
from claude_doctor.redact import Redactor
from claude_doctor.report import ENVIRONMENT_FINDING, Report

#: A branch line's name where it is not the branch's own.
LINE_NAMES = {Branch.INCIDENT: "status"}

MARKS = {
    "ok": ("[✓]", "green"),
    "info": ("[✓]", "green"),
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


def _line_state(findings: list[Finding], outcomes: set[CheckOutcome]) -> str:
    if CheckOutcome.CRASHED in outcomes:
        return "crashed"
    if CheckOutcome.TIMED_OUT in outcomes:
        return "timed_out"
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.OK)
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


def _line_summary(findings: list[Finding]) -> str:
    problems = _problems(findings)
    if len(problems) == 1:
        return problems[0].title
    if problems:
        return f"{len(problems)} problems"
    shown = [f for f in findings if f.severity in (Severity.OK, Severity.INFO)]
    return shown[0].title if shown else "nothing to report"


def render_console(
    report: Report,
    *,
    verbose: bool = False,
    color: bool = False,
    width: int = 100,
    saved_to: Path | None = None,
) -> str:
    buffer = io.StringIO()
    console = text_console(buffer, width=width, color=color)
    console.print(_header(report))
    console.print()
    _print_branches(console, report, verbose=verbose)
    _print_verdict(console, report)
    if saved_to is not None:
        console.print()
        console.print(
            f"Report saved: {escape(str(saved_to))} — paste it with "
            "`claude-doctor report --last --format markdown`",
            markup=False,
            soft_wrap=True,
        )
    return Redactor.patterns_only().text(buffer.getvalue())


def _header(report: Report) -> Text:
    env = report.environment
    header = Text(f"claude-doctor {report.tool_version}", style="bold")
    if env:
        cc = env.get("claude_code_version")
        header.append(
            f" · {env.get('os', '?')} · Python {env.get('python', '?')}"
            f" · Claude Code {cc or 'not found'}"
        )
    header.append(f" · {report.duration_ms / 1000:.1f} s", style="dim")
    return header


def _print_branches(console: Console, report: Report, *, verbose: bool) -> None:
    """One line per branch in the board's order, with its problems (every finding under
    ``verbose``) below it."""
    by_branch: dict[Branch, list[Finding]] = {}
    for f in report.findings:
        if f.id != ENVIRONMENT_FINDING:
            by_branch.setdefault(f.branch, []).append(f)
    outcomes: dict[Branch, set[CheckOutcome]] = {}
    for run in report.checks:
        outcomes.setdefault(run.branch, set()).add(run.outcome)
    # A branch whose checks ran and found nothing at all (no request body given, say) has
    # nothing to show; one that timed out or crashed always has.
    branches = [
        b
        for b in BASE_ORDER
        if b in by_branch or outcomes.get(b, set()) - {CheckOutcome.DONE, CheckOutcome.SKIPPED}
    ]
    for branch in branches:
        findings = by_branch.get(branch, [])
        state = _line_state(findings, outcomes.get(branch, set()))
        mark, style = MARKS[state]
        line = Text()
        line.append(mark, style=style)
        line.append(f" {LINE_NAMES.get(branch, branch.value):<11}", style="bold")
        line.append(_line_summary(findings))
        console.print(line)
        listed = findings if verbose else _problems(findings)
        if verbose or len(listed) >= 2:
            for f in listed:
                _print_finding(console, f, verbose=verbose)


def _print_finding(console: Console, f: Finding, *, verbose: bool) -> None:
    sign, sign_style = SEVERITY_MARKS[f.severity]
    console.print(Text.assemble("    ", (sign, sign_style), f" {f.title}"))
    if not verbose:
        return
    if f.detail:
        console.print(Text(f"      {f.detail}", style="dim"))
    for step in f.next_steps:
        console.print(Text(f"      → {step}"))
    if f.evidence:
        console.print(Text(f"      evidence: {json.dumps(f.evidence, default=str)}", style="dim"))


def _print_verdict(console: Console, report: Report) -> None:
    """The error, if one was given, then the verdict with its first move, how to verify,
    the next steps, what not to do and the request ids."""
    if report.signal:
        s = report.signal
        console.print()
        what = plain_reading(s) or "not an error claude-doctor recognises"
        console.print(Text.assemble(("Your error: ", "bold"), f"looks like {what}"))
    v = report.verdict
    console.print()
    console.print(
        Text.assemble(("Verdict: ", "bold"), (v.branch.value, "bold cyan"), f" — {v.summary}")
    )
    console.print(Text.assemble(("Why: ", "bold"), why_line(report)))
    for item in v.also_found:
        console.print(Text.assemble(("Also found: ", "bold"), item.title))
    console.print(Text.assemble(("First move: ", "bold"), v.first_move))
    if v.verify:
        console.print(Text.assemble(("Verify: ", "bold"), v.verify))
    if v.next_steps:
        console.print(Text("Next steps:", style="bold"))
        for step in v.next_steps:
            console.print(Text(f"  $ {step}" if _looks_like_command(step) else f"  - {step}"))
    if v.what_not_to_do:
        console.print(Text("Don't:", style="bold"))
        for dont in v.what_not_to_do:
            console.print(Text(f"  - {dont}"))
    ids = report.evidence.get("request_ids") or []
    if ids:
        console.print(Text("Request ids: " + ", ".join(ids), style="dim"))


def why_line(report: Report) -> str:
    """One sentence: what decided, what was ruled out, what stayed open, how sure; a low
    confidence says what would raise it."""
    v = report.verdict
    by_id = {f.id: f.title for f in report.findings}
    said = [by_id.get(i, "") for i in v.because]
    if "signal" in v.because and report.signal is not None:
        said.append("your error")
    if "answers.activity" in v.because:
        said.append("your answer that the session was resumed")
    parts = [f"{v.confidence.value} confidence"]
    shown = [s for s in dict.fromkeys(said) if s]
    if shown:
        parts.append("from " + "; ".join(shown[:2]))
    if v.ruled_out:
        parts.append("ruled out " + ", ".join(dict.fromkeys(r.branch.value for r in v.ruled_out)))
    if v.open:
        parts.append("not checked " + ", ".join(r.branch.value for r in v.open))
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
