"""Bad files through the real commands: lone surrogates, a 100,000-deep line, a 5,000-digit
number, FIFOs and devices where a file is expected, a 2 GB sparse log. Each run is a child
process with a timeout (a hang fails the test); none may exit 3 or print a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.kit.local import CliResult, FakeHome, run_cli
from tests.kit.transcripts import Transcript

SURROGATE = '"\\ud800"'
DEEP_LINE = "[" * 100_000 + "]" * 100_000
BODY = (
    '{"model": "claude-sonnet-4-5", "max_tokens": MAX, '
    '"messages": [{"role": "user", "content": TEXT}]}'
)


def request(max_tokens: str, text: str) -> str:
    return BODY.replace("MAX", max_tokens).replace("TEXT", text)


def clean(result: CliResult, *codes: int) -> CliResult:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.code in codes, (result.code, result.stderr[-2000:])
    return result


def check(home: FakeHome, only: str) -> CliResult:
    return run_cli(
        ["check", "--json", "--no-input", "--only", only], home.env(), cwd=home.cwd, timeout=60
    )


# --- 1. lone surrogates -------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["user", "project", "project_local", "managed"])
def test_a_lone_surrogate_in_any_settings_file(fake_home: FakeHome, scope: str) -> None:
    fake_home.settings(scope, '{"model": S, "env": {"X": S}}'.replace("S", SURROGATE))
    result = clean(check(fake_home, "route,login"), 0, 1)
    assert result.json()["schema_version"] == 1
    saved = list((fake_home.doctor / "reports").glob("*.json"))
    assert saved and all(p.stat().st_size > 0 for p in saved)
    clean(run_cli(["report", "--last"], fake_home.env(), cwd=fake_home.cwd), 0)


def _transcript_with(home: FakeHome, line: str) -> Path:
    t = Transcript(str(home.cwd))
    t.user("hello", at=0).assistant()
    path = t.write(home.claude)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return path


def test_a_lone_surrogate_in_a_transcript(fake_home: FakeHome) -> None:
    _transcript_with(
        fake_home,
        '{"type": "user", "sessionId": S, "cwd": S, "message": {"role": "user", '
        '"content": S}}'.replace("S", SURROGATE),
    )
    clean(run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd), 0, 1)
    clean(check(fake_home, "session"), 0, 1)


def test_a_lone_surrogate_in_a_payload(fake_home: FakeHome) -> None:
    body = fake_home.write(fake_home.cwd / "body.json", request("100", SURROGATE))
    clean(run_cli(["payload", str(body), "--json"], fake_home.env(), cwd=fake_home.cwd), 0, 1)


# --- 2. a 100,000-deep line ---------------------------------------------------------------


def test_a_deep_transcript_line_for_sessions_and_the_session_check(fake_home: FakeHome) -> None:
    _transcript_with(fake_home, DEEP_LINE)
    listed = clean(run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd), 0, 1)
    assert listed.json()
    report = clean(check(fake_home, "session"), 0, 1).json()
    assert not [f for f in report["findings"] if f["id"].endswith(".crashed")]


# --- 4. a 5,000-digit integer ---------------------------------------------------------------


def test_a_5000_digit_max_tokens(fake_home: FakeHome) -> None:
    body = fake_home.write(fake_home.cwd / "body.json", request("9" * 5000, '"hi"'))
    result = clean(run_cli(["payload", str(body), "--json"], fake_home.env(), cwd=fake_home.cwd), 1)
    ids = {f["id"] for f in result.json()["findings"]}
    assert "payload.number_too_large" in ids


# --- 5. FIFOs, devices, a huge sparse file -------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "body.fifo"
    os.mkfifo(path)
    return path


def test_payload_on_a_fifo(fake_home: FakeHome, fifo: Path) -> None:
    result = clean(run_cli(["payload", str(fifo)], fake_home.env(), cwd=fake_home.cwd), 2)
    assert "not a regular file: a FIFO" in result.stderr


def test_a_curl_line_with_data_from_a_fifo(fake_home: FakeHome, fifo: Path) -> None:
    line = fake_home.write(
        fake_home.cwd / "curl.txt",
        f"curl https://api.anthropic.com/v1/messages -H 'content-type: application/json' "
        f"-d @{fifo}\n",
    )
    result = clean(run_cli(["payload", str(line), "--json"], fake_home.env(), cwd=fake_home.cwd), 1)
    titles = [f["title"] for f in result.json()["findings"]]
    assert any("not a regular file: a FIFO" in t for t in titles), titles


def test_explain_file_on_a_fifo(fake_home: FakeHome, fifo: Path) -> None:
    result = clean(run_cli(["explain", "--file", str(fifo)], fake_home.env(), cwd=fake_home.cwd), 2)
    assert "not a regular file: a FIFO" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_explain_file_on_a_link_to_a_device(
    fake_home: FakeHome, tmp_path: Path, device: str
) -> None:
    link = tmp_path / "error.log"
    link.symlink_to(device)
    result = clean(run_cli(["explain", "--file", str(link)], fake_home.env(), cwd=fake_home.cwd), 2)
    assert "a character device" in result.stderr


def test_payload_on_a_link_to_dev_zero(fake_home: FakeHome, tmp_path: Path) -> None:
    link = tmp_path / "body.json"
    link.symlink_to("/dev/zero")
    result = clean(run_cli(["payload", str(link)], fake_home.env(), cwd=fake_home.cwd), 2)
    assert "a character device" in result.stderr


def test_explain_file_on_a_2gb_sparse_file_is_cut(fake_home: FakeHome, tmp_path: Path) -> None:
    sparse = tmp_path / "huge.log"
    with sparse.open("wb") as handle:
        handle.truncate(2 * 1024**3)
        handle.seek(2 * 1024**3 - 200)
        handle.write(b'\nAPI Error: 529 {"type":"error","error":{"type":"overloaded_error"}}\n')
    result = clean(
        run_cli(["explain", "--file", str(sparse)], fake_home.env(), cwd=fake_home.cwd, timeout=60),
        0,
        1,
    )
    assert "cut at 256 MB" in result.stdout
    assert "overloaded" in result.stdout
    doc = clean(
        run_cli(
            ["explain", "--json", "--file", str(sparse)],
            fake_home.env(),
            cwd=fake_home.cwd,
            timeout=60,
        ),
        0,
        1,
    ).json()
    assert doc["log"]["cut_at_bytes"] == 256 * 1024**2
    assert doc["log"]["unread_bytes"] == 2 * 1024**3 - 256 * 1024**2
