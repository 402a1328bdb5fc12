"""``hook stop-failure`` and its recorder, run as the hook runs them (real child processes
given the hook's JSON on stdin): exit 0 at once whatever the input, the report tagged with
its source and session, a storm made one report with a count, the history's cap kept for
complete reports, the input bounded in size and time, and no secret written."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claude_doctor.hooks.capture import fast_args, read_input
from claude_doctor.hooks.recorder import parse_input
from claude_doctor.report import report_schema
from claude_doctor.store import KEEP, Store
from tests.kit.local import FakeHome, run_cli
from tests.kit.reports import canned_report

pytestmark = pytest.mark.timeout(120)

SECRET = "sk-ant-api03-" + "PlantedInHookText0" * 5 + "x9AA"
ENV_KEY = "sk-ant-api03-" + "PlantedInHookEnv00" * 5 + "x9AA"
#: Every address the checks could reach answers nothing at once.
OFFLINE = {
    "CLAUDE_DOCTOR_STATUS_URL": "http://127.0.0.1:9",
    "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
    "ANTHROPIC_API_KEY": ENV_KEY,
    "CLAUDE_DOCTOR_HOOK_BUDGET": "4",
}


def hook_input(home: FakeHome, session: str = "5e55i0n-0001", **more: Any) -> bytes:
    data = {
        "session_id": session,
        "transcript_path": str(home.claude / "projects" / "none" / f"{session}.jsonl"),
        "cwd": str(home.cwd),
        "prompt_id": "p1",
        "hook_event_name": "StopFailure",
        "error": "server_error",
        "last_assistant_message": "API Error: 500 Internal server error. This is a server-side"
        " issue, usually temporary — try again in a moment.",
        **more,
    }
    return json.dumps(data).encode()


def fire(home: FakeHome, data: bytes, *args: str) -> None:
    result = run_cli(["hook", "stop-failure", *args], home.env(**OFFLINE), cwd=home.cwd, stdin=data)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def reports(home: FakeHome) -> list[dict[str, Any]]:
    found = []
    for path in sorted((home.doctor / "reports").glob("report-*.json")):
        try:
            found.append(json.loads(path.read_text()))
        except ValueError:
            continue
    return found


def settle(home: FakeHome, done: Any, seconds: float = 60) -> list[dict[str, Any]]:
    """The reports once ``done(reports)`` holds (the recorders run detached)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = reports(home)
        if done(found):
            return found
        time.sleep(0.2)
    raise AssertionError(f"the recorders did not finish: {reports(home)}")


