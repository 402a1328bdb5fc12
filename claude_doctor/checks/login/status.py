"""Claude Code's own view of the route, ``claude auth status``, beside claude-doctor's.

The ``claude`` on the user's PATH is asked (a 5 s limit, output cut at 64 KB) and its JSON
read as the client's statement of the route: ``loggedIn``, ``authMethod``,
``apiKeySource``, ``apiProvider``, ``subscriptionType``, ``loginExpiresAt``,
``configDirectory``. Unknown keys are ignored and missing ones are unknowns; JSON after a
line of other text is still found; text (older versions), garbage, a hang or a huge output
give one INFO finding. The answer is compared with the route claude-doctor computed (the
winning credential, the provider, the config directory it read, logged in or not): a
difference is a WARN finding naming both, agreement an OK finding naming the route.

What the answer means (observed: Claude Code 2.1.332), and what it cannot tell:

- ``api_key`` with ``apiKeySource: ANTHROPIC_API_KEY``: the key, from the environment or a
  settings ``env`` block alike (it does not say which). It answers as ``-p`` does: a key
  never approved in the interactive prompt still shows as ``api_key``.
- ``api_key_helper`` with ``apiKeySource: apiKeyHelper``: the helper's key. With
  ``apiKeySource: ANTHROPIC_API_KEY`` both are set and requests carry the environment's
  key, so it is read as the key.
- ``oauth_token``: ``CLAUDE_CODE_OAUTH_TOKEN``, ``ANTHROPIC_AUTH_TOKEN`` and an Anthropic
  profile alike (with ``ANTHROPIC_API_KEY`` beside an auth token, both headers are sent).
- ``claude.ai`` with ``subscriptionType``: a stored subscription login, even an expired
  one (``loginExpiresAt`` stays null): it says nothing of the login's health.
- ``third_party`` with ``apiProvider`` (``bedrock``, ``vertex``, ``foundry``,
  ``anthropicAws``, …): a cloud provider, with no word on its credentials.
- ``none`` with exit 1: no credential.

With a stored subscription login the client goes to the network while it answers (it
renews an expired access token, through the user's proxy), as it would on its own.

Every text and value shown passes through the run's redactor.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claude_doctor.checks.route.check import route_words
from claude_doctor.checks.route.state import AuthState
from claude_doctor.context import Context, run_command, which
from claude_doctor.model import Branch, Finding, FindingMaker, Severity
from claude_doctor.redact import Redactor
from claude_doctor.safe_read import JsonError, loads, scrub, too_deep

AUTH_STATUS_TIMEOUT = 5.0
MAX_OUTPUT = 64 * 1024
KNOWN_KEYS = (
    "loggedIn",
    "authMethod",
    "apiKeySource",
    "apiProvider",
    "subscriptionType",
    "loginExpiresAt",
    "configDirectory",
)
#: ``apiProvider`` values naming a cloud route, as claude-doctor's ``cloud:<name>``.
CLOUD_PROVIDERS = {
    "bedrock": "bedrock",
    "vertex": "vertex",
    "foundry": "foundry",
    "anthropicAws": "anthropic_aws",
}
#: The route kinds each ``authMethod`` stands for (more than one: it cannot tell them apart).
TOKEN_KINDS = frozenset({"oauth_token", "auth_token", "profile"})

_login = FindingMaker(Branch.LOGIN)


@dataclass(frozen=True)
class ClientView:
    """What ``claude auth status`` said, its known keys only."""

    logged_in: bool
    auth_method: str | None
    api_key_source: str | None
    api_provider: str | None
    subscription_type: str | None
    login_expires_at: str | None
    config_directory: str | None
    exit_code: int
    other_keys: tuple[str, ...] = ()

    def evidence(self) -> dict[str, Any]:
        return {
            "loggedIn": self.logged_in,
            "authMethod": self.auth_method,
            "apiKeySource": self.api_key_source,
            "apiProvider": self.api_provider,
            "subscriptionType": self.subscription_type,
            "loginExpiresAt": self.login_expires_at,
            "configDirectory": self.config_directory,
            "other_keys": list(self.other_keys),
        }


def _json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in ``text``: all of it, or from its first ``{`` (after a warning)."""
    try:
        value = loads(text).value
    except JsonError:
        start = text.find("{")
        if start < 0 or too_deep(text[start:]):
            return None
        try:
            value, _end = json.JSONDecoder().raw_decode(text, start)
        except (ValueError, RecursionError):
            return None
        value = scrub(value)[0]
    return value if isinstance(value, dict) else None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def parse_status(code: int, out: bytes) -> ClientView | None:
    """The answer as a :class:`ClientView`, or None when it holds no JSON object."""
    data = _json_object(out.decode("utf-8", "replace").strip())
    if data is None:
        return None
    logged_in = data.get("loggedIn")
    return ClientView(
        logged_in=logged_in if isinstance(logged_in, bool) else code == 0,
        auth_method=_text(data.get("authMethod")),
        api_key_source=_text(data.get("apiKeySource")),
        api_provider=_text(data.get("apiProvider")),
        subscription_type=_text(data.get("subscriptionType")),
        login_expires_at=_text(data.get("loginExpiresAt")),
        config_directory=_text(data.get("configDirectory")),
        exit_code=code,
        other_keys=tuple(sorted(str(k) for k in data if k not in KNOWN_KEYS))[:40],
    )


