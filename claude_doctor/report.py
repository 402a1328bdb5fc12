"""The report: the JSON contract (schema version 1), built already redacted.

Everything that leaves the process (console, JSON, markdown, the stored history) is
rendered from a :class:`Report`, and a Report only ever holds redacted values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from claude_doctor import __version__
from claude_doctor.model import (
    AlsoFound,
    Answers,
    Branch,
    Category,
    CheckOutcome,
    CheckRun,
    Confidence,
    ErrorSignal,
    Finding,
    Ruling,
    Severity,
    Surface,
    Verdict,
)
from claude_doctor.redact import Redactor

SCHEMA_VERSION = 1
TOOL_NAME = "claude-doctor"
#: Finding evidence keys lifted into the report's top-level ``evidence`` block.
LIFTED_EVIDENCE = ("status_page", "route", "network", "session", "payload", "verify")
ENVIRONMENT_FINDING = "environment.facts"


@dataclass(frozen=True)
class Report:
    """One run's result. Build with :func:`build_report`; never holds a secret."""

    created_at: str
    duration_ms: int
    verdict: Verdict
    findings: tuple[Finding, ...]
    checks: tuple[CheckRun, ...] = ()
    signal: ErrorSignal | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] | None = None
    tool_version: str = __version__
    schema_version: int = SCHEMA_VERSION
    #: What made the run: None for a command, ``stop_failure`` for Claude Code's hook.
    source: str | None = None
    #: The hook's own facts (session, when it failed, how many times): see the schema doc.
    hook: dict[str, Any] | None = None
    #: The run was stopped (Ctrl-C, SIGTERM, SIGHUP): only the checks that finished count.
    interrupted: bool = False
    #: What made it: ``check``, ``guided`` or ``verify`` (None: not said).
    command: str | None = None

    def to_dict(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.source is not None:
            extra["source"] = self.source
        if self.hook is not None:
            extra["hook"] = self.hook
        return {
            "schema_version": self.schema_version,
            "tool": {"name": TOOL_NAME, "version": self.tool_version},
            "created_at": self.created_at,
            "duration_ms": self.duration_ms,
            "verdict": self.verdict.to_dict(),
            "signal": self.signal.to_dict() if self.signal else None,
            "findings": [f.to_dict() for f in self.findings],
            "checks": [c.to_dict() for c in self.checks],
            "evidence": self.evidence,
            "environment": self.environment,
            "answers": self.answers,
            **extra,
            "interrupted": self.interrupted,
            "command": self.command,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @property
    def has_problems(self) -> bool:
        """Any finding at warn or fail: exit code 1."""
        return any(f.severity.is_problem for f in self.findings)


def utc_timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _redact_finding(f: Finding, r: Redactor) -> Finding:
    return replace(
        f,
        title=r.text(f.title),
        detail=r.text(f.detail),
        next_steps=tuple(r.text(s) for s in f.next_steps),
        evidence=r.data(f.evidence),
    )


def _redact_signal(s: ErrorSignal, r: Redactor) -> ErrorSignal:
    return replace(s, message=r.text(s.message), matched=r.text(s.matched))


def _redact_verdict(v: Verdict, r: Redactor) -> Verdict:
    return replace(
        v,
        summary=r.text(v.summary),
        first_move=r.text(v.first_move),
        next_steps=tuple(r.text(s) for s in v.next_steps),
        verify=r.text(v.verify),
        ruled_out=tuple(replace(x, reason=r.text(x.reason)) for x in v.ruled_out),
        open=tuple(replace(x, reason=r.text(x.reason)) for x in v.open),
        also_found=tuple(replace(a, title=r.text(a.title)) for a in v.also_found),
    )


def collect_evidence(findings: tuple[Finding, ...], signal: ErrorSignal | None) -> dict[str, Any]:
    """The report's ``evidence``: every request id seen, and the blocks findings offer."""
    ids: list[str] = list(signal.request_ids) if signal else []
    evidence: dict[str, Any] = {}
    for f in findings:
        for rid in [f.evidence.get("request_id"), *f.evidence.get("request_ids", ())]:
            if isinstance(rid, str) and rid and rid not in ids:
                ids.append(rid)
        for key in LIFTED_EVIDENCE:
            if key in f.evidence and key not in evidence:
                evidence[key] = f.evidence[key]
    return {"request_ids": ids, **evidence}


def build_report(
    *,
    findings: list[Finding],
    verdict: Verdict,
    redactor: Redactor,
    checks: list[CheckRun] | None = None,
    signal: ErrorSignal | None = None,
    answers: Answers | None = None,
    duration_ms: int = 0,
    created_at: datetime | None = None,
) -> Report:
    """Assemble the report and redact every string in it."""
    clean = tuple(_redact_finding(f, redactor) for f in findings)
    clean_signal = _redact_signal(signal, redactor) if signal else None
    environment: dict[str, Any] = {}
    for f in clean:
        if f.id == ENVIRONMENT_FINDING:
            environment = dict(f.evidence)
    return Report(
        created_at=utc_timestamp(created_at),
        duration_ms=duration_ms,
        verdict=_redact_verdict(verdict, redactor),
        findings=clean,
        checks=tuple(checks or ()),
        signal=clean_signal,
        evidence=redactor.data(collect_evidence(clean, clean_signal)),
        environment=environment,
        answers=redactor.data(answers.to_dict()) if answers else None,
    )


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report, shipped with the package."""
    text = resources.files("claude_doctor").joinpath("report_schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


class ReportFormatError(ValueError):
    """A stored report is not a schema-1 report this version can read."""


def _rulings(items: Any) -> tuple[Ruling, ...]:
    return tuple(Ruling(Branch(r["branch"]), r["by"], r["reason"]) for r in items)


def _verdict_from_dict(v: dict[str, Any]) -> Verdict:
    return Verdict(
        branch=Branch(v["branch"]),
        summary=v["summary"],
        first_move=v["first_move"],
        next_steps=tuple(v.get("next_steps", ())),
        what_not_to_do=tuple(v.get("what_not_to_do", ())),
        verify=v.get("verify", ""),
        because=tuple(v.get("because", ())),
        confidence=Confidence(v.get("confidence", Confidence.MEDIUM)),
        ruled_out=_rulings(v.get("ruled_out", ())),
        open=_rulings(v.get("open", ())),
        also_found=tuple(
            AlsoFound(a["id"], Branch(a["branch"]), a["title"]) for a in v.get("also_found", ())
        ),
    )


def _signal_from_dict(s: dict[str, Any]) -> ErrorSignal:
    return ErrorSignal(
        category=Category(s["category"]),
        branch=Branch(s["branch"]),
        message=s.get("message", ""),
        http_status=s.get("http_status"),
        error_type=s.get("error_type"),
        request_ids=tuple(s.get("request_ids", ())),
        retry_after=s.get("retry_after"),
        occurred_at=s.get("occurred_at"),
        surface=Surface(s.get("surface", Surface.UNKNOWN)),
        confidence=s.get("confidence", 0.0),
        matched=s.get("matched", ""),
        kind=s.get("kind"),
    )


def report_from_dict(data: dict[str, Any]) -> Report:
    """Read a stored report back (the inverse of :meth:`Report.to_dict`)."""
    try:
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ReportFormatError(f"unknown schema_version {data.get('schema_version')!r}")
        verdict = _verdict_from_dict(data["verdict"])
        findings = tuple(
            Finding(
                id=f["id"],
                branch=Branch(f["branch"]),
                severity=Severity(f["severity"]),
                title=f["title"],
                detail=f.get("detail", ""),
                next_steps=tuple(f.get("next_steps", ())),
                evidence=dict(f.get("evidence") or {}),
            )
            for f in data["findings"]
        )
        checks = tuple(
            CheckRun(
                c["name"],
                Branch(c["branch"]),
                CheckOutcome(c["outcome"]),
                c["duration_ms"],
                started=c.get("started", True) is not False,
            )
            for c in data.get("checks", ())
        )
        s = data.get("signal")
        signal = _signal_from_dict(s) if s else None
        return Report(
            created_at=data["created_at"],
            duration_ms=data["duration_ms"],
            verdict=verdict,
            findings=findings,
            checks=checks,
            signal=signal,
            evidence=dict(data.get("evidence") or {}),
            environment=dict(data.get("environment") or {}),
            answers=data.get("answers"),
            tool_version=data.get("tool", {}).get("version", "?"),
            source=data.get("source") if isinstance(data.get("source"), str) else None,
            hook=dict(data["hook"]) if isinstance(data.get("hook"), dict) else None,
            interrupted=data.get("interrupted") is True,
            command=data["command"] if isinstance(data.get("command"), str) else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ReportFormatError):
            raise
        raise ReportFormatError(f"not a claude-doctor report: {exc}") from None
