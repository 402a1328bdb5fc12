"""Transcripts in the format the current client writes (FACTS §3.9a): the structured error
fields decide before the text, and resumed, continued and forked sessions are recognised
from the runs the client appends, also when only the tail of a file is read."""

from __future__ import annotations

import json

import pytest

from claude_doctor.checks.session.diagnose import diagnose
from claude_doctor.checks.session.parse import api_error
from claude_doctor.checks.session.transcripts import read_session
from tests.kit.local import FakeHome, run_cli
from tests.kit.transcripts import (
    KEY,
    TEXT_500,
    ClientTranscript,
    Transcript,
    check_report,
    fail_500,
    session_file,
    session_ids,
)


def _one_failure(home: FakeHome, text: str, **fields: object) -> dict[str, object]:
    t = ClientTranscript(str(home.cwd))
    t.run("hi").fail(text, **fields).end()  # type: ignore[arg-type]
    d = diagnose(read_session(session_file(t.write(home.claude))))
    latest = d.to_dict()["latest_failure"]
    assert isinstance(latest, dict)
    return latest


@pytest.mark.parametrize(
    ("text", "fields", "category", "basis"),
    [
        (
            "API Error: Unable to connect to API: SSL certificate verification failed",
            {"status": None, "network": "tls_untrusted_ca"},
            "network_tls",
            "apiError=tls_untrusted_ca",
        ),
        (
            "API Error: Unable to connect to API",
            {"status": None, "network": "tls_untrusted_ca"},
            "network_tls",
            "apiError=tls_untrusted_ca",
        ),
        (
            "Failed to authenticate. API Error: 403 Your API key does not have permission to "
            "use the specified resource.",
            {"status": 403, "error": "authentication_failed", "api_type": "permission_error"},
            "permission",
            "error=authentication_failed",
        ),
        (
            "Invalid API key · Fix external API key",
            {"status": 401, "error": "authentication_failed", "api_type": "authentication_error"},
            "auth_invalid_key",
            "error=authentication_failed",
        ),
        (
            "API Error: the gateway said no",
            {"status": 429, "error": "rate_limit", "api_type": "rate_limit_error"},
            "rate_limit",
            "error=rate_limit",
        ),
        (
            "API Error: 529 busy",
            {"status": 529, "api_type": "overloaded_error"},
            "overloaded",
            "apiErrorType=overloaded_error",
        ),
        (
            "Something about money",
            {"status": 400, "error": "billing_error", "api_type": "invalid_request_error"},
            "billing_credit",
            "error=billing_error",
        ),
        (
            "That did not work",
            {"status": 404, "error": "model_not_found", "api_type": "not_found_error"},
            "not_found_model",
            "error=model_not_found",
        ),
        (
            "API Error: Can't reach the API server — check your internet or DNS (ENOTFOUND)",
            {"status": None, "network": "connection_failed"},
            "network_dns",
            "apiError=connection_failed",
        ),
        (
            "API Error: Connection refused — a firewall or proxy may be blocking it",
            {"status": None, "network": "connection_failed"},
            "network_connection",
            "apiError=connection_failed",
        ),
        (
            "API Error: 500 Internal server error.",
            {"status": 500},
            "status_outage",
            "status=500",
        ),
    ],
)
def test_the_structured_fields_decide_before_the_text(
    fake_home: FakeHome, text: str, fields: dict[str, object], category: str, basis: str
) -> None:
    latest = _one_failure(fake_home, text, **fields)
    assert latest["category"] == category
    assert basis in latest["classified_from"]  # type: ignore[operator]


def test_the_text_alone_decides_when_the_fields_say_nothing(fake_home: FakeHome) -> None:
    text = "Request timed out. If the API is slow to answer, set API_TIMEOUT_MS above 600000."
    latest = _one_failure(fake_home, text, status=None)
    assert latest["category"] == "timeout" and latest["classified_from"] == ["text"]
    assert latest["error"] == "server_error" and latest["network"] is None


def test_a_retry_lines_connection_code_refines_a_failed_connection(fake_home: FakeHome) -> None:
    t = ClientTranscript(str(fake_home.cwd))
    t.run("hi").retry(None, "Connection error.", formatted="no", connection="ENOTFOUND")
    t.fail("API Error: Connection error.", status=None, network="connection_failed").end()
    d = diagnose(read_session(session_file(t.write(fake_home.claude))))
    assert d.signal is not None and d.signal.category.value == "network_dns"
    assert d.basis[:2] == ["apiError=connection_failed", "connection.code=ENOTFOUND"]


def test_the_structured_fields_are_kept_on_each_error() -> None:
    t = ClientTranscript("/w")
    t.run("hi").retry(529, "529 {}", formatted="529 Overloaded", attempt=2, wait_ms=1100)
    t.fail("API Error: 529", status=529, api_type="overloaded_error", request_id="req_011CVx")
    retry, message = (api_error(line) for line in t.lines[-2:])
    assert retry is not None and message is not None
    assert (retry.status, retry.retry_attempt, retry.max_retries) == (529, 2, 10)
    assert retry.retry_in_ms == 1100.0 and retry.formatted == "529 Overloaded"
    assert retry.network_down is False
    assert (message.api_error_type, message.error, message.request_id) == (
        "overloaded_error",
        "server_error",
        "req_011CVx",
    )
    assert message.to_dict()["api_error_type"] == "overloaded_error"


def _failing_resumed(home: FakeHome) -> ClientTranscript:
    t = ClientTranscript(str(home.cwd))
    t.run("first").reply().end()
    for n in range(3):
        fail_500(t.run(f"again {n}"), n).end()
    return t


