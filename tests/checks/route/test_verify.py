"""``claude-doctor verify`` against a local HTTPS API, with a fake clock for the backoff."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from claude_doctor.checks.route import verify as verify_mod
from claude_doctor.checks.route.verify import Outcome, retry_delay
from claude_doctor.cli import app
from claude_doctor.pipeline import verify_report
from claude_doctor.report import report_schema
from claude_doctor.settings import load_settings
from tests.kit.auth import ACCESS, API_KEY, REFRESH, oauth
from tests.kit.local import FakeHome, Reply, ScriptedServer, run_cli

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MODELS = {"data": [{"id": "claude-x", "type": "model"}], "has_more": False}


def err(status: int, etype: str, rid: str, **headers: str) -> Reply:
    body = {"type": "error", "error": {"type": etype, "message": etype}, "request_id": rid}
    return Reply(status, body, headers={"request-id": rid, **headers})


def ok(rid: str = "req_ok") -> Reply:
    return Reply(200, MODELS, headers={"request-id": rid})


class FakeClock:
    """Records requested sleeps and advances time instead of waiting."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = NOW

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        """The real monotonic clock plus every pretended wait."""
        return time.monotonic() + sum(self.sleeps)


def _env(home: FakeHome, server: ScriptedServer, ca_file: Path, **extra: str) -> dict[str, str]:
    return home.env(ANTHROPIC_BASE_URL=server.url, SSL_CERT_FILE=str(ca_file), **extra)


def verify_with(env: dict[str, str], cwd: Path) -> tuple[Any, Outcome | None, FakeClock, list[str]]:
    clock = FakeClock()
    lines: list[str] = []
    settings = load_settings(env, cwd=cwd)
    report, outcome = asyncio.run(
        verify_report(
            settings, sleep=clock.sleep, now=clock, clock=clock.monotonic, on_line=lines.append
        )
    )
    return report, outcome, clock, lines


@pytest.mark.parametrize(
    ("replies", "statuses", "sleeps", "finding"),
    [
        ([ok("req_a")], [200], [], "verify.ok"),
        ([err(401, "authentication_error", "req_401"), ok()], [401], [], "verify.unauthorized"),
        ([err(404, "not_found_error", "req_404"), ok()], [404], [], "verify.rejected"),
        (
            [err(429, "rate_limit_error", "req_429", **{"retry-after": "7"}), ok("req_2")],
            [429, 200],
            [7.0],
            "verify.ok",
        ),
        (
            [err(429, "rate_limit_error", "req_cap")],
            [429],
            [],
            "verify.rate_limited",
        ),
        ([err(500, "api_error", "req_500"), ok("req_after")], [500, 200], [1.0], "verify.ok"),
        (
            [err(500, "api_error", "r1"), err(502, "api_error", "r2"), err(500, "api_error", "r3")],
            [500, 502, 500],
            [1.0, 2.0],
            "verify.server_error",
        ),
        (
            [err(529, "overloaded_error", "req_529")],
            [529, 529, 529],
            [2.0, 4.0],
            "verify.overloaded",
        ),
        (
            [err(500, "api_error", "r1", **{"retry-after-ms": "1500"}), ok()],
            [500, 200],
            [1.5],
            "verify.ok",
        ),
        (
            [err(503, "api_error", "r1", **{"x-should-retry": "false"}), ok()],
            [503],
            [],
            "verify.server_error",
        ),
        (
            [err(409, "conflict_error", "r1", **{"x-should-retry": "true"}), ok()],
            [409, 200],
            [1.0],
            "verify.ok",
        ),
        (
            [err(529, "overloaded_error", "r1", **{"retry-after": "600"})],
            [529],
            [],
            "verify.overloaded",
        ),
    ],
)
def test_backoff_rules(
    fake_home: FakeHome,
    https_server: ScriptedServer,
    ca_file: Path,
    replies: list[Reply],
    statuses: list[int],
    sleeps: list[float],
    finding: str,
) -> None:
    https_server.routes["/v1/models"] = replies
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    report, outcome, clock, lines = verify_with(env, fake_home.cwd)
    assert outcome is not None
    assert [a.status for a in outcome.attempts] == statuses
    assert clock.sleeps == sleeps
    assert report.findings[0].id == finding
    assert len(lines) == len(statuses)
    for line, attempt in zip(lines, outcome.attempts, strict=True):
        assert f"request-id {attempt.request_id}" in line
    assert report.evidence["verify"]["waits"] == sleeps
    assert report.evidence["request_ids"] == list(
        dict.fromkeys(a.request_id for a in outcome.attempts)
    )


