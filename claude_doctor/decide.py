"""Findings + the classified error + the user's answers -> one verdict. Pure; no I/O.

The route board (DESIGN.md) as data: an order of branches, and one playbook per branch
saying what it means, the one first move, how to verify on the same path, and what not to
do. Evidence counts in two strengths: ``fail`` findings and the error signal are strong,
``warn`` findings weak; the highest branch in the order with strong evidence wins, else
the highest with weak evidence, else ``none``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claude_doctor.model import (
    Activity,
    Answers,
    Branch,
    Category,
    ErrorSignal,
    Finding,
    Severity,
    Surface,
    Verdict,
)


@dataclass(frozen=True)
class Playbook:
    headline: str
    first_move: str
    verify: str
    next_steps: tuple[str, ...]
    what_not_to_do: tuple[str, ...]


PLAYBOOKS: dict[Branch, Playbook] = {
    Branch.INCIDENT: Playbook(
        headline="Anthropic has an incident on what you use",
        first_move=(
            "Stop changing local settings and wait for the incident to clear: "
            "claude-doctor status --watch"
        ),
        verify=(
            "When the status page is operational again, retry the same request on the same path."
        ),
        next_steps=("claude-doctor status --watch", "https://status.claude.com"),
        what_not_to_do=(
            "Do not reinstall, log out or rotate keys during an incident.",
            "Do not hammer retries; they do not get through sooner.",
        ),
    ),
    Branch.LOGIN: Playbook(
        headline="Your login is the problem",
        first_move="In Claude Code run /status to see the active login, then /login.",
        verify="claude auth status (or claude-doctor verify), then rerun the same command.",
        next_steps=("claude auth status", "claude  # then type /login", "claude doctor"),
        what_not_to_do=(
            "Do not set ANTHROPIC_API_KEY to work around a subscription login: "
            "it bills the key instead.",
        ),
    ),
    Branch.SESSION: Playbook(
        headline="This session is the problem, not the service",
        first_move=(
            "Start a fresh session (claude, not claude --continue) and rerun the same task "
            "with the smallest context."
        ),
        verify="The same task succeeds in the fresh session.",
        next_steps=(
            "claude",
            "/compact or /clear in the failing session",
            "claude-doctor sessions",
        ),
        what_not_to_do=(
            "Do not keep resuming the failing session: every turn resends what breaks it.",
            "Do not reinstall Claude Code; the transcript, not the install, carries the fault.",
        ),
    ),
    Branch.ROUTE: Playbook(
        headline="Requests go another way than you think",
        first_move=(
            "Check the active route below and who set it; remove the credential or setting "
            "you did not mean to use."
        ),
        verify=(
            "claude-doctor verify on the route you meant; /status in Claude Code shows the source."
        ),
        next_steps=("claude-doctor check --only route -v",),
        what_not_to_do=("Do not rotate keys before you know which credential is really used.",),
    ),
    Branch.NETWORK: Playbook(
        headline="The network path to Anthropic fails",
        first_move="Fix the failing layer named below (DNS, TCP, TLS or proxy).",
        verify="claude-doctor check --only network",
        next_steps=("claude-doctor check --only network -v",),
        what_not_to_do=(
            "Do not set NODE_TLS_REJECT_UNAUTHORIZED=0: it hides interception and is unsafe.",
            "Do not reinstall Claude Code; the network, not the install, fails.",
        ),
    ),
    Branch.PAYLOAD: Playbook(
        headline="The request itself is rejected",
        first_move="Fix the part of the request named below (its JSON path is shown).",
        verify="claude-doctor payload FILE reports no failure; then send it again.",
        next_steps=("claude-doctor payload FILE --minimal repro.json",),
        what_not_to_do=("Do not resend the same body unchanged: it fails the same way.",),
    ),
    Branch.RATE_LIMIT: Playbook(
        headline="You hit a rate or usage limit (429)",
        first_move="Wait until the limit resets (honour retry-after), then retry once.",
        verify="One retry after the reset time succeeds.",
        next_steps=(
            "Check your usage: /usage in Claude Code, or the Console's limits page for a key",
        ),
        what_not_to_do=("Do not retry in a tight loop: it keeps the limit hit.",),
    ),
    Branch.OVERLOADED: Playbook(
        headline="Anthropic's servers are at capacity (529 Overloaded)",
        first_move="Back off hard: wait a minute before one retry, or switch to a smaller model.",
        verify="One retry after a minute succeeds.",
        next_steps=("/model in Claude Code to switch model", "claude-doctor status"),
        what_not_to_do=("Do not hammer retries on 529; back off.",),
    ),
    Branch.NONE: Playbook(
        headline="Nothing wrong found on this machine",
        first_move=("Retry once on the same path; if it fails again, escalate with the report."),
        verify="The same request, once more.",
        next_steps=("claude-doctor report --last --format markdown",),
        what_not_to_do=("Do not change several settings at once while retrying.",),
    ),
}

#: The route board's order: a relevant incident first, then login, route, network, session
#: and the request itself; limits last. A resumed session moves ``session`` up (ahead of
#: route and network): its transcript is the likelier cause.
BASE_ORDER: tuple[Branch, ...] = (
    Branch.INCIDENT,
    Branch.LOGIN,
    Branch.ROUTE,
    Branch.NETWORK,
    Branch.SESSION,
    Branch.PAYLOAD,
    Branch.RATE_LIMIT,
    Branch.OVERLOADED,
)
RESUMED_ORDER: tuple[Branch, ...] = (
    Branch.INCIDENT,
    Branch.LOGIN,
    Branch.SESSION,
    Branch.ROUTE,
    Branch.NETWORK,
    Branch.PAYLOAD,
    Branch.RATE_LIMIT,
    Branch.OVERLOADED,
)

#: Categories whose signal alone is not evidence of their branch: a 500 says "check the
#: status page first"; whether it is an incident is the status check's to say.
WEAK_SIGNALS = frozenset({Category.STATUS_OUTAGE, Category.OTHER})


#: The classifier's kind for a server error raised by a gateway or custom base URL.
GATEWAY_KIND = "gateway_error"

#: Errors that, in a resumed or long-open session with nothing else to explain them, point
#: at the session's own history (the route board: "a resumed session with errors").
SESSION_HINTS = frozenset(
    {
        Category.STATUS_OUTAGE,
        Category.OTHER,
        Category.INVALID_REQUEST,
        Category.REQUEST_TOO_LARGE,
        Category.CONTEXT_TOO_LONG,
    }
)


def is_resumed(findings: Iterable[Finding], answers: Answers) -> bool:
    """The error came from a resumed or long-open session (said, or seen in a transcript)."""
    if answers.activity is Activity.RESUMED:
        return True
    return any(
        f.branch is Branch.SESSION and f.severity.is_problem and f.evidence.get("resumed") is True
        for f in findings
    )


def branch_order(findings: Sequence[Finding], answers: Answers) -> tuple[Branch, ...]:
    return RESUMED_ORDER if is_resumed(findings, answers) else BASE_ORDER


def _pick(order: Sequence[Branch], candidates: dict[Branch, list[str]]) -> Branch | None:
    for branch in order:
        if branch in candidates:
            return branch
    return None


def decide(
    findings: Sequence[Finding],
    signal: ErrorSignal | None = None,
    answers: Answers | None = None,
) -> Verdict:
    """The verdict for this run."""
    answers = answers or Answers()
    strong: dict[Branch, list[str]] = {}
    weak: dict[Branch, list[str]] = {}
    for f in findings:
        if f.branch is Branch.NONE:
            continue
        if f.severity is Severity.FAIL:
            strong.setdefault(f.branch, []).append(f.id)
        elif f.severity is Severity.WARN:
            weak.setdefault(f.branch, []).append(f.id)
    if (
        signal is not None
        and signal.branch is not Branch.NONE
        and signal.category not in WEAK_SIGNALS
    ):
        strong.setdefault(signal.branch, []).append("signal")
    if signal is not None and signal.kind == GATEWAY_KIND:
        # A server error that names a gateway or custom base URL is the gateway's, not
        # Anthropic's: the route, not the status page, is where to look.
        strong.setdefault(Branch.ROUTE, []).append("signal")

    if (
        signal is not None
        and signal.category in SESSION_HINTS
        and answers.activity is Activity.RESUMED
        and signal.surface in (Surface.CLAUDE_CODE, Surface.UNKNOWN)
    ):
        strong.setdefault(Branch.SESSION, []).append("answers.activity")
    order = branch_order(findings, answers)
    branch = _pick(order, strong)
    because = strong.get(branch, []) if branch else []
    if branch is None:
        branch = _pick(order, weak)
        because = weak.get(branch, []) if branch else []
    if branch is None:
        branch = Branch.NONE
    return _verdict(branch, because, findings, signal)


def _verdict(
    branch: Branch,
    because: list[str],
    findings: Sequence[Finding],
    signal: ErrorSignal | None,
) -> Verdict:
    book = PLAYBOOKS[branch]
    by_id = {f.id: f for f in findings}
    deciding = [by_id[i] for i in because if i in by_id]
    reason = ""
    if deciding:
        reason = deciding[0].title
        if len(deciding) > 1:
            reason += f" (and {len(deciding) - 1} more)"
    elif "answers.activity" in because and signal is not None:
        reason = "the error keeps coming in a session you resumed or kept open"
    elif "signal" in because and signal is not None and signal.kind == GATEWAY_KIND:
        reason = "your error comes from a gateway or custom base URL, not from Anthropic"
    elif "signal" in because and signal is not None:
        reason = f"your error reads as {signal.category.value.replace('_', ' ')}"
    elif branch is Branch.NONE and signal is not None and signal.category is Category.STATUS_OUTAGE:
        reason = "your error is a server error but the checks found no incident or local cause"
    summary = f"{book.headline}: {reason}." if reason else f"{book.headline}."
    steps: list[str] = []
    for f in deciding:
        steps.extend(s for s in f.next_steps if s not in steps)
    steps.extend(s for s in book.next_steps if s not in steps)
    return Verdict(
        branch=branch,
        summary=summary,
        first_move=book.first_move,
        next_steps=tuple(steps),
        what_not_to_do=book.what_not_to_do,
        verify=book.verify,
        because=tuple(because),
    )
