"""The clock: one threshold and one finding id, whichever probe reads the server's ``Date``
(the ``clock`` check against a local API here; the network branch's TLS layer in
tests/checks/network/test_judge_tls.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from claude_doctor.checks.login.clock import CLOCK_SKEW_LIMIT, clock_finding, server_date
from claude_doctor.model import Branch, Severity
from tests.kit.auth import clock_skew, run
from tests.kit.local import FakeHome, Reply, ScriptedServer

PACKAGE = Path(__file__).resolve().parents[3] / "claude_doctor"


def _api(server: ScriptedServer, offset: timedelta) -> None:
    def answer(_seen: object) -> Reply:
        date = format_datetime(datetime.now(UTC) + offset, usegmt=True)
        return Reply(404, {"type": "error"}, headers={"date": date, "request-id": "req_clock"})

    server.routes["/"] = answer


def test_clock_ten_minutes_off(fake_home: FakeHome, https_server: ScriptedServer, ca_file) -> None:  # type: ignore[no-untyped-def]
    _api(https_server, timedelta(minutes=-10))
    env = fake_home.env(ANTHROPIC_BASE_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    [finding] = run(fake_home, env, checks=(clock_skew,))
    assert finding.id == "login.clock.skew" and finding.severity is Severity.FAIL
    assert "10 minutes ahead of" in finding.title
    assert 590 <= finding.evidence["skew_seconds"] <= 610
    assert https_server.seen[0].headers.get("x-api-key") is None  # unauthenticated


def test_clock_probe_follows_a_settings_base_url(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file
) -> None:  # type: ignore[no-untyped-def]
    _api(https_server, timedelta(minutes=5))
    fake_home.settings("user", {"env": {"ANTHROPIC_BASE_URL": https_server.url}})
    [finding] = run(fake_home, fake_home.env(SSL_CERT_FILE=str(ca_file)), checks=(clock_skew,))
    assert finding.id == "login.clock.skew" and "behind" in finding.title


def test_clock_in_step(fake_home: FakeHome, https_server: ScriptedServer, ca_file) -> None:  # type: ignore[no-untyped-def]
    _api(https_server, timedelta(seconds=30))
    env = fake_home.env(ANTHROPIC_BASE_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    [finding] = run(fake_home, env, checks=(clock_skew,))
    assert finding.id == "login.clock.ok"


def test_unreachable_api_is_not_a_login_finding(fake_home: FakeHome) -> None:
    from tests.kit.local import refused_port

    env = fake_home.env(ANTHROPIC_BASE_URL=f"https://127.0.0.1:{refused_port()}")
    assert run(fake_home, env, checks=(clock_skew,)) == []
    # The default base URL is refused at once by the test network guard: also silent.
    assert run(fake_home, fake_home.env(), checks=(clock_skew,)) == []


@pytest.mark.parametrize("seconds", [-121, -119, 0, 119, 121])
def test_one_threshold_of_two_minutes(seconds: int) -> None:
    server = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
    finding = clock_finding(server + timedelta(seconds=seconds), server, "https://api.test/")
    skewed = abs(seconds) > CLOCK_SKEW_LIMIT.total_seconds()
    assert finding.id == ("login.clock.skew" if skewed else "login.clock.ok")
    assert finding.severity is (Severity.FAIL if skewed else Severity.OK)
    assert finding.branch is Branch.LOGIN
    assert timedelta(minutes=2) == CLOCK_SKEW_LIMIT


def test_the_last_date_header_counts() -> None:
    # A proxy in between may prepend its own Date.
    dates = ["Sat, 01 Aug 2026 11:00:00 GMT", "Sat, 01 Aug 2026 12:00:00 GMT", "junk"]
    assert server_date(dates) == datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
    assert server_date(["junk"]) is None and server_date([]) is None


def test_one_clock_skew_id_and_threshold_in_the_code() -> None:
    """Only the clock module names a clock finding or defines a clock threshold."""
    ids = re.compile(r"""["'](?:\w+\.)?clock\.(?:skew\w*|ok)["']""")
    thresholds = re.compile(r"^\s*CLOCK_\w+\s*(?::[^=]+)?=", re.M)
    for path in PACKAGE.rglob("*.py"):
        if path.name == "clock.py" and path.parent.name == "login":
            continue
        text = path.read_text()
        assert not ids.findall(text), path
        assert not thresholds.findall(text), path
