"""The classifier against real error texts, logs and bad input."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from claude_doctor.classify import (
    CHUNK,
    MAX_REQUEST_IDS,
    classify,
    classify_chunks,
    classify_lines,
    classify_stream,
)
from claude_doctor.model import Branch, Category, Surface

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "errors.jsonl"
ENTRIES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
REQ_ID = re.compile(r"\breq_[A-Za-z0-9_]{6,}")


def test_corpus_is_big_cited_and_covers_every_category() -> None:
    assert len(ENTRIES) >= 80
    assert {e["category"] for e in ENTRIES} == {c.value for c in Category}
    for e in ENTRIES:
        assert e["text"].strip() and e["source"].strip()


def test_corpus_accuracy_is_at_least_95_percent() -> None:
    misses = [
        (e["category"], classify(e["text"]).category.value, e["source"])
        for e in ENTRIES
        if classify(e["text"]).category.value != e["category"]
    ]
    accuracy = 1 - len(misses) / len(ENTRIES)
    assert accuracy >= 0.95, misses


def test_every_request_id_in_the_corpus_is_extracted_in_order() -> None:
    for e in ENTRIES:
        want = list(dict.fromkeys(REQ_ID.findall(e["text"])))
        assert list(classify(e["text"]).request_ids) == want, e["source"]


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


def test_fills_the_signal_fields() -> None:
    text = (
        '2026-02-03T15:44:34.389Z Error: 429 {"type":"error","error":{"type":"rate_limit_error",'
        '"message":"Rate limited"},"request_id":"req_011CZXbtHD7YuFr7i86LfeBf"} retry-after: 30'
    )
    s = classify(text)
    assert s.http_status == 429
    assert s.error_type == "rate_limit_error"
    assert s.message == "Rate limited"
    assert s.request_id == "req_011CZXbtHD7YuFr7i86LfeBf"
    assert s.retry_after == 30.0
    assert s.occurred_at == "2026-02-03T15:44:34.389Z"
    assert 0 < s.confidence <= 1 and s.matched


def test_the_most_recent_error_wins_and_prose_does_not_override() -> None:
    text = (
        "API Error: 401 OAuth token has expired · Please run /login\n"
        "API Error: Repeated 529 Overloaded errors\n"
    )
    assert classify(text).category is Category.OVERLOADED
    text2 = "Invalid API key · Please run /login\nthen I saw an Internal server error page\n"
    assert classify(text2).category is Category.AUTH_INVALID_KEY


def test_ansi_crlf_and_terminal_wrapping() -> None:
    text = (
        '\x1b[31mAPI Error: 401\x1b[0m {"type":"error","error":{"type":"authentication_'
        'error","message":"OAuth token has\r\n    expired. Please obtain a new token."},'
        '"request_id":"req_011CUoZMrtmmg5Rw5yUz1Ppr"}\r\n'
    )
    s = classify(text)
    assert s.category is Category.AUTH_OAUTH_EXPIRED
    assert s.http_status == 401
    assert s.request_ids == ("req_011CUoZMrtmmg5Rw5yUz1Ppr",)


def test_a_log_counts_every_error_and_keeps_every_request_id() -> None:
    lines = []
    for i in range(30):
        lines.append(f"2026-08-01T10:00:{i:02d}Z INFO request ok requestId=req_ok{i:08d}")
        lines.append(
            f'API Error: 500 {{"type":"error","error":{{"type":"api_error","message":"Internal'
            f' server error"}},"request_id":"req_bad{i:08d}"}}'
        )
    lines.append("API Error: Repeated 529 Overloaded errors")
    summary = classify_lines(lines)
    assert summary.counts == {"status_outage": 30, "overloaded": 1}
    assert summary.signal is not None and summary.signal.category is Category.OVERLOADED
    assert len(summary.request_ids) == 60
    assert summary.request_ids[:2] == ["req_ok00000000", "req_bad00000000"]


def test_binary_invalid_utf8_and_a_giant_line_stay_bounded() -> None:
    junk = bytes(range(256)) * 4 + b"\xff\xfe\x00"
    giant = b"x" * (5 * CHUNK) + b" API Error: Repeated 529 Overloaded errors " + b"y" * CHUNK
    summary = classify_chunks([junk, b"\nAPI Error: 500 \xff\xfe bad\n", giant, b"\n"])
    assert summary.binary and summary.invalid_utf8
    assert summary.long_lines >= 1
    assert summary.signal is not None and summary.signal.category is Category.OVERLOADED
    assert classify_stream(io.BytesIO(b"\x00\x01\x02" * 1000)).signal is None


def test_request_ids_are_capped() -> None:
    lines = (f"request_id req_{i:010d} failed with error" for i in range(MAX_REQUEST_IDS + 5))
    summary = classify_lines(lines)
    assert len(summary.request_ids) == MAX_REQUEST_IDS
    assert summary.request_ids_dropped == 5


def test_corpus_category_spread_is_reported() -> None:
    spread = Counter(e["category"] for e in ENTRIES)
    assert min(spread.values()) >= 1
