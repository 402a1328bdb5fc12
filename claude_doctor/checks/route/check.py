"""Route checks: which credential actually carries Claude Code's requests, who set it, and
whether it is well formed.

The ``route.active`` finding carries the compact, masked ``route`` block in its evidence
(the report lifts it to ``evidence.route``). Every secret value read (the route's
credentials, the credentials file's tokens, an apiKeyHelper's output) goes into
``ctx.secrets``.
"""

from __future__ import annotations

from pathlib import Path

from claude_doctor.checks.route.helper import helper_findings
from claude_doctor.checks.route.state import (
    CLOUD_COMPANIONS,
    AuthState,
    Route,
    describe_value,
    gather,
    key_defects,
    masked,
)
from claude_doctor.context import Context, for_context_only, in_thread
from claude_doctor.model import Account, Branch, Finding, FindingMaker, Severity, Surface

#: What each answer to "how do you pay for Claude?" expects the route to be.
#: ``unsure`` expects nothing.
ACCOUNT_ROUTES: dict[Account, tuple[str, ...]] = {
    Account.SUBSCRIPTION: ("subscription", "oauth_token"),
    Account.API_KEY: ("api_key", "api_key_helper", "auth_token"),
    Account.CLOUD: ("cloud:bedrock", "cloud:vertex", "cloud:foundry", "cloud:anthropic_aws"),
}
ROUTE_WORDS = {
    "subscription": "your subscription login (/login)",
    "oauth_token": "a long-lived OAuth token (CLAUDE_CODE_OAUTH_TOKEN)",
    "api_key": "an API key",
    "api_key_helper": "an apiKeyHelper command",
    "auth_token": "a bearer token (ANTHROPIC_AUTH_TOKEN)",
    "profile": "an Anthropic profile",
    "none": "no credential at all",
}


def route_words(kind: str) -> str:
    if kind.startswith("cloud:"):
        return f"a cloud provider ({kind.split(':', 1)[1]})"
    return ROUTE_WORDS.get(kind, kind)


def where_set(route: Route, name: str, home: Path) -> str:
    """``~/.zshrc line 3`` (every place), or how the value reached Claude Code."""
    places = route.origins.get(name, [])
    if places:
        return ", ".join(o.describe(home) for o in places)
    value = route.values.get(name)
    if value is None:
        return "nowhere"
    if value.source == "environment":
        return "the environment (not found in your shell start-up files or .env files)"
    return describe_value(value, home)


_route = FindingMaker(Branch.ROUTE)


class _Facts:
    """What every route finding is about: the route, its masked block, the home."""

    def __init__(self, ctx: Context, state: AuthState) -> None:
        self.home = ctx.settings.home
        self.route = state.route
        self.block = state.route.evidence(self.home)


def _removal_steps(route: Route, name: str, home: Path) -> tuple[str, ...]:
    steps = [f"unset {name}"]
    for origin in route.origins.get(name, []):
        if origin.line:
            steps.append(f"delete or comment out line {origin.line} of {origin.where(home)}")
        else:
            steps.append(f"remove {name} from the env block of {origin.describe(home)}")
    return tuple(steps)


def _active(facts: _Facts) -> Finding:
    route = facts.route
    if route.active is None:
        return _route(
            "active",
            Severity.INFO,
            "no credential found on any route",
            "No API key, token, apiKeyHelper, profile or subscription login was found; "
            "the login checks say what to do.",
            route=facts.block,
        )
    active = route.active
    masked = f" {active.masked}" if active.masked else ""
    detail = f"Requests go with {route_words(active.kind)}{masked}, set by {active.source}."
    if route.competing:
        detail += " Also present but not used: " + "; ".join(
            f"{route_words(c.kind)} ({c.source})" for c in route.competing
        )
        detail += "."
    if route.base_url_custom:
        detail += f" Base URL {route.base_url} ({route.base_url_source})."
    return _route(
        "active",
        Severity.OK,
        f"active route: {route_words(active.kind)}",
        detail,
        route=facts.block,
    )


def _shadowing(facts: _Facts, state: AuthState) -> list[Finding]:
    route = facts.route
    if route.active is None or route.active.kind not in ("api_key", "auth_token", "api_key_helper"):
        return []
    logins = [c for c in route.competing if c.kind in ("subscription", "oauth_token")]
    signed_in = state.claude_json is not None and state.claude_json.signed_in
    if not logins and not signed_in:
        return []
    name = route.active.variable
    place = where_set(route, name, facts.home) if name else route.active.source
    what = name or "apiKeyHelper"
    severity = Severity.FAIL
    approval = ""
    if route.key_approved is True:
        approval = " Claude Code remembers that you approved this key, so it is used every time."
    elif route.key_approved is False:
        severity = Severity.WARN
        approval = (
            " You declined this key in Claude Code, so interactive sessions skip it, but "
            "`claude -p`, scripts and the SDKs still use it."
        )
    login_words = logins[0].source if logins else "your claude.ai account in ~/.claude.json"
    steps = _removal_steps(route, name, facts.home) if name else ()
    return [
        _route(
            "api_key_shadows_subscription",
            severity,
            f"{what} overrides your subscription login",
            f"{what} (set in {place}) takes precedence over your subscription login "
            f"({login_words}): requests are billed to the key, not to your plan. This is the "
            "usual cause of 'Credit balance is too low', 401 and 429 errors for Pro and Max "
            f"subscribers.{approval}",
            (*steps, "claude  # then /status shows the active login"),
            variable=what,
        )
    ]


