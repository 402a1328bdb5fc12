"""What every layer's judgement of one host shares: the host's probe results, the builder of
its findings (host, port, role and layer in every finding's evidence), and a layer's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from claude_doctor.checks.network.host import HostProbe
from claude_doctor.checks.network.plan import ProxyPlan, not_public
from claude_doctor.model import Branch, Finding, FindingMaker, Severity


@dataclass
class Layer:
    """One layer's verdict for one host."""

    status: str  # ok, warn, fail, info, skipped, not_reached
    findings: list[Finding] = field(default_factory=list)
    #: This layer stops the host: later layers fail because of it.
    blocks: bool = False


class HostView:
    """One host's probe results, read by each layer's judgement."""

    def __init__(self, probe: HostProbe, now: datetime) -> None:
        self.p = probe
        self.t = probe.target
        self.now = now
        self.settings = probe.ctx.settings
        self._make = FindingMaker(
            Branch.NETWORK, evidence={"host": self.t.host, "port": self.t.port, "role": self.t.role}
        )

    @property
    def severity(self) -> Severity:
        """A failure on a host Claude cannot do without fails; on another, it warns."""
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
        """``network.<cause>`` for this host; the layer is the cause's first part."""
        layer = cause.split(".", 1)[0]
        return self._make(cause, severity, title, detail, steps, layer=layer, **evidence)

    def why(self) -> str:
        return f"Claude needs {self.t.label} for {self.t.purpose}."

    @property
    def is_gateway(self) -> bool:
        """An ``ANTHROPIC_BASE_URL`` on a private or loopback address: the user's gateway."""
        if self.t.role != "api" or not self.settings.api_base_url_custom:
            return False
        if self.t.host == "localhost" or not_public(self.t.host):
            return True
        addresses = self.p.addresses()
        return bool(addresses) and all(not_public(a) for a in addresses)


def tunnel_closed(v: HostView, plan: ProxyPlan) -> Finding:
    """The proxy accepted the CONNECT but closed the connection instead of carrying TLS."""
    return v.finding(
        "proxy.tunnel_closed",
        v.severity,
        f"proxy {plan.shown} closes the tunnel to {v.t.label}",
        f"The proxy {plan.shown} (from {plan.variable}) closed the connection instead of "
        "carrying TLS to the host: it blocks or filters it.",
        (f"Ask your network team to allow {v.t.host}:443 through the proxy",),
        proxy=plan.shown,
        proxy_variable=plan.variable,
    )
