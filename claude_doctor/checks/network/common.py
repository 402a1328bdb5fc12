"""One cause for every host: when all the hosts Claude needs fail at the same layer, say it
once (this machine is offline; the resolver answers nothing; every TLS connection is
intercepted by one issuer), headlined by the API host. The per-host findings it covers fold
into it: one finding id for the cause, whose ``hosts`` and ``seen`` (host -> the per-host
finding id it stands for) name every host, instead of the same id once per host.

Pure: it reads the hosts' judged findings and probe results, and the resolvers in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claude_doctor.checks.network.host import HostProbe
from claude_doctor.checks.network.judge_dns import DNS_FAILURES
from claude_doctor.checks.network.judge_tls import ca_steps
from claude_doctor.model import Branch, Finding, FindingMaker, Severity

network = FindingMaker(Branch.NETWORK)

#: Per-host finding ids that mean "no address at all" from the DNS servers.
NO_ADDRESS = frozenset(f"network.dns.{kind}" for kind in (*DNS_FAILURES, "failed"))
#: DNS results that mean no resolver could even be reached: no network under the machine.
NO_ROUTE_TO_DNS = frozenset({"unreachable", "no_config"})
#: Per-host ids of a connection that never opens.
NO_CONNECTION = frozenset({"network.tcp.refused", "network.tcp.timeout", "network.tcp.unreachable"})
NO_CONNECTION |= {"network.tcp.failed"}
#: Per-host ids of a certificate the public web does not trust, whose issuer is named.
FOREIGN_ISSUER = frozenset(
    {"network.tls.intercepted", "network.tls.untrusted", "network.tls.self_signed"}
)


@dataclass(frozen=True)
class Judged:
    """One host's probes and the findings its layers gave."""

    probe: HostProbe
    findings: list[Finding]
    #: The layer that stops the host, or None.
    first: str | None

    @property
    def stop(self) -> Finding | None:
        """The finding of the layer that stops this host, else its first warning."""
        bad = [f for f in self.findings if f.severity in (Severity.FAIL, Severity.WARN)]
        if self.first is not None:
            bad = [f for f in bad if f.evidence.get("layer") == self.first][-1:]
        return bad[0] if bad else None


def collapse(judged: list[Judged], resolvers: list[str]) -> list[Finding]:
    """Every host's findings, with a common cause first when there is one."""
    cause = common_cause(judged, resolvers)
    findings = [f for j in judged for f in j.findings]
    if cause is None:
        return findings
    covered = {id(j.stop) for j in judged}
    return [cause, *(f for f in findings if id(f) not in covered)]


def common_cause(judged: list[Judged], resolvers: list[str]) -> Finding | None:
    """``network.offline``, ``network.dns.resolver_failing`` or
    ``network.tls.intercepted_everywhere`` when every host fails the same way."""
    if len(judged) < 2:
        return None
    stops = [j.stop for j in judged]
    if any(s is None for s in stops):
        return None
    ids = [s.id for s in stops if s is not None]
    proxied = any(j.probe.proxy is not None for j in judged)
    head = _headline(judged)
    if all(i in FOREIGN_ISSUER for i in ids):
        return _intercepted(judged, head)
    if proxied or not all(i in NO_ADDRESS | NO_CONNECTION for i in ids):
        return None
    dns_kinds = {i.removeprefix("network.dns.") for i in ids if i in NO_ADDRESS}
    if all(i in NO_ADDRESS for i in ids) and not dns_kinds <= NO_ROUTE_TO_DNS:
        return _resolver_failing(judged, head, dns_kinds, resolvers)
    return _offline(judged, head)


def _headline(judged: list[Judged]) -> Judged:
    """The host that matters to this user: the API host, else the first probed."""
    return next((j for j in judged if j.probe.target.role == "api"), None) or next(
        (j for j in judged if j.probe.target.is_api), judged[0]
    )


def _facts(judged: list[Judged], head: Judged, layer: str) -> dict[str, Any]:
    return {
        "host": head.probe.target.host,
        "role": "api",
        "layer": layer,
        "hosts": [j.probe.target.host for j in judged],
        "seen": {j.probe.target.host: j.stop.id for j in judged if j.stop is not None},
    }


def _said(kinds: set[str]) -> str:
    return ", ".join(sorted(DNS_FAILURES.get(k, ("failed",))[0] for k in kinds))


def _offline(judged: list[Judged], head: Judged) -> Finding:
    seen: dict[str, list[str]] = {}
    for j in judged:
        stop = j.stop
        if stop is not None:
            layer, _, kind = stop.id.removeprefix("network.").partition(".")
            seen.setdefault(f"{layer.upper()} {kind.replace('_', ' ')}", []).append(
                j.probe.target.label
            )
    what = "; ".join(f"{k} for {', '.join(v)}" for k, v in seen.items())
    layers = {s.evidence.get("layer") for j in judged if (s := j.stop) is not None}
    return network(
        "offline",
        Severity.FAIL,
        f"this machine is offline: none of the {len(judged)} hosts Claude needs can be reached",
        f"Every host fails before any answer comes back, and no proxy is in the way: {what}. "
        f"Claude cannot reach {head.probe.target.label} (or anything else) from here.",
        (
            "Check this machine's connection: open any website, or ping -c 1 1.1.1.1",
            "Reconnect Wi-Fi, Ethernet or the VPN, then run claude-doctor check again",
        ),
        **_facts(judged, head, "dns" if layers == {"dns"} else "tcp"),
    )


def _resolver_failing(
    judged: list[Judged], head: Judged, kinds: set[str], resolvers: list[str]
) -> Finding:
    named = ", ".join(resolvers) or "the system's resolver"
    host = head.probe.target.host
    title = (
        f"DNS: the resolver {named} answers nothing (every lookup timed out)"
        if kinds == {"timeout"}
        else f"DNS: the resolver {named} gives unreadable answers (not DNS replies)"
        if kinds == {"unreadable"}
        else f"DNS: every lookup through the resolver {named} fails: {_said(kinds)}"
    )
    return network(
        "dns.resolver_failing",
        Severity.FAIL,
        title,
        f"Every lookup through {named} fails ({_said(kinds)}) for all {len(judged)} hosts "
        "Claude needs, so the fault is the resolver, not any one host.",
        (
            f"dig {host} @1.1.1.1  # a public resolver: if it answers, {named} is the problem",
            "Fix or replace the DNS servers in /etc/resolv.conf (or your VPN's DNS settings)",
        ),
        resolvers=resolvers,
        results=sorted(kinds),
        **_facts(judged, head, "dns"),
    )


def _intercepted(judged: list[Judged], head: Judged) -> Finding | None:
    issuers = {(j.stop.evidence.get("issuer") if j.stop else None) for j in judged}
    if len(issuers) != 1 or None in issuers:
        return None
    issuer = str(issuers.pop())
    stop = head.stop
    covered = stop is not None and stop.severity is Severity.WARN
    tail = (
        " NODE_EXTRA_CA_CERTS covers it, so Claude Code works; other clients may not."
        if covered
        else ""
    )
    return network(
        "tls.intercepted_everywhere",
        Severity.WARN if covered else Severity.FAIL,
        f"TLS: every connection is intercepted by {issuer}",
        f"All {len(judged)} hosts Claude needs present certificates issued by {issuer}, "
        "which the public web PKI does not know: a TLS-inspecting proxy or antivirus sits "
        "between this machine and the internet." + tail,
        ca_steps(issuer),
        issuer=issuer,
        **_facts(judged, head, "tls"),
    )
