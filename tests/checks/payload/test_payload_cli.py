"""``claude-doctor payload`` end to end (the real CLI in a child process), ``--minimal``,
and the ``payload`` check the guided run uses."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import jsonschema

from claude_doctor.checks.payload.validate import validate
from claude_doctor.checks.registry import CHECKS, select_checks
from claude_doctor.context import Context
from claude_doctor.engine import run_checks
from claude_doctor.model import Answers
from claude_doctor.net import Network
from claude_doctor.report import report_schema
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, run_cli
from tests.kit.payload import b64, gif, image_block, png, valid_request

KEY = "sk-ant-api03-" + "S" * 70 + "Wq9z"


def write(path: Path, body: Any) -> Path:
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return path


def broken_request() -> dict[str, Any]:
    body = valid_request()
    body["messages"][0]["content"][1] = image_block(b64(png()).encode())  # double-encoded
    body["messages"][0]["content"][0]["text"] = f"my key is {KEY} " + "lorem ipsum " * 100
    return body


def test_valid_request_exits_0(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "ok.json", valid_request())
    result = run_cli(["payload", str(path)], fake_home.env())
    assert result.code == 0, result.stdout + result.stderr
    assert "[✓] payload" in result.stdout and "(estimate)" in result.stdout


def test_problems_exit_1_with_paths_and_a_payload_verdict(fake_home: FakeHome) -> None:
    body = broken_request()
    body["temperature"] = 2
    path = write(fake_home.cwd / "bad.json", body)
    result = run_cli(["payload", str(path)], fake_home.env())
    assert result.code == 1
    assert "messages[0].content[1].source.data — image is base64-encoded twice" in result.stdout
    assert "temperature — temperature is 2" in result.stdout
    assert "Verdict: payload" in result.stdout
    assert KEY not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_json_report_is_one_valid_document(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "bad.json", broken_request())
    result = run_cli(["payload", str(path), "--json"], fake_home.env())
    assert result.code == 1
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    assert data["verdict"]["branch"] == "payload"
    assert "payload.image_double_encoded" in data["verdict"]["because"]
    block = data["evidence"]["payload"]
    assert block["images"] == 4 and block["messages"] == 3
    assert set(block["breakdown_bytes"]) >= {"images", "documents", "text", "tools"}
    assert isinstance(block["input_tokens_estimate"], int)
    paths = {f["evidence"]["path"] for f in data["findings"]}
    assert "messages[0].content[1].source.data" in paths
    assert KEY not in result.stdout


def test_a_tool_use_id_that_is_a_list_is_a_finding_not_a_crash(fake_home: FakeHome) -> None:
    body = valid_request()
    body["messages"][2]["content"][0]["tool_use_id"] = ["toolu_01A"]
    body["messages"][1]["content"][1]["id"] = {"id": "toolu_01A"}
    path = write(fake_home.cwd / "ids.json", body)
    out = fake_home.cwd / "repro.json"
    result = run_cli(["payload", str(path), "--json", "--minimal", str(out)], fake_home.env())
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = {(f["id"], f["evidence"]["path"]) for f in result.json()["findings"]}
    assert ("payload.wrong_type", "messages[2].content[0].tool_use_id") in found
    assert ("payload.invalid_value", "messages[1].content[1].id") in found
    assert json.loads(out.read_text())["messages"]


def test_clean_json_report_verdict_is_none(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "ok.json", valid_request())
    data = run_cli(["payload", str(path), "--json"], fake_home.env()).json()
    assert data["verdict"]["branch"] == "none"
    assert {f["severity"] for f in data["findings"]} <= {"ok", "info"}


def test_stdin_and_curl_secrets_are_redacted(fake_home: FakeHome) -> None:
    body = json.dumps(valid_request() | {"max_tokens": 0})
    command = f"curl https://api.anthropic.com/v1/messages -H 'x-api-key: {KEY}' -d '{body}'"
    result = run_cli(["payload", "-", "--json"], fake_home.env(), stdin=command.encode())
    assert result.code == 1
    data = json.loads(result.stdout)
    assert data["evidence"]["payload"]["origin"] == "curl -d"
    assert [f["evidence"]["path"] for f in data["findings"] if f["severity"] == "fail"] == [
        "max_tokens"
    ]
    assert KEY not in result.stdout + result.stderr


def test_logged_request_headers_are_redacted(fake_home: FakeHome) -> None:
    token = "corp-gateway-token-0123456789abcdef"
    logged = {
        "request": {
            "headers": {"x-api-key": KEY, "proxy_token": token},
            "body": json.dumps(broken_request()).replace("Summarise.", f"Use {token}."),
        }
    }
    path = write(fake_home.cwd / "logged.json", logged)
    out = fake_home.cwd / "repro.json"
    result = run_cli(["payload", str(path), "--json", "--minimal", str(out)], fake_home.env())
    assert result.code == 1
    assert result.json()["evidence"]["payload"]["origin"] == "request.body"
    everything = result.stdout + result.stderr + out.read_text()
    assert KEY not in everything and token not in everything


def test_huge_file_is_refused_unread(fake_home: FakeHome, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: 1 GiB on paper, nothing on disk
        handle.truncate(1024**3)
    started = time.monotonic()
    result = run_cli(["payload", str(huge), "--json"], fake_home.env())
    assert time.monotonic() - started < 10
    assert result.code == 1
    (finding,) = [f for f in result.json()["findings"] if f["id"] == "payload.request_too_large"]
    assert finding["evidence"]["read"] is False and finding["evidence"]["size"] == 1024**3
    assert "1.0 GiB" in finding["title"]
    assert result.json()["verdict"]["branch"] == "payload"


def test_unreadable_file_is_a_usage_error(fake_home: FakeHome, tmp_path: Path) -> None:
    result = run_cli(["payload", str(tmp_path / "missing.json")], fake_home.env())
    assert result.code == 2 and "no such file" in result.stderr
    result = run_cli(["payload", str(tmp_path)], fake_home.env())
    assert result.code == 2 and "a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_and_bad_json_are_findings_not_tracebacks(fake_home: FakeHome) -> None:
    for name, content in (
        ("latin1.json", b'{"model": "caf\xe9"}'),
        ("array.json", b"[]"),
        ("deep.json", b"[" * 50_000 + b"]" * 50_000),
        ("syntax.json", b'{"model": "x",}'),
    ):
        path = fake_home.cwd / name
        path.write_bytes(content)
        result = run_cli(["payload", str(path)], fake_home.env())
        assert result.code == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr and "[✗] payload" in result.stdout


def test_model_option_changes_the_limits(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "ok.json", valid_request() | {"max_tokens": 100_000})
    assert run_cli(["payload", str(path)], fake_home.env()).code == 1
    assert run_cli(["payload", str(path), "--model", "claude-opus-4-6"], fake_home.env()).code == 0


# --- --minimal ------------------------------------------------------------------------


def long_conversation() -> dict[str, Any]:
    body = broken_request()
    history: list[dict[str, Any]] = []
    for i in range(10):
        history.append({"role": "user", "content": [{"type": "text", "text": f"turn {i}"}]})
        history.append({"role": "assistant", "content": "ok " * 200})
    # the failing block sits in the last user turn, after a long history
    body["messages"] = history + body["messages"]
    return body


def test_minimal_keeps_the_failure_and_drops_the_rest(fake_home: FakeHome) -> None:
    source = long_conversation()
    path = write(fake_home.cwd / "bad.json", source)
    out = fake_home.cwd / "repro.json"
    result = run_cli(["payload", str(path), "--minimal", str(out)], fake_home.env())
    assert result.code == 1
    assert (
        "Checked again, it still fails the same way: "
        "messages[0].content[1].source.data — image is base64-encoded twice" in result.stderr
    )
    assert "payload.image_double_encoded" not in result.stderr  # titles, not internal ids
    assert "--minimal" not in result.stdout  # the reproduction is written: not offered again
    text = out.read_text(encoding="utf-8")
    assert KEY not in text and "lorem ipsum " * 20 not in text
    assert "characters removed by claude-doctor]" in text
    minimal = json.loads(text)
    assert len(minimal["messages"]) < len(source["messages"])
    assert minimal["messages"][0]["role"] == "user"
    # the offending image is kept byte for byte, the other images are dropped
    images = [
        b
        for m in minimal["messages"]
        if isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "image"
    ]
    assert [i["source"]["data"] for i in images] == [b64(b64(png()).encode())]
    assert len(text) < len(json.dumps(source)) / 2
    again = validate(text.encode())
    fails = {f.id: f.evidence["path"] for f in again.findings if f.severity.is_problem}
    assert fails["payload.image_double_encoded"].endswith("content[1].source.data")


def test_minimal_keeps_a_tool_pair_together(fake_home: FakeHome) -> None:
    body = valid_request()
    body["messages"][2]["content"][0]["content"] = [image_block(gif(), "image/jpeg")]
    path = write(fake_home.cwd / "bad.json", body)
    out = fake_home.cwd / "repro.json"
    run_cli(["payload", str(path), "--minimal", str(out)], fake_home.env())
    minimal = json.loads(out.read_text())
    again = validate(json.dumps(minimal).encode())
    ids = {f.id for f in again.findings if f.severity.is_problem}
    assert ids == {"payload.image_media_type_mismatch"}  # no orphan tool_result created
    assert [t["name"] for t in minimal["tools"]] == ["get_weather"]


def test_minimal_never_overwrites_without_force(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "bad.json", broken_request())
    out = fake_home.cwd / "repro.json"
    out.write_text("keep me")
    result = run_cli(["payload", str(path), "--minimal", str(out)], fake_home.env())
    assert result.code == 2 and "--force" in result.stderr
    assert out.read_text() == "keep me"
    result = run_cli(["payload", str(path), "--minimal", str(out), "--force"], fake_home.env())
    assert result.code == 1 and json.loads(out.read_text())["model"]


# --- the check ------------------------------------------------------------------------


def _run_check(fake_home: FakeHome, payload_path: str | None) -> list[Any]:
    settings = load_settings(fake_home.env(), cwd=fake_home.cwd)
    ctx = Context(settings, Network(settings), answers=Answers(payload_path=payload_path))
    checks = [c for c in CHECKS if c.name == "payload"]
    return asyncio.run(run_checks(checks, ctx)).findings


def test_payload_check_uses_the_guided_run_path(fake_home: FakeHome) -> None:
    assert [c.name for c in select_checks(["payload"])] == ["environment", "payload"]
    assert _run_check(fake_home, None) == []
    write(fake_home.cwd / "bad.json", broken_request())
    findings = _run_check(fake_home, "bad.json")  # relative to the project directory
    assert findings[0].id == "payload.summary"
    assert "payload.image_double_encoded" in {f.id for f in findings}
    missing = _run_check(fake_home, "nope.json")
    assert [f.id for f in missing] == ["payload.file_unreadable"]


def test_check_run_with_only_payload_and_no_path_is_clean(fake_home: FakeHome) -> None:
    result = run_cli(["check", "--json", "--only", "payload"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 0, result.stderr
    assert [c["name"] for c in result.json()["checks"]] == ["environment", "payload"]


def test_the_advice_names_the_real_file(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "my request.json", broken_request())
    result = run_cli(["payload", str(path)], fake_home.env())
    assert result.code == 1
    quoted = f"'{path}'"
    flat = " ".join(result.stdout.split())  # the console wraps long lines
    assert f"Verify: claude-doctor payload {quoted} reports no failure" in flat
    assert f"$ claude-doctor payload {quoted} --minimal 'my request.min.json'" in flat
    assert "payload FILE" not in flat
    assert KEY not in result.stdout + result.stderr


def test_a_valid_request_does_not_point_at_a_saved_report(fake_home: FakeHome) -> None:
    path = write(fake_home.cwd / "ok.json", valid_request())
    result = run_cli(["payload", str(path)], fake_home.env())
    assert result.code == 0
    assert "report --last" not in result.stdout  # payload saves nothing
    assert "Report saved" not in result.stdout
    assert "Nothing wrong found in this request" in result.stdout
    assert not (fake_home.doctor / "reports").exists() or not list(
        (fake_home.doctor / "reports").iterdir()
    )


def test_the_output_limit_is_not_confused_with_the_context_window(fake_home: FakeHome) -> None:
    body = valid_request()
    body["model"] = "claude-sonnet-4-5"
    body["max_tokens"] = 100_000
    path = write(fake_home.cwd / "big.json", body)
    result = run_cli(["payload", str(path)], fake_home.env())
    assert result.code == 1
    flat = " ".join(result.stdout.split())
    assert "output limit of 64,000 tokens" in flat
    assert "1M" not in flat and "context-1m" not in flat  # the beta widens the window only


def test_the_window_note_stays_with_the_window() -> None:
    from claude_doctor.limits import model_limits

    sonnet = model_limits("claude-sonnet-4-5")
    assert sonnet is not None
    assert "1M" in sonnet.window_note and sonnet.output_note == ""
    older = model_limits("claude-3-7-sonnet-20250219")
    assert older is not None and "output-128k" in older.output_note and older.window_note == ""


def test_a_cut_that_loses_the_problem_says_so_without_ids(fake_home: FakeHome) -> None:
    from claude_doctor.limits import LIMITS

    body = valid_request()
    body["messages"][0]["content"][0]["text"] = "x" * (LIMITS.request_bytes + 10)
    path = write(fake_home.cwd / "huge.json", body)
    out = fake_home.cwd / "repro.json"
    result = run_cli(["payload", str(path), "--minimal", str(out)], fake_home.env(), timeout=60)
    assert result.code == 1
    said = result.stderr
    assert "it still fails the same way" not in said
    assert "Not kept, being about the request as a whole" in said
    assert "payload.request_too_large" not in said
