"""Reading a log: joined lines, the most recent error, counts, request ids, and bad input
(binary, invalid UTF-8, a giant line) that stays bounded."""

from __future__ import annotations

import io
import json

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


def test_a_bracket_left_open_carries_the_message_over_unindented_lines() -> None:
    # Claude Code's retry line wrapped by a narrow terminal and pasted flush left: the
    # "(" it opened closes two lines down; "Connection refused" belongs to the 503.
    text = (
        "  ⎿  API Error (503 upstream connect error or disconnect/reset before headers.\n"
        "reset reason: remote connection failure, transport failure reason: delayed\n"
        "connect error: Connection refused) · Retrying in 4 seconds… (attempt 4/10)\n"
    )
    assert classify(text).category is Category.STATUS_OUTAGE
    # The API's JSON broken over lines without an indent, its status on a line of its own.
    body = (
        "API Error: 401\n"
        '{"type":"error","error":{"type":"authentication_error","message":"OAuth\n'
        "authentication is currently not allowed for this\n"
        'organization."},"request_id":"req_011CSNEaED1kUhJjJRCJNmFb"}\n'
    )
    signal = classify(body)
    assert signal.category is Category.PERMISSION
    assert signal.request_ids == ("req_011CSNEaED1kUhJjJRCJNmFb",)


def test_an_open_bracket_does_not_swallow_the_records_that_follow() -> None:
    # A record that leaves a bracket open ends where a time-stamped record or an error's
    # own line begins: the later error is read on its own, and both are counted.
    text = (
        "2026-08-01T12:00:00Z WARN retrying (attempt 2 of 5, waiting\n"
        "2026-08-01T12:00:01Z ERROR Error: getaddrinfo ENOTFOUND api.anthropic.com\n"
        "anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type':"
        " 'rate_limit_error', 'message': 'Rate limited'}}\n"
    )
    summary = classify_lines(text.splitlines())
    assert summary.signal is not None
    assert summary.signal.category is Category.RATE_LIMIT
    assert summary.counts == {"network_dns": 1, "rate_limit": 1}
    # Claude Code's errors log, one entry a line under an open "[": each entry its own.
    entries = (
        '[{"error":"Error: 401 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":'
        '\\"authentication_error\\",\\"message\\":\\"Invalid API key\\"}}",'
        '"timestamp":"2026-01-01T00:00:00Z"},\n'
        '{"error":"Error: 500 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"api_error\\",'
        '\\"message\\":\\"Internal server error\\"}}","timestamp":"2026-01-01T00:01:00Z"}]\n'
    )
    assert classify_lines(entries.splitlines()).counts == {
        "auth_invalid_key": 1,
        "status_outage": 1,
    }


def test_a_dotted_name_on_the_next_line_starts_a_record_of_its_own() -> None:
    text = (
        "2026-08-01T12:41:59.456Z DEBUG worker finished job 68786 of batch 764; queue ok\n"
        "anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': "
        "'rate_limit_error', 'message': 'Rate limited'}}\n"
        "2026-08-01T12:42:59.456Z DEBUG worker finished job 68787 of batch 764; queue ok\n"
        "anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': "
        "'rate_limit_error', 'message': 'Rate limited'}}\n"
    )
    assert classify_lines(text.splitlines()).counts == {"rate_limit": 2}


def test_words_a_wrap_broke_after_a_colon_or_at_a_hyphen_are_read_whole() -> None:
    colon = (
        "Unable to connect to Anthropic services. Failed to connect to api.anthropic.com:\n"
        "ERR_BAD_REQUEST.\n"
    )
    assert classify(colon).category is Category.PERMISSION
    hyphen = (
        "Failed to run stream handler: An error occurred (ValidationException) when\n"
        "calling the ConverseStream operation: The provided model doesn't support on-\n"
        "demand throughput.\n"
    )
    assert classify(hyphen).category is Category.NOT_FOUND_MODEL
    short = "litellm.APIConnectionError: BedrockException - [Errno -2] Name or service not\nknown\n"
    assert classify(short).category is Category.NETWORK_DNS
    # A short line ending in a colon is a heading: what follows is read on its own.
    heading = "Errors:\nAPI Error: 401 Invalid API key\nAPI Error: 529 Overloaded\n"
    assert classify(heading).category is Category.OVERLOADED


def test_a_markdown_quote_is_read_for_what_it_quotes() -> None:
    # An issue's quoted paste: the indent under the quote mark still joins the wrap.
    text = (
        "I keep getting this:\n"
        "> 503 upstream connect error or disconnect/reset before headers.\n"
        ">      reset reason: remote connection failure, transport failure\n"
        ">      reason: delayed connect error: Connection refused\n"
    )
    assert classify(text).category is Category.STATUS_OUTAGE
    # Claude Code's own prompt mark on one line is not a quote.
    prompt = "> hi\n  ⎿  API Error: 401 Invalid API key · Please run /login\n"
    assert classify(prompt).category is Category.AUTH_INVALID_KEY


