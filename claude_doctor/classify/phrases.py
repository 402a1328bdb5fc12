"""The phrase rules about who may ask: the login, the key and permission (policies, regions,
allowlists). Each says which words in an error line mean which
:class:`~claude_doctor.model.Category` (and, where the first move differs, which kind), how
sure it is, and the literal a line must hold before its pattern is tried. With
:mod:`.phrases_quota` (how much may be asked) before them, and :mod:`.phrases_signin`
(sign-in flows, organizations' members and features, the clouds' and gateways' credentials),
:mod:`.phrases_model` (the
model's name), :mod:`.phrases_relay` (what relays say in their own words),
:mod:`.phrases_request` (the request itself) and :mod:`.phrases_network` (the road and the
server side) after, they make :data:`RULES`, in that order. Pure data (the wording's sources:
FACTS.md §2 and §4); a line's best match is :mod:`.line`'s work.
"""

from __future__ import annotations

from claude_doctor.classify.phrases_model import MODEL_RULES
from claude_doctor.classify.phrases_network import NETWORK_RULES
from claude_doctor.classify.phrases_quota import QUOTA_RULES
from claude_doctor.classify.phrases_relay import RELAY_RULES
from claude_doctor.classify.phrases_request import REQUEST_RULES
from claude_doctor.classify.phrases_signin import SIGN_IN_RULES
from claude_doctor.classify.rules import Rule, rule
from claude_doctor.model import Category