def test_a_failure_leaves_a_tagged_report_and_no_secret(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    message = f"API Error: 401 Invalid authentication credentials (key {SECRET})"
    fire(home, hook_input(home, error="authentication_failed", last_assistant_message=message))
    (report,) = settle(home, lambda r: len(r) == 1)
    jsonschema.validate(report, report_schema())
    assert report["source"] == "stop_failure"
    assert report["hook"]["session_id"] == "5e55i0n-0001"
    assert report["hook"]["error"] == "authentication_failed"
    assert report["hook"]["cwd"] == str(home.cwd)
    assert report["signal"]["http_status"] == 401
    assert report["signal"]["surface"] == "claude_code"
    names = {c["name"] for c in report["checks"]}
    assert "status" in names and "network" not in names  # not a network error
    text = json.dumps(report)
    assert SECRET not in text and ENV_KEY not in text
    last = json.loads((home.doctor / "hooks" / "last.json").read_text())
    assert last["session_id"] == "5e55i0n-0001"
    assert list((home.doctor / "hooks" / "inbox").iterdir()) == []
    # Read back: the recorded failure is the signal, and no secret comes out there either.
    env = home.env(**OFFLINE)
    again = run_cli(["check", "--from-hook", "--json", "--only", "status"], env, cwd=home.cwd)
    assert again.json()["signal"]["http_status"] == 401
    assert "session 5e55i0n-" in again.stderr
    hinted = run_cli(["check", "--json", "--only", "status", "--no-save"], env, cwd=home.cwd)
    assert "check --from-hook" in hinted.stderr
    for out in (again.stdout, again.stderr, hinted.stdout, hinted.stderr):
        assert SECRET not in out and ENV_KEY not in out


def test_a_network_error_runs_the_network_probes(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    text = "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)"
    fire(home, hook_input(home, last_assistant_message=text))
    (report,) = settle(home, lambda r: len(r) == 1)
    assert report["signal"]["category"] == "network_connection"
    assert "network" in {c["name"] for c in report["checks"]}


def test_a_storm_in_one_session_is_one_report_with_a_count(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    for _ in range(10):
        fire(home, hook_input(home))
    fire(home, hook_input(home, session="other-session"))
    found = settle(
        home,
        lambda r: len(r) == 2 and sum(x["hook"]["count"] for x in r) == 11,
    )
    counts = {r["hook"]["session_id"]: r["hook"]["count"] for r in found}
    assert counts == {"5e55i0n-0001": 10, "other-session": 1}


def test_repeats_do_not_push_complete_reports_out_of_the_history(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    store = Store(home.doctor)
    for _ in range(KEEP):
        store.save(canned_report())
    for _ in range(5):
        fire(home, hook_input(home))
    found = settle(home, lambda r: any(x.get("hook", {}).get("count") == 5 for x in r))
    assert len(found) == KEEP
    assert sum(1 for r in found if r.get("source") == "stop_failure") == 1


@pytest.mark.parametrize(
    "data", [b"", b"not json", b"[1, 2]", b'{"session_id": 5}', b"\xff\xfe" * 100]
)
def test_bad_input_exits_zero_and_writes_nothing_but_the_history(
    tmp_path: Path, data: bytes
) -> None:
    home = FakeHome(tmp_path)
    fire(home, data)
    time.sleep(0.5)
    assert not (home.doctor / "reports").exists() or data == b'{"session_id": 5}'


def test_input_is_bounded_in_size_and_time() -> None:
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"x" * 5000)
        assert read_input(read_end, limit=1000, seconds=5) == b"x" * 1000
        # The writer never closes: the read ends on its own.
        assert len(read_input(read_end, limit=100_000, seconds=0.3)) == 4000
    finally:
        os.close(read_end)
        os.close(write_end)


def test_the_hook_input_is_read_tolerantly() -> None:
    assert parse_input(b"{}") is not None
    assert parse_input(b"[]") is None
    hook = parse_input(
        json.dumps({"session_id": "s", "last_assistant_message": "x" * 99999}).encode()
    )
    assert hook is not None and len(hook.message) == 2000
    assert fast_args(["--notify", "--input", "/tmp/f"]) == (True, "/tmp/f")
    assert fast_args(["--bogus"]) is None


def test_the_input_file_is_read_and_removed(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    saved = tmp_path / "in.123"
    saved.write_bytes(hook_input(home))
    fire(home, b"", "--input", str(saved))
    settle(home, lambda r: len(r) == 1)
    assert not saved.exists()


def test_a_failure_of_its_own_goes_into_the_report(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    env = home.env(**{**OFFLINE, "CLAUDE_DOCTOR_STATUS_URL": "ftp://nowhere"})
    data = hook_input(home)
    result = run_cli(["hook", "stop-failure"], env, cwd=home.cwd, stdin=data)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")
    (report,) = settle(home, lambda r: len(r) == 1)
    assert "CLAUDE_DOCTOR_STATUS_URL" in report["hook"]["problem"]
    assert report["signal"]["http_status"] == 500


def test_inputs_left_behind_for_an_hour_are_removed(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    inbox = home.doctor / "hooks" / "inbox"
    inbox.mkdir(parents=True)
    old, new = inbox / "in.111", inbox / "in.222"
    for path in (old, new):
        path.write_bytes(hook_input(home, session="left-behind"))
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fire(home, hook_input(home))
    settle(home, lambda r: len(r) == 1)
    assert not old.exists() and new.exists()
