"""The structures an error text is made of, read before any phrase rule: the cloud
providers' error shapes (AWS: ``An error occurred (ThrottlingException) when calling the
InvokeModel operation``, ``botocore.errorfactory.X``, ``"__type"``/``"name"`` with an
exception name, ``$metadata.httpStatusCode``; Google: ``RESOURCE_EXHAUSTED`` and the other
canonical codes, ``google.api_core.exceptions.X``), curl's ``curl: (N)`` codes, Node's and
undici's error codes, HTML pages (their ``<title>``/``<h1>`` and the signatures of CDNs,
reverse proxies and corporate filtering proxies), and texts that are not API errors at all
(MCP servers, a tool's list of possible causes around Claude Code's exit).

Each recogniser gives a :class:`~claude_doctor.classify.rules.Hit` with the category the
structure means and a finer ``kind`` where the first move differs; the line's phrase rules
then compete with it by priority (a provider's message text can be more specific than its
exception name, e.g. a ``ValidationException`` that says "Input is too long")."""

from __future__ import annotations

import re

from claude_doctor.classify.rules import Hit
from claude_doctor.model import Category

C = Category

#: AWS exception name (lower case) -> (category, kind, priority).
AWS_EXCEPTIONS: dict[str, tuple[Category, str, int]] = {
    "throttlingexception": (C.RATE_LIMIT, "bedrock_throttle", 93),
    "servicequotaexceededexception": (C.RATE_LIMIT, "bedrock_quota", 93),
    "toomanyrequestsexception": (C.RATE_LIMIT, "bedrock_throttle", 93),
    "accessdeniedexception": (C.PERMISSION, "bedrock_model_access", 92),
    "unrecognizedclientexception": (C.AUTH_INVALID_KEY, "aws_credentials", 92),
    "expiredtokenexception": (C.AUTH_OAUTH_EXPIRED, "aws_credentials", 92),
    "resourcenotfoundexception": (C.NOT_FOUND_MODEL, "bedrock_model_not_found", 90),
    "validationexception": (C.INVALID_REQUEST, "bedrock_validation", 72),
    "modelnotreadyexception": (C.OVERLOADED, "bedrock_not_ready", 90),
    "serviceunavailableexception": (C.STATUS_OUTAGE, "bedrock_unavailable", 90),
    "internalserverexception": (C.STATUS_OUTAGE, "bedrock_unavailable", 88),
    "modelerrorexception": (C.STATUS_OUTAGE, "bedrock_unavailable", 86),
    "modelstreamerrorexception": (C.STATUS_OUTAGE, "bedrock_unavailable", 86),
    "modeltimeoutexception": (C.TIMEOUT, "bedrock_timeout", 90),
}
AWS_NAME = re.compile(
    r"\((\w+Exception)\) when calling the \w+ operation"
    r"|(?:errorfactory\.|Runtime\.|#|\bcode[\"']?\s*[:=]\s*[\"']?|\b)(\w+Exception)\b"
)

#: Google's canonical codes and ``google.api_core.exceptions`` classes -> (category, kind,
#: priority).
GOOGLE_CODES: dict[str, tuple[Category, str, int]] = {
    "RESOURCE_EXHAUSTED": (C.RATE_LIMIT, "vertex_quota", 93),
    "ResourceExhausted": (C.RATE_LIMIT, "vertex_quota", 93),
    "TooManyRequests": (C.RATE_LIMIT, "vertex_quota", 88),
    "PERMISSION_DENIED": (C.PERMISSION, "vertex_permission", 90),
    "PermissionDenied": (C.PERMISSION, "vertex_permission", 90),
    "FAILED_PRECONDITION": (C.PERMISSION, "vertex_precondition", 76),
    "FailedPrecondition": (C.PERMISSION, "vertex_precondition", 76),
    "NOT_FOUND": (C.NOT_FOUND_MODEL, "vertex_model_not_found", 88),
    "NotFound": (C.NOT_FOUND_MODEL, "vertex_model_not_found", 88),
    "ServiceUnavailable": (C.STATUS_OUTAGE, "vertex_unavailable", 84),
    "DeadlineExceeded": (C.TIMEOUT, "vertex_timeout", 88),
    "UNAUTHENTICATED": (C.AUTH_INVALID_KEY, "gcp_credentials", 90),
    "Unauthenticated": (C.AUTH_INVALID_KEY, "gcp_credentials", 90),
    "DEADLINE_EXCEEDED": (C.TIMEOUT, "vertex_timeout", 88),
    "UNAVAILABLE": (C.STATUS_OUTAGE, "vertex_unavailable", 84),
    "INVALID_ARGUMENT": (C.INVALID_REQUEST, "vertex_invalid", 62),
    "INTERNAL": (C.STATUS_OUTAGE, "vertex_unavailable", 80),
    "InvalidArgument": (C.INVALID_REQUEST, "vertex_invalid", 62),
}
GOOGLE_CODE = re.compile(
    r"(?<![A-Za-z_])(RESOURCE_EXHAUSTED|PERMISSION_DENIED|FAILED_PRECONDITION|NOT_FOUND"
    r"|UNAUTHENTICATED|DEADLINE_EXCEEDED|UNAVAILABLE|INVALID_ARGUMENT)(?![A-Za-z_])"
    r"|(?<![A-Za-z_])(INTERNAL)(?=: |[\"'])"
    r"|google\.api_core\.exceptions\.(\w+)"
)

