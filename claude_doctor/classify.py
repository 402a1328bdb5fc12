"""Error text -> :class:`~claude_doctor.model.ErrorSignal`: the one classifier of the tool.

Every pattern that recognises a Claude error lives here (the rest of the tool imports
:func:`classify`, :func:`classify_lines` or :func:`classify_stream`; nothing keeps a second
copy). The wording comes from Claude Code, the API's error bodies, the Python and
TypeScript SDKs, Node/OS network errors, curl and HTML pages put in the API's place, in
their current and older forms (see FACTS.md §2 and §4).

How a text is read:

* It is split into physical lines, ANSI colour codes and carriage returns are dropped, and
  lines a terminal (or Claude Code's ``⎿`` block) wrapped are joined again: an indented line
  continues the one before unless it starts a new message of its own.
* Each joined ("logical") line is matched against the rules; within a line the most
  specific rule wins (a message text beats an ``error.type``, which beats a bare HTTP status).
* Across lines the most recent error wins. A bare phrase ("Internal server error" in
  prose) only counts when no line says anything more specific.

Speed: a log is read in 1 MiB blocks; a cheap prefilter (a few substring scans over the
lower-cased block) finds the lines worth a closer look, and only those are decoded and
matched. Memory stays flat: a line longer than :data:`MAX_LINE` is cut into pieces, and
the request ids kept are capped at :data:`MAX_REQUEST_IDS`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from claude_doctor.model import Branch, Category, ErrorSignal, Surface

#: Bytes read from a stream at a time.
CHUNK = 1 << 20
#: A joined line (or one physical line) longer than this is cut and read in pieces.
MAX_LINE = 64 * 1024
#: Request ids kept from one input; beyond this they are counted, not kept.
MAX_REQUEST_IDS = 10_000
#: Distinct error shapes remembered while reading a log.
CACHE_SIZE = 4096
#: Characters of the message kept in a signal.
MAX_MESSAGE = 500

#: Rules at or above this priority are "strong": they outrank any later weak match.
STRONG = 70

#: The branch each category leads to (DESIGN.md). The three request categories lead to
#: ``session`` when the error came from Claude Code (the transcript carries the fault) and to
#: ``payload`` everywhere else (the caller's own request body does).
CATEGORY_BRANCH: dict[Category, Branch] = {
    Category.STATUS_OUTAGE: Branch.INCIDENT,
    Category.OVERLOADED: Branch.OVERLOADED,
    Category.RATE_LIMIT: Branch.RATE_LIMIT,
    Category.AUTH_INVALID_KEY: Branch.ROUTE,
    Category.AUTH_OAUTH_EXPIRED: Branch.LOGIN,
    Category.PERMISSION: Branch.ROUTE,
    Category.NOT_FOUND_MODEL: Branch.ROUTE,
    Category.REQUEST_TOO_LARGE: Branch.PAYLOAD,
    Category.CONTEXT_TOO_LONG: Branch.PAYLOAD,
    Category.INVALID_REQUEST: Branch.PAYLOAD,
    Category.NETWORK_DNS: Branch.NETWORK,
    Category.NETWORK_TLS: Branch.NETWORK,
    Category.NETWORK_CONNECTION: Branch.NETWORK,
    Category.TIMEOUT: Branch.NETWORK,
    Category.BILLING_CREDIT: Branch.ROUTE,
    Category.OTHER: Branch.NONE,
}
SESSION_IN_CLAUDE_CODE = frozenset(
    {Category.REQUEST_TOO_LARGE, Category.CONTEXT_TOO_LONG, Category.INVALID_REQUEST}
)


def branch_for(category: Category, surface: Surface) -> Branch:
    """The branch of ``category`` for an error met on ``surface``."""
    if category in SESSION_IN_CLAUDE_CODE and surface is Surface.CLAUDE_CODE:
        return Branch.SESSION
    return CATEGORY_BRANCH[category]


# --------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------


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
    _rule(C.BILLING_CREDIT, "credit", r"purchase credits|insufficient credits?", 95),
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
    _rule(C.RATE_LIMIT, "rate limit", r"rate limit(?:ed| reached| exceeded)", 90),
    _rule(C.RATE_LIMIT, "ratelimiterror", r"\bRateLimitError\b", 85),
    _rule(C.RATE_LIMIT, "rate_limit_error", r"\brate_limit_error\b", 80),
    _rule(C.RATE_LIMIT, "too many requests", r"too many requests", 75),
    _rule(C.RATE_LIMIT, "rate limit", r"\brate limit\b", 70),
    # --- overloaded ------------------------------------------------------------------------
    _rule(C.OVERLOADED, "overloaded", r"repeated 529|\boverloaded_error\b", 95),
    _cs_rule(C.OVERLOADED, "overloaded", r"\bOverloaded\b|\bOverloadedError\b", 90),
    _rule(C.OVERLOADED, "high load", r"experiencing high load", 90),
    _rule(C.OVERLOADED, "529", r"\b529\b", 55),
    # --- login (OAuth) -------------------------------------------------------------------
    _rule(
        C.AUTH_OAUTH_EXPIRED, "oauth", r"oauth token (?:has )?(?:expired|been revoked|revoked)", 100
    ),
    _rule(C.AUTH_OAUTH_EXPIRED, "oauth", r"oauth session expired|oauth token does not meet", 100),
    _rule(C.AUTH_OAUTH_EXPIRED, "login expire", r"login expired|your login expires", 95),
    _rule(C.AUTH_OAUTH_EXPIRED, "not logged in", r"not logged in", 95),
    _rule(C.AUTH_OAUTH_EXPIRED, "bearer", r"invalid bearer token", 90),
    _rule(C.AUTH_OAUTH_EXPIRED, "oauth", r"oauth authentication is currently not supported", 90),
    _rule(C.AUTH_OAUTH_EXPIRED, "failed to authenticate", r"failed to authenticate", 85),
    _rule(C.AUTH_OAUTH_EXPIRED, "token", r"token (?:has )?expired|expired token", 80),
    _rule(C.AUTH_OAUTH_EXPIRED, "/login", r"(?:please )?run /login", 70),
    # --- API key ---------------------------------------------------------------------------
    _rule(C.AUTH_INVALID_KEY, "api key", r"(?:invalid|missing|incorrect) (?:x-)?api[ -]key", 100),
    _rule(C.AUTH_INVALID_KEY, "api key", r"disabled api key authentication", 100),
    _rule(C.AUTH_INVALID_KEY, "x-api-key", r"x-api-key (?:header )?(?:is required|value)", 100),
    _rule(
        C.AUTH_INVALID_KEY, "authentication method", r"could not resolve authentication method", 95
    ),
    _rule(C.AUTH_INVALID_KEY, "apikeyhelper", r"apikeyhelper", 90),
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
        r"unsupported countr|supported-countries|not available in your"
        r" (?:country|region)|countries, regions",
        95,
        "region",
    ),
    _rule(C.PERMISSION, "region not supported", r"region not supported", 95, "region"),
    _rule(C.PERMISSION, "request not allowed", r"request not allowed", 85),
    _rule(
        C.PERMISSION,
        "organization",
        r"organization (?:has been )?disabled|organization is"
        r" disabled",
        90,
    ),
    _rule(C.PERMISSION, "permissiondeniederror", r"\bPermissionDeniedError\b", 85),
    _rule(C.PERMISSION, "permission_error", r"\bpermission_error\b", 80),
    _rule(
        C.PERMISSION, "access to", r"(?:does not|doesn't) have access to|not have permission", 80
    ),
    # --- model not found --------------------------------------------------------------------
    _rule(C.NOT_FOUND_MODEL, "selected model", r"issue with the selected model", 95),
    _rule(C.NOT_FOUND_MODEL, "model", r"not_found_error\W+message\W+model:", 95),
    _rule(C.NOT_FOUND_MODEL, "did you mean", r"did you mean claude", 90),
    _rule(
        C.NOT_FOUND_MODEL,
        "model",
        r"model[: ]\S+ (?:was )?not found|model \S+ does not exist"
        r"|model (?:is )?not (?:found|available)",
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
    _rule(C.REQUEST_TOO_LARGE, "maximum size", r"exceeds the maximum size", 95),
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
        r"ERR_TLS_CERT_ALTNAME_INVALID|hostname mismatch",
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
    _rule(
        C.NETWORK_TLS,
        "ssl",
        r"\bSSL(?:Error|CertVerificationError)\b|wrong version number"
        r"|ssl routines|tlsv1 alert|EPROTO\b",
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
        r"\bAPITimeoutError|\b(?:Connect|Read)Timeout\b|\btimeout_error"
        r"\b|DeadlineExceededError|gateway time-?out",
        90,
    ),
    _rule(
        C.TIMEOUT,
        "timed out",
        r"request timed out|timed out after|operation timed out"
        r"|connection timed out|curl: \(28\)",
        85,
    ),
    _rule(C.TIMEOUT, "time", r"\btimed out\b|\btimeout\b", 65),
    # --- connection -------------------------------------------------------------------------
    _rule(
        C.NETWORK_CONNECTION,
        "proxy",
        r"ERR_PROXY_TUNNEL|through your proxy|proxy"
        r" authentication required|tunneling socket could not be established",
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
        r"\bECONNRESET\b|connection reset|socket hang up|\bEPIPE\b"
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
    _rule(C.NETWORK_CONNECTION, "connection error", r"connection error", 75),
    # --- server side ------------------------------------------------------------------------
    _rule(
        C.STATUS_OUTAGE,
        "upstream",
        r"upstream connect error|reset before headers",
        100,
        "upstream_reset",
    ),
    _rule(C.STATUS_OUTAGE, "api_error", r"\bapi_error\b", 80),
    _rule(C.STATUS_OUTAGE, "server", r"\bInternalServerError\b|ServiceUnavailableError", 75),
    _rule(C.STATUS_OUTAGE, "server-side", r"server-side issue|may be experiencing issues", 70),
    _rule(C.STATUS_OUTAGE, "internal server error", r"internal server error", 60),
    _rule(
        C.STATUS_OUTAGE, "gateway", r"bad gateway|service unavailable|web server is returning", 60
    ),
)
del C

#: HTTP status -> category when only a status is known.
STATUS_CATEGORY: dict[int, Category] = {
    400: Category.INVALID_REQUEST,
    401: Category.AUTH_INVALID_KEY,
    402: Category.BILLING_CREDIT,
    403: Category.PERMISSION,
    404: Category.NOT_FOUND_MODEL,
    408: Category.TIMEOUT,
    409: Category.INVALID_REQUEST,
    413: Category.REQUEST_TOO_LARGE,
    422: Category.INVALID_REQUEST,
    429: Category.RATE_LIMIT,
    500: Category.STATUS_OUTAGE,
    502: Category.STATUS_OUTAGE,
    503: Category.STATUS_OUTAGE,
    504: Category.TIMEOUT,
    520: Category.STATUS_OUTAGE,
    521: Category.STATUS_OUTAGE,
    522: Category.TIMEOUT,
    523: Category.STATUS_OUTAGE,
    524: Category.TIMEOUT,
    529: Category.OVERLOADED,
}
STATUS_PRIORITY = 50

#: SDK exception class -> HTTP status (Python and TypeScript SDKs use the same names).
SDK_CLASS_STATUS: dict[str, int] = {
    "BadRequestError": 400,
    "AuthenticationError": 401,
    "PermissionDeniedError": 403,
    "NotFoundError": 404,
    "ConflictError": 409,
    "RequestTooLargeError": 413,
    "UnprocessableEntityError": 422,
    "RateLimitError": 429,
    "InternalServerError": 500,
    "ServiceUnavailableError": 503,
    "DeadlineExceededError": 504,
    "OverloadedError": 529,
}

_STATUS_PATTERNS = (
    # Claude Code: "API Error: 500 …", "API Error (529 {…}) · Retrying", "API Error: 401 …"
    re.compile(r"API Error:? ?\(?(\d{3})\b"),
    # Python SDK: "Error code: 429 - {…}"; TS SDK / stack dumps: "Error: 500 {…"
    re.compile(r"Error code: (\d{3})\b"),
    re.compile(r"\b(?:[A-Z]\w*)?Error:? (\d{3}) [{<\"\w]"),
    re.compile(r"\bHTTP/\d(?:\.\d)? (\d{3})\b"),
    re.compile(r"\bstatus(?:[ _]?code)?[\"']?\s*[:=]?\s*(\d{3})\b", re.IGNORECASE),
    re.compile(r"\((\d{3})\)"),
    re.compile(
        r"\b(\d{3}) (?:Overloaded|Internal Server Error|Bad Gateway|Service Unavailable"
        r"|Gateway Time-?out|Too Many Requests|Forbidden|Unauthorized|Not Found"
        r"|Request Entity Too Large|Payload Too Large)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(\d{3}):? (?:Web server|Connection timed out|A timeout occurred)"),
)
_SDK_CLASS = re.compile(r"\b(" + "|".join(SDK_CLASS_STATUS) + r")\b")
_ERROR_TYPE = re.compile(r"[\"']type[\"']\s*:\s*[\"']([a-z_]+)[\"']")
_ERROR_CODE = re.compile(r"[\"']error_code[\"']\s*:\s*[\"']([a-z_]+)[\"']")
_MESSAGE = re.compile(r"[\"']message[\"']\s*:\s*\"((?:[^\"\\]|\\.){1,2000})\"")
_MESSAGE_PY = re.compile(r"'message'\s*:\s*'((?:[^'\\]|\\.){1,2000})'")
_REQUEST_ID = re.compile(
    r"\b(req_[A-Za-z0-9_]{6,})"
    r"|\brequest[-_ ]?id[\"']?\s*[:=]\s*[\"']?(?!req_)([A-Za-z0-9][A-Za-z0-9_\-]{7,})",
    re.IGNORECASE,
)
_RETRY_AFTER = re.compile(
    r"retry[-_ ]after(-ms)?[\"']?\s*[:=]?\s*[\"']?(\d+(?:\.\d+)?)|try again in (\d+(?:\.\d+)?)"
    r" ?(?:s\b|sec|second)",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"
)
# Parts of a line that change between repeats of one error (ids, time stamps).
_VOLATILE = re.compile(
    r"\breq_[A-Za-z0-9_]+|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_HTML = re.compile(r"<!doctype html|<html\b", re.IGNORECASE)
_CLOUDFLARE = re.compile(r"cloudflare|cdn-cgi|cf-ray|just a moment", re.IGNORECASE)
_CHALLENGE = re.compile(
    r"just a moment|challenge-platform|cf-chl|attention required", re.IGNORECASE
)
_ANTHROPIC_HOST = re.compile(r"anthropic\.com|claude\.(?:com|ai)", re.IGNORECASE)
# A gateway or custom base URL in a 5xx: a local address, a named gateway product, or Claude
# Code's "check <host>" pointing at something other than the status page.
_GATEWAY = re.compile(
    r"\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?|litellm|openrouter|one-api"
    r"|new-api|claude-code-router|ANTHROPIC_BASE_URL|\bgateway\b(?! time)"
    r"|check (?:https?://)?(?!status\.(?:claude|anthropic)\.com)[a-z0-9-]+(?:\.[a-z0-9-]+)+",
    re.IGNORECASE,
)
_RATE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("spend_limit", re.compile(r"spend|usage limits|usage threshold", re.IGNORECASE)),
    (
        "subscription_limit",
        re.compile(
            r"usage limit|hit your|resets? |session limit|weekly"
            r"|opus limit|5-hour",
            re.IGNORECASE,
        ),
    ),
    (
        "server_throttle",
        re.compile(r"not your usage|temporarily limiting|capacity|acceleration", re.IGNORECASE),
    ),
    (
        "api_tier_limit",
        re.compile(
            r"per minute|organization'?s? rate limit|usage tier"
            r"|anthropic-ratelimit",
            re.IGNORECASE,
        ),
    ),
)

_SURFACES: tuple[tuple[Surface, re.Pattern[str]], ...] = (
    (
        Surface.CLAUDE_CODE,
        re.compile(
            r"API Error\b|Repeated 529|run /login|/compact|/model\b|Claude Code|claude-code|⎿"
            r"|Retrying in \d"
            r"|\$bunfs|claude\.exe|Context limit reached|Fix external API key|Please run /login"
        ),
    ),
    (
        Surface.API_SDK,
        re.compile(
            r"\banthropic\.\w*Error|Error code: \d{3} - |Traceback \(most recent|@anthropic-ai/sdk"
            r"|site-packages[/\\]anthropic|anthropic[/\\]_base_client|\b\w+Error: \d{3} \{"
        ),
    ),
    (
        Surface.DESKTOP,
        re.compile(r"Claude Desktop|Claude\.app|claude_desktop_config|desktop app", re.IGNORECASE),
    ),
    (Surface.CLAUDE_AI, re.compile(r"limit for Claude messages|claude\.ai/settings|on claude\.ai")),
    (
        Surface.OTHER_TOOL,
        re.compile(
            r"litellm|\bcline\b|openrouter|continuedev|langchain|dify|open-webui|bolt\.new|aider",
            re.IGNORECASE,
        ),
    ),
)

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_SPACE = re.compile(r"[ \t\f\v\u00a0]+")
# An indented line that starts a message of its own rather than continuing the line above.
_EVENT_START = re.compile(
    r"(?:⎿|●|⏺|✻|✘|❯|>|\[|API Error|Error\b|error:|\d{4}-\d{2}-\d{2}|[A-Z]\w*(?:Error|Exception)"
    r"\b)"
)

# The prefilter: lower-case literals, at least one of which is in every line a rule can
# match. Kept short on purpose: each costs one pass over the block.
_GATE = (
    b"err",  # error, errors, Errno, ERR_PROXY_TUNNEL, UND_ERR_SOCKET, *Error classes
    b"limit",
    b"overload",
    b"login",  # "/login", "Login expired"
    b"api key",
    b"too",  # too large, too long, too low, prompt_too_long
    b"unable to",
    b"fail",  # fetch failed, verify failed, Failed to connect / authenticate
    b"cert",
    b"hang up",
    b"time",  # timed out, timeout
    b"<html",
    b"req_",
    b"oauth",
    b"connection",
    b"exist",  # "the selected model ... may not exist"
)
# Node/OS error codes, matched case-sensitively on the raw block (one fast pass: 'E' prefix).
_GATE_CODES = re.compile(rb"E(?:CONN|NOTFOUND|AI_|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE|PROTO)")


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """The best rule match in one logical line."""

    category: Category
    priority: int
    kind: str | None
    matched: str


@dataclass
class LogSummary:
    """What a stream of text holds: the most recent error as the signal, how many errors of
    each category, and every request id in order."""

    signal: ErrorSignal | None = None
    counts: dict[str, int] = field(default_factory=dict)
    request_ids: list[str] = field(default_factory=list)
    #: Request ids seen beyond :data:`MAX_REQUEST_IDS` (counted, not kept).
    request_ids_dropped: int = 0
    lines: int = 0
    bytes_read: int = 0
    #: Lines longer than :data:`MAX_LINE` that were read in pieces.
    long_lines: int = 0
    #: The input held NUL bytes (binary); an examined line held bytes that are not UTF-8.
    binary: bool = False
    invalid_utf8: bool = False

    @property
    def errors(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "bytes": self.bytes_read,
            "errors": self.errors,
            "counts": dict(sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))),
            "request_ids": list(self.request_ids),
            "request_ids_dropped": self.request_ids_dropped,
            "long_lines": self.long_lines,
            "binary": self.binary,
            "invalid_utf8": self.invalid_utf8,
        }


# --------------------------------------------------------------------------------------
# Matching one logical line
# --------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Drop ANSI codes and carriage returns, collapse runs of blanks."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "\r" in text:
        text = text.replace("\r", "")
    return _SPACE.sub(" ", text).strip()


def http_status_of(line: str) -> int | None:
    for pattern in _STATUS_PATTERNS:
        for m in pattern.finditer(line):
            code = int(m.group(1))
            if 400 <= code <= 599:
                return code
    cls = _SDK_CLASS.search(line)
    if cls:
        return SDK_CLASS_STATUS[cls.group(1)]
    return None


def best_hit(line: str, status: int | None = None) -> Hit | None:
    """The most specific rule matching ``line`` (a normalized logical line), or None."""
    low = line.lower()
    best: Hit | None = None
    for rule in RULES:
        if best is not None and rule.priority <= best.priority:
            continue
        if rule.needle not in low:
            continue
        m = rule.pattern.search(line)
        if m:
            best = Hit(rule.category, rule.priority, rule.kind, m.group(0))
    html = _HTML.search(line)
    if html:
        hit = _html_hit(line, status)
        if best is None or hit.priority > best.priority:
            best = hit
    if status is not None and status in STATUS_CATEGORY:
        if best is None or best.priority < STATUS_PRIORITY:
            best = Hit(STATUS_CATEGORY[status], STATUS_PRIORITY, None, str(status))
        elif best.category is Category.STATUS_OUTAGE and status == 529:
            best = Hit(Category.OVERLOADED, best.priority, None, best.matched)
    return best


def _html_hit(line: str, status: int | None) -> Hit:
    """An HTML page where the API's JSON was expected: Cloudflare's own pages are Anthropic's
    edge (5xx = server side; a challenge = your network is being challenged); any other page
    is a captive portal, proxy or wrong base URL answering instead of the API."""
    cloudflare = bool(_CLOUDFLARE.search(line))
    if cloudflare and _CHALLENGE.search(line):
        return Hit(Category.NETWORK_CONNECTION, 75, "cloudflare_challenge", "Just a moment...")
    if status == 404 or (status is None and "not found" in line.lower()):
        return Hit(Category.NOT_FOUND_MODEL, 75, "html_404_wrong_base_url", "HTML 404 page")
    if cloudflare and (status is None or status >= 500):
        category = STATUS_CATEGORY.get(status or 502, Category.STATUS_OUTAGE)
        return Hit(category, 75, "cloudflare_5xx", "Cloudflare error page")
    if status is not None and status in STATUS_CATEGORY and status != 403 and status < 500:
        return Hit(STATUS_CATEGORY[status], 60, "html_body", "HTML error page")
    return Hit(Category.NETWORK_CONNECTION, 72, "html_intercepted", "HTML page instead of JSON")


def _rate_kind(line: str) -> str | None:
    for kind, pattern in _RATE_KINDS:
        if pattern.search(line):
            return kind
    return None


def surface_of(text: str) -> Surface:
    """Where an error text most likely came from."""
    for surface, pattern in _SURFACES:
        if pattern.search(text):
            return surface
    return Surface.UNKNOWN


def request_ids_of(line: str) -> list[str]:
    out: list[str] = []
    for m in _REQUEST_ID.finditer(line):
        value = m.group(1) or m.group(2)
        if value and value not in out:
            out.append(value)
    return out


def _error_type(line: str) -> str | None:
    for m in _ERROR_TYPE.finditer(line):
        value = m.group(1)
        if value != "error":
            return value
    return None


def _message(line: str) -> str | None:
    m = _MESSAGE.search(line) or _MESSAGE_PY.search(line)
    if not m:
        return None
    raw = m.group(1)
    try:
        return str(json.loads(f'"{raw}"'))
    except ValueError:
        return raw.replace("\\n", "\n").replace('\\"', '"')


def _retry_after(line: str) -> float | None:
    m = _RETRY_AFTER.search(line)
    if not m:
        return None
    if m.group(2):
        value = float(m.group(2))
        return value / 1000 if m.group(1) else value
    return float(m.group(3))


def _occurred_at(line: str) -> str | None:
    matches = list(_TIMESTAMP.finditer(line))
    if not matches:
        return None
    m = matches[-1]
    date, clock, frac, zone = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    if not zone:
        # No zone in the text: keep it as written rather than guess one.
        return f"{date}T{clock}{frac}"
    try:
        parsed = datetime.fromisoformat(
            f"{date}T{clock}{frac[:7]}{'+00:00' if zone == 'Z' else zone}"
        )
    except ValueError:
        return f"{date}T{clock}{frac}{zone}"
    return parsed.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _signal(
    line: str, hit: Hit, status: int | None, surface: Surface | None, request_ids: Iterable[str]
) -> ErrorSignal:
    found_surface = surface or surface_of(line)
    kind = hit.kind
    if hit.category is Category.RATE_LIMIT and kind is None:
        kind = _rate_kind(line)
    if (
        hit.category in (Category.STATUS_OUTAGE, Category.TIMEOUT)
        and kind is None
        and _GATEWAY.search(line)
    ):
        kind = "gateway_error"
    if hit.category is Category.OVERLOADED and status == 500:
        kind = "reported_as_500"
    error_type = _error_type(line)
    code = _ERROR_CODE.search(line)
    if code and hit.category is Category.RATE_LIMIT and kind is None:
        kind = "spend_limit" if "spend" in code.group(1) else None
    message = _message(line) or line
    return ErrorSignal(
        category=hit.category,
        branch=branch_for(hit.category, found_surface),
        message=message[:MAX_MESSAGE],
        http_status=status,
        error_type=error_type,
        request_ids=tuple(request_ids),
        retry_after=_retry_after(line),
        occurred_at=_occurred_at(line),
        surface=found_surface,
        confidence=round(min(hit.priority, 100) / 100, 2),
        matched=hit.matched[:200],
        kind=kind,
    )


# --------------------------------------------------------------------------------------
# Streaming: blocks of bytes -> logical lines -> hits -> one summary
# --------------------------------------------------------------------------------------


class _Collector:
    """Folds classified logical lines into a :class:`LogSummary`."""

    def __init__(self, surface: Surface | None) -> None:
        self.summary = LogSummary()
        self._surface = surface
        self._seen_ids: set[str] = set()
        self._counts: Counter[str] = Counter()
        self._latest_strong: tuple[str, Hit, int | None] | None = None
        self._latest_weak: tuple[str, Hit, int | None] | None = None
        self._surface_votes: Counter[Surface] = Counter()
        # Logs repeat the same error with a new request id or time stamp: classify each
        # shape once. Bounded: cleared when full.
        self._cache: dict[str, tuple[Hit | None, int | None, Surface]] = {}

    def add_ids(self, ids: Iterable[str]) -> None:
        s = self.summary
        for rid in ids:
            if rid in self._seen_ids:
                continue
            if len(s.request_ids) >= MAX_REQUEST_IDS:
                s.request_ids_dropped += 1
                continue
            self._seen_ids.add(rid)
            s.request_ids.append(rid)

    def line(self, raw: str) -> None:
        line = normalize(raw)
        if not line:
            return
        if "req" in line or "equest" in line:
            self.add_ids(request_ids_of(line))
        key = _VOLATILE.sub("", line) if ("req_" in line or line[:1].isdigit()) else line
        cached = self._cache.get(key)
        if cached is None:
            status = http_status_of(line)
            hit = best_hit(line, status)
            found = surface_of(line) if hit is not None else Surface.UNKNOWN
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = (hit, status, found)
        else:
            hit, status, found = cached
        if hit is None:
            return
        self._counts[hit.category.value] += 1
        if found is not Surface.UNKNOWN:
            self._surface_votes[found] += 1
        if hit.priority >= STRONG:
            self._latest_strong = (line, hit, status)
        else:
            self._latest_weak = (line, hit, status)

    def finish(self) -> LogSummary:
        s = self.summary
        s.counts = dict(self._counts)
        chosen = self._latest_strong or self._latest_weak
        if chosen is not None:
            line, hit, status = chosen
            surface = self._surface
            if surface is None:
                surface = surface_of(line)
                if surface is Surface.UNKNOWN and self._surface_votes:
                    surface = self._surface_votes.most_common(1)[0][0]
            ids = s.request_ids or request_ids_of(line)
            s.signal = _signal(line, hit, status, surface, ids)
        return s


def _gate_positions(block: bytes) -> list[int]:
    """Offsets in ``block`` where a prefilter literal occurs (unsorted, may repeat)."""
    low = block.lower()
    found: list[int] = []
    for needle in _GATE:
        pos = low.find(needle)
        while pos != -1:
            found.append(pos)
            pos = low.find(needle, pos + len(needle))
    found.extend(m.start() for m in _GATE_CODES.finditer(block))
    return found


def _is_continuation(block: bytes, start: int, end: int) -> bool:
    """Whether the physical line ``block[start:end]`` continues the line above it."""
    if start >= end:
        return False
    if block[start] == 0x3C:  # "<": a line of an HTML page continues the page
        return True
    if block[start] not in b" \t":
        return False
    head = block[start : min(end, start + 80)].decode("utf-8", "replace")
    head = normalize(head)
    return bool(head) and not _EVENT_START.match(head)


def _line_end(block: bytes, start: int) -> int:
    end = block.find(b"\n", start)
    return len(block) if end == -1 else end


def _logical_spans(block: bytes, positions: list[int]) -> list[tuple[int, int]]:
    """The logical lines (head line + its indented continuations) that hold ``positions``,
    in order. Each is at most :data:`MAX_LINE` bytes; a hit deep inside a longer line gets a
    window of its own."""
    spans: list[tuple[int, int]] = []
    size = len(block)
    covered = -1
    for pos in sorted(set(positions)):
        if pos < covered:
            continue
        start = block.rfind(b"\n", 0, pos) + 1
        head = start
        steps = 0
        while head > 0 and steps < 200 and start - head < MAX_LINE:
            if block[head] not in b" \t<" or not _is_continuation(
                block, head, _line_end(block, head)
            ):
                break
            head = block.rfind(b"\n", 0, head - 1) + 1
            steps += 1
        end = _line_end(block, start)
        steps = 0
        while end < size and steps < 200 and end - head < MAX_LINE:
            nxt = end + 1
            nxt_end = _line_end(block, nxt)
            if not _is_continuation(block, nxt, nxt_end):
                break
            end = nxt_end
            steps += 1
        if pos - head >= MAX_LINE:
            # Inside a giant line: read a window around the hit instead.
            head = max(head, pos - 1024)
        span = (max(head, covered), min(end, head + MAX_LINE))
        if span[0] < span[1]:
            spans.append(span)
        covered = span[1]
    return spans


def _process_block(block: bytes, collector: _Collector) -> None:
    s = collector.summary
    s.lines += block.count(b"\n")
    if b"\x00" in block:
        s.binary = True
    positions = _gate_positions(block)
    if not positions:
        return
    for start, end in _logical_spans(block, positions):
        raw = block[start:end]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            s.invalid_utf8 = True
            text = raw.decode("utf-8", "replace")
        if "\x00" in text:
            text = text.replace("\x00", " ")
        collector.line(text.replace("\n", " "))


def _blocks(chunks: Iterable[bytes], summary: LogSummary) -> Iterator[bytes]:
    """Re-cut ``chunks`` at line boundaries, keeping a head line and its continuations in one
    block; a line with no newline in sight is cut every :data:`CHUNK` bytes (bounded)."""
    carry = b""
    for chunk in chunks:
        if not chunk:
            continue
        summary.bytes_read += len(chunk)
        data = carry + chunk if carry else chunk
        cut = _cut_point(data)
        if len(data) - cut >= CHUNK:
            # No line end in sight: a line longer than a block is read in pieces.
            summary.long_lines += 1
            yield data
            carry = b""
            continue
        if cut > 0:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def _cut_point(data: bytes) -> int:
    """Where to end a block: before the last head line (so its continuations that are still
    to come stay with it), or after the last newline when that head is far back."""
    last_nl = data.rfind(b"\n")
    if last_nl == -1:
        return 0
    # Find the start of the last non-indented line within the tail window.
    pos = last_nl
    floor = max(0, len(data) - MAX_LINE)
    while pos > floor:
        start = data.rfind(b"\n", 0, pos) + 1
        if start < len(data) and data[start : start + 1] not in (b" ", b"\t", b"<"):
            return start if start > 0 else last_nl + 1
        if start == 0:
            break
        pos = start - 1
    return last_nl + 1


def classify_chunks(chunks: Iterable[bytes], *, surface: Surface | None = None) -> LogSummary:
    """Classify a stream given as byte blocks (any sizes). Memory stays bounded."""
    collector = _Collector(surface)
    for block in _blocks(chunks, collector.summary):
        _process_block(block, collector)
    return collector.finish()


def classify_stream(stream: BinaryIO, *, surface: Surface | None = None) -> LogSummary:
    """Classify everything readable from a binary stream (a file, stdin's buffer)."""
    return classify_chunks(iter(lambda: stream.read(CHUNK), b""), surface=surface)


def _encoded(lines: Iterable[str]) -> Iterator[bytes]:
    buf: list[bytes] = []
    size = 0
    for line in lines:
        data = line.encode("utf-8", "replace")
        if not data.endswith(b"\n"):
            data += b"\n"
        buf.append(data)
        size += len(data)
        if size >= CHUNK:
            yield b"".join(buf)
            buf, size = [], 0
    if buf:
        yield b"".join(buf)


def classify_lines(lines: Iterable[str], *, surface: Surface | None = None) -> LogSummary:
    """Classify a log given line by line: the most recent error becomes the signal, every
    error is counted by category, every request id is kept in order."""
    summary = classify_chunks(_encoded(lines), surface=surface)
    # Lines were counted by their newlines; a caller's lines may not carry one.
    return summary


def classify(text: str, *, surface: Surface | None = None) -> ErrorSignal:
    """The signal of one error text (the most recent error in it wins). Text with nothing
    recognisable gives category ``other``."""
    summary = classify_lines(text.splitlines() or [""], surface=surface)
    if summary.signal is not None:
        return summary.signal
    line = normalize(text)
    found = surface or surface_of(line)
    return ErrorSignal(
        category=Category.OTHER,
        branch=branch_for(Category.OTHER, found),
        message=line[:MAX_MESSAGE],
        http_status=http_status_of(line[:MAX_LINE]),
        error_type=_error_type(line[:MAX_LINE]),
        request_ids=tuple(summary.request_ids),
        occurred_at=_occurred_at(line[:MAX_LINE]),
        surface=found,
        confidence=0.0,
    )
