"""The rebuilt request of a session (:mod:`.request`) checked the way the API would: its size
against the request limit, and the payload validator over it, every problem named by its
JSON path; and the session check's findings about it, which carry sizes, limits and paths,
never the user's content.

Claude Code sends ``system``-role messages inside ``messages`` with its betas, so the
validator's ``payload.system_role`` is not a problem here. A message the rebuild could not
resolve is left out of the judgement, with its neighbours (a tool call and its result pair
across them).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claude_doctor.checks.payload.validate import validate
from claude_doctor.checks.session.request import Rebuilt, rebuild_request
from claude_doctor.limits import LIMITS, MiB
from claude_doctor.model import Branch, Finding, FindingMaker, Severity

#: What Claude Code adds to the body it sends: ``metadata`` (a device and session id),
#: ``"stream": true`` and a billing-header system block, about 0.4 KB together.
CLIENT_EXTRA_BYTES = 512
#: Problems Claude Code's own requests always have for the validator.
EXPECTED = frozenset({"payload.system_role"})
#: The session check gives the rebuild this long.
CHECK_SECONDS = 4.0

_SESSION = FindingMaker(Branch.SESSION)
_MESSAGE_INDEX = re.compile(r"messages\[(\d+)\]")


@dataclass
class Problem:
    """One validation problem: the validator's finding id, severity, path and title."""

    id: str
    severity: Severity
    path: str
    title: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "path": self.path,
            "title": self.title,
            **{k: v for k, v in self.evidence.items() if k in ("size", "limit", "media_type")},
        }


@dataclass
class RequestCheck:
    """A rebuilt request measured and validated."""

    rebuilt: Rebuilt
    size: int | None = None
    limit: int = LIMITS.request_bytes
    problems: list[Problem] = field(default_factory=list)
    #: Validator findings left out: expected of Claude Code, or about unresolved messages.
    skipped: int = 0
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def over_limit(self) -> bool:
        return self.size is not None and self.size > self.limit

    @property
    def margin(self) -> int | None:
        """Bytes left under the limit once the client's own parts are added."""
        return None if self.size is None else self.limit - self.size - CLIENT_EXTRA_BYTES

    @property
    def failing(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.FAIL]


def serialize(body: dict[str, Any]) -> bytes:
    """The body as Claude Code sends it: compact JSON, non-ASCII kept."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _unjudged(rebuilt: Rebuilt) -> set[int]:
    near: set[int] = set()
    for m in rebuilt.missing:
        near |= {m.index - 1, m.index, m.index + 1}
    return near


def check_request(rebuilt: Rebuilt) -> RequestCheck:
    """Measure and validate ``rebuilt`` (nothing to do when it has no body)."""
    result = RequestCheck(rebuilt)
    if rebuilt.body is None:
        return result
    raw = serialize(rebuilt.body)
    result.size = len(raw)
    validated = validate(raw)
    del raw
    unjudged = _unjudged(rebuilt)
    for finding in validated.findings:
        if not finding.severity.is_problem:
            continue
        path = str(finding.evidence.get("path", "$"))
        index = _MESSAGE_INDEX.match(path)
        if finding.id in EXPECTED or (index and int(index.group(1)) in unjudged):
            result.skipped += 1
            continue
        title = finding.title.split(" — ", 1)[-1]
        result.problems.append(
            Problem(finding.id, finding.severity, path, title, dict(finding.evidence))
        )
    keep = ("size_bytes", "messages", "images", "documents", "tools", "input_tokens_estimate")
    result.summary = {k: validated.summary[k] for k in keep if k in validated.summary}
    return result


# --- the session check's findings ---------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / MiB:.1f} MB"


def _evidence(check: RequestCheck, session_id: str) -> dict[str, Any]:
    r = check.rebuilt
    return {
        "session_id": session_id,
        "request": {
            "timestamp": r.timestamp,
            "model": r.body.get("model") if r.body else None,
            "messages": r.messages,
            "size_bytes": check.size,
            "limit_bytes": check.limit,
            "margin_bytes": check.margin,
            "complete": r.complete,
            "missing_messages": [m.index for m in r.missing],
        },
    }


def _show(session_id: str) -> str:
    return f"claude-doctor sessions --request {session_id}  # the rebuilt request, offline"


def request_findings(check: RequestCheck, session_id: str) -> list[Finding]:
    """The findings about a session's failing request: over the size limit, validation
    problems by path. Nothing when the request is fine or could not be rebuilt."""
    findings: list[Finding] = []
    if check.size is None:
        return findings
    if check.over_limit:
        findings.append(
            _SESSION(
                "request_too_large",
                Severity.FAIL,
                f"the failing request was {_mb(check.size)}, over the API's "
                f"{_mb(check.limit)} limit",
                f"Rebuilt from session {session_id}'s transcript, the request its failing turn "
                f"sent is {check.size:,} bytes (limit {check.limit:,}; Claude Code adds about "
                f"{CLIENT_EXTRA_BYTES} bytes of its own). Every turn resends the history, so "
                "every request fails with 413 until the history shrinks.",
                (
                    "Double press Esc in the session to go back before the large attachment",
                    "/compact or /clear in the session, or start a fresh one",
                    _show(session_id),
                ),
                path="$",
                **_evidence(check, session_id),
            )
        )
    if check.problems:
        failing = check.failing
        paths = [p.path for p in check.problems]
        shown = "; ".join(f"{p.path} — {p.title}" for p in check.problems[:5])
        findings.append(
            _SESSION(
                "request_invalid",
                Severity.FAIL if failing else Severity.WARN,
                f"the failing request has {len(check.problems)} problem(s) at "
                + ", ".join(paths[:3])
                + ("…" if len(paths) > 3 else ""),
                f"The payload validator, run on the request rebuilt from session "
                f"{session_id}'s transcript, finds: {shown}. The API rejects the request "
                "again at every turn while the history holds it.",
                (
                    "Double press Esc to go back before the broken turn, or /clear",
                    _show(session_id),
                ),
                paths=paths,
                problems=[p.to_dict() for p in check.problems[:50]],
                **_evidence(check, session_id),
            )
        )
    return findings


def failing_request_findings(path: Path, session_id: str) -> list[Finding]:
    """Rebuild and check the failing request of the transcript at ``path`` within
    :data:`CHECK_SECONDS`; its findings."""
    rebuilt = rebuild_request(path, deadline=time.monotonic() + CHECK_SECONDS)
    return request_findings(check_request(rebuilt), session_id)
