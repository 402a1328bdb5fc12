"""The network branch: every host Claude needs, walked DNS -> TCP -> TLS -> proxy -> HTTP.

All hosts, and all layers of a host that do not need an earlier layer's answer, are probed at
once, so the branch takes about as long as its slowest probe. Each step has its own timeout
and every timeout is cut to what is left of the branch's budget, which fits inside the run's
deadline. Per host the first layer that fails is named with its fix; later layers are kept in
the evidence only (they fail because of the first one).

Everything goes through the foundation's factory: ``connect_target`` for TCP/TLS (the DNS layer
still asks about the real name), the run's resolver, the two trust stores, the run's HTTP client
and Claude Code's proxy choice.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from claude_doctor.checks.network import probes
from claude_doctor.checks.network.probes import (
    CertInfo,
    DnsResult,
    HttpResult,
    TcpResult,
    TlsResult,
    TunnelResult,
)
from claude_doctor.claude_home import FileProblem, read_json_object, settings_locations
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.net import (
    PROXY_VARIABLES,
    ProxyChoice,
    bypasses_proxy,
    node_ssl_context,
    proxy_for,
    unverified_ssl_context,
)
from claude_doctor.settings import DEFAULT_API_BASE_URL, DEFAULT_STATUS_URL, HostPort, Settings

#: The check's own time limit (the engine also cuts it at the run's deadline).
CHECK_TIMEOUT = 9.0
#: Each step's own timeout, seconds; every one is also cut to what is left of the budget.
STEP_TIMEOUTS = {"dns": 2.0, "tcp": 2.5, "tunnel": 2.5, "tls": 2.5, "http": 4.0, "clock": 1.0}
#: Hosts Claude Code needs besides the API and the status page (FACTS §3.7), and what for.
CLAUDE_HOSTS = (
    ("platform.claude.com", "platform", "Console login and OAuth token refresh"),
    ("claude.ai", "claude_ai", "claude.ai login"),
    ("downloads.claude.ai", "downloads", "the native installer and auto-updates"),
)
#: The server's clock may differ from ours by this much before we say so.
CLOCK_TOLERANCE = timedelta(minutes=5)
LAYERS = ("proxy", "dns", "tcp", "tls", "http")
IPV4_FIRST = "export NODE_OPTIONS=--dns-result-order=ipv4first  # Claude Code tries IPv4 first"


@dataclass(frozen=True)
class Target:
    """One host to probe, and why Claude needs it."""

    host: str
    port: int
    scheme: str
    role: str
    purpose: str
    #: Whether Claude is broken without it (else only a feature is).
    critical: bool
    #: A public Anthropic name: a private or loopback DNS answer for it is suspicious.
    public: bool

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/"

    @property
    def label(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def targets(settings: Settings) -> list[Target]:
    """The hosts to probe: the API base, the status page host, then Claude Code's hosts."""
    found: list[Target] = []

    def add(url: str, role: str, purpose: str, critical: bool, public: bool) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if host and all((t.host, t.port) != (host, port) for t in found):
            found.append(Target(host, port, parts.scheme, role, purpose, critical, public))

    add(
        settings.api_base_url,
        "api",
        "API requests",
        True,
        not settings.api_base_url_custom or settings.api_base_url == DEFAULT_API_BASE_URL,
    )
    add(
        settings.status_url,
        "status",
        "the status page",
        False,
        settings.status_url == DEFAULT_STATUS_URL,
    )
    for host, role, purpose in CLAUDE_HOSTS:
        add(f"https://{host}", role, purpose, role != "downloads", True)
    return found


@dataclass(frozen=True)
class ProxyPlan:
    """The proxy a host's traffic would take, as Claude Code reads the variables."""

    variable: str
    #: The URL without credentials (safe to show).
    shown: str
    host: str = ""
    port: int = 0
    credentials: tuple[str, str] | None = None
    #: Why Claude Code cannot use it: ``no_scheme``, ``socks``, ``invalid`` or "" (usable).
    problem: str = ""


def plan_proxy(choice: ProxyChoice) -> ProxyPlan:
    raw = choice.url.strip()
    if "://" not in raw:
        return ProxyPlan(choice.variable, raw, problem="no_scheme")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    netloc = parts.hostname or ""
    try:
        port = parts.port or (443 if scheme == "https" else 1080 if "socks" in scheme else 80)
    except ValueError:
        return ProxyPlan(choice.variable, f"{scheme}://{netloc}", problem="invalid")
    shown = f"{scheme}://{netloc}:{port}"
    if scheme.startswith("socks"):
        return ProxyPlan(choice.variable, shown, netloc, port, problem="socks")
    if scheme not in ("http", "https") or not netloc:
        return ProxyPlan(choice.variable, shown, netloc, port, problem="invalid")
    creds = (parts.username or "", parts.password or "") if parts.username else None
    if scheme == "https":
        # A TLS connection to the proxy itself: probed by the HTTP layer only.
        return ProxyPlan(choice.variable, shown, netloc, port, creds, problem="https_proxy")
    return ProxyPlan(choice.variable, shown, netloc, port, creds)


def _is_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _not_public(address: str) -> bool:
    ip = _is_ip(address)
    return ip is not None and (ip.is_private or ip.is_loopback or ip.is_link_local)


