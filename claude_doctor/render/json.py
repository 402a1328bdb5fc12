"""The JSON document: exactly the report, redacted, one document."""

from __future__ import annotations

import json

from claude_doctor.redact import Redactor
from claude_doctor.report import Report


def report_json(report: Report) -> str:
    """The report as JSON, masked once more value by value (never as text, which could
    cut a JSON token in half)."""
    return json.dumps(Redactor.patterns_only().data(report.to_dict()), indent=2, ensure_ascii=False)


def render_json(report: Report) -> str:
    return report_json(report) + "\n"
