"""Servers that answer, but not in the protocol asked: a port whose server speaks SSH or
sends a head that never ends is "answered with something that is not HTTP", never "could
not connect"; a DNS server answering with bytes that are not a DNS message is "an
unreadable answer", never "timed out". Each against a real local server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from claude_doctor.checks.network.probes import dns_query
from claude_doctor.model import Severity
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.checks.network.lab import Lab, by_id, hosts_block, run_network
from tests.checks.route.test_verify import verify_with
from tests.kit.auth import API_KEY
from tests.kit.local import FakeHome, run_cli, server_ssl_context
from tests.kit.network import HOSTS, RawServer

SSH = b"SSH-2.0-OpenSSH_9.6\r\n\r\n"
ENDLESS_HEAD = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 300_000


@pytest.fixture(params=[SSH, ENDLESS_HEAD], ids=["ssh", "endless-head"])
def not_http(request: pytest.FixtureRequest) -> Iterator[RawServer]:
    server = RawServer(request.param)
    yield server
    server.stop()


def _said(answer: bytes) -> str:
    return "illegal status line: 'SSH-2.0-OpenSSH_9.6'" if answer == SSH else "Receive buffer"


def test_the_status_page_answered_by_something_else(
    fake_home: FakeHome, not_http: RawServer
) -> None:
    env = fake_home.env(CLAUDE_DOCTOR_STATUS_URL=not_http.url, CLAUDE_DOCTOR_TIMEOUT="5")
    result = run_cli(["status", "--json"], env)
    assert result.code == 1, result.stderr
    problems = result.json()["problems"]
    assert {p["kind"] for p in problems} == {"not_http"}
    detail = problems[0]["detail"]
    assert "the server answered, but not with HTTP" in detail and _said(not_http.answer) in detail
    assert "could not connect" not in detail
    data = run_cli(["check", "--json", "--no-save", "--only", "status"], env).json()
    (finding,) = [f for f in data["findings"] if f["branch"] == "incident"]
    assert finding["id"] == "incident.status_page_unreadable"
    assert "could not connect" not in finding["title"] + finding["detail"]


def test_the_api_host_answered_by_something_else(lab: Lab) -> None:
    server = RawServer(SSH, server_ssl_context(lab.public_ca, *HOSTS))
    try:
        findings = run_network(lab.env(server.port))
    finally:
        server.stop()
    f = by_id(findings, "network.http.not_http")
    assert f.severity is Severity.FAIL and f.evidence["layer"] == "http"
    assert "something that is not HTTP" in f.title
    assert "illegal status line" in f.detail and "did not get an answer" not in f.detail
    assert hosts_block(findings)["api.anthropic.com"]["first_failing_layer"] == "http"


def test_verify_says_the_api_answered_with_something_else(
    fake_home: FakeHome, not_http: RawServer
) -> None:
    env = fake_home.env(
        ANTHROPIC_BASE_URL=not_http.url, ANTHROPIC_API_KEY=API_KEY, CLAUDE_DOCTOR_TIMEOUT="5"
    )
    _report, outcome, _clock, lines = verify_with(env, fake_home.cwd)
    assert outcome is not None and not outcome.ok
    assert "answered with something that is not HTTP" in lines[0]
    assert _said(not_http.answer) in lines[0]


def test_a_garbage_dns_answer_is_unreadable_not_a_timeout(lab: Lab) -> None:
    lab.dns.modes["api.anthropic.com"] = "garbage"
    findings = run_network(lab.env(CLAUDE_DOCTOR_TIMEOUT="5"))
    f = by_id(findings, "network.dns.unreadable")
    assert f.evidence["host"] == "api.anthropic.com" and f.severity is Severity.FAIL
    assert "an unreadable answer" in f.title and "timed out" not in f.title
    assert "network.dns.timeout" not in {x.id for x in findings}
    assert hosts_block(findings)["claude.ai"]["first_failing_layer"] is None


def test_a_resolver_that_answers_garbage_for_every_host(lab: Lab) -> None:
    for host in HOSTS:
        lab.dns.modes[host] = "garbage"
    findings = run_network(lab.env(CLAUDE_DOCTOR_TIMEOUT="5"))
    cause = by_id(findings, "network.dns.resolver_failing")
    assert cause.evidence["results"] == ["unreadable"]
    assert "gives unreadable answers" in cause.title and "timed out" not in cause.title


def test_one_garbage_lookup_needs_no_timeout(lab: Lab) -> None:
    lab.dns.modes["api.anthropic.com"] = "garbage"
    settings = load_settings(lab.env())

    async def go() -> str:
        network = Network(settings)
        try:
            result = await dns_query(network.resolver(), "api.anthropic.com", "A", 30.0)
        finally:
            await network.aclose()
        return result.kind

    assert asyncio.run(go()) == "unreadable"