def test_resume_and_continue_runs_are_counted_and_the_rule_fires(fake_home: FakeHome) -> None:
    t = _failing_resumed(fake_home)
    session = read_session(session_file(t.write(fake_home.claude)))
    assert session.resumed and session.runs_appended == 3
    assert session.resume_hint == "resumed with --resume/--continue: 3 runs appended"
    assert session.failed_since_resume == 1 and session.failing_runs == 3
    assert session.retries["lines"] == 3 and session.retries["retry_in_ms"] == [600] * 3
    report = check_report(fake_home)
    assert session_ids(report) == {"session.repeated_api_errors": "fail"}
    finding = report["findings"][-1]
    assert finding["evidence"]["resumed"] is True
    assert finding["evidence"]["session"]["runs_appended"] == 3
    assert finding["evidence"]["session"]["latest_failure"]["classified_from"] == [
        "status=500",
        "text",
    ]
    assert "retried 3 time(s)" in finding["detail"] and "0.6 s" in finding["detail"]
    assert report["verdict"]["branch"] == "session"


def test_two_failing_runs_of_a_resumed_session_are_enough(fake_home: FakeHome) -> None:
    t = ClientTranscript(str(fake_home.cwd))
    t.run("first").reply().end()
    fail_500(t.run("second"), 1).end()
    t.run("third").fail(TEXT_500).end()
    session = read_session(session_file(t.write(fake_home.claude)))
    assert session.trailing_failures == 2 and session.failing_runs == 2
    assert "repeated_errors" in diagnose(session).marks
    single = ClientTranscript(str(fake_home.cwd))
    single.run("first").reply().end()
    single.run("second").fail(TEXT_500).fail(TEXT_500).end()
    assert diagnose(read_session(session_file(single.write(fake_home.claude)))).marks == []


def test_a_fork_is_marked_with_its_parent(fake_home: FakeHome) -> None:
    parent = ClientTranscript(str(fake_home.cwd))
    parent.run("first").reply().end()
    fail_500(parent.run("second"), 1).end()
    parent.write(fake_home.claude)
    fork = parent.fork("fourth")
    fail_500(fork, 2).end()
    session = read_session(session_file(fork.write(fake_home.claude)))
    assert session.forked_from == parent.session_id and session.resumed
    assert session.resume_hint == f"forked from session {parent.session_id} (--fork-session)"
    assert session.failed_since_resume == 1 and session.failing_runs == 2
    assert "repeated_errors" in diagnose(session).marks


def test_the_tail_alone_sees_the_last_run_boundary(fake_home: FakeHome) -> None:
    t = ClientTranscript(str(fake_home.cwd))
    t.run("first")
    for n in range(400):
        t.reply("ok " + "y" * 2000)
        if n % 100 == 99:
            t.run(f"step {n}")  # more prompts in the same run: no boundary
    t.reply().end()
    fail_500(t.run("after"), 1).end()
    t.run("and again").fail(TEXT_500).end()
    path = t.write(fake_home.claude)
    session = read_session(session_file(path))
    assert session.tail_bytes < session.size - 64 * 1024  # the middle was not read
    assert session.resumed and session.runs_appended == 2 and session.runs_estimated
    assert session.resume_hint == "resumed with --resume/--continue: at least 2 runs appended"
    assert session.resume_offset is not None and session.resume_offset > session.size - 8192
    assert session.failed_since_resume == 1


def test_unknown_line_types_are_tolerated(fake_home: FakeHome) -> None:
    t = ClientTranscript(str(fake_home.cwd))
    t.odd_line().run("first").odd_line().reply(context=30_000).odd_line().end().odd_line()
    session = read_session(session_file(t.write(fake_home.claude)))
    assert session.problems.total == 0 and not session.resumed
    assert session.context_tokens == 30_000 and session.turns == 1
    assert check_report(fake_home)["verdict"]["branch"] == "none"


def test_a_single_healthy_run_is_not_resumed(fake_home: FakeHome) -> None:
    t = ClientTranscript(str(fake_home.cwd))
    t.run("first").reply().end()
    session = read_session(session_file(t.write(fake_home.claude)))
    assert not session.resumed and session.runs_appended == 0 and session.resume_offset is None
    assert session_ids(check_report(fake_home)) == {"session.ok": "ok"}


def test_old_format_transcripts_read_as_before(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("go", at=0).assistant().user("later", at=600).api_error(500, "API Error: 500 x")
    session = read_session(session_file(t.write(fake_home.claude)))
    assert session.resumed and session.resume_hint == "reopened after 10.0 h idle"
    assert session.runs_appended == 0 and session.forked_from is None
    d = diagnose(session)
    assert d.basis[0] == "status=500"


def test_a_planted_secret_stays_out_of_the_new_outputs(fake_home: FakeHome) -> None:
    t = ClientTranscript(str(fake_home.cwd))
    t.run(f"use {KEY}").reply().end()
    for _ in range(2):
        t.run("again").retry(
            401, f"401 bad key {KEY}", formatted=f"401 {KEY}", attempt=1, request_id="req_011CVk"
        )
        t.fail(f"Invalid API key {KEY}", status=401, error="authentication_failed").end()
    t.write(fake_home.claude)
    report = check_report(fake_home)
    assert "session.repeated_api_errors" in session_ids(report)
    assert KEY not in json.dumps(report)
    listing = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd)
    assert KEY not in listing.stdout
    assert json.loads(listing.stdout)["sessions"][0]["retry"]["lines"] == 2
    table = run_cli(["sessions"], fake_home.env(), cwd=fake_home.cwd)
    assert KEY not in table.stdout and "resumed" in table.stdout
