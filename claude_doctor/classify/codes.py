"""The vocabularies failures are named in, as the clouds, the HTTP stacks and the gateways
write them: AWS's exception names, Google's canonical codes, curl's exit codes, Node's,
undici's, OpenSSL's, Chromium's and Winsock's error codes, the client libraries' exception
classes, OAuth 2.0's error codes and the codes gateways put in an OpenAI-shaped body. Each
maps to the category (and kind) it means, and the pattern that finds it in a line;
:mod:`.structure` reads them. Pure data (FACTS.md §2 and §4, and each vocabulary's own
documentation)."""

from __future__ import annotations

import re

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
#: which relays pass on, and the relays' (new-api's, one-api's) -> (category, kind). The
#: codes a phrase rule reads wherever they stand (``invalid_api_key``, ``insufficient_quota``,
#: ``rate_limit_exceeded``, ``model_not_found``, ``billing_hard_limit_reached``,
#: ``billing_not_active``) are left to it.
GATEWAY_CODES: dict[str, tuple[Category, str | None]] = {
    "insufficient_user_quota": (C.BILLING_CREDIT, "gateway_quota"),
    "pre_consume_token_quota_failed": (C.BILLING_CREDIT, "gateway_quota"),
    "token_concurrency_limit_reached": (C.RATE_LIMIT, "gateway_concurrency"),
    "token_concurrency_unavailable": (C.RATE_LIMIT, "gateway_concurrency"),
    "entitlement_daily_limit_exceeded": (C.RATE_LIMIT, None),
    "entitlement_total_limit_exceeded": (C.RATE_LIMIT, None),
    "entitlement_required": (C.PERMISSION, "gateway_policy"),
    "entitlement_inactive": (C.PERMISSION, "gateway_policy"),
    "unsupported_country_region_territory": (C.PERMISSION, "region"),
    "account_deactivated": (C.PERMISSION, None),
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
