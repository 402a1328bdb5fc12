"""Offline validation of a Messages API request body (the ``payload`` branch).

:func:`read_and_validate` reads the input (a file or a stream, :mod:`..body`) and
:func:`validate` finds the body in it and runs the parts over it
in a fixed order: the top-level parameters (:mod:`.params`), the tools (:mod:`.tools`),
the conversation (:mod:`.messages`, with images and documents in :mod:`.media` and the
tool-call pairing in :mod:`.pairs`), then the request-wide limits and the token estimate
(:mod:`.size`). Each finding names the JSON path of the offending part
(``messages[3].content[1].source.data``) in its title and in ``evidence["path"]``; the
summary (size breakdown, counts, an input-token estimate) goes to the report's ``payload``
block. Nothing here touches the network; limits come from :mod:`claude_doctor.limits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from claude_doctor.checks.payload.body import Body, load_body, read_input, read_stream
from claude_doctor.checks.payload.findings import (
    ROOT_PATH,
    Findings,
    payload_finding,
    plural,
)
from claude_doctor.checks.payload.validate.media import check_media_limits
from claude_doctor.checks.payload.validate.messages import check_messages
from claude_doctor.checks.payload.validate.params import check_system, check_top_level
from claude_doctor.checks.payload.validate.size import check_size_and_tokens
from claude_doctor.checks.payload.validate.state import State
from claude_doctor.checks.payload.validate.tools import check_tool_choice, check_tools
from claude_doctor.limits import LIMITS, Limits
from claude_doctor.model import Finding, Severity
from claude_doctor.safe_read import human_size


@dataclass
class Result:
    """What :func:`validate` found and measured."""

    findings: list[Finding]
    body: Body | None
    summary: dict[str, Any]
    #: False: the input was over the input cap and refused unread.
    read: bool = True

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.FAIL for f in self.findings)


def _run(s: State) -> list[Finding]:
    d = s.data
    check_top_level(s)
    if isinstance(d.get("system"), str | list):
        check_system(s, d["system"])
    tools = d.get("tools")
    if tools is not None:
        check_tools(s, tools)
    if "tool_choice" in d:
        check_tool_choice(s, d["tool_choice"])
    messages = d.get("messages")
    if isinstance(messages, list):
        s.messages = len(messages)
        check_messages(s, messages)
    check_media_limits(s)
    check_size_and_tokens(s)
    return s.found.items


def validate(
    raw: bytes,
    *,
    model: str | None = None,
    base_dir: Path | None = None,
    limits: Limits = LIMITS,
) -> Result:
    """Validate the request in ``raw`` (a body, a wrapped body or a curl command)."""
    body, findings = load_body(raw, base_dir=base_dir, limits=limits)
    if body is None:
        return Result(findings, None, {"size_bytes": len(raw), "readable": False})
    state = State(body, model, limits)
    try:
        findings += _run(state)
    except RecursionError:
        deep = Findings()
        deep.add(
            "json_too_deep", Severity.FAIL, ROOT_PATH, "the request is nested too deeply to check"
        )
        findings += deep.items
    return Result(findings, body, state.summary)


def read_and_validate(
    source: Path | BinaryIO,
    *,
    model: str | None = None,
    base_dir: Path | None = None,
    limits: Limits = LIMITS,
) -> Result:
    """Read the request from ``source`` (a file, or a stream such as stdin) and validate it.
    An input over the cap is refused unread: its one finding, and ``read`` false. Raises
    :class:`~claude_doctor.checks.payload.body.PayloadInputError` when ``source`` cannot be
    read at all."""
    raw = read_input(source, limits) if isinstance(source, Path) else read_stream(source, limits)
    if isinstance(raw, Finding):
        return Result([raw], None, {"readable": False}, read=False)
    return validate(raw, model=model, base_dir=base_dir, limits=limits)


def summary_finding(result: Result) -> Finding:
    """The info finding that carries the ``payload`` evidence block."""
    s = result.summary
    if not s.get("readable", True):
        title = "request could not be read"
    else:
        counts = ", ".join(
            plural(s[k], k[:-1]) for k in ("messages", "images", "documents", "tools")
        )
        title = (
            f"request {human_size(s['size_bytes'])}: {counts}, "
            f"~{s['input_tokens_estimate']:,} input tokens (estimate)"
        )
    problems = sum(1 for f in result.findings if f.severity.is_problem)
    return payload_finding(
        "summary",
        Severity.INFO,
        title,
        "No problem found in the request." if not problems else f"{problems} problem(s) found.",
        path=ROOT_PATH,
        payload=s,
    )


def report_findings(result: Result) -> list[Finding]:
    """The findings for a report: the summary first, then every problem."""
    return [summary_finding(result), *result.findings]