#: curl's exit codes -> (category, kind).
CURL_CODES: dict[int, tuple[Category, str | None]] = {
    5: (C.NETWORK_DNS, "proxy_resolve"),
    6: (C.NETWORK_DNS, None),
    7: (C.NETWORK_CONNECTION, "refused"),
    8: (C.NETWORK_CONNECTION, None),
    16: (C.NETWORK_CONNECTION, None),
    18: (C.NETWORK_CONNECTION, "reset"),
    28: (C.TIMEOUT, None),
    35: (C.NETWORK_TLS, None),
    51: (C.NETWORK_TLS, None),
    52: (C.NETWORK_CONNECTION, "empty_reply"),
    53: (C.NETWORK_TLS, None),
    54: (C.NETWORK_TLS, None),
    55: (C.NETWORK_CONNECTION, "reset"),
    56: (C.NETWORK_CONNECTION, "reset"),
    58: (C.NETWORK_TLS, None),
    59: (C.NETWORK_TLS, None),
    60: (C.NETWORK_TLS, None),
    66: (C.NETWORK_TLS, None),
    77: (C.NETWORK_TLS, None),
    80: (C.NETWORK_TLS, None),
    83: (C.NETWORK_TLS, None),
    90: (C.NETWORK_TLS, None),
    91: (C.NETWORK_TLS, None),
    92: (C.NETWORK_CONNECTION, "reset"),
    95: (C.NETWORK_CONNECTION, None),
    97: (C.NETWORK_CONNECTION, "proxy"),
}
CURL = re.compile(r"\bcurl: \((\d{1,3})\)|Failed to perform, ErrCode: (\d{1,3})")
CURL_PROXY = re.compile(r"proxy|CONNECT (?:tunnel|aborted)", re.IGNORECASE)