def _sinkhole(address: str) -> bool:
    ip = _is_ip(address)
    return ip is not None and (ip.is_unspecified or ip.is_loopback)


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
    server_date: datetime | None = None
    http: HttpResult | None = None
    _dns_done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def redirected(self) -> HostPort | None:
        """The ``CLAUDE_DOCTOR_CONNECT_TO`` target, when there is one for this host."""
        target = self.ctx.settings.connect_target(self.target.host, self.target.port)
        return None if target == HostPort(self.target.host, self.target.port) else target

    @property
    def dns_skipped(self) -> bool:
        return _is_ip(self.target.host) is not None or self.target.host == "localhost"

    def left(self, step: str) -> float:
        remaining = self.deadline - asyncio.get_running_loop().time()
        return max(0.05, min(STEP_TIMEOUTS[step], remaining))

    async def run(self) -> None:
        jobs = [self._dns()]
        if self.target.role == "api" and (self.proxy is None or not self.proxy.problem):
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

    def _addresses(self) -> list[str]:
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
            addresses = self._addresses()
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

        jobs = [tcp()]
        if self.target.scheme == "https":
            jobs.append(self._tls(opener))
        await asyncio.gather(*jobs)

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

        jobs = [first()]
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
                self.server_date = await probes.head_date(stream, name, self.left("clock"))
            else:
                stream[1].close()

        jobs = [system(), public(), leaf()]
        if self.node_ctx is not None and self.target.role == "api":
            jobs.append(node(self.node_ctx))
        await asyncio.gather(*jobs)

    async def _http(self) -> None:
        url = self.ctx.settings.api_base_url.rstrip("/") + "/v1/models"
        self.http = await probes.http_get(self.ctx.network.client, url, self.left("http"))


# ---------------------------------------------------------------------------------------------
# From raw results to findings


@dataclass
class Layer:
    """One layer's verdict for one host."""

    status: str  # ok, warn, fail, info, skipped, not_reached
    findings: list[Finding] = field(default_factory=list)
    #: This layer stops the host: later layers fail because of it.
    blocks: bool = False


