"""What a scan finds: counted problems, and a session's view of its own failures."""

from __future__ import annotations

from pathlib import Path

from claude_doctor.checks.session.records import ApiError, ScanProblems, Session


def test_problems_add_up() -> None:
    a, b = ScanProblems(corrupt_lines=2), ScanProblems(corrupt_lines=1, symlink_loops=1)
    a.add(b)
    assert a.to_dict()["corrupt_lines"] == 3 and a.total == 4


def test_the_latest_failure_prefers_an_error_message_to_a_retry() -> None:
    session = Session("s", Path("s.jsonl"), "p", 10, 0.0)
    assert session.latest_failure is None and session.context_percent is None
    message = ApiError("message", None, 500, "boom")
    retry = ApiError("retry", None, 529, "again")
    session.errors = [message, retry]
    assert session.latest_failure is message
    session.errors = [retry]
    assert session.latest_failure is retry
    session.context_tokens, session.context_window = 150_000, 200_000
    assert session.context_percent == 75.0
    assert session.last_activity == "1970-01-01T00:00:00Z"