#: Node's, undici's and OpenSSL's error codes that name their cause exactly.
NODE_CODES: dict[str, tuple[Category, str | None]] = {
    "ENOTFOUND": (C.NETWORK_DNS, None),
    "EAI_AGAIN": (C.NETWORK_DNS, None),
    "EAI_NONAME": (C.NETWORK_DNS, None),
    "ECONNREFUSED": (C.NETWORK_CONNECTION, "refused"),
    "ECONNRESET": (C.NETWORK_CONNECTION, "reset"),
    "ECONNABORTED": (C.NETWORK_CONNECTION, "reset"),
    "EPIPE": (C.NETWORK_CONNECTION, "reset"),
    "EHOSTUNREACH": (C.NETWORK_CONNECTION, "unreachable"),
    "ENETUNREACH": (C.NETWORK_CONNECTION, "unreachable"),
    "ETIMEDOUT": (C.TIMEOUT, None),
    "ESOCKETTIMEDOUT": (C.TIMEOUT, None),
    "UND_ERR_CONNECT_TIMEOUT": (C.TIMEOUT, None),
    "UND_ERR_HEADERS_TIMEOUT": (C.TIMEOUT, None),
    "UND_ERR_BODY_TIMEOUT": (C.TIMEOUT, None),
    "UND_ERR_SOCKET": (C.NETWORK_CONNECTION, "reset"),
    "UND_ERR_CLOSED": (C.NETWORK_CONNECTION, "reset"),
    "ERR_PROXY_TUNNEL": (C.NETWORK_CONNECTION, "proxy"),
    "CERT_HAS_EXPIRED": (C.NETWORK_TLS, "certificate_expired"),
    "ERR_TLS_CERT_ALTNAME_INVALID": (C.NETWORK_TLS, "hostname_mismatch"),
    "SELF_SIGNED_CERT_IN_CHAIN": (C.NETWORK_TLS, "interception"),
    "DEPTH_ZERO_SELF_SIGNED_CERT": (C.NETWORK_TLS, "interception"),
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY": (C.NETWORK_TLS, "interception"),
    "UNABLE_TO_GET_ISSUER_CERT": (C.NETWORK_TLS, "interception"),
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE": (C.NETWORK_TLS, "interception"),
    # The rest of OpenSSL's X509 verification codes, as Node (and Bun) name them.
    "UNABLE_TO_GET_CRL": (C.NETWORK_TLS, None),
    "UNABLE_TO_DECRYPT_CERT_SIGNATURE": (C.NETWORK_TLS, None),
    "UNABLE_TO_DECRYPT_CRL_SIGNATURE": (C.NETWORK_TLS, None),
    "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY": (C.NETWORK_TLS, None),
    "CERT_SIGNATURE_FAILURE": (C.NETWORK_TLS, None),
    "CRL_SIGNATURE_FAILURE": (C.NETWORK_TLS, None),
    "CERT_NOT_YET_VALID": (C.NETWORK_TLS, "certificate_expired"),
    "CRL_NOT_YET_VALID": (C.NETWORK_TLS, None),
    "CRL_HAS_EXPIRED": (C.NETWORK_TLS, None),
    "ERROR_IN_CERT_NOT_BEFORE_FIELD": (C.NETWORK_TLS, None),
    "ERROR_IN_CERT_NOT_AFTER_FIELD": (C.NETWORK_TLS, None),
    "ERROR_IN_CRL_LAST_UPDATE_FIELD": (C.NETWORK_TLS, None),
    "ERROR_IN_CRL_NEXT_UPDATE_FIELD": (C.NETWORK_TLS, None),
    "CERT_CHAIN_TOO_LONG": (C.NETWORK_TLS, None),
    "CERT_REVOKED": (C.NETWORK_TLS, None),
    "INVALID_CA": (C.NETWORK_TLS, "interception"),
    "PATH_LENGTH_EXCEEDED": (C.NETWORK_TLS, None),
    "INVALID_PURPOSE": (C.NETWORK_TLS, None),
    "CERT_UNTRUSTED": (C.NETWORK_TLS, "interception"),
    "CERT_REJECTED": (C.NETWORK_TLS, None),
    "HOSTNAME_MISMATCH": (C.NETWORK_TLS, "hostname_mismatch"),
    "UNKNOWN_CERTIFICATE_VERIFICATION_ERROR": (C.NETWORK_TLS, None),
    "EPROTO": (C.NETWORK_TLS, None),
    # Chromium's (Electron's) network error names, as the desktop app and browsers show them.
    "ERR_NAME_NOT_RESOLVED": (C.NETWORK_DNS, None),
    "ERR_NAME_RESOLUTION_FAILED": (C.NETWORK_DNS, None),
    "DNS_PROBE_FINISHED_NXDOMAIN": (C.NETWORK_DNS, None),
    "DNS_PROBE_FINISHED_BAD_CONFIG": (C.NETWORK_DNS, None),
    "DNS_PROBE_FINISHED_NO_INTERNET": (C.NETWORK_CONNECTION, "offline"),
    "ERR_INTERNET_DISCONNECTED": (C.NETWORK_CONNECTION, "offline"),
    "ERR_NETWORK_CHANGED": (C.NETWORK_CONNECTION, "reset"),
    "ERR_CONNECTION_REFUSED": (C.NETWORK_CONNECTION, "refused"),
    "ERR_CONNECTION_RESET": (C.NETWORK_CONNECTION, "reset"),
    "ERR_CONNECTION_CLOSED": (C.NETWORK_CONNECTION, "reset"),
    "ERR_CONNECTION_FAILED": (C.NETWORK_CONNECTION, None),
    "ERR_EMPTY_RESPONSE": (C.NETWORK_CONNECTION, "empty_reply"),
    "ERR_ADDRESS_UNREACHABLE": (C.NETWORK_CONNECTION, "unreachable"),
    "ERR_HTTP2_PROTOCOL_ERROR": (C.NETWORK_CONNECTION, "reset"),
    "ERR_HTTP2_STREAM_CANCEL": (C.NETWORK_CONNECTION, "reset"),
    "ERR_HTTP2_STREAM_ERROR": (C.NETWORK_CONNECTION, "reset"),
    "ERR_HTTP2_SESSION_ERROR": (C.NETWORK_CONNECTION, "reset"),
    "ERR_HTTP2_GOAWAY_SESSION": (C.NETWORK_CONNECTION, "reset"),
    "ERR_HTTP2_INVALID_SESSION": (C.NETWORK_CONNECTION, "reset"),
    "ERR_PROXY_CONNECTION_FAILED": (C.NETWORK_CONNECTION, "proxy"),
    "ERR_TUNNEL_CONNECTION_FAILED": (C.NETWORK_CONNECTION, "proxy"),
    "ERR_CONNECTION_TIMED_OUT": (C.TIMEOUT, None),
    "ERR_TIMED_OUT": (C.TIMEOUT, None),
    "ERR_SSL_PROTOCOL_ERROR": (C.NETWORK_TLS, None),
    "ERR_SOCKET_CONNECTION_TIMEOUT": (C.TIMEOUT, None),
    "ERR_STREAM_PREMATURE_CLOSE": (C.NETWORK_CONNECTION, "reset"),
    "ENETDOWN": (C.NETWORK_CONNECTION, "unreachable"),
    "EHOSTDOWN": (C.NETWORK_CONNECTION, "unreachable"),
    "ENOTCONN": (C.NETWORK_CONNECTION, "reset"),
    "ERR_SOCKET_CLOSED": (C.NETWORK_CONNECTION, "reset"),
    # Windows' socket error names (Winsock).
    "WSAECONNREFUSED": (C.NETWORK_CONNECTION, "refused"),
    "WSAECONNRESET": (C.NETWORK_CONNECTION, "reset"),
    "WSAECONNABORTED": (C.NETWORK_CONNECTION, "reset"),
    "WSAENETUNREACH": (C.NETWORK_CONNECTION, "unreachable"),
    "WSAEHOSTUNREACH": (C.NETWORK_CONNECTION, "unreachable"),
    "WSAETIMEDOUT": (C.TIMEOUT, None),
    "WSAHOST_NOT_FOUND": (C.NETWORK_DNS, None),
    "WSATRY_AGAIN": (C.NETWORK_DNS, None),
    "WSANO_DATA": (C.NETWORK_DNS, None),
    "EADDRNOTAVAIL": (C.NETWORK_CONNECTION, None),
}
NODE_CODE = re.compile(r"\b(" + "|".join(NODE_CODES) + r")\b")
NODE_PRIORITY = 96

