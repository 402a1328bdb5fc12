"""The session check end to end: findings and verdicts from the real CLI over fake homes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.kit.local import FakeHome, ScriptedServer, run_cli
from tests.kit.statuspages import claude_page, serve
from tests.kit.transcripts import (
    KEY,
    Transcript,
    check_report,
    session_ids,
    write_healthy,
    write_resumed_failing,
)


def test_a_healthy_session_gives_ok_and_no_session_verdict(fake_home: FakeHome) -> None:
    write_healthy(fake_home)
    report = check_report(fake_home)
    assert session_ids(report) == {"session.ok": "ok"}
    assert report["verdict"]["branch"] == "none"


def test_b_resumed_session_ending_in_500s_while_another_works(fake_home: FakeHome) -> None:
    t = write_resumed_failing(fake_home)
    report = check_report(fake_home)
    assert session_ids(report) == {"session.repeated_api_errors": "fail"}
    finding = next(f for f in report["findings"] if f["id"] == "session.repeated_api_errors")
    assert finding["evidence"]["resumed"] is True
    assert len(finding["evidence"]["succeeded_since"]) == 1
    assert "newer session" in finding["detail"]
    assert report["verdict"]["branch"] == "session"
    assert f"claude --resume {t.session_id}" in " ".join(report["verdict"]["next_steps"])
    assert report["evidence"]["session"]["id"] == t.session_id
    expected = [f"req_011CVfail{i:04d}xyz" for i in range(5)]
    assert report["evidence"]["request_ids"] == expected
    assert KEY not in json.dumps(report)


def test_c_context_at_95_percent_of_200k(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("refactor everything", at=0).assistant(context=150_000).user("more")
    t.assistant(context=190_000, model="claude-sonnet-4-5-20250929")
    t.write(fake_home.claude)
    report = check_report(fake_home)
    assert session_ids(report) == {"session.context_near_limit": "fail"}
    finding = report["findings"][-1]
    assert finding["evidence"]["session"]["context_percent"] == 95.0
    assert finding["evidence"]["session"]["context_window"] == 200_000
    assert any("/compact" in s for s in finding["next_steps"])
    assert report["verdict"]["branch"] == "session"


def test_d_a_12_mb_base64_image_in_the_history(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant().image(12 * 1024 * 1024).assistant().user("and now?")
    t.assistant()
    t.write(fake_home.claude)
    report = check_report(fake_home)
    assert session_ids(report) == {"session.oversized_attachment": "fail"}
    finding = next(f for f in report["findings"] if f["id"] == "session.oversized_attachment")
    attachment = finding["evidence"]["attachments"][0]
    assert attachment["kind"] == "image" and attachment["media_type"] == "image/png"
    assert attachment["base64_bytes"] == 12 * 1024 * 1024
    assert report["verdict"]["branch"] == "session"


def test_a_429_run_is_not_blamed_on_the_session(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("go", at=0).assistant().user("again")
    for _ in range(4):
        t.api_error(429, "API Error: Request rejected (429) · Rate limited.")
    t.write(fake_home.claude)
    report = check_report(fake_home)
    assert session_ids(report) == {"session.repeated_api_errors": "warn"}


def test_no_transcripts_at_all(fake_home: FakeHome) -> None:
    report = check_report(fake_home)
    assert session_ids(report) == {"session.no_transcripts": "info"}
    result = run_cli(["sessions"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 0 and "No sessions found" in result.stdout


def test_b_with_every_check_and_a_green_status_page(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    serve(https_server, claude_page())
    fake_home.subscription()
    t = write_resumed_failing(fake_home)
    env = fake_home.env(CLAUDE_DOCTOR_STATUS_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    result = run_cli(["check", "--json", "--no-save"], env, cwd=fake_home.cwd)
    assert result.code == 1, result.stderr
    report = result.json()
    assert report["verdict"]["branch"] == "session"
    assert "session.repeated_api_errors" in report["verdict"]["because"]
    assert report["evidence"]["session"]["id"] == t.session_id
    latest = report["evidence"]["session"]["latest_failure"]
    assert latest["category"] == "status_outage" and latest["status"] == 500


def test_a_pinned_model_that_is_not_found(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant(model="claude-3-opus-20240229").user("hello again", at=9000)
    body = (
        'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":'
        '"model: claude-3-opus-20240229"},"request_id":"req_011CVnotfound%d"}'
    )
    for i in range(3):
        t.api_error(404, body % i)
    t.write(fake_home.claude)
    report = check_report(fake_home)
    ids = session_ids(report)
    assert ids["session.model_not_found"] == "fail"
    finding = next(f for f in report["findings"] if f["id"] == "session.model_not_found")
    assert finding["evidence"]["model"] == "claude-3-opus-20240229"
    assert finding["evidence"]["resumed"] is True  # reopened after a long idle gap
    assert any("/model" in s for s in finding["next_steps"])
    assert report["verdict"]["branch"] == "session"
    assert "req_011CVnotfound2" in report["evidence"]["request_ids"]
