"""The status reader against hostile local servers: a redirect to another host is never
followed (a finding names where it pointed), a body trickled a byte at a time is cut by the
total limit, and ``status --watch`` ends by its ``--max-wait``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_doctor.checks.status.client import ENDPOINTS, fetch_endpoint, same_host
from claude_doctor.checks.status.page import PageProblem, ProblemKind, parse_summary
from claude_doctor.checks.status.watch import watch
from claude_doctor.model import Surface
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, Reply, ScriptedServer, run_cli, server_ssl_context
from tests.kit.statuspages import API, ago, claude_page, incident, serve


@pytest.fixture
def other_server(ca: Any) -> Iterator[ScriptedServer]:
    """A second HTTPS server on another loopback port: where a redirect points."""
    server = ScriptedServer(server_ssl_context(ca, "127.0.0.1", "localhost")).start()
    yield server
    server.stop()


def test_a_redirect_to_another_port_is_a_finding_that_names_it(
    https_server: ScriptedServer,
    other_server: ScriptedServer,
    ca_file: Path,
    fake_home: FakeHome,
) -> None:
    serve(other_server, claude_page())
    moved = {
        path: Reply(302, b"", headers={"location": f"{other_server.url}{path}"})
        for path in ENDPOINTS.values()
    }
    serve(https_server, moved)
    env = fake_home.env(CLAUDE_DOCTOR_STATUS_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    result = run_cli(["status", "--json"], env)
    assert result.code == 1, result.stderr
    assert other_server.seen == []  # not one endpoint was followed there
    problems = result.json()["problems"]
    assert {p["kind"] for p in problems} == {"redirect"}
    assert f"redirect to {other_server.url}/api/v2/summary.json" in problems[0]["detail"]

    data = run_cli(["check", "--json", "--no-save", "--only", "status"], env).json()
    (finding,) = [f for f in data["findings"] if f["branch"] == "incident"]
    assert finding["id"] == "incident.status_page_unreadable"
    assert other_server.url in finding["title"]
    assert other_server.seen == []


@pytest.mark.parametrize(
    ("url", "target", "follow"),
    [
        ("https://status.claude.com/a", "https://status.claude.com/b", True),
        ("http://status.claude.com/a", "https://status.claude.com/a", True),
        ("https://status.claude.com/a", "http://status.claude.com/a", False),
        ("https://status.anthropic.com/a", "https://status.claude.com/a", True),
        ("https://status.claude.com/a", "https://status.anthropic.com/a", True),
        ("https://status.anthropic.com/a", "http://status.claude.com/a", False),
        ("https://status.anthropic.com/a", "https://status.claude.com:8443/a", False),
        ("https://status.anthropic.com/a", "https://evil.claude.com/a", False),
        ("https://127.0.0.1:8443/a", "https://127.0.0.1:9443/a", False),
        ("https://127.0.0.1:8443/a", "https://127.0.0.2:8443/a", False),
        ("https://status.claude.com/a", "javascript:alert(1)", False),
    ],
)
def test_which_redirects_stay_on_the_host(url: str, target: str, follow: bool) -> None:
    assert same_host(url, target) is follow


@pytest.mark.timeout(30)
def test_a_body_trickled_a_byte_at_a_time_is_cut_in_all(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    page = claude_page()["/api/v2/summary.json"]
    https_server.routes["/api/v2/summary.json"] = Reply(
        200, page.body, trickle=1, trickle_pause=0.5
    )
    settings = load_settings(fake_home.env(SSL_CERT_FILE=str(ca_file)), cwd=fake_home.cwd)

    async def read() -> object:
        network = Network(settings)
        try:
            return await fetch_endpoint(
                network.client, https_server.url, "summary", parse_summary, timeout=1.5
            )
        finally:
            await network.aclose()

    began = time.monotonic()
    got = asyncio.run(read())
    took = time.monotonic() - began
    assert isinstance(got, PageProblem) and got.kind is ProblemKind.TIMEOUT
    assert took < 1.5 + 2, took  # each read came within 0.5 s: only a total limit ends it


@pytest.mark.timeout(40)
def test_watch_ends_by_max_wait_when_each_reading_is_slow(
    https_server: ScriptedServer, ca_file: Path, fake_home: FakeHome
) -> None:
    outage = incident(
        "apiout01", "Elevated errors", started=ago(minutes=5), components=(API,), impact="major"
    )
    routes = claude_page({API: "major_outage"}, unresolved=[outage])
    serve(https_server, {path: Reply(r.status, r.body, delay=1.2) for path, r in routes.items()})
    env = fake_home.env(CLAUDE_DOCTOR_STATUS_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    settings = load_settings(env, cwd=fake_home.cwd)
    lines: list[str] = []

    async def go() -> bool:
        network = Network(settings)
        try:
            _result, fine = await watch(
                network,
                settings,
                surfaces=(Surface.API_SDK,),
                at=None,
                interval=30,
                max_wait=3,
                emit=lines.append,
            )
            return fine
        finally:
            await network.aclose()

    began = time.monotonic()
    fine = asyncio.run(go())
    took = time.monotonic() - began
    assert fine is False
    assert "still not operational after 3 s" in lines[-1]
    # Today the last reading starts at 3 s and ends at 4.2 s.
    assert took < 3 + 0.6, took