#: Exception classes of the HTTP and cloud client libraries that name their failure (Python's
#: socket, ssl, httpx, requests, urllib3 and aiohttp; Java's java.net and javax.net.ssl;
#: .NET; the AWS and Google credential chains) -> (category, kind, priority). A class
#: names the kind of failure; a reason quoted beside it (an errno, an OpenSSL code) is more
#: specific and outranks it, so the connection classes rank low.
EXCEPTION_CLASSES: dict[str, tuple[Category, str | None, int]] = {
    "gaierror": (C.NETWORK_DNS, None, 90),
    "NameResolutionError": (C.NETWORK_DNS, None, 90),
    "ClientConnectorDNSError": (C.NETWORK_DNS, None, 90),
    "UnknownHostException": (C.NETWORK_DNS, None, 90),
    "SSLCertVerificationError": (C.NETWORK_TLS, None, 88),
    "SSLEOFError": (C.NETWORK_TLS, None, 86),
    "SSLZeroReturnError": (C.NETWORK_TLS, None, 86),
    "ClientConnectorCertificateError": (C.NETWORK_TLS, None, 88),
    "ClientConnectorSSLError": (C.NETWORK_TLS, None, 88),
    "ClientSSLError": (C.NETWORK_TLS, None, 88),
    "SSLHandshakeException": (C.NETWORK_TLS, None, 88),
    "SSLPeerUnverifiedException": (C.NETWORK_TLS, None, 88),
    "CertPathValidatorException": (C.NETWORK_TLS, None, 88),
    "ConnectTimeout": (C.TIMEOUT, None, 86),
    "ReadTimeout": (C.TIMEOUT, None, 86),
    "WriteTimeout": (C.TIMEOUT, None, 86),
    "PoolTimeout": (C.TIMEOUT, None, 86),
    "ConnectTimeoutError": (C.TIMEOUT, None, 86),
    "ReadTimeoutError": (C.TIMEOUT, None, 86),
    "ServerTimeoutError": (C.TIMEOUT, None, 86),
    "SocketTimeoutException": (C.TIMEOUT, None, 86),
    "HttpTimeoutException": (C.TIMEOUT, None, 86),
    "HttpConnectTimeoutException": (C.TIMEOUT, None, 86),
    "TaskCanceledException": (C.TIMEOUT, None, 66),
    # undici's timeouts (Node's fetch), which its "fetch failed" only wraps.
    "HeadersTimeoutError": (C.TIMEOUT, None, 86),
    "BodyTimeoutError": (C.TIMEOUT, None, 86),
    "TransferEncodingError": (C.NETWORK_CONNECTION, "reset", 78),
    "ForbiddenException": (C.PERMISSION, None, 85),
    "ConnectionRefusedError": (C.NETWORK_CONNECTION, "refused", 80),
    "ConnectionResetError": (C.NETWORK_CONNECTION, "reset", 80),
    "ConnectionAbortedError": (C.NETWORK_CONNECTION, "reset", 80),
    "BrokenPipeError": (C.NETWORK_CONNECTION, "reset", 78),
    "RemoteProtocolError": (C.NETWORK_CONNECTION, "reset", 78),
    "RemoteDisconnected": (C.NETWORK_CONNECTION, "reset", 78),
    "IncompleteRead": (C.NETWORK_CONNECTION, "reset", 78),
    "ChunkedEncodingError": (C.NETWORK_CONNECTION, "reset", 78),
    "ServerDisconnectedError": (C.NETWORK_CONNECTION, "reset", 78),
    "ClientOSError": (C.NETWORK_CONNECTION, None, 76),
    "ClientConnectorError": (C.NETWORK_CONNECTION, None, 76),
    "ClientProxyConnectionError": (C.NETWORK_CONNECTION, "proxy", 82),
    "ProxyError": (C.NETWORK_CONNECTION, "proxy", 80),
    "NewConnectionError": (C.NETWORK_CONNECTION, None, 76),
    "ConnectError": (C.NETWORK_CONNECTION, None, 76),
    "ConnectException": (C.NETWORK_CONNECTION, "refused", 78),
    "NoRouteToHostException": (C.NETWORK_CONNECTION, "unreachable", 80),
    "SocketException": (C.NETWORK_CONNECTION, None, 74),
    "NoCredentialsError": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "PartialCredentialsError": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "CredentialsProviderError": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "InvalidClientTokenId": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "SignatureDoesNotMatch": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "IncompleteSignatureException": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "MissingAuthenticationTokenException": (C.AUTH_INVALID_KEY, "aws_credentials", 90),
    "UnauthorizedSSOTokenError": (C.AUTH_OAUTH_EXPIRED, "aws_sso", 92),
    "SSOTokenLoadError": (C.AUTH_OAUTH_EXPIRED, "aws_sso", 92),
    "TokenRetrievalError": (C.AUTH_OAUTH_EXPIRED, "aws_sso", 90),
    "DefaultCredentialsError": (C.AUTH_INVALID_KEY, "gcp_credentials", 90),
    "RefreshError": (C.AUTH_OAUTH_EXPIRED, "gcp_credentials", 88),
    # litellm's classes that say more than the status they map to.
    "ContextWindowExceededError": (C.CONTEXT_TOO_LONG, None, 90),
    "ContentPolicyViolationError": (C.INVALID_REQUEST, "content_policy", 88),
    "BudgetExceededError": (C.RATE_LIMIT, "spend_limit", 90),
}
EXCEPTION_CLASS = re.compile(
    r"(?<![\w])(?:[A-Za-z_]\w*\.)*(" + "|".join(EXCEPTION_CLASSES) + r")\b"
)
EXCEPTION_GATE = re.compile(r"rror|xception|Timeout|Incomplete|Disconnected|Signature|TokenId")

