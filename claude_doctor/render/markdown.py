"""The support packet: ticket-ready markdown that a support engineer reads on one screen.

On top, unfolded: the error with its request ids, the verdict with why, the status page at
the time, the active route (masked), each branch's result in one line, and the versions.
Below, folded in ``<details>``: every finding, the hosts the network check walked, and the
checks that ran. The raw evidence stays in ``report --format json``. Home paths read ``~``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from claude_doctor.board import BASE_ORDER, plain_reading
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.redact import Redactor
from claude_doctor.render.lines import verdict_reasons
from claude_doctor.report import Report

#: The branches a check looks at, in the board's order (limits have no local state).
CHECKED = tuple(b for b in BASE_ORDER if b not in (Branch.RATE_LIMIT, Branch.OVERLOADED))
_RANK = {Severity.FAIL: 0, Severity.ERROR: 1, Severity.WARN: 2, Severity.OK: 3, Severity.INFO: 4}
_WORD = {
    Severity.FAIL: "failed",
    Severity.ERROR: "could not check",
    Severity.WARN: "warning",
    Severity.OK: "fine",
    Severity.INFO: "information",
}


#: The first words of a step that is a command to run (shown as code).
COMMANDS = frozenset({"claude", "claude-doctor", "export", "unset", "security", "curl", "dig"})
#: A credential's kind in words.
KINDS = {
    "api_key": "API key",
    "auth_token": "bearer token",
    "api_key_helper": "apiKeyHelper key",
    "oauth_token": "OAuth token",
    "subscription": "subscription login",
    "profile": "profile",
}


def _step(step: str) -> str:
    return f"`{step}`" if step.split(" ", 1)[0] in COMMANDS else step


def _fence(text: str, lang: str = "text") -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{lang}\n{text}\n{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _error(report: Report) -> list[str]:
    s = report.signal
    ids = [str(i) for i in report.evidence.get("request_ids") or []]
    shown = ", ".join(f"`{i}`" for i in ids) or "none"
    if s is None:
        return [f"- **Error:** none given · request ids: {shown}"]
    what = plain_reading(s) or "not an error claude-doctor recognises"
    kind = f" `{s.error_type}`" if s.error_type else ""
    lines = [f"- **Error:** looks like {what}{kind} · request ids: {shown}"]
    if s.message:
        lines += ["", _fence(s.message), ""]
    return lines


def _why(report: Report) -> str:
    return "; ".join(verdict_reasons(report))


def _status_page(page: Mapping[str, Any] | None) -> str:
    if not page:
        return "not read"
    url = page.get("url") or "the status page"
    if not page.get("reachable"):
        return f"could not be read ({url}): an incident was not ruled out"
    said = [str(page.get("description") or page.get("indicator") or "read")]
    unresolved = [str(i.get("name")) for i in page.get("unresolved") or [] if i.get("name")]
    if unresolved:
        said.append("unresolved: " + "; ".join(unresolved[:3]))
    overlapping = page.get("overlapping") or []
    if overlapping:
        said.append(f"{len(overlapping)} incident(s) around the time of the error")
    mine = "fine for you" if page.get("ok_for_you") else "not fine for what you use"
    return f"{', '.join(said)}; {mine} ({url})"


def _route(route: Mapping[str, Any] | None) -> str:
    if not route:
        return "not read"
    active = route.get("active")
    if not active or active == "none" or not route.get("source"):
        return "no credential on any route"
    kind = KINDS.get(str(active), str(active))
    masked = f" {route['masked']}" if route.get("masked") else ""
    text = f"{kind}{masked} from {route.get('source') or '?'}"
    places = [p for s in route.get("set_in") or [] for p in s.get("places") or []]
    if places:
        text += f", set in {', '.join(places[:2])}"
    base = route.get("base_url")
    if base and route.get("base_url_source") not in (None, "default"):
        text += f", base URL {base} from {route.get('base_url_source')}"
    over = [
        f"{KINDS.get(str(c.get('kind')), c.get('kind'))} ({c.get('source')})"
        for c in route.get("competing") or []
    ]
    if over:
        text += "; wins over " + ", ".join(over)
    return text


def _branch_line(branch: Branch, report: Report) -> str:
    v = report.verdict
    titles = {f.id: f.title for f in report.findings if f.branch is branch}
    if branch is v.branch:
        deciding = [titles[i] for i in v.because if i in titles]
        return "the verdict: " + ("; ".join(deciding[:2]) if deciding else "from your error")
    for r in v.ruled_out:
        if r.branch is branch:
            return f"ruled out: {r.reason}"
    for r in v.open:
        if r.branch is branch:
            return f"not checked: {r.reason}"
    mine = [f for f in report.findings if f.branch is branch]
    if not mine:
        return "nothing found"
    worst = min(mine, key=lambda f: _RANK[f.severity])
    return f"{_WORD[worst.severity]}: {worst.title}"


def _versions(report: Report) -> str:
    env = report.environment or {}
    return (
        f"claude-doctor {report.tool_version} (schema {report.schema_version}), "
        f"Claude Code {env.get('claude_code_version') or 'not found'}, "
        f"{env.get('os', '?')}, Python {env.get('python', '?')}"
    )


def _summary(report: Report) -> list[str]:
    v = report.verdict
    lines = ["# claude-doctor report", ""]
    lines += _error(report)
    lines += [
        f"- **Verdict:** `{v.branch.value}` — {v.summary}",
        f"- **Why:** {_why(report)}",
        f"- **First move:** {v.first_move}",
    ]
    if v.verify:
        lines.append(f"- **Verify:** {v.verify}")
    lines += [f"- **Also found:** {a.title}" for a in v.also_found]
    if report.interrupted:
        lines.append("- **Interrupted:** the run was stopped; only the checks that finished count")
    lines += [
        f"- **Status page at the time:** {_status_page(report.evidence.get('status_page'))}",
        f"- **Route:** {_route(report.evidence.get('route'))}",
        f"- **Versions:** {_versions(report)}",
        f"- **Created:** {report.created_at} (took {report.duration_ms} ms)",
        "",
        "| branch | result |",
        "|---|---|",
    ]
    lines += [f"| {b.value} | {_cell(_branch_line(b, report))} |" for b in CHECKED]
    steps = [s for s in v.next_steps if "report --last" not in s]  # this is that report
    if steps or v.what_not_to_do:
        lines += ["", "**Next steps:**", ""]
        lines += [f"1. {_step(step)}" for step in steps]
        lines += [f"- Don't: {dont}" for dont in v.what_not_to_do]
    return lines


def _folded(summary: str, body: Sequence[str]) -> list[str]:
    return ["", "<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>"]


def _findings(findings: Sequence[Finding]) -> list[str]:
    body = ["| severity | branch | finding |", "|---|---|---|"]
    body += [f"| {f.severity.value} | {f.branch.value} | {_cell(f.title)} |" for f in findings]
    for f in findings:
        if f.severity in (Severity.OK, Severity.INFO):
            continue
        body += ["", f"**{f.title}** (`{f.id}`): {f.detail}".rstrip(": ")]
        body += [f"- {_step(step)}" for step in f.next_steps]
    return body


def _hosts(network: Mapping[str, Any] | None) -> list[str]:
    hosts = (network or {}).get("hosts") or []
    body = ["| host | role | dns | tcp | tls | http | first failing layer |", "|---" * 7 + "|"]
    for h in hosts:
        layers = h.get("layers") or {}
        cells = [str(layers.get(k, "-")) for k in ("dns", "tcp", "tls", "http")]
        failing = h.get("first_failing_layer") or "none"
        body.append(f"| {h.get('host')} | {h.get('role')} | {' | '.join(cells)} | {failing} |")
    return body if hosts else []


def render_markdown(report: Report, *, home: str | None = None) -> str:
    """The support packet; ``home`` (the user's home folder) is shown as ``~``."""
    lines = _summary(report)
    lines += _folded(f"All findings ({len(report.findings)})", _findings(report.findings))
    hosts = _hosts(report.evidence.get("network"))
    if hosts:
        lines += _folded(f"Network, per host ({len(hosts) - 2})", hosts)
    if report.checks:
        runs = [
            f"- {c.name}: {c.outcome.value.replace('_', ' ')} in {c.duration_ms} ms"
            for c in report.checks
        ]
        lines += _folded(f"Checks run ({len(report.checks)})", runs)
    lines += ["", "The full evidence: `claude-doctor report --last --format json`."]
    text = Redactor.patterns_only().text("\n".join(lines)) + "\n"
    home = (home or "").rstrip("/")
    if home:
        text = re.sub(re.escape(home) + r"(?![\w.-])", "~", text)
    return text
