"""The request as a whole: size with a breakdown, the token estimate against the window."""

from __future__ import annotations

from claude_doctor.limits import Limits
from claude_doctor.model import Severity
from tests.kit.payload import image_block, png, problems, run, valid_request


def test_request_over_the_size_limit_has_a_breakdown() -> None:
    body = valid_request()
    body["messages"][0]["content"][1] = image_block(png() + b"\x01" * 30_000)
    result = run(body, limits=Limits(request_bytes=20_000))
    (finding,) = [f for f in result.findings if f.id == "payload.request_too_large"]
    assert finding.severity is Severity.FAIL and finding.evidence["path"] == "$"
    breakdown = finding.evidence["breakdown"]
    assert breakdown["images"] > 40_000 > breakdown["text"]
    assert "images" in finding.detail


def test_prompt_past_the_window_is_an_estimate() -> None:
    body = valid_request()
    body["model"] = "claude-haiku-4-5"
    body["messages"][0]["content"][0]["text"] = "word " * 300_000  # ~375K tokens
    (finding,) = [f for f in run(body).findings if f.id == "payload.context_window_exceeded"]
    assert finding.severity is Severity.FAIL and "estimate" in finding.title
    assert finding.evidence["window"] == 200_000
    # the same body is fine for a 1M-window model (--model)
    assert "payload.context_window_exceeded" not in problems(run(body, model="claude-opus-4-6"))


def test_input_plus_max_tokens_over_the_window_warns() -> None:
    body = valid_request()
    body["model"] = "claude-haiku-4-5"
    body["max_tokens"] = 64_000
    body["messages"][0]["content"][0]["text"] = "word " * 120_000  # ~150K tokens
    found = [f for f in run(body).findings if f.id == "payload.context_window_tight"]
    assert [f.severity for f in found] == [Severity.WARN]


def test_unknown_model_is_information_and_limits_are_not_guessed() -> None:
    body = valid_request()
    body["model"] = "my-gateway-model"
    body["max_tokens"] = 500_000
    result = run(body)
    assert "payload.out_of_range" not in problems(result)
    assert any(
        f.id == "payload.model_unknown" and f.severity is Severity.INFO for f in result.findings
    )
