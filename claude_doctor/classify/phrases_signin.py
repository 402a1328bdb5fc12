"""The phrase rules about signing in and being let in: the sign-in flows themselves (the
code pasted back, SSO, the Console's link, a token that ran out), an organization's members
and the features it has turned on, the region and form a provider requires, the clues of a
relay that serves only its own clients, and the credentials a cloud or a gateway has or has
not. Pure data; :mod:`.phrases` puts them right after its own rules in :data:`RULES`.
"""

from __future__ import annotations

from claude_doctor.classify.rules import Rule, rule
from claude_doctor.model import Category

C = Category
SIGN_IN_RULES: tuple[Rule, ...] = (
    # A member not yet let into the organization that manages their sign-in (SSO).
    rule(
        C.PERMISSION,
        "organization",
        r"\bhaven'?t been added to (?:your|the|this|an?) organi[sz]ation\b"
        r"|\baccess managed by your organi[sz]ation\b",
        92,
        "org_policy",
    ),
    # A managed setting that ties the machine to one organization the login cannot prove.
    rule(
        C.PERMISSION,
        "organi",
        r"\bunable to verify organi[sz]ation for\b|\bthis machine requires organi[sz]ation\b",
        92,
        "org_policy",
    ),
    # A relay's or tool's refresh of a sign-in's token, refused (not throttled, not a server
    # error: those are read by their status).
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "refresh",
        r"\b(?:proactive |token |oauth )?refresh failed for\b(?![^\n]{0,80}\b(?:429|5\d\d)\b)"
        r"|\brefreshAccountToken\b",
        85,
        "oauth_refresh",
    ),
    # A sign-in's token a tool could not get, or no longer holds (AWS's words for a bearer
    # token that ran out among them).
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "token",
        r"\bno access token available\b|\bOAuth credentials not found\b"
        r"|\bbearer token included in the request is invalid\b",
        95,
        "oauth_refresh",
    ),
    # Claude Code's login page for a Teams seat, which signs in through the Console.
    rule(C.PERMISSION, "teams", r"\bto log into Claude Code with Teams\b", 88, "org_policy"),
    # An organization's managed settings that must load before Claude Code starts.
    rule(
        C.PERMISSION,
        "managed settings",
        r"\borgani[sz]ation requires remote managed settings\b",
        92,
        "org_policy",
    ),
    # A web client's access code for its relay, missing or wrong.
    rule(C.AUTH_INVALID_KEY, "access code", r"\b(?:empty|missing|invalid|wrong) access code\b", 85),
    # The AWS SDK's sign-in through IAM Identity Center (SSO), failed.
    rule(
        C.AUTH_OAUTH_EXPIRED, "resolvessocredentials", r"\bresolveSSOCredentials\b", 95, "aws_sso"
    ),
    # claude.com's page for a country it does not serve, even as a bare address.
    rule(C.PERMISSION, "unavailable-in-region", r"\bapp-unavailable-in-region\b", 95, "region"),
    # Bedrock's one-time form Anthropic's models require before access, whatever status.
    rule(
        C.PERMISSION,
        "use-case",
        r"\buse[- ]case (?:details )?form\b",
        95,
        "cloud_model_access",
    ),
    # A relay that serves only the clients it knows.
    rule(
        C.PERMISSION,
        "client",
        r"\bunauthori[sz]ed client detected\b"
        r"|\bclient is not authori[sz]ed to use this (?:api )?key\b",
        92,
        "gateway_policy",
    ),
    # Claude Code adds "Please run /login" to a 403 too: the refusal, not the login, decides.
    rule(C.PERMISSION, "api error: 403", r"\bapi error: 403\b[^·]{0,400}· please run /login", 70),
    # Cloudflare's block page ("Sorry, you have been blocked") at the API's edge.
    rule(
        C.PERMISSION,
        "attention required",
        r"\battention required! \| cloudflare\b",
        80,
        "ip_restriction",
    ),
    # Claude Code's sign-in flow: the code pasted back, or the browser's answer, refused.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth error:",
        r"\boauth error: (?![^\n]*status code \d)",
        60,
        "oauth_login",
    ),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "invalid code",
        r"\boauth error: invalid code\b|\bmake sure the full code was copied\b",
        85,
        "oauth_login",
    ),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "sso",
        r"\b(?:fails?|failed|unable|cannot|can'?t|could not) to (?:complete )?(?:the )?"
        r"(?:sso|single sign-on)\b",
        80,
        "sso",
    ),
    # The Console's magic sign-in link, spent or refused.
    rule(C.AUTH_OAUTH_EXPIRED, "this link", r"\bunable to use this link\b", 75, "login_link"),
    # An OAuth access token that ran out, in the credential file's or a secret's own name.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "accesstoken",
        r"\b(?:access_?token|\w*oauth_token)\W{0,3} (?:to |has |is |was |has been )?"
        r"(?:missing/)?(?:expire|revoked)"
        r"|\b\w*OAUTH_TOKEN\W{0,3} [^\n]{0,40}\bno longer (?:being )?accepted\b",
        92,
    ),
    # A relay's XML answer that asks for credentials it was not given.
    rule(C.AUTH_INVALID_KEY, "authenticationrequired", r"\bAuthenticationRequired\b", 88),
    # Claude Code's cloud session refused the repository: GitHub's access, not the request.
    rule(
        C.PERMISSION,
        "github_repo_access_denied",
        r"\bgithub_repo_access_denied\b|\brepository access check failed\b",
        92,
        "org_policy",
    ),
    # The GitHub Action's guard against runs a bot started.
    rule(
        C.PERMISSION,
        "non-human actor",
        r"\bworkflow initiated by non-human actor\b",
        90,
        "ci_policy",
    ),
    # A feature an organization has not turned on.
    rule(
        C.PERMISSION,
        "not enabled for your",
        r"\bis not enabled for your (?:account|organi[sz]ation)\W+contact your admin",
        92,
        "org_policy",
    ),
    # Google's Application Default Credentials that need signing in again.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "reauthentication",
        r"\breauthentication is needed\b",
        95,
        "gcp_credentials",
    ),
    # Google's Application Default Credentials not set up, whatever wrapper carries it.
    rule(
        C.AUTH_INVALID_KEY,
        "credentials",
        r"\bdefault credentials were not found\b|\bcould not load the default credentials\b"
        r"|\bcould not automatically determine credentials\b",
        92,
        "gcp_credentials",
    ),
    # The sign-in's code traded for tokens, refused (a status of 404 or 405 there is the
    # wrong endpoint, read by its status); the browser's redirect the client does not know;
    # the GitHub Action's OIDC token refused.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "exchange",
        r"\bfailed to exchange (?:the )?(?:oauth )?authori[sz]ation code\b(?!.*\b40[45]\b)",
        70,
        "oauth_login",
    ),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "redirect uri",
        r"\bredirect uri \S+ is not supported by (?:the )?client\b",
        85,
        "oauth_login",
    ),
    rule(C.AUTH_OAUTH_EXPIRED, "oidc token", r"\binvalid oidc token\b", 80),
    # Go's Google token source that could not get a token for the call.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth2/google",
        r"\boauth2/google: (?:status code \d{3}|cannot fetch token|invalid_grant)",
        92,
        "gcp_credentials",
    ),
    # AWS's signature missing from the Authorization header: credentials, not access.
    rule(
        C.AUTH_INVALID_KEY,
        "authorization header requires",
        r"\bauthorization header requires '(?:credential|signature|signedheaders)' parameter\b",
        92,
        "cloud_credentials",
    ),
    # A relay that takes only Claude Code's own requests; a gateway's key not allowed the
    # model; a browser extension's organization policy that blocks it.
    rule(
        C.PERMISSION,
        "claude code",
        r"\bnon-claude code (?:cli )?client\b|\binvalid claude code request\b",
        92,
        "gateway_policy",
    ),
    rule(
        C.PERMISSION,
        "call_model",
        r"\bcan_key_call_model\b|\b_can_object_call_model\b",
        90,
        "gateway_policy",
    ),
    rule(
        C.PERMISSION,
        "org_policy",
        r"\borg_policy\W{1,4}block\b|\bpolicy_source\W{1,4}account_disabled\b",
        90,
        "org_policy",
    ),
    # A gateway with no credential of its own for the upstream it relays to.
    rule(
        C.AUTH_INVALID_KEY,
        "auth_unavailable",
        r"\bauth_unavailable\b|\bno auth available\b",
        88,
        "no_key",
    ),
)
