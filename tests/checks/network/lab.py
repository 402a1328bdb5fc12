"""The network branch's laboratory: every host Claude needs aimed at local servers (a DNS
server on a loopback port, TLS servers with trustme certificates, a CONNECT proxy), and the
helpers that run the branch against it and read its findings."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from claude_doctor.checks.network.check import network_paths
from claude_doctor.context import Context
from claude_doctor.model import Finding, Severity
from claude_doctor.net import Network
from claude_doctor.redact import SecretSet
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, ScriptedServer, server_ssl_context
from tests.kit.network import AUTH_401, HOSTS, DnsServer, connect_to, write_bundle

API_KEY = "sk-ant-api03-" + "N" * 80 + "w9Zq"


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


def proxy_routes(lab: Lab) -> dict[tuple[str, int], tuple[str, int]]:
    return {(host, 443): ("127.0.0.1", lab.healthy.port) for host in HOSTS}


def proxy_env(lab: Lab, proxy_url: str, **extra: str) -> dict[str, str]:
    env = lab.env(HTTPS_PROXY=proxy_url, **extra)
    # The proxy, not CONNECT_TO, reaches the servers; only a NO_PROXY host goes direct.
    env["CLAUDE_DOCTOR_CONNECT_TO"] = connect_to({"downloads.claude.ai": lab.healthy.port})
    return env
