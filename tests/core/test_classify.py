"""The classifier against real error texts, logs and bad input; and the explain command."""

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
from tests.kit.local import FakeHome, run_cli

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


def test_every_category_has_advice() -> None:
    from claude_doctor.explain import EXPLANATIONS

    assert set(EXPLANATIONS) == set(Category)


# --- the command ----------------------------------------------------------------------------

SECRET = "sk-ant-api03-" + "a1B2c3D4e5F6g7H8i9J0" * 3 + "-QwEr"


def test_explain_json_is_one_redacted_document(fake_home: FakeHome) -> None:
    text = (
        'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":'
        f'"invalid x-api-key {SECRET}"}},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}}'
        f" Authorization: Bearer {SECRET}"
    )
    result = run_cli(["explain", text, "--json"], fake_home.env())
    assert result.code == 1, result.stderr
    doc = json.loads(result.stdout)
    for key in ("category", "branch", "http_status", "error_type", "request_id", "message"):
        assert key in doc
    assert (doc["category"], doc["branch"], doc["http_status"]) == (
        "auth_invalid_key",
        "route",
        401,
    )
    assert doc["request_id"] == "req_011CSHoEeqs5C35K2UUqR7Fy"
    assert SECRET not in result.stdout and "…QwEr" in result.stdout


def test_explain_console_reads_stdin_and_redacts(fake_home: FakeHome) -> None:
    log = (
        "\x1b[33mwarn\x1b[0m retrying\r\n"
        f"ANTHROPIC_API_KEY={SECRET}\r\n"
        '  ⎿  API Error (529 {"type":"error","error":{"type":"overloaded_error","message":'
        '"Overloaded"}}) · Retrying in 1 seconds… (attempt 1/10)\r\n'
    ).encode()
    result = run_cli(["explain"], fake_home.env(), stdin=log)
    assert result.code == 1, result.stderr
    out = result.stdout
    assert "Overloaded (529)" in out and "Branch:     overloaded" in out
    assert "Do not hammer retries" in out and "claude-doctor status" in out
    assert SECRET not in out + result.stderr


def test_explain_file_with_a_log_gives_counts(fake_home: FakeHome, tmp_path: Path) -> None:
    path = tmp_path / "claude.log"
    path.write_text(
        "ok\nAPI Error: Unable to connect to API (ECONNRESET)\n"
        "Error: getaddrinfo ENOTFOUND api.anthropic.com\n",
        encoding="utf-8",
    )
    result = run_cli(["explain", "--file", str(path), "--json"], fake_home.env())
    doc = json.loads(result.stdout)
    assert doc["category"] == "network_dns"
    assert doc["log"]["counts"] == {"network_connection": 1, "network_dns": 1}
    assert doc["next_command"] == "claude-doctor check --only network"


def test_explain_exit_codes_and_bad_input(fake_home: FakeHome, tmp_path: Path) -> None:
    env = fake_home.env()
    assert run_cli(["explain", "all is well"], env).code == 0
    empty = run_cli(["explain"], env, stdin=b"")
    assert empty.code == 2 and "empty" in empty.stderr
    missing = run_cli(["explain", "--file", str(tmp_path / "nope.log")], env)
    assert missing.code == 2 and "no such file" in missing.stderr
    both = run_cli(["explain", "x", "--file", str(tmp_path)], env)
    assert both.code == 2
    directory = run_cli(["explain", "--file", str(tmp_path)], env)
    assert directory.code == 2 and "directory" in directory.stderr
    binary = run_cli(["explain"], env, stdin=b"\x00\xff\xfe" * 5000)
    assert binary.code == 0 and "Traceback" not in binary.stderr


def test_corpus_category_spread_is_reported() -> None:
    spread = Counter(e["category"] for e in ENTRIES)
    assert min(spread.values()) >= 1
