"""One canned report, shared by the renderer tests (golden output) and the store tests."""

from __future__ import annotations

from datetime import UTC, datetime

from claude_doctor.decide import decide
from claude_doctor.model import (
    Branch,
    Category,
    CheckOutcome,
    CheckRun,
    ErrorSignal,
    Finding,
    Severity,
    Surface,
)
from claude_doctor.redact import Redactor
from claude_doctor.report import Report, build_report

CREATED = datetime(2026, 11, 25, 9, 30, 0, 123000, tzinfo=UTC)


def canned_findings() -> list[Finding]:
    return [
        Finding(
            "environment.facts",
            Branch.NONE,
            Severity.INFO,
            "Linux 6.1, Python 3.11.7",
            "Claude Code 2.1.240 at /usr/local/bin/claude.",
            evidence={"os": "Linux 6.1", "python": "3.11.7", "claude_code_version": "2.1.240"},
        ),
        Finding(
            "route.api_key_shadows_oauth",
            Branch.ROUTE,
            Severity.FAIL,
            "ANTHROPIC_API_KEY overrides your subscription login",
            "The key from ~/.zshrc line 12 wins over the claude.ai login.",
            next_steps=("unset ANTHROPIC_API_KEY",),
            evidence={"route": {"active": "api_key", "source": "~/.zshrc:12"}},
        ),
        Finding(
            "route.settings.ok",
            Branch.ROUTE,
            Severity.OK,
            "settings files valid (2 found)",
        ),
        Finding(
            "engine.network.timed_out",
            Branch.NETWORK,
            Severity.ERROR,
            "network check timed out",
            "The network check was still waiting for DNS after 5.0 s.",
            evidence={"check": "network", "outcome": "timed_out", "request_ids": ["req_011CXnet"]},
        ),
    ]


def canned_report() -> Report:
    findings = canned_findings()
    signal = ErrorSignal(
        category=Category.BILLING_CREDIT,
        branch=Branch.ROUTE,
        message="Credit balance is too low",
        request_ids=("req_011CSHoEeqs5C35K2UUqR7Fy",),
        surface=Surface.CLAUDE_CODE,
        confidence=0.9,
        matched="Credit balance is too low",
    )
    return build_report(
        findings=findings,
        verdict=decide(findings, signal),
        redactor=Redactor(),
        checks=[
            CheckRun("environment", Branch.NONE, CheckOutcome.DONE, 12),
            CheckRun("settings", Branch.ROUTE, CheckOutcome.DONE, 3),
            CheckRun("network", Branch.NETWORK, CheckOutcome.TIMED_OUT, 5000),
        ],
        signal=signal,
        duration_ms=5012,
        created_at=CREATED,
    )
