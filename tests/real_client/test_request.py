"""``sessions --request`` on what the real client wrote after a reply that succeeded and a
turn that failed (``--continue``): the assistant's reply, which has no blob line of its own,
is resolved from its transcript line, and the rebuilt body is the one the fake API received
(without ``metadata``, ``"stream": true`` and the billing-header ``system`` block)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_doctor.checks.session.request import rebuild_request
from tests.kit import fakeapi as api
from tests.kit.local import FakeHome
from tests.kit.realclaude import RealClaude, doctor

pytestmark = pytest.mark.timeout(120)


def test_a_reply_then_a_failure_rebuilds_exactly(real_claude: RealClaude, tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    failure = api.api_error(500, "api_error", "boom", request_id="req_011RebuildTwo")
    with api.fake_api([api.healthy("hello there"), failure]) as fake:
        first = real_claude.run(home, fake.url, ("-p", "first"))
        second = real_claude.run(home, fake.url, ("-p", "--continue", "second"))
        bodies = fake.bodies()
    assert first.code == 0 and second.code == 1, (first.text, second.text)
    assert len(bodies) == 2
    wire = bodies[-1]
    wire.pop("metadata")
    assert wire.pop("stream") is True
    assert wire["system"].pop(0)["text"].startswith("x-anthropic-billing-header:")
    (path,) = second.sessions()
    rebuilt = rebuild_request(path)
    assert rebuilt.complete and rebuilt.failed_turn
    assert rebuilt.body == wire
    assert any(m["role"] == "assistant" for m in wire["messages"])
    out = tmp_path / "request.json"
    result = doctor(second, "sessions", "--request", path.stem, "--out", str(out))
    assert result.code == 0, result.stdout + result.stderr
    assert json.loads(out.read_text()) == wire
