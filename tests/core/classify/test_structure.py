"""The structures read before the phrase rules (cloud providers' shapes, curl's codes, Node's
codes, HTML pages, texts that are not API errors) and how a paste with several errors is
ranked: its cause over the generic line that retells it, the most recent of independent
failures."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify, classify_lines, structure
from claude_doctor.classify.rules import literal_runs, top_alternatives
from claude_doctor.model import Branch, Category

PY_DNS_CHAIN = """Traceback (most recent call last):
  File "/venv/lib/python3.12/site-packages/httpx/_transports/default.py", line 101, in map_exc
    yield
httpcore.ConnectError: [Errno -2] Name or service not known

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/venv/lib/python3.12/site-packages/anthropic/_base_client.py", line 1002, in request
    response = self._client.send(
httpx.ConnectError: [Errno -2] Name or service not known

The above exception was the direct cause of the following exception:

anthropic.APIConnectionError: Connection error.
"""

PY_TLS_CHAIN = (
    "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to"
    " get local issuer certificate (_ssl.c:1006)\n"
    """

During handling of the above exception, another exception occurred:

anthropic.APIConnectionError: Connection error.
"""
)

TS_CAUSE = """APIConnectionError: Connection error.
    at Anthropic.makeRequest (file:///app/node_modules/@anthropic-ai/sdk/client.mjs:700:23) {
  [cause]: TypeError: fetch failed
      at node:internal/deps/undici/undici:13502:13 {
    [cause]: Error: getaddrinfo EAI_AGAIN api.anthropic.com
"""


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (PY_DNS_CHAIN, Category.NETWORK_DNS),
        (PY_TLS_CHAIN, Category.NETWORK_TLS),
        (TS_CAUSE, Category.NETWORK_DNS),
    ],
)
def test_the_cause_in_a_chain_decides_not_the_last_line(text: str, category: Category) -> None:
    assert classify(text).category is category


def test_a_cause_retold_by_a_generic_line_keeps_the_cause() -> None:
    text = (
        'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth'
        ' token has expired. Please obtain a new token or refresh your existing token."}}\n'
        'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":'
        '"Invalid authentication credentials"}}\n'
    )
    signal = classify(text)
    assert (signal.category, signal.branch) == (Category.AUTH_OAUTH_EXPIRED, Branch.LOGIN)


def test_independent_failures_give_the_most_recent_and_are_all_counted() -> None:
    lines = [
        "2026-08-01T10:00:00Z Error: getaddrinfo ENOTFOUND api.anthropic.com",
        "2026-08-01T10:05:00Z API Error: 401 OAuth token has expired · Please run /login",
        '2026-08-01T10:09:00Z API Error: 429 {"type":"error","error":{"type":"rate_limit_error",'
        '"message":"This request would exceed your organization\'s rate limit of 50 requests per'
        ' minute"}}',
    ]
    summary = classify_lines(lines)
    assert summary.signal is not None and summary.signal.category is Category.RATE_LIMIT
    assert summary.counts == {"network_dns": 1, "auth_oauth_expired": 1, "rate_limit": 1}


@pytest.mark.parametrize(
    ("text", "category", "kind", "branch"),
    [
        (
            "botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling"
            " the InvokeModel operation (reached max retries: 4): Too many tokens, please wait"
            " before trying again.",
            Category.RATE_LIMIT,
            "bedrock_throttle",
            Branch.ROUTE,
        ),
        (
            "An error occurred (AccessDeniedException) when calling the Converse operation: You"
            " don't have access to the model with the specified model ID.",
            Category.PERMISSION,
            "cloud_model_access",
            Branch.ROUTE,
        ),
        (
            'litellm.APIConnectionError: BedrockException - {"message":"Model access is denied due'
            " to IAM user or service role is not authorized to perform the required AWS"
            ' Marketplace actions"}',
            Category.PERMISSION,
            "cloud_model_access",
            Branch.ROUTE,
        ),
        (
            "An error occurred (ValidationException) when calling the InvokeModel operation: 1"
            " validation error detected: Value at 'body' failed to satisfy constraint: Member must"
            " have length less than or equal to 25000000",
            Category.REQUEST_TOO_LARGE,
            None,
            Branch.PAYLOAD,
        ),
        (
            '{"name": "ModelNotReadyException", "$metadata": {"httpStatusCode": 429}}',
            Category.OVERLOADED,
            "bedrock_not_ready",
            Branch.OVERLOADED,
        ),
        (
            '429 [{"error": {"code": 429, "message": "Quota exceeded for aiplatform.googleapis.com'
            '/online_prediction_requests_per_base_model", "status": "RESOURCE_EXHAUSTED"}}]',
            Category.RATE_LIMIT,
            "vertex_quota",
            Branch.ROUTE,
        ),
        (
            # gRPC's own form of a canonical code that has no underscore.
            "Error: 16 UNAUTHENTICATED: Request had invalid authentication credentials.",
            Category.AUTH_INVALID_KEY,
            "gcp_credentials",
            Branch.ROUTE,
        ),
        (
            "google.api_core.exceptions.PermissionDenied: 403 Permission 'aiplatform.endpoints."
            "predict' denied on resource",
            Category.PERMISSION,
            "vertex_permission",
            Branch.ROUTE,
        ),
        (
            "curl: (6) Could not resolve host: api.anthropic.com",
            Category.NETWORK_DNS,
            None,
            Branch.NETWORK,
        ),
        ("curl: (52) Empty reply from server", Category.NETWORK_CONNECTION, "empty_reply", None),
        (
            "curl: (56) CONNECT tunnel failed, response 403",
            Category.NETWORK_CONNECTION,
            "proxy",
            None,
        ),
        ("curl: (28) Operation timed out after 30001 milliseconds", Category.TIMEOUT, None, None),
        ("curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL", Category.NETWORK_TLS, None, None),
        (
            "TypeError: fetch failed\n  cause: ConnectTimeoutError: Connect Timeout Error"
            " (attempted address: api.anthropic.com:443, timeout: 10000ms) code:"
            " 'UND_ERR_CONNECT_TIMEOUT'",
            Category.TIMEOUT,
            None,
            None,
        ),
    ],
)
def test_provider_curl_and_node_shapes(
    text: str, category: Category, kind: str | None, branch: Branch | None
) -> None:
    signal = classify(text)
    assert (signal.category, signal.kind) == (category, kind)
    if branch is not None:
        assert signal.branch is branch


CLOUDFLARE_524 = """API Error: 524 <!DOCTYPE html>
<html lang="en-US">
<head>

<title>api.anthropic.com | 524: A timeout occurred</title>
<link rel="stylesheet" href="/cdn-cgi/styles/main.css" />
</head>
<body>Cloudflare Ray ID: 8f1a2b3c4d5e6f70</body>
</html>"""

NGINX_504 = """Error: 504 <html>
<head><title>504 Gateway Time-out</title></head>
<body>
<center><h1>504 Gateway Time-out</h1></center>
<hr><center>nginx</center>
</body>
</html>"""

ZSCALER = """<html><head><title>Website blocked</title></head>
<body><div>Zscaler: Access to this site is blocked.</div></body></html>"""

POLICY_PAGE = """<html><head><title>Web Page Blocked</title></head>
<body>Access to api.anthropic.com has been blocked in accordance with company policy.</body>
</html>"""


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        (CLOUDFLARE_524, Category.TIMEOUT, "cdn_timeout"),
        (NGINX_504, Category.TIMEOUT, "cdn_timeout"),
        ("API Error (api.anthropic.com | 504: Gateway time-out)", Category.TIMEOUT, "cdn_timeout"),
        (ZSCALER, Category.NETWORK_CONNECTION, "proxy_block"),
        (POLICY_PAGE, Category.PERMISSION, "org_policy"),
        ("upstream request timeout", Category.TIMEOUT, None),
    ],
)
def test_pages_from_cdns_gateways_and_proxies(text: str, category: Category, kind: str) -> None:
    signal = classify(text)
    assert signal.category is category
    if kind is not None:
        assert signal.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "2025-01-02T13:05:12.443Z [info] MCP server image-downloader disconnected. For"
            " troubleshooting guidance, please visit our debugging documentation",
            "mcp_server",
        ),
        ("Could not attach to MCP server lite", "mcp_server"),
        ("Error: Claude Code process exited with code 1", "wrapper_exit"),
        # Lines that hold none of the literals chosen for the gate: the gate takes the
        # longest literal of each such alternative too.
        ("Error: Bash timed out after 120000ms", "client_side"),
        (
            "Streamable HTTP error: Error POSTing to endpoint (HTTP 502): Bad Gateway",
            "mcp_server",
        ),
        (
            "Server disconnected. For troubleshooting guidance, please visit our debugging"
            " documentation",
            "mcp_server",
        ),
        ("Error: EROFS: read-only file system, open '/home/u/.claude.json'", "local_files"),
    ],
)
def test_what_is_not_an_api_error_is_other(text: str, kind: str) -> None:
    signal = classify(text)
    assert (signal.category, signal.kind, signal.branch) == (Category.OTHER, kind, Branch.NONE)


def test_every_alternative_of_the_not_api_patterns_passes_the_gate() -> None:
    patterns = (
        structure.MCP,
        structure.CLIENT_BUG,
        structure.WRAPPER_EXIT,
        structure.CLIENT_SIDE,
        structure.LOCAL,
        structure.INSTALL,
    )
    for pattern in patterns:
        for alternative in top_alternatives(pattern.pattern):
            runs = literal_runs(alternative)
            assert any(needle in run for needle in structure.NOT_API_NEEDLES for run in runs), (
                alternative
            )
    assert all(len(needle) >= 2 for needle in structure.NOT_API_NEEDLES)


def test_an_api_error_inside_a_wrapper_still_decides() -> None:
    text = (
        "API Error (claude-opus-4-5-20251101): 400 The provided model identifier is invalid.\n"
        "Error: Claude Code process exited with code 1\n"
    )
    assert classify(text).category is Category.NOT_FOUND_MODEL


def test_api_json_wrapped_without_indent_is_joined_again() -> None:
    text = (
        'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This'
        ' organization has been\ndisabled."},"request_id":"req_011CZam6yhqAXwtsQmHZ4Yuc"}'
    )
    signal = classify(text)
    assert signal.category is Category.PERMISSION
    assert signal.request_ids == ("req_011CZam6yhqAXwtsQmHZ4Yuc",)


@pytest.mark.parametrize(
    ("inner", "category"),
    [
        ("ERR_BAD_REQUEST", Category.PERMISSION),
        ("Request failed with status code 403", Category.PERMISSION),
        ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", Category.NETWORK_TLS),
        ("ECONNRESET", Category.NETWORK_CONNECTION),
    ],
)
def test_claude_codes_startup_message_goes_by_its_inner_reason(
    inner: str, category: Category
) -> None:
    text = (
        "Unable to connect to Anthropic services\n\n"
        f"Failed to connect to api.anthropic.com: {inner}\n\n"
        "Please check your internet connection and network settings.\n\n"
        "Note: Claude Code might not be available in your country. Check supported countries at"
        " https://anthropic.com/supported-countries"
    )
    assert classify(text).category is category


def test_aws_request_ids_are_kept_and_undefined_is_not_one() -> None:
    text = (
        'name: ThrottlingException\n$metadata: {"httpStatusCode":429,"requestId":"158a2e26-c851-'
        '4440-9f98-e3065df1de46","attempts":3}\nrequestID: undefined'
    )
    signal = classify(text)
    assert signal.request_ids == ("158a2e26-c851-4440-9f98-e3065df1de46",)
    assert signal.category is Category.RATE_LIMIT
