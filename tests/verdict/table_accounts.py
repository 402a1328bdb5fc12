"""Worlds about who pays and who is logged in: API-key users by intent, a key shadowing a
subscription, malformed keys and failing helpers, renewable and non-renewable expired
logins, no login at all, a corrupt credentials file."""

from __future__ import annotations

from tests.verdict import errors as e
from tests.verdict.world import World, also

SHADOWS = frozenset({"route.api_key_shadows_subscription"})

WORLDS: tuple[World, ...] = (
    # --- API keys ----------------------------------------------------------------------
    World(
        "key_by_intent_idle",
        "A developer with only an API key and no subscription login uses it on purpose: "
        "information, not a problem.",
        "none",
        login="none",
        key="good",
        key_file=".zshrc",
    ),
    World(
        "key_by_intent_credit_low",
        "'Credit balance is too low' on a key-only machine: the key's Console organisation "
        "needs credits; nothing local is wrong.",
        "route",
        login="none",
        key="good",
        key_file=".zshrc",
        error=e.CODE_CREDIT_LOW_400,
    ),
    World(
        "key_shadows_subscription_credit_low",
        "The classic: a Max subscriber's ANTHROPIC_API_KEY from ~/.bashrc bills an empty "
        "Console organisation; unset it.",
        "route",
        key="good",
        error=e.CODE_CREDIT_LOW,
        because_any=SHADOWS,
    ),
    World(
        "key_shadows_subscription_org_429",
        "A subscriber hitting an organisation's rate limit is on the key, not the plan: the "
        "shadowing key explains the 429.",
        "route",
        key="good",
        error=e.CODE_429_ORG,
        because_any=SHADOWS,
    ),
    World(
        "sdk_user_key_beside_subscription_429",
        "The SDK reads ANTHROPIC_API_KEY on purpose: Claude Code's shadowing is not this "
        "user's problem; the 429 is the organisation's rate limit.",
        "rate_limit",
        key="good",
        error=e.SDK_429,
        surface="api_sdk",
    ),
    World(
        "malformed_key_401_during_api_incident",
        "A key cut off at 40 characters gets a 401 whatever Anthropic's state: fix the key; "
        "the incident is listed, it cannot cause that 401.",
        "route",
        also("incident"),
        login="none",
        key="malformed",
        key_file=".zshrc",
        status="api_incident",
        error=e.CODE_INVALID_KEY_401,
        because_any=frozenset({"route.key_malformed"}),
    ),
    World(
        "failing_helper_during_api_incident",
        "The apiKeyHelper exits 1 (its vault token expired): no key, no request, whatever "
        "the incident; fix the helper, the incident is listed.",
        "route",
        also("incident"),
        login="none",
        failing_helper=True,
        status="api_incident",
        error=e.HELPER_FAILED,
        flags=("--run-helpers",),
        because_any=frozenset({"route.api_key_helper.failing"}),
    ),
    World(
        "key_by_intent_sdk_500_api_incident",
        "An SDK 500 during an unresolved incident on the Claude API: wait for the incident.",
        "incident",
        login="none",
        key="good",
        key_file=".zshrc",
        status="api_incident",
        error=e.SDK_500,
        surface="api_sdk",
    ),
    # --- logins ------------------------------------------------------------------------
    World(
        "expired_renewable_idle",
        "The issue's case: an access token that expired an hour ago with its refresh token "
        "present is normal; Claude Code renews it (exit 0).",
        "none",
        login="expired_renewable",
    ),
    World(
        "expired_renewable_oauth_401",
        "A 401 'OAuth token has expired' says the renewal failed: /login.",
        "login",
        login="expired_renewable",
        error=e.CODE_OAUTH_EXPIRED_401,
    ),
    World(
        "expired_without_refresh_token_idle",
        "Expired two days ago with no refresh token: nothing can renew it; /login.",
        "login",
        login="expired_final",
        because_any=frozenset({"login.oauth.expired"}),
    ),
    World(
        "expired_renewable_529",
        "A 529 is capacity; a renewable token is not a problem at all, not even under Also found.",
        "overloaded",
        login="expired_renewable",
        error=e.CODE_529,
    ),
    World(
        "expiring_login_without_refresh_token_529",
        "A login that expires in two days cannot cause a 529: capacity first; the login that "
        "nothing will renew is a real coming problem, under Also found.",
        "overloaded",
        also("login"),
        login="expiring_final",
        error=e.CODE_529,
    ),
    World(
        "settings_file_sets_nothing_unusual",
        "A settings.json with a model alias and permissions is ordinary configuration: "
        "nothing wrong.",
        "none",
        settings={"model": "sonnet", "permissions": {"allow": ["Bash(npm test:*)"]}},
    ),
    World(
        "no_login_online",
        "No credential on any route and the network is fine: log in.",
        "login",
        login="none",
        because_any=frozenset({"login.not_logged_in"}),
    ),
    World(
        "corrupt_credentials_not_logged_in",
        "A truncated .credentials.json makes Claude Code say 'Not logged in': move it aside "
        "and /login.",
        "login",
        login="corrupt",
        error=e.CODE_NOT_LOGGED_IN,
        because_any=frozenset({"login.credentials.corrupt"}),
    ),
    World(
        "usage_limit_subscription",
        "'Claude AI usage limit reached' on a healthy subscription: wait for the reset.",
        "rate_limit",
        error=e.USAGE_LIMIT,
    ),
    World(
        "offline_key_shadowing_subscription",
        "Offline comes first; the key overriding the subscription is a real problem to fix "
        "once online.",
        "network",
        also("route"),
        key="good",
        net="offline",
        also_ids=SHADOWS,
    ),
)