#: OAuth 2.0's error codes (RFC 6749 §5.2, RFC 6750 §3.1) in a token or resource server's
#: answer -> (category, kind).
OAUTH_CODES: dict[str, tuple[Category, str | None]] = {
    "invalid_grant": (C.AUTH_OAUTH_EXPIRED, "oauth_refresh"),
    "expired_token": (C.AUTH_OAUTH_EXPIRED, "oauth_refresh"),
    "invalid_token": (C.AUTH_OAUTH_EXPIRED, "oauth_refresh"),
    "insufficient_scope": (C.AUTH_OAUTH_EXPIRED, "oauth_scope"),
    "invalid_client": (C.AUTH_INVALID_KEY, "oauth_client"),
    "unauthorized_client": (C.PERMISSION, "oauth_client"),
    "access_denied": (C.PERMISSION, "oauth_denied"),
}
OAUTH_CODE = re.compile(r"""\berror["']?\s*[:=]\s*["'](""" + "|".join(OAUTH_CODES) + r""")["']""")
OAUTH_PRIORITY = 88

#: The error codes gateways put in an OpenAI-shaped body (``"code": "…"``): OpenAI's own,
#: which relays pass on, and the relays' (new-api's, one-api's) -> (category, kind).
GATEWAY_CODES: dict[str, tuple[Category, str | None]] = {
    "invalid_api_key": (C.AUTH_INVALID_KEY, None),
    "insufficient_quota": (C.BILLING_CREDIT, None),
    "billing_hard_limit_reached": (C.BILLING_CREDIT, None),
    "billing_not_active": (C.BILLING_CREDIT, None),
    "insufficient_user_quota": (C.BILLING_CREDIT, "gateway_quota"),
    "pre_consume_token_quota_failed": (C.BILLING_CREDIT, "gateway_quota"),
    "rate_limit_exceeded": (C.RATE_LIMIT, None),
    "token_concurrency_limit_reached": (C.RATE_LIMIT, "gateway_concurrency"),
    "token_concurrency_unavailable": (C.RATE_LIMIT, "gateway_concurrency"),
    "entitlement_daily_limit_exceeded": (C.RATE_LIMIT, None),
    "entitlement_total_limit_exceeded": (C.RATE_LIMIT, None),
    "entitlement_required": (C.PERMISSION, "gateway_policy"),
    "entitlement_inactive": (C.PERMISSION, "gateway_policy"),
    "unsupported_country_region_territory": (C.PERMISSION, "region"),
    "account_deactivated": (C.PERMISSION, None),
    "model_not_found": (C.NOT_FOUND_MODEL, None),
    "get_channel_failed": (C.NOT_FOUND_MODEL, "gateway_model"),
    "context_length_exceeded": (C.CONTEXT_TOO_LONG, None),
    "string_above_max_length": (C.INVALID_REQUEST, None),
    "content_policy_violation": (C.INVALID_REQUEST, "content_policy"),
    "content_filter": (C.INVALID_REQUEST, "content_policy"),
    "prompt_blocked": (C.INVALID_REQUEST, "content_policy"),
    "sensitive_words_detected": (C.INVALID_REQUEST, "content_policy"),
    "bad_request_body": (C.INVALID_REQUEST, None),
    "read_request_body_failed": (C.INVALID_REQUEST, None),
    "convert_request_failed": (C.INVALID_REQUEST, None),
    "channel:invalid_key": (C.AUTH_INVALID_KEY, "gateway_upstream"),
    "channel:no_available_key": (C.STATUS_OUTAGE, "gateway_upstream"),
    "channel:response_time_exceeded": (C.TIMEOUT, "gateway_upstream"),
}
GATEWAY_CODE = re.compile(
    r"""\bcode["']?\s*[:=]\s*["']?(""" + "|".join(GATEWAY_CODES) + r""")(?![\w:])"""
)
GATEWAY_PRIORITY = 92

