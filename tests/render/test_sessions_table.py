"""The ``sessions`` table says its times are UTC and explains only the marks it shows."""

from __future__ import annotations

from typing import Any

from claude_doctor.checks.status.watch import seconds_words
from claude_doctor.render.sessions import render_sessions


def doc(**session: Any) -> dict[str, Any]:
    row = {
        "session_id": "0b6c1c1e-aaaa-bbbb-cccc-000000000001",
        "last_activity": "2026-11-25T09:30:59.123+01:00",
        "size": 2048,
        "turns": 4,
        "last_model": "claude-sonnet-4-5",
        "context_percent": 12.0,
        **session,
    }
    return {"sessions": [row], "shown": 1, "total_sessions": 1, "suspicious": 0, "cwd": "/p"}


def test_times_are_utc_and_the_header_says_so() -> None:
    text = render_sessions(doc())
    assert "last activity (UTC)" in text
    assert "2026-11-25 08:30" in text  # 09:30 at +01:00


def test_a_table_without_marks_has_no_legend_for_them() -> None:
    text = render_sessions(doc())
    assert "(!)" not in text and "~ marks" not in text


def test_the_marks_shown_are_explained() -> None:
    data = doc(suspicious=True, turns_estimated=True)
    data["suspicious"] = 1
    text = render_sessions(data)
    assert "1 suspicious (!)" in text and "~ marks a turn count estimated" in text


def test_watch_pauses_read_as_tenths() -> None:
    assert [seconds_words(s) for s in (2.68638, 60.0, 0.2, 0.04)] == ["2.7", "60", "0.2", "0"]