def client_provider(view: ClientView) -> str | None:
    """``firstParty``, ``cloud:<name>``, ``cloud`` (a cloud, unnamed), another provider as
    the client names it, or None (not said)."""
    provider = view.api_provider
    if provider is None:
        return "cloud" if view.auth_method == "third_party" else None
    if provider == "firstParty":
        return provider
    return f"cloud:{CLOUD_PROVIDERS[provider]}" if provider in CLOUD_PROVIDERS else provider


def client_kinds(view: ClientView) -> frozenset[str] | None:
    """The route kinds the answer stands for on the Anthropic API; None: it does not say."""
    method, source = view.auth_method, view.api_key_source
    if method == "claude.ai":
        return frozenset({"subscription"})
    if method == "oauth_token":
        return TOKEN_KINDS
    if method == "api_key_helper":
        return frozenset({"api_key" if source == "ANTHROPIC_API_KEY" else "api_key_helper"})
    if method == "api_key":
        if source == "apiKeyHelper":
            return frozenset({"api_key_helper"})
        return frozenset({"login_key" if source == "/login managed key" else "api_key"})
    return None


def client_words(view: ClientView) -> str:
    """The client's answer in words: "API key from ANTHROPIC_API_KEY"."""
    if not view.logged_in:
        return "not logged in"
    method, source = view.auth_method, view.api_key_source
    kinds = client_kinds(view) or frozenset()
    if method == "third_party" or (client_provider(view) or "").startswith("cloud"):
        return f"a cloud provider ({view.api_provider or 'unnamed'})"
    if method == "claude.ai":
        plan = f"{view.subscription_type.title()} " if view.subscription_type else ""
        return f"a claude.ai {plan}subscription login"
    if method == "oauth_token":
        return (
            "an OAuth or bearer token (CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_AUTH_TOKEN or a profile)"
        )
    if "login_key" in kinds:
        return "an API key from your Console login (/login managed key)"
    if kinds:
        named = "apiKeyHelper" if "api_key_helper" in kinds else source or "ANTHROPIC_API_KEY"
        return f"API key from {named}"
    return f"logged in by {method or 'an unnamed method'}"


def doctor_words(state: AuthState) -> str:
    """claude-doctor's route in words: "your Max subscription login (~/.claude/…)"."""
    active = state.route.active
    if active is None:
        return "no credential at all"
    if active.kind == "subscription":
        plan = state.credentials.subscription_type if state.credentials else None
        return f"your {plan.title() + ' ' if plan else ''}subscription login ({active.source})"
    if active.kind in ("api_key", "api_key_helper"):
        return f"API key from {active.source}"
    if active.kind == "oauth_token":
        return f"an OAuth token from {active.source}"
    if active.kind == "auth_token":
        return f"a bearer token from {active.source}"
    if active.kind == "profile":
        return f"an Anthropic {active.source}"
    return f"{route_words(active.kind)}, set by {active.source}"


def _same_dir(theirs: str, ours: Path) -> bool:
    def norm(path: str | Path) -> str:
        return os.path.normcase(os.path.realpath(Path(path).expanduser()))

    try:
        return norm(theirs) == norm(ours)
    except (OSError, ValueError):
        return str(theirs) == str(ours)


