"""Reading the input: bad bytes and bad JSON are findings, logged requests are unwrapped,
curl command lines give up their body (inline or @file) and their secret headers, and an
input over the cap is refused unread."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from claude_doctor.checks.payload.body import PayloadInputError, read_input, read_stream
from claude_doctor.checks.payload.validate import validate
from claude_doctor.limits import Limits
from claude_doctor.model import Finding
from tests.kit.payload import problems, run, valid_request


@pytest.mark.parametrize(
    ("raw", "finding", "words"),
    [
        (b'{"model": "x",\n  "messages": [}', "payload.json_syntax", "line 2, column"),
        (b"[1, 2, 3]", "payload.not_an_object", "JSON array"),
        (b"   ", "payload.json_syntax", "empty"),
        (b'{"model": "caf\xe9"}', "payload.not_utf8", "offset 14"),
        ('{"model": "x"}'.encode("utf-16"), "payload.not_utf8", "UTF-16"),
        (b"[" * 100_000 + b"]" * 100_000, "payload.json_too_deep", "nested too deeply"),
        (
            b'{"model": "x", "max_tokens": 1, "messages": [], "temperature": NaN}',
            "payload.json_nonfinite",
            "NaN",
        ),
    ],
)
def test_bad_input_gives_a_clear_finding(raw: bytes, finding: str, words: str) -> None:
    result = run(raw)
    matching = [f for f in result.findings if f.id == finding]
    assert matching, result.findings
    assert words in matching[0].title


def test_logged_request_wrappers_are_unwrapped() -> None:
    body = valid_request()
    body["temperature"] = 3
    for wrapper in (
        {"request": {"method": "POST", "body": body}},
        {"json": body, "url": "https://api.anthropic.com/v1/messages"},
        {"body": json.dumps(body)},
    ):
        result = run(wrapper)
        assert problems(result) == {"payload.out_of_range": ["temperature"]}, wrapper.keys()
        assert result.body is not None and result.body.origin in ("request.body", "json", "body")


def test_curl_command_with_inline_data_and_a_secret_header() -> None:
    body = json.dumps(valid_request() | {"top_k": -1})
    key = "sk-ant-api03-" + "Z" * 60 + "Ab12"
    command = (
        "curl https://api.anthropic.com/v1/messages \\\n"
        f'  -H "x-api-key: {key}" \\\n'
        '  -H "content-type: application/json" \\\n'
        f"  -d '{body}'\n"
    )
    result = run(command.encode())
    assert problems(result) == {"payload.out_of_range": ["top_k"]}
    assert result.body is not None and key in result.body.secrets


def test_curl_data_binary_at_file(tmp_path: Path) -> None:
    (tmp_path / "body.json").write_text(json.dumps(valid_request() | {"stop": ["x"]}))
    command = "curl -s https://api.anthropic.com/v1/messages --data-binary @body.json"
    result = validate(command.encode(), base_dir=tmp_path)
    assert problems(result) == {"payload.unknown_parameter": ["stop"]}
    missing = validate(b"curl https://x --data @nope.json", base_dir=tmp_path)
    assert "nope.json" in missing.findings[0].title


def test_curl_without_body_or_with_broken_quotes() -> None:
    assert (
        run(b"curl https://api.anthropic.com/v1/models").findings[0].id == "payload.missing_field"
    )
    assert run(b'curl -d \'{"a": 1}').findings[0].id == "payload.curl_unparsable"
    assert run(b"curl https://x -d @-").findings[0].id == "payload.curl_unparsable"


def test_reads_are_bounded_by_the_input_cap(tmp_path: Path) -> None:
    limits = Limits(input_cap_bytes=100)
    small = tmp_path / "small.json"
    small.write_bytes(b"{}")
    assert read_input(small, limits) == b"{}"
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 101)
    refused = read_input(big, limits)
    assert isinstance(refused, Finding) and refused.id == "payload.request_too_large"
    assert refused.evidence["read"] is False and refused.evidence["size"] == 101
    streamed = read_stream(io.BytesIO(b" " * 500), limits)
    assert isinstance(streamed, Finding) and "over 100 bytes" in streamed.title


def test_unreadable_inputs_raise(tmp_path: Path) -> None:
    with pytest.raises(PayloadInputError, match="no such file"):
        read_input(tmp_path / "missing.json")
    with pytest.raises(PayloadInputError, match="a directory"):
        read_input(tmp_path)
