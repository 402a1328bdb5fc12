"""What the network branch probes: the hosts Claude needs (which of them Claude cannot do
without, and each one's role for the active route), the proxy each host's traffic takes, the
time each step may take, and what kind of address a DNS answer is.

Pure: nothing here opens a connection.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from claude_doctor.net import ProxyChoice
from claude_doctor.settings import DEFAULT_API_BASE_URL, DEFAULT_STATUS_URL, TRUE_WORDS, Settings

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
#: The switches that send Claude Code's requests to a cloud provider instead of Anthropic's API.
CLOUD_ROUTE_FLAGS = ("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY")
#: The role of Anthropic's own API host when a cloud route is active: probed, never the route.
ANTHROPIC_API_ROLE = "anthropic_api"


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
    def is_api(self) -> bool:
        """The API host (the route's, or Anthropic's own beside a cloud route)."""
        return self.role in ("api", ANTHROPIC_API_ROLE)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/"

    @property
    def label(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def cloud_route(settings: Settings) -> str | None:
    """The cloud provider switch set in the environment (``CLAUDE_CODE_USE_BEDROCK`` …)."""
    for flag in CLOUD_ROUTE_FLAGS:
        if settings.environ.get(flag, "").strip().lower() in TRUE_WORDS:
            return flag
    return None


def targets(settings: Settings) -> list[Target]:
    """The hosts to probe: the API base, the status page host, then Claude Code's hosts.

    On a cloud route Anthropic's default API host is not the route's: it is probed as
    ``anthropic_api``, and Claude is not broken without it.
    """
    found: list[Target] = []
    beside_cloud = cloud_route(settings) is not None and not settings.api_base_url_custom

    def add(url: str, role: str, purpose: str, critical: bool, public: bool) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if host and all((t.host, t.port) != (host, port) for t in found):
            found.append(Target(host, port, parts.scheme, role, purpose, critical, public))

    add(
        settings.api_base_url,
        ANTHROPIC_API_ROLE if beside_cloud else "api",
        "the Anthropic API (not the cloud route's)" if beside_cloud else "API requests",
        not beside_cloud,
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


def as_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` spells (brackets allowed), or None for a name."""
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def not_public(address: str) -> bool:
    """A private, loopback or link-local address."""
    ip = as_ip(address)
    return ip is not None and (ip.is_private or ip.is_loopback or ip.is_link_local)


def sinkhole(address: str) -> bool:
    """An address a DNS filter answers for a blocked name (0.0.0.0, ::, loopback)."""
    ip = as_ip(address)
    return ip is not None and (ip.is_unspecified or ip.is_loopback)
