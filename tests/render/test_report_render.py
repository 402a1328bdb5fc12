"""The report contract (schema 1) and the three renderers, from one canned report."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from claude_doctor.board import BASE_ORDER
from claude_doctor.decide import decide
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.redact import Redactor
from claude_doctor.render import OutputFormat, render
from claude_doctor.render.console import LINE_NAMES
from claude_doctor.report import ReportFormatError, build_report, report_from_dict, report_schema
from tests.kit.reports import canned_report

GOLDEN = Path(__file__).parent / "golden"


def test_canned_report_matches_the_schema() -> None:
    data = canned_report().to_dict()
    jsonschema.Draft202012Validator.check_schema(report_schema())
    jsonschema.validate(data, report_schema())
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "claude-doctor"
    assert data["created_at"] == "2026-11-25T09:30:00.123Z"
    assert data["verdict"]["branch"] == "route"
    assert data["environment"]["claude_code_version"] == "2.1.240"


def test_evidence_collects_request_ids_and_lifted_blocks() -> None:
    evidence = canned_report().to_dict()["evidence"]
    assert evidence["request_ids"] == ["req_011CSHoEeqs5C35K2UUqR7Fy", "req_011CXnet"]
    assert evidence["route"] == {"active": "api_key", "source": "~/.zshrc:12"}


def test_schema_rejects_a_broken_report() -> None:
    data = canned_report().to_dict()
    data["verdict"]["branch"] = "somewhere"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema())


def test_round_trip_through_dict() -> None:
    report = canned_report()
    again = report_from_dict(json.loads(report.to_json()))
    assert again.to_dict() == report.to_dict()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"schema_version": 2},
        {"schema_version": 1, "verdict": {}},
        {"schema_version": 1, "findings": 3},
    ],
)
def test_reading_a_non_report_says_so(data: dict[str, object]) -> None:
    with pytest.raises(ReportFormatError):
        report_from_dict(data)


def test_json_renderer_is_exactly_one_document() -> None:
    text = render(canned_report(), OutputFormat.JSON)
    assert json.loads(text) == canned_report().to_dict()
    assert text.endswith("}\n")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if not path.exists():  # first run writes the golden file; review it before committing
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_console_golden() -> None:
    text = render(canned_report(), OutputFormat.CONSOLE, saved_to=Path("/home/u/reports/r.json"))
    _golden("console.txt", text)
    assert "\x1b[" not in text


def test_console_verbose_golden() -> None:
    _golden("console_verbose.txt", render(canned_report(), OutputFormat.CONSOLE, verbose=True))


def test_markdown_golden() -> None:
    _golden("report.md", render(canned_report(), OutputFormat.MARKDOWN))


def test_console_marks_each_state() -> None:
    text = render(canned_report(), OutputFormat.CONSOLE)
    assert "[✗] route" in text
    assert "[⏱] network" in text
    assert "Verdict: route" in text
    assert "First move:" in text and "Don't:" in text


def test_console_color_only_when_asked() -> None:
    colored = render(canned_report(), OutputFormat.CONSOLE, color=True)
    assert "\x1b[" in colored


def test_every_output_format_is_rendered() -> None:
    for fmt in OutputFormat:
        assert render(canned_report(), fmt).strip()


def _branch_lines(findings: list[Finding]) -> list[str]:
    report = build_report(findings=findings, verdict=decide(findings), redactor=Redactor())
    text = render(report, OutputFormat.CONSOLE)
    return [line.split()[1] for line in text.splitlines() if line.startswith("[")]


def test_console_lists_the_branch_lines_in_the_board_order() -> None:
    findings = [
        Finding(f"{b.value}.x", b, Severity.WARN, f"{b.value} problem")
        for b in reversed(Branch)
        if b is not Branch.NONE
    ]
    assert _branch_lines(findings) == [LINE_NAMES.get(b, b.value) for b in BASE_ORDER]


@pytest.mark.parametrize(
    ("higher", "lower"),
    [(a, b) for i, a in enumerate(BASE_ORDER) for b in BASE_ORDER[i + 1 :]],
)
def test_the_first_failing_line_is_the_verdicts_branch(higher: Branch, lower: Branch) -> None:
    findings = [Finding(f"{b.value}.x", b, Severity.FAIL, "x") for b in (lower, higher)]
    assert _branch_lines(findings)[0] == LINE_NAMES.get(higher, higher.value)
    if (higher, lower) == (Branch.LOGIN, Branch.NETWORK):
        # A failing network path blocks /login: the verdict names it, the login follows.
        verdict = decide(findings)
        assert verdict.branch is Branch.NETWORK
        assert [a.branch for a in verdict.also_found] == [Branch.LOGIN]
    else:
        assert decide(findings).branch is higher


def test_the_console_says_why_and_what_else_was_found() -> None:
    findings = [
        Finding("login.not_logged_in", Branch.LOGIN, Severity.FAIL, "not logged in"),
        Finding("network.offline", Branch.NETWORK, Severity.FAIL, "this machine is offline"),
    ]
    report = build_report(findings=findings, verdict=decide(findings), redactor=Redactor())
    text = render(report, OutputFormat.CONSOLE)
    assert "Why: high confidence; from this machine is offline." in text
    assert "Also found: not logged in" in text
    markdown = render(report, OutputFormat.MARKDOWN)
    assert "- **Also found:** not logged in\n" in markdown


def test_a_low_confidence_says_what_would_raise_it() -> None:
    timed_out = Finding("engine.network.timed_out", Branch.NETWORK, Severity.ERROR, "timed out")
    report = build_report(findings=[timed_out], verdict=decide([timed_out]), redactor=Redactor())
    text = render(report, OutputFormat.CONSOLE, width=300)
    assert "Why: low confidence; not checked network; to be surer: paste the error" in text
    assert "go online and run it again" in text
