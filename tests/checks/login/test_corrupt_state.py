"""A corrupt ``~/.claude.json`` and an ``expiresAt`` that is not a time are findings that
name the problem, never a crash or silence."""

from __future__ import annotations

import os
from typing import Any

import pytest

from claude_doctor.model import Severity
from tests.kit.auth import ACCESS, REFRESH, by_id, ids, oauth, run
from tests.kit.local import FakeHome, run_cli

CLAUDE_JSON_CASES = {
    "binary": (b"\x00\x01\x02\xff" * 64, "claude_json.corrupt", "binary"),
    "truncated": (b'{"oauthAccount": {"emailAddress": "a@b.c"', "claude_json.corrupt", "JSON"),
    "a list": (b'[{"oauthAccount": {}}]', "claude_json.corrupt", "an object"),
    "deep": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "claude_json.corrupt", "nested"),
    "not utf-8": (b'{"a": "\xe9t\xe9"}', "claude_json.corrupt", "UTF-8"),
}


@pytest.mark.parametrize("case", sorted(CLAUDE_JSON_CASES))
def test_a_corrupt_claude_json_is_a_finding(fake_home: FakeHome, case: str) -> None:
    content, fid, words = CLAUDE_JSON_CASES[case]
    fake_home.write(fake_home.home / ".claude.json", content)
    finding = by_id(run(fake_home), f"login.{fid}")
    assert words in finding.title
    assert finding.evidence["path"] == str(fake_home.home / ".claude.json")


def test_a_claude_json_fifo_is_a_finding(fake_home: FakeHome) -> None:
    os.mkfifo(fake_home.home / ".claude.json")
    finding = by_id(run(fake_home), "login.claude_json.unreadable")
    assert "not a regular file: a FIFO" in finding.title


def test_a_very_large_claude_json_is_information(fake_home: FakeHome) -> None:
    fake_home.write(fake_home.home / ".claude.json", b'{"a": "' + b"x" * (9 * 1024 * 1024) + b'"}')
    finding = by_id(run(fake_home), "login.claude_json.too_large")
    assert finding.severity is Severity.INFO and "over the" in finding.title


def test_a_missing_claude_json_is_no_finding(fake_home: FakeHome) -> None:
    assert not [i for i in ids(run(fake_home)) if "claude_json" in i]


EXPIRES = {
    "a string": ("2026-01-01", "a string"),
    "NaN": (float("nan"), "NaN"),
    "a boolean": (True, "a boolean"),
    "a list": ([1700000000000], "an array (1 item)"),
    "a secret": (ACCESS, "a string (93 characters)"),
    "1e300": (1e300, "out of range"),
    "401 digits": (10**400, "401-digit number"),
    "an object": ({"ms": 1}, "an object"),
}


@pytest.mark.parametrize("case", sorted(EXPIRES))
def test_an_expires_at_that_is_not_a_time(fake_home: FakeHome, case: str) -> None:
    value, words = EXPIRES[case]
    fake_home.credentials(oauth(0, expiresAt=value))
    findings = run(fake_home)
    bad = by_id(findings, "login.oauth.expiry_unreadable")
    assert bad.title.startswith("expiresAt is not a time: ") and words in bad.title
    assert "login.oauth.ok" not in ids(findings)
    assert ACCESS[13:30] not in bad.title + bad.detail
    assert not [i for i in ids(findings) if i.endswith(".crashed")]


def _credentials_text(expires_at: str) -> str:
    block: dict[str, Any] = {"accessToken": ACCESS, "refreshToken": REFRESH}
    inner = ", ".join(f'"{k}": "{v}"' for k, v in block.items())
    return f'{{"claudeAiOauth": {{{inner}, "expiresAt": {expires_at}}}}}'


@pytest.mark.parametrize("literal", ["9" * 401, "9" * 5000, "1e999", "-1e999", "NaN"])
def test_the_check_command_with_an_unreadable_expiry(fake_home: FakeHome, literal: str) -> None:
    fake_home.write(fake_home.claude / ".credentials.json", _credentials_text(literal), 0o600)
    result = run_cli(
        ["check", "--json", "--no-input", "--only", "route,login"],
        fake_home.env(),
        cwd=fake_home.cwd,
    )
    assert "Traceback" not in result.stderr and result.code == 1, result.stderr
    report = result.json()
    found = {f["id"] for f in report["findings"]}
    assert "login.oauth.expiry_unreadable" in found
    assert not [i for i in found if i.endswith(".crashed")]
    assert ACCESS not in result.stdout and REFRESH not in result.stdout
