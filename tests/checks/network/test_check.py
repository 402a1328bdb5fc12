"""The network check as a whole, against the laboratory: the healthy path sends no
credentials and lifts the hosts' block into the report, the proxy in use and its variables,
the branch's deadline with every host a black hole, the verdict, and the proxy password.

Every host Claude needs is aimed at local servers (DNS answers from the test's server,
``CLAUDE_DOCTOR_CONNECT_TO`` for TCP/TLS/HTTP), so no test waits on a host it is not about.
"""

from __future__ import annotations

import json
import time

import pytest

from claude_doctor.model import Severity
from claude_doctor.redact import SecretSet
from tests.checks.network.lab import (
    API_KEY,
    Lab,
    by_id,
    hosts_block,
    proxy_env,
    proxy_routes,
    run_network,
    worst,
)
from tests.kit.local import Reply, black_hole_port, run_cli
from tests.kit.network import HOSTS, REQUEST_ID, ConnectProxy, connect_to


def test_healthy_path_is_at_most_info_and_sends_no_credentials(lab: Lab) -> None:
    findings = run_network(lab.env(ANTHROPIC_API_KEY=API_KEY))
    assert worst(findings).rank <= Severity.INFO.rank, [(f.id, f.title) for f in findings]
    reach = by_id(findings, "network.http.reaches_anthropic")
    assert reach.severity is Severity.OK and reach.evidence["probe_request_id"] == REQUEST_ID
    probes = [s for s in lab.healthy.seen if s.path == "/v1/models"]
    assert probes, "the API host was not probed over HTTP"
    for seen in probes:
        assert "x-api-key" not in seen.headers and "authorization" not in seen.headers
        assert API_KEY not in json.dumps(seen.headers)
    hosts = hosts_block(findings)
    assert set(hosts) == set(HOSTS)
    api = hosts["api.anthropic.com"]
    assert api["first_failing_layer"] is None
    assert set(api["timings_ms"]) >= {"dns", "connect", "tls", "first_byte"}
    assert api["addresses"]["a"] == ["160.79.104.10"]
    assert api["tls"]["version"].startswith("TLS")


def test_healthy_cli_report_lifts_the_network_block(lab: Lab) -> None:
    env = lab.env(ANTHROPIC_API_KEY=API_KEY)
    result = run_cli(["check", "--json", "--only", "network"], env, cwd=lab.home.cwd)
    data = result.json()
    assert data["verdict"]["branch"] == "none", result.stdout
    assert result.code == 0
    assert {h["host"] for h in data["evidence"]["network"]["hosts"]} == set(HOSTS)
    verbose = run_cli(["check", "-v", "--only", "network"], env, cwd=lab.home.cwd)
    assert "first byte" in verbose.stdout and "tls" in verbose.stdout
    assert API_KEY not in verbose.stdout + result.stdout


def test_working_proxy_is_used_and_reported(lab: Lab) -> None:
    proxy = ConnectProxy(proxy_routes(lab))
    try:
        findings = run_network(proxy_env(lab, proxy.url, NO_PROXY="downloads.claude.ai"))
    finally:
        proxy.stop()
    assert worst(findings).rank <= Severity.INFO.rank, [(f.id, f.title) for f in findings]
    route = by_id(findings, "network.proxy.route")
    assert "downloads.claude.ai" in route.evidence["direct"]
    assert any(r.startswith("CONNECT api.anthropic.com:443") for r in proxy.requests)
    assert by_id(findings, "network.http.reaches_anthropic").severity is Severity.OK


def test_proxy_407_and_credentials(lab: Lab) -> None:
    proxy = ConnectProxy(proxy_routes(lab), mode="auth", credentials="alice:s3cret-pw")
    try:
        denied = run_network(proxy_env(lab, proxy.url))
        host_port = proxy.url.removeprefix("http://")
        secrets = SecretSet()
        allowed = run_network(
            proxy_env(lab, f"http://alice:s3cret-pw@{host_port}"), secrets=secrets
        )
    finally:
        proxy.stop()
    assert by_id(denied, "network.proxy.auth_required").severity is Severity.FAIL
    assert not [f for f in allowed if f.id == "network.proxy.auth_required"]
    summary = by_id(allowed, "network.summary")
    assert list(secrets) == ["s3cret-pw"]
    assert "s3cret-pw" not in json.dumps(summary.evidence["network"])


def test_proxy_without_scheme_and_socks_fail_fast(lab: Lab) -> None:
    started = time.monotonic()
    no_scheme = run_network(proxy_env(lab, "proxy.corp.example:8080"))
    socks = run_network(proxy_env(lab, "socks5://127.0.0.1:1080"))
    assert time.monotonic() - started < 8
    assert by_id(no_scheme, "network.proxy.no_scheme").severity is Severity.FAIL
    assert by_id(socks, "network.proxy.socks_unsupported").severity is Severity.FAIL
    assert hosts_block(socks)["api.anthropic.com"]["first_failing_layer"] == "proxy"


def test_every_host_a_black_hole_ends_by_the_deadline(lab: Lab) -> None:
    for host in HOSTS:
        lab.dns.modes[host] = "silent"
    with black_hole_port() as port:
        started = time.monotonic()
        findings = run_network(
            lab.env(CLAUDE_DOCTOR_TIMEOUT="2", **{})
            | {"CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, port)}
        )
        elapsed = time.monotonic() - started
    assert elapsed < 2.5, elapsed
    cause = by_id(findings, "network.dns.resolver_failing")  # every host's DNS timeout, once
    assert set(cause.evidence["seen"].values()) == {"network.dns.timeout"}


@pytest.mark.parametrize("scenario", ["nxdomain", "intercepted", "proxy_407", "html"])
def test_cli_verdict_is_network(lab: Lab, scenario: str) -> None:
    env = lab.env()
    proxy = None
    if scenario == "nxdomain":
        lab.dns.modes["api.anthropic.com"] = "nxdomain"
    elif scenario == "intercepted":
        corp = lab.server(lab.corp_ca)
        env = lab.env(corp.port)
    elif scenario == "proxy_407":
        proxy = ConnectProxy(proxy_routes(lab), mode="auth", credentials="a:b")
        env = proxy_env(lab, proxy.url)
    else:
        page = lab.server(lab.public_ca)
        page.routes["/v1/models"] = Reply(200, "<html>portal</html>", {"content-type": "text/html"})
        env = lab.env(page.port)
    try:
        result = run_cli(["check", "--json"], env, cwd=lab.home.cwd)
    finally:
        if proxy is not None:
            proxy.stop()
    data = result.json()
    assert result.code == 1, result.stderr
    assert data["verdict"]["branch"] == "network"
    assert "Traceback" not in result.stderr


def test_proxy_password_never_leaves(lab: Lab) -> None:
    proxy = ConnectProxy(proxy_routes(lab), mode="auth", credentials="alice:Zq7-proxy-pw")
    host_port = proxy.url.removeprefix("http://")
    env = proxy_env(lab, f"http://alice:Zq7-proxy-pw@{host_port}")
    try:
        outputs = [
            run_cli(["check", "--json", "--only", "network"], env, cwd=lab.home.cwd),
            run_cli(["check", "-v", "--only", "network"], env, cwd=lab.home.cwd),
        ]
    finally:
        proxy.stop()
    assert outputs[0].json()["verdict"]["branch"] == "none"
    stored = [p.read_text() for p in (lab.home.doctor / "reports").glob("*.json")]
    for text in [o.stdout + o.stderr for o in outputs] + stored:
        assert "Zq7-proxy-pw" not in text
