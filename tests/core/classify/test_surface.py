"""Where an error text came from (``ErrorSignal.surface``), read from each surface's own
words: claude.ai's and Desktop's messages, the SDKs' exception shapes, Claude Code's
prefixes, another tool's or gateway's wording; a bare API body says nothing of its surface."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify
from claude_doctor.model import Surface

REQ = "req_011CWq8vPzJ3mXbE7dNaFh2K"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # claude.ai in a browser
        (
            "Due to unexpected capacity constraints, Claude is unable to respond to your "
            "message. Please try again soon.",
            Surface.CLAUDE_AI,
        ),
        (
            "Your message will exceed the length limit for this chat. Try shortening your "
            "message or starting a new conversation.",
            Surface.CLAUDE_AI,
        ),
        (
            "Claude hit the maximum length for this conversation. Please start a new "
            "conversation to continue chatting with Claude.",
            Surface.CLAUDE_AI,
        ),
        ("You are out of free messages until 5:00 PM", Surface.CLAUDE_AI),
        (
            "Claude will return soon. Claude.ai is currently experiencing a temporary service "
            "disruption. We're working on it, please check back soon.",
            Surface.CLAUDE_AI,
        ),
        # Claude Desktop
        (
            "MCP filesystem: Server disconnected. For troubleshooting guidance, please visit "
            "our debugging documentation",
            Surface.DESKTOP,
        ),
        ("Could not attach to MCP server github", Surface.DESKTOP),
        (
            "2025-06-01T10:00:00.000Z [github] [error] spawn npx ENOENT "
            "(see ~/Library/Logs/Claude/mcp-server-github.log)",
            Surface.DESKTOP,
        ),
        # The SDKs
        (
            "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': "
            "'invalid_request_error', 'message': 'sytem: Extra inputs are not permitted'}, "
            f"'request_id': '{REQ}'}}",
            Surface.API_SDK,
        ),
        (
            f"BadRequestError 400 sytem: Extra inputs are not permitted (request_id: {REQ})",
            Surface.API_SDK,
        ),
        (
            "anthropic._exceptions.OverloadedError: Error code: 529 - {'type': 'error', "
            "'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}",
            Surface.API_SDK,
        ),
        (
            "anthropic.APIStatusError: {'type': 'error', 'error': {'details': None, 'type': "
            "'overloaded_error', 'message': 'Overloaded'}}",
            Surface.API_SDK,
        ),
        ("APIConnectionError: Connection error.", Surface.API_SDK),
        (
            'Exception in thread "main" com.anthropic.errors.UnauthorizedException: 401: '
            '{"type":"error","error":{"type":"authentication_error","message":"invalid '
            'x-api-key"}}',
            Surface.API_SDK,
        ),
        (
            'POST "https://api.anthropic.com/v1/messages": 400 Bad Request {"type":"error",'
            '"error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}',
            Surface.API_SDK,
        ),
        # Claude Code
        (
            'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":'
            f'"invalid x-api-key"}},"request_id":"{REQ}"}}',
            Surface.CLAUDE_CODE,
        ),
        (
            "Claude usage limit reached. Your limit will reset at 3pm (America/Santiago).",
            Surface.CLAUDE_CODE,
        ),
        ("Unable to connect to API (ECONNRESET)", Surface.CLAUDE_CODE),
        ("Missing API key · Run /login", Surface.CLAUDE_CODE),
        (
            "Request too large (max 32MB). Double press esc to go back and try with a "
            "smaller file.",
            Surface.CLAUDE_CODE,
        ),
        # Other tools and gateways: the same class names, not the Anthropic SDK
        (
            'litellm.RateLimitError: AnthropicException - {"type":"error","error":'
            '{"type":"rate_limit_error","message":"Number of request tokens has exceeded your '
            'per-minute rate limit"}}',
            Surface.OTHER_TOOL,
        ),
        (
            "APICallError [AI_APICallError]: prompt is too long: 202609 tokens > 200000 maximum",
            Surface.OTHER_TOOL,
        ),
        # A bare API body: nothing says where it was seen
        (
            '{"type":"error","error":{"type":"api_error","message":"Internal server error"},'
            f'"request_id":"{REQ}"}}',
            Surface.UNKNOWN,
        ),
    ],
)
def test_the_surface_is_read_from_the_error_text(text: str, surface: Surface) -> None:
    assert classify(text).surface is surface


def test_a_given_surface_wins_over_the_text() -> None:
    text = "Unable to connect to API (ECONNRESET)"
    assert classify(text, surface=Surface.API_SDK).surface is Surface.API_SDK