def test_an_indented_continuation_broken_at_a_hyphen_is_one_word_again() -> None:
    text = (
        "botocore.errorfactory.ValidationException: An error occurred (ValidationException) when"
        " calling the\n"
        "     InvokeModelWithResponseStream operation: Invocation of model ID"
        " anthropic.claude-3-5-sonnet-20240620-v1:0 with on-\n"
        "     demand throughput isn't supported.\n"
    )
    assert classify(text).category is Category.NOT_FOUND_MODEL


def test_a_log_collectors_prefix_on_every_line_is_read_past() -> None:
    # Docker Compose's "service  | " on each line of a wrapped 503: the indent under it
    # still joins the wrap, the reset reason stays the 503's.
    compose = (
        "litellm_proxy  |  503 upstream connect error or disconnect/reset before headers.\n"
        "litellm_proxy  |      reset reason: remote connection failure, transport failure\n"
        "litellm_proxy  |      reason: delayed connect error: Connection refused\n"
    )
    assert classify(compose).category is Category.STATUS_OUTAGE
    # The same read from a stream (explain - or --file), and from a quote in a file.
    streamed = classify_stream(io.BytesIO(compose.encode())).signal
    assert streamed is not None and streamed.category is Category.STATUS_OUTAGE
    quoted = "".join("> " + line.split("| ", 1)[1] + "\n" for line in compose.splitlines())
    from_file = classify_stream(io.BytesIO(quoted.encode())).signal
    assert from_file is not None and from_file.category is Category.STATUS_OUTAGE
    # Kubernetes' time stamp, stream and tag, the same.
    cri = "".join(
        f"2026-01-01T10:00:0{i}.000000000Z stderr F {line}\n"
        for i, line in enumerate(
            [
                "API Error: 400",
                '    {"type":"error","error":{"type":"invalid_request_error","message":"A maximum',
                '    of 100 PDF pages may be provided."}}',
            ]
        )
    )
    assert classify(cri).category is Category.REQUEST_TOO_LARGE


def test_a_log_record_in_json_is_read_for_the_lines_it_holds() -> None:
    # Docker's json-file driver: one record per line of output, the line's break escaped.
    lines = [
        "litellm_proxy: 503 upstream connect error or disconnect/reset before headers.",
        "    reset reason: remote connection failure, transport failure",
        "    reason: delayed connect error: Connection refused",
    ]
    records = "".join(
        json.dumps({"log": line + "\n", "stream": "stderr", "time": "2026-01-01T10:00:00Z"}) + "\n"
        for line in lines
    )
    assert classify(records).category is Category.STATUS_OUTAGE
    # Docker writes them without blanks, each record's "time" its own.
    compact = "".join(
        json.dumps(
            {"log": line + "\n", "stream": "stderr", "time": f"2026-01-01T10:00:0{i}.1Z"},
            separators=(",", ":"),
        )
        + "\n"
        for i, line in enumerate(lines)
    )
    assert classify(compact).category is Category.STATUS_OUTAGE
    # From a stream, also where the records come after more than a paste's worth of others.
    filler = json.dumps({"log": "GET /health 200\n", "stream": "stdout"}) + "\n"
    for text in (records, filler * 8000 + records):
        streamed = classify_stream(io.BytesIO(text.encode())).signal
        assert streamed is not None and streamed.category is Category.STATUS_OUTAGE
    # A record's other strings (the error in a transcript's entry) are still read.
    entry = json.dumps(
        {
            "message": {
                "content": [
                    {
                        "type": "text",
                        "text": 'API Error: 401 {"type":"error","error":{"type":'
                        '"authentication_error","message":"OAuth token has expired."}}',
                    }
                ]
            },
            "summary": "first line\nsecond line",
        }
    )
    assert classify(entry).category is Category.AUTH_OAUTH_EXPIRED


def test_a_line_break_escaped_in_a_json_string_parts_words() -> None:
    # A log's JSON record of an error a terminal wrapped: "credit\nbalance" is two words.
    text = (
        '{"log": "400 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"invalid_request_error\\",'
        '\\"message\\":\\"Your credit\\nbalance is too low\\"}}"}'
    )
    assert classify(text).category is Category.BILLING_CREDIT
    # A Windows path's backslash, doubled in JSON, is not a line break.
    path = '{"error": "ENOENT: no such file, open \\"C:\\\\node\\\\x\\""}'
    assert "C:\\\\node" in classify(path).message
