"""Finding transcripts and reading one within bounds: project folders, the tail, the
window, and bad input (binary, partial, unreadable, looping, growing files) tolerated."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claude_doctor.checks.payload.validate import validate
from claude_doctor.checks.session.transcripts import encode_project_dir, list_sessions, read_session
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome
from tests.kit.transcripts import Transcript, check_report, session_file, settings_for


def test_project_folder_encoding() -> None:
    assert encode_project_dir("/home/user/work/my-repo") == "-home-user-work-my-repo"
    assert encode_project_dir("/a/b_c.d") == "-a-b-c-d"


def test_project_dir_name_is_pinned_only_with_config_dir(fake_home: FakeHome) -> None:
    t = Transcript("/elsewhere")
    t.user("x", at=0).assistant()
    path = t.write(fake_home.claude)
    pinned = path.parent.name
    env = {"CLAUDE_CODE_PROJECT_DIR_NAME": pinned}
    assert list_sessions(settings_for(fake_home, **env), all_projects=False).files == []
    with_dir = settings_for(fake_home, CLAUDE_CONFIG_DIR=str(fake_home.claude), **env)
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
    session = read_session(session_file(path))
    assert session.context_window == window
    body = {"model": model, "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    assert validate(json.dumps(body).encode()).summary["context_window"] == window


def test_turns_are_estimated_from_the_tail_of_a_big_file(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("start", at=0)
    for i in range(1500):
        t.user(f"step {i} " + "z" * 600).assistant("ok " + "y" * 300)
    path = t.write(fake_home.claude)
    session = read_session(session_file(path))
    assert session.turns_estimated
    assert 1000 < session.turns < 2500


def test_corrupt_binary_and_partial_lines_are_counted(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    with path.open("ab") as handle:
        handle.write(b"{not json\n\xff\xfe\x00garbage\n[1,2]\n")
        handle.write(t.text().splitlines()[-1].encode()[:50])  # a write in progress
    session = read_session(session_file(path))
    assert session.problems.corrupt_lines == 3
    assert session.problems.partial_last_lines == 1
    assert session.last_success is not None
    binary = path.with_name("binary.jsonl")
    binary.write_bytes(os.urandom(4096).replace(b"{", b"x") + b"\x00" * 10)
    assert read_session(session_file(binary)).problems.binary_files == 1


def test_unreadable_files_missing_projects_and_symlink_loops(fake_home: FakeHome) -> None:
    settings = settings_for(fake_home)
    listing = list_sessions(settings, all_projects=True)
    assert not listing.exists and listing.files == []
    folder = fake_home.claude / "projects" / encode_project_dir(str(fake_home.cwd))
    folder.mkdir(parents=True)
    (folder / "loop.jsonl").symlink_to(folder / "loop.jsonl")
    (fake_home.claude / "projects" / "looped").symlink_to(fake_home.claude / "projects" / "looped")
    listing = list_sessions(settings, all_projects=True)
    assert listing.problems.symlink_loops >= 2
    report = check_report(fake_home)
    assert report["verdict"]["branch"] == "none"


def test_an_unreadable_transcript_is_counted(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    err = PermissionError(13, "Permission denied")
    with pytest.MonkeyPatch.context() as mp:
        # Running as root, chmod cannot make a file unreadable: inject the failure.
        real_open = os.open

        def refuse(name: object, *args: object, **kwargs: object) -> int:
            if Path(str(name)) == path:
                raise err
            return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

        mp.setattr(os, "open", refuse)
        session = read_session(session_file(path))
    assert session.problems.unreadable == 1
    assert session.turns == 0


def test_a_file_growing_while_read_is_tolerated(fake_home: FakeHome) -> None:
    t = Transcript(str(fake_home.cwd))
    t.user("hi", at=0).assistant()
    path = t.write(fake_home.claude)
    stale = session_file(path)
    with path.open("ab") as handle:
        handle.write(t.text().encode() * 3)
    session = read_session(stale)  # the listing's size is already out of date
    assert session.size > stale.size and session.last_success