# --- HTML pages -------------------------------------------------------------------------
TITLE = re.compile(r"<(?:title|h1)[^>]*>\s*([^<]{1,200}?)\s*</", re.IGNORECASE)
CDN_TIMEOUT = re.compile(
    r"\b52[24]\b|\b504\b|gateway time-?out|a timeout occurred|upstream request timeout"
    r"|origin time-?out|request could not be satisfied.{0,200}time",
    re.IGNORECASE,
)
PROXY_PRODUCT = re.compile(
    r"zscaler|netskope|blue ?coat|symantec|forcepoint|websense|fortiguard|fortinet"
    r"|palo alto|sophos|barracuda|cisco umbrella|squid|mcafee web gateway|skyhigh"
    r"|(?:web )?page blocked|site (?:is )?blocked|access (?:to this site )?(?:is )?blocked"
    r"|zscloud|has been blocked|url (?:was )?blocked"
    r"|blocked by (?:your|the) (?:organi[sz]ation|administrator)",
    re.IGNORECASE,
)
POLICY = re.compile(
    r"block\w*.{0,120}polic|polic\w*.{0,120}block|acceptable use|not (?:allowed|permitted) by"
    r" (?:your|the) (?:organi[sz]ation|company)",
    re.IGNORECASE,
)
# A page that says the service is not offered where the caller is.
REGION_PAGE = re.compile(
    r"(?:unavailable|not available|not supported) in (?:your )?(?:region|country)"
    r"|unsupported (?:region|country)",
    re.IGNORECASE,
)
# Cloudflare's access-denied pages: a firewall rule or IP restriction at the API's edge.
EDGE_DENIED = re.compile(
    r"error 10(?:06|07|08|20|34)\b|access denied|has banned you|used cloudflare to restrict access"
    r"|edge ip restricted"
    r"|you have been blocked",
    re.IGNORECASE,
)
PAGE_STATUS = re.compile(r"(?<![\d.])([45]\d\d)(?![\d.])")

