"""Entries into facts: tool calls left without results, empty thinking, the fast path for
long tool output, API error lines."""

from __future__ import annotations

from claude_doctor.checks.session.diagnose import diagnose
from claude_doctor.checks.session.parse import Head, Tail, api_error
from claude_doctor.checks.session.transcripts import read_session
from tests.kit.local import FakeHome
from tests.kit.transcripts import Transcript, session_file


def test_tool_use_without_result_and_empty_thinking(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("run it", at=0)
    t.assistant(
        blocks=[
            {"type": "thinking", "thinking": "", "signature": "abc"},
            {"type": "tool_use", "id": "toolu_lost", "name": "Bash", "input": {}},
        ]
    )
    t.user("why did you stop?")
    for i in range(3):
        t.api_error(400, f"API Error: 400 tool_use ids were found without tool_result {i}")
    path = t.write(fake_home.claude)
    d = diagnose(read_session(session_file(path)))
    assert d.session.dangling_tool_uses == ["toolu_lost"]
    assert d.session.empty_thinking == 1
    assert {"tool_use_without_result", "empty_thinking", "repeated_errors"} <= set(d.marks)


def test_a_resolved_tool_use_is_not_dangling(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("run it", at=0)
    t.assistant(blocks=[{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {}}])
    t.assistant(blocks=[{"type": "tool_use", "id": "toolu_2", "name": "Read", "input": {}}])
    t.user_blocks([{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}])
    # a long tool output takes the fast path (ids by pattern, no full parse)
    t.user_blocks([{"tool_use_id": "toolu_2", "type": "tool_result", "content": "x" * 9000}])
    t.assistant()
    d = diagnose(read_session(session_file(t.write(fake_home.claude))))
    assert d.session.dangling_tool_uses == [] and d.marks == []


def test_api_error_lines_become_records() -> None:
    message = {
        "type": "assistant",
        "isApiErrorMessage": True,
        "timestamp": "2026-11-20T09:00:00.000Z",
        "error": {"type": "overloaded_error", "status": 529},
        "message": {"content": [{"type": "text", "text": "API Error: 529 req_011CVabcdefgh1"}]},
    }
    error = api_error(message)
    assert error is not None
    assert (error.kind, error.status, error.error) == ("message", 529, "overloaded_error")
    assert error.request_id == "req_011CVabcdefgh1"
    retry = {
        "type": "system",
        "subtype": "api_error",
        "error": {"status": 500, "error": {"type": "api_error", "message": "Internal"}},
        "retryAttempt": 2,
        "maxRetries": 10,
        "retryInMs": 1000,
        "requestId": "req_011CVretry00001",
    }
    error = api_error(retry)
    assert error is not None
    assert (error.kind, error.status, error.text, error.retry_attempt) == (
        "retry",
        500,
        "Internal",
        2,
    )
    assert error.retry_in_ms == 1000.0 and error.request_id == "req_011CVretry00001"
    assert api_error({"type": "user", "message": {"content": "hi"}}) is None


def test_the_head_notes_a_foreign_session_and_a_summary() -> None:
    head = Head()
    head.add({"type": "summary", "leafUuid": "u1"}, "mine")
    head.add({"cwd": "/w", "sessionId": "older", "version": "2.1.240"}, "mine")
    head.add({"cwd": "/other", "sessionId": "mine"}, "mine")
    assert (head.cwd, head.session_id, head.foreign_session) == ("/w", "older", "older")
    assert head.summary_leaf and head.lines == 3


def test_the_tail_counts_usage_gaps_and_trailing_failures() -> None:
    tail = Tail(start=0, stem="s")
    usage = {"input_tokens": 10, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 5}
    tail.add(0, {"type": "user", "timestamp": "2026-11-20T09:00:00Z", "message": {"content": "go"}})
    tail.add(
        10,
        {
            "type": "assistant",
            "timestamp": "2026-11-20T09:01:00Z",
            "message": {"model": "claude-opus-4-6", "id": "m1", "usage": usage, "content": []},
        },
    )
    tail.add(20, {"type": "user", "timestamp": "2026-11-20T12:00:00Z", "message": {"content": "x"}})
    tail.add(30, {"type": "assistant", "isApiErrorMessage": True, "message": {"content": "boom"}})
    assert tail.usage_tokens == 1015 and tail.last_model == "claude-opus-4-6"
    assert tail.prompts == 2 and tail.gap_offset == 20
    assert [e.kind for e in tail.trailing] == ["message"]
