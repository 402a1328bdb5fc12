"""Ticket-ready markdown: the verdict (how sure, what was ruled out, not checked and also
found), the error, request ids, findings and evidence."""

from __future__ import annotations

import json

from claude_doctor.model import Severity
from claude_doctor.redact import Redactor
from claude_doctor.report import Report


def _fence(text: str, lang: str = "text") -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{lang}\n{text}\n{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    v = report.verdict
    env = report.environment
    lines = [
        "# claude-doctor report",
        "",
        f"- **Verdict:** `{v.branch.value}` — {v.summary}",
        f"- **First move:** {v.first_move}",
    ]
    if v.verify:
        lines.append(f"- **Verify:** {v.verify}")
    lines.append(f"- **Confidence:** {v.confidence.value}")
    lines += [f"- **Ruled out:** `{r.branch.value}` — {r.reason} ({r.by})" for r in v.ruled_out]
    lines += [f"- **Not checked:** `{r.branch.value}` — {r.reason}" for r in v.open]
    lines += [f"- **Also found:** {a.title} (`{a.id}`)" for a in v.also_found]
    lines += [
        f"- **Created:** {report.created_at} (took {report.duration_ms} ms)",
        f"- **Tool:** claude-doctor {report.tool_version}, schema {report.schema_version}",
    ]
    if env:
        lines.append(
            f"- **Environment:** {env.get('os', '?')}, Python {env.get('python', '?')}, "
            f"Claude Code {env.get('claude_code_version') or 'not found'}"
        )
    ids = report.evidence.get("request_ids") or []
    if ids:
        lines.append("- **Request ids:** " + ", ".join(f"`{i}`" for i in ids))
    if report.signal:
        s = report.signal
        lines += [
            "",
            "## The error",
            "",
            f"Category `{s.category.value}` (branch `{s.branch.value}`"
            + (f", HTTP {s.http_status}" if s.http_status else "")
            + (f", `{s.error_type}`" if s.error_type else "")
            + ")",
            "",
            _fence(s.message),
        ]
    if v.next_steps or v.what_not_to_do:
        lines += ["", "## Next steps", ""]
        lines += [f"1. {step}" for step in v.next_steps]
        lines += [f"- Don't: {dont}" for dont in v.what_not_to_do]
    lines += ["", "## Findings", "", "| severity | branch | finding |", "|---|---|---|"]
    for f in report.findings:
        lines.append(f"| {f.severity.value} | {f.branch.value} | {_cell(f.title)} |")
    details = [f for f in report.findings if f.severity not in (Severity.OK, Severity.INFO)]
    for f in details:
        lines += ["", f"### {f.title}", "", f"`{f.id}` — {f.detail}".rstrip(" —")]
        lines += [f"- {step}" for step in f.next_steps]
    if report.checks:
        lines += ["", "## Checks run", ""]
        lines += [
            f"- {c.name}: {c.outcome.value.replace('_', ' ')} in {c.duration_ms} ms"
            for c in report.checks
        ]
    extra = {k: val for k, val in report.evidence.items() if k != "request_ids"}
    if extra:
        lines += ["", "## Evidence", "", _fence(json.dumps(extra, indent=2), "json")]
    return Redactor.patterns_only().text("\n".join(lines)) + "\n"