def test_api_key_headers_and_no_secret_in_output(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/v1/models"] = ok()
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    report, _outcome, _clock, lines = verify_with(env, fake_home.cwd)
    seen = https_server.seen[0]
    assert seen.path == "/v1/models?limit=1"
    assert seen.headers["x-api-key"] == API_KEY
    assert seen.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in seen.headers and "anthropic-beta" not in seen.headers
    assert API_KEY not in report.to_json() + "".join(lines)
    jsonschema.validate(report.to_dict(), report_schema())


def test_subscription_uses_bearer_and_the_oauth_beta(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    fake_home.credentials(oauth(30 * 86_400_000))
    https_server.routes["/v1/models"] = err(401, "authentication_error", "req_revoked")
    report, _outcome, _clock, _lines = verify_with(
        _env(fake_home, https_server, ca_file), fake_home.cwd
    )
    seen = https_server.seen[0]
    assert seen.headers["authorization"] == f"Bearer {ACCESS}"
    assert seen.headers["anthropic-beta"] == "oauth-2025-04-20"
    assert "x-api-key" not in seen.headers
    assert report.findings[0].id == "verify.unauthorized"
    assert report.verdict.branch.value == "login"
    text = report.to_json()
    assert ACCESS not in text and REFRESH not in text


def test_helper_route_runs_the_helper_and_sends_its_key(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    helper_key = "sk-ant-api03-" + "fromHelper" * 9 + "Hk7q"
    helper = fake_home.write(fake_home.root / "h.sh", f"#!/bin/sh\necho {helper_key}\n", 0o755)
    fake_home.settings("user", {"apiKeyHelper": str(helper)})
    https_server.routes["/v1/models"] = ok()
    report, outcome, _c, lines = verify_with(_env(fake_home, https_server, ca_file), fake_home.cwd)
    assert outcome is not None and outcome.ok
    assert https_server.seen[0].headers["x-api-key"] == helper_key
    assert helper_key not in report.to_json() + "".join(lines)


def test_no_credential_sends_nothing(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    report, outcome, _c, _l = verify_with(_env(fake_home, https_server, ca_file), fake_home.cwd)
    assert outcome is None and https_server.seen == []
    assert report.findings[0].id == "verify.no_credential"
    assert report.verdict.branch.value == "login"


def test_key_with_a_line_break_is_not_sent(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    env = _env(
        fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY[:30] + "\n" + API_KEY[30:]
    )
    report, outcome, _c, _l = verify_with(env, fake_home.cwd)
    assert outcome is None and https_server.seen == []
    assert "line break" in report.findings[0].detail


def test_a_refused_port_is_named_and_not_retried(fake_home: FakeHome) -> None:
    from tests.kit.local import refused_port

    port = refused_port()
    env = fake_home.env(ANTHROPIC_BASE_URL=f"https://127.0.0.1:{port}", ANTHROPIC_API_KEY=API_KEY)
    report, outcome, clock, lines = verify_with(env, fake_home.cwd)
    assert outcome is not None and [a.layer for a in outcome.attempts] == ["tcp"]
    assert clock.sleeps == []  # a retry cannot fix a refused connection
    assert outcome.stop_reason == "not retried: a retry cannot fix a refused connection"
    finding = report.findings[0]
    assert finding.id == "verify.unreachable" and finding.branch.value == "network"
    said = f"127.0.0.1 port {port} refused the connection (TCP)"
    assert lines == [f"attempt 1/3: {said}"]
    assert finding.title == f"verify failed: {said}"
    assert "ConnectError" not in finding.title + finding.detail + lines[0]
    assert "request-id -" not in lines[0]


def test_a_certificate_that_fails_verification_is_named_and_not_retried(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    import certifi

    https_server.routes["/v1/models"] = ok("req_never")
    # The public bundle does not trust the local test CA.
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    env["SSL_CERT_FILE"] = certifi.where()
    report, outcome, clock, lines = verify_with(env, fake_home.cwd)
    assert outcome is not None and [a.layer for a in outcome.attempts] == ["tls"]
    assert clock.sleeps == []
    assert lines[0].startswith("attempt 1/3: the certificate of 127.0.0.1 could not be verified")
    assert "(TLS)" in lines[0]
    assert report.findings[0].id == "verify.unreachable"


@pytest.mark.timeout(60)
def test_a_name_that_does_not_resolve_is_named_and_not_retried(fake_home: FakeHome) -> None:
    """In a network namespace with only loopback (nothing can leave it, and there is no
    resolver), so the real resolver fails as it does offline."""
    import os
    import subprocess
    import sys

    from tests.kit.local import ROOT
    from tests.kit.realclaude import _NETNS, netns_unavailable

    if reason := netns_unavailable():
        pytest.skip(reason)
    env = fake_home.env(ANTHROPIC_API_KEY=API_KEY, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(
        [*_NETNS, sys.executable, "-m", "claude_doctor", "verify", "--yes", "--no-save"],
        env={**env, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        cwd=fake_home.cwd,
        capture_output=True,
        timeout=45,
        check=False,
    )
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr
    assert "attempt 2" not in out, out  # not retried
    assert "attempt 1/3: could not resolve api.anthropic.com (DNS)" in out
    assert "[✗] verify failed: could not resolve api.anthropic.com (DNS)" in out
    assert "not retried: a retry cannot fix a name that does not resolve" in out
    assert "ConnectError" not in out and API_KEY not in out + proc.stderr.decode()


def test_retry_after_as_an_http_date() -> None:
    later = format_datetime(NOW + timedelta(seconds=12), usegmt=True)
    assert retry_delay(0, 429, {"retry-after": later}, NOW) == (12.0, None)
    assert retry_delay(0, 429, {}, NOW)[0] is None
    assert retry_delay(1, 500, {}, NOW) == (2.0, None)
    assert retry_delay(1, 529, {}, NOW) == (4.0, None)
    assert retry_delay(0, 400, {}, NOW) == (None, None)


# --- The command ---------------------------------------------------------------------------


def test_cli_needs_consent_without_a_terminal(fake_home: FakeHome) -> None:
    result = run_cli(["verify"], fake_home.env(ANTHROPIC_API_KEY=API_KEY), cwd=fake_home.cwd)
    assert result.code == 2
    assert "--yes" in result.stderr
    assert API_KEY not in result.stdout + result.stderr


def test_cli_verify_yes_prints_each_attempt(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/v1/models"] = err(401, "authentication_error", "req_011Bad")
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    result = run_cli(["verify", "--yes"], env, cwd=fake_home.cwd)
    assert result.code == 1, result.stderr
    assert "attempt 1/3: 401 authentication_error · request-id req_011Bad" in result.stdout
    assert "[✗] verify failed: 401 authentication_error" in result.stdout
    assert API_KEY not in result.stdout + result.stderr
    stored = list((fake_home.doctor / "reports").glob("*.json"))
    assert stored and API_KEY not in stored[0].read_text()

    https_server.routes["/v1/models"] = ok("req_fine")
    result = run_cli(["verify", "--yes", "--json"], env, cwd=fake_home.cwd)
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    assert data["evidence"]["request_ids"] == ["req_fine"]
    assert data["evidence"]["verify"]["attempts"][0]["status"] == 200
    assert data["evidence"]["route"]["active"] == "api_key"
    assert "request-id req_fine" in result.stderr
    assert API_KEY not in result.stdout + result.stderr


def test_cli_backoff_with_a_fake_clock(
    fake_home: FakeHome,
    https_server: ScriptedServer,
    ca_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import claude_doctor

    clock = FakeClock()
    monkeypatch.setattr(verify_mod, "SLEEP", clock.sleep)
    monkeypatch.setattr(verify_mod, "CLOCK", clock.monotonic)
    # In this process the package was imported long ago: the command's deadline starts now.
    monkeypatch.setattr(claude_doctor, "STARTED", time.monotonic())
    https_server.routes["/v1/models"] = [
        err(529, "overloaded_error", "req_1"),
        err(529, "overloaded_error", "req_2"),
        err(529, "overloaded_error", "req_3"),
    ]
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    result = CliRunner().invoke(app, ["verify", "--yes", "--no-save"], env=env)
    assert result.exit_code == 1
    assert clock.sleeps == [2.0, 4.0]
    out = result.stdout
    assert "attempt 1/3: 529 overloaded_error · request-id req_1 · retrying in 2 s" in out
    assert "attempt 2/3: 529 overloaded_error · request-id req_2 · retrying in 4 s" in out
    assert "attempt 3/3: 529 overloaded_error · request-id req_3" in out
    assert API_KEY not in out


def _spawn(env: dict[str, str], cwd: Path) -> Any:
    from tests.kit.terminal import spawn

    return spawn(["verify", "--no-save"], env, cwd)


def test_cli_asks_in_a_terminal(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/v1/models"] = ok("req_tty")
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    child = _spawn(env, fake_home.cwd)
    child.expect("Send one request")
    child.sendline("n")
    child.expect("Nothing sent")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 2 and https_server.seen == []

    # One key answers, as in the guided run; a typed "yes" and Enter do no harm.
    for answer in ("y", "yes\r"):
        child = _spawn(env, fake_home.cwd)
        child.expect("Send one request")
        child.send(answer)
        child.expect("request-id req_tty")
        child.expect(pexpect_eof())
        child.close()
        assert child.exitstatus == 0
        assert https_server.seen[-1].headers["x-api-key"] == API_KEY


def test_cli_names_the_credential_before_asking(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    from claude_doctor.redact import mask

    fake_home.write(fake_home.home / ".bashrc", f"# keys\nexport ANTHROPIC_API_KEY={API_KEY}\n")
    https_server.routes["/v1/models"] = ok("req_named")
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    child = _spawn(env, fake_home.cwd)
    child.expect("Send one request")
    asked = child.before
    child.sendline("n")
    child.expect(pexpect_eof())
    child.close()
    named = (
        f"verify will send the API key {mask(API_KEY)} from ANTHROPIC_API_KEY (environment), "
        f"set in ~/.bashrc line 2, to {https_server.url}."
    )
    assert named in asked.replace("\r", ""), asked
    assert API_KEY not in asked
    assert https_server.seen == []


def pexpect_eof() -> Any:
    import pexpect

    return pexpect.EOF


# --- the URL, the deadline, the shape of the answer, redirects ----------------------------


def test_the_path_goes_before_the_base_urls_query(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    gateway_key = "gwk-" + "Pq3sT9vW" * 3
    https_server.routes["/x/v1/models"] = ok("req_gw")
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    env["ANTHROPIC_BASE_URL"] = f"{https_server.url}/x?key={gateway_key}#frag"
    report, outcome, _clock, lines = verify_with(env, fake_home.cwd)
    assert outcome is not None and outcome.ok
    assert https_server.seen[0].path == f"/x/v1/models?key={gateway_key}&limit=1"
    text = report.to_json() + "\n".join(lines)
    assert gateway_key not in text
    assert "/x?key=" in text  # the base URL is shown, its key masked


@pytest.mark.timeout(30)
def test_a_black_hole_ends_within_the_timeout(fake_home: FakeHome) -> None:
    from tests.kit.local import black_hole_port

    with black_hole_port() as port:
        env = fake_home.env(
            ANTHROPIC_BASE_URL=f"https://127.0.0.1:{port}",
            ANTHROPIC_API_KEY=API_KEY,
            CLAUDE_DOCTOR_TIMEOUT="1.5",
        )
        began = time.monotonic()
        settings = load_settings(env, cwd=fake_home.cwd)
        report, outcome = asyncio.run(verify_report(settings))
        took = time.monotonic() - began
    assert outcome is not None and not outcome.ok
    assert len(outcome.attempts) == 1  # the one attempt had the whole timeout
    assert outcome.attempts[0].message.startswith("no complete answer within 1.2")
    assert outcome.attempts[0].layer == "timeout"
    assert report.findings[0].id == "verify.unreachable"
    assert took < 1.5 + 3, took  # (today: 3 attempts of 10 s and 3 s of backoff)


@pytest.mark.timeout(30)
def test_a_trickling_body_is_cut_by_the_total_limit(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    body = json.dumps(MODELS).encode() + b" " * 200
    https_server.routes["/v1/models"] = Reply(200, body, trickle=1, trickle_pause=0.5)
    env = _env(
        fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY, CLAUDE_DOCTOR_TIMEOUT="1.5"
    )
    began = time.monotonic()
    settings = load_settings(env, cwd=fake_home.cwd)
    _report, outcome = asyncio.run(verify_report(settings))
    took = time.monotonic() - began
    assert outcome is not None and not outcome.ok
    assert [a.error_type for a in outcome.attempts] == ["TimeoutError"]
    assert took < 1.5 + 3, took


def test_waits_that_do_not_fit_in_the_timeout_end_the_retries(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/v1/models"] = err(500, "api_error", "r1", **{"retry-after": "4"})
    env = _env(
        fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY, CLAUDE_DOCTOR_TIMEOUT="3"
    )
    report, outcome, clock, _lines = verify_with(env, fake_home.cwd)
    assert outcome is not None and [a.status for a in outcome.attempts] == [500]
    assert clock.sleeps == []
    assert outcome.stop_reason == "no time left for another attempt within the 3 s limit"
    assert "within the 3 s limit" in report.findings[0].detail


def test_the_cli_takes_a_timeout(fake_home: FakeHome) -> None:
    from tests.kit.local import black_hole_port

    with black_hole_port() as port:
        env = fake_home.env(
            ANTHROPIC_BASE_URL=f"https://127.0.0.1:{port}", ANTHROPIC_API_KEY=API_KEY
        )
        began = time.monotonic()
        result = run_cli(["verify", "--yes", "--no-save", "--timeout", "1"], env, timeout=20)
    assert time.monotonic() - began < 1 + 5
    assert result.code == 1, result.stderr
    assert "no complete answer within" in result.stdout
    assert API_KEY not in result.stdout + result.stderr


PORTAL = "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body>Sign in</body></html>"


@pytest.mark.parametrize(
    ("reply", "what"),
    [
        (Reply(200, PORTAL, headers={"content-type": "text/html"}), "an HTML page"),
        (Reply(200, {"status": "ok", "portal": True}), "JSON that is not the API's"),
        (Reply(200, b""), "HTTP 200 application/json, no request-id"),
        (Reply(401, PORTAL, headers={"content-type": "text/html"}), "an HTML page"),
    ],
)
def test_an_answer_without_the_apis_shape_is_not_verified(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path, reply: Reply, what: str
) -> None:
    https_server.routes["/v1/models"] = reply
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    report, outcome, clock, lines = verify_with(env, fake_home.cwd)
    assert outcome is not None and not outcome.ok
    assert len(outcome.attempts) == 1 and clock.sleeps == []
    finding = report.findings[0]
    assert finding.id == "verify.not_the_api"
    assert finding.branch.value == "network"
    assert "answered by something else (a captive portal or proxy)" in finding.title
    assert what in finding.detail and what in lines[0]


def test_the_api_shape_is_verified_with_or_without_the_header(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    https_server.routes["/v1/models"] = Reply(200, MODELS)  # a gateway without request-id
    _report, outcome, _c, _l = verify_with(env, fake_home.cwd)
    assert outcome is not None and outcome.ok
    https_server.routes["/v1/models"] = Reply(200, b"<html>", headers={"request-id": "req_x"})
    _report, outcome, _c, _l = verify_with(env, fake_home.cwd)
    assert outcome is not None and outcome.ok


def test_cli_a_captive_portal_exits_1(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/v1/models"] = Reply(200, PORTAL, headers={"content-type": "text/html"})
    env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
    result = run_cli(["verify", "--yes", "--no-save"], env, cwd=fake_home.cwd)
    assert result.code == 1, result.stderr
    assert "[✗] verify failed: answered by something else (a captive portal or proxy)" in (
        result.stdout
    )
    assert "[✓]" not in result.stdout


def test_a_redirect_to_another_host_is_not_followed(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path, ca: Any
) -> None:
    from tests.kit.local import server_ssl_context

    other = ScriptedServer(server_ssl_context(ca, "127.0.0.1")).start()
    try:
        other.routes["/v1/models"] = ok("req_elsewhere")
        elsewhere = f"{other.url}/v1/models?limit=1"
        https_server.routes["/v1/models"] = Reply(302, b"", headers={"location": elsewhere})
        env = _env(fake_home, https_server, ca_file, ANTHROPIC_API_KEY=API_KEY)
        report, outcome, _clock, _lines = verify_with(env, fake_home.cwd)
        assert other.seen == []  # the key never went to the other port
    finally:
        other.stop()
    assert outcome is not None and not outcome.ok
    finding = report.findings[0]
    assert finding.id == "verify.not_the_api"
    assert f"a redirect to {elsewhere}" in finding.detail


def test_without_a_credential_it_says_there_is_nothing_to_send(fake_home: FakeHome) -> None:
    result = run_cli(["verify", "--no-save"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 2
    assert "verify found no credential on any route: there is nothing to send." in result.stderr
