"""The category rules on the cases users confuse, and the branch each category leads to (the
corpus of real texts: test_corpus)."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify
from claude_doctor.model import Branch, Surface


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("You've hit your session limit · resets 3:45pm", "rate_limit", "subscription_limit"),
        ("You've hit your weekly limit · resets Mon 12:00am", "rate_limit", "subscription_limit"),
        (
            "API Error: Server is temporarily limiting requests (not your usage limit)",
            "rate_limit",
            "server_throttle",
        ),
        (
            '{"type":"error","error":{"type":"rate_limit_error","message":"You have reached your'
            ' API usage limits: your organization has crossed its monthly API usage threshold",'
            '"details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_018EeWyXx'
            'fu5pfWkrYcMdjWG"}',
            "rate_limit",
            "spend_limit",
        ),
        (
            "API Error: Request rejected (429) · This request would exceed your organization's"
            " rate limit of 10,000 input tokens per minute",
            "rate_limit",
            "api_tier_limit",
        ),
        (
            "API Error: 500 Internal server error. If it persists, check llm.corp.example.com.",
            "status_outage",
            "gateway_error",
        ),
        (
            "API Error: 500 Internal server error. Check https://status.claude.com.",
            "status_outage",
            None,
        ),
    ],
)
def test_tells_apart_what_users_confuse(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


def test_request_too_large_is_session_in_claude_code_and_payload_elsewhere() -> None:
    body = '{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}'
    assert classify(f"API Error: 413 {body}").branch is Branch.SESSION
    sdk = classify(f"anthropic.RequestTooLargeError: Error code: 413 - {body}")
    assert (sdk.branch, sdk.surface, sdk.http_status) == (Branch.PAYLOAD, Surface.API_SDK, 413)
    assert classify("Prompt is too long", surface=Surface.API_SDK).branch is Branch.PAYLOAD


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        (
            "Failed to authenticate. API Error: 403 Your API key does not have permission to"
            " use the specified resource.",
            "permission",
            None,
        ),
        ("Failed to authenticate. API Error: 403 Request not allowed", "permission", None),
        (
            "Failed to authenticate. API Error: 401 OAuth token has expired. Please obtain a new"
            " token or refresh your existing token.",
            "auth_oauth_expired",
            None,
        ),
        (
            "Failed to authenticate: OAuth session expired and could not be refreshed",
            "auth_oauth_expired",
            None,
        ),
        (
            "Failed to authenticate. API Error: 403 OAuth token has been revoked",
            "auth_oauth_expired",
            None,
        ),
        (
            "API Error: Unable to connect to API: SSL certificate hostname mismatch",
            "network_tls",
            "hostname_mismatch",
        ),
        (
            "Hostname/IP does not match certificate's altnames: ERR_TLS_CERT_ALTNAME_INVALID",
            "network_tls",
            "hostname_mismatch",
        ),
        (
            "API Error: Unable to connect to API. Check your internet connection",
            "network_connection",
            None,
        ),
    ],
)
def test_claude_codes_authentication_and_tls_wrappers_yield_to_what_they_wrap(
    text: str, category: str, kind: str | None
) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)
    leads_to = {"permission": "route", "auth_oauth_expired": "login"}
    assert signal.branch.value == leads_to.get(category, "network")


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ('{"message":"Forbidden"}', "permission", None),
        ("Claude will return soon", "status_outage", "service_disruption"),
        ("You are out of free messages until 5 PM", "rate_limit", "subscription_limit"),
        (
            "The api_key client option must be set either by passing api_key to the client or by"
            " setting the ANTHROPIC_API_KEY environment variable",
            "auth_invalid_key",
            "no_key",
        ),
        (
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid"
            " certification path to requested target",
            "network_tls",
            None,
        ),
        (
            "<html><head><title>Access denied | api.anthropic.com used Cloudflare to restrict"
            " access</title></head><body>Error 1020</body></html>",
            "permission",
            "ip_restriction",
        ),
        (
            "API Error: 400 max_tokens: 64000 > 32000, which is the maximum allowed number of"
            " output tokens for claude-opus-4-20250514",
            "invalid_request",
            "max_tokens",
        ),
        (
            "429 Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute"
            "_per_project_per_base_model with base model: anthropic-claude-sonnet-4",
            "rate_limit",
            "vertex_quota",
        ),
        (
            "Error: Claude Code process exited with an error.\nThis is often caused by:\n- Invalid"
            " API key or authentication issues\n- Network connectivity problems (ECONNRESET)\n",
            "other",
            "wrapper_exit",
        ),
        (
            "Claude hit the maximum length for this conversation. Please start a new conversation",
            "context_too_long",
            "conversation_length",
        ),
        (
            "Due to unexpected capacity constraints, Claude is unable to respond to your message.",
            "overloaded",
            "capacity_banner",
        ),
    ],
)
def test_meaning_in_words_not_in_the_status(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "Your organization has blocked access to Claude Code. Contact your administrator.",
            "permission",
        ),
        (
            'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":'
            '"model: claude-3-opus-latest is not a valid model ID"}}',
            "not_found_model",
        ),
        (
            "curl: (7) Failed to connect to api.anthropic.com port 443 after 5 ms",
            "network_connection",
        ),
        (
            "curl: (60) SSL certificate problem: unable to get local issuer certificate",
            "network_tls",
        ),
    ],
)
def test_a_meaning_over_a_generic_type(text: str, category: str) -> None:
    assert classify(text).category.value == category


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("Sonnet 4.9 not available, falling back to Sonnet 4.6", "not_found_model", None),
        (
            "litellm.BadRequestError: LLM Provider NOT provided. You passed model=claude-x",
            "not_found_model",
            "cloud_model_id",
        ),
        (
            "403 Permission 'aiplatform.endpoints.predict' denied on resource "
            "'//aiplatform.googleapis.com/projects/p/locations/us-east5/publishers/anthropic'",
            "permission",
            None,
        ),
        ("Claude Code: disabled by your organization admin", "permission", "org_policy"),
        (
            'HTTP 503 {"error": {"code": 503, "status": "UNAVAILABLE", "details": [{"reason":'
            ' "MODEL_CAPACITY_EXHAUSTED"}]}}',
            "overloaded",
            "capacity",
        ),
        (
            "botocore.exceptions.ReadTimeoutError is not it: Connection was closed before we"
            " received a valid response from endpoint URL",
            "network_connection",
            None,
        ),
        (
            '<a href="https://www.cloudflare.com/5xx-error-landing?utm_source=errorcode_502">',
            "status_outage",
            "cloudflare_5xx",
        ),
        (
            '<a href="https://www.cloudflare.com/5xx-error-landing?utm_source=errorcode_524">',
            "timeout",
            "cdn_timeout",
        ),
        (
            "API Error: 403 <html><head><title>Edge IP Restricted | api.anthropic.com |"
            " Cloudflare</title></head><body>Error 1034</body></html>",
            "permission",
            "ip_restriction",
        ),
    ],
)
def test_words_for_availability_capacity_policy_and_cloudflare_pages(
    text: str, category: str, kind: str | None
) -> None:
    signal = classify(text)
    assert signal.category.value == category, signal
    if kind is not None:
        assert signal.kind == kind


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("You're out of extra usage · resets 4pm (Europe/Berlin)", "rate_limit"),
        ("Claude Code token is expired and has no refresh token", "auth_oauth_expired"),
        ("Missing OpenAI API Key - no key is set in the environment", "auth_invalid_key"),
        ("404 Publisher Model `publishers/x/models/claude-y` was not found.", "not_found_model"),
        (
            '400 {"message":"The maximum tokens\n  you requested exceeds the model limit of 8192"}',
            "invalid_request",
        ),
        (
            "Error: 400 max_tokens: 9000 > 8192, which is the maximum allowed number of output"
            " tokens",
            "invalid_request",
        ),
        (
            "curl: (56) OpenSSL SSL_read: error:0A00042E:SSL routines::tlsv1 alert protocol"
            " version",
            "network_tls",
        ),
        ("Claude: This conversation is too long to continue.", "context_too_long"),
        ('{"error": true, "message": "Failed to fetch"}', "network_connection"),
        (
            "RESOURCE_EXHAUSTED: the service is temporarily out of capacity. Try again later.",
            "overloaded",
        ),
    ],
)
def test_more_words_by_their_meaning(text: str, category: str) -> None:
    assert classify(text).category.value == category


def test_each_entry_of_claude_codes_errors_log_is_an_error_of_its_own() -> None:
    entry = (
        '{{"error":"Error: {status} {{\\"type\\":\\"error\\",\\"error\\":{{\\"type\\":'
        '\\"{kind}\\",\\"message\\":\\"{message}\\"}}}}","timestamp":"{at}"}}'
    )
    old = entry.format(
        status=401,
        kind="authentication_error",
        message="Invalid authentication credentials",
        at="2026-06-23T08:02:03.094Z",
    )
    new = entry.format(
        status=500, kind="api_error", message="Internal server error", at="2026-06-23T14:10:00Z"
    )
    assert classify(f"[{old},{new}]").category.value == "status_outage"
    assert classify(f"[{new},{old}]").category.value == "auth_invalid_key"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Error: the API servers are overloaded right now", "overloaded"),
        ("You are out of credits. Purchase more credits to continue.", "billing_credit"),
        ("That\u2019s not working right now. Please try again later.", "status_outage"),
        ("Can't reach Claude. Check your connection", "network_connection"),
        ("[warn] [VM:network] API is unreachable", "network_connection"),
        ("Request failed. Reason: Server error: 503", "status_outage"),
        ('{"error": {"message": "unknown provider for model claude-x"}}', "not_found_model"),
        ("This model may not be configured on your gateway", "not_found_model"),
        ('{"error": {"cause": {}}, "provider": "anthropic"}', "network_connection"),
    ],
)
def test_the_words_of_other_surfaces(text: str, category: str) -> None:
    assert classify(text).category.value == category


@pytest.mark.parametrize(
    ("text", "category", "branch"),
    [
        # Temporary AWS credentials that ran out: a login to renew, with the cloud's own login.
        (
            "API Error: 403 The security token included in the request is expired",
            "auth_oauth_expired",
            Branch.ROUTE,
        ),
        (
            "ExpiredTokenException: The security token included in the request is expired",
            "auth_oauth_expired",
            Branch.ROUTE,
        ),
        (
            "API Error: 403 The security token included in the request is invalid.",
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        # An HTTP status is an answer: the weak reading of a failure to connect gives way.
        (
            "OAuth error: Failed to fetch user roles: Request failed with status code 403",
            "permission",
            Branch.ROUTE,
        ),
        (
            "API Error: Response stalled mid-stream. The response above may be incomplete.",
            "timeout",
            Branch.NETWORK,
        ),
        (
            "API Error: Server error mid-response. The response above may be incomplete.",
            "status_outage",
            Branch.INCIDENT,
        ),
        ("Taking longer than usual. Retrying shortly (attempt 10).", "timeout", Branch.NETWORK),
        ("No Anthropic API key found", "auth_invalid_key", Branch.ROUTE),
        (
            "Error: service=default name=ProviderModelNotFoundError message=fatal",
            "not_found_model",
            Branch.ROUTE,
        ),
        (
            "Claude Pro users are not currently able to use Opus in Claude Code.",
            "permission",
            Branch.ROUTE,
        ),
        (
            "The system encountered an unexpected error during processing. Try your request again.",
            "status_outage",
            Branch.ROUTE,
        ),
        ("Unable to confirm payment, please contact support", "billing_credit", Branch.ROUTE),
        # A moderation refusal, and its receipt that nothing was charged.
        (
            "anthropic/claude-3.5-sonnet requires moderation on Anthropic. Your input was flagged"
            ' for "misc". No credits were charged.',
            "invalid_request",
            Branch.PAYLOAD,
        ),
        ("claude code 502 status code (no body)", "status_outage", Branch.INCIDENT),
        (
            "2026/05/28 08:57:26 main.go:404: POST /v1/messages 503 4.7064ms",
            "status_outage",
            Branch.INCIDENT,
        ),
        (
            '{"error":{"message":"Invalid URL (POST /v1/messages)",'
            '"type":"invalid_request_error"}}',
            "not_found_model",
            Branch.ROUTE,
        ),
        ("Chat error: Error: Claude API error: Not Found", "not_found_model", Branch.ROUTE),
        (
            "Panic detected, error: runtime error: invalid memory address or nil pointer "
            "dereference.",
            "status_outage",
            Branch.INCIDENT,
        ),
        (
            '429 Too Many Requests {"message":"I am experiencing high traffic",'
            '"reason":"INSUFFICIENT_MODEL_CAPACITY"}',
            "overloaded",
            Branch.OVERLOADED,
        ),
        (
            "This message is finished due to length, increasing max output tokens may help "
            "with this",
            "context_too_long",
            Branch.PAYLOAD,
        ),
        (
            '{"error":{"code":"invalid_model_endpoint_authentication","message":"Failed to '
            'authenticate to backend endpoint."}}',
            "status_outage",
            Branch.INCIDENT,
        ),
        ("默认渠道限制: 请求非法 接口仅可用于Claude Code客户端", "permission", Branch.ROUTE),
        (
            "error: missing Anthropic credentials; export ANTHROPIC_AUTH_TOKEN or "
            "ANTHROPIC_API_KEY",
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        (
            'API error (attempt 1/11): 403 403 {"Message":"Authorization header is missing"}',
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        (
            "The Claude API cannot be reached from Claude's workspace",
            "network_connection",
            Branch.NETWORK,
        ),
        ("oAuth error: request error with status code 400", "auth_oauth_expired", Branch.LOGIN),
        (
            "curl: (22) The requested URL returned error: 403\nHTTP/2 403\ncf-mitigated: challenge",
            "network_connection",
            Branch.NETWORK,
        ),
        (
            "The assistant is unavailable due to insufficient API credits.",
            "billing_credit",
            Branch.ROUTE,
        ),
        (
            "Failed to refresh token for account x: Request failed with status code 500 | "
            '{"code":"ERR_BAD_RESPONSE"}',
            "status_outage",
            Branch.INCIDENT,
        ),
        ("正常使用提示：API Error: 500 terminated", "network_connection", Branch.NETWORK),
        (
            '{"type":"permission_error","message":"anthropic.claude-opus-4-7 is not available for'
            ' this account."}',
            "permission",
            Branch.ROUTE,
        ),
        (
            "Unexpected error: http2 request did not get a response",
            "network_connection",
            Branch.NETWORK,
        ),
        (
            "Error connecting to anthropic. Please try again in a few moments.",
            "network_connection",
            Branch.NETWORK,
        ),
        (
            "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_1",
            "invalid_request",
            Branch.PAYLOAD,
        ),
        (
            "[bedrock] Error: Error when retrieving credentials from iam-role: Credential refresh"
            " failed",
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        ("Could not resolve API token from the environment", "auth_invalid_key", Branch.ROUTE),
        ("ERR_HTTP2_STREAM_CANCEL", "network_connection", Branch.NETWORK),
        (
            'HTTP/2 429\n\n{"error":{"code":"1308","message":"已达到 5 小时的使用上限。"}}',
            "rate_limit",
            Branch.RATE_LIMIT,
        ),
        (
            "API Error: 400 provider not found: provider '' not found in registry",
            "not_found_model",
            Branch.ROUTE,
        ),
        (
            "The model you've selected is experiencing a high volume of traffic.",
            "overloaded",
            Branch.OVERLOADED,
        ),
        ("Error: Token refresh failed: 429", "rate_limit", Branch.RATE_LIMIT),
        ("Error: Token refresh failed: 400", "auth_oauth_expired", Branch.LOGIN),
        (
            "Please run /login · API Error: 401 status code (no body)",
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        ('AnthropicException - {"detail":"Method Not Allowed"}', "not_found_model", Branch.ROUTE),
        ("Failed to send message — The request was invalid.", "invalid_request", Branch.PAYLOAD),
        (
            "Error message status code 404model: clause-3-sonnet-20240229",
            "not_found_model",
            Branch.ROUTE,
        ),
        ("Unable to locate credentials", "auth_invalid_key", Branch.ROUTE),
        ("Bedrock: API key not set correctly", "auth_invalid_key", Branch.ROUTE),
        (
            "Error authenticating with the LLM provider. Please check your API key",
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        (
            "Environment variable ANTHROPIC_API_KEY not set in env/config",
            "auth_invalid_key",
            Branch.ROUTE,
        ),
        ("Credential helper did not produce a token", "auth_invalid_key", Branch.ROUTE),
        (
            "Claude token file is corrupted or invalid, re-authenticating...",
            "auth_oauth_expired",
            Branch.LOGIN,
        ),
        ("no stored Claude credentials", "auth_oauth_expired", Branch.LOGIN),
        (
            "Claude authentication failed: missing or mismatched oauth code/state",
            "auth_oauth_expired",
            Branch.LOGIN,
        ),
        (
            "The LLM provider is currently unavailable. Please try again later.",
            "status_outage",
            Branch.INCIDENT,
        ),
        (
            "Content policy violation. The output was blocked by content filtering policy.",
            "invalid_request",
            Branch.PAYLOAD,
        ),
        ("fetch failed: HeadersTimeoutError", "timeout", Branch.NETWORK),
        ("Model only support text input", "invalid_request", Branch.PAYLOAD),
        (
            "invalid character '<' looking for beginning of value",
            "network_connection",
            Branch.NETWORK,
        ),
        (
            '{"error":{"message":"Invalid model for key","type":"invalid_request_error"}}',
            "permission",
            Branch.ROUTE,
        ),
        (
            "Account is not eligible for official cloudaicompanionProject",
            "permission",
            Branch.ROUTE,
        ),
        ("localhost refused connection", "network_connection", Branch.NETWORK),
        ("TransferEncodingError", "network_connection", Branch.NETWORK),
        ("无可用供应商", "not_found_model", Branch.ROUTE),
        ("Too many concurrent sessions", "rate_limit", Branch.RATE_LIMIT),
        (
            "Error: Prefilling assistant messages is not supported by claude-sonnet-4-6.",
            "invalid_request",
            Branch.PAYLOAD,
        ),
        ("ForbiddenException: No access", "permission", Branch.ROUTE),
        (
            "Permission was denied. Check your API key and/or credentials.",
            "permission",
            Branch.ROUTE,
        ),
        (
            "EnterPlanMode tool call: InputValidationError: Extra inputs are not permitted",
            "other",
            Branch.NONE,
        ),
        # The tool's own parts, not the API.
        (
            "Error executing vim.schedule lua callback: vim/shared.lua:0: s: expected string, got"
            " table\nstack traceback:\n        [C]: in function 'error'",
            "other",
            Branch.NONE,
        ),
        (
            "Kilo Code tried to use attempt_completion without value for required parameter"
            " 'result'. Retrying...",
            "other",
            Branch.NONE,
        ),
        (
            "the connection was reverted. Try connecting again.\noauth_error=McpAuthorizationError",
            "other",
            Branch.NONE,
        ),
        (
            "failed to create network endpoint: HcnCreateEndpoint failed with HRESULT 0x800706bf",
            "other",
            Branch.NONE,
        ),
        ("> /ide\nFailed to connect to IntelliJ IDEA.", "other", Branch.NONE),
        ("Exception: Control request timeout: initialize", "other", Branch.NONE),
        (
            "Error: failed to resolve tag !env: environment variable not set: AZURE_RESOURCE",
            "other",
            Branch.NONE,
        ),
    ],
)
def test_words_that_name_a_cause_over_a_wrapper(text: str, category: str, branch: Branch) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.branch) == (category, branch)


@pytest.mark.parametrize(
    ("text", "category", "branch"),
    [
        # An AWS SSO session: renewed with the cloud's own login, not Claude's.
        (
            "Error: The SSO session associated with this profile has expired or is otherwise"
            " invalid. To refresh this SSO session run 'aws sso login' with the profile.",
            "auth_oauth_expired",
            Branch.ROUTE,
        ),
        # The sign-in's exchange of its code: a 400 is a spent code (sign in again), a 404
        # the wrong endpoint.
        ("Token exchange failed: Request failed with status code 400", "auth_oauth_expired", None),
        ("OAuth token exchange failed with status 404 Not Found", "not_found_model", None),
        (
            "token exchange failed: POST -\nhttps://example.test/oauth/token\n"
            "with status 404 Not Found",
            "not_found_model",
            None,
        ),
        ("App token exchange failed: 401 Unauthorized", "other", Branch.NONE),
        ("Limit reached resets Jan 3 at 9pm (Europe/Paris)", "rate_limit", Branch.RATE_LIMIT),
        ("Context low · Run /compact to compact & continue", "context_too_long", None),
        (
            '{"error":{"message":"No available channels","type":"one_api_error"}}',
            "not_found_model",
            Branch.ROUTE,
        ),
        (
            '{"error":{"type":"permission_error","message":"Invalid model",'
            '"code":"model_not_allowed"}}',
            "permission",
            Branch.ROUTE,
        ),
        (
            "Failed to clone marketplace repository: HTTPS authentication failed. Configure"
            " credentials or use an SSH URL.",
            "other",
            Branch.NONE,
        ),
        (
            "Error: HTTP 404: Invalid OAuth error response: SyntaxError: Unexpected token",
            "other",
            Branch.NONE,
        ),
        ("[BUG] API 400 error, tools.3.custom.name", "invalid_request", None),
        ("the console says: invalid api.", "auth_invalid_key", Branch.ROUTE),
        ("invalid api version requested", "other", Branch.NONE),
    ],
)
def test_words_read_since_the_eighteenth_batch(
    text: str, category: str, branch: Branch | None
) -> None:
    signal = classify(text)
    assert signal.category.value == category
    if branch is not None:
        assert signal.branch is branch


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        # A grpc message pasted from an escaped string keeps its escapes around the quotes.
        (
            "grpc_message:\\\"Permission \\\\'aiplatform.endpoints.predict\\\\' denied on"
            " resource \\\\'//aiplatform.googleapis.com/projects/p\\\\'\\\"",
            "permission",
            None,
        ),
        ("The bearer token included in the request is invalid.", "auth_oauth_expired", None),
        (
            "the session looks healthy until the initial OAuth token's roughly 30-minute"
            " lifetime expires, then every API call fails with `401 authentication_error`.",
            "auth_oauth_expired",
            None,
        ),
        (
            'If you receive an error "on-demand throughput isn\'t supported":',
            "not_found_model",
            "cloud_inference_profile",
        ),
        # A proxy's log of what the provider answered: the 4xx decides, not "upstream".
        ('[ERROR] Upstream error 400: {"message":"invalid request"}', "invalid_request", None),
        ("[ERROR] Upstream error: service is down", "status_outage", None),
        (
            '{"error": {"code": 429, "message": "You exceeded your current quota, please check'
            " your plan and billing details. For more information on this error, head to:"
            ' https://ai.google.dev/gemini-api/docs/rate-limits.",'
            ' "status": "RESOURCE_EXHAUSTED"}}',
            "rate_limit",
            "vertex_quota",
        ),
        (
            '{"error":{"message":"You exceeded your current quota, please check your plan and'
            ' billing details.","type":"insufficient_quota"}}',
            "billing_credit",
            None,
        ),
        (
            "botocore.errorfactory.ThrottlingException: An error occurred (ThrottlingException)"
            " when calling the InvokeModel operation: Model anthropic.claude-haiku-4-5 is"
            " currently overloaded. Please try again later.",
            "overloaded",
            "bedrock_capacity",
        ),
        (
            "botocore.errorfactory.ThrottlingException: An error occurred (ThrottlingException)"
            " when calling the InvokeModel operation: Too many tokens, please wait before"
            " trying again.",
            "rate_limit",
            "bedrock_throttle",
        ),
        (
            "AADSTS7000218: The request body must contain the following parameter:"
            " 'client_assertion' or 'client_secret'",
            "auth_invalid_key",
            "entra_credentials",
        ),
        (
            "AADSTS700082: The refresh token has expired due to inactivity.",
            "auth_oauth_expired",
            None,
        ),
        (
            "AADSTS53003: Access has been blocked by Conditional Access policies.",
            "permission",
            None,
        ),
    ],
)
def test_words_read_since_the_nineteenth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert signal.category.value == category
    if kind is not None:
        assert signal.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "AADSTS7000218: The request body must contain the following parameter: 'client_secret'",
        "AADSTS700082: The refresh token has expired due to inactivity.",
    ],
)
def test_an_identity_providers_sign_in_leads_to_the_route_not_to_login(text: str) -> None:
    assert classify(text).branch is Branch.ROUTE


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "400 \"This model's maximum prompt length is 131072 but the request contains"
            ' 136973 tokens."',
            "context_too_long",
        ),
        (
            "srv    send_error: task id = 2119, error: the request exceeds the available context"
            " size. try increasing the context size or enable context shift",
            "context_too_long",
        ),
        ("The upload exceeds the maximum size of 30 MB", "request_too_large"),
        (
            "max_tokens is too large: 8192. This model supports at most 4096 completion tokens",
            "invalid_request",
        ),
        ("cch报错返回：No available providers (cch_session_id: sess_1)", "not_found_model"),
        ('I get a "no provider available" error for this model', "not_found_model"),
        (
            "Last error: Your prepayment credits are depleted. Please go to AI Studio to manage"
            " your project and billing.",
            "billing_credit",
        ),
        # aiohttp's "ssl:default" names the connection's settings, not a TLS failure.
        (
            "Cannot connect to host api.openai.com:443 ssl:default [Connect call failed"
            " ('199.96.58.105', 443)]",
            "network_connection",
        ),
        (
            "Cannot connect to host api.openai.com:443 ssl:<ssl.SSLContext object> [SSL:"
            " CERTIFICATE_VERIFY_FAILED] certificate verify failed",
            "network_tls",
        ),
        ("API Request Failed (OpenAI completion error: 404, no body).", "not_found_model"),
        ("Proxy connection ended before receiving CONNECT response", "network_connection"),
        # --- read since the twentieth batch ---
        # A proxy's placeholder overloaded event does not outrank the cause it carries.
        (
            'CodeWhisperer 响应错误，状态码: 403, 响应: {"message":"The bearer token included in'
            ' the request is invalid.","reason":null}\nevent: error\n'
            'data: {"error":{"message":"error","type":"overloaded_error"},"type":"error"}',
            "auth_oauth_expired",
        ),
        (
            'data: {"error":{"message":"error","type":"overloaded_error"},"type":"error"}',
            "overloaded",
        ),
        (
            "The bearer token included in the request is invalid.\n"
            '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
            "overloaded",
        ),
        ("500 internal error\n\nExtension version: 0.25.2025022101", "status_outage"),
        ("Unknown: an internal error occurred (error ID: 527e76658f064be2)", "status_outage"),
        (
            'Error: {   message = "Invalid Authentication",'
            '   type = "invalid_authentication_error" }',
            "auth_invalid_key",
        ),
        (
            "Account role 'user' does not meet requirements for scope 'org:create_api_key'. One"
            " of these roles is required: developer, admin",
            "permission",
        ),
        ("OAuth token does not meet scope requirement user:profile", "auth_oauth_expired"),
        (
            "Received a 403 Forbidden error. Your session key might be invalid. Please try"
            " logging out and logging in again.",
            "auth_oauth_expired",
        ),
        (
            "API Error: Claude's response exceeded the 8000 output token maximum. To configure"
            " this behavior, set the CLAUDE_CODE_MAX_OUTPUT_TOKENS environment variable. It cost"
            " all my session limit.",
            "context_too_long",
        ),
        (
            'ERROR axum_server::errors: response="status = 422 Unprocessable Entity, message ='
            " error trying to connect: dns error: failed to lookup address information: Name"
            ' does not resolve"',
            "network_dns",
        ),
        (
            "<urlopen error [WinError 10061] no connection could be created, because the target"
            " computer is actively rejected>",
            "network_connection",
        ),
        (
            '[{"error":"Error: 1: Command failed with ERR_STREAM_PREMATURE_CLOSE: code --force'
            ' --install-extension anthropic.claude-code\\nPremature close"}]',
            "other",
        ),
        ("Error: Premature close (ERR_STREAM_PREMATURE_CLOSE)", "network_connection"),
        # --- read since the twenty-first batch ---
        (
            'Sourcegraph Cody Gateway: unexpected status code 400: {"error": "request blocked -'
            ' if you think this is a mistake, please contact support@sourcegraph.com"}',
            "permission",
        ),
        ("You are not currently authenticated with Claude Code", "auth_oauth_expired"),
        (
            "claude code 在重试10次后报错: API Error: 500 internal error:"
            " 输入内容超长，请缩短后重试.",
            "context_too_long",
        ),
        (
            "Claude客户端一直在使用，但是这个凭证过一段时间就会过期，凭证已过期，只能重新登录。",
            "auth_oauth_expired",
        ),
        ("该令牌已过期", "auth_invalid_key"),
        ("401 API key must start with 'sk-mega' prefix", "auth_invalid_key"),
        ("✻ 503 Anthropic pre-upstream queue is saturated. Please retry shortly.", "overloaded"),
        ("Still the same error — credit balance is still too low.", "billing_credit"),
        (
            "The API returns: `PDF is password protected. Please double press esc`",
            "invalid_request",
        ),
        (
            '[{"error":"Error: 1P event logging: 11 events failed to export (code=ECONNABORTED,'
            ' timeout of 10000ms exceeded)"}]',
            "timeout",
        ),
        ("Error: socket hang up (ECONNABORTED)", "network_connection"),
        (
            'I am getting "API Error: Connection error."\n\nWe see "Dropped due to failed client'
            ' SSL handshake".',
            "network_tls",
        ),
        ('{"debug": "Connection failed: Error: spawn node ~/.console-ninja/mcp/ ENOENT"}', "other"),
        (
            'default 错误: 401: {"code":"API_KEY_REQUIRED","message":"API key is required in'
            ' Authorization header (Bearer scheme), x-api-key header, or x-goog-api-key header"}',
            "auth_invalid_key",
        ),
        (
            '{"name": "UnknownError", "data": {"message": "Type validation failed: Value: null.'
            '\\nError message: [{\\"code\\": \\"invalid_union\\"}]"}}',
            "network_connection",
        ),
    ],
)
def test_words_read_within_the_nineteenth_to_twenty_first_batches(text: str, category: str) -> None:
    assert classify(text).category.value == category


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        # Policies, regions and clients a gateway or an organization refuses.
        (
            "Your organization has disabled API key authentication for Claude Code · Switch to a"
            " Claude.ai subscription, or ask your admin to enable API key access",
            "permission",
            "org_policy",
        ),
        (
            "Access managed by your organization. You haven't been added to your organization"
            " yet. Contact your administrator for access.",
            "permission",
            "org_policy",
        ),
        ("Redirected to https://claude.com/app-unavailable-in-region", "permission", "region"),
        (
            "botocore.exceptions.ClientError: An error occurred (500) when calling the Converse"
            " operation: You have not filled out the required use-case form for this model.",
            "permission",
            "cloud_model_access",
        ),
        ("401 unauthorized client detected, contact support", "permission", "gateway_policy"),
        (
            "API Error: 403 Your client is not authorized to use this API key · Please run /login",
            "permission",
            "gateway_policy",
        ),
        ("API Error: 403 Request refused by upstream · Please run /login", "permission", None),
        (
            "Failed to authenticate. API Error: Attention Required! | Cloudflare",
            "permission",
            "ip_restriction",
        ),
        (
            'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":'
            '"The long context beta is not yet available for this subscription."}}',
            "permission",
            None,
        ),
        # Sign-in flows that failed.
        (
            "OAuth error: Invalid code. Please make sure the full code was copied",
            "auth_oauth_expired",
            "oauth_login",
        ),
        ("OAuth error: invalid_grant: state mismatch", "auth_oauth_expired", "oauth_login"),
        ("OAuth error: Request failed with status code 500", "status_outage", None),
        ("OAuth error: Request failed with status code 403", "permission", None),
        (
            'Claude Desktop fails to complete SSO authentication with "Invalid authorization"',
            "auth_oauth_expired",
            "sso",
        ),
        ("We are unable to use this link. Please try again.", "auth_oauth_expired", "login_link"),
        (
            "1. Wait for `accessToken` to expire\n2. Actual: `401 authentication_error"
            ' "Invalid authentication credentials"`',
            "auth_oauth_expired",
            None,
        ),
        # Credentials a tool or gateway never had.
        ("response -> 500 -> auth_unavailable: no auth available", "auth_invalid_key", "no_key"),
        (
            '"error": "litellm.APIConnectionError: Your default credentials were not found. To'
            ' set up Application Default Credentials, see https://cloud.google.com/docs"',
            "auth_invalid_key",
            "gcp_credentials",
        ),
        # Models a gateway does not serve, by name.
        (
            'Banner: "Your gateway couldn\'t serve claude-opus-4-6"',
            "not_found_model",
            "gateway_model",
        ),
        (
            '{"error":{"message":"No endpoints found that support tool use.","code":404}}',
            "not_found_model",
            "gateway_model",
        ),
        (
            "Agent orchestrator's configured model amazon-bedrock/global.anthropic.claude-x-v1:0"
            " is not valid",
            "not_found_model",
            None,
        ),
        (
            "404: model: claude-3-7-sonnet-20250219-thinking (request id: 20250314014401734)",
            "not_found_model",
            None,
        ),
        # A router's wrapper: the provider's own status decides, not the wrapper's type.
        (
            'API Error: 404 {"error":{"message":"Error from provider(404): {\\"error\\":{\\"code'
            '\\":\\"http_error\\",\\"message\\":\\"Not Found\\"}}","type":"api_error","code":'
            '"provider_response_error"}}',
            "not_found_model",
            None,
        ),
        (
            'API Error: 400 {"error":{"message":"Error from provider(acme,claude-x: 400): bad'
            ' field","type":"api_error","code":"provider_response_error"}}',
            "invalid_request",
            None,
        ),
        # Budgets and payment.
        (
            "400 ExceededBudget: User=4865 over budget. Spend=10.6, Budget=10.0",
            "rate_limit",
            "spend_limit",
        ),
        (
            "AccessDeniedException: Model access is denied due to INVALID_PAYMENT_INSTRUMENT:A"
            " valid payment instrument must be provided.",
            "billing_credit",
            None,
        ),
        # claude.ai's own messages in Japanese.
        ("5時間の制限に達しました - 18:00にリセットされます。", "rate_limit", "subscription_limit"),
        ("「週間利用上限に達しました」", "rate_limit", "subscription_limit"),
        ("もうすぐ週間制限に達します", "rate_limit", "subscription_limit"),
        ("予期せぬ容量制限により、Claudeは現在応答できません", "overloaded", "capacity"),
        (
            "メッセージがこのチャットの長さ制限を超えます。新しい会話を開始してください。",
            "context_too_long",
            None,
        ),
        # Request shape and size.
        (
            "tools.71.FrontendRemoteMcpToolDefinition.name: String should have at most 64"
            " characters",
            "invalid_request",
            "field_validation",
        ),
        (
            "Properties validation failed: [#/InferenceConfiguration/Text/MaxTokens: 16384 is"
            " not less or equal to 4096]",
            "invalid_request",
            "field_validation",
        ),
        (
            "The model returned the following errors: messages: too many images: image_count > 20",
            "request_too_large",
            "too_many_images",
        ),
        # DNS in plain words; pages from a gateway's own server.
        (
            "This causes api.anthropic.com to be unresolvable from inside the VM.",
            "network_dns",
            None,
        ),
        (
            '500 <!DOCTYPE html><html><head><title data-next-head="">500: Internal Server'
            "</title></head><body></body></html>",
            "status_outage",
            "gateway_error",
        ),
        (
            "<html><head><title>Error</title></head><body><h1>An error occurred.</h1><p>Sorry,"
            " the page you are looking for is currently unavailable.</p></body></html>",
            "status_outage",
            "gateway_error",
        ),
        # Not API errors: a connector's banner, a package repository.
        (
            "There was an error connecting to the MCP server. Please check your server URL and"
            " make sure your server handles auth correctly.",
            "other",
            "mcp_server",
        ),
        (
            "Err:9 https://example.github.io/claude-desktop-debian stable Release\n"
            "  Redirection from https to 'http://pkg.example.dev/dists/stable/Release' is"
            " forbidden [IP: 2606:50c0:8002::153 443]",
            "other",
            "install",
        ),
        # A first-person retelling after the error does not replace it.
        (
            '{"status":404,"error":"No endpoints found that support tool use."}\n'
            "I encountered an error connecting to the AI provider. Please check your API key.",
            "not_found_model",
            "gateway_model",
        ),
    ],
)
def test_words_read_in_the_twenty_second_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("Error: model id cannot be found", "not_found_model", None),
        (
            'ConnectError("dns error", Os { code: 11001, message: "No such host is known." })',
            "network_dns",
            None,
        ),
        ("getaddrinfo failed: No such host is known.", "network_dns", None),
        (
            "Error: Connection error.\nBehind the proxy there is a HTTPS certificate issue.",
            "network_tls",
            None,
        ),
        ("根本原因：SSL证书验证失败", "network_tls", None),
        (
            '{"error":{"message":"Last error: HTTP 429: {\\"reason\\": \\"QUOTA_EXHAUSTED\\"}",'
            '"type":"overloaded_error"}}',
            "rate_limit",
            "vertex_quota",
        ),
        ("All accounts limited. Wait 7181s.", "rate_limit", None),
        (
            "gateway.forward_failed path=/v1/messages model=claude-sonnet-4-6 error=parse"
            " response: invalid character '(' looking for beginning of value",
            "status_outage",
            "gateway_error",
        ),
        (
            'API Error: 400 "Image does not match the provided media type image/png"',
            "invalid_request",
            "image_media_type",
        ),
        (
            "the ingress resets handshakes whose ClientHello carries X25519MLKEM768",
            "network_tls",
            None,
        ),
        ("Code mode fails with SSL cert verification behind the proxy", "network_tls", None),
        (
            "Unable to connect to API (ConnectionRefused)\nRoot cause: the resolver gets NXDOMAIN"
            " for api.anthropic.com",
            "network_dns",
            None,
        ),
        (
            "Connection failed: Failed to install Claude CLI: installed cli at"
            " ~/.claude/remote/ccd-cli/2.1.181 is not runnable",
            "other",
            "install",
        ),
        (
            '"Error: Remote Control is not enabled for your account. Contact your administrator."',
            "permission",
            "org_policy",
        ),
        (
            "Failed to authenticate. API Error: 401 Invalid authentication credentials\n"
            "The repo secret `CLAUDE_CODE_OAUTH_TOKEN` is expired or revoked.",
            "auth_oauth_expired",
            None,
        ),
    ],
)
def test_words_read_in_the_twenty_third_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


def test_a_request_id_in_brackets_is_extracted() -> None:
    signal = classify(
        "[info] request done: requestId: [4242c5b3-e975-41f0-b1ad-0eb55d40b49a]\n"
        "[error] Server error: 500 Internal Server Error"
    )
    assert signal.request_ids == ("4242c5b3-e975-41f0-b1ad-0eb55d40b49a",)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        (
            "Request too large for gpt-5.1 in organization org-x on tokens per min (TPM): Limit"
            " 30000, Requested 162807.",
            "rate_limit",
            "api_tier_limit",
        ),
        # Claude Code's cause line names a bug in the client, not the network.
        (
            "API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n"
            "    ⎿  TypeError (Cannot read properties of undefined (reading 'replace'))",
            "other",
            "client_bug",
        ),
        (
            "API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n"
            "    ⎿  TypeError (fetch failed)",
            "network_connection",
            None,
        ),
        ("exceeding Anthropic's 32 MB request body limit", "request_too_large", None),
        (
            "litellm.InternalServerError: VertexAIException InternalServerError -"
            " Reauthentication is needed. Please run `gcloud auth application-default login`",
            "auth_oauth_expired",
            "gcp_credentials",
        ),
        (
            'If you encounter "Could not load the default credentials" errors: run `gcloud auth'
            " application-default login`",
            "auth_invalid_key",
            "gcp_credentials",
        ),
        (
            'its gate reports "`CLAUDE_CODE_OAUTH_TOKEN` is missing/expired"',
            "auth_oauth_expired",
            None,
        ),
    ],
)
def test_words_read_in_the_twenty_fourth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        # claude.ai's own limits in German, Korean and Portuguese.
        ("5-Stunden-Limit erreicht – setzt zurück um 14:00.", "rate_limit", "subscription_limit"),
        ("Wochenlimit erreicht", "rate_limit", "subscription_limit"),
        ("예상치 못한 용량 제약으로 인해 응답할 수 없습니다.", "overloaded", "capacity"),
        (
            "Ihre Nachricht überschreitet das Längenlimit für diesen Chat.",
            "context_too_long",
            "conversation_length",
        ),
        ("Desculpe, você excedeu o limite de uso.", "rate_limit", "subscription_limit"),
        # Throttles and allowances told in words and codes.
        ("ThrottlingException: Your request rate is too high.", "rate_limit", "bedrock_throttle"),
        ("Your request rate is too high. Reduce the frequency of requests.", "rate_limit", None),
        ("Error Code: agent_mode_gpt5_limit_exceeded", "rate_limit", None),
        ("code: context_limit_exceeded", "other", None),
        (
            "router | all 3 active credentials cooling down for model claude-opus (reset after 9s)",
            "rate_limit",
            "subscription_limit",
        ),
        ("GLM Coding Plan has expired, please renew to restore access.", "billing_credit", None),
        # Sign-in flows.
        ("Failed to exchange authorization code for tokens", "auth_oauth_expired", "oauth_login"),
        ("Failed to exchange authorization code: HTTP 404", "not_found_model", None),
        (
            "Redirect URI http://localhost:5555/callback is not supported by client.",
            "auth_oauth_expired",
            "oauth_login",
        ),
        (
            "App token exchange failed: 401 Unauthorized - Invalid OIDC token",
            "auth_oauth_expired",
            None,
        ),
        ("App token exchange failed: 503 Service Unavailable", "status_outage", None),
        (
            'Post "https://x-aiplatform.googleapis.com/v1/…:rawPredict": oauth2/google: cannot'
            " fetch token: 400",
            "auth_oauth_expired",
            "gcp_credentials",
        ),
        ("No Claude credentials found. Run claude /login.", "auth_invalid_key", "no_key"),
        ("error: no credential for anthropic", "auth_invalid_key", "no_key"),
        (
            "API Error: 403 Authorization header requires 'Signature' parameter.",
            "auth_invalid_key",
            "cloud_credentials",
        ),
        (
            "you appear to be making a request using a non-Claude code cli client, which is"
            " prohibited",
            "permission",
            "gateway_policy",
        ),
        ("litellm: can_key_call_model raised ProxyException", "permission", "gateway_policy"),
        (
            '{"org_policy": "block", "policy_source": "account_disabled"}',
            "permission",
            "org_policy",
        ),
        # The network, in a tool's words.
        ("API Error: stream ended without sending any chunks", "network_connection", "empty_reply"),
        ("The upstream returned an empty response.", "network_connection", "empty_reply"),
        (
            "FetchError: invalid json response body at http://10.0.0.1:3128/v1/messages reason:"
            " Unexpected token < in JSON at position 0",
            "network_connection",
            "html_intercepted",
        ),
        (
            "TypeError: fetch failed [cause]: InvalidArgumentError: Invalid URL protocol: the URL"
            " must start with `http:` or `https:`.",
            "network_connection",
            "proxy",
        ),
        (
            "Login failed: No response from server (network error or timeout)",
            "network_connection",
            None,
        ),
        ("Não é possível acessar a API do Claude.", "network_connection", None),
        (
            "The corporate proxy intercepts TLS and presents its own CA.",
            "network_tls",
            "interception",
        ),
        (
            "API Error: Connection error. (the SSL cert chain is not trusted)",
            "network_tls",
            "interception",
        ),
        # The request and the model, in a tool's words.
        (
            "The following images are dropped due to exceeding size limit (5MB):",
            "request_too_large",
            "image_limit",
        ),
        (
            "Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
            "invalid_request",
            "image_media_type",
        ),
        (
            'anthropic-version: "2023-06-01,2023-06-01" is not a valid version',
            "invalid_request",
            None,
        ),
        (
            "litellm.UnsupportedParamsError: bedrock does not support parameters: ['seed']",
            "invalid_request",
            None,
        ),
        (
            "500 There's currently no account supporting this model",
            "not_found_model",
            "gateway_model",
        ),
        ("Error code: 401 - {'message': '暂不支持指定的模型'}", "not_found_model", None),
        ("Model anthropic claude-x not exist.", "not_found_model", None),
        ("The resource you are requesting could not be found", "not_found_model", None),
        # A task runner's startup that printed no JSON is the tool's own failure.
        (
            "CLI output was not valid JSON. Output: helper: mount failed: invalid argument",
            "other",
            "client_side",
        ),
    ],
)
def test_words_read_in_the_twenty_fifth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        # The API's own checks, told by the field they name.
        ("messages: text content blocks must contain non-whitespace text", "invalid_request", None),
        ('messages: first message must use the "user" role', "invalid_request", None),
        ("messages.3.content.1.text: Field required", "invalid_request", None),
        ("tools.3.input_schema: Field required", "invalid_request", None),
        ("thinking.type.enabled is not supported for this model", "invalid_request", None),
        ("temperature is deprecated for this model.", "invalid_request", None),
        (
            "A maximum of 4 blocks with cache_control may be provided. Found 6.",
            "invalid_request",
            None,
        ),
        ("anthropic-version: header is required", "invalid_request", None),
        ("Anthropic does not support /v1/completions endpoint.", "invalid_request", None),
        (
            "1 validation error detected: Value 'a b' at 'toolConfig.tools.2.member.toolSpec.name'"
            " failed to satisfy constraint",
            "invalid_request",
            "bedrock_validation",
        ),
        # A log's "metadata: undefined" or "tools: null" is not a field the API refused.
        ("2025-06-01 [info] Server started metadata: undefined", "other", None),
        # The road and its limits in a tool's words.
        (
            "Failed parsing Anthropic stream Error: Stream ended without message_stop event",
            "network_connection",
            "dropped_mid_response",
        ),
        ("AnthropicError: TypeError: terminated", "network_connection", "dropped_mid_response"),
        (
            "Firewall blocked 2 domains: `api.anthropic.com`, `statsig.anthropic.com`",
            "network_connection",
            "firewall",
        ),
        ("EDGE_FUNCTION_INVOCATION_TIMEOUT", "timeout", None),
        ("Connection error details: code=UNABLE_TO_GET_ISSUER_C", "network_tls", "interception"),
        ("Failed to connect to Anthropic. Error: [400]", "invalid_request", None),
        ("Failed to connect to Anthropic. Error: [401]", "auth_invalid_key", None),
        ("Excessive Slow Pool Usage", "rate_limit", "subscription_limit"),
        # Sign-in, keys and policies.
        ("Error: Token exchange failed: Forbidden", "auth_oauth_expired", "oauth_login"),
        ("Error: `ANTHROPIC_API_KEY environment variable required`", "auth_invalid_key", "no_key"),
        (
            "API Error: 401 <?xml version='1.0'?><Error><Code>AuthenticationRequired</Code>"
            "</Error>",
            "auth_invalid_key",
            None,
        ),
        (
            "the `CLAUDE_CODE_OAUTH_TOKEN` secret is no longer being accepted",
            "auth_oauth_expired",
            None,
        ),
        ('CreateSession 400: {"reason":"github_repo_access_denied"}', "permission", "org_policy"),
        ("Workflow initiated by non-human actor: renovate (type: Bot).", "permission", "ci_policy"),
        # A tool's own failures.
        ("Error: Claude Code CLI not found in PATH.", "other", "client_side"),
        (
            "Claude turn ended in failure (StopFailure hook fired — rate limit, auth, or server"
            " error)",
            "other",
            "client_side",
        ),
        (
            "Anthropic response contained no tool_use block (stop_reason: max_tokens).",
            "other",
            "client_side",
        ),
    ],
)
def test_words_read_in_the_twenty_sixth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        (
            '{"type":"error","error":{"type":"not_found_error","message":"Message Batch'
            ' msgbatch_01X has no available results."}}',
            "invalid_request",
            None,
        ),
        ("API Error: 400 model not configured", "not_found_model", None),
        ('{"message":"too many total text bytes: 10000002 > 9000000"}', "context_too_long", None),
        ("Anthropic API Error: 529 Too Many Requests", "overloaded", None),
        ("API Error: 429 Too Many Requests", "rate_limit", None),
        (
            "Error code: 404 - {'message': 'Access denied. This Model is marked by provider as"
            " Legacy and you have not been actively using the model in the last 30 days.'}",
            "not_found_model",
            "model_retired",
        ),
        (
            'BedrockException: "The number of toolResult blocks at messages.2.content exceeds the'
            ' number of toolUse blocks of previous turn."',
            "invalid_request",
            "tool_mismatch",
        ),
    ],
)
def test_words_read_in_the_twenty_seventh_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("Usage credits are required for this model.", "rate_limit", "extra_usage"),
        ("Fable 5 runs on usage credits — you have $0.00.", "rate_limit", "extra_usage"),
        ("400 Third-party apps now draw from your extra usage", "rate_limit", "extra_usage"),
        ("Payment to Anthropic, PBC did not go through", "billing_credit", None),
        (
            "Failed to connect to api.anthropic.com: Request failed with status code 503",
            "status_outage",
            None,
        ),
        ("CN=api.anthropic.com (leaf, issued by Zscaler)", "network_tls", "interception"),
        ("- Trust evaluate failure: [leaf AnchorTrusted]", "network_tls", None),
        (
            "[WARN] Slow first byte: no stream chunk 30.0s after request sent (attempt 1)",
            "timeout",
            "stream_idle",
        ),
        ("error: FailedToOpenSocket", "network_connection", None),
        (
            "Unable to verify organization for the current authentication token.",
            "permission",
            "org_policy",
        ),
        (
            "⚠️ Proactive refresh failed for alice: Request failed with status code 400",
            "auth_oauth_expired",
            "oauth_refresh",
        ),
        ("Token refresh failed for alice: 503 Service Unavailable", "status_outage", None),
        (
            "at Object.wk9 [as resolveSSOCredentials] (cli.js:248:41745)",
            "auth_oauth_expired",
            "aws_sso",
        ),
        ("System message must be at beginning of message list.", "invalid_request", None),
        (
            "data retention mode 'default' is not available for this model",
            "invalid_request",
            None,
        ),
        ("! Claude doesn't support remote images", "invalid_request", None),
        ("Requested API is currently not supported", "invalid_request", None),
        ("Choosing it gives a LLM is currently unavailable error", "status_outage", None),
        ("Anthropic Error [503]: Unknown error", "status_outage", None),
        ("there is a 500 error when sending the chat request", "status_outage", None),
        ("Error: Claude Sonnet 4.5 - 404", "not_found_model", None),
        (
            "Internal server error: Cannot read properties of undefined (reading 'toolCalls')",
            "other",
            "client_side",
        ),
        ('The tab shows a "ccusage command failed" error', "other", "client_side"),
    ],
)
def test_words_read_in_the_twenty_eighth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


def test_a_bug_reports_errors_log_does_not_replace_the_error_it_reports() -> None:
    # Claude Code's bug report: the error the report is about, then the session's errors log.
    report = (
        "API Error: The socket connection was closed unexpectedly.\n\n"
        "**Environment Info**\n- Platform: linux\n\n**Errors**\n```json\n"
        '[{"error":"Error: 429 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":'
        '\\"rate_limit_error\\",\\"message\\":\\"Rate limited\\"}}"}]\n```\n'
    )
    assert classify(report).category.value == "network_connection"
    # A report with no error of its own is read by its log.
    bare = report.split("\n", 1)[1]
    assert classify(bare).category.value == "rate_limit"


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("Failed to connect to api.anthropic.com: ETIMEOUT", "network_dns", None),
        (
            "The VM couldn't resolve `api.anthropic.com` so it showed API UNREACHABLE.",
            "network_dns",
            None,
        ),
        (
            "Could not resolve authentication method. Expected either apiKey",
            "auth_invalid_key",
            None,
        ),
        ("at FastTimer.onParserTimeout [as _onTimeout] (undici:6363:32)", "timeout", None),
        (
            "CLAUDE_CODE_CLIENT_CERT is not re-read when it expires, giving ECONNRESET",
            "network_tls",
            "certificate_expired",
        ),
        ("500 upstream failing (all circuit breakers open)", "status_outage", None),
        ("Cascade has encountered an internal error. No credits consumed.", "status_outage", None),
        ("Concurrency limit exceeded for account, please retry later", "rate_limit", None),
        ("429 Too many concurrent requests. Limit: 1", "rate_limit", None),
        (
            '429 {"message": "Resource has been exhausted (e.g. check quota).",'
            ' "type": "overloaded_error"}',
            "rate_limit",
            "vertex_quota",
        ),
        (
            "fails with ERROR_NOT_LOGGED_IN (gRPC status code 16 / UNAUTHENTICATED)",
            "auth_oauth_expired",
            None,
        ),
        (
            "No access token available after initialization and refresh attempts.",
            "auth_oauth_expired",
            "oauth_refresh",
        ),
        (
            "Claude OAuth credentials not found. Run `claude` to authenticate.",
            "auth_oauth_expired",
            "oauth_refresh",
        ),
        (
            'Error { code: "AccessDeniedException", message: "The bearer token included in the'
            ' request is invalid." }',
            "auth_oauth_expired",
            "oauth_refresh",
        ),
        ('{"error": true, "msg": "empty access code"}', "auth_invalid_key", None),
        (
            "To log into Claude Code with Teams, start Claude Code and login with the Console.",
            "permission",
            "org_policy",
        ),
        (
            "Your organization requires remote managed settings to load, but they could not be"
            " loaded.",
            "permission",
            "org_policy",
        ),
        ("additionalModelRequestFields is not supported for this model", "invalid_request", None),
        ("Unsupported content type: redacted_thinking", "invalid_request", None),
        (
            "Request failed: Bad Request, error: invalid JSON body, type: api_error",
            "invalid_request",
            None,
        ),
        (
            "request must not include both 'authorization' and 'x-api-key' headers",
            "invalid_request",
            None,
        ),
        ("Error: Unsupported model provider: kiro-api", "other", "client_side"),
        (
            "The bridged Claude Code process stopped responding mid-turn. Check your terminal for"
            " errors (you may need to run /login).",
            "other",
            "client_side",
        ),
        (
            "[ClaudeCode] [ERROR] Connection timeout - clearing 1 queued @ mentions",
            "other",
            "client_side",
        ),
        ("you likely see Error -32000 or Connection closed immediately", "other", "client_side"),
        ("claude command not found at /home/yolo/.local/bin/claude", "other", "install"),
    ],
)
def test_words_read_in_the_twenty_ninth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


def test_the_vs_code_extensions_prefix_leaves_each_line_its_own_level() -> None:
    # The extension relays every line at [info]; the error under it is still an error.
    log = (
        "2026-06-29 14:52:24.517 [info] From claude: 2026-06-29T09:22:24.518Z [DEBUG] Broken"
        " symlink or missing file encountered for settings.json\n"
        "2026-06-29 14:52:24.518 [info] From claude: Your organization requires remote managed"
        " settings to load, but they could not be loaded.\n"
        "2026-06-29 14:52:24.566 [error] Error spawning Claude: Error: Claude Code process"
        " exited with code 1\n"
    )
    assert classify(log).category.value == "permission"


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("sync: GET https://api.example.test/v1/sessions returned 403", "permission", None),
        ("Upload failed (413 error detected)", "request_too_large", None),
        ("Your account has been blocked. Contact support.", "permission", None),
        ("Workspace may have been suspended by an administrator", "permission", None),
        (
            "This tool requires AWS credentials; none were found in the environment.",
            "auth_invalid_key",
            None,
        ),
        (
            "You must have Google Cloud credentials set up to use Vertex AI.",
            "auth_invalid_key",
            None,
        ),
        ("Weekly request limit exceeded: 500 of 500 used", "rate_limit", "subscription_limit"),
        ("completion failed, code: internal_server_error", "status_outage", None),
        ("TypeError: terminated", "network_connection", "dropped_mid_response"),
        ("Error: 'proxy.corp:8080' cannot be parsed as a URL", "network_connection", "proxy"),
        (
            "Claude's workspace requires Virtual Machine Platform, which is turned off.",
            "other",
            "client_side",
        ),
        ("Model claude-sonnet-9 not found, using default context size", "other", "client_side"),
    ],
)
def test_words_read_in_the_thirtieth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


def test_a_local_servers_id_for_its_own_call_is_not_a_request_id() -> None:
    signal = classify(
        "[worker] ← 200 /api/sessions {requestId=POST-1769136216374, duration=10ms}\n"
        "[worker] Response received: Invalid API key · Please run /login"
    )
    assert signal.category.value == "auth_invalid_key"
    assert signal.request_ids == ()
    kept = classify('{"requestId": "b2c9a1f0-77aa-4d1e-9d55-1e0a7c1b2f3e", "message": "x"}')
    assert kept.request_ids == ("b2c9a1f0-77aa-4d1e-9d55-1e0a7c1b2f3e",)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("Error 400: max_tokens: 20000 > 4096", "invalid_request", None),
        (
            "Your API request included an `assistant` message in the final position, which"
            " would pre-fill the `assistant` response.",
            "invalid_request",
            None,
        ),
        (
            "messages.1.content.0: Invalid \\`signature\\` in \\`thinking\\` block",
            "invalid_request",
            "thinking",
        ),
        ("⚠ Pre-flight check is taking longer than expected.", "timeout", None),
        (
            'ValidationException: {"message":"The supplied credentials are invalid."}',
            "auth_invalid_key",
            None,
        ),
    ],
)
def test_words_read_in_the_thirty_first_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("error: messages: at least one message is required", "invalid_request", None),
        ('400 Bad Request: first message must use the "user" role', "invalid_request", None),
        (
            "tools.0.input_schema.properties: Input should be a valid dictionary",
            "invalid_request",
            None,
        ),
        ("`output_config.effort` is not supported for this model.", "invalid_request", None),
        (
            "ValidationException: The toolConfig field must be defined when using toolUse and"
            " toolResult content blocks.",
            "invalid_request",
            "bedrock_validation",
        ),
        (
            "Error: the model is currently unavailable, please try again later",
            "status_outage",
            None,
        ),
        (
            'Model "acme/coder-v2" is not configured for target provider openai.',
            "not_found_model",
            None,
        ),
        (
            "You must configure your Claude Code OAuth token before starting work.",
            "auth_invalid_key",
            None,
        ),
        (
            'data: {"error":{"code":"1302","message":"High concurrency usage of this API"}}',
            "rate_limit",
            None,
        ),
        ("403 此账号已触发上游限流控制，请稍后再试", "rate_limit", None),
        ("Error: Remote Control is not yet available on your plan.", "permission", None),
        (
            "Do not use this API outside Claude Code CLI",
            "permission",
            "oauth_outside_claude_code",
        ),
        (
            "messages.3: `web_search` tool use with id `srvtoolu_01` was found without a"
            " corresponding `web_search_tool_result` block",
            "invalid_request",
            "tool_mismatch",
        ),
        ("Error: Requested entity was not found.", "not_found_model", None),
    ],
)
def test_words_read_in_the_thirty_second_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        (
            "Anthropic with MCP erroring: {'type': 'invalid_request_error', 'message':"
            " 'tools.0.custom.name: String should match pattern'}",
            "invalid_request",
            None,
        ),
        ("MCP server github failed to start", "other", "mcp_server"),
        (
            '{"success":false,"errorType":"tool_error","error":"search timed out after 15000ms"}',
            "other",
            "client_side",
        ),
        (
            '[{"error": "Server stderr: Error: 4 DEADLINE_EXCEEDED: Deadline exceeded"}]',
            "other",
            "mcp_server",
        ),
        (
            "No result received from the Claude Desktop app after waiting 4 minutes. The local"
            " MCP server providing this tool may be unresponsive.",
            "other",
            "mcp_server",
        ),
        (
            "Error: url: Localhost URLs cannot be used because our servers cannot reach your"
            " local machine.",
            "other",
            "mcp_server",
        ),
        (
            "dial tcp: lookup api.anthropic.com on 10.0.0.2:53: read udp"
            " 10.0.0.5:41000->10.0.0.2:53: i/o timeout",
            "network_dns",
            None,
        ),
        ("⎿  API Error: Invalid URL", "network_connection", "proxy"),
        (
            '503 {"error":{"message":"No available accounts: no available accounts supporting'
            ' model: claude-opus-4-5"}}',
            "not_found_model",
            "cloud_model_id",
        ),
        (
            'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":'
            '"You have reached your specified API usage',
            "rate_limit",
            "spend_limit",
        ),
        (
            '{"error":{"message":"All 3 attempts failed. Last error: HTTP 400: Request contains'
            ' an invalid argument.","type":"overloaded_error"}}',
            "invalid_request",
            None,
        ),
        (
            "CREATE_FAILED AWS::Logs::SubscriptionFilter: The specified log group does not exist."
            " (Service: CloudWatchLogs, Status Code: 400; HandlerErrorCode: NotFound)",
            "other",
            "client_side",
        ),
        ("API Error: 403 Invalid Token", "auth_invalid_key", None),
    ],
)
def test_words_read_in_the_thirty_third_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)


@pytest.mark.parametrize(
    ("text", "category", "kind"),
    [
        ("The account 123456789012 cannot perform this operation.", "permission", None),
        ("Error: tools.2.custom.input_schema: JSON schema is invalid.", "invalid_request", None),
        (
            'API Error: 400 {"code":"CONTENT_LENGTH_EXCEEDS_THRESHOLD","error":"too long"}',
            "context_too_long",
            None,
        ),
        (
            "[ERROR] Stream ended without receiving any events",
            "network_connection",
            "dropped_mid_response",
        ),
    ],
)
def test_words_read_in_the_thirty_fourth_batch(text: str, category: str, kind: str | None) -> None:
    signal = classify(text)
    assert (signal.category.value, signal.kind) == (category, kind)
