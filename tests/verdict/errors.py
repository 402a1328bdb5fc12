"""Errors as users paste them: Claude Code's ``API Error`` lines, the Python SDK's exception
reprs, claude.ai's own messages, a gateway's nginx pages, Bedrock's throttling. Request ids
are made up but shaped like Anthropic's."""

from __future__ import annotations

from tests.verdict.machine import MODEL_404, TOOL_RESULT_400, nginx_page

CODE_500 = (
    'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server '
    'error"},"request_id":"req_011CV1xyzAbCdEf"}'
)
CODE_529 = (
    'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},'
    '"request_id":"req_011CV529over0001"}'
)
CODE_429_ORG = (
    'API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request '
    "would exceed the rate limit for your organization of 50,000 input tokens per minute. "
    'For details, refer to: https://docs.claude.com/en/api/rate-limits."},'
    '"request_id":"req_011CV429rate0001"}'
)
CODE_CONNECTION = "API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)"
CODE_TIMEOUT = "API Error: Request timed out."
CODE_SELF_SIGNED = "API Error: self signed certificate in certificate chain"
ENOTFOUND = "Error: getaddrinfo ENOTFOUND api.anthropic.com"
CODE_OAUTH_EXPIRED_401 = (
    'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth '
    'token has expired. Please obtain a new token or refresh your existing token."},'
    '"request_id":"req_011CVoauth000001"}'
)
CODE_TOKEN_EXPIRED = "OAuth token has expired · Please run /login"
CODE_NOT_LOGGED_IN = "Not logged in · Please run /login"
CODE_INVALID_KEY_401 = (
    'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid '
    'x-api-key"},"request_id":"req_011CVbadkey00001"} · Please run /login'
)
CODE_CREDIT_LOW = "Credit balance is too low"
CODE_CREDIT_LOW_400 = (
    'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"Your '
    "credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
    'upgrade or purchase credits."},"request_id":"req_011CVcredit00001"}'
)
USAGE_LIMIT = "Claude AI usage limit reached|1767225600"
CODE_413 = (
    'API Error: 413 {"type":"error","error":{"type":"request_too_large","message":"Request '
    'exceeds the maximum size"}}'
)
CODE_PROMPT_TOO_LONG = (
    'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt '
    'is too long: 215000 tokens > 200000 maximum"},"request_id":"req_011CVlong00001"}'
)
CODE_TOOL_RESULT_400 = TOOL_RESULT_400
CODE_MODEL_404 = MODEL_404
OAUTH_500 = "OAuth error: Request failed with status code 500"
HELPER_FAILED = (
    "Error getting API key from apiKeyHelper (in settings.json): Command failed: get-key.sh"
)
#: Claude Code on Bedrock, throttled by the AWS account's quota.
BEDROCK_429 = 'API Error: 429 {"message":"Too many requests, please wait before trying again."}'

GATEWAY_HTML_500 = "API Error: 500 " + nginx_page(500, "Internal Server Error")
GATEWAY_HTML_502 = "API Error: 502 " + nginx_page(502, "Bad Gateway")

SDK_400_SYTEM = (
    "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': "
    "'invalid_request_error', 'message': 'sytem: Extra inputs are not permitted'}, "
    "'request_id': 'req_011CX9sytem00001'}"
)
SDK_400_ALTERNATE = (
    "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': "
    "'invalid_request_error', 'message': 'messages: roles must alternate between \"user\" and "
    '"assistant", but found multiple "user" roles in a row\'}, '
    "'request_id': 'req_011CX400alt0001'}"
)
SDK_500 = (
    "anthropic.InternalServerError: Error code: 500 - {'type': 'error', 'error': {'type': "
    "'api_error', 'message': 'Internal server error'}, 'request_id': 'req_011CX500sdk00001'}"
)
SDK_429 = (
    "anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': "
    "'rate_limit_error', 'message': 'This request would exceed the rate limit for your "
    "organization of 50 requests per minute.'}, 'request_id': 'req_011CX429sdk00001'}"
)
SDK_CONNECTION = "anthropic.APIConnectionError: Connection error."

CLAUDE_AI_DOWN = (
    "Claude will return soon. Claude.ai is currently experiencing a temporary service "
    "disruption. We’re working on it, please check back soon."
)

#: The body an API developer sent: a typo'd top-level key.
SYTEM_BODY = {
    "model": "claude-sonnet-4-5-20250929",
    "max_tokens": 1024,
    "sytem": "You are terse.",
    "messages": [{"role": "user", "content": "Summarise the attached notes."}],
}
#: Two user turns in a row.
ALTERNATE_BODY = {
    "model": "claude-sonnet-4-5-20250929",
    "max_tokens": 1024,
    "messages": [
        {"role": "user", "content": "Here are my notes."},
        {"role": "user", "content": "Summarise them."},
    ],
}
