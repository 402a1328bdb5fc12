"""Reading a log: joined lines, the most recent error, counts, request ids, and bad input
(binary, invalid UTF-8, a giant line) that stays bounded."""

from __future__ import annotations

import io

from claude_doctor.classify import (
    CHUNK,
    MAX_REQUEST_IDS,
    classify,
    classify_chunks,
    classify_lines,
    classify_stream,
)
from claude_doctor.model import Category


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


def test_every_request_id_in_one_giant_line_is_kept() -> None:
    line = b" ".join(
        b'{"request_id":"req_%010d","msg":"' % i + b"x" * 5000 + b'"}' for i in range(400)
    )
    summary = classify_chunks([line + b"\n"])
    assert summary.request_ids == [f"req_{i:010d}" for i in range(400)]


def test_a_line_wrapped_mid_sentence_without_indent_is_one_line() -> None:
    text = (
        "04:49:37 - agent:ERROR: retry.py:47 - litellm.InternalServerError: AnthropicException - "
        "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation\n"
        "of protocol (_ssl.c:1000). Handle with `litellm.InternalServerError`.. Attempt #1\n"
    )
    assert classify(text).category is Category.NETWORK_TLS
    signal = classify_stream(io.BytesIO(("INFO start\n" * 50 + text).encode())).signal
    assert signal is not None
    assert signal.category is Category.NETWORK_TLS
    # Two records, each a line of its own, stay two.
    two = (
        "ERROR request failed: connection refused by the upstream server in violation\n"
        "error: 529 Overloaded\n"
    )
    assert classify(two).category is Category.OVERLOADED


def test_a_record_at_an_informational_level_tells_of_an_error_it_is_not_one() -> None:
    text = (
        "[2025-10-16 09:19:30] INFO: Token expired/expiring for account a1, attempting refresh\n"
        "[2025-10-16 09:19:38] ERROR: Failed to refresh token for account a1: Request failed"
        ' with status code 500 | {"name":"AxiosError","code":"ERR_BAD_RESPONSE"}\n'
    )
    assert classify(text).category is Category.STATUS_OUTAGE
    # Alone, what it tells is still read (weakly).
    alone = "[2025-10-16 09:19:30] INFO: OAuth token has expired, attempting refresh\n"
    assert classify(alone).category is Category.AUTH_OAUTH_EXPIRED


def test_a_stack_frames_line_number_is_not_a_status() -> None:
    text = (
        "Error: Claude API error: 401\n"
        "    at IncomingMessage.emit (node:events:529:35)\n"
        "    at endReadableNT (node:internal/streams/readable:1400:12)\n"
    )
    assert classify(text).category is Category.AUTH_INVALID_KEY