def _malformed(facts: _Facts) -> list[Finding]:
    route = facts.route
    findings: list[Finding] = []
    for name in ("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_AUTH_TOKEN"):
        value = route.values.get(name)
        if value is None or not value.value.strip():
            continue
        if name == "ANTHROPIC_AUTH_TOKEN":
            raw = value.value.strip()
            if raw.lower().startswith("bearer "):
                findings.append(
                    _route(
                        "auth_token_bearer_prefix",
                        Severity.FAIL,
                        "ANTHROPIC_AUTH_TOKEN starts with 'Bearer '",
                        "Claude Code puts 'Bearer ' in front of ANTHROPIC_AUTH_TOKEN itself, so "
                        f"this value is sent as 'Bearer Bearer {masked(raw[7:])}' and "
                        f"rejected. It is set in {where_set(route, name, facts.home)}.",
                        ("keep only the token itself in ANTHROPIC_AUTH_TOKEN, without 'Bearer '",),
                        variable=name,
                    )
                )
            defects = [d for d in key_defects(name, value.value) if "start with" not in d.what]
        else:
            defects = key_defects(name, value.value)
        if not defects:
            continue
        first = defects[0]
        findings.append(
            _route(
                "key_malformed",
                Severity.FAIL,
                f"{name} {first.what}",
                f"{name} = {masked(value.value)} "
                + "; ".join(d.what for d in defects)
                + f". It is set in {where_set(route, name, facts.home)}. Claude Code sends it "
                "as is and the API answers 'Invalid API key'.",
                (
                    f"set {name} again from a fresh copy, with no quotes, spaces or line breaks",
                    f"claude-doctor check --only route  # confirm {name} is clean",
                ),
                variable=name,
                defects=[{"what": d.what, "position": d.position} for d in defects],
                length=len(value.value),
            )
        )
    return findings


def _gateway(facts: _Facts, ctx: Context) -> list[Finding]:
    route = facts.route
    if not route.base_url_custom:
        return []
    # Not a fault by itself; with an error in hand it is the first thing to know.
    severity = Severity.WARN if ctx.signal is not None else Severity.INFO
    return [
        _route(
            "gateway",
            severity,
            f"requests go through a custom base URL: {route.base_url}",
            f"ANTHROPIC_BASE_URL={route.base_url} (from {route.base_url_source}) sends requests "
            "to a gateway or proxy, not straight to Anthropic: its errors, limits and outages "
            "are its own and do not show on status.claude.com.",
            (
                "ask the gateway's owner about its status, or unset ANTHROPIC_BASE_URL to "
                "compare with the direct route",
            ),
            base_url=route.base_url,
        )
    ]


def _cloud(facts: _Facts) -> list[Finding]:
    route = facts.route
    if route.active is None or not route.active.kind.startswith("cloud:"):
        return []
    provider = route.active.kind.split(":", 1)[1]
    missing = [
        " or ".join(group)
        for group in CLOUD_COMPANIONS.get(provider, ())
        if not any(route.get(n) for n in group)
    ]
    if not missing:
        return []
    return [
        _route(
            "cloud.missing_companion",
            Severity.FAIL,
            f"{route.active.variable} is on but {missing[0]} is not set",
            f"{route.active.variable} (from {route.active.source}) sends requests to "
            f"{provider}, which also needs: {', '.join(missing)}. Claude Code does not read "
            "these from your cloud CLI's config files.",
            tuple(f"export {m.split(' or ')[0]}=..." for m in missing),
            provider=provider,
            missing=missing,
        )
    ]


def _account(facts: _Facts, ctx: Context) -> list[Finding]:
    expected = ctx.answers.account
    if expected is None or expected not in ACCOUNT_ROUTES:
        return []
    routes = ACCOUNT_ROUTES[expected]
    route = facts.route
    if route.kind in routes:
        return []
    active = route.active
    who = "nothing"
    if active is not None:
        who = (
            f"{active.variable} from {where_set(route, active.variable, facts.home)}"
            if active.variable
            else active.source
        )
    steps = _removal_steps(route, active.variable, facts.home) if active and active.variable else ()
    return [
        _route(
            "account_mismatch",
            Severity.FAIL,
            f"you think {expected.value.replace('_', ' ')}, but {who} wins",
            f"You said you use {route_words(routes[0])}, but requests go "
            f"with {route_words(route.kind)} ({who}).",
            steps,
            expected=expected.value,
        )
    ]


async def route_check(ctx: Context) -> list[Finding]:
    state = await in_thread(lambda: gather(ctx.settings, read_keychain_secret=ctx.consent))
    ctx.secrets.add(*state.secrets())
    facts = _Facts(ctx, state)
    findings = [
        _active(facts),
        *_shadowing(facts, state),
        *_malformed(facts),
        *_gateway(facts, ctx),
        *_cloud(facts),
        *_account(facts, ctx),
        *await helper_findings(facts.route, ctx),
    ]
    surface = ctx.answers.surface
    if surface in (Surface.CLAUDE_AI, Surface.DESKTOP):
        # The app signs in by itself; Claude Code's route cannot explain its errors.
        return for_context_only(
            findings, f"Claude Code's route; you said the error came from {surface.value}"
        )
    return findings
