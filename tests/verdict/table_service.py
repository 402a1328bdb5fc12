"""Worlds about Anthropic's side and the session: a status page that cannot be read,
incidents that can or cannot explain the error, incidents on a surface the user does not
use, 529s, resumed sessions, a near-full context, oversized attachments, retired models."""

from __future__ import annotations

from tests.verdict import errors as e
from tests.verdict.world import World, also

SHADOWS = frozenset({"route.api_key_shadows_subscription"})
INCIDENT_OPEN = frozenset({"incident"})

WORLDS: tuple[World, ...] = (
    # --- the status page cannot be read ------------------------------------------------
    World(
        "issue_case_resumed_500_status_500_key_in_bashrc",
        "The issue's case: the status page answered 500, so an incident is open; the resumed "
        "session is a guess (low), never 'not the service'; the ~/.bashrc key is also found.",
        "session",
        also("route"),
        "low",
        key="good",
        status="http_500",
        error=e.CODE_500,
        surface="claude_code",
        via="guided",
        activity="resumed",
        also_ids=SHADOWS,
        open=INCIDENT_OPEN,
        summary_lacks=("not the service",),
    ),
    World(
        "status_500_healthy_idle",
        "Nothing wrong here, but the status page answered 500 and no error was given: an "
        "incident could be what brought the user here (low); exit 0 without --strict.",
        "none",
        confidence="low",
        status="http_500",
        open=INCIDENT_OPEN,
    ),
    World(
        "status_500_healthy_idle_strict",
        "The same machine with --strict: the open incident branch makes the exit code 1.",
        "none",
        confidence="low",
        status="http_500",
        open=INCIDENT_OPEN,
        flags=("--strict",),
    ),
    World(
        "status_500_code_529",
        "A 529 is capacity; with the status page unreadable an incident could be behind it, "
        "so medium.",
        "overloaded",
        confidence="medium",
        status="http_500",
        error=e.CODE_529,
        open=INCIDENT_OPEN,
    ),
    World(
        "status_blocked_code_500_fresh_session",
        "A 500 with a request id and no local cause, the status page blocked here: the "
        "incident cannot be ruled out; say how to check it, never 'not the service'.",
        "none",
        confidence="low",
        status="unreachable",
        error=e.CODE_500,
        open=INCIDENT_OPEN,
        summary_lacks=("not the service",),
    ),
    World(
        "resumed_session_500s_status_500",
        "The resumed session ends in five 500s while a newer session got answers: the "
        "session, strongly; only medium while the status page cannot be read.",
        "session",
        confidence="medium",
        status="http_500",
        session="resumed_500s",
        open=INCIDENT_OPEN,
    ),
    # --- incidents that explain the error, and those that cannot -----------------------
    World(
        "code_529_status_operational",
        "A pasted 529 with the status page operational: Anthropic at capacity; back off, "
        "and the exit code is 1.",
        "overloaded",
        error=e.CODE_529,
    ),
    World(
        "code_529_api_incident",
        "A 529 during an unresolved incident on the Claude API: the incident.",
        "incident",
        status="api_incident",
        error=e.CODE_529,
    ),
    World(
        "code_500_api_incident_key_shadowing",
        "The API incident explains the 500; the key overriding the subscription was "
        "accepted, cannot cause a 500, and is a real second problem.",
        "incident",
        also("route"),
        key="good",
        status="api_incident",
        error=e.CODE_500,
        also_ids=SHADOWS,
    ),
    World(
        "sdk_400_alternate_roles_during_api_incident",
        "'roles must alternate' is the request's own shape: deterministic, an incident "
        "cannot cause it; the incident is listed.",
        "payload",
        also("incident"),
        login="none",
        key="good",
        key_file=".zshrc",
        status="api_incident",
        error=e.SDK_400_ALTERNATE,
        surface="api_sdk",
        via="guided",
        payload=e.ALTERNATE_BODY,
    ),
    World(
        "login_fails_during_code_login_incident",
        "Logging in fails with a 500 during an incident on Claude Code's logins: wait for "
        "it, then /login; the missing login is listed.",
        "incident",
        also("login"),
        login="none",
        status="code_login_incident",
        error=e.OAUTH_500,
        surface="claude_code",
        via="guided",
        activity="login",
    ),
    # --- incidents on a surface the user does not use ----------------------------------
    World(
        "claude_ai_incident_code_529",
        "An outage on claude.ai does not explain a 529 from the API in Claude Code: it is "
        "capacity.",
        "overloaded",
        status="claude_ai_incident",
        error=e.CODE_529,
        surface="claude_code",
    ),
    World(
        "claude_ai_user_during_claude_ai_incident",
        "claude.ai's own outage message during a claude.ai incident; Claude Code's "
        "shadowing key is not this user's problem.",
        "incident",
        key="good",
        status="claude_ai_incident",
        error=e.CLAUDE_AI_DOWN,
        surface="claude_ai",
    ),
    World(
        "desktop_user_during_claude_ai_incident",
        "Claude Desktop relies on claude.ai, which has an incident: wait for it; Claude "
        "Code's shadowing key is not a Desktop user's problem.",
        "incident",
        key="good",
        status="claude_ai_incident",
        surface="desktop",
    ),
    World(
        "code_incident_sdk_user_intercepted",
        "An incident on Claude Code is not on an SDK user's path; every TLS connection is "
        "re-signed by the company's CA.",
        "network",
        login="none",
        key="good",
        key_file=".zshrc",
        status="code_incident",
        net="intercepted",
        error=e.SDK_CONNECTION,
        surface="api_sdk",
        because_any=frozenset({"network.tls.intercepted_everywhere"}),
    ),
    # --- sessions ----------------------------------------------------------------------
    World(
        "resumed_session_500s",
        "A resumed session ending in five 500s while a newer one got answers, status "
        "operational: the session; start fresh.",
        "session",
        session="resumed_500s",
    ),
    World(
        "key_shadowing_plus_resumed_session_500s",
        "The resumed session keeps failing while others work; the shadowing key cannot cause "
        "500s, so it is listed, not the verdict.",
        "session",
        also("route"),
        key="good",
        session="resumed_500s",
        also_ids=SHADOWS,
    ),
    World(
        "key_shadowing_plus_tool_result_400",
        "The 400 about an orphan tool_result is the transcript's own; the key (accepted: "
        "the request reached Anthropic) still overrides the subscription.",
        "session",
        also("route"),
        key="good",
        session="tool_result_400s",
        error=e.CODE_TOOL_RESULT_400,
        also_ids=SHADOWS,
    ),
    World(
        "context_95_percent_with_529",
        "A near-full context cannot cause a 529: capacity first, the context under Also found.",
        "overloaded",
        also("session"),
        session="context_95",
        error=e.CODE_529,
    ),
    World(
        "oversized_image_413_during_api_incident",
        "A 12 MB image in the history makes every request too large, whatever the incident: "
        "the session; the incident is listed.",
        "session",
        also("incident"),
        session="image_12mb",
        status="api_incident",
        error=e.CODE_413,
    ),
    World(
        "prompt_too_long_during_api_incident",
        "'prompt is too long' with the context at 95 %: /compact; the incident cannot cause "
        "it and is listed.",
        "session",
        also("incident"),
        session="context_95",
        status="api_incident",
        error=e.CODE_PROMPT_TOO_LONG,
    ),
    World(
        "resumed_session_pins_retired_model",
        "A session resumed after a day pins a retired model and gets 404s: /model in that session.",
        "session",
        session="retired_model_404s",
        error=e.CODE_MODEL_404,
        because_any=frozenset({"session.model_not_found"}),
    ),
)
