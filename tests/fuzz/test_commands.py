"""The fixed bad files and special files through the real commands, each a child process
with a timeout as the hang guard: ``check --only session,route,login``, ``sessions``,
``payload FILE``, ``explain --file`` and ``report --last``. None may exit 3 or print a
traceback; a planted secret appears in no output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fuzz.inputs import FIXED, seen
from tests.kit.auth import ACCESS
from tests.kit.local import CliResult, FakeHome, run_cli

CASES = [
    "surrogate",
    "deep array",
    "deep object",
    "5000 digits",
    "1e999",
    "binary",
    "a list",
    "truncated",
    "NaN",
    "duplicates",
]
SPECIAL = ["fifo", "dev_zero", "directory"]
TRANSCRIPT = "0b5e2c1a-0000-4000-8000-000000000009.jsonl"


def _place(path: Path, case: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if case == "fifo":
        os.mkfifo(path)
    elif case == "dev_zero":
        path.symlink_to("/dev/zero")
    elif case == "directory":
        path.mkdir()
    else:
        path.write_bytes(FIXED[case] + (b"\n" if path.suffix == ".jsonl" else b""))
    return path


def _bad_home(root: Path, case: str) -> FakeHome:
    """A home where every file the checks read is the bad file, beside a real login whose
    token must stay hidden."""
    h = FakeHome(root)
    for path in (
        h.claude / "settings.json",
        h.cwd / ".claude" / "settings.local.json",
        h.home / ".claude.json",
        h.claude / "projects" / str(h.cwd).replace("/", "-") / TRANSCRIPT,
    ):
        _place(path, case)
    h.settings("project", {"env": {"ANTHROPIC_AUTH_TOKEN": ACCESS}})
    return h


def clean(result: CliResult, *codes: int) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both and "internal error" not in both, result.stderr[-2000:]
    assert result.code in codes, (result.code, result.stderr[-2000:])
    assert ACCESS not in both


@pytest.mark.parametrize("case", CASES + SPECIAL)
def test_the_checks_and_sessions_on_a_bad_home(tmp_path: Path, case: str) -> None:
    seen("command:check", case.encode())
    seen("command:sessions", case.encode())
    h = _bad_home(tmp_path, case)
    env = h.env()
    only = ["check", "--json", "--no-input", "--only", "session,route,login"]
    clean(run_cli(only, env, cwd=h.cwd, timeout=60), 0, 1)
    clean(run_cli(["sessions", "--json"], env, cwd=h.cwd, timeout=60), 0, 1)


@pytest.mark.parametrize("case", CASES + SPECIAL)
def test_payload_and_explain_on_a_bad_file(tmp_path: Path, case: str) -> None:
    seen("command:payload", case.encode())
    seen("command:explain", case.encode())
    h = FakeHome(tmp_path)
    path = _place(h.cwd / "input.json", case)
    env = h.env()
    clean(run_cli(["payload", str(path), "--json"], env, cwd=h.cwd, timeout=60), 1, 2)
    clean(run_cli(["explain", "--file", str(path)], env, cwd=h.cwd, timeout=60), 0, 1, 2)
    curl = h.write(h.cwd / "curl.txt", f"curl https://api.anthropic.com/v1/messages -d @{path}")
    clean(run_cli(["payload", str(curl), "--json"], env, cwd=h.cwd, timeout=60), 1, 2)


@pytest.mark.parametrize(
    "case",
    [
        "surrogate",
        "binary",
        "truncated",
        "fifo",
    ],
)
def test_report_last_on_a_store_with_a_bad_file(tmp_path: Path, case: str) -> None:
    seen("command:report", case.encode())
    h = FakeHome(tmp_path)
    env = h.env()
    clean(run_cli(["check", "--no-input", "--only", "route"], env, cwd=h.cwd), 0, 1)
    _place(h.doctor / "reports" / "report-99990101T000000000Z-001.json", case)
    clean(run_cli(["report", "--last"], env, cwd=h.cwd), 0, 1)
