"""The phrase rules: which words in an error line mean which
:class:`~claude_doctor.model.Category` (and, where the first move differs, which kind), how
sure each is, and the literal a line must hold before a rule's pattern is tried. Pure data
(the wording's sources: FACTS.md §2 and §4); a line's best match is :mod:`.line`'s work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claude_doctor.model import Category


@dataclass(frozen=True)
class Rule:
    """One pattern. ``needle`` is a lower-case literal that must be in the line before the
    regex is tried (cheap); ``priority`` orders rules inside one line (higher = more
    specific) and doubles as the confidence (priority / 100)."""

    category: Category
    needle: str
    pattern: re.Pattern[str]
    priority: int
    kind: str | None = None


def _rule(
    category: Category, needle: str, regex: str, priority: int, kind: str | None = None
) -> Rule:
    return Rule(category, needle, re.compile(regex, re.IGNORECASE), priority, kind)


def _cs_rule(
    category: Category, needle: str, regex: str, priority: int, kind: str | None = None
) -> Rule:
    """A case-sensitive rule (``Overloaded`` the status text, not "overloaded" in prose)."""
    return Rule(category, needle, re.compile(regex), priority, kind)


C = Category
RULES: tuple[Rule, ...] = (
    # --- billing (before rate limits and invalid requests: it arrives as a 400) ---------
    _rule(C.BILLING_CREDIT, "credit balance", r"credit balance (?:is )?too low", 100),
    _rule(
        C.BILLING_CREDIT,
        "credit",
        r"purchase (?:some |more )?credits|insufficient credits?|out of credits",
        95,
    ),
    _rule(C.BILLING_CREDIT, "billing_error", r"\bbilling_error\b", 85),
    _rule(C.BILLING_CREDIT, "add funds", r"add funds", 75),
    # --- rate limits: spend caps, subscription limits, server throttling, tier limits ----
    _rule(
        C.RATE_LIMIT,
        "spend",
        r"enforced_spend_limit_reached|spend (?:limit|cap)",
        100,
        "spend_limit",
    ),
    _rule(
        C.RATE_LIMIT,
        "usage limits",
        r"(?:specified|workspace|your) API usage limits",
        100,
        "spend_limit",
    ),
    _rule(C.RATE_LIMIT, "usage threshold", r"API usage threshold", 100, "spend_limit"),
    _rule(C.RATE_LIMIT, "out of", r"out of (?:extra |your )?usage\b", 95, "usage_cap"),
    _rule(C.RATE_LIMIT, "not your usage limit", r"not your usage limit", 100, "server_throttle"),
    _rule(
        C.RATE_LIMIT, "limiting requests", r"temporarily limiting requests", 100, "server_throttle"
    ),
    _rule(C.RATE_LIMIT, "acceleration", r"acceleration limit", 95, "server_throttle"),
    _rule(
        C.RATE_LIMIT,
        "capacity issue",
        r"\(429\)\W+this may be a temporary capacity",
        95,
        "server_throttle",
    ),
    _rule(
        C.RATE_LIMIT, "usage limit", r"usage limit reached|usage limit\b", 95, "subscription_limit"
    ),
    _rule(C.RATE_LIMIT, "hit your", r"hit your (?:\w+ )?limit", 95, "subscription_limit"),
    _rule(
        C.RATE_LIMIT,
        "messages",
        r"out of free messages|messages? remaining until|message limit reached"
        r"|reached (?:your|the) message limit",
        95,
        "subscription_limit",
    ),
    _rule(C.RATE_LIMIT, "quota exceeded", r"\bquota exceeded\b", 88),
    _rule(
        C.RATE_LIMIT, "aiplatform", r"quota exceeded for aiplatform\.googleapis", 93, "vertex_quota"
    ),
    _rule(
        C.RATE_LIMIT,
        "limit",
        r"\b(?:session|weekly|opus|sonnet|5-hour|5 hour|five-hour) limit\b",
        90,
        "subscription_limit",
    ),
    _rule(
        C.RATE_LIMIT,
        "reset",
        r"limits? will reset|limit\b.{0,40}\bresets? (?:at )?\d",
        90,
        "subscription_limit",
    ),
    _rule(
        C.RATE_LIMIT, "per minute", r"(?:tokens|requests) per (?:minute|day)", 95, "api_tier_limit"
    ),
    _rule(C.RATE_LIMIT, "organization", r"organization'?s? rate limit", 95, "api_tier_limit"),
    _rule(C.RATE_LIMIT, "request rejected", r"request rejected \(429\)", 90),
    _rule(
        C.RATE_LIMIT,
        "too many tokens",
        r"too many tokens,? please wait|too many requests,? please wait",
        95,
        "bedrock_throttle",
    ),
    _rule(C.RATE_LIMIT, "rate", r"rate[- ]limit(?:ed| reached| exceeded)", 90),
    _rule(C.RATE_LIMIT, "ratelimit", r"\bRateLimits?Exceeded\b", 90),
    _rule(C.RATE_LIMIT, "limit exceeded", r"\brequests? limit (?:exceeded|reached)", 90),
    _rule(
        C.RATE_LIMIT,
        "remaining",
        r"anthropic-ratelimit-[\w-]+-remaining\W{1,4}0\b",
        88,
        "api_tier_limit",
    ),
    # A model's context length stated by a server in front of another model.
    _rule(
        C.CONTEXT_TOO_LONG,
        "context length",
        r"longer than the model(?:'|\u2019)?s? (?:maximum )?context length"
        r"|maximum context length is \d",
        95,
    ),
    # Extra usage (paid usage beyond a plan) is needed for what was asked: the API sends it as a
    # 429 rate_limit_error, a gate of the plan's usage.
    _rule(
        C.RATE_LIMIT,
        "usage",
        r"extra usage is required|enable extra usage|/extra-usage\b|usage credits required"
        r"|turn on usage credits",
        92,
        "extra_usage",
    ),
    # A subscription's credential used outside Claude Code; a relay's rule of the same kind.
    _rule(
        C.PERMISSION,
        "authorized for use",
        r"only authorized for use with|cannot be used for other API requests",
        96,
        "oauth_outside_claude_code",
    ),
    _rule(C.PERMISSION, "之外使用", r"之外使用", 95, "gateway_policy"),
    # Cloudflare's own 1xxx codes: the edge refused the caller.
    _rule(C.PERMISSION, "error code: 1", r"\berror code: 1\d{3}\b", 80, "ip_restriction"),
    _rule(C.AUTH_INVALID_KEY, "subscription key", r"invalid subscription key", 95),
    _rule(
        C.AUTH_INVALID_KEY,
        "unauthorizedexception",
        r"\bUnauthorizedException\b",
        90,
        "aws_credentials",
    ),
    # A gateway's "no channel for this model" (new-api, one-api) and its code.
    _rule(C.NOT_FOUND_MODEL, "model_not_found", r"\bmodel_not_found\b", 95),
    _rule(C.NOT_FOUND_MODEL, "无可用渠道", r"模型.{0,80}无可用渠道", 95, "gateway_model"),
    _rule(
        C.REQUEST_TOO_LARGE,
        "maximum of",
        r"\ba maximum of \d+ (?:pdf )?(?:pages|images|files)\b",
        95,
        "attachment_limit",
    ),
    # A payment processor's answer (a checkout on claude.ai), whatever its error type says.
    _rule(
        C.BILLING_CREDIT,
        "stripe",
        r"stripe\.com|support\.stripe|\b(?:setup|payment)_intents?\b",
        86,
        "payment",
    ),
    _rule(C.RATE_LIMIT, "resource exhausted", r"\bresource exhausted\b", 92, "vertex_quota"),
    _rule(C.RATE_LIMIT, "ratelimiterror", r"\bRateLimitError\b", 85),
    _rule(C.RATE_LIMIT, "rate_limit_error", r"\brate_limit_error\b", 80),
    _rule(C.RATE_LIMIT, "too many requests", r"too many requests", 75),
    _rule(C.RATE_LIMIT, "rate limit", r"\brate limit\b", 70),
    # --- overloaded ------------------------------------------------------------------------
    _rule(C.OVERLOADED, "overloaded", r"repeated 529|\boverloaded_error\b", 95),
    _cs_rule(C.OVERLOADED, "overloaded", r"\bOverloaded\b|\bOverloadedError\b", 90),
    _cs_rule(C.OVERLOADED, "overloaded", r"Anthropic\w*(?:Error|Exception) - Overloaded", 95),
    # The API's not_found_error says only "model: <id>".
    _cs_rule(
        C.NOT_FOUND_MODEL,
        "model: claude",
        r"(?:^|[:\"] )model: claude-[\w.:@-]+[\"'}\s]*$",
        85,
    ),
    _rule(C.OVERLOADED, "high load", r"experiencing high load", 90),
    _rule(C.OVERLOADED, "overloaded", r"servers? (?:are|is) overloaded", 92),
    _rule(
        C.OVERLOADED,
        "demand",
        r"experiencing high demand|high demand for",
        88,
        "capacity_banner",
    ),
    _rule(C.OVERLOADED, "model_overloaded", r"\bmodel_overloaded\b", 88, "capacity_banner"),
    _rule(
        C.OVERLOADED,
        "too many connections",
        r"too many connections,? please wait",
        95,
        "bedrock_capacity",
    ),
    _rule(
        C.OVERLOADED,
        "not ready",
        r"model is not ready for inference|not ready to serve inference",
        95,
        "bedrock_not_ready",
    ),
    _rule(
        C.OVERLOADED,
        "capacity",
        r"unexpected capacity constraints|at capacity right now|due to high demand",
        95,
        "capacity_banner",
    ),
    _rule(
        C.OVERLOADED,
        "capacity",
        r"\bMODEL_CAPACITY_EXHAUSTED\b|no capacity available|capacity (?:is )?exhausted",
        96,
        "capacity",
    ),
    _rule(C.OVERLOADED, "out of capacity", r"(?:temporarily )?out of capacity", 96, "capacity"),
    _rule(C.OVERLOADED, "529", r"\b529\b", 55),
    # --- login (OAuth) -------------------------------------------------------------------
    _rule(
        C.AUTH_OAUTH_EXPIRED,
        "oauth",
        r"oauth (?:access )?token (?:has )?(?:expired|been revoked|revoked)",
        100,
    ),
    _rule(C.AUTH_OAUTH_EXPIRED, "oauth", r"oauth session expired|oauth token does not meet", 100),
    _rule(
        C.AUTH_OAUTH_EXPIRED,
        "login",
        r"login (?:has )?expired|your login expires|login session (?:has )?expired",
        95,
    ),
    _rule(C.AUTH_OAUTH_EXPIRED, "not logged in", r"not logged in", 95),
    _rule(C.AUTH_OAUTH_EXPIRED, "bearer", r"invalid bearer token", 90),
    # An OAuth token sent where only an API key is taken: the credential is the wrong kind.
    _rule(
        C.AUTH_INVALID_KEY,
        "oauth",
        r"oauth authentication is currently not supported",
        90,
        "oauth_not_supported",
    ),
    _rule(C.NETWORK_TLS, "certificate signature", r"certificate signature failure", 92),
    _rule(C.INVALID_REQUEST, "beta", r"\binvalid beta flag\b|\bunsupported beta\b", 92),
    _rule(
        C.BILLING_CREDIT,
        "quota",
        r"\binsufficient_quota\b|check your plan and billing details",
        95,
    ),
    _rule(C.PERMISSION, "allow", r"not in the [\w' ]{0,30}allow ?list", 90, "org_policy"),
    _rule(C.RATE_LIMIT, "key limit", r"\bkey limit exceeded\b", 95, "spend_limit"),
    # A browser's request without the header the API asks of browsers (a 401 all the same).
    _rule(
        C.INVALID_REQUEST,
        "direct-browser-access",
        r"dangerous-direct-browser-access",
        96,
        "cors_header",
    ),
    _rule(C.RATE_LIMIT, "rate_limit_exceeded", r"rate_limit_exceeded\b", 95),
    # new-api's failure to reach the provider it relays to.
    _rule(
        C.NETWORK_CONNECTION,
        "request failed",
        r"\bdo[ _]request[ _]failed\b",
        90,
        "gateway_upstream",
    ),
    _rule(
        C.AUTH_INVALID_KEY,
        "api",
        r"\bapi_key_invalid\b|\binvalid_api_key\b|\bapi key\s*无效",
        95,
    ),
    _rule(
        C.PERMISSION,
        "valid, but",
        r"api key is valid, but|refused to complete this request",
        92,
    ),
    _rule(
        C.INVALID_REQUEST,
        "streaming is",
        r"streaming is (?:strongly recommended|required) for operations that may take longer",
        95,
        "max_tokens",
    ),
    _rule(C.AUTH_OAUTH_EXPIRED, "failed to authenticate", r"failed to authenticate", 85),
    _rule(C.AUTH_OAUTH_EXPIRED, "token", r"token (?:has |is )?expired|expired token", 80),
    _rule(C.AUTH_OAUTH_EXPIRED, "/login", r"(?:please )?run /login", 70),
    # --- API key ---------------------------------------------------------------------------
    _rule(C.AUTH_INVALID_KEY, "api key", r"(?:invalid|missing|incorrect) (?:x-)?api[ -]key", 100),
    _rule(
        C.AUTH_INVALID_KEY,
        "key",
        r"missing (?:\w+ ){1,2}api[ -]key|no (?:api )?key is set|no api key (?:available|found)",
        98,
    ),
    _rule(C.AUTH_INVALID_KEY, "api key", r"disabled api key authentication", 100),
    _rule(C.AUTH_INVALID_KEY, "x-api-key", r"x-api-key (?:header )?(?:is required|value)", 100),
    _rule(
        C.AUTH_INVALID_KEY, "authentication method", r"could not resolve authentication method", 95
    ),
    # An SDK or tool that found no key at all.
    _rule(
        C.AUTH_INVALID_KEY,
        "api",
        r"api_key client option must be set|ANTHROPIC_API_KEY environment variable is missing"
        r"|\bno api key (?:found|provided|set|configured)|api key (?:not found|is not set|is"
        r" missing|not provided|not configured)",
        95,
        "no_key",
    ),
    _rule(C.AUTH_INVALID_KEY, "apikeyhelper", r"apikeyhelper", 90),
    _rule(
        C.AUTH_INVALID_KEY,
        "security token",
        r"security token included in the request is (?:invalid|expired)",
        97,
        "aws_credentials",
    ),
    _rule(
        C.AUTH_INVALID_KEY, "authentication credentials", r"invalid authentication credentials", 90
    ),
    _rule(C.AUTH_INVALID_KEY, "authenticationerror", r"\bAuthenticationError\b", 85),
    _rule(C.AUTH_INVALID_KEY, "authentication_error", r"\bauthentication_error\b", 80),
    _rule(C.AUTH_INVALID_KEY, "unauthorized", r"\bunauthorized\b", 60),
    # --- permission -------------------------------------------------------------------------
    _rule(
        C.PERMISSION,
        "countr",
        r"unsupported countr|(?<!might )not available in your"
        r" (?:country|region)|countries, regions",
        95,
        "region",
    ),
    _rule(
        C.PERMISSION,
        "region",
        r"(?<!might )(?:not available|not supported|unavailable) in your region",
        95,
        "region",
    ),
    # A gateway or relay that serves only some clients (a policy of its own).
    _rule(
        C.PERMISSION,
        "only allow",
        r"\bonly allows? [\w ]{1,30} clients\b",
        95,
        "gateway_policy",
    ),
    # Claude Code's startup note names countries whatever the inner reason: a hint only.
    _rule(
        C.PERMISSION,
        "countr",
        r"might not be available in your country|supported-countries",
        60,
        "region",
    ),
    _rule(
        C.PERMISSION,
        "failed to connect to",
        r"failed to connect to [\w.]*anthropic\.com: (?:ERR_BAD_REQUEST|.{0,40}\b403\b)",
        92,
        "region",
    ),
    _rule(C.PERMISSION, "permission", r"caller does not have permission", 90),
    _rule(C.PERMISSION, "operation not allowed", r"\boperation not allowed\b", 90),
    _rule(C.PERMISSION, "forbidden", r"\bforbidden\b", 72),
    _rule(C.PERMISSION, "region not supported", r"region not supported", 95, "region"),
    _rule(C.PERMISSION, "certain regions", r"only available in certain regions", 95, "region"),
    _rule(
        C.PERMISSION,
        "blocked by",
        r"blocked by your (?:organi[sz]ation|company|employer|administrator)",
        95,
        "org_policy",
    ),
    _rule(
        C.PERMISSION,
        "disabled by",
        r"disabled by (?:your |the )?(?:org(?:ani[sz]ation)?\W{0,2} ?)?admin",
        100,
        "org_policy",
    ),
    _rule(
        C.PERMISSION,
        "denied",
        r"\bpermission\W{1,3}[\w.:/-]{3,80}\W{1,3} denied on\b",
        89,
    ),
    # Organisation and admin policy, whatever status carries it.
    _rule(
        C.PERMISSION,
        "organization",
        r"organi[sz]ation has disabled|not allowed for this organi[sz]ation|admin has disabled"
        r"|organi[sz]ation has (?:restricted|blocked)|restricted by your (?:organi[sz]ation|admin)"
        r"|disabled by your (?:organi[sz]ation|admin)"
        r"|oauth_org_not_allowed|ask your admin(?:istrator)? to enable access",
        100,
        "org_policy",
    ),
    _rule(
        C.PERMISSION,
        "polic",
        r"service control polic|explicit deny|because no identity-based policy"
        r"|blocked by (?:your |an? )?(?:organi[sz]ation'?s? |admin\w* )?polic",
        97,
        "org_policy",
    ),
    _rule(
        C.PERMISSION,
        "ip",
        r"ip (?:address )?(?:is )?not (?:allowed|in the allow ?list)|ip restriction"
        r"|ip allowlist",
        96,
        "org_policy",
    ),
    # A cloud account without access to the model.
    _rule(
        C.PERMISSION,
        "access",
        r"model access is denied|(?:don't|do not|doesn't) have access to the model"
        r"|is not allowed to use publisher model",
        96,
        "cloud_model_access",
    ),
    _rule(
        C.PERMISSION,
        "not authorized",
        r"not authorized to (?:perform|invoke|access)",
        96,
        "cloud_model_access",
    ),
    _rule(C.PERMISSION, "request not allowed", r"request not allowed", 85),
    _rule(
        C.PERMISSION,
        "organization",
        r"organization (?:has been )?disabled|organization is"
        r" disabled",
        90,
    ),
    # Claude Code words a 401 and a 403 alike ("Failed to authenticate. API Error: 403 …"):
    # the 403 is the API refusing an authenticated caller, not a lost login.
    _rule(C.PERMISSION, "failed to authenticate", r"failed to authenticate\W+api error: 403\b", 88),
    _rule(C.PERMISSION, "permission to use", r"not have permission to use", 90),
    _rule(C.PERMISSION, "permissiondeniederror", r"\bPermissionDeniedError\b", 85),
    _rule(C.PERMISSION, "permission_error", r"\bpermission_error\b", 80),
    _rule(
        C.PERMISSION, "access to", r"(?:does not|doesn't) have access to|not have permission", 80
    ),
    # --- model not found --------------------------------------------------------------------
    _rule(C.NOT_FOUND_MODEL, "selected model", r"issue with the selected model", 95),
    # Cloud model ids: an id the provider does not take as given.
    _rule(
        C.NOT_FOUND_MODEL,
        "on-demand throughput",
        r"with on-demand throughput isn\S{0,12}t supported|on-demand throughput is not supported"
        r"|(?:doesn.?t|does not) support on-demand throughput",
        100,
        "cloud_inference_profile",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "model",
        r"model identifier is invalid|could not resolve the foundation model|invalid model"
        r" identifier|at 'modelid' failed to satisfy|model (?:id )?\S+ is not supported"
        r"|unsupported model|model \S+ is invalid|invalid model(?: id| name)?\b"
        r"|model_not_supported|model is not supported|support the requested model"
        r"|is infeasible for \S*/models/",
        96,
        "cloud_model_id",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "not supported",
        r"\bclaude[\w.@:-]*\W{0,3} is not supported",
        96,
        "cloud_model_id",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "not available",
        r"not available in (?:this|the) (?:region|deployment)|not (?:available|supported)"
        r" in (?:region|the region)|not available on your \w+ deployment",
        96,
        "cloud_model_id",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "not available",
        r"\b(?:opus|sonnet|haiku|claude)\b(?! code| desktop| app\b| for\b|\.ai| ai\b)"
        r"[\w .@:-]{0,30}? not available\b",
        92,
        "model_unavailable",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "provider",
        r"\bunknown provider(?:=\S+,? model=| for model)|LLM Provider NOT provided",
        92,
        "cloud_model_id",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "publisher model",
        r"publisher model\W{1,3}[\w./@:-]{3,120}\W{1,3} (?:is |was )?not found",
        96,
        "cloud_model_id",
    ),
    _rule(
        C.NOT_FOUND_MODEL,
        "configured",
        r"model may not be configured on your gateway",
        92,
        "gateway_model",
    ),
    _rule(C.NOT_FOUND_MODEL, "model", r"not_found_error\W+message\W+model:", 95),
    _rule(C.NOT_FOUND_MODEL, "did you mean", r"did you mean claude", 90),
    _rule(C.NOT_FOUND_MODEL, "模型", r"模型不存在", 95),
    _rule(
        C.NOT_FOUND_MODEL,
        "model",
        r"model[: ]\S+ (?:was )?not found|model \S+ does not exist"
        r"|model (?:is )?not (?:found|available)|is not a valid model\b",
        90,
    ),
    _rule(C.NOT_FOUND_MODEL, "notfounderror", r"\bNotFoundError\b", 85),
    _rule(C.NOT_FOUND_MODEL, "not_found_error", r"\bnot_found_error\b", 80),
    # --- request too large ------------------------------------------------------------------
    _rule(
        C.REQUEST_TOO_LARGE,
        "too large",
        r"request too large|image was too large|pdf too"
        r" large|request entity too large|payload too large",
        95,
    ),
    _rule(
        C.REQUEST_TOO_LARGE,
        "exceeds",
        r"exceeds the maximum (?:allowed )?size|exceeds max(?:imum)? allowed (?:file )?size",
        95,
    ),
    _rule(
        C.REQUEST_TOO_LARGE,
        "length less than",
        r"member must have length less than or equal to \d{6,}",
        96,
    ),
    _rule(
        C.REQUEST_TOO_LARGE,
        "image",
        r"image.{0,60}(?:exceeds?|larger than|over|must be (?:at most|less than))"
        r" (?:the )?(?:max(?:imum)? )?(?:allowed )?(?:\d[\d,.]* ?(?:mb|bytes|pixels|px)"
        r"|\d+ ?x ?\d+|size|dimension|pixels|file size|resolution)",
        95,
        "image_limit",
    ),
    _rule(C.REQUEST_TOO_LARGE, "image", r"image exceeds \d+ ?mb|image dimensions exceed", 95),
    _rule(C.REQUEST_TOO_LARGE, "requesttoolargeerror", r"\bRequestTooLargeError\b", 85),
    _rule(C.REQUEST_TOO_LARGE, "request_too_large", r"\brequest_too_large\b", 85),
    # --- context too long -------------------------------------------------------------------
    _rule(
        C.CONTEXT_TOO_LONG,
        "too long",
        r"prompt is too long|input is too long|conversation"
        r" too long",
        100,
    ),
    _rule(C.CONTEXT_TOO_LONG, "prompt_too_long", r"prompt_too_long", 100),
    _rule(C.CONTEXT_TOO_LONG, "too long", r"conversation is too long to continue", 96),
    _rule(
        C.CONTEXT_TOO_LONG,
        "token",
        r"tokens? (?:you requested )?exceeds? the model(?:'s)? (?:token )?limit"
        r"|exceeds? (?:the )?(?:model'?s? )?(?:maximum )?(?:token|context) limit"
        r"|maximum (?:number of )?tokens.{0,40}exceed|too many input tokens"
        r"|exceeds? the max(?:imum)? (?:number of )?(?:input |context )?tokens"
        r"|maximum allowed number of input tokens",
        97,
    ),
    _rule(C.CONTEXT_TOO_LONG, "maxlength", r"expected maxlength: \d+, actual: \d+", 96),
    _rule(
        C.CONTEXT_TOO_LONG,
        "length",
        r"(?:message|conversation|chat) (?:is )?(?:too long|exceeds the length)"
        r"|over the length limit|exceeds? the (?:maximum )?length limit"
        r"|length limit for this chat|maximum length for this conversation"
        r"|conversation (?:has )?reached its maximum length",
        97,
        "conversation_length",
    ),
    _rule(C.CONTEXT_TOO_LONG, "context limit", r"context limit reached|exceed context limit", 100),
    _rule(
        C.CONTEXT_TOO_LONG,
        "context",
        r"context window|context exceeds the|maximum context"
        r" length",
        95,
    ),
    # --- invalid request --------------------------------------------------------------------
    _rule(
        C.INVALID_REQUEST,
        "tool_",
        r"tool_use.{0,12} ids were found without|tool_result"
        r".{0,40}(?:tool_use|corresponding)|unexpected .?tool_use_id",
        95,
        "tool_mismatch",
    ),
    _rule(C.INVALID_REQUEST, "prefill", r"does not support assistant message prefill", 95),
    # max_tokens above what the model can write is a parameter, not a prompt, too big.
    _rule(
        C.INVALID_REQUEST,
        "maximum",
        r"maximum\s+tokens\s+you\s+requested\s+exceeds?\s+the\s+model\s+limit"
        r"|maximum allowed number of output tokens",
        101,
        "max_tokens",
    ),
    _rule(
        C.INVALID_REQUEST,
        "image",
        r"could not process image|media type.{0,60}image appears",
        95,
        "image",
    ),
    _rule(C.INVALID_REQUEST, "thinking", r"invalid .?signature.? in .?thinking", 95, "thinking"),
    _rule(
        C.INVALID_REQUEST,
        "content",
        r"must (?:have )?non-empty content|content blocks must"
        r" be non-empty|roles must alternate",
        90,
    ),
    _rule(C.INVALID_REQUEST, "extra inputs", r"extra inputs are not permitted", 85),
    _rule(
        C.INVALID_REQUEST,
        "malformed input",
        r"malformed input request",
        88,
        "bedrock_validation",
    ),
    _rule(C.INVALID_REQUEST, "badrequesterror", r"\bBadRequestError\b", 60),
    _rule(C.INVALID_REQUEST, "unprocessable", r"\bUnprocessableEntityError\b", 60),
    _rule(C.INVALID_REQUEST, "conflict_error", r"\bconflict_error\b", 60),
    _rule(C.INVALID_REQUEST, "invalid_request_error", r"\binvalid_request_error\b", 45),
    # --- TLS --------------------------------------------------------------------------------
    _rule(
        C.NETWORK_TLS,
        "cert",
        r"UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|unable to get local"
        r" issuer|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF"
        r"|DEPTH_ZERO_SELF_SIGNED",
        100,
        "interception",
    ),
    _rule(
        C.NETWORK_TLS,
        "cert",
        r"CERT_HAS_EXPIRED|certificate has expired",
        100,
        "certificate_expired",
    ),
    _rule(
        C.NETWORK_TLS,
        "altname",
        r"ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate'?s altnames",
        100,
        "hostname_mismatch",
    ),
    _rule(
        C.NETWORK_TLS,
        "mismatch",
        r"(?:hostname|host name|certificate) mismatch",
        100,
        "hostname_mismatch",
    ),
    _rule(
        C.NETWORK_TLS,
        "cert",
        r"certificate verify failed|CERTIFICATE_VERIFY_FAILED|ssl"
        r" certificate (?:problem|verification|error)|certificate verification failed",
        95,
    ),
    # A TLS alert outranks the curl or socket code that reported it (curl's 56, a reset).
    _rule(C.NETWORK_TLS, "alert", r"ssl routines:[^\n]{0,60}alert|alert protocol version", 98),
    _rule(
        C.NETWORK_TLS,
        "ssl",
        r"\bSSL(?:Error|CertVerificationError)\b|wrong version number"
        r"|ssl routines|tlsv1 alert|EPROTO\b|PKIX path building failed"
        r"|unable to find valid certification path|unable to (?:get|find) (?:the )?issuer cert",
        90,
    ),
    # --- DNS --------------------------------------------------------------------------------
    _rule(C.NETWORK_DNS, "e", r"\bENOTFOUND\b|\bEAI_AGAIN\b|\bEAI_NONAME\b", 95),
    _rule(
        C.NETWORK_DNS,
        "resol",
        r"could not resolve host|temporary failure in name resolution"
        r"|name resolution",
        95,
    ),
    _rule(
        C.NETWORK_DNS,
        "n",
        r"name or service not known|nodename nor servname|no address"
        r" associated with hostname|getaddrinfo failed|dns lookup failed",
        95,
    ),
    _rule(C.NETWORK_DNS, "getaddrinfo", r"\bgetaddrinfo\b", 85),
    # --- timeouts ---------------------------------------------------------------------------
    _rule(
        C.TIMEOUT, "etimedout", r"\bETIMEDOUT\b|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT", 90
    ),
    _rule(
        C.TIMEOUT,
        "timeout",
        r"\bAPITimeoutError|\b(?:Connect|Read)Timeout\b|\btimeout_error\b",
        90,
    ),
    _rule(C.TIMEOUT, "gateway time", r"gateway time-?out", 90),
    _rule(C.TIMEOUT, "upstream request timeout", r"upstream request timeout", 90, "cdn_timeout"),
    _rule(C.TIMEOUT, "deadlineexceeded", r"DeadlineExceededError", 90),
    _rule(
        C.TIMEOUT,
        "timed out",
        r"request timed out|timed out after|operation timed out"
        r"|connection timed out|curl: \(28\)",
        85,
    ),
    _rule(C.TIMEOUT, "timeout of", r"\btimeout of \d+ ?ms exceeded", 88),
    _rule(C.TIMEOUT, "time", r"\btimed out\b|\btimeout\b", 65),
    # --- connection -------------------------------------------------------------------------
    _rule(
        C.NETWORK_CONNECTION,
        "proxy",
        r"ERR_PROXY_TUNNEL|through your proxy|proxy"
        r" authentication required|tunneling socket could not be established"
        r"|proxy connect aborted|connect tunnel failed",
        95,
        "proxy",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "malformed response",
        r"empty or malformed response",
        95,
        "intercepted_response",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "e",
        r"\bECONNREFUSED\b|\bConnectionRefused\b|connection refused"
        r"|curl: \(7\)",
        90,
        "refused",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "e",
        r"\bECONNRESET\b|connection (?:was )?reset|socket hang up|\bEPIPE\b"
        r"|connection dropped|other side closed",
        90,
        "reset",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "unreach",
        r"\bE(?:HOST|NET)UNREACH\b|no internet route"
        r"|network is unreachable",
        90,
        "unreachable",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "interrupted",
        r"response was interrupted",
        90,
        "dropped_mid_response",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "mid-",
        r"(?:lost|closed) mid-response|stalled mid-stream",
        90,
        "dropped_mid_response",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "connect",
        r"unable to connect to (?:the )?(?:api|anthropic)"
        r"|failed to connect to|couldn'?t connect|can'?t reach the api",
        85,
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "socket",
        r"UND_ERR_SOCKET|socket connection was closed"
        r"|server disconnected|RemoteProtocolError",
        85,
        "reset",
    ),
    _rule(
        C.NETWORK_CONNECTION,
        "connect",
        r"\bAPIConnectionError\b|\bConnectError\b"
        r"|\bConnectionError\b",
        85,
    ),
    _rule(C.NETWORK_CONNECTION, "fetch failed", r"fetch failed", 80),
    _rule(
        C.NETWORK_CONNECTION,
        "closed before",
        r"connection (?:was )?closed before (?:we |it )?received a valid response",
        92,
    ),
    _rule(C.NETWORK_CONNECTION, "connection error", r"connection error", 75),
    _rule(
        C.NETWORK_CONNECTION,
        "reach",
        r"can(?:'|\u2019)?t reach claude|\bAPI (?:is )?unreachable|reachability: unreachable",
        85,
    ),
    # A browser-side fetch that failed before any answer: the error carries an empty cause.
    _rule(C.NETWORK_CONNECTION, "cause", r'"cause"\s*:\s*\{\s*\}', 70),
    _rule(C.NETWORK_CONNECTION, "failed to fetch", r"\bfailed to fetch\b(?! \w)", 74),
    # --- server side ------------------------------------------------------------------------
    _rule(
        C.STATUS_OUTAGE,
        "upstream",
        r"upstream connect error|reset before headers",
        100,
        "upstream_reset",
    ),
    _rule(C.STATUS_OUTAGE, "api_error", r"\bapi_error\b", 80),
    _rule(
        C.STATUS_OUTAGE,
        "unable to process",
        r"bedrock is unable to process your request",
        92,
        "bedrock_unavailable",
    ),
    _rule(C.STATUS_OUTAGE, "server", r"\bInternalServerError\b|ServiceUnavailableError", 75),
    _rule(C.STATUS_OUTAGE, "server-side", r"server-side issue|may be experiencing issues", 70),
    _rule(C.STATUS_OUTAGE, "return soon", r"claude will return soon", 90, "service_disruption"),
    _rule(
        C.STATUS_OUTAGE,
        "working right now",
        r"(?:that(?:'|\u2019)s|(?:isn|wasn)(?:'|\u2019)t|is) not working right now"
        r"|(?:isn|wasn)(?:'|\u2019)t working right now",
        85,
        "service_disruption",
    ),
    _rule(C.STATUS_OUTAGE, "server error", r"\bserver error:? 50[0234]\b", 76),
    # Cloudflare's own error page, even when only its footer was pasted: its link names the
    # error code (a 524 or 522 is the origin's timeout, any other 5xx the service's).
    _rule(C.TIMEOUT, "errorcode_52", r"\berrorcode_52[24]\b", 82, "cdn_timeout"),
    _rule(
        C.STATUS_OUTAGE, "errorcode_5", r"\berrorcode_5(?:0[0-3]|2[0-35-9])\b", 81, "cloudflare_5xx"
    ),
    _rule(
        C.STATUS_OUTAGE,
        "disruption",
        r"temporary service disruption",
        90,
        "service_disruption",
    ),
    _rule(C.STATUS_OUTAGE, "internal server error", r"internal server error", 60),
    _rule(
        C.STATUS_OUTAGE, "gateway", r"bad gateway|service unavailable|web server is returning", 60
    ),
)
del C