# --- texts that are not API errors ----------------------------------------------------
MCP = re.compile(
    r"\bMCP(?: server)?\b[^.]{0,80}\b(?:disconnected|failed|timed? ?out|error|closed)"
    r"|Could not attach to MCP server|MCP server \S+ (?:disconnected|failed)"
    r"|\bServer disconnected\. For troubleshooting|modelcontextprotocol\.io/docs"
    # The stdio transport between a client and its MCP server.
    r"|\b(?:Server|Client) transport closed\b"
    r"|\b(?:reach|connect to|start|load|find) (?:the |your |this )?MCP server\b"
    # The streamable HTTP transport's own report of a failed POST to the server.
    r"|\bStreamable HTTP error\b",
    re.IGNORECASE,
)
# A tool's own protocol with its agent (JSON-RPC codes), or its own parsing of the model's
# output: not an answer from the API.
CLIENT_SIDE = re.compile(
    r"\(code -32\d{3}\)|[\"']code[\"']\s*:\s*-32\d{3}\b|\bEOF while parsing\b"
    r"|\bUNKNOWN_UPSTREAM_ERROR\b|\bValidationError: \d+ validation errors? for \w+"
    # A command the tool ran for the model (Claude Code's Bash tool, a hook) ran too long.
    r"|\b(?:Bash|[Ss]hell|[Hh]ook) (?:command )?timed out\b|\b[Cc]ommand timed out after\b"
    # A cloud console's form for setting up a model deployment, not a request to a model.
    r"|\bInvalidModelProviderData\b|\bModelProviderData is\b"
    # Claude Desktop's local VM, a router's own local service, the GitHub Action's setup.
    r"|\bVM connection timeout\b|\[VM:start\] Startup failed\b|\bPersistent RPC\b"
    r"|\b[Ss]ervice startup timeout\b"
    r"|\bApp token exchange failed\b"
    r"|\bClaude Code GitHub App\b|\bGITHUB_TOKEN is required\b"
    # An editor plugin's own crash (Lua's traceback), a coding agent's tool call it could not
    # parse, an MCP connector's authorization.
    r"|\bstack traceback:|\bError executing vim\.\w+ lua callback\b"
    r"|\btried to use \w+ without value for required parameter\b|\bMcp\w*Error\b"
    # Claude Code's check of a tool call's input, before anything is sent.
    r"|\bInputValidationError\b"
    # Windows' Host Compute Network, the desktop app's local VM networking.
    r"|\bHcn\w+ failed\b"
    # litellm's wrapper around a KeyError in its own parsing of an answer ("- 'choices'").
    r"|\b\w+Exception - '[a-z_]+'(?=\s|$)"
    # A call the code itself got wrong, refused before any request was made.
    r"|\bInvalid `\w+` argument\b|\bgot an unexpected keyword argument\b"
    # Claude Code's bridge to an IDE, the Agent SDK's control channel to its CLI: the tool's
    # own parts, not the API.
    r"|\bFailed to connect to (?:IntelliJ|JetBrains|VS ?Code|Visual Studio Code|Cursor"
    r"|Windsurf|PyCharm|WebStorm|GoLand|the IDE|IDE)\b|\bControl request timeout\b"
    # Claude Code's own Read tool refusing a file over its token cap: no request was sent.
    r"|\bMaxFileReadTokenExceededError\b"
    # A bug in the tool's (or a proxy's) own code, not an answer from the API.
    r"|'NoneType' object has no attribute\b"
    # A local proxy's (cc-switch's) provider left without its address.
    r"|缺少 base_url"
    # A relay's own database (MySQL's 1040), a terminal multiplexer the tool drives.
    r"|\bError 1040: Too many connections\b|\btimed out waiting for tmux session\b",
)
# A tool that could not start: a package or module missing where it runs.
INSTALL = re.compile(
    r"No module named ['\"]|\bimport failed\b|ModuleNotFoundError|Cannot find module ['\"]"
    r"|command not found: |\bpip install\b|\bfor global npm install\b"
    r"|\bnpm (?:ERR!|error) code E[A-Z]+\b",
)
# The tool's own files and settings: a local file it may not open, a settings file it rejects.
LOCAL = re.compile(
    r"\bE(?:ACCES|PERM|ROFS)\b[:,]? [^,\n]{0,40}?, (?:open|mkdir|scandir|rename|unlink|access"
    r"|lstat|stat|copyfile|symlink|rmdir|chmod) '|\bInvalid settings\b|\bSettings validation\b"
    # The desktop app's own display and graphics.
    r"|\bWayland display\b|\bcannot open display\b|\bDRM_IOCTL\w*"
    # The desktop app's own bundled pages.
    r"|\bnet::ERR_FILE_NOT_FOUND\b|\bFailed to load URL: app://",
)
WRAPPER_EXIT = re.compile(
    r"Claude Code process exited with (?:an error|code \d+)|This is often caused by",
    re.IGNORECASE,
)
NOT_API_PRIORITY = 93
#: A wrapper's list of what often causes its failure, up to the error it quotes.
CAUSE_LIST = re.compile(r"(often caused by:?)(.*?)(?=original error|$)", re.IGNORECASE)


def without_cause_list(line: str) -> str:
    """``line`` without a wrapper's list of possible causes: none of them is the cause."""
    if "aused by" not in line:
        return line
    m = CAUSE_LIST.search(line)
    if m is None or not m.group(2).strip():
        return line
    return f"{line[: m.end(1)]} {line[m.end() :]}"


def aws_hit(line: str) -> Hit | None:
    """The most telling AWS exception name in ``line``, or None."""
    best: Hit | None = None
    for m in AWS_NAME.finditer(line):
        name = m.group(1) or m.group(2)
        entry = AWS_EXCEPTIONS.get(name.lower())
        if entry and (best is None or entry[2] > best.priority):
            best = Hit(entry[0], entry[2], entry[1], name)
    return best


def google_hit(line: str) -> Hit | None:
    """The first Google canonical code or ``google.api_core`` class in ``line``, or None."""
    for m in GOOGLE_CODE.finditer(line):
        name = m.group(1) or m.group(3) or m.group(2)
        entry = GOOGLE_CODES.get(name)
        if entry:
            return Hit(entry[0], entry[2], entry[1], name)
    return None


def curl_hit(line: str) -> Hit | None:
    m = CURL.search(line)
    if not m:
        return None
    entry = CURL_CODES.get(int(m.group(1) or m.group(2)))
    if entry is None:
        return None
    category, kind = entry
    if category is Category.NETWORK_CONNECTION and CURL_PROXY.search(line, m.end(), m.end() + 200):
        kind = "proxy"
    # curl's own message is exact; a binding's ("curl_cffi: Failed to perform, ErrCode: N,
    # Reason: …") lets its reason speak first.
    return Hit(category, 97 if m.group(1) else 80, kind, m.group(0))


def code_hit(
    pattern: re.Pattern[str],
    table: dict[str, tuple[Category, str | None]],
    priority: int,
    line: str,
) -> Hit | None:
    """The first code of ``table`` that ``pattern`` finds in ``line`` (its group 1), as a hit
    of ``priority``; None when there is none."""
    m = pattern.search(line)
    if not m:
        return None
    category, kind = table[m.group(1)]
    return Hit(category, priority, kind, m.group(0))


