"""What marks a session suspicious, and the ``claude-doctor sessions`` view built on it."""

from __future__ import annotations

import json

from claude_doctor.checks.session.diagnose import sessions_view
from tests.kit.local import FakeHome, run_cli
from tests.kit.transcripts import KEY, Transcript, check_report, settings_for, write_resumed_failing


def test_b_sessions_json_lists_the_failing_request_ids(fake_home: FakeHome) -> None:
    t = write_resumed_failing(fake_home)
    result = run_cli(["sessions", "--json", "--all"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 1, result.stderr
    doc = result.json()
    expected = [f"req_011CVfail{i:04d}xyz" for i in range(5)]
    assert doc["request_ids"] == expected
    failing = next(s for s in doc["sessions"] if s["session_id"] == t.session_id)
    assert failing["suspicious"] and failing["request_ids"] == expected
    assert failing["resumed"] is True and failing["trailing_failures"] == 5
    assert failing["latest_failure"]["status"] == 500
    assert doc["sessions"][0]["cwd"] == "/home/someone/other-project"  # newest first
    assert doc["total_sessions"] == 2
    # this directory only: the other project's session is not listed
    mine = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd).json()
    assert [s["session_id"] for s in mine["sessions"]] == [t.session_id]


def test_sessions_table_marks_the_suspicious_and_redacts(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user(f"use {KEY}", at=0).assistant().user("again")
    for i in range(3):
        t.api_error(401, f"Invalid API key · x-api-key: {KEY} req_011CVkey{i:06d}")
    t.write(fake_home.claude)
    table = run_cli(["sessions"], fake_home.env(), cwd=fake_home.cwd)
    assert table.code == 1
    assert KEY not in table.stdout and "sk-ant-api03-…x7Qa" in table.stdout
    row = next(line for line in table.stdout.splitlines() if t.session_id in line)
    assert row.startswith("!") and "errors" in row
    assert f"claude --resume {t.session_id}" in table.stdout
    doc = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd)
    assert KEY not in doc.stdout
    assert doc.json()["sessions"][0]["latest_failure"]["status"] == 401
    report = check_report(fake_home)
    assert KEY not in json.dumps(report)


def test_sessions_limit(fake_home: FakeHome) -> None:
    for n in range(4):
        t = Transcript(str(fake_home.cwd))
        t.user("x", at=n * 10).assistant()
        t.write(fake_home.claude)
    view = sessions_view(settings_for(fake_home), all_projects=False, limit=2)
    assert len(view.diagnoses) == 2 and len(view.listing.files) == 4
    stamps = [d.session.mtime for d in view.diagnoses]
    assert stamps == sorted(stamps, reverse=True)


def test_the_latest_failure_is_classified_in_sessions_json(fake_home: FakeHome) -> None:
    write_resumed_failing(fake_home)
    doc = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd).json()
    latest = doc["sessions"][0]["latest_failure"]
    assert latest["category"] == "status_outage"
    assert latest["request_ids"] == ["req_011CVfail0004xyz"]