C = Category
ACCESS_RULES: tuple[Rule, ...] = (
    # --- login (OAuth) -------------------------------------------------------------------
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth",
        r"oauth (?:access )?token (?:has )?(?:expired|been revoked|revoked|is invalid)",
        100,
    ),
    rule(C.AUTH_OAUTH_EXPIRED, "oauth", r"oauth session expired|oauth token does not meet", 100),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "login",
        r"login (?:has )?expired|your login expires|login session (?:has )?expired",
        95,
    ),
    rule(C.AUTH_OAUTH_EXPIRED, "not logged in", r"not logged in|\bERROR_NOT_LOGGED_IN\b", 95),
    # Chinese: "the credential / login expired", "log in again".
    rule(C.AUTH_OAUTH_EXPIRED, "过期", r"(?:凭证|登录|登陆)(?:状态)?(?:已)?过期", 90),
    rule(C.AUTH_OAUTH_EXPIRED, "重新登录", r"请?重新登[录陆]", 80),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "authenticated with",
        r"\bnot (?:currently )?authenticated with (?:claude|anthropic)\b",
        92,
    ),
    # A sign-in too old for what it asks, and another tool reusing Claude Code's login.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "session",
        r"\bsession_stale_relogin\b|session is not fresh enough",
        96,
    ),
    rule(C.AUTH_OAUTH_EXPIRED, "sign in again", r"sign in again to continue", 92),
    # A tool that asks for a new sign-in: its session (a key or cookie from a login) is spent.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "logging in again",
        r"\btry logging out and (?:logging|signing) (?:back )?in(?: again)?\b",
        88,
    ),
    # The sign-in's own step (the code traded for a token) failed: signing in again is the fix
    # (a 404 or 405 there is the wrong endpoint, read by its status).
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "token exchange",
        r"(?<!App )\btoken exchange failed\b(?!.*\b40[45]\b)",
        66,
    ),
    # ... refused in words: what the sign-in got back, not the road or the key's rights.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "token exchange",
        r"(?<!App )\btoken exchange failed: (?:forbidden|unauthorized|bad request|invalid_grant)\b",
        78,
        "oauth_login",
    ),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "credentials",
        r"claude(?: code)? credentials are (?:unavailable or )?expired",
        95,
    ),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "bearer",
        r"invalid bearer token|bearer token (?:included in the request )?is invalid",
        90,
    ),
    # A sign-in token's lifetime running out, told as what happens next.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth",
        r"\boauth (?:access )?token\S{0,2} (?:[\w-]+ ){0,4}expires\b",
        96,
    ),
    # Claude Code's wrapper for any 401 or 403: the status and the message decide.
    rule(C.AUTH_OAUTH_EXPIRED, "failed to authenticate", r"failed to authenticate", 45),
    rule(C.AUTH_OAUTH_EXPIRED, "token", r"token (?:has |is )?expired|expired token", 80),
    # Claude Code adds it to any 401 or 403: a weak reading, below what the message says.
    rule(C.AUTH_OAUTH_EXPIRED, "/login", r"(?:please )?run /login", 65),
    # --- API key ---------------------------------------------------------------------------
    rule(C.AUTH_INVALID_KEY, "api key", r"(?:invalid|missing|incorrect) (?:x-)?api[ -]key", 100),
    rule(
        C.AUTH_INVALID_KEY,
        "key",
        r"missing (?:\w+ ){1,2}api[ -]key|no (?:api )?key is set"
        r"|no (?:\w+ )?api key (?:available|found)",
        98,
    ),
    # An organization whose admin turned API-key sign-in off for Claude Code: a policy.
    rule(
        C.PERMISSION,
        "api key authentication",
        r"disabled api key authentication|does not allow claude code to authenticate with"
        r"|ask your admin to enable api key access",
        100,
        "org_policy",
    ),
    rule(C.AUTH_INVALID_KEY, "x-api-key", r"x-api-key (?:header )?(?:is required|value)", 100),
    rule(
        C.AUTH_INVALID_KEY, "authentication method", r"could not resolve authentication method", 95
    ),
    # An SDK or tool that found no key at all.
    rule(
        C.AUTH_INVALID_KEY,
        "api",
        r"api_key client option must be set|ANTHROPIC_API_KEY environment variable is missing"
        r"|\bANTHROPIC_API_KEY environment variable (?:is )?required\b"
        r"|\bno api key (?:found|provided|set|configured)"
        r"|api key (?:not found|is not (?:yet )?set|is missing|not provided|not configured)"
        r"|\bAPI_KEY_REQUIRED\b|\bapi key is required in\b",
        95,
        "no_key",
    ),
    # A gateway that takes only its own keys, told by their prefix.
    rule(C.AUTH_INVALID_KEY, "must start with", r"\bapi key must start with\b", 92),
    rule(C.AUTH_INVALID_KEY, "apikeyhelper", r"apikeyhelper", 90),
    rule(
        C.AUTH_INVALID_KEY,
        "missing",
        r"\bmissing (?:\w+ )?credentials\b|\bauthorization header is missing\b"
        r"|\bmissing authorization header\b",
        92,
        "no_key",
    ),
    # An OAuth token endpoint answers a spent or unknown grant with a 400 (RFC 6749 §5.2).
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth error",
        r"\boauth error\b[^\n]{0,60}\bstatus code 400\b",
        80,
        "oauth_refresh",
    ),
    # A relay's "invalid token" (its own key), in its Chinese words.
    rule(C.AUTH_INVALID_KEY, "无效的令牌", r"无效的令牌|令牌无效", 95),
    rule(C.AUTH_INVALID_KEY, "validate credentials", r"could not validate credentials", 92),
    rule(
        C.AUTH_INVALID_KEY,
        "credential",
        r"\bno (?:auth(?:entication)? |anthropic |claude )?credentials? (?:found|for anthropic"
        r"|for claude)\b",
        92,
        "no_key",
    ),
    # AWS turns a request signed with a skewed clock away: the signature, not the key.
    rule(
        C.AUTH_INVALID_KEY,
        "signature",
        r"\bsignature expired: \d{8}T|\bInvalidSignatureException\b",
        96,
        "aws_credentials",
    ),
    rule(
        C.AUTH_INVALID_KEY,
        "security token",
        r"security token included in the request is invalid",
        97,
        "aws_credentials",
    ),
    # An AWS SSO session that ran out or was never started: renewed with "aws sso login".
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "sso",
        r"\brefresh this SSO session\b|\bin SSO Token\b|\bSSO session\b.{0,60}\bexpired"
        r"|\brun '?aws sso login\b",
        94,
        "aws_sso",
    ),
    # Microsoft Entra ID's sign-in codes (the identity provider of a Bedrock or Foundry
    # federation): a client secret missing, wrong or expired; a grant that ran out; a user
    # the tenant does not let in.
    rule(
        C.AUTH_INVALID_KEY,
        "aadsts",
        r"\bAADSTS(?:7000215|7000218|7000222|50126)\b",
        95,
        "entra_credentials",
    ),
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "aadsts",
        r"\bAADSTS(?:700082|700084|70008|50173|50132)\b",
        95,
        "entra_session",
    ),
    rule(
        C.PERMISSION,
        "aadsts",
        r"\bAADSTS(?:50105|53003|65001)\b",
        95,
        "org_policy",
    ),
    # Temporary AWS credentials (an SSO or assumed-role session) that ran out: renewed by
    # signing in again, like an expired login.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "security token",
        r"security token\s+included in the request is expired",
        97,
        "aws_credentials",
    ),
    rule(
        C.AUTH_INVALID_KEY, "authentication credentials", r"invalid authentication credentials", 90
    ),
    rule(C.AUTH_INVALID_KEY, "authenticationerror", r"\bAuthenticationError\b", 85),
    rule(C.AUTH_INVALID_KEY, "authentication_error", r"\bauthentication_error\b", 80),
    rule(C.AUTH_INVALID_KEY, "unauthorized", r"\bunauthorized\b", 60),
    rule(C.AUTH_INVALID_KEY, "subscription key", r"invalid subscription key", 95),
    # A gateway's or key helper's token it does not take, whatever status carries it.
    rule(C.AUTH_INVALID_KEY, "invalid token", r"\binvalid token\b", 75),
    rule(
        C.AUTH_INVALID_KEY,
        "invalid",
        r"\binvalid[ _]authentication(?:_error)?\b(?! credentials)",
        88,
    ),
    rule(
        C.AUTH_INVALID_KEY,
        "unauthorizedexception",
        r"\bUnauthorizedException\b",
        90,
        "aws_credentials",
    ),
    # An OAuth token sent where only an API key is taken: the credential is the wrong kind.
    rule(
        C.AUTH_INVALID_KEY,
        "oauth",
        r"oauth authentication is currently not supported",
        90,
        "oauth_not_supported",
    ),
    rule(
        C.AUTH_INVALID_KEY,
        "api",
        r"\bapi_key_invalid\b|\binvalid_api_key\b|\bapi key\s*无效",
        95,
    ),
    # --- permission -------------------------------------------------------------------------
    rule(
        C.PERMISSION,
        "countr",
        r"unsupported countr|(?<!might )not available in your"
        r" (?:country|region)|countries, regions",
        95,
        "region",
    ),
    rule(
        C.PERMISSION,
        "region",
        r"(?<!might )(?:not available|not supported|unavailable) in your region"
        r"|(?:doesn't|does not|don't|do not) serve your (?:region|country)",
        95,
        "region",
    ),
    # A gateway or relay that serves only some clients (a policy of its own).
    rule(
        C.PERMISSION,
        "only allow",
        r"\bonly allows? [\w ]{1,30} clients\b",
        95,
        "gateway_policy",
    ),
    # Claude Code's startup note names countries whatever the inner reason: a hint only.
    rule(
        C.PERMISSION,
        "countr",
        r"might not be available in your country|supported-countries",
        60,
        "region",
    ),
    rule(
        C.PERMISSION,
        "failed to connect to",
        r"failed to connect to [\w.]*anthropic\.com: (?:ERR_BAD_REQUEST|.{0,40}\b403\b)",
        92,
        "region",
    ),
    # The same check answered by a server error (the API's, or a proxy's on its way).
    rule(
        C.STATUS_OUTAGE,
        "failed to connect to",
        r"failed to connect to [\w.]*anthropic\.com: [^\n]{0,40}\bstatus code 5\d\d\b",
        92,
    ),
    rule(C.PERMISSION, "permission", r"caller does not have permission", 90),
    rule(C.PERMISSION, "operation not allowed", r"\boperation not allowed\b", 90),
    rule(C.PERMISSION, "forbidden", r"\bforbidden\b", 72),
    rule(C.PERMISSION, "region not supported", r"region not supported", 95, "region"),
    rule(C.PERMISSION, "certain regions", r"only available in certain regions", 95, "region"),
    rule(
        C.PERMISSION,
        "blocked by",
        r"blocked by your (?:organi[sz]ation|company|employer|administrator)",
        95,
        "org_policy",
    ),
    rule(
        C.PERMISSION,
        "disabled by",
        r"disabled by (?:your |the )?(?:org(?:ani[sz]ation)?\W{0,2} ?)?admin",
        100,
        "org_policy",
    ),
    rule(
        C.PERMISSION,
        "denied",
        r"\bpermission\W{1,6}[\w.:/-]{3,80}\W{1,6} denied on\b",
        89,
    ),
    # An editor's command line installing its extension (Claude Code's IDE setup): however
    # the command failed, it is the installer's failure, not the API's.
    rule(C.OTHER, "--install-extension", r"(?<!\w)--install-extension\b", 97, "install"),
    # A command the tool could not start (an MCP server's, a hook's): nothing reached the API.
    rule(C.OTHER, "spawn", r"\bspawn \S+(?: \S+){0,6} ENOENT\b", 97, "install"),
    # A gateway that blocked the account's requests and says whom to ask.
    rule(
        C.PERMISSION,
        "mistake",
        r"\brequest blocked\W{1,4}if you think this is a mistake\b",
        90,
        "org_policy",
    ),
    # A console role that may not do what the sign-in asked (create a key for Claude Code).
    rule(
        C.PERMISSION,
        "requirements for scope",
        r"\bdoes not meet requirements for scope\b|\bone of these roles is required\b",
        94,
        "org_policy",
    ),
    # Organisation and admin policy, whatever status carries it.
    rule(
        C.PERMISSION,
        "organization",
        r"organi[sz]ation has disabled|not allowed for this organi[sz]ation|admin has disabled"
        r"|organi[sz]ation has (?:restricted|blocked)|restricted by your (?:organi[sz]ation|admin)"
        r"|disabled by your (?:organi[sz]ation|admin)"
        r"|oauth_org_not_allowed|ask your admin(?:istrator)? to enable access",
        100,
        "org_policy",
    ),
    rule(
        C.PERMISSION,
        "polic",
        r"service control polic|explicit deny|because no identity-based policy"
        r"|blocked by (?:your |an? )?(?:organi[sz]ation'?s? |admin\w* )?polic",
        97,
        "org_policy",
    ),
    rule(
        C.PERMISSION,
        "ip",
        r"ip (?:address )?(?:is )?not (?:allowed|in the allow ?list)|ip restriction"
        r"|ip allowlist",
        96,
        "org_policy",
    ),
    # A cloud account without access to the model.
    rule(
        C.PERMISSION,
        "access",
        r"model access is denied|(?:don't|do not|doesn't) have access to the model"
        r"|is not allowed to use publisher model",
        96,
        "cloud_model_access",
    ),
    rule(
        C.PERMISSION,
        "not authorized",
        r"not authorized to (?:perform|invoke|access)",
        96,
        "cloud_model_access",
    ),
    rule(C.PERMISSION, "request not allowed", r"request not allowed", 85),
    rule(
        C.PERMISSION,
        "organization",
        r"organization (?:has been )?disabled|organization is"
        r" disabled",
        90,
    ),
    # Claude Code words a 401 and a 403 alike ("Failed to authenticate. API Error: 403 …"):
    # the 403 is the API refusing an authenticated caller, not a lost login.
    rule(C.PERMISSION, "failed to authenticate", r"failed to authenticate\W+api error: 403\b", 88),
    rule(C.PERMISSION, "permission to use", r"not have permission to use", 90),
    rule(C.PERMISSION, "not allowed", r"\bproject not allowed\b", 92, "org_policy"),
    rule(C.PERMISSION, "data center", r"not available from this data ?center", 95, "region"),
    rule(
        C.PERMISSION,
        "your location",
        r"not (?:currently )?available in your location",
        95,
        "region",
    ),
    rule(C.PERMISSION, "not enabled", r"\bregion \S+ is not enabled for your account", 95),
    # A gateway's per-team model allowlist; a seat the organisation has not given.
    rule(C.PERMISSION, "for team", r"\binvalid model for team\b", 97, "org_policy"),
    # A gateway's key or group that may not use the model it asked for.
    rule(C.PERMISSION, "model_not_allowed", r"\bmodel_not_allowed\b", 97, "org_policy"),
    rule(
        C.PERMISSION,
        "named user",
        r"must be a named user on your organization|request an entitlement",
        92,
        "org_policy",
    ),
    rule(
        C.PERMISSION,
        "does not work with your",
        r"model \S+ does not work with your|does not work with your current plan",
        92,
    ),
    # A relay that takes requests from one client only.
    rule(
        C.PERMISSION,
        "client",
        r"\bclient_validation_error\b|only accepts requests from",
        96,
        "gateway_policy",
    ),
    rule(C.PERMISSION, "legal reasons", r"\b451 unavailable for legal reasons", 95, "region"),
    # A relay's retries that ended in the provider's 403: that answer is the cause.
    rule(C.PERMISSION, "last error", r"last error: (?:http )?403\b", 96),
    rule(C.PERMISSION, "permissiondeniederror", r"\bPermissionDeniedError\b", 85),
    rule(C.PERMISSION, "permission_error", r"\bpermission_error\b", 80),
    rule(C.PERMISSION, "access to", r"(?:does not|doesn't) have access to|not have permission", 80),
    # A subscription's credential used outside Claude Code; a relay's rule of the same kind.
    rule(
        C.PERMISSION,
        "authorized for use",
        r"only authorized for use with|cannot be used for other API requests"
        r"|\bdo not use this API outside Claude Code\b",
        96,
        "oauth_outside_claude_code",
    ),
    rule(C.PERMISSION, "之外使用", r"之外使用", 95, "gateway_policy"),
    rule(C.PERMISSION, "permission", r"\bpermission (?:was |is |has been )?denied\b", 80),
    # An OAuth sign-in whose code or state did not come back as sent.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth",
        r"\b(?:missing|mismatched|invalid) (?:or \w+ )?oauth (?:code|state)\b",
        80,
        "oauth_refresh",
    ),
    # A gateway key that may not use the model asked for.
    rule(
        C.PERMISSION,
        "model for",
        r"\b(?:invalid|not allowed|unauthori[sz]ed) model for (?:this |the )?key\b"
        r"|\bkey not allowed to access model\b",
        97,
        "gateway_policy",
    ),
    # A model the account, plan or organization is not entitled to.
    rule(
        C.PERMISSION,
        "not available for",
        r"\bnot (?:yet )?available for (?:this|your)"
        r" (?:account|organi[sz]ation|plan|subscription|tier)\b",
        94,
    ),
    # Claude Code's wording for a key that was refused (a revoked or disabled one).
    rule(C.AUTH_INVALID_KEY, "/login", r"please run /login · API Error: 401\b", 70),
    rule(
        C.AUTH_INVALID_KEY,
        "credentials",
        r"\berror when retrieving credentials\b|\bcredential refresh failed\b"
        r"|\bcould not load credentials\b|\bunable to locate credentials\b",
        92,
        "aws_credentials",
    ),
    # A credential the service says is not valid, whatever exception carries the words.
    rule(
        C.AUTH_INVALID_KEY,
        "credential",
        r"\b(?:provided|supplied|given) credentials? (?:is|are|was|were) (?:invalid|not valid)\b",
        85,
    ),
    rule(
        C.AUTH_INVALID_KEY,
        "could not resolve",
        r"\bcould not resolve (?:api token|authentication)\b",
        95,
        "no_key",
    ),
    rule(
        C.NOT_FOUND_MODEL,
        "provider",
        r"\bprovider (?:'[^']*' )?not found\b",
        85,
        "gateway_model",
    ),
    # A provider that serves no one from the data centre (region) the caller comes from.
    rule(
        C.PERMISSION,
        "data cent",
        r"\bnot (?:access|available|allowed)\w* from (?:the )?data ?cent(?:er|re)\b",
        88,
        "region",
    ),
    # A gateway's policy that blocks one way of calling and names the one it allows.
    rule(C.PERMISSION, "blocked", r"\bis blocked,? please use\b", 85, "gateway_policy"),
    # The Agent Client Protocol's "auth required" error (code -32000): sign in first.
    rule(
        C.AUTH_OAUTH_EXPIRED,
        "authentication required",
        r"[\"']message[\"']\s*:\s*[\"']Authentication required[\"']",
        95,
    ),
    # A plan or account that does not include the model asked for.
    rule(
        C.PERMISSION,
        "able to use",
        r"\b(?:users?|plans?|accounts?|subscribers?)\b[^.\n]{0,40}"
        r"\bnot (?:currently )?able to use\b",
        88,
    ),
    # Cloudflare's own 1xxx codes: the edge refused the caller.
    rule(C.PERMISSION, "error code: 1", r"\berror code: 1\d{3}\b", 80, "ip_restriction"),
    rule(C.PERMISSION, "allow", r"not in the [\w' ]{0,30}allow ?list", 90, "org_policy"),
    rule(
        C.PERMISSION,
        "valid, but",
        r"api key is valid, but|refused to complete this request",
        92,
    ),
)

#: Every phrase rule: among rules of one priority, the earlier wins.
RULES: tuple[Rule, ...] = (
    *QUOTA_RULES,
    *ACCESS_RULES,
    *SIGN_IN_RULES,
    *MODEL_RULES,
    *RELAY_RULES,
    *REQUEST_RULES,
    *NETWORK_RULES,
)
