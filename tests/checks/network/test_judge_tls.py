"""The TLS layer: interception against a private gateway, certificates that do not verify,
handshakes that stall, and the clock when a certificate's dates fail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from claude_doctor.model import Branch, Severity
from tests.checks.network.lab import AUTH_401, Lab, by_id, hosts_block, run_network, worst
from tests.kit.auth import clock_skew, run
from tests.kit.local import Reply, ScriptedServer, black_hole_port
from tests.kit.network import HOSTS


def test_interception_names_the_issuer_and_the_fixes(lab: Lab) -> None:
    corp = lab.server(lab.corp_ca)
    corp.routes["/v1/models"] = AUTH_401
    findings = run_network(lab.env(corp.port))
    f = by_id(findings, "network.tls.intercepted")
    assert f.severity is Severity.FAIL
    assert "Corp Inspection CA" in f.title
    steps = "\n".join(f.next_steps)
    assert "NODE_EXTRA_CA_CERTS" in steps and "SSL_CERT_FILE" in steps
    assert "REQUESTS_CA_BUNDLE" in steps
    assert "export NODE_TLS_REJECT_UNAUTHORIZED" not in steps
    api = hosts_block(findings)["api.anthropic.com"]
    assert api["first_failing_layer"] == "tls"
    assert api["layers"]["http"] == "after_failure"


def test_private_gateway_is_not_interception(lab: Lab) -> None:
    corp = lab.server(lab.corp_ca)
    corp.routes["/v1/models"] = Reply(401, {"error": "no key"})
    env = lab.env(ANTHROPIC_BASE_URL=f"https://127.0.0.1:{corp.port}")
    findings = run_network(env)
    assert by_id(findings, "network.tls.private_gateway").severity is Severity.INFO
    assert not [f for f in findings if f.id == "network.tls.intercepted"]
    assert worst(findings).rank <= Severity.INFO.rank


def test_expired_not_yet_valid_wrong_host_self_signed(lab: Lab) -> None:
    past = datetime.now(UTC) - timedelta(days=30)
    future = datetime.now(UTC) + timedelta(days=30)
    expired = lab.server(lab.public_ca, *HOSTS, not_after=past, not_before=past - timedelta(1))
    early = lab.server(lab.public_ca, *HOSTS, not_before=future)
    wrong = lab.server(lab.public_ca, "other.example")
    cases = {
        expired.port: "network.tls.expired",
        early.port: "network.tls.not_yet_valid",
        wrong.port: "network.tls.wrong_host",
    }
    for port, finding_id in cases.items():
        findings = run_network(lab.env(port))
        f = by_id(findings, finding_id)
        assert f.severity is Severity.FAIL and f.evidence["layer"] == "tls"
        assert hosts_block(findings)["api.anthropic.com"]["first_failing_layer"] == "tls"
    assert "other.example" in by_id(run_network(lab.env(wrong.port)), cases[wrong.port]).detail


def test_self_signed_certificate(lab: Lab, tmp_path: Path) -> None:
    import ssl

    import trustme

    own = trustme.CA(organization_name="Lonely Box")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # A CA certificate served as the leaf: self-signed and trusted by nobody.
    key = tmp_path / "key.pem"
    cert = tmp_path / "cert.pem"
    own.private_key_pem.write_to_path(str(key))
    own.cert_pem.write_to_path(str(cert))
    ctx.load_cert_chain(str(cert), str(key))
    server = ScriptedServer(ctx).start()
    try:
        findings = run_network(lab.env(server.port))
    finally:
        server.stop()
    f = by_id(findings, "network.tls.self_signed")
    assert "Lonely Box" in f.title


def test_clock_far_off_is_said(lab: Lab) -> None:
    past = datetime.now(UTC) - timedelta(days=30)
    expired = lab.server(lab.public_ca, *HOSTS, not_after=past, not_before=past - timedelta(1))
    ahead = datetime.now(UTC) + timedelta(days=40)
    findings = run_network(lab.env(expired.port), now=ahead)
    clock = by_id(findings, "login.clock.skew")
    assert clock.severity is Severity.FAIL and clock.branch is Branch.LOGIN
    assert "40 days ahead of api.anthropic.com's" in clock.title
    assert "clock" in by_id(findings, "network.tls.expired").detail
    # Through certificates that verify, the clock is the clock check's to read.
    healthy = run_network(lab.env(), now=datetime.now(UTC) + timedelta(hours=2))
    assert not [f for f in healthy if "clock" in f.id]


@pytest.mark.parametrize(("minutes", "skewed"), [(3, True), (1, False)])
def test_both_probes_of_a_skew_give_the_same_verdict(lab: Lab, minutes: int, skewed: bool) -> None:
    """The clock check (the API's Date through a verified request) and the TLS layer (the
    Date behind a certificate whose dates fail) judge with one threshold, into one id."""
    skew = timedelta(minutes=minutes)
    [via_api] = run(lab.home, lab.env(), checks=(clock_skew,), now=lambda: datetime.now(UTC) + skew)
    past = datetime.now(UTC) - timedelta(days=30)
    expired = lab.server(lab.public_ca, *HOSTS, not_after=past, not_before=past - timedelta(1))
    findings = run_network(lab.env(expired.port), now=datetime.now(UTC) + skew)
    via_tls = [f for f in findings if f.id.startswith("login.clock.")]
    if skewed:
        assert [(f.id, f.severity, f.branch) for f in via_tls] == [
            (via_api.id, via_api.severity, via_api.branch)
        ]
        assert via_api.id == "login.clock.skew" and via_api.severity is Severity.FAIL
        for f in (via_api, via_tls[0]):
            assert 170 <= f.evidence["skew_seconds"] <= 181
    else:
        assert via_api.id == "login.clock.ok" and via_tls == []
        assert "clock" not in by_id(findings, "network.tls.expired").detail


def test_black_hole_times_out_at_tls(lab: Lab) -> None:
    with black_hole_port() as port:
        findings = run_network(lab.env(port, CLAUDE_DOCTOR_TIMEOUT="3"))
    assert by_id(findings, "network.tls.timeout").severity is Severity.FAIL
