"""The DNS layer: failed lookups named by kind, sinkholed and private answers, and the
system's resolver against the DNS servers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from claude_doctor.checks.network.host import HostProbe
from claude_doctor.checks.network.judge_dns import dns_layer
from claude_doctor.checks.network.layer import HostView
from claude_doctor.checks.network.plan import Target
from claude_doctor.checks.network.probes import dns_query, os_lookup
from claude_doctor.context import Context
from claude_doctor.model import Finding, Severity
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.checks.network.lab import Lab, by_id, hosts_block, run_network


@pytest.mark.parametrize(
    ("mode", "finding_id", "severity"),
    [
        ("nxdomain", "network.dns.nxdomain", Severity.FAIL),
        ("servfail", "network.dns.servfail", Severity.FAIL),
        ("sinkhole", "network.dns.sinkhole", Severity.FAIL),
        ("private", "network.dns.private_answer", Severity.WARN),
        ("silent", "network.dns.timeout", Severity.FAIL),
    ],
)
def test_dns_failures_are_named(lab: Lab, mode: str, finding_id: str, severity: Severity) -> None:
    lab.dns.modes["api.anthropic.com"] = mode
    findings = run_network(lab.env())
    f = by_id(findings, finding_id)
    assert f.severity is severity and f.evidence["host"] == "api.anthropic.com"
    assert f.evidence["layer"] == "dns"
    api = hosts_block(findings)["api.anthropic.com"]
    if severity is Severity.FAIL:
        assert api["first_failing_layer"] == "dns"
    # Other hosts are untouched.
    assert hosts_block(findings)["claude.ai"]["first_failing_layer"] is None


def test_os_resolver_failure_and_disagreement(lab: Lab) -> None:
    """Without CLAUDE_DOCTOR_DNS_SERVERS the OS resolver is compared; here the DNS server
    answers but getaddrinfo is refused (the test guard), as a broken nsswitch would."""
    settings = load_settings(lab.env())

    async def go() -> list[Finding]:
        network = Network(settings)
        target = Target("api.anthropic.com", 443, "https", "api", "API requests", True, True)
        probe = HostProbe(Context(settings, network), target, 0.0, None, True)
        resolver = network.resolver()
        probe.dns_a = await dns_query(resolver, target.host, "A", 1.0)
        probe.dns_aaaa = await dns_query(resolver, target.host, "AAAA", 1.0)
        from claude_doctor.context import in_thread

        probe.dns_os = await os_lookup(target.host, 443, 1.0, in_thread)
        assert probe.dns_os.kind == "unreachable"
        fails = dns_layer(HostView(probe, datetime.now(UTC))).findings
        probe.dns_os, probe.dns_a, probe.dns_aaaa = probe.dns_a, probe.dns_os, probe.dns_os
        disagree = dns_layer(HostView(probe, datetime.now(UTC))).findings
        await network.aclose()
        return fails + disagree

    findings = asyncio.run(go())
    assert by_id(findings, "network.dns.os_resolver_fails").severity is Severity.FAIL
    assert by_id(findings, "network.dns.disagree").severity is Severity.WARN