def differences(view: ClientView, state: AuthState, config_dir: Path) -> list[str]:
    """Where the two views differ: ``logged_in``, ``provider``, ``credential``,
    ``config_directory``. A difference the answer cannot show is none."""
    found: list[str] = []
    kind = state.route.kind
    if view.config_directory and not _same_dir(view.config_directory, config_dir):
        found.append("config_directory")
    if view.logged_in != (kind != "none"):
        return ["logged_in", *found]
    if not view.logged_in:
        return found
    theirs = client_provider(view)
    ours = kind if kind.startswith("cloud:") else "firstParty"
    if theirs is not None and theirs != ours and not (theirs == "cloud" and ours != "firstParty"):
        return ["provider", *found]
    kinds = client_kinds(view)
    if ours == "firstParty" and kinds is not None and kind not in kinds:
        found.insert(0, "credential")
    return found


_WHY = {
    "logged_in": "One of the two sees a credential the other does not.",
    "provider": "They send requests to different providers.",
    "credential": "A different credential wins in each.",
    "config_directory": "Claude Code reads {theirs}, claude-doctor read {ours}: set "
    "CLAUDE_CONFIG_DIR the same for both (a project's settings can set it for Claude Code).",
}


def compare_status(view: ClientView, claude: str, state: AuthState, ctx: Context) -> Finding:
    """The OK or WARN finding for one answer of ``claude auth status``."""
    redact = Redactor.for_run(ctx.settings, ctx.secrets)
    config_dir = ctx.settings.claude_config_dir
    diffs = differences(view, state, config_dir)
    theirs, ours = client_words(view), doctor_words(state)
    evidence: dict[str, Any] = redact.data(
        {
            "claude_auth_status": view.evidence(),
            "claude": claude,
            "exit_code": view.exit_code,
            "claude_doctor": {
                "route": state.route.kind,
                "source": state.route.active.source if state.route.active else None,
                "config_directory": str(config_dir),
            },
            "differences": diffs,
        }
    )
    if diffs:
        why = " ".join(_WHY[d].format(theirs=view.config_directory, ours=config_dir) for d in diffs)
        return _login(
            "claude_auth_status.disagrees",
            Severity.WARN,
            redact.text(f"Claude Code says: {theirs}; claude-doctor found: {ours}"),
            redact.text(
                f"`claude auth status` ({claude}) and claude-doctor read the route differently. "
                f"{why} They read the same files, so one of them sees something the other does "
                "not (a different HOME or CLAUDE_CONFIG_DIR, a keychain, a managed setting, a "
                "newer rule in Claude Code). claude-doctor verify sends one request and settles "
                "it."
            ),
            ("claude auth status --text", "claude-doctor verify"),
            **evidence,
        )
    kinds = client_kinds(view) or frozenset()
    vague = ""
    if view.auth_method == "oauth_token":
        vague = (
            " Its answer (oauth_token) does not tell CLAUDE_CODE_OAUTH_TOKEN, "
            "ANTHROPIC_AUTH_TOKEN and a profile apart."
        )
    elif "api_key" in kinds:
        vague = " Its answer does not tell the environment from a settings env block."
    return _login(
        "claude_auth_status.agrees",
        Severity.OK,
        redact.text(f"Claude Code agrees: {ours}"),
        redact.text(
            f"`claude auth status` says {theirs}.{vague} 'Logged in' can coexist with an "
            "expired or revoked token; claude-doctor verify is the proof."
        ),
        **evidence,
    )


def _unavailable(title: str, **evidence: Any) -> list[Finding]:
    return [_login("claude_auth_status.unavailable", Severity.INFO, title, "", **evidence)]


async def auth_status_findings(ctx: Context, state: AuthState) -> list[Finding]:
    """Ask the ``claude`` on PATH for ``auth status`` and set its answer beside ours."""
    claude = which(ctx, "claude")
    if claude is None:
        return []
    try:
        code, out, _err = await run_command(
            ctx, [claude, "auth", "status"], timeout=AUTH_STATUS_TIMEOUT, max_bytes=MAX_OUTPUT
        )
    except OSError as exc:
        return _unavailable(
            f"`claude auth status` could not start: {exc.strerror or exc}", claude=claude
        )
    if code is None:
        return _unavailable(
            f"`claude auth status` gave no answer within {AUTH_STATUS_TIMEOUT:.0f} s",
            claude=claude,
        )
    view = parse_status(code, out)
    if view is None:
        redact = Redactor.for_run(ctx.settings, ctx.secrets)
        first = out.decode("utf-8", "replace").strip().splitlines()[:1]
        return _unavailable(
            "`claude auth status` did not answer in JSON (an older Claude Code?)",
            claude=claude,
            exit_code=code,
            first_line=redact.text(first[0][:200]) if first else "",
            cut=len(out) >= MAX_OUTPUT,
        )
    return [compare_status(view, claude, state, ctx)]
