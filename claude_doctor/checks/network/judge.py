"""One host's probe results -> findings, first failing layer first.

The layers are judged in order (proxy, DNS, TCP, TLS, HTTP); the first that stops the host is
named with its fix, and later layers are kept in the host's evidence block only (they fail
because of it). The proxy and TCP layers are judged here; DNS, TLS and HTTP in their own
modules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from claude_doctor.checks.network.host import HostProbe
from claude_doctor.checks.network.judge_dns import dns_layer
from claude_doctor.checks.network.judge_http import http_layer
from claude_doctor.checks.network.judge_tls import tls_layer
from claude_doctor.checks.network.layer import HostView, Layer, tunnel_closed
from claude_doctor.checks.network.plan import ProxyPlan
from claude_doctor.checks.network.probes import TcpResult, TunnelResult
from claude_doctor.model import Finding, Severity
from claude_doctor.net import bypasses_proxy

IPV4_FIRST = "export NODE_OPTIONS=--dns-result-order=ipv4first  # Claude Code tries IPv4 first"


def proxy_layer(v: HostView) -> Layer:
    plan = v.p.proxy
    if plan is None:
        return Layer("skipped")
    if plan.problem in ("no_scheme", "socks", "invalid"):
        # The variable's own finding is global; this host is stopped by it.
        return Layer("fail", blocks=True)
    if plan.problem == "https_proxy":
        return Layer("info")
    tunnel = v.p.tunnel
    if tunnel is None:
        tunnel = TunnelResult("timeout")
    if tunnel.kind == "ok":
        return Layer("ok")
    return Layer("fail", [_tunnel_failure(v, plan, tunnel)], blocks=True)


def _tunnel_failure(v: HostView, plan: ProxyPlan, tunnel: TunnelResult) -> Finding:
    where = f"{plan.shown} (from {plan.variable})"
    common = {"proxy": plan.shown, "proxy_variable": plan.variable, "status": tunnel.status}
    if tunnel.kind in ("refused", "unreachable", "error", "dns"):
        return v.finding(
            "proxy.unreachable",
            v.severity,
            f"proxy {plan.shown} cannot be reached (for {v.t.label})",
            f"Connecting to the proxy {where} failed ({tunnel.kind}). {v.why()}",
            (
                f"Check the proxy address in {plan.variable}, or unset it if you are not "
                "behind a proxy",
                f"curl -v -x {plan.shown} https://{v.t.host}/",
            ),
            **common,
        )
    if tunnel.kind == "timeout":
        return v.finding(
            "proxy.timeout",
            v.severity,
            f"proxy {plan.shown} does not answer (for {v.t.label})",
            f"The proxy {where} did not accept or answer a CONNECT in time. {v.why()}",
            (f"curl -v -x {plan.shown} https://{v.t.host}/",),
            **common,
        )
    if tunnel.kind == "auth_required":
        return v.finding(
            "proxy.auth_required",
            v.severity,
            f"proxy {plan.shown} requires authentication (407)",
            f"The proxy {where} answered 407 Proxy Authentication Required to a CONNECT "
            f"for {v.t.label}. Claude Code supports Basic credentials in the URL.",
            (
                f"export {plan.variable}=http://USER:PASSWORD@{plan.host}:{plan.port}",
                "For NTLM/Kerberos proxies, run a local authenticating proxy and point "
                "HTTPS_PROXY at it",
            ),
            **common,
        )
    if tunnel.kind == "closed":
        return tunnel_closed(v, plan)
    return v.finding(
        "proxy.rejected",
        v.severity,
        f"proxy {plan.shown} refuses a tunnel to {v.t.label}"
        + (f" ({tunnel.status})" if tunnel.status else ""),
        f"The proxy {where} would not open a CONNECT tunnel to {v.t.label}: the "
        "host is likely not on its allow list.",
        (f"Ask your network team to allow {v.t.host}:443 through the proxy",),
        **common,
    )


#: A failed connection's kind -> what it means.
TCP_FAILURES = {
    "refused": "The connection was refused: nothing listens there, or a firewall rejects it.",
    "timeout": "Nothing answered the connection: a firewall drops it or the route is dead.",
    "unreachable": "There is no route to the address.",
}


def tcp_layer(v: HostView) -> Layer:
    p = v.p
    if p.proxy is not None:
        return Layer("skipped")
    if not p.tcp_started:
        return Layer("not_reached")
    results = p.tcp or [TcpResult("timeout", "?", v.t.port)]
    ok = [r for r in results if r.kind == "ok"]
    failed = [r for r in results if r.kind != "ok"]
    evidence = {"attempts": [vars(r) for r in results]}
    if ok and failed:
        return Layer("warn", [_one_family_fails(v, failed[0], ok[0], evidence)])
    if ok:
        return Layer("ok")
    bad = failed[0]
    cause = bad.kind if bad.kind in TCP_FAILURES else "failed"
    detail = TCP_FAILURES.get(bad.kind, f"Connecting failed ({bad.error or bad.kind}).")
    f = v.finding(
        f"tcp.{cause}",
        v.severity,
        f"TCP: cannot connect to {v.t.label} ({bad.kind})",
        f"{detail} Tried {', '.join(r.address for r in results)} port {bad.port}. " + v.why(),
        (
            f"curl -v https://{v.t.host}/ --connect-timeout 5",
            "Check your firewall, VPN, or whether a proxy is required (HTTPS_PROXY)",
        ),
        **evidence,
    )
    return Layer("fail", [f], blocks=True)


def _one_family_fails(
    v: HostView, bad: TcpResult, good: TcpResult, evidence: dict[str, Any]
) -> Finding:
    family = "IPv6" if ":" in bad.address else "IPv4"
    other = "IPv4" if family == "IPv6" else "IPv6"
    steps = (
        (IPV4_FIRST, "Or fix or turn off IPv6 on this network interface")
        if family == "IPv6"
        else ("Check your IPv4 route and firewall",)
    )
    return v.finding(
        f"tcp.{family.lower()}_broken",
        Severity.WARN,
        f"TCP: {v.t.label} fails over {family} ({bad.kind}), works over {other}",
        f"{bad.address} port {bad.port} gives {bad.kind}, while {good.address} "
        f"connects. Clients that try {family} first can stall or fail.",
        steps,
        **evidence,
    )


#: The layers in the order a request crosses them, and the judgement of each.
LAYERS: tuple[tuple[str, Callable[[HostView], Layer]], ...] = (
    ("proxy", proxy_layer),
    ("dns", dns_layer),
    ("tcp", tcp_layer),
    ("tls", tls_layer),
    ("http", http_layer),
)


def judge_host(probe: HostProbe, now: datetime) -> tuple[list[Finding], dict[str, Any]]:
    """Findings up to and including the first failing layer, and the host's evidence."""
    v = HostView(probe, now)
    layers: dict[str, str] = {}
    findings: list[Finding] = []
    first: str | None = None
    for name, judge in LAYERS:
        layer = judge(v)
        if first is not None:
            layers[name] = "not_reached" if layer.status == "not_reached" else "after_failure"
            continue
        layers[name] = layer.status
        findings += layer.findings
        if layer.blocks:
            first = name
    return findings, host_block(v, layers, first)


def _timings(p: HostProbe) -> dict[str, float]:
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
    return timings


def host_block(v: HostView, layers: dict[str, str], first: str | None) -> dict[str, Any]:
    """The host's entry in ``evidence.network.hosts``."""
    p = v.p
    redirected = p.redirected
    block: dict[str, Any] = {
        "host": v.t.host,
        "port": v.t.port,
        "role": v.t.role,
        "first_failing_layer": first,
        "layers": layers,
        "timings_ms": _timings(p),
        "addresses": {
            "a": p.dns_a.addresses if p.dns_a else [],
            "aaaa": p.dns_aaaa.addresses if p.dns_aaaa else [],
            "os": p.dns_os.addresses if p.dns_os else None,
            "connected": [r.address for r in p.tcp if r.kind == "ok"],
        },
        "connect_to": f"{redirected.host}:{redirected.port}" if redirected else None,
        "proxy": ({"url": p.proxy.shown, "variable": p.proxy.variable} if p.proxy else None),
        "no_proxy": bypasses_proxy(v.t.host, v.settings.environ),
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
