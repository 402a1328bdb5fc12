"""``claude-doctor sessions --request``: the summary, the redacted body file, the refusals,
the exit codes. The rebuilt body against what the real client sent is in
``tests/real_client/``."""

from __future__ import annotations

import json

from tests.kit.local import FakeHome, run_cli
from tests.kit.requests import ENVIRONMENT, RequestTranscript

KEY = "sk-ant-api03-" + "PLANTED" * 12 + "zz9Q"
PRIVATE = "my private words"


def _failing(home: FakeHome, *, orphan: bool = False) -> RequestTranscript:
    t = RequestTranscript(str(home.cwd))
    prompt = f"{PRIVATE}; the key is {KEY}"
    blocks = [{"type": "text", "text": prompt}]
    if orphan:
        blocks.insert(0, {"type": "tool_result", "tool_use_id": "toolu_gone", "content": "x"})
    t.user(prompt)
    t.request([{"role": "user", "content": blocks}, ENVIRONMENT])
    t.failure()
    t.write(home.claude)
    return t


def _cli(home: FakeHome, *args: str) -> tuple[int, str, str]:
    result = run_cli(["sessions", *args], home.env(), cwd=home.cwd)
    assert "Traceback" not in result.stderr
    return result.code, result.stdout, result.stderr


def test_the_summary_holds_no_conversation(fake_home: FakeHome) -> None:
    t = _failing(fake_home)
    code, out, err = _cli(fake_home, "--request", t.session_id[:8])
    assert code == 0, err
    assert "model claude-opus-5-5, 2 messages" in out and "32.0 MB limit" in out
    code, doc_text, _ = _cli(fake_home, "--request", t.session_id, "--json")
    doc = json.loads(doc_text)
    assert doc["request"]["complete"] and doc["request"]["size_bytes"] > 0
    for text in (out, doc_text, err):
        assert KEY not in text and PRIVATE not in text and "PLANTED" * 2 not in text


def test_problems_by_path_and_exit_1(fake_home: FakeHome) -> None:
    t = _failing(fake_home, orphan=True)
    code, out, _ = _cli(fake_home, "--request", t.session_id)
    assert code == 1
    assert "messages[0].content[0].tool_use_id" in out


def test_out_writes_the_redacted_body_and_keeps_a_backup(fake_home: FakeHome) -> None:
    t = _failing(fake_home)
    target = fake_home.root / "request.json"
    code, out, err = _cli(fake_home, "--request", t.session_id, "--out", str(target))
    assert code == 0, err
    body = json.loads(target.read_text("utf-8"))
    assert (target.stat().st_mode & 0o777) == 0o600
    text = body["messages"][0]["content"][0]["text"]
    assert PRIVATE in text and KEY not in text and text.endswith("zz9Q")
    assert body["model"] == "claude-opus-5-5" and "betas" not in body
    assert PRIVATE not in out and str(target) in out
    # Not over an existing file without --force; with it, the old one is kept.
    target.write_text("mine", encoding="utf-8")
    code, _, err = _cli(fake_home, "--request", t.session_id, "--out", str(target))
    assert code == 2 and "--force" in err and target.read_text("utf-8") == "mine"
    code, _, err = _cli(fake_home, "--request", t.session_id, "--out", str(target), "--force")
    assert code == 0
    assert (fake_home.root / "request.json.bak").read_text("utf-8") == "mine"
    assert json.loads(target.read_text("utf-8")) == body


def test_out_dash_prints_the_body_and_the_summary_on_stderr(fake_home: FakeHome) -> None:
    t = _failing(fake_home)
    code, out, err = _cli(fake_home, "--request", t.session_id, "--out", "-")
    assert code == 0
    assert json.loads(out)["messages"][1]["role"] == "system"
    assert "Session" in err and KEY not in out + err
    code, _, err = _cli(fake_home, "--request", t.session_id, "--out", "-", "--json")
    assert code == 2


def test_unknown_ambiguous_elsewhere_and_old_sessions(fake_home: FakeHome) -> None:
    code, _, err = _cli(fake_home, "--request", "nope")
    assert code == 2 and "no session 'nope'" in err
    a = RequestTranscript(str(fake_home.cwd), "abc00000-0000-4000-8000-000000000001")
    b = RequestTranscript(str(fake_home.cwd), "abc00000-0000-4000-8000-000000000002")
    for t in (a, b):
        t.request([{"role": "user", "content": "x"}])
        t.write(fake_home.claude)
    code, _, err = _cli(fake_home, "--request", "abc")
    assert code == 2 and "more than one" in err
    other = RequestTranscript("/somewhere/else", "def00000-0000-4000-8000-000000000003")
    other.request([{"role": "user", "content": "x"}])
    other.write(fake_home.claude)
    code, _, err = _cli(fake_home, "--request", "def")
    assert code == 2 and "--all" in err
    code, _, _ = _cli(fake_home, "--request", "def", "--all")
    assert code == 0
    old = RequestTranscript(str(fake_home.cwd), "0dd00000-0000-4000-8000-000000000004")
    old.user("hi").failure()
    old.write(fake_home.claude)
    code, _, err = _cli(fake_home, "--request", "0dd")
    assert code == 2 and "no request records" in err
    code, _, err = _cli(fake_home, "--out", "x.json")
    assert code == 2 and "--request" in err


def test_help_explains_it(fake_home: FakeHome) -> None:
    code, out, _ = _cli(fake_home, "--help")
    assert code == 0 and "--request" in out and "--out" in out and "32 MB" in out
