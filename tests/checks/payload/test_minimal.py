"""The minimal reproduction of a failing request."""

from __future__ import annotations

import json

from claude_doctor.checks.payload.minimal import PLACEHOLDER, minimal_request
from claude_doctor.limits import Limits
from claude_doctor.redact import Redactor
from tests.kit.payload import run, valid_request


def test_minimal_says_when_the_failure_is_the_whole_request() -> None:
    body = valid_request()
    result = run(body, limits=Limits(request_bytes=1_000))
    assert result.body is not None
    cut = minimal_request(result.body, result.findings, Redactor())
    assert any("payload.request_too_large" in note for note in cut.notes)
    # the last user turn answers a tool_use, so its assistant turn comes along; the
    # attachments of the first turn are not at fault and go
    assert cut.kept_messages == [1, 2]
    assert cut.request["messages"][0] == {"role": "user", "content": PLACEHOLDER}
    assert cut.request["messages"][1:] == body["messages"][1:]
    assert "base64" not in json.dumps(cut.request)