def exception_hit(line: str) -> Hit | None:
    """The most telling client-library exception class in ``line``, or None."""
    best: Hit | None = None
    for m in EXCEPTION_CLASS.finditer(line):
        category, kind, priority = EXCEPTION_CLASSES[m.group(1)]
        if best is None or priority > best.priority:
            best = Hit(category, priority, kind, m.group(0))
    return best


def page_title(line: str) -> str | None:
    """An HTML page's ``<title>`` (or first ``<h1>``)."""
    m = TITLE.search(line)
    return m.group(1) if m else None


def page_status(line: str) -> int | None:
    """The HTTP status an HTML page's title states ("502 Bad Gateway"), which outranks the
    status of whatever wrapped the page."""
    title = page_title(line)
    m = PAGE_STATUS.search(title) if title else None
    return int(m.group(1)) if m else None


def html_hit(line: str, status: int | None, cloudflare: bool) -> Hit | None:
    """A page from something between the caller and the API: a CDN's or reverse proxy's
    timeout page is a timeout; a filtering proxy's block page is the network's (a page that
    names a policy is a permission); Cloudflare's access-denied page at the API's edge is a
    permission. Any other page is left to the caller (None)."""
    title = page_title(line) or ""
    words = f"{title} {line[:4000]}"
    if REGION_PAGE.search(title):
        return Hit(C.PERMISSION, 80, "region", title)
    if cloudflare and EDGE_DENIED.search(words):
        return Hit(C.PERMISSION, 80, "ip_restriction", title or "edge access denied page")
    if PROXY_PRODUCT.search(words) and not cloudflare:
        if POLICY.search(words):
            return Hit(C.PERMISSION, 80, "org_policy", title or "policy block page")
        return Hit(C.NETWORK_CONNECTION, 80, "proxy_block", title or "proxy block page")
    if (status in (504, 522, 524) or status is None) and CDN_TIMEOUT.search(words):
        return Hit(C.TIMEOUT, 80, "cdn_timeout", title or "CDN timeout page")
    return None


#: Literals one of which every line :func:`not_api_hit` can name holds: the cheap test that
#: spares the other lines its patterns.
NOT_API_GATE = re.compile(
    "|".join(
        re.escape(literal)
        for literal in (
            "MCP",
            "mcp",
            "exited with",
            "often caused",
            "transport closed",
            "modelcontext",
            "odule",
            "import failed",
            "install",
            "not found: ",
            "EACCES",
            "EPERM",
            "EROFS",
            "display",
            "DRM_",
            "ettings",
            "-32",
            "EOF while",
            "UPSTREAM_ERROR",
            "ProviderData",
            "VM",
            "RPC",
            "tartup timeout",
            "GitHub App",
            "App token",
            "GITHUB_TOKEN",
            "validation error",
            "ommand timed out",
            "ook timed out",
            "argument",
            "MaxFileRead",
            "NoneType",
            "base_url",
            "1040",
            "tmux",
            "npm",
            "ERR_FILE",
            "app://",
            "to connect to ",
            "ontrol request",
            "xception - '",
            "Hcn",
            "traceback:",
            "lua callback",
            "without value",
            "Mcp",
            "InputValidation",
        )
    )
)


def not_api_hit(line: str) -> Hit | None:
    """An MCP server's failure, or a tool's wrapper around Claude Code's exit (its list of
    possible causes is not one of them): category ``other``."""
    m = MCP.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "mcp_server", m.group(0))
    m = WRAPPER_EXIT.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "wrapper_exit", m.group(0))
    m = CLIENT_SIDE.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "client_side", m.group(0))
    m = LOCAL.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "local_files", m.group(0))
    m = INSTALL.search(line)
    if m:
        return Hit(C.OTHER, NOT_API_PRIORITY, "install", m.group(0))
    return None


def structure_hits(line: str) -> list[Hit]:
    """Every structure recognised in ``line`` (a normalized logical line)."""
    found: list[Hit] = []
    if "xception" in line:
        hit = aws_hit(line)
        if hit:
            found.append(hit)
    if (
        "_" in line
        or "google" in line
        or "Denied" in line
        or "Exhausted" in line
        or "INTERNAL" in line
    ):
        hit = google_hit(line)
        if hit:
            found.append(hit)
    if "curl: (" in line or "ErrCode" in line:
        hit = curl_hit(line)
        if hit:
            found.append(hit)
    if "E" in line or "_" in line:
        hit = code_hit(NODE_CODE, NODE_CODES, NODE_PRIORITY, line)
        if hit:
            found.append(hit)
    if EXCEPTION_GATE.search(line):
        hit = exception_hit(line)
        if hit:
            found.append(hit)
    if "_" in line:
        oauth = code_hit(OAUTH_CODE, OAUTH_CODES, OAUTH_PRIORITY, line) if "error" in line else None
        for hit in (oauth, code_hit(GATEWAY_CODE, GATEWAY_CODES, GATEWAY_PRIORITY, line)):
            if hit:
                found.append(hit)
    if NOT_API_GATE.search(line):
        hit = not_api_hit(line)
        if hit:
            found.append(hit)
    return found
