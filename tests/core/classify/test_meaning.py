"""The weak reading of what a line's words mean (classify/meaning.py): it names wordings no
phrase rule knows, never outranks a rule, and leaves alone lines that are not errors."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify, classify_lines
from claude_doctor.classify.rules import STRONG
from claude_doctor.model import Category

C = Category

PARAPHRASES = [
    (C.RATE_LIMIT, "Request failed: quota exhausted for model claude-sonnet-4"),
    (C.RATE_LIMIT, "You are sending requests too quickly."),
    (C.RATE_LIMIT, "HTTP 429: slow down"),
    (C.PERMISSION, "This key is not permitted to use the Opus family"),
    (C.PERMISSION, "Your account has been suspended for violating our usage policy"),
    (C.NOT_FOUND_MODEL, "Unknown model: claude-4-sonnet"),
    (C.NOT_FOUND_MODEL, "Claude Opus 4.1 is no longer available. Please switch to a newer one."),
    (C.STATUS_OUTAGE, "Sorry, something went wrong on our end. Please try again later."),
    (C.OVERLOADED, "Our servers are busy with a lot of traffic right now"),
    (C.AUTH_INVALID_KEY, "Your API key is invalid or has been revoked"),
    (C.AUTH_INVALID_KEY, "Your auth token is not yet configured for this workspace"),
    (C.AUTH_INVALID_KEY, "no credential for mistral; set one and retry"),
    (C.AUTH_OAUTH_EXPIRED, "Your session has expired. Please log in again."),
    (C.AUTH_OAUTH_EXPIRED, "Token refresh failed: invalid_grant"),
    (C.BILLING_CREDIT, "Insufficient funds: please add credits to continue"),
    (C.CONTEXT_TOO_LONG, "The message history exceeded its maximum size"),
    (C.REQUEST_TOO_LARGE, "File too big: attachments must be under 30 MB"),
    (C.INVALID_REQUEST, "tools.0.name: String should match pattern '^[a-z]+$'"),
    (C.NETWORK_DNS, "resolver: lookup of api.anthropic.com failed: server misbehaving"),
    (C.NETWORK_TLS, "x509: certificate signed by unknown authority"),
    (C.NETWORK_CONNECTION, "You appear to be offline. Check your internet connection."),
    (C.TIMEOUT, "deadline exceeded while waiting for response"),
]


@pytest.mark.parametrize(("category", "text"), PARAPHRASES)
def test_a_wording_no_rule_knows_is_read_by_its_meaning(category: Category, text: str) -> None:
    signal = classify(text)
    assert signal.category is category
    assert signal.confidence < STRONG / 100


@pytest.mark.parametrize(
    "text",
    [
        # Someone telling about the error, not the error.
        "I think my internet connection is fine, the model is just not available",
        # A log record at an informational level.
        "2026-03-01T10:00:00Z INFO connection closed by peer",
        "[debug] idle connection closed by peer",
        # Numbers that are not statuses.
        "processed 429 items in 529 ms",
        # The tool's own files and a missing module are not API errors.
        "Error: EACCES: permission denied, open '/home/u/.claude.json'",
        "litellm.BadRequestError: vertexai import failed please run `pip install -U vertexai`",
        # A command the tool ran for the model, the tool's own config and protocol.
        "Bash command timed out after 2m 0.0s",
        "ValidationError: 1 validation error for ChatAnthropic\nmodel\n  Field required",
        "Failed to Launch: Agent internal error (code -32603)",
        "Invalid parameters: could not interpret tool input: EOF while parsing a value",
    ],
)
def test_what_is_not_an_api_error_is_not_read_as_one(text: str) -> None:
    assert classify(text).category is C.OTHER


def test_the_same_failure_on_the_apis_host_is_read() -> None:
    assert classify("Failed to resolve api.anthropic.com").category is C.NETWORK_DNS


def test_a_rule_in_any_line_outranks_a_reading_of_words() -> None:
    text = (
        'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server'
        ' error"}}\nThe network connection was lost.'
    )
    assert classify(text).category is C.STATUS_OUTAGE


def test_a_reading_of_words_outranks_a_bare_status() -> None:
    assert classify("Error 403: access to this model is restricted").category is C.PERMISSION
    assert classify("Status 400: your session has expired").category is C.AUTH_OAUTH_EXPIRED


def test_readings_are_counted_in_a_log_like_any_error() -> None:
    summary = classify_lines(["ok", "You appear to be offline.", "ok"])
    assert summary.counts == {"network_connection": 1}


def test_claude_ais_error_in_parentheses_is_its_status() -> None:
    signal = classify("Something went wrong. Please try again later. (Error 500)")
    assert (signal.category, signal.http_status) == (C.STATUS_OUTAGE, 500)
