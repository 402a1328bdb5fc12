"""The walk of one host's layers, and the layers judged in ``judge``: the proxy tunnel
(refused, 407, closed) and TCP (refused, dropped, one address family broken)."""

from __future__ import annotations

from claude_doctor.model import Severity
from tests.checks.network.lab import (
    Lab,
    by_id,
    hosts_block,
    proxy_env,
    proxy_routes,
    run_network,
)
from tests.kit.local import refused_port
from tests.kit.network import ConnectProxy, syn_drop_port


def test_refused_port(lab: Lab) -> None:
    findings = run_network(lab.env(refused_port()))
    f = by_id(findings, "network.tcp.refused")
    assert f.severity is Severity.FAIL
    assert hosts_block(findings)["api.anthropic.com"]["first_failing_layer"] == "tcp"


def test_every_finding_names_its_host_and_role(lab: Lab) -> None:
    lab.dns.modes["claude.ai"] = "nxdomain"
    findings = run_network(lab.env(refused_port()))
    per_host = [f for f in findings if f.evidence.get("layer") in ("dns", "tcp", "tls", "http")]
    assert {f.id for f in per_host} >= {"network.tcp.refused", "network.dns.nxdomain"}
    for f in per_host:
        assert f.evidence["host"] and f.evidence["role"], f.id


def test_on_a_bedrock_route_the_anthropic_api_host_never_is_the_route(lab: Lab) -> None:
    findings = run_network(lab.env(refused_port(), CLAUDE_CODE_USE_BEDROCK="1"))
    f = by_id(findings, "network.tcp.refused")
    assert f.evidence["host"] == "api.anthropic.com"
    assert f.evidence["role"] == "anthropic_api"
    assert f.severity is Severity.WARN  # Claude Code on Bedrock does not need it
    assert hosts_block(findings)["api.anthropic.com"]["role"] == "anthropic_api"


def test_dropping_port_times_out_at_tcp(lab: Lab) -> None:
    with syn_drop_port() as port:
        findings = run_network(lab.env(port, CLAUDE_DOCTOR_TIMEOUT="3"))
    assert by_id(findings, "network.tcp.timeout").severity is Severity.FAIL


def test_ipv6_broken_while_ipv4_works(lab: Lab) -> None:
    lab.dns.modes["gw.test"] = {"A": ["127.0.0.1"], "AAAA": ["::1"]}
    env = lab.env(ANTHROPIC_BASE_URL=f"https://gw.test:{lab.healthy.port}")
    findings = run_network(env)
    f = by_id(findings, "network.tcp.ipv6_broken")
    assert f.severity is Severity.WARN
    assert any("ipv4first" in step for step in f.next_steps)
    # A custom gateway on loopback is not a suspicious DNS answer.
    assert not [x for x in findings if x.id.startswith("network.dns.")]


def test_proxy_that_closes_the_tunnel(lab: Lab) -> None:
    proxy = ConnectProxy(proxy_routes(lab), mode="close")
    try:
        findings = run_network(proxy_env(lab, proxy.url))
    finally:
        proxy.stop()
    f = by_id(findings, "network.proxy.tunnel_closed")
    assert f.severity is Severity.FAIL and f.evidence["host"] == "api.anthropic.com"
