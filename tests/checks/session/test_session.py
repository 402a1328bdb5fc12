"""The session branch: transcripts read from fake homes, findings and verdicts end to end."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claude_doctor.checks.payload.validate import validate
from claude_doctor.checks.session.diagnose import diagnose, sessions_view
from claude_doctor.checks.session.transcripts import (
    MAX_LINE,
    SessionFile,
    encode_project_dir,
    list_sessions,
    read_session,
)
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, ScriptedServer, run_cli
from tests.kit.statuspages import claude_page, serve
from tests.kit.transcripts import Transcript

OLD_SESSION = "0b5e2c1a-0000-4000-8000-000000000001"
KEY = "sk-ant-api03-" + "Q" * 80 + "x7Qa"


def _error_text(i: int) -> str:
    return (
        'API Error: 500 {"type":"error","error":{"type":"api_error","message":'
        f'"Internal server error"}},"request_id":"req_011CVfail{i:04d}xyz"}}'
    )


def _healthy(home: FakeHome) -> Transcript:
    t = Transcript(str(home.cwd))
    t.user("add a test", at=0).assistant(context=30_000).user("thanks").assistant(context=32_000)
    t.write(home.claude)
    return t


def _resumed_failing(home: FakeHome) -> Transcript:
    """(b): history copied from an older session, a day idle, then five 500s."""
    t = Transcript(str(home.cwd))
    t.user("fix the parser", session_id=OLD_SESSION, at=0).assistant(session_id=OLD_SESSION)
    t.user(f"my key is {KEY}", session_id=OLD_SESSION).assistant(session_id=OLD_SESSION)
    t.user("continue", at=24 * 60)
    for i in range(5):
        t.retry(500, 1).api_error(500, _error_text(i))
    t.write(home.claude)
    other = Transcript("/home/someone/other-project")
    other.user("hello", at=24 * 60 + 20).assistant()
    other.write(home.claude)
    return t


def _settings(home: FakeHome, **extra: str):  # type: ignore[no-untyped-def]
    return load_settings(home.env(**extra), cwd=home.cwd)


def _check(home: FakeHome) -> dict:  # type: ignore[type-arg]
    result = run_cli(
        ["check", "--json", "--no-save", "--only", "session"], home.env(), cwd=home.cwd
    )
    assert result.code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    data: dict = result.json()  # type: ignore[type-arg]
    return data


def _ids(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {f["id"]: f["severity"] for f in report["findings"] if f["id"].startswith("session.")}


# --- Done when -----------------------------------------------------------------------------


def test_a_healthy_session_gives_ok_and_no_session_verdict(fake_home: FakeHome) -> None:
    _healthy(fake_home)
    report = _check(fake_home)
    assert _ids(report) == {"session.ok": "ok"}
    assert report["verdict"]["branch"] == "none"


def test_b_resumed_session_ending_in_500s_while_another_works(fake_home: FakeHome) -> None:
    t = _resumed_failing(fake_home)
    report = _check(fake_home)
    assert _ids(report) == {"session.repeated_api_errors": "fail"}
    finding = next(f for f in report["findings"] if f["id"] == "session.repeated_api_errors")
    assert finding["evidence"]["resumed"] is True
    assert len(finding["evidence"]["succeeded_since"]) == 1
    assert "newer session" in finding["detail"]
    assert report["verdict"]["branch"] == "session"
    assert f"claude --resume {t.session_id}" in " ".join(report["verdict"]["next_steps"])
    assert report["evidence"]["session"]["id"] == t.session_id
    expected = [f"req_011CVfail{i:04d}xyz" for i in range(5)]
    assert report["evidence"]["request_ids"] == expected
    assert KEY not in json.dumps(report)


def test_b_sessions_json_lists_the_failing_request_ids(fake_home: FakeHome) -> None:
    t = _resumed_failing(fake_home)
    result = run_cli(["sessions", "--json", "--all"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 1, result.stderr
    doc = result.json()
    expected = [f"req_011CVfail{i:04d}xyz" for i in range(5)]
    assert doc["request_ids"] == expected
    failing = next(s for s in doc["sessions"] if s["session_id"] == t.session_id)
    assert failing["suspicious"] and failing["request_ids"] == expected
    assert failing["resumed"] is True and failing["trailing_failures"] == 5
    assert failing["latest_failure"]["status"] == 500
    assert doc["sessions"][0]["cwd"] == "/home/someone/other-project"  # newest first
    assert doc["total_sessions"] == 2
    # this directory only: the other project's session is not listed
    mine = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd).json()
    assert [s["session_id"] for s in mine["sessions"]] == [t.session_id]


def test_c_context_at_95_percent_of_200k(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("refactor everything", at=0).assistant(context=150_000).user("more")
    t.assistant(context=190_000, model="claude-sonnet-4-5-20250929")
    t.write(fake_home.claude)
    report = _check(fake_home)
    assert _ids(report) == {"session.context_near_limit": "fail"}
    finding = report["findings"][-1]
    assert finding["evidence"]["session"]["context_percent"] == 95.0
    assert finding["evidence"]["session"]["context_window"] == 200_000
    assert any("/compact" in s for s in finding["next_steps"])
    assert report["verdict"]["branch"] == "session"


def test_d_a_12_mb_base64_image_in_the_history(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant().image(12 * 1024 * 1024).assistant().user("and now?")
    t.assistant()
    t.write(fake_home.claude)
    report = _check(fake_home)
    assert _ids(report) == {"session.oversized_attachment": "fail"}
    finding = next(f for f in report["findings"] if f["id"] == "session.oversized_attachment")
    attachment = finding["evidence"]["attachments"][0]
    assert attachment["kind"] == "image" and attachment["media_type"] == "image/png"
    assert attachment["base64_bytes"] == 12 * 1024 * 1024
    assert report["verdict"]["branch"] == "session"


# --- Facts ---------------------------------------------------------------------------------


def test_an_image_before_the_last_compaction_is_not_counted(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).image(12 * 1024 * 1024).assistant().compact().user("go on").assistant()
    path = t.write(fake_home.claude)
    session = read_session(_file(path))
    assert session.oversized == [] and session.compactions == 1


def test_project_folder_encoding() -> None:
    assert encode_project_dir("/home/user/work/my-repo") == "-home-user-work-my-repo"
    assert encode_project_dir("/a/b_c.d") == "-a-b-c-d"


def test_project_dir_name_is_pinned_only_with_config_dir(fake_home: FakeHome) -> None:
    t = Transcript("/elsewhere")
    t.user("x", at=0).assistant()
    path = t.write(fake_home.claude)
    pinned = path.parent.name
    env = {"CLAUDE_CODE_PROJECT_DIR_NAME": pinned}
    assert list_sessions(_settings(fake_home, **env), all_projects=False).files == []
    with_dir = _settings(fake_home, CLAUDE_CONFIG_DIR=str(fake_home.claude), **env)
    assert [f.path for f in list_sessions(with_dir, all_projects=False).files] == [path]


def test_a_long_cwd_matches_a_truncated_folder_by_its_cwd_field(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    deep = home.root / ("d" * 120) / ("e" * 120)
    deep.mkdir(parents=True)
    t = Transcript(str(deep))
    t.user("x", at=0).assistant()
    text = t.text()
    encoded = encode_project_dir(str(deep))
    folder = home.claude / "projects" / (encoded[:200] + "-1a2b3c")
    folder.mkdir(parents=True)
    (folder / f"{t.session_id}.jsonl").write_text(text)
    decoy = home.claude / "projects" / (encoded[:200] + "-ffff")
    decoy.mkdir()
    (decoy / "other.jsonl").write_text(text.replace(str(deep), "/not/this/one"))
    settings = load_settings(home.env(), cwd=deep)
    files = list_sessions(settings, all_projects=False).files
    assert [f.path.parent for f in files] == [folder]


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("claude-sonnet-4-5-20250929", 200_000),
        ("claude-haiku-4-5", 200_000),
        ("claude-3-5-sonnet-20241022", 200_000),
        ("claude-opus-4-6", 1_000_000),
        ("claude-haiku-5", 1_000_000),
        ("claude-sonnet-4-5[1m]", 1_000_000),
        ("some-gateway-model", None),
    ],
)
def test_the_window_is_the_one_the_payload_validator_uses(
    fake_home: FakeHome, model: str, window: int | None
) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant(context=50_000, model=model)
    path = t.write(fake_home.claude)
    info = path.stat()
    session = read_session(SessionFile(path, path.parent.name, info.st_size, info.st_mtime))
    assert session.context_window == window
    body = {"model": model, "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    assert validate(json.dumps(body).encode()).summary["context_window"] == window


def test_tool_use_without_result_and_empty_thinking(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("run it", at=0)
    t.assistant(
        blocks=[
            {"type": "thinking", "thinking": "", "signature": "abc"},
            {"type": "tool_use", "id": "toolu_lost", "name": "Bash", "input": {}},
        ]
    )
    t.user("why did you stop?")
    for i in range(3):
        t.api_error(400, f"API Error: 400 tool_use ids were found without tool_result {i}")
    path = t.write(fake_home.claude)
    d = diagnose(read_session(_file(path)))
    assert d.session.dangling_tool_uses == ["toolu_lost"]
    assert d.session.empty_thinking == 1
    assert {"tool_use_without_result", "empty_thinking", "repeated_errors"} <= set(d.marks)


def test_a_resolved_tool_use_is_not_dangling(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("run it", at=0)
    t.assistant(blocks=[{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {}}])
    t.assistant(blocks=[{"type": "tool_use", "id": "toolu_2", "name": "Read", "input": {}}])
    t.user_blocks([{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}])
    # a long tool output takes the fast path (ids by pattern, no full parse)
    t.user_blocks([{"tool_use_id": "toolu_2", "type": "tool_result", "content": "x" * 9000}])
    t.assistant()
    d = diagnose(read_session(_file(t.write(fake_home.claude))))
    assert d.session.dangling_tool_uses == [] and d.marks == []


def test_a_429_run_is_not_blamed_on_the_session(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("go", at=0).assistant().user("again")
    for _ in range(4):
        t.api_error(429, "API Error: Request rejected (429) · Rate limited.")
    t.write(fake_home.claude)
    report = _check(fake_home)
    assert _ids(report) == {"session.repeated_api_errors": "warn"}


def test_turns_are_estimated_from_the_tail_of_a_big_file(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("start", at=0)
    for i in range(1500):
        t.user(f"step {i} " + "z" * 600).assistant("ok " + "y" * 300)
    path = t.write(fake_home.claude)
    session = read_session(_file(path))
    assert session.turns_estimated
    assert 1000 < session.turns < 2500


# --- Bad input -----------------------------------------------------------------------------


def _file(path: Path) -> SessionFile:
    info = path.stat()
    return SessionFile(path, path.parent.name, info.st_size, info.st_mtime)


def test_corrupt_binary_and_partial_lines_are_counted(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    with path.open("ab") as handle:
        handle.write(b"{not json\n\xff\xfe\x00garbage\n[1,2]\n")
        handle.write(t.text().splitlines()[-1].encode()[:50])  # a write in progress
    session = read_session(_file(path))
    assert session.problems.corrupt_lines == 3
    assert session.problems.partial_last_lines == 1
    assert session.last_success is not None
    binary = path.with_name("binary.jsonl")
    binary.write_bytes(os.urandom(4096).replace(b"{", b"x") + b"\x00" * 10)
    assert read_session(_file(binary)).problems.binary_files == 1


def test_a_100_mb_line_is_skipped_without_holding_it(fake_home: FakeHome) -> None:
    import resource

    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    with path.open("ab") as handle:
        handle.write(b'{"type":"user","message":{"content":"')
        block = b"w" * (1024 * 1024)
        for _ in range(100):
            handle.write(block)
        handle.write(b'"}}\n')
        handle.write(t.text().splitlines()[-1].encode() + b"\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    session = read_session(_file(path))
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert session.last_success is not None
    assert grown_kb < 4 * MAX_LINE // 1024 + 20_000  # nowhere near 100 MB


def test_a_long_line_inside_the_tail_is_counted_and_skipped(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant(context=42_000)
    path = t.write(fake_home.claude)
    with path.open("ab") as handle:
        handle.write(b'{"type":"user","message":{"content":"' + b"w" * (MAX_LINE + 500_000))
        handle.write(b'"}}\n' + t.text().splitlines()[0].encode() + b"\n")
    session = read_session(_file(path))
    assert session.problems.long_lines == 1
    assert session.context_tokens == 42_000


def test_unreadable_files_missing_projects_and_symlink_loops(fake_home: FakeHome) -> None:
    settings = _settings(fake_home)
    listing = list_sessions(settings, all_projects=True)
    assert not listing.exists and listing.files == []
    folder = fake_home.claude / "projects" / encode_project_dir(str(fake_home.cwd))
    folder.mkdir(parents=True)
    (folder / "loop.jsonl").symlink_to(folder / "loop.jsonl")
    (fake_home.claude / "projects" / "looped").symlink_to(fake_home.claude / "projects" / "looped")
    listing = list_sessions(settings, all_projects=True)
    assert listing.problems.symlink_loops >= 2
    report = _check(fake_home)
    assert report["verdict"]["branch"] == "none"


def test_an_unreadable_transcript_is_counted(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    err = PermissionError(13, "Permission denied")
    with pytest.MonkeyPatch.context() as mp:
        # Running as root, chmod cannot make a file unreadable: inject the failure.
        real_open = Path.open

        def refuse(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self == path:
                raise err
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        mp.setattr(Path, "open", refuse)
        session = read_session(_file(path))
    assert session.problems.unreadable == 1
    assert session.turns == 0


def test_a_file_growing_while_read_is_tolerated(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    stale = _file(path)
    with path.open("ab") as handle:
        handle.write(t.text().encode() * 3)
    session = read_session(stale)  # the listing's size is already out of date
    assert session.size > stale.size and session.last_success


def test_no_transcripts_at_all(fake_home: FakeHome) -> None:
    report = _check(fake_home)
    assert _ids(report) == {"session.no_transcripts": "info"}
    result = run_cli(["sessions"], fake_home.env(), cwd=fake_home.cwd)
    assert result.code == 0 and "No sessions found" in result.stdout


# --- Output --------------------------------------------------------------------------------


def test_sessions_table_marks_the_suspicious_and_redacts(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user(f"use {KEY}", at=0).assistant().user("again")
    for i in range(3):
        t.api_error(401, f"Invalid API key · x-api-key: {KEY} req_011CVkey{i:06d}")
    t.write(fake_home.claude)
    table = run_cli(["sessions"], fake_home.env(), cwd=fake_home.cwd)
    assert table.code == 1
    assert KEY not in table.stdout and "sk-ant-api03-…x7Qa" in table.stdout
    row = next(line for line in table.stdout.splitlines() if t.session_id in line)
    assert row.startswith("!") and "errors" in row
    assert f"claude --resume {t.session_id}" in table.stdout
    doc = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd)
    assert KEY not in doc.stdout
    assert doc.json()["sessions"][0]["latest_failure"]["status"] == 401
    report = _check(fake_home)
    assert KEY not in json.dumps(report)


def test_sessions_limit(fake_home: FakeHome) -> None:
    for n in range(4):
        t = Transcript(str(fake_home.cwd))
        t.user("x", at=n * 10).assistant()
        t.write(fake_home.claude)
    view = sessions_view(_settings(fake_home), all_projects=False, limit=2)
    assert len(view.diagnoses) == 2 and len(view.listing.files) == 4
    stamps = [d.session.mtime for d in view.diagnoses]
    assert stamps == sorted(stamps, reverse=True)


# --- With the explain classifier and the whole check -----------------------------------------


def test_b_with_every_check_and_a_green_status_page(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    serve(https_server, claude_page())
    fake_home.subscription()
    t = _resumed_failing(fake_home)
    env = fake_home.env(CLAUDE_DOCTOR_STATUS_URL=https_server.url, SSL_CERT_FILE=str(ca_file))
    result = run_cli(["check", "--json", "--no-save"], env, cwd=fake_home.cwd)
    assert result.code == 1, result.stderr
    report = result.json()
    assert report["verdict"]["branch"] == "session"
    assert "session.repeated_api_errors" in report["verdict"]["because"]
    assert report["evidence"]["session"]["id"] == t.session_id
    latest = report["evidence"]["session"]["latest_failure"]
    assert latest["category"] == "status_outage" and latest["status"] == 500


def test_the_latest_failure_is_classified_in_sessions_json(fake_home: FakeHome) -> None:
    _resumed_failing(fake_home)
    doc = run_cli(["sessions", "--json"], fake_home.env(), cwd=fake_home.cwd).json()
    latest = doc["sessions"][0]["latest_failure"]
    assert latest["category"] == "status_outage"
    assert latest["request_ids"] == ["req_011CVfail0004xyz"]


def test_a_pinned_model_that_is_not_found(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant(model="claude-3-opus-20240229").user("hello again", at=9000)
    body = (
        'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":'
        '"model: claude-3-opus-20240229"},"request_id":"req_011CVnotfound%d"}'
    )
    for i in range(3):
        t.api_error(404, body % i)
    t.write(fake_home.claude)
    report = _check(fake_home)
    ids = _ids(report)
    assert ids["session.model_not_found"] == "fail"
    finding = next(f for f in report["findings"] if f["id"] == "session.model_not_found")
    assert finding["evidence"]["model"] == "claude-3-opus-20240229"
    assert finding["evidence"]["resumed"] is True  # reopened after a long idle gap
    assert any("/model" in s for s in finding["next_steps"])
    assert report["verdict"]["branch"] == "session"
    assert "req_011CVnotfound2" in report["evidence"]["request_ids"]
