"""A whole validation: a valid request (text, every image format, a tool-use round trip, a
PDF) gives nothing worse than info, and no body crashes it. Test images and PDFs are real
bytes built in tests/kit/payload.py."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from claude_doctor.checks.payload.validate import read_and_validate, report_findings
from claude_doctor.limits import Limits
from claude_doctor.model import Severity
from tests.kit.payload import run, valid_request


def test_valid_request_has_no_problem() -> None:
    result = run(valid_request())
    assert [f for f in result.findings if f.severity.rank > Severity.INFO.rank] == []
    s = result.summary
    assert (s["messages"], s["images"], s["documents"], s["tools"], s["pdf_pages"]) == (
        3,
        4,
        1,
        1,
        2,
    )
    assert s["breakdown_bytes"]["images"] > 0 and s["breakdown_bytes"]["documents"] > 0
    assert s["input_tokens_estimate"] > 0 and "estimate" in s["input_tokens_estimate_note"]


def test_the_report_findings_start_with_the_summary() -> None:
    body = valid_request()
    body["temperature"] = 3
    findings = report_findings(run(body))
    assert [f.id for f in findings] == ["payload.summary", "payload.out_of_range"]
    assert findings[0].title.startswith("request ") and "1 problem(s)" in findings[0].detail
    assert findings[0].evidence["payload"]["messages"] == 3


def test_deep_but_parseable_nesting_does_not_crash() -> None:
    body = valid_request()
    deep: Any = "x"
    for _ in range(900):
        deep = {"a": deep}
    body["messages"][1]["content"][1]["input"] = deep
    body["tools"][0]["input_schema"]["properties"]["deep"] = deep
    result = run(body)
    assert all(f.severity is not Severity.ERROR for f in result.findings)


def test_read_and_validate_reads_a_file_or_a_stream_and_refuses_one_over_the_cap(
    tmp_path: Path,
) -> None:
    raw = json.dumps(valid_request()).encode()
    path = tmp_path / "request.json"
    path.write_bytes(raw)
    from_file = read_and_validate(path)
    from_stream = read_and_validate(io.BytesIO(raw))
    assert from_file.read and from_file.body is not None
    assert from_file.summary == from_stream.summary
    small = Limits(input_cap_bytes=100)
    refused = read_and_validate(path, limits=small)
    assert not refused.read and refused.body is None
    assert [f.id for f in refused.findings] == ["payload.request_too_large"]
    assert not read_and_validate(io.BytesIO(raw), limits=small).read
