"""The rebuild of a session's failing request from its transcript, and its check: the body
equals what the client sent, hashes resolve from blobs, replies and a fork's parent, what
is missing is named, and size and validation problems are found by JSON path."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from claude_doctor.checks.session.request import message_hash, rebuild_request
from claude_doctor.checks.session.request_check import (
    check_request,
    failing_request_findings,
)
from claude_doctor.limits import LIMITS
from tests.kit.local import FakeHome
from tests.kit.requests import ENVIRONMENT, RequestTranscript, digest
from tests.kit.transcripts import check_report

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def _prompt(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "text", "text": text}]}


def _tool_turn(t: RequestTranscript) -> None:
    """A first request, a reply with a tool call over two lines, the tool's result, and a
    second request that keeps the first two messages and fails."""
    t.user("read a.txt")
    t.request([_prompt("read a.txt"), ENVIRONMENT])
    text = {"type": "text", "text": "Reading it."}
    call = {"type": "tool_use", "id": "toolu_01A", "name": "Read", "input": {"file_path": "a"}}
    t.reply(text, call)
    result = [{"tool_use_id": "toolu_01A", "type": "tool_result", "content": "1\tcontents é"}]
    t.user(result)
    t.request(
        [{"role": "assistant", "content": [text, call]}, {"role": "user", "content": result}],
        keep=2,
        blobs=False,
        cache_control=[
            {"path": ["system", 0], "value": {"type": "ephemeral"}},
            {"path": ["messages", 3, "content", 0], "value": {"type": "ephemeral"}},
        ],
    )
    t.failure()


def test_the_hash_is_claude_codes() -> None:
    # Observed in a real transcript: sorted keys, no spaces, non-ASCII as is.
    message = {"role": "user", "content": [{"type": "text", "text": "é"}]}
    assert message_hash(message) == digest(message)
    assert message_hash({"b": 1, "a": "é"}) != message_hash({"b": 1, "a": "\\u00e9"})


def test_a_single_request_is_rebuilt_as_sent(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.user("hello")
    sent = t.request([_prompt("hello"), ENVIRONMENT])
    t.failure()
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert rebuilt.complete and rebuilt.failed_turn
    assert rebuilt.body == sent
    # The environment message goes as a string, the betas to the header.
    assert isinstance(sent["messages"][1]["content"], str)
    assert "betas" not in rebuilt.body and rebuilt.betas


def test_kept_messages_and_a_reply_over_two_lines(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    _tool_turn(t)
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert rebuilt.complete, (rebuilt.missing, rebuilt.gaps)
    assert rebuilt.body == t.sent[1]
    assert rebuilt.sources == {"own_blobs": 2, "transcript_lines": 2}
    assert rebuilt.body["messages"][2]["content"][1]["id"] == "toolu_01A"
    assert check_request(rebuilt).problems == []


def test_the_request_before_the_last_failure_not_a_later_one(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    failing = t.request([_prompt("one")])
    t.failure()
    t.user("two")
    t.request([_prompt("two")])  # a later request with no failure after it
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert rebuilt.failed_turn and rebuilt.body == failing


def test_a_fork_resolves_from_its_parents_blobs(fake_home: FakeHome) -> None:
    parent = RequestTranscript(str(fake_home.cwd))
    first = _prompt("first")
    parent.request([first, ENVIRONMENT])
    parent.failure()
    parent.write(fake_home.claude)
    fork = RequestTranscript(str(fake_home.cwd))
    fork.user("fourth")
    # The fork's own file has no blob of the first prompt; its prompt is a user line.
    sent = fork.request([first, ENVIRONMENT, _prompt("fourth")], blobs=[False, True, False])
    fork.failure()
    rebuilt = rebuild_request(fork.write(fake_home.claude))
    assert rebuilt.complete and rebuilt.body == sent
    assert rebuilt.sources["other_transcripts"] == 1
    assert rebuilt.sources["transcript_lines"] == 1


def test_the_own_blob_wins_over_the_parents(fake_home: FakeHome) -> None:
    # Seen in a real fork: the same hash, list content in the parent, a string in the fork.
    key = ENVIRONMENT
    as_string = {"role": "system", "content": "# Environment\nPrimary working directory: /p"}
    parent = RequestTranscript(str(fake_home.cwd))
    parent.blob(key)
    parent.write(fake_home.claude)
    fork = RequestTranscript(str(fake_home.cwd))
    fork.blob({**as_string, "content": as_string["content"] + " (fork)"}, key=key)
    fork.request([_prompt("x"), key], blobs=[True, False])
    fork.failure()
    rebuilt = rebuild_request(fork.write(fake_home.claude))
    assert rebuilt.body is not None
    assert rebuilt.body["messages"][1]["content"].endswith("(fork)")


def test_an_unresolved_hash_is_named_never_guessed(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.request(
        [_prompt("a"), {"role": "assistant", "content": [{"type": "text", "text": "?"}]}],
        blobs=[True, False],
    )
    t.failure()
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert not rebuilt.complete
    assert [m.index for m in rebuilt.missing] == [1]
    assert rebuilt.body is not None and rebuilt.body["messages"][1] is None
    # The missing message is not judged (no orphan, no wrong type at its place).
    assert check_request(rebuilt).problems == []


def test_kept_messages_of_a_request_not_in_the_file(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.request([_prompt("a")], keep=2)
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert [(m.index, m.hash) for m in rebuilt.missing] == [(0, None), (1, None)]


def test_no_request_records_and_missing_shape(fake_home: FakeHome) -> None:
    old = RequestTranscript(str(fake_home.cwd))
    old.user("hi").failure()
    rebuilt = rebuild_request(old.write(fake_home.claude))
    assert not rebuilt.has_records and rebuilt.body is None
    t = RequestTranscript(str(fake_home.cwd))
    t.request([_prompt("a")], shape=False)
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert rebuilt.body is not None and "system" not in rebuilt.body
    assert any("api-request-shape" in gap for gap in rebuilt.gaps)


def test_corrupt_and_unknown_lines_are_tolerated(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.raw('{"type":"api-request","tail":[').raw("\x00\x01 not json").raw('{"type":"atis-latch"}')
    t.user("hello")
    sent = t.request([_prompt("hello")])
    t.raw('{"type":"future-line","x":1}').failure().raw('{"type":"assistant","message":')
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert rebuilt.body == sent
    assert rebuilt.corrupt_lines >= 1


def test_an_unreadable_transcript(fake_home: FakeHome, tmp_path: Path) -> None:
    rebuilt = rebuild_request(tmp_path / "gone.jsonl")
    assert rebuilt.unreadable and rebuilt.body is None


def test_an_orphaned_tool_result_and_an_oversized_image_by_path(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    big = "A" * (LIMITS.image_base64_max_bytes + 1024)
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": big}}
    orphan = {"type": "tool_result", "tool_use_id": "toolu_gone", "content": "x"}
    t.request([{"role": "user", "content": [orphan, {"type": "text", "text": "see"}, image]}])
    t.failure()
    check = check_request(rebuild_request(t.write(fake_home.claude)))
    paths = {p.id: p.path for p in check.problems}
    assert paths["payload.orphan_tool_result"] == "messages[0].content[0].tool_use_id"
    image_paths = [p.path for p in check.problems if p.path.startswith("messages[0].content[2]")]
    assert image_paths and all("source" in p for p in image_paths)
    assert not check.over_limit


def test_over_the_request_limit_in_the_session_check(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.user("the logs")
    text = {"type": "text", "text": "x" * (LIMITS.request_bytes + 10)}
    t.request([{"role": "user", "content": [text]}])
    t.failure()
    path = t.write(fake_home.claude)
    check = check_request(rebuild_request(path))
    assert check.over_limit and check.size is not None and check.size > LIMITS.request_bytes
    findings = {f.id: f for f in failing_request_findings(path, t.session_id)}
    found = findings["session.request_too_large"]
    assert found.evidence["request"]["limit_bytes"] == LIMITS.request_bytes
    assert found.evidence["path"] == "$"
    report = check_report(fake_home)
    ids = {f["id"]: f for f in report["findings"]}
    assert ids["session.request_too_large"]["severity"] == "fail"
    assert "x" * 100 not in str(report)


def test_the_session_check_names_the_problem_path_not_the_content(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    key = "sk-ant-api03-" + "PLANTED" * 12 + "zz9Q"
    orphan = {"type": "tool_result", "tool_use_id": "toolu_gone", "content": f"my key {key}"}
    t.user([orphan])
    t.request([{"role": "user", "content": [orphan, {"type": "text", "text": "private words"}]}])
    t.failure()
    t.write(fake_home.claude)
    report = check_report(fake_home)
    found = next(f for f in report["findings"] if f["id"] == "session.request_invalid")
    assert found["evidence"]["paths"] == ["messages[0].content[0].tool_use_id"]
    text = str(report)
    assert key not in text and "PLANTED" * 3 not in text and "private words" not in text


def test_a_healthy_session_is_not_rebuilt_by_the_check(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.user("hi")
    t.request([{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t"}]}])
    t.reply({"type": "text", "text": "fine"})
    t.write(fake_home.claude)
    report = check_report(fake_home)
    assert not [f for f in report["findings"] if f["id"].startswith("session.request")]


def test_the_cap_and_the_deadline_stop_the_rebuild(fake_home: FakeHome) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    t.request([{"role": "user", "content": [{"type": "text", "text": "y" * 4096}]}])
    path = t.write(fake_home.claude)
    capped = rebuild_request(path, cap_bytes=1024)
    assert capped.body is None and capped.stopped and "cap" in capped.stopped
    late = rebuild_request(path, deadline=0.0)
    assert late.body is None and late.stopped and "time" in late.stopped


@pytest.mark.parametrize("size", [1024 * 1024 + 10, 3 * 1024 * 1024])
def test_long_blob_lines_are_found_by_their_head(fake_home: FakeHome, size: int) -> None:
    t = RequestTranscript(str(fake_home.cwd))
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}
    long_text = {"type": "text", "text": "z" * size}
    sent = t.request([{"role": "user", "content": [long_text, image]}])
    t.failure()
    rebuilt = rebuild_request(t.write(fake_home.claude))
    assert rebuilt.body == sent