class Judge:
    """Turns one host's probe results into findings, first failing layer first."""

    def __init__(self, probe: HostProbe, now: datetime) -> None:
        self.p = probe
        self.t = probe.target
        self.now = now
        self.settings = probe.ctx.settings

    # -- helpers
    @property
    def severity(self) -> Severity:
        return Severity.FAIL if self.t.critical else Severity.WARN

    def finding(
        self,
        cause: str,
        severity: Severity,
        title: str,
        detail: str,
        steps: tuple[str, ...] | list[str] = (),
        **evidence: Any,
    ) -> Finding:
        return Finding(
            id=f"network.{cause}",
            branch=Branch.NETWORK,
            severity=severity,
            title=title,
            detail=detail,
            next_steps=tuple(steps),
            evidence={
                "host": self.t.host,
                "port": self.t.port,
                "role": self.t.role,
                "layer": cause.split(".", 1)[0],
                **evidence,
            },
        )

    def why(self) -> str:
        return f"Claude needs {self.t.label} for {self.t.purpose}."

    @property
    def is_gateway(self) -> bool:
        """An ``ANTHROPIC_BASE_URL`` on a private or loopback address: the user's gateway."""
        if self.t.role != "api" or not self.settings.api_base_url_custom:
            return False
        if self.t.host == "localhost" or _not_public(self.t.host):
            return True
        addresses = self.p._addresses()
        return bool(addresses) and all(_not_public(a) for a in addresses)

    # -- layers
    def proxy_layer(self) -> Layer:
        plan = self.p.proxy
        if plan is None:
            return Layer("skipped")
        if plan.problem in ("no_scheme", "socks", "invalid"):
            # The variable's own finding is global; this host is stopped by it.
            return Layer("fail", blocks=True)
        if plan.problem == "https_proxy":
            return Layer("info")
        tunnel = self.p.tunnel
        if tunnel is None:
            tunnel = TunnelResult("timeout")
        if tunnel.kind == "ok":
            return Layer("ok")
        where = f"{plan.shown} (from {plan.variable})"
        common = {"proxy": plan.shown, "proxy_variable": plan.variable, "status": tunnel.status}
        if tunnel.kind in ("refused", "unreachable", "error", "dns"):
            f = self.finding(
                "proxy.unreachable",
                self.severity,
                f"proxy {plan.shown} cannot be reached (for {self.t.label})",
                f"Connecting to the proxy {where} failed ({tunnel.kind}). {self.why()}",
                (
                    f"Check the proxy address in {plan.variable}, or unset it if you are not "
                    "behind a proxy",
                    f"curl -v -x {plan.shown} https://{self.t.host}/",
                ),
                **common,
            )
        elif tunnel.kind == "timeout":
            f = self.finding(
                "proxy.timeout",
                self.severity,
                f"proxy {plan.shown} does not answer (for {self.t.label})",
                f"The proxy {where} did not accept or answer a CONNECT in time. {self.why()}",
                (f"curl -v -x {plan.shown} https://{self.t.host}/",),
                **common,
            )
        elif tunnel.kind == "auth_required":
            f = self.finding(
                "proxy.auth_required",
                self.severity,
                f"proxy {plan.shown} requires authentication (407)",
                f"The proxy {where} answered 407 Proxy Authentication Required to a CONNECT "
                f"for {self.t.label}. Claude Code supports Basic credentials in the URL.",
                (
                    f"export {plan.variable}=http://USER:PASSWORD@{plan.host}:{plan.port}",
                    "For NTLM/Kerberos proxies, run a local authenticating proxy and point "
                    "HTTPS_PROXY at it",
                ),
                **common,
            )
        elif tunnel.kind == "closed":
            f = self.tunnel_closed(plan)
        else:
            f = self.finding(
                "proxy.rejected",
                self.severity,
                f"proxy {plan.shown} refuses a tunnel to {self.t.label}"
                + (f" ({tunnel.status})" if tunnel.status else ""),
                f"The proxy {where} would not open a CONNECT tunnel to {self.t.label}: the "
                "host is likely not on its allow list.",
                (f"Ask your network team to allow {self.t.host}:443 through the proxy",),
                **common,
            )
        return Layer("fail", [f], blocks=True)

    def tunnel_closed(self, plan: ProxyPlan) -> Finding:
        return self.finding(
            "proxy.tunnel_closed",
            self.severity,
            f"proxy {plan.shown} closes the tunnel to {self.t.label}",
            f"The proxy {plan.shown} (from {plan.variable}) closed the connection instead of "
            "carrying TLS to the host: it blocks or filters it.",
            (f"Ask your network team to allow {self.t.host}:443 through the proxy",),
            proxy=plan.shown,
            proxy_variable=plan.variable,
        )

    def dns_layer(self) -> Layer:
        p = self.p
        if p.dns_skipped:
            return Layer("skipped")
        a, aaaa, os_ = p.dns_a, p.dns_aaaa, p.dns_os
        a = a or (DnsResult("timeout") if not p.compare_os or not os_ else None)
        aaaa = aaaa or (DnsResult("timeout") if a is not None else None)
        proxied = p.proxy is not None and not p.proxy.problem
        dns_addresses = (a.addresses if a else []) + (aaaa.addresses if aaaa else [])
        evidence: dict[str, Any] = {
            "a": a.addresses if a else None,
            "aaaa": aaaa.addresses if aaaa else None,
            "a_result": a.kind if a else None,
            "aaaa_result": aaaa.kind if aaaa else None,
            "os_resolver": ({"result": os_.kind, "addresses": os_.addresses} if os_ else None),
        }
        findings: list[Finding] = []
        if not dns_addresses and a is not None:
            kind = a.kind if a.kind not in ("ok", "no_answer") else (aaaa or a).kind
            if kind == "ok":
                kind = "no_answer"
            if os_ is not None and os_.kind == "ok":
                findings.append(
                    self.finding(
                        "dns.disagree",
                        Severity.WARN,
                        f"DNS: resolvers disagree about {self.t.host}",
                        f"Asking the configured DNS servers directly (like dig) gives "
                        f"{kind.replace('_', ' ')}, but the operating system's resolver "
                        f"answers {', '.join(os_.addresses[:4])}. Claude Code uses the "
                        "system's resolver; dig, VPN clients and containers may not.",
                        (
                            "Check /etc/resolv.conf for a dead first nameserver or an inline "
                            "comment",
                            f"dig {self.t.host}; getent hosts {self.t.host}",
                        ),
                        **evidence,
                    )
                )
                return Layer("warn", findings)
            f = self.dns_failure(kind, evidence, proxied)
            return Layer(
                "info" if proxied else "fail",
                [f],
                blocks=not proxied,
            )
        if os_ is not None and os_.kind != "ok" and not proxied:
            f = self.finding(
                "dns.os_resolver_fails",
                self.severity,
                f"DNS: the system resolver cannot resolve {self.t.host}",
                f"The DNS servers answer {', '.join(dns_addresses[:4])}, but the operating "
                f"system's resolver (getaddrinfo, which Claude Code uses) fails "
                f"({os_.kind.replace('_', ' ')}). {self.why()}",
                (
                    f"getent hosts {self.t.host}",
                    "Check /etc/hosts, /etc/nsswitch.conf and your VPN's DNS settings",
                ),
                **evidence,
            )
            return Layer("fail", [f], blocks=True)
        all_addresses = dns_addresses + (os_.addresses if os_ else [])
        if self.t.public:
            sink = [a for a in all_addresses if _sinkhole(a)]
            private = [a for a in all_addresses if _not_public(a) and not _sinkhole(a)]
            if sink:
                f = self.finding(
                    "dns.sinkhole",
                    Severity.INFO if proxied else self.severity,
                    f"DNS: {self.t.host} resolves to {sink[0]} (blocked)",
                    f"{self.t.host} is a public name but resolves to {', '.join(sink)}: a DNS "
                    "filter (Pi-hole, corporate DNS, an ad blocker or /etc/hosts) blocks it. "
                    + self.why(),
                    (
                        f"grep -n {self.t.host} /etc/hosts",
                        f"Allow {self.t.host} in your DNS filter",
                    ),
                    **evidence,
                )
                return Layer("fail", [f], blocks=not proxied)
            if private:
                findings.append(
                    self.finding(
                        "dns.private_answer",
                        Severity.WARN,
                        f"DNS: {self.t.host} resolves to a private address {private[0]}",
                        f"{self.t.host} is a public name but resolves to {', '.join(private)}: "
                        "a split-horizon DNS, a VPN or a local override sends it elsewhere.",
                        (
                            f"grep -n {self.t.host} /etc/hosts",
                            f"dig {self.t.host} @1.1.1.1  # compare with a public resolver",
                        ),
                        **evidence,
                    )
                )
        if (
            os_ is not None
            and os_.kind == "ok"
            and dns_addresses
            and not set(os_.addresses) & set(dns_addresses)
        ):
            findings.append(
                self.finding(
                    "dns.answers_differ",
                    Severity.INFO,
                    f"DNS: the system resolver and the DNS servers give {self.t.host} "
                    "different addresses",
                    "This is normal for hosts behind a CDN; it matters only if one of the "
                    "sets does not connect.",
                    **evidence,
                )
            )
        status = "warn" if any(f.severity is Severity.WARN for f in findings) else "ok"
        return Layer(status, findings)

    def dns_failure(self, kind: str, evidence: dict[str, Any], proxied: bool) -> Finding:
        what = {
            "nxdomain": ("no such name (NXDOMAIN)", "The DNS servers say the name does not exist"),
            "no_answer": ("no address", "The DNS servers know the name but return no address"),
            "servfail": ("server failure (SERVFAIL)", "The DNS servers failed to resolve it"),
            "refused": ("refused (REFUSED)", "The DNS servers refuse to answer"),
            "timeout": ("timed out", "No DNS server answered in time"),
            "unreachable": ("no DNS server reachable", "No DNS server could be reached"),
            "no_config": ("no resolver configured", "No DNS server is configured"),
        }.get(kind, ("failed", "The lookup failed"))
        severity = Severity.INFO if proxied else self.severity
        extra = (
            " Your proxy resolves names for Claude Code, so this only matters without it."
            if proxied
            else ""
        )
        return self.finding(
            f"dns.{kind if kind in ('nxdomain', 'no_answer', 'servfail', 'refused', 'timeout', 'unreachable', 'no_config') else 'failed'}",  # noqa: E501
            severity,
            f"DNS: {self.t.host} — {what[0]}",
            f"{what[1]} for {self.t.host}. {self.why()}{extra}",
            (
                f"dig {self.t.host}; getent hosts {self.t.host}",
                "Check the DNS servers in /etc/resolv.conf (or your VPN's), or try another network",
            ),
            **evidence,
        )

    def tcp_layer(self) -> Layer:
        p = self.p
        if p.proxy is not None:
            return Layer("skipped")
        if not p.tcp_started:
            return Layer("not_reached")
        results = p.tcp or [TcpResult("timeout", "?", self.t.port)]
        ok = [r for r in results if r.kind == "ok"]
        failed = [r for r in results if r.kind != "ok"]
        evidence = {"attempts": [vars(r) for r in results]}
        if ok and failed:
            bad, good = failed[0], ok[0]
            family = "IPv6" if ":" in bad.address else "IPv4"
            other = "IPv4" if family == "IPv6" else "IPv6"
            steps = (
                (IPV4_FIRST, "Or fix or turn off IPv6 on this network interface")
                if family == "IPv6"
                else ("Check your IPv4 route and firewall",)
            )
            f = self.finding(
                f"tcp.{family.lower()}_broken",
                Severity.WARN,
                f"TCP: {self.t.label} fails over {family} ({bad.kind}), works over {other}",
                f"{bad.address} port {bad.port} gives {bad.kind}, while {good.address} "
                f"connects. Clients that try {family} first can stall or fail.",
                steps,
                **evidence,
            )
            return Layer("warn", [f])
        if ok:
            return Layer("ok")
        bad = failed[0]
        cause = {"refused": "refused", "timeout": "timeout", "unreachable": "unreachable"}.get(
            bad.kind, "failed"
        )
        detail = {
            "refused": "The connection was refused: nothing listens there, or a firewall "
            "rejects it.",
            "timeout": "Nothing answered the connection: a firewall drops it or the route is dead.",
            "unreachable": "There is no route to the address.",
        }.get(bad.kind, f"Connecting failed ({bad.error or bad.kind}).")
        f = self.finding(
            f"tcp.{cause}",
            self.severity,
            f"TCP: cannot connect to {self.t.label} ({bad.kind})",
            f"{detail} Tried {', '.join(r.address for r in results)} port {bad.port}. "
            + self.why(),
            (
                f"curl -v https://{self.t.host}/ --connect-timeout 5",
                "Check your firewall, VPN, or whether a proxy is required (HTTPS_PROXY)",
            ),
            **evidence,
        )
        return Layer("fail", [f], blocks=True)

    def tls_layer(self) -> Layer:
        p = self.p
        if self.t.scheme != "https":
            return Layer("skipped")
        if not p.tls_started:
            return Layer("not_reached")
        system = p.tls_system or TlsResult("timeout")
        public = p.tls_public
        cert = p.cert
        evidence: dict[str, Any] = {
            "system_trust": system.kind,
            "public_trust": public.kind if public else None,
            "verify_code": system.verify_code,
            "tls_version": system.version,
            "certificate": cert.to_dict() if cert else None,
        }
        issuer = cert.issuer_cn if cert else "an unknown issuer"
        plan = p.proxy
        if system.kind in ("refused", "timeout_tcp", "unreachable", "dns"):
            return Layer("not_reached")
        if plan is not None and system.kind in ("auth_required", "rejected", "bad_reply"):
            return Layer("not_reached")
        if system.kind == "ok":
            if public is not None and public.kind == "verify_failed":
                return self.intercepted(issuer, evidence)
            return Layer("ok")
        if system.kind == "verify_failed":
            return self.verify_failed(system, cert, issuer, evidence)
        if system.kind == "closed":
            if plan is not None:
                return Layer("fail", [self.tunnel_closed(plan)], blocks=True)
            f = self.finding(
                "tls.closed",
                self.severity,
                f"TLS: the connection to {self.t.label} is closed during the handshake",
                "TCP connects but the TLS handshake is cut: a firewall, a filtering proxy or "
                "antivirus drops TLS to this host. " + self.why(),
                (
                    f"openssl s_client -connect {self.t.host}:{self.t.port} "
                    f"-servername {self.t.host}",
                    "Ask your network team whether TLS to this host is filtered",
                ),
                **evidence,
            )
            return Layer("fail", [f], blocks=True)
        if system.kind == "timeout":
            f = self.finding(
                "tls.timeout",
                self.severity,
                f"TLS: the handshake with {self.t.label} times out",
                "TCP connects but the server side never completes the TLS handshake: "
                "something in between holds the connection. " + self.why(),
                (
                    f"openssl s_client -connect {self.t.host}:{self.t.port} "
                    f"-servername {self.t.host}",
                ),
                **evidence,
            )
            return Layer("fail", [f], blocks=True)
        if plan is not None and system.kind in ("closed", "error") and p.tunnel is None:
            return Layer("not_reached")
        f = self.finding(
            "tls.failed",
            self.severity,
            f"TLS: the handshake with {self.t.label} fails ({system.error or system.kind})",
            "The TLS handshake failed for a reason other than the certificate. " + self.why(),
            (f"openssl s_client -connect {self.t.host}:{self.t.port} -servername {self.t.host}",),
            **evidence,
        )
        return Layer("fail", [f], blocks=True)

    def ca_steps(self, issuer: str) -> tuple[str, ...]:
        return (
            f"Export the root certificate of {issuer} (ask IT) as PEM, e.g. ~/corp-ca.pem",
            "export NODE_EXTRA_CA_CERTS=~/corp-ca.pem  # Claude Code; set it in the shell",
            "export SSL_CERT_FILE=~/corp-ca.pem REQUESTS_CA_BUNDLE=~/corp-ca.pem  "
            "# Python SDK (a bundle with the public roots plus it)",
            "Never set NODE_TLS_REJECT_UNAUTHORIZED=0",
        )

    def intercepted(self, issuer: str, evidence: dict[str, Any]) -> Layer:
        if self.is_gateway:
            f = self.finding(
                "tls.private_gateway",
                Severity.INFO,
                f"TLS: {self.t.label} uses a private CA ({issuer}): your gateway",
                "ANTHROPIC_BASE_URL points at a private address whose certificate your system "
                "trusts but the public web does not: a gateway you set up, not interception.",
                **evidence,
            )
            return Layer("info", [f])
        node = self.p.tls_node
        covered = node is not None and node.kind == "ok"
        severity = Severity.WARN if covered else self.severity
        tail = (
            " NODE_EXTRA_CA_CERTS covers it, so Claude Code works; other clients may not."
            if covered
            else ""
        )
        f = self.finding(
            "tls.intercepted",
            severity,
            f"TLS: {self.t.label} is intercepted by {issuer}",
            f"The certificate for {self.t.host} is issued by {issuer}, which your system "
            "trusts but the public web PKI does not: a TLS-inspecting proxy or antivirus sits "
            "in between. Claude Code and the SDKs reject it unless told to trust that CA." + tail,
            self.ca_steps(issuer),
            issuer=issuer,
            **evidence,
        )
        return Layer("warn" if covered else "fail", [f], blocks=not covered)

    def verify_failed(
        self, system: TlsResult, cert: CertInfo | None, issuer: str, evidence: dict[str, Any]
    ) -> Layer:
        code = system.verify_code
        findings: list[Finding] = []
        clock = self.clock_finding(code, cert)
        if clock is not None:
            findings.append(clock)
        if code == probes.VERIFY_EXPIRED:
            when = f" on {cert.not_after:%Y-%m-%d}" if cert else ""
            cause, title = "tls.expired", f"TLS: the certificate of {self.t.label} expired{when}"
            detail = f"The certificate (issued by {issuer}) has expired{when}."
            steps: tuple[str, ...] = (
                "If your clock is right, whatever serves this certificate (a proxy, a gateway) "
                "must renew it",
            )
        elif code == probes.VERIFY_NOT_YET_VALID:
            when = f" until {cert.not_before:%Y-%m-%d}" if cert else ""
            cause = "tls.not_yet_valid"
            title = f"TLS: the certificate of {self.t.label} is not valid yet"
            detail = f"The certificate (issued by {issuer}) is not valid{when}."
            steps = ("Check your system clock: date -u",)
        elif code in (probes.VERIFY_HOSTNAME_MISMATCH, probes.VERIFY_IP_MISMATCH):
            names = ", ".join(cert.sans[:5]) if cert else "other names"
            cause = "tls.wrong_host"
            title = f"TLS: the certificate of {self.t.label} is for another host"
            detail = (
                f"The certificate presented for {self.t.host} names {names}: the connection "
                "lands on the wrong server (a DNS override, a captive portal or a proxy)."
            )
            steps = (
                f"openssl s_client -connect {self.t.host}:{self.t.port} -servername "
                f"{self.t.host} | openssl x509 -noout -subject -ext subjectAltName",
            )
        elif code in (probes.VERIFY_SELF_SIGNED_LEAF, probes.VERIFY_SELF_SIGNED_IN_CHAIN):
            cause = "tls.self_signed"
            title = f"TLS: {self.t.label} presents a self-signed certificate ({issuer})"
            detail = (
                f"The chain ends in a self-signed certificate ({issuer}) that your system does "
                "not trust: a TLS-inspecting proxy or a local gateway."
            )
            steps = self.ca_steps(issuer)
        elif code in (probes.VERIFY_UNKNOWN_ISSUER, probes.VERIFY_UNKNOWN_ISSUER_LEAF, 2):
            cause = "tls.untrusted"
            title = f"TLS: {self.t.label} is signed by an untrusted issuer ({issuer})"
            detail = (
                f"The certificate for {self.t.host} is issued by {issuer}, which neither your "
                "system nor the public web trusts: a TLS-inspecting proxy or antivirus whose "
                "CA is not installed."
            )
            steps = self.ca_steps(issuer)
        else:
            cause = "tls.verify_failed"
            title = f"TLS: the certificate of {self.t.label} does not verify (code {code})"
            detail = f"Certificate verification failed with OpenSSL code {code}."
            steps = (
                f"openssl s_client -connect {self.t.host}:{self.t.port} -servername {self.t.host}",
            )
        if clock is not None:
            detail += " Your clock is off, which makes valid certificates look invalid."
        findings.insert(
            0,
            self.finding(
                cause,
                self.severity,
                title,
                f"{detail} {self.why()}",
                steps,
                issuer=issuer,
                **evidence,
            ),
        )
        return Layer("fail", findings, blocks=True)

    def clock_finding(self, code: int | None, cert: CertInfo | None) -> Finding | None:
        if code not in (probes.VERIFY_NOT_YET_VALID, probes.VERIFY_EXPIRED):
            return None
        server = self.p.server_date
        if server is None:
            return None
        return clock_skew_finding(self.now, server, self.t.host, Severity.FAIL)

    def http_layer(self) -> Layer:
        h = self.p.http
        if self.t.role != "api":
            return Layer("skipped")
        if self.p.proxy is not None and self.p.proxy.problem:
            return Layer("not_reached")
        if h is None:
            h = HttpResult("timeout")
        url = self.settings.api_base_url.rstrip("/") + "/v1/models"
        evidence: dict[str, Any] = {
            "url": url,
            "status": h.status,
            "result": h.kind,
            "credentials_sent": False,
        }
        if h.kind != "ok":
            return self.http_failure(h, evidence)
        assert h.status is not None
        request_id = h.headers.get("request-id") or h.headers.get("x-request-id")
        ctype = h.headers.get("content-type", "")
        body = h.body.lstrip()
        evidence.update(probe_request_id=request_id, content_type=ctype or None)
        error_type = None
        try:
            data = json.loads(h.body.decode("utf-8", "replace")) if body[:1] in (b"{",) else None
            if isinstance(data, dict) and isinstance(data.get("error"), dict):
                error_type = data["error"].get("type")
        except ValueError:
            data = None
        evidence["error_type"] = error_type
        is_html = "html" in ctype.lower() or body[:1] == b"<"
        if h.status == 401 and error_type == "authentication_error" and request_id:
            f = self.finding(
                "http.reaches_anthropic",
                Severity.OK,
                f"HTTP: {self.t.label} answers as Anthropic (401 without credentials)",
                f"GET {url} without credentials got 401 authentication_error with request-id "
                f"{request_id}: the path reaches Anthropic's API end to end.",
                **evidence,
            )
            return Layer("ok", [f])
        if 300 <= h.status < 400 or (is_html and h.status < 400):
            where = h.headers.get("location")
            f = self.finding(
                "http.intercepted_page",
                self.severity,
                f"HTTP: {self.t.label} answers with a web page (HTTP {h.status}), not the API",
                "The API answers JSON; an HTML page or a redirect comes from something in "
                "between: a captive portal (hotel, airport Wi-Fi), a proxy block page or a "
                "misconfigured gateway." + (f" It redirects to {where}." if where else ""),
                (
                    "Open any http:// page in a browser to finish a captive portal login",
                    f"curl -sv {url} | head -20",
                ),
                location=where,
                **evidence,
            )
            return Layer("fail", [f], blocks=True)
        if h.status == 403 and not request_id:
            f = self.finding(
                "http.blocked",
                self.severity,
                f"HTTP: {self.t.label} refuses the request (403) before the API",
                "A 403 without Anthropic's request-id comes from an edge, firewall or proxy, "
                "not from the API: your network, country or IP may be blocked.",
                (f"curl -sv {url}", "Check https://www.anthropic.com/supported-countries"),
                **evidence,
            )
            return Layer("fail", [f], blocks=True)
        if h.status >= 500:
            from_api = bool(request_id)
            f = self.finding(
                "http.server_error",
                Severity.WARN if from_api else self.severity,
                f"HTTP: {self.t.label} answers {h.status}"
                + (" from Anthropic" if from_api else " from something in between"),
                (
                    "Anthropic's API itself answers a server error: check the status page."
                    if from_api
                    else "A server error without Anthropic's request-id comes from a proxy, "
                    "gateway or edge between you and the API."
                ),
                ("claude-doctor status", f"curl -sv {url}"),
                **evidence,
            )
            return Layer("warn" if from_api else "fail", [f], blocks=not from_api)
        if self.settings.api_base_url_custom:
            f = self.finding(
                "http.gateway_answers",
                Severity.INFO,
                f"HTTP: {self.t.label} answers (HTTP {h.status})",
                f"Your ANTHROPIC_BASE_URL answers GET /v1/models without credentials with "
                f"{h.status}" + (f" ({error_type})" if error_type else "") + ".",
                **evidence,
            )
            return Layer("info", [f])
        f = self.finding(
            "http.unexpected",
            Severity.WARN,
            f"HTTP: {self.t.label} answers {h.status}, not like Anthropic",
            "Without credentials the API answers 401 authentication_error with a request-id; "
            "this answer differs, so something in between may be answering.",
            (f"curl -sv {url}",),
            **evidence,
        )
        return Layer("warn", [f])

    def http_failure(self, h: HttpResult, evidence: dict[str, Any]) -> Layer:
        titles = {
            "timeout": ("http.timeout", "the API request times out"),
            "tls_error": ("http.tls_failed", "the API request fails in TLS"),
            "connect_error": ("http.connect_failed", "the API request cannot connect"),
            "closed": ("http.closed", "the connection is closed without an answer"),
            "proxy_error": ("http.proxy_failed", "the proxy fails the API request"),
        }
        cause, what = titles.get(h.kind, ("http.failed", f"the API request fails ({h.error})"))
        f = self.finding(
            cause,
            self.severity,
            f"HTTP: {self.t.label} — {what}",
            "DNS, TCP and TLS worked, but GET /v1/models did not get an answer"
            + (" in time." if h.kind == "timeout" else f" ({h.error or h.kind}).")
            + " "
            + self.why(),
            (f"curl -sv {evidence['url']} --max-time 10",),
            **evidence,
        )
        return Layer("fail", [f], blocks=True)

    def judge(self) -> tuple[list[Finding], dict[str, Any]]:
        """Findings up to and including the first failing layer, and the host's evidence."""
        layers: dict[str, str] = {}
        findings: list[Finding] = []
        first: str | None = None
        for name in LAYERS:
            layer = getattr(self, f"{name}_layer")()
            if first is not None:
                layers[name] = "not_reached" if layer.status == "not_reached" else "after_failure"
                continue
            layers[name] = layer.status
            findings += layer.findings
            if layer.blocks:
                first = name
        return findings, self.host_block(layers, first)

    def host_block(self, layers: dict[str, str], first: str | None) -> dict[str, Any]:
        p = self.p
        timings: dict[str, float] = {}
        if p.dns_a or p.dns_aaaa:
            timings["dns"] = max(r.ms for r in (p.dns_a, p.dns_aaaa) if r is not None)
        ok_tcp = [r.ms for r in p.tcp if r.kind == "ok"]
        if ok_tcp:
            timings["connect"] = min(ok_tcp)
        if p.tunnel is not None:
            timings["connect"] = p.tunnel.connect_ms
            timings["proxy_connect"] = p.tunnel.tunnel_ms
        if p.tls_system is not None and p.tls_system.kind == "ok":
            timings["tls"] = p.tls_system.ms
        if p.http is not None and p.http.kind == "ok":
            timings["first_byte"] = p.http.first_byte_ms
        redirected = p.redirected
        block: dict[str, Any] = {
            "host": self.t.host,
            "port": self.t.port,
            "role": self.t.role,
            "first_failing_layer": first,
            "layers": layers,
            "timings_ms": timings,
            "addresses": {
                "a": p.dns_a.addresses if p.dns_a else [],
                "aaaa": p.dns_aaaa.addresses if p.dns_aaaa else [],
                "os": p.dns_os.addresses if p.dns_os else None,
                "connected": [r.address for r in p.tcp if r.kind == "ok"],
            },
            "connect_to": f"{redirected.host}:{redirected.port}" if redirected else None,
            "proxy": ({"url": p.proxy.shown, "variable": p.proxy.variable} if p.proxy else None),
            "no_proxy": bypasses_proxy(self.t.host, self.settings.environ),
        }
        if p.tls_system is not None:
            block["tls"] = {
                "version": p.tls_system.version,
                "system_trust": p.tls_system.kind,
                "public_trust": p.tls_public.kind if p.tls_public else None,
                **(
                    {"issuer": p.cert.issuer, "not_after": p.cert.not_after.isoformat()}
                    if p.cert
                    else {}
                ),
            }
        if p.http is not None:
            block["http"] = {
                "status": p.http.status,
                "result": p.http.kind,
                "request_id": p.http.headers.get("request-id"),
            }
        return block


