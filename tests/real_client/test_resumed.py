"""A session the real client resumed, continued and forked after failures: ``sessions``
marks both transcripts resumed and says how, ``check`` fires the resumed-session rule, and
``sessions --request`` rebuilds, for every session, exactly the body the fake API received
last from it (but for the three parts the client adds on the wire: ``metadata``,
``"stream": true`` and its first ``system`` block, the billing header)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.kit import fakeapi as api
from tests.kit.local import CliResult, FakeHome, Seen
from tests.kit.realclaude import ClaudeRun, RealClaude, doctor, transcript

pytestmark = pytest.mark.timeout(300)

SECRET = "sk-ant-api03-" + "ResumedPrompt0000" * 5 + "q7AA"
PRIVATE = "the words of my own prompt"
SESSION_HEADER = "x-claude-code-session-id"


def _failure(n: int) -> Any:
    return api.api_error(500, "api_error", "Internal server error", request_id=f"req_011Res{n}")


@dataclass
class Played:
    runs: list[ClaudeRun]
    seen: list[Seen]
    original: str
    fork: str

    @property
    def last(self) -> ClaudeRun:
        return self.runs[-1]

    def doctor(self, *args: str) -> CliResult:
        result = doctor(self.last, *args)
        assert "Traceback" not in result.stderr, result.stderr
        return result


@pytest.fixture(scope="module")
def played(real_claude: RealClaude, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Played]:
    """Four runs in one home, every one answered with a 500: a new session, then
    ``--resume ID``, ``--continue`` and ``--resume ID --fork-session``."""
    home = FakeHome(tmp_path_factory.mktemp("resumed"))
    with api.fake_api([_failure(n) for n in range(4)]) as fake:
        runs = [real_claude.run(home, fake.url, ("-p", f"{PRIVATE}, key {SECRET}: first"))]
        (first,) = runs[0].sessions()
        original = first.stem
        for args in (
            ("-p", "--resume", original, "second"),
            ("-p", "--continue", "third"),
            ("-p", "--resume", original, "--fork-session", "fourth"),
        ):
            runs.append(real_claude.run(home, fake.url, args))
        seen = fake.messages()
    files = {p.stem for p in runs[-1].sessions()}
    assert original in files and len(files) == 2, files
    (fork,) = files - {original}
    assert all(r.code == 1 and "API Error: 500" in r.text for r in runs), [r.text for r in runs]
    yield Played(runs, seen, original, fork)


def test_both_transcripts_are_marked_resumed(played: Played) -> None:
    result = played.doctor("sessions", "--json")
    sessions = {s["session_id"]: s for s in result.json()["sessions"]}
    original, fork = sessions[played.original], sessions[played.fork]
    assert original["resumed"] is True and fork["resumed"] is True
    assert "--resume/--continue" in original["resume_hint"]
    assert "2 runs appended" in original["resume_hint"]
    assert played.original in fork["resume_hint"] and "fork" in fork["resume_hint"]
    assert original["api_error_messages"] == 3 and original["error_statuses"] == [500]
    assert fork["trailing_failures"] >= 1


def test_the_resumed_session_rule_fires(played: Played) -> None:
    result = played.doctor("check", "--json", "--only", "session")
    findings = {f["id"]: f for f in result.json()["findings"]}
    repeated = findings["session.repeated_api_errors"]
    assert repeated["severity"] == "fail"
    assert repeated["evidence"]["session"]["resumed"] is True
    assert SECRET not in result.stdout and PRIVATE not in result.stdout


def _wire_body(seen: Seen) -> dict[str, Any]:
    """The body as the client sent it, without what only the wire carries."""
    body: dict[str, Any] = json.loads(seen.body)
    assert set(json.loads(body.pop("metadata")["user_id"])) >= {"device_id", "session_id"}
    assert body.pop("stream") is True
    billing = body["system"].pop(0)
    assert billing["text"].startswith("x-anthropic-billing-header:")
    return body


@pytest.mark.parametrize("which", ["original", "fork"])
def test_the_rebuilt_request_is_what_the_server_received(
    played: Played, which: str, tmp_path: Path
) -> None:
    session = played.original if which == "original" else played.fork
    sent = [s for s in played.seen if s.headers.get(SESSION_HEADER) == session]
    assert sent, [s.headers.get(SESSION_HEADER) for s in played.seen]
    out = tmp_path / "request.json"
    result = played.doctor("sessions", "--request", session, "--out", str(out))
    assert result.code in (0, 1), result.stderr
    rebuilt = json.loads(out.read_text())
    wire = _wire_body(sent[-1])
    # The prompt's key is masked in the file; everything else is byte for byte the same.
    assert SECRET not in out.read_text()
    assert _same_but_masked(rebuilt, wire)


def _same_but_masked(rebuilt: Any, wire: Any) -> bool:
    """``rebuilt`` equals ``wire`` wherever ``wire`` holds no secret; where it does, the
    rebuilt string is the same string with the secret masked."""
    if isinstance(wire, dict):
        return (
            isinstance(rebuilt, dict)
            and rebuilt.keys() == wire.keys()
            and all(_same_but_masked(rebuilt[k], wire[k]) for k in wire)
        )
    if isinstance(wire, list):
        return (
            isinstance(rebuilt, list)
            and len(rebuilt) == len(wire)
            and all(_same_but_masked(a, b) for a, b in zip(rebuilt, wire, strict=True))
        )
    if isinstance(wire, str) and SECRET in wire:
        head = wire.partition(SECRET)[0]
        return isinstance(rebuilt, str) and rebuilt.startswith(head) and SECRET not in rebuilt
    return bool(rebuilt == wire)


def test_the_summary_keeps_the_conversation_out(played: Played) -> None:
    for args in (("--request", played.original), ("--request", played.fork, "--json")):
        result = played.doctor("sessions", *args)
        assert result.code in (0, 1), result.stderr
        assert PRIVATE not in result.stdout + result.stderr
        assert SECRET not in result.stdout + result.stderr


def test_the_fork_copies_carry_the_parent_id(played: Played) -> None:
    lines = transcript(next(p for p in played.last.sessions() if p.stem == played.fork))
    assert {line.get("sessionId") for line in lines if "sessionId" in line} == {played.fork}
    assert any(line.get("requestSessionId") == played.original for line in lines)
