"""The JSON document: exactly the report, redacted, one document."""

from __future__ import annotations

from claude_doctor.redact import Redactor
from claude_doctor.report import Report


def render_json(report: Report) -> str:
    return Redactor().text(report.to_json(indent=2)) + "\n"
