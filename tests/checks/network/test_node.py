"""Node's own TLS trust: NODE_EXTRA_CA_CERTS that covers the proxy's CA, points nowhere,
holds the wrong CA or junk, or is set only in settings.json; NODE_TLS_REJECT_UNAUTHORIZED=0."""

from __future__ import annotations

from pathlib import Path

from claude_doctor.model import Severity
from tests.checks.network.lab import AUTH_401, Lab, by_id, run_network
from tests.kit.network import write_bundle


def test_node_extra_ca_certs_covering_missing_wrong_and_invalid(lab: Lab, tmp_path: Path) -> None:
    corp = lab.server(lab.corp_ca)
    corp.routes["/v1/models"] = AUTH_401
    corp_pem = write_bundle(tmp_path / "corp.pem", lab.corp_ca)
    covered = run_network(lab.env(corp.port, NODE_EXTRA_CA_CERTS=str(corp_pem)))
    assert by_id(covered, "network.tls.intercepted").severity is Severity.WARN
    other = write_bundle(tmp_path / "other.pem", lab.public_ca)
    wrong = run_network(lab.env(corp.port, NODE_EXTRA_CA_CERTS=str(other)))
    assert by_id(wrong, "network.node_extra_ca.does_not_cover").severity is Severity.WARN
    missing = run_network(lab.env(NODE_EXTRA_CA_CERTS=str(tmp_path / "nope.pem")))
    assert by_id(missing, "network.node_extra_ca.missing").severity is Severity.FAIL
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"\x00\x01 not a certificate")
    invalid = run_network(lab.env(NODE_EXTRA_CA_CERTS=str(junk)))
    assert by_id(invalid, "network.node_extra_ca.invalid").severity is Severity.FAIL


def test_node_extra_ca_only_in_settings_and_reject_unauthorized(lab: Lab) -> None:
    lab.home.settings("user", {"env": {"NODE_EXTRA_CA_CERTS": "/etc/corp.pem"}})
    findings = run_network(lab.env(NODE_TLS_REJECT_UNAUTHORIZED="0"))
    assert by_id(findings, "network.node_extra_ca.settings_only").severity is Severity.WARN
    assert by_id(findings, "network.tls.verification_disabled").severity is Severity.WARN
