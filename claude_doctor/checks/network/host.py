"""Every probe of one host, all at once: DNS, then TCP and TLS (direct or through the proxy's
CONNECT tunnel), and for the API an unauthenticated HTTP request.

Layers that do not need an earlier layer's answer start together; each step's timeout is cut
to what is left of the branch's budget. The raw results are kept for the judge.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from claude_doctor.checks.network import probes
from claude_doctor.checks.network.plan import STEP_TIMEOUTS, ProxyPlan, Target, as_ip
from claude_doctor.checks.network.probes import (
    CertInfo,
    DnsResult,
    HttpResult,
    TcpResult,
    TlsResult,
    TunnelResult,
)
from claude_doctor.context import Context, in_thread
from claude_doctor.net import join_url, unverified_ssl_context
from claude_doctor.settings import HostPort


@dataclass
class HostProbe:
    """Every probe of one host and their raw results."""

    ctx: Context
    target: Target
    deadline: float
    proxy: ProxyPlan | None
    compare_os: bool
    node_ctx: ssl.SSLContext | None = None
    dns_a: DnsResult | None = None
    dns_aaaa: DnsResult | None = None
    dns_os: DnsResult | None = None
    tcp: list[TcpResult] = field(default_factory=list)
    tcp_started: bool = False
    tunnel: TunnelResult | None = None
    tls_system: TlsResult | None = None
    tls_public: TlsResult | None = None
    tls_node: TlsResult | None = None
    tls_started: bool = False
    cert: CertInfo | None = None
    #: The server's ``Date`` values, read when the certificate's dates fail.
    server_dates: list[str] = field(default_factory=list)
    http: HttpResult | None = None
    _dns_done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def redirected(self) -> HostPort | None:
        """The ``CLAUDE_DOCTOR_CONNECT_TO`` target, when there is one for this host."""
        target = self.ctx.settings.connect_target(self.target.host, self.target.port)
        return None if target == HostPort(self.target.host, self.target.port) else target

    @property
    def dns_skipped(self) -> bool:
        return as_ip(self.target.host) is not None or self.target.host == "localhost"

    def left(self, step: str) -> float:
        remaining = self.deadline - asyncio.get_running_loop().time()
        return max(0.05, min(STEP_TIMEOUTS[step], remaining))

    async def run(self) -> None:
        jobs = [self._dns()]
        if self.target.is_api and (self.proxy is None or not self.proxy.problem):
            jobs.append(self._http())
        if self.proxy is None:
            jobs.append(self._direct())
        elif not self.proxy.problem:
            jobs.append(self._via_proxy(self.proxy))
        await asyncio.gather(*jobs)

    async def _dns(self) -> None:
        import dns.exception

        try:
            if self.dns_skipped:
                return
            try:
                resolver = self.ctx.network.resolver()
            except dns.exception.DNSException as exc:
                self.dns_a = self.dns_aaaa = DnsResult("no_config", error=type(exc).__name__)
                resolver = None
            jobs: list[Any] = []
            if resolver is not None:
                jobs += [
                    probes.dns_query(resolver, self.target.host, "A", self.left("dns")),
                    probes.dns_query(resolver, self.target.host, "AAAA", self.left("dns")),
                ]
            if self.compare_os:
                jobs.append(
                    probes.os_lookup(
                        self.target.host, self.target.port, self.left("dns"), in_thread
                    )
                )
            results = await asyncio.gather(*jobs)
            if resolver is not None:
                self.dns_a, self.dns_aaaa = results[0], results[1]
            if self.compare_os:
                self.dns_os = results[-1]
        finally:
            self._dns_done.set()

    def addresses(self) -> list[str]:
        """The addresses DNS gave (the OS resolver's when the DNS servers gave none)."""
        found: list[str] = []
        for result in (self.dns_a, self.dns_aaaa):
            if result is not None and result.kind == "ok":
                found += result.addresses
        if not found and self.dns_os is not None and self.dns_os.kind == "ok":
            found = list(self.dns_os.addresses)
        return found

    async def _direct(self) -> None:
        redirected = self.redirected
        if redirected is not None:
            picks, port = [redirected.host], redirected.port
        elif self.dns_skipped:
            picks, port = [self.target.host.strip("[]")], self.target.port
        else:
            await self._dns_done.wait()
            addresses = self.addresses()
            v4 = next((a for a in addresses if ":" not in a), None)
            v6 = next((a for a in addresses if ":" in a), None)
            picks, port = [a for a in (v4, v6) if a], self.target.port
        if not picks:
            return
        self.tcp_started = True

        async def tcp() -> None:
            self.tcp = list(
                await asyncio.gather(*(probes.tcp_probe(a, port, self.left("tcp")) for a in picks))
            )

        async def opener() -> tuple[str, probes.Stream | None]:
            result, stream = await probes.open_tcp(picks[0], port, self.left("tcp"))
            return result.kind, stream

        await self._with_tls(tcp(), opener)

    async def _via_proxy(self, plan: ProxyPlan) -> None:
        proxy_at = self.ctx.settings.connect_target(plan.host, plan.port)

        async def tunnel() -> tuple[TunnelResult, probes.Stream | None]:
            return await probes.open_tunnel(
                proxy_at.host,
                proxy_at.port,
                self.target.host,
                self.target.port,
                self.left("tunnel"),
                credentials=plan.credentials,
            )

        async def first() -> None:
            self.tunnel, stream = await tunnel()
            if stream is not None:
                stream[1].close()

        async def opener() -> tuple[str, probes.Stream | None]:
            result, stream = await tunnel()
            return result.kind, stream

        await self._with_tls(first(), opener)

    async def _with_tls(self, connect: Coroutine[Any, Any, None], opener: Any) -> None:
        """``connect`` and, for an https target, the TLS handshakes on connections from
        ``opener``, at once."""
        jobs = [connect]
        if self.target.scheme == "https":
            jobs.append(self._tls(opener))
        await asyncio.gather(*jobs)

    async def _tls(self, opener: Any) -> None:
        """Handshakes on separate connections, all at once: system trust, public trust,
        Claude Code's trust (``NODE_EXTRA_CA_CERTS``), and an unverified one for the leaf."""
        network = self.ctx.network
        name = self.target.host
        self.tls_started = True

        async def verified(ctx: ssl.SSLContext) -> TlsResult:
            result, _ = await probes.tls_handshake(opener, name, ctx, self.left("tls"))
            return result

        system_done = asyncio.Event()

        async def system() -> None:
            try:
                self.tls_system = await verified(network.system_ssl)
            finally:
                system_done.set()

        async def public() -> None:
            self.tls_public = await verified(network.public_ssl)

        async def node(ctx: ssl.SSLContext) -> None:
            self.tls_node = await verified(ctx)

        async def leaf() -> None:
            result, stream = await probes.tls_handshake(
                opener, name, unverified_ssl_context(), self.left("tls"), keep_open=True
            )
            if result.der is not None:
                self.cert = probes.decode_certificate(result.der)
            if stream is None:
                return
            await system_done.wait()
            system_result = self.tls_system
            if system_result is not None and system_result.verify_code in (
                probes.VERIFY_NOT_YET_VALID,
                probes.VERIFY_EXPIRED,
            ):
                # The certificate's dates look wrong to us: is it our clock?
                self.server_dates = await probes.head_dates(stream, name, self.left("clock"))
            else:
                stream[1].close()

        jobs = [system(), public(), leaf()]
        if self.node_ctx is not None and self.target.is_api:
            jobs.append(node(self.node_ctx))
        await asyncio.gather(*jobs)

    async def _http(self) -> None:
        url = join_url(self.ctx.settings.api_base_url, "/v1/models")
        self.http = await probes.http_get(self.ctx.network.client, url, self.left("http"))
