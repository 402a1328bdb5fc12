"""The network branch check: every host Claude needs, walked DNS -> TCP -> TLS -> proxy -> HTTP.

All hosts, and all layers of a host that do not need an earlier layer's answer, are probed at
once (:mod:`.host`), so the branch takes about as long as its slowest probe. Each step has its
own timeout and every timeout is cut to what is left of the branch's budget, which fits inside
the run's deadline. Per host the first layer that fails is named with its fix (:mod:`.judge`);
later layers are kept in the evidence only (they fail because of the first one); when every
host fails the same way, one finding says so (:mod:`.common`). Settings that
are not per host (the proxy variables, Node's TLS trust in :mod:`.node`) are judged here once.

Everything goes through the foundation's factory: ``connect_target`` for TCP/TLS (the DNS layer
still asks about the real name), the run's resolver, the two trust stores, the run's HTTP client
and Claude Code's proxy choice.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from claude_doctor.checks.network.common import Judged, collapse
from claude_doctor.checks.network.host import HostProbe
from claude_doctor.checks.network.judge import judge_host
from claude_doctor.checks.network.node import (
    NodeCa,
    load_node_ca,
    node_ca_coverage,
    node_tls_findings,
)
from claude_doctor.checks.network.plan import CHECK_TIMEOUT, plan_proxy, targets
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, Finding, FindingMaker, Severity
from claude_doctor.net import PROXY_VARIABLES, ProxyChoice, proxy_for
from claude_doctor.settings import Settings

__all__ = ["CHECK_TIMEOUT", "branch_budget", "network_paths"]

network = FindingMaker(Branch.NETWORK)


def _proxy_findings(settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    for name in PROXY_VARIABLES:
        value = settings.environ.get(name, "").strip()
        if not value:
            continue
        plan = plan_proxy(ProxyChoice(value, name))
        facts = {"variable": name, "value": plan.shown, "layer": "proxy"}
        if plan.problem == "no_scheme":
            findings.append(
                network(
                    "proxy.no_scheme",
                    Severity.FAIL,
                    f"{name} has no scheme ({plan.shown})",
                    f"{name}={plan.shown} lacks http://; Claude Code then hangs on every request.",
                    (f"export {name}=http://{plan.shown}",),
                    **facts,
                )
            )
        elif plan.problem == "socks":
            findings.append(
                network(
                    "proxy.socks_unsupported",
                    Severity.FAIL,
                    f"{name} is a SOCKS proxy, which Claude Code does not support",
                    f"{name}={plan.shown}: Claude Code supports HTTP(S) proxies only.",
                    (
                        "Run an HTTP proxy in front of the SOCKS one (e.g. privoxy or gost) "
                        f"and point {name} at it",
                    ),
                    **facts,
                )
            )
        elif plan.problem == "invalid":
            findings.append(
                network(
                    "proxy.invalid",
                    Severity.FAIL,
                    f"{name} is not a usable proxy URL",
                    f"{name}={plan.shown} cannot be parsed as http://host:port.",
                    (f"export {name}=http://HOST:PORT",),
                    **facts,
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


def _proxy_route(host_probes: list[HostProbe]) -> list[Finding]:
    proxied = [p for p in host_probes if p.proxy is not None]
    if not proxied:
        return []
    return [
        network(
            "proxy.route",
            Severity.INFO,
            "proxy in use: "
            + ", ".join(f"{p.target.label} via {p.proxy.shown}" for p in proxied if p.proxy),
            "Which proxy each host's traffic takes, read the way Claude Code reads "
            "https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY and NO_PROXY.",
            layer="proxy",
            direct=[p.target.label for p in host_probes if p.proxy is None],
        )
    ]


def resolvers_in_use(ctx: Context) -> list[str]:
    """The DNS servers every lookup went through: ``CLAUDE_DOCTOR_DNS_SERVERS``, else the
    system's."""
    import dns.exception

    servers = ctx.settings.dns_servers
    if servers:
        return [s.host if s.port == 53 else f"{s.host}:{s.port}" for s in servers]
    try:
        return [str(n) for n in ctx.network.resolver().nameservers]
    except dns.exception.DNSException:
        return []


def branch_budget(settings: Settings) -> float:
    """Seconds the branch may take: inside its own limit and the run's deadline, with a
    margin so findings are built before either cuts it."""
    return max(0.3, min(CHECK_TIMEOUT, settings.timeout) - 0.5)


def _summary(hosts: list[dict[str, Any]], budget: float) -> Finding:
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
    return network(
        "summary",
        severity,
        title,
        "; ".join(lines) + ".",
        network={"budget_s": round(budget, 2), "hosts": hosts},
    )


async def _probe_hosts(ctx: Context, node: NodeCa, deadline: float) -> list[HostProbe]:
    """Every host's probes at once, stopped at the deadline."""
    settings = ctx.settings
    loop = asyncio.get_running_loop()
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
    return host_probes


async def network_paths(ctx: Context) -> list[Finding]:
    """The network branch check: every host, every layer, at once, by the deadline."""
    settings = ctx.settings
    ctx.secrets.add(*_proxy_secrets(settings))
    budget = branch_budget(settings)
    deadline = asyncio.get_running_loop().time() + budget
    node = await in_thread(lambda: load_node_ca(settings))
    host_probes = await _probe_hosts(ctx, node, deadline)
    now = ctx.now()
    findings: list[Finding] = []
    findings += _proxy_findings(settings)
    findings += node_tls_findings(settings)
    findings += node.findings
    hosts: list[dict[str, Any]] = []
    judged: list[Judged] = []
    for probe in host_probes:
        host_findings, block = judge_host(probe, now)
        hosts.append(block)
        judged.append(Judged(probe, host_findings, block["first_failing_layer"]))
    findings += collapse(judged, resolvers_in_use(ctx))
    api = next((p for p in host_probes if p.target.is_api), None)
    findings += node_ca_coverage(node, api)
    findings += _proxy_route(host_probes)
    return [_summary(hosts, budget), *findings]
