"""One compound world: the machine (login, route, network, status page, session, request
body), what the user brings (the error, the surface, the guided answers), and the verdict a
support engineer would give: the branch, the branches under "Also found", how sure.

Worlds are data: :mod:`tests.verdict.machine` builds them out of real local parts and
:mod:`tests.verdict.runner` runs them through the real ``check`` path (the CLI, or the
guided run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The keys a world's machine is made of; each names a builder in :mod:`.machine`.
LOGINS = (
    "subscription",
    "none",
    "expired_renewable",
    "expired_final",
    "expiring_final",
    "corrupt",
)
KEYS = ("good", "malformed")
ROUTES = ("direct", "gateway", "bedrock", "vertex_incomplete")
NETS = (
    "healthy",
    "offline",
    "offline_silent",
    "downloads_nxdomain",
    "downloads_blackhole",
    "api_nxdomain",
    "api_blackhole",
    "anthropic_api_blocked",
    "claude_ai_refused",
    "intercepted",
    "portal",
    "proxy_407",
    "gateway_blackhole",
)
STATUSES = (
    "operational",
    "http_500",
    "unreachable",
    "api_incident",
    "code_incident",
    "code_login_incident",
    "claude_ai_incident",
)
SESSIONS = (
    "healthy",
    "resumed_500s",
    "context_95",
    "image_12mb",
    "tool_result_400s",
    "retired_model_404s",
)
GATEWAYS = ("html_500", "html_502", "ok")


@dataclass(frozen=True)
class World:
    """A machine, an error, and the verdict expected for them."""

    name: str
    #: What a support engineer would answer, and why (one line).
    says: str
    #: The verdict's branch.
    branch: str
    #: The branches listed under ``verdict.also_found`` (exactly these).
    also: frozenset[str] = frozenset()
    #: ``verdict.confidence``.
    confidence: str = "high"
    #: Finding ids that must be under ``also_found`` (where the issue names one).
    also_ids: frozenset[str] = frozenset()
    #: At least one of these ids is in ``verdict.because``.
    because_any: frozenset[str] = frozenset()
    #: Branches that must be listed under ``verdict.open`` (could not be checked).
    open: frozenset[str] = frozenset()
    #: Words the verdict's summary must not say.
    summary_lacks: tuple[str, ...] = ()

    # --- the machine -------------------------------------------------------------------
    login: str = "subscription"
    #: ``ANTHROPIC_API_KEY`` exported from a shell start-up file (``key_file``).
    key: str | None = None
    key_file: str = ".bashrc"
    route: str = "direct"
    net: str = "healthy"
    status: str = "operational"
    gateway: str | None = None
    session: str | None = None
    #: The user's settings.json (``apiKeyHelper`` and the like).
    settings: dict[str, Any] = field(default_factory=dict)
    #: A request body for the guided run's payload question.
    payload: dict[str, Any] | None = None
    #: An apiKeyHelper in settings.json that fails (exit 1, a message on stderr).
    failing_helper: bool = False

    # --- what the user brings ----------------------------------------------------------
    error: str | None = None
    #: ``CLAUDE_DOCTOR_SURFACE`` for the CLI, the first answer in the guided run.
    surface: str | None = None
    #: ``cli`` (``check --json``) or ``guided`` (the interview in-process).
    via: str = "cli"
    #: Guided answers: what the user was doing and which account they think they use.
    activity: str | None = None
    account: str | None = None
    #: Extra ``check`` flags (``--run-helpers``, ``--strict``).
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        checks = (
            (self.login, LOGINS),
            (self.route, ROUTES),
            (self.net, NETS),
            (self.status, STATUSES),
        )
        for value, allowed in checks:
            assert value in allowed, f"{self.name}: {value!r} not in {allowed}"
        assert self.key is None or self.key in KEYS, self.name
        assert self.session is None or self.session in SESSIONS, self.name
        assert self.gateway is None or self.gateway in GATEWAYS, self.name
        assert self.via in ("cli", "guided"), self.name
        if self.activity or self.account or self.payload:
            assert self.via == "guided", f"{self.name}: answers need the guided run"

    @property
    def exit_code(self) -> int:
        """1 whenever the verdict names a branch; an open branch counts only with
        ``--strict``."""
        if self.branch != "none":
            return 1
        return 1 if "--strict" in self.flags and self.open else 0

    @property
    def black_holes(self) -> bool:
        """Whether some host never answers (the run then waits for its deadline)."""
        return "blackhole" in self.net or self.net == "offline_silent"


def also(*branches: str) -> frozenset[str]:
    return frozenset(branches)
