"""The DNS layer of one host: no answer (and why), resolvers that disagree, the system's
resolver failing alone, and answers that point somewhere a public name should not go.

Behind a usable proxy DNS failures only inform: the proxy resolves names for Claude Code.
"""

from __future__ import annotations

from typing import Any

from claude_doctor.checks.network.layer import HostView, Layer
from claude_doctor.checks.network.plan import not_public, sinkhole
from claude_doctor.checks.network.probes import DnsResult
from claude_doctor.model import Finding, Severity

#: A failed lookup's kind -> (what it is, what it means).
DNS_FAILURES = {
    "nxdomain": ("no such name (NXDOMAIN)", "The DNS servers say the name does not exist"),
    "no_answer": ("no address", "The DNS servers know the name but return no address"),
    "servfail": ("server failure (SERVFAIL)", "The DNS servers failed to resolve it"),
    "refused": ("refused (REFUSED)", "The DNS servers refuse to answer"),
    "timeout": ("timed out", "No DNS server answered in time"),
    "unreadable": (
        "an unreadable answer",
        "The DNS server answered, but with something that is not a readable DNS reply",
    ),
    "unreachable": ("no DNS server reachable", "No DNS server could be reached"),
    "no_config": ("no resolver configured", "No DNS server is configured"),
}


def dns_layer(v: HostView) -> Layer:
    p = v.p
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
    if not dns_addresses and a is not None:
        return _no_address(v, a, aaaa, os_, evidence, proxied)
    if os_ is not None and os_.kind != "ok" and not proxied:
        return Layer("fail", [_os_resolver_fails(v, os_, dns_addresses, evidence)], blocks=True)
    findings: list[Finding] = []
    if v.t.public:
        all_addresses = dns_addresses + (os_.addresses if os_ else [])
        blocked = _sinkholed(v, all_addresses, evidence, proxied)
        if blocked is not None:
            return Layer("fail", [blocked], blocks=not proxied)
        findings += _private_answer(v, all_addresses, evidence)
    if (
        os_ is not None
        and os_.kind == "ok"
        and dns_addresses
        and not set(os_.addresses) & set(dns_addresses)
    ):
        findings.append(
            v.finding(
                "dns.answers_differ",
                Severity.INFO,
                f"DNS: the system resolver and the DNS servers give {v.t.host} different addresses",
                "This is normal for hosts behind a CDN; it matters only if one of the "
                "sets does not connect.",
                **evidence,
            )
        )
    status = "warn" if any(f.severity is Severity.WARN for f in findings) else "ok"
    return Layer(status, findings)


def _no_address(
    v: HostView,
    a: DnsResult,
    aaaa: DnsResult | None,
    os_: DnsResult | None,
    evidence: dict[str, Any],
    proxied: bool,
) -> Layer:
    """The DNS servers gave no address: a failure, unless the system's resolver has one."""
    kind = a.kind if a.kind not in ("ok", "no_answer") else (aaaa or a).kind
    if kind == "ok":
        kind = "no_answer"
    if os_ is not None and os_.kind == "ok":
        disagree = v.finding(
            "dns.disagree",
            Severity.WARN,
            f"DNS: resolvers disagree about {v.t.host}",
            f"Asking the configured DNS servers directly (like dig) gives "
            f"{kind.replace('_', ' ')}, but the operating system's resolver "
            f"answers {', '.join(os_.addresses[:4])}. Claude Code uses the "
            "system's resolver; dig, VPN clients and containers may not.",
            (
                "Check /etc/resolv.conf for a dead first nameserver or an inline comment",
                f"dig {v.t.host}; getent hosts {v.t.host}",
            ),
            **evidence,
        )
        return Layer("warn", [disagree])
    f = dns_failure(v, kind, evidence, proxied)
    return Layer("info" if proxied else "fail", [f], blocks=not proxied)


def dns_failure(v: HostView, kind: str, evidence: dict[str, Any], proxied: bool) -> Finding:
    what = DNS_FAILURES.get(kind, ("failed", "The lookup failed"))
    extra = (
        " Your proxy resolves names for Claude Code, so this only matters without it."
        if proxied
        else ""
    )
    return v.finding(
        f"dns.{kind if kind in DNS_FAILURES else 'failed'}",
        Severity.INFO if proxied else v.severity,
        f"DNS: {v.t.host} — {what[0]}",
        f"{what[1]} for {v.t.host}. {v.why()}{extra}",
        (
            f"dig {v.t.host}; getent hosts {v.t.host}",
            "Check the DNS servers in /etc/resolv.conf (or your VPN's), or try another network",
        ),
        **evidence,
    )


def _os_resolver_fails(
    v: HostView, os_: DnsResult, dns_addresses: list[str], evidence: dict[str, Any]
) -> Finding:
    return v.finding(
        "dns.os_resolver_fails",
        v.severity,
        f"DNS: the system resolver cannot resolve {v.t.host}",
        f"The DNS servers answer {', '.join(dns_addresses[:4])}, but the operating "
        f"system's resolver (getaddrinfo, which Claude Code uses) fails "
        f"({os_.kind.replace('_', ' ')}). {v.why()}",
        (
            f"getent hosts {v.t.host}",
            "Check /etc/hosts, /etc/nsswitch.conf and your VPN's DNS settings",
        ),
        **evidence,
    )


def _sinkholed(
    v: HostView, addresses: list[str], evidence: dict[str, Any], proxied: bool
) -> Finding | None:
    """A public name answered with 0.0.0.0 or loopback: a DNS filter blocks it."""
    sink = [a for a in addresses if sinkhole(a)]
    if not sink:
        return None
    return v.finding(
        "dns.sinkhole",
        Severity.INFO if proxied else v.severity,
        f"DNS: {v.t.host} resolves to {sink[0]} (blocked)",
        f"{v.t.host} is a public name but resolves to {', '.join(sink)}: a DNS "
        "filter (Pi-hole, corporate DNS, an ad blocker or /etc/hosts) blocks it. " + v.why(),
        (
            f"grep -n {v.t.host} /etc/hosts",
            f"Allow {v.t.host} in your DNS filter",
        ),
        **evidence,
    )


def _private_answer(v: HostView, addresses: list[str], evidence: dict[str, Any]) -> list[Finding]:
    private = [a for a in addresses if not_public(a) and not sinkhole(a)]
    if not private:
        return []
    return [
        v.finding(
            "dns.private_answer",
            Severity.WARN,
            f"DNS: {v.t.host} resolves to a private address {private[0]}",
            f"{v.t.host} is a public name but resolves to {', '.join(private)}: "
            "a split-horizon DNS, a VPN or a local override sends it elsewhere.",
            (
                f"grep -n {v.t.host} /etc/hosts",
                f"dig {v.t.host} @1.1.1.1  # compare with a public resolver",
            ),
            **evidence,
        )
    ]
