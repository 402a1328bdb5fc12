"""Findings + the classified error + the user's answers -> one verdict. Pure; no I/O.

It reads the route board (:mod:`claude_doctor.board`): its order of branches and one
playbook per branch. Evidence counts in two strengths: ``fail`` findings and the error
signal are strong, ``warn`` findings weak; the highest branch in the order with strong
evidence wins, else the highest with weak evidence, else ``none``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from claude_doctor.board import BASE_ORDER, PLAYBOOKS, RESUMED_ORDER
from claude_doctor.model import (
    GATEWAY_KIND,
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

#: Categories whose signal alone is not evidence of their branch: a 500 says "check the
#: status page first"; whether it is an incident is the status check's to say.
WEAK_SIGNALS = frozenset({Category.STATUS_OUTAGE, Category.OTHER})

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
