"""The network branch against real local parts: a DNS server on a loopback port, TLS servers
with trustme certificates, refused, dropping and black-hole ports, and a CONNECT proxy.

Every host Claude needs is aimed at local servers (DNS answers from the test's server,
``CLAUDE_DOCTOR_CONNECT_TO`` for TCP/TLS/HTTP), so no test waits on a host it is not about.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from claude_doctor.checks.network.check import HostProbe, Judge, Target, network_paths
from claude_doctor.checks.network.probes import dns_query, os_lookup
from claude_doctor.context import Context
from claude_doctor.model import Finding, Severity
from claude_doctor.net import Network
from claude_doctor.redact import SecretSet
from claude_doctor.settings import load_settings
from tests.kit.local import (
    FakeHome,
    Reply,
    ScriptedServer,
    black_hole_port,
    refused_port,
    run_cli,
    server_ssl_context,
)
from tests.kit.network import (
    HOSTS,
    ConnectProxy,
    DnsServer,
    connect_to,
    syn_drop_port,
    write_bundle,
)

API_KEY = "sk-ant-api03-" + "N" * 80 + "w9Zq"
REQUEST_ID = "req_011CSHoEeqs5C35K2UUqR7Fy"
AUTH_401 = Reply(
    401,
    {
        "type": "error",
        "error": {"type": "authentication_error", "message": "x-api-key header is required"},
        "request_id": REQUEST_ID,
    },
    headers={"request-id": REQUEST_ID},
)


@pytest.fixture(scope="session")
def public_ca() -> Any:
    import trustme

    return trustme.CA(organization_name="Public Web Root")


@pytest.fixture(scope="session")
def corp_ca() -> Any:
    import trustme

    return trustme.CA(organization_name="Corp Inspection CA")


class Lab:
    """Every host aimed at a healthy local HTTPS server; scenarios replace one host."""

    def __init__(self, home: FakeHome, public_ca: Any, corp_ca: Any, tmp: Path) -> None:
        self.home = home
        home.subscription()  # a healthy login, so only the network can decide the verdict
        self.public_ca = public_ca
        self.corp_ca = corp_ca
        self.system_bundle = write_bundle(tmp / "system.pem", public_ca, corp_ca)
        self.public_bundle = write_bundle(tmp / "public.pem", public_ca)
        self.dns = DnsServer().start()
        self.servers: list[ScriptedServer] = []
        self.healthy = self.server(public_ca)
        self.healthy.routes["/v1/models"] = AUTH_401

    def server(self, ca: Any, *names: str, **leaf: Any) -> ScriptedServer:
        ctx = server_ssl_context(ca, *(names or (*HOSTS, "127.0.0.1", "gw.test")), **leaf)
        server = ScriptedServer(ctx).start()
        server.httpd.socket.listen(128)  # every probe connects at once
        self.servers.append(server)
        return server

    def env(self, api_port: int | None = None, **extra: str) -> dict[str, str]:
        ports = {"api.anthropic.com": api_port} if api_port else {}
        env = self.home.env(
            CLAUDE_DOCTOR_DNS_SERVERS=self.dns.address,
            CLAUDE_DOCTOR_CONNECT_TO=connect_to(ports, self.healthy.port),
            SSL_CERT_FILE=str(self.system_bundle),
            CLAUDE_DOCTOR_PUBLIC_CA_FILE=str(self.public_bundle),
        )
        env.update(extra)
        return env

    def close(self) -> None:
        self.dns.stop()
        for server in self.servers:
            server.stop()


@pytest.fixture
def lab(fake_home: FakeHome, public_ca: Any, corp_ca: Any, tmp_path: Path) -> Iterator[Lab]:
    lab = Lab(fake_home, public_ca, corp_ca, tmp_path)
    yield lab
    lab.close()


def run_network(
    env: dict[str, str], now: datetime | None = None, secrets: SecretSet | None = None
) -> list[Finding]:
    settings = load_settings(env)

    async def go() -> list[Finding]:
        network = Network(settings)
        ctx = Context(settings, network, secrets=secrets if secrets is not None else SecretSet())
        if now is not None:
            ctx.now = lambda: now
        try:
            return await network_paths(ctx)
        finally:
            await network.aclose()

    return asyncio.run(go())


def by_id(findings: list[Finding], finding_id: str) -> Finding:
    matches = [f for f in findings if f.id == finding_id]
    assert matches, f"no {finding_id} in {[f.id for f in findings]}"
    return matches[0]


def hosts_block(findings: list[Finding]) -> dict[str, dict[str, Any]]:
    summary = by_id(findings, "network.summary")
    return {h["host"]: h for h in summary.evidence["network"]["hosts"]}


def worst(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), key=lambda s: s.rank)


# -- healthy path -----------------------------------------------------------------------------


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


# -- DNS --------------------------------------------------------------------------------------


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
        fails = Judge(probe, datetime.now(UTC)).dns_layer().findings
        probe.dns_os, probe.dns_a, probe.dns_aaaa = probe.dns_a, probe.dns_os, probe.dns_os
        disagree = Judge(probe, datetime.now(UTC)).dns_layer().findings
        await network.aclose()
        return fails + disagree

    findings = asyncio.run(go())
    assert by_id(findings, "network.dns.os_resolver_fails").severity is Severity.FAIL
    assert by_id(findings, "network.dns.disagree").severity is Severity.WARN


# -- TCP --------------------------------------------------------------------------------------


def test_refused_port(lab: Lab) -> None:
    findings = run_network(lab.env(refused_port()))
    f = by_id(findings, "network.tcp.refused")
    assert f.severity is Severity.FAIL
    assert hosts_block(findings)["api.anthropic.com"]["first_failing_layer"] == "tcp"


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


# -- TLS --------------------------------------------------------------------------------------


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
    assert by_id(findings, "network.clock.skewed").severity is Severity.FAIL
    assert "clock" in by_id(findings, "network.tls.expired").detail
    healthy = run_network(lab.env(), now=datetime.now(UTC) + timedelta(hours=2))
    assert by_id(healthy, "network.clock.skewed").severity is Severity.WARN


def test_black_hole_times_out_at_tls(lab: Lab) -> None:
    with black_hole_port() as port:
        findings = run_network(lab.env(port, CLAUDE_DOCTOR_TIMEOUT="3"))
    assert by_id(findings, "network.tls.timeout").severity is Severity.FAIL


# -- proxy ------------------------------------------------------------------------------------


def proxy_routes(lab: Lab) -> dict[tuple[str, int], tuple[str, int]]:
    return {(host, 443): ("127.0.0.1", lab.healthy.port) for host in HOSTS}


def proxy_env(lab: Lab, proxy_url: str, **extra: str) -> dict[str, str]:
    env = lab.env(HTTPS_PROXY=proxy_url, **extra)
    # The proxy, not CONNECT_TO, reaches the servers; only a NO_PROXY host goes direct.
    env["CLAUDE_DOCTOR_CONNECT_TO"] = connect_to({"downloads.claude.ai": lab.healthy.port})
    return env


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


def test_proxy_that_closes_the_tunnel(lab: Lab) -> None:
    proxy = ConnectProxy(proxy_routes(lab), mode="close")
    try:
        findings = run_network(proxy_env(lab, proxy.url))
    finally:
        proxy.stop()
    f = by_id(findings, "network.proxy.tunnel_closed")
    assert f.severity is Severity.FAIL and f.evidence["host"] == "api.anthropic.com"


def test_proxy_without_scheme_and_socks_fail_fast(lab: Lab) -> None:
    started = time.monotonic()
    no_scheme = run_network(proxy_env(lab, "proxy.corp.example:8080"))
    socks = run_network(proxy_env(lab, "socks5://127.0.0.1:1080"))
    assert time.monotonic() - started < 8
    assert by_id(no_scheme, "network.proxy.no_scheme").severity is Severity.FAIL
    assert by_id(socks, "network.proxy.socks_unsupported").severity is Severity.FAIL
    assert hosts_block(socks)["api.anthropic.com"]["first_failing_layer"] == "proxy"


# -- HTTP -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "finding_id"),
    [
        (
            Reply(
                200,
                "<html><body>Welcome to Hotel Wi-Fi</body></html>",
                {"content-type": "text/html"},
            ),
            "network.http.intercepted_page",
        ),
        (
            Reply(403, "<html>Access denied</html>", {"content-type": "text/html"}),
            "network.http.blocked",
        ),
        (
            Reply(503, "upstream connect error", {"content-type": "text/plain"}),
            "network.http.server_error",
        ),
    ],
)
def test_http_answers_that_are_not_the_api(lab: Lab, reply: Reply, finding_id: str) -> None:
    server = lab.server(lab.public_ca)
    server.routes["/v1/models"] = reply
    findings = run_network(lab.env(server.port))
    f = by_id(findings, finding_id)
    assert f.severity is Severity.FAIL and f.evidence["layer"] == "http"
    assert hosts_block(findings)["api.anthropic.com"]["first_failing_layer"] == "http"


def test_http_timeout(lab: Lab) -> None:
    server = lab.server(lab.public_ca)
    server.routes["/v1/models"] = Reply(401, {}, delay=5)
    findings = run_network(lab.env(server.port, CLAUDE_DOCTOR_TIMEOUT="3"))
    assert by_id(findings, "network.http.timeout").severity is Severity.FAIL


# -- the whole branch -------------------------------------------------------------------------


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
    assert by_id(findings, "network.dns.timeout")


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