def clock_skew_finding(
    now: datetime, server: datetime, host: str, severity: Severity
) -> Finding | None:
    skew = now - server
    if abs(skew) <= CLOCK_TOLERANCE:
        return None
    seconds = int(skew.total_seconds())
    direction = "ahead of" if seconds > 0 else "behind"
    return Finding(
        id="network.clock.skewed",
        branch=Branch.NETWORK,
        severity=severity,
        title=f"your clock is {_duration(abs(seconds))} {direction} {host}'s",
        detail=(
            "A system clock that far off makes valid certificates look expired or not yet "
            "valid, and login tokens look expired."
        ),
        next_steps=("date -u", "Turn on automatic time (NTP): timedatectl set-ntp true"),
        evidence={"host": host, "skew_seconds": seconds, "server_date": server.isoformat()},
    )


def _duration(seconds: int) -> str:
    if seconds >= 86400:
        return f"{seconds // 86400} days"
    if seconds >= 3600:
        return f"{seconds // 3600} hours"
    return f"{seconds // 60} minutes"


# ---------------------------------------------------------------------------------------------
# Settings that are not per host: proxy variables, NODE_* trust settings


def _proxy_findings(settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    for name in PROXY_VARIABLES:
        value = settings.environ.get(name, "").strip()
        if not value:
            continue
        plan = plan_proxy(ProxyChoice(value, name))
        if plan.problem == "no_scheme":
            findings.append(
                Finding(
                    "network.proxy.no_scheme",
                    Branch.NETWORK,
                    Severity.FAIL,
                    f"{name} has no scheme ({plan.shown})",
                    f"{name}={plan.shown} lacks http://; Claude Code then hangs on every request.",
                    (f"export {name}=http://{plan.shown}",),
                    {"variable": name, "value": plan.shown, "layer": "proxy"},
                )
            )
        elif plan.problem == "socks":
            findings.append(
                Finding(
                    "network.proxy.socks_unsupported",
                    Branch.NETWORK,
                    Severity.FAIL,
                    f"{name} is a SOCKS proxy, which Claude Code does not support",
                    f"{name}={plan.shown}: Claude Code supports HTTP(S) proxies only.",
                    (
                        "Run an HTTP proxy in front of the SOCKS one (e.g. privoxy or gost) "
                        f"and point {name} at it",
                    ),
                    {"variable": name, "value": plan.shown, "layer": "proxy"},
                )
            )
        elif plan.problem == "invalid":
            findings.append(
                Finding(
                    "network.proxy.invalid",
                    Branch.NETWORK,
                    Severity.FAIL,
                    f"{name} is not a usable proxy URL",
                    f"{name}={plan.shown} cannot be parsed as http://host:port.",
                    (f"export {name}=http://HOST:PORT",),
                    {"variable": name, "value": plan.shown, "layer": "proxy"},
                )
            )
    return findings


def _proxy_secrets(settings: Settings) -> list[str]:
    secrets = []
    for name in PROXY_VARIABLES:
        parts = urlsplit(settings.environ.get(name, "").strip())
        if "://" in settings.environ.get(name, "") and parts.password:
            secrets.append(parts.password)
    return secrets


def _node_tls_findings(settings: Settings) -> list[Finding]:
    if settings.environ.get("NODE_TLS_REJECT_UNAUTHORIZED", "").strip() != "0":
        return []
    return [
        Finding(
            "network.tls.verification_disabled",
            Branch.NETWORK,
            Severity.WARN,
            "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks",
            "With it, Claude Code accepts any certificate: it hides TLS interception and lets "
            "anyone on the path read your code and credentials.",
            (
                "unset NODE_TLS_REJECT_UNAUTHORIZED",
                "Trust your company's CA instead: export NODE_EXTRA_CA_CERTS=~/corp-ca.pem",
            ),
            {"variable": "NODE_TLS_REJECT_UNAUTHORIZED", "layer": "tls"},
        )
    ]


@dataclass
class NodeCa:
    """``NODE_EXTRA_CA_CERTS`` as Claude Code would read it."""

    path: str | None
    findings: list[Finding]
    ctx: ssl.SSLContext | None = None


def _settings_env_value(settings: Settings, name: str) -> str | None:
    for location in settings_locations(settings):
        result = read_json_object(location.path)
        if isinstance(result, FileProblem):
            continue
        env = result.data.get("env")
        if isinstance(env, dict) and isinstance(env.get(name), str):
            return str(location.path)
    return None


def _load_node_ca(settings: Settings) -> NodeCa:
    name = "NODE_EXTRA_CA_CERTS"
    path = settings.environ.get(name, "").strip()
    if not path:
        where = _settings_env_value(settings, name)
        if where is None:
            return NodeCa(None, [])
        return NodeCa(
            None,
            [
                Finding(
                    "network.node_extra_ca.settings_only",
                    Branch.NETWORK,
                    Severity.WARN,
                    "NODE_EXTRA_CA_CERTS is set only in settings.json",
                    f"{where} sets NODE_EXTRA_CA_CERTS in its env block, but Node reads it at "
                    "start-up, before Claude Code loads settings: it has no effect there.",
                    ("export NODE_EXTRA_CA_CERTS=/path/to/ca.pem  # in your shell profile",),
                    {"settings_file": where, "layer": "tls"},
                )
            ],
        )
    evidence = {"path": path, "layer": "tls"}
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a path string from the environment
            head = handle.read(4 * 1024 * 1024)
    except FileNotFoundError:
        return NodeCa(
            path,
            [
                Finding(
                    "network.node_extra_ca.missing",
                    Branch.NETWORK,
                    Severity.FAIL,
                    "NODE_EXTRA_CA_CERTS points at a file that does not exist",
                    f"{path} does not exist; Claude Code ignores it and your proxy's CA is not "
                    "trusted.",
                    ("ls -l " + path, "export NODE_EXTRA_CA_CERTS=/path/to/ca.pem"),
                    evidence,
                )
            ],
        )
    except OSError as exc:
        return NodeCa(
            path,
            [
                Finding(
                    "network.node_extra_ca.unreadable",
                    Branch.NETWORK,
                    Severity.FAIL,
                    "NODE_EXTRA_CA_CERTS cannot be read",
                    f"{path}: {type(exc).__name__}.",
                    ("ls -l " + path,),
                    evidence,
                )
            ],
        )
    if b"-----BEGIN CERTIFICATE-----" not in head:
        return NodeCa(path, [_node_ca_invalid(path, evidence)])
    try:
        ctx = node_ssl_context(settings, path)
    except (ssl.SSLError, OSError, ValueError):
        return NodeCa(path, [_node_ca_invalid(path, evidence)])
    return NodeCa(path, [], ctx)


def _node_ca_invalid(path: str, evidence: dict[str, Any]) -> Finding:
    return Finding(
        "network.node_extra_ca.invalid",
        Branch.NETWORK,
        Severity.FAIL,
        "NODE_EXTRA_CA_CERTS is not a PEM certificate file",
        f"{path} holds no readable PEM certificate (-----BEGIN CERTIFICATE-----); Claude Code "
        "ignores it.",
        (f"openssl x509 -in {path} -noout -subject",),
        evidence,
    )


def _node_ca_coverage(node: NodeCa, api: HostProbe | None) -> list[Finding]:
    if node.ctx is None or api is None or api.tls_node is None:
        return []
    result = api.tls_node
    if result.kind != "verify_failed":
        return []
    return [
        Finding(
            "network.node_extra_ca.does_not_cover",
            Branch.NETWORK,
            Severity.WARN,
            f"NODE_EXTRA_CA_CERTS does not make {api.target.label} verify",
            f"With the public roots plus {node.path}, the certificate of {api.target.host} "
            f"still fails (OpenSSL code {result.verify_code}): the file holds the wrong CA.",
            ("Export the root that issued the certificate (see the TLS finding) into the file",),
            {"path": node.path, "verify_code": result.verify_code, "layer": "tls"},
        )
    ]


# ---------------------------------------------------------------------------------------------


def branch_budget(settings: Settings) -> float:
    """Seconds the branch may take: inside its own limit and the run's deadline, with a
    margin so findings are built before either cuts it."""
    return max(0.3, min(CHECK_TIMEOUT, settings.timeout) - 0.5)


def _summary(
    judged: list[tuple[HostProbe, list[Finding], dict[str, Any]]], budget: float
) -> Finding:
    hosts = [block for _, _, block in judged]
    failing = [b for b in hosts if b["first_failing_layer"]]
    lines = []
    for block in hosts:
        t = block["timings_ms"]
        parts = [f"{k.replace('_', ' ')} {v:.0f} ms" for k, v in t.items()]
        state = f"fails at {block['first_failing_layer']}" if block["first_failing_layer"] else "ok"
        lines.append(f"{block['host']}: {state}" + (f" ({', '.join(parts)})" if parts else ""))
    if failing:
        title = "first failing layer: " + ", ".join(
            f"{b['host']} {b['first_failing_layer']}" for b in failing
        )
        severity = Severity.INFO
    else:
        title = f"{len(hosts)} hosts reachable (DNS, TCP, TLS, HTTP)"
        severity = Severity.OK
    return Finding(
        "network.summary",
        Branch.NETWORK,
        severity,
        title,
        "; ".join(lines) + ".",
        evidence={"network": {"budget_s": round(budget, 2), "hosts": hosts}},
    )


async def network_paths(ctx: Context) -> list[Finding]:
    """The network branch check: every host, every layer, at once, by the deadline."""
    settings = ctx.settings
    ctx.secrets.add(*_proxy_secrets(settings))
    budget = branch_budget(settings)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    node = await in_thread(lambda: _load_node_ca(settings))
    compare_os = not settings.dns_servers
    host_probes: list[HostProbe] = []
    for target in targets(settings):
        choice = proxy_for(target.url, settings.environ)
        host_probes.append(
            HostProbe(
                ctx,
                target,
                deadline,
                plan_proxy(choice) if choice else None,
                compare_os,
                node.ctx,
            )
        )
    tasks = [asyncio.create_task(p.run()) for p in host_probes]
    _done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - loop.time()) + 0.2)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    now = ctx.now()
    findings: list[Finding] = []
    findings += _proxy_findings(settings)
    findings += _node_tls_findings(settings)
    findings += node.findings
    judged = []
    for probe in host_probes:
        host_findings, block = Judge(probe, now).judge()
        judged.append((probe, host_findings, block))
        findings += host_findings
    api = next((p for p in host_probes if p.target.role == "api"), None)
    findings += _node_ca_coverage(node, api)
    if api is not None and api.http is not None and api.http.kind == "ok":
        date = probes.parse_http_date(api.http.headers.get("date", ""))
        if date is not None and not any(f.id == "network.clock.skewed" for f in findings):
            skew = clock_skew_finding(now, date, api.target.host, Severity.WARN)
            if skew is not None:
                findings.append(skew)
    proxied = [p for p in host_probes if p.proxy is not None]
    if proxied:
        findings.append(
            Finding(
                "network.proxy.route",
                Branch.NETWORK,
                Severity.INFO,
                "proxy in use: "
                + ", ".join(f"{p.target.label} via {p.proxy.shown}" for p in proxied if p.proxy),
                "Which proxy each host's traffic takes, read the way Claude Code reads "
                "https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY and NO_PROXY.",
                evidence={
                    "layer": "proxy",
                    "direct": [p.target.label for p in host_probes if p.proxy is None],
                },
            )
        )
    summary = _summary(judged, budget)
    return [summary, *findings]
