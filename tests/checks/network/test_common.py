"""One cause for every host, against the laboratory: a resolver that fails every name, every
host refused or dropped (this machine is offline), every host behind one inspecting CA; the
API host heads the finding, the per-host findings fold into it, and one host that
works, or a proxy in the way, means there is no common cause."""

from __future__ import annotations

import pytest

from claude_doctor.model import Finding, Severity
from tests.checks.network.lab import Lab, by_id, proxy_env, proxy_routes, run_network
from tests.kit.local import refused_port, run_cli
from tests.kit.network import HOSTS, ConnectProxy, connect_to, syn_drop_port

COMMON = ("network.offline", "network.dns.resolver_failing", "network.tls.intercepted_everywhere")


def _common(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.id in COMMON]


def _assert_headlined_by_the_api(f: Finding, layer: str) -> None:
    assert f.severity is Severity.FAIL
    assert f.evidence["host"] == "api.anthropic.com" and f.evidence["role"] == "api"
    assert f.evidence["layer"] == layer
    assert sorted(f.evidence["hosts"]) == sorted(HOSTS)
    assert "downloads.claude.ai" not in f.title + f.next_steps[0]


def _assert_covered(findings: list[Finding], cause: Finding, per_host: str) -> None:
    # Folded into the cause: one id for it, every host named in its evidence.
    assert not [f for f in findings if f.id == per_host]
    assert cause.evidence["seen"] == dict.fromkeys(HOSTS, per_host)
    ids = [f.id for f in findings]
    assert len(ids) == len(set(ids)), ids
    problems = [f for f in findings if f.severity.is_problem]
    assert problems == [cause], [(f.id, f.severity) for f in problems]


@pytest.mark.parametrize(("mode", "result"), [("servfail", "servfail"), ("silent", "timeout")])
def test_a_resolver_that_fails_every_name_is_said_once(lab: Lab, mode: str, result: str) -> None:
    for host in HOSTS:
        lab.dns.modes[host] = mode
    findings = run_network(lab.env(CLAUDE_DOCTOR_TIMEOUT="3"))
    cause = by_id(findings, "network.dns.resolver_failing")
    _assert_headlined_by_the_api(cause, "dns")
    assert cause.evidence["resolvers"] == [lab.dns.address]
    assert cause.evidence["results"] == [result]
    assert lab.dns.address in cause.title
    assert cause.next_steps[0].startswith("dig api.anthropic.com @1.1.1.1")
    _assert_covered(findings, cause, f"network.dns.{result}")


def test_every_host_refused_is_an_offline_machine(lab: Lab) -> None:
    env = lab.env() | {"CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, refused_port())}
    findings = run_network(env)
    cause = by_id(findings, "network.offline")
    _assert_headlined_by_the_api(cause, "tcp")
    assert "offline" in cause.title and "TCP refused" in cause.detail
    assert "api.anthropic.com" in cause.detail
    _assert_covered(findings, cause, "network.tcp.refused")


def test_every_host_dropped_or_unresolved_is_an_offline_machine(lab: Lab) -> None:
    lab.dns.modes["claude.ai"] = "nxdomain"
    lab.dns.modes["status.claude.com"] = "nxdomain"
    with syn_drop_port() as port:
        env = lab.env(CLAUDE_DOCTOR_TIMEOUT="3") | {
            "CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, port)
        }
        findings = run_network(env)
    cause = by_id(findings, "network.offline")
    _assert_headlined_by_the_api(cause, "tcp")
    assert cause.evidence["seen"]["claude.ai"] == "network.dns.nxdomain"
    assert cause.evidence["seen"]["api.anthropic.com"] == "network.tcp.timeout"
    assert [f for f in findings if f.severity.is_problem] == [cause]


def test_one_inspecting_ca_for_every_host_is_named_once(lab: Lab) -> None:
    corp = lab.server(lab.corp_ca)
    env = lab.env() | {"CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, corp.port)}
    findings = run_network(env)
    cause = by_id(findings, "network.tls.intercepted_everywhere")
    _assert_headlined_by_the_api(cause, "tls")
    assert cause.evidence["issuer"] == "Corp Inspection CA"
    assert "Corp Inspection CA" in cause.title
    assert "NODE_EXTRA_CA_CERTS" in " ".join(cause.next_steps)
    _assert_covered(findings, cause, "network.tls.intercepted")


def test_one_working_host_means_no_common_cause(lab: Lab) -> None:
    for host in HOSTS:
        if host != "status.claude.com":
            lab.dns.modes[host] = "servfail"
    findings = run_network(lab.env())
    assert not _common(findings)
    assert by_id(findings, "network.dns.servfail").severity is Severity.FAIL


def test_behind_a_proxy_failing_dns_is_not_an_offline_machine(lab: Lab) -> None:
    for host in HOSTS:
        lab.dns.modes[host] = "servfail"
    proxy = ConnectProxy(proxy_routes(lab))
    try:
        findings = run_network(proxy_env(lab, proxy.url))
    finally:
        proxy.stop()
    assert not _common(findings)
    assert by_id(findings, "network.dns.servfail").severity is Severity.INFO


def test_offline_cli_verdict_is_the_common_cause(lab: Lab) -> None:
    env = lab.env() | {"CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, refused_port())}
    result = run_cli(["check", "--json", "--only", "network"], env, cwd=lab.home.cwd)
    data = result.json()
    assert result.code == 1, result.stderr
    assert data["verdict"]["branch"] == "network"
    problems = [f["id"] for f in data["findings"] if f["severity"] in ("fail", "warn")]
    assert problems == ["network.offline"]
    console = run_cli(["check", "--only", "network"], env, cwd=lab.home.cwd)
    assert "offline" in console.stdout
