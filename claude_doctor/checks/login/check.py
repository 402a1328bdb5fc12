"""Login checks: is there a credential at all, is the OAuth login healthy, and does Claude
Code agree (:mod:`.status`, ``claude auth status``). The clock, which token validation
depends on, is :mod:`.clock`'s.

Tokens read from the credentials file go into ``ctx.secrets`` (the run's redactor) and
nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from claude_doctor.checks.login.clock import span
from claude_doctor.checks.login.status import auth_status_findings
from claude_doctor.checks.route.state import AuthState, gather
from claude_doctor.claude_home import FileProblem, OAuthCredentials, Problem, credentials_path
from claude_doctor.context import Context, for_context_only, in_thread
from claude_doctor.model import Branch, Category, Finding, FindingMaker, Severity, Surface

#: Claude Code warns "Your login expires in 3 days" (FACTS §3.1).
EXPIRY_WARNING = timedelta(days=3)
INFERENCE_SCOPE = "user:inference"

LOGIN_STEPS = ("claude  # then type /login", "claude auth status")


_login = FindingMaker(Branch.LOGIN)


def _problem_finding(problem: FileProblem) -> Finding:
    unreadable = problem.problem in (Problem.UNREADABLE, Problem.NOT_A_FILE)
    return _login(
        "credentials.unreadable" if unreadable else "credentials.corrupt",
        Severity.FAIL,
        f"the credentials file {problem.message}",
        f"{problem.path} {problem.message}. Claude Code cannot read your login from it and "
        "asks you to log in again.",
        (f"mv {problem.path} {problem.path}.broken", *LOGIN_STEPS),
        path=str(problem.path),
        problem=problem.problem.value,
    )


def _claude_json_finding(problem: FileProblem) -> Finding:
    unreadable = problem.problem in (Problem.UNREADABLE, Problem.NOT_A_FILE)
    cause = "unreadable" if unreadable else "corrupt"
    if problem.problem is Problem.TOO_LARGE:  # a long project history, not damage
        cause = "too_large"
    return _login(
        f"claude_json.{cause}",
        Severity.INFO if cause == "too_large" else Severity.WARN,
        f"~/.claude.json {problem.message}",
        f"{problem.path} {problem.message}. Claude Code keeps the signed-in account and the "
        "API keys you approved there; it cannot use them and may ask you to log in or to "
        "approve the key again.",
        (f"mv {problem.path} {problem.path}.broken  # Claude Code writes a new one", "claude"),
        path=str(problem.path),
        problem=problem.problem.value,
    )


def _expiry_problem(s: _Stored) -> list[Finding]:
    problem = s.creds.expires_at_problem
    if problem is None:
        return []
    return [
        _login(
            "oauth.expiry_unreadable",
            Severity.WARN,
            problem,
            f"The stored login in {s.where} has an expiresAt field that is not a time "
            "(epoch milliseconds). Claude Code cannot tell when the login expires and may "
            "treat it as expired.",
            LOGIN_STEPS,
            **s.facts,
        )
    ]


@dataclass(frozen=True)
class _Stored:
    """The stored OAuth login as each of its findings reads it."""

    creds: OAuthCredentials
    #: The subscription route wins: when another credential does, a stale login does not
    #: break requests, and its findings say so softly.
    in_use: bool
    #: The credentials file, or the macOS Keychain.
    where: str
    facts: dict[str, Any]


def _stored(state: AuthState, creds: OAuthCredentials) -> _Stored:
    in_use = state.route.kind == "subscription"
    facts: dict[str, Any] = {
        "source": creds.source,
        "subscription_type": creds.subscription_type,
        "rate_limit_tier": creds.rate_limit_tier,
        "expires_at": creds.expires_at.isoformat() if creds.expires_at else None,
        "refresh_token_present": bool(creds.refresh_token),
        "scopes": list(creds.scopes) if creds.scopes is not None else None,
        "in_use": in_use,
    }
    where = str(creds.path) if creds.path else "the macOS Keychain"
    return _Stored(creds, in_use, where, facts)


def _oauth_findings(state: AuthState, ctx: Context) -> list[Finding]:
    """The stored OAuth login: signed out, its file's mode, its scopes, its expiry and
    refresh token, or healthy."""
    creds = state.credentials
    if creds is None:
        return []
    s = _stored(state, creds)
    if creds.mcp_only or not creds.present:
        return [_signed_out(s, state)]
    findings = [
        *_mode_findings(s, ctx),
        *_scope_findings(s),
        *_expiry_problem(s),
        *_expiry_findings(s, ctx),
    ]
    if not creds.refresh_token and not any(f.id == "login.oauth.expired" for f in findings):
        findings.append(
            _login(
                "oauth.no_refresh_token",
                Severity.INFO,
                "the login has no refresh token",
                "Without a refresh token Claude Code cannot renew the login by itself; "
                "you will be asked to /login when it expires.",
                (),
                **s.facts,
            )
        )
    if not any(f.severity.is_problem for f in findings):
        plan = creds.subscription_type or "unknown plan"
        until = creds.expires_at.isoformat() if creds.expires_at else "no expiry recorded"
        findings.append(
            _login(
                "oauth.ok",
                Severity.OK,
                f"subscription login present ({plan})",
                f"OAuth login in {s.where}; valid until {until}.",
                (),
                **s.facts,
            )
        )
    return findings


def _signed_out(s: _Stored, state: AuthState) -> Finding:
    """Credentials with no Claude login in them: only MCP logins, or no access token."""
    if s.creds.mcp_only:
        return _login(
            "credentials.mcp_only",
            Severity.WARN,
            f"{s.where} holds only MCP server logins, no Claude login",
            "The stored credentials have MCP OAuth state (mcpOAuth) but no claudeAiOauth "
            "block: Claude Code treats this as signed out.",
            LOGIN_STEPS,
            **s.facts,
        )
    return _login(
        "credentials.no_token",
        Severity.FAIL if s.in_use or state.route.active is None else Severity.INFO,
        f"{s.where} holds no access token",
        "The claudeAiOauth block has no accessToken; log in again.",
        LOGIN_STEPS,
        **s.facts,
    )


def _mode_findings(s: _Stored, ctx: Context) -> list[Finding]:
    mode = s.creds.mode
    # Windows has no such mode bits; its ACLs are out of reach here.
    if mode is None or not mode & 0o077 or ctx.settings.platform.startswith("win"):
        return []
    return [
        _login(
            "credentials.mode",
            Severity.WARN,
            f"the credentials file is readable by others (mode {mode:04o})",
            f"{s.where} should be mode 0600: other users on this machine can read your "
            "login tokens.",
            (f"chmod 600 {s.where}",),
            mode=f"{mode:04o}",
        )
    ]


def _scope_findings(s: _Stored) -> list[Finding]:
    """A ``scopes`` value that is not a list, or a login without the inference scope."""
    creds = s.creds
    if not creds.scopes_valid:
        return [
            _login(
                "credentials.bad_scopes",
                Severity.FAIL if s.in_use else Severity.INFO,
                "the credentials file has a 'scopes' value that is not a list",
                f"{s.where} is corrupt: claudeAiOauth.scopes is not a list. Some Claude Code "
                "versions fail to start the login with it.",
                (f"mv {s.where} {s.where}.broken", *LOGIN_STEPS),
                **s.facts,
            )
        ]
    if creds.scopes is None or INFERENCE_SCOPE in creds.scopes:
        return []
    return [
        _login(
            "oauth.scope_missing",
            Severity.FAIL if s.in_use else Severity.INFO,
            f"the login lacks the {INFERENCE_SCOPE} scope",
            f"The stored login has scopes {', '.join(creds.scopes) or 'none'}; without "
            f"{INFERENCE_SCOPE} it cannot send messages (a token made for another use).",
            LOGIN_STEPS,
            **s.facts,
        )
    ]


def _expiry_findings(s: _Stored, ctx: Context) -> list[Finding]:
    """An expired login (renewable or not), or one that expires within three days."""
    creds = s.creds
    now = ctx.now()
    if creds.expires_at is None:
        return []
    if creds.expires_at <= now:
        return [_expired(s, ctx, now - creds.expires_at)]
    if creds.expires_at - now > EXPIRY_WARNING:
        return []
    left = span(creds.expires_at - now)
    return [
        _login(
            "oauth.expiring",
            Severity.WARN if s.in_use else Severity.INFO,
            f"your login expires in {left}",
            f"The stored login in {s.where} expires in {left}"
            + ("" if creds.refresh_token else " and there is no refresh token")
            + ".",
            LOGIN_STEPS,
            **s.facts,
        )
    ]


def _expired(s: _Stored, ctx: Context, since: timedelta) -> Finding:
    ago = span(since)
    # The access token is short-lived and Claude Code renews it with the refresh token on
    # its own: an expired one with a refresh token is the normal state, not a problem. It is
    # one without a refresh token, or when the error in hand says the login was refused.
    renewable = bool(s.creds.refresh_token) and not _login_refused(ctx)
    severity = Severity.INFO if renewable or not s.in_use else Severity.FAIL
    detail = f"The stored login in {s.where} expired {ago} ago."
    if renewable:
        detail += (
            " This is normal: the access token lasts hours and Claude Code renews it with the "
            "refresh token on its own. Only if it asks you to /login did the renewal fail."
        )
    elif s.creds.refresh_token:
        detail += " The error you pasted says the renewal did not work: log in again."
    else:
        detail += " There is no way to renew it: log in again."
    return _login(
        "oauth.expired",
        severity,
        f"your access token expired {ago} ago; Claude Code renews it"
        if renewable
        else f"your login expired {ago} ago",
        detail,
        () if renewable else LOGIN_STEPS,
        renewable=renewable,
        **s.facts,
    )


def _login_refused(ctx: Context) -> bool:
    """The pasted error is an expired-OAuth or other login error: the renewal failed."""
    signal = ctx.signal
    return signal is not None and (
        signal.category is Category.AUTH_OAUTH_EXPIRED
        or signal.branch is Branch.LOGIN
        or signal.http_status == 401
    )


def _keychain_findings(state: AuthState) -> list[Finding]:
    kc = state.keychain
    if kc is None:
        return []
    if kc.locked:
        return [
            _login(
                "keychain.locked",
                Severity.FAIL,
                "the macOS login keychain is locked",
                "Claude Code keeps its login in the Keychain, which is locked (common over SSH "
                "and after sleep): it says 'Not logged in' right after a successful login.",
                (
                    "security unlock-keychain ~/Library/Keychains/login.keychain-db",
                    "claude setup-token  # a long-lived token for CLAUDE_CODE_OAUTH_TOKEN",
                ),
                service=kc.service,
            )
        ]
    if kc.corrupt:
        return [
            _login(
                "keychain.corrupt",
                Severity.FAIL,
                f"the Keychain item {kc.service} {kc.corrupt}",
                "Claude Code cannot read its login from the Keychain item.",
                LOGIN_STEPS,
                service=kc.service,
            )
        ]
    if kc.present is None:
        return [
            _login(
                "keychain.unknown",
                Severity.INFO,
                "could not ask the Keychain about Claude Code's login",
                kc.error or "",
                service=kc.service,
            )
        ]
    words = "present" if kc.present else "absent"
    return [
        _login(
            "keychain.item",
            Severity.INFO,
            f"Keychain item {kc.service}: {words}",
            f"modified {kc.modified}" if kc.modified else "",
            service=kc.service,
            present=kc.present,
            modified=kc.modified,
        )
    ]


async def login_check(ctx: Context) -> list[Finding]:
    state = await in_thread(lambda: gather(ctx.settings, read_keychain_secret=ctx.consent))
    ctx.secrets.add(*state.secrets())
    findings: list[Finding] = []
    problem = state.credentials_problem
    if problem is not None and problem.problem is not Problem.MISSING:
        findings.append(_problem_finding(problem))
    if state.claude_json_problem is not None:
        findings.append(_claude_json_finding(state.claude_json_problem))
    findings += _keychain_findings(state)
    findings += _oauth_findings(state, ctx)
    if state.route.active is None:
        mcp = state.credentials is not None and state.credentials.mcp_only
        findings.append(
            _login(
                "not_logged_in",
                Severity.FAIL,
                "not logged in: no credential on any route",
                "No API key, auth token, apiKeyHelper, OAuth token, profile or subscription "
                f"login was found (credentials file {credentials_path(ctx.settings)}"
                + (", which holds only MCP logins" if mcp else "")
                + "). Claude Code says 'Not logged in · Please run /login'.",
                LOGIN_STEPS,
            )
        )
    findings += await auth_status_findings(ctx, state)
    surface = ctx.answers.surface
    if surface in ELSEWHERE:
        return for_context_only(
            findings, f"Claude Code's own login; you said the error came from {surface.value}"
        )
    return findings


#: Surfaces whose login is not Claude Code's: its credentials cannot explain their errors.
ELSEWHERE = frozenset({Surface.CLAUDE_AI, Surface.DESKTOP, Surface.API_SDK})
