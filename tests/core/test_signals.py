"""SIGINT, SIGTERM and SIGHUP while the checks run: the checks stop, the report of what
finished is saved marked interrupted, one line says so, and the exit code is 130, 143 or 129.

The run is slow for a real reason: the status page is a local black hole (it accepts the
connection, never answers). The test waits until the status check has connected to it, then
sends a real signal to the real process (a child process for ``check``, a program in a real
pseudo-terminal for the guided run).
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.kit.local import GUARD_DIR, ROOT, FakeHome

CODES = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}
SECRET = "sk-ant-api03-" + "J5t" * 28 + "Rr4u"


class BlackHole:
    """A listening socket nobody answers on; :meth:`wait_for_client` returns once a check
    has connected (and keeps the connection open, unanswered)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(30)
        self.port: int = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []

    def wait_for_client(self) -> None:
        self.held.append(self.sock.accept()[0])

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


def _env(home: FakeHome, hole: BlackHole, **extra: str) -> dict[str, str]:
    env = home.env(
        CLAUDE_DOCTOR_STATUS_URL=f"https://127.0.0.1:{hole.port}",
        CLAUDE_DOCTOR_TIMEOUT="60",
        ANTHROPIC_API_KEY=SECRET,
        **extra,
    )
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD_DIR), str(ROOT)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _reports(home: FakeHome) -> list[dict[str, Any]]:
    paths = sorted((home.doctor / "reports").glob("report-*.json"))
    return [json.loads(p.read_text()) for p in paths]


def _assert_interrupted_report(home: FakeHome, finished: str) -> dict[str, Any]:
    reports = _reports(home)
    assert len(reports) == 1
    report = reports[0]
    assert report["interrupted"] is True
    outcomes = {c["name"]: c["outcome"] for c in report["checks"]}
    assert outcomes["status"] == "skipped"
    assert outcomes[finished] == "done"
    assert "status check stopped before it finished" in report["verdict"]["summary"]
    assert "incident" in {r["branch"] for r in report["verdict"]["open"]}
    assert SECRET not in json.dumps(report)
    return report


@pytest.mark.parametrize("signum", list(CODES), ids=lambda s: signal.Signals(s).name)
def test_a_signal_during_check_saves_what_finished(
    fake_home: FakeHome, black_hole: BlackHole, signum: signal.Signals
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_doctor", "check", "--only", "status,settings"],
        env=_env(fake_home, black_hole),
        cwd=fake_home.cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        black_hole.wait_for_client()
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = err.decode()
    assert proc.returncode == CODES[signum], stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"claude-doctor: interrupted ({NAMES[signum]}); the checks that")
    assert "Interrupted: only the checks that finished count." in out.decode()
    report = _assert_interrupted_report(fake_home, "settings")
    assert report["command"] == "check"
    assert SECRET not in out.decode() + stderr


def test_an_interrupted_run_does_not_hide_the_last_complete_one(
    fake_home: FakeHome, black_hole: BlackHole
) -> None:
    env = _env(fake_home, black_hole)
    complete = subprocess.run(
        [sys.executable, "-m", "claude_doctor", "check", "--only", "settings"],
        env=env,
        cwd=fake_home.cwd,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert complete.returncode in (0, 1)
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_doctor", "check", "--only", "status"],
        env=env,
        cwd=fake_home.cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    black_hole.wait_for_client()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    listing = subprocess.run(
        [sys.executable, "-m", "claude_doctor", "report"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    ).stdout.decode()
    rows = listing.splitlines()[1:3]
    assert rows[0].endswith("(interrupted)") and not rows[1].endswith("(interrupted)")


class Guided:
    """The guided run in a pseudo-terminal, aimed at the black hole."""

    def __init__(self, home: FakeHome, hole: BlackHole) -> None:
        env = _env(home, hole, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
        env.pop("CLAUDE_DOCTOR_NO_INPUT")
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "claude_doctor", "--only", "status,settings"],
            env=env,
            cwd=str(home.cwd),
            encoding="utf-8",
            timeout=30,
            dimensions=(50, 160),
        )
        self.screen = io.StringIO()
        self.child.logfile_read = self.screen

    def answer(self, prompt: str, keys: str) -> None:
        self.child.expect_exact(prompt)
        self.child.send(keys)


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name
)
def test_a_signal_during_the_guided_run_saves_what_finished(
    fake_home: FakeHome, black_hole: BlackHole, signum: signal.Signals
) -> None:
    walk = Guided(fake_home, black_hole)
    walk.answer("Where did you see the error?", "\r")
    walk.answer("Paste the error", "API Error: 500 Internal server error\r\r")
    walk.answer("When did it happen?", "\r")  # the status check starts with this answer
    black_hole.wait_for_client()
    walk.child.expect_exact("What were you doing?")
    walk.child.kill(signum)
    walk.child.expect(pexpect.EOF)
    walk.child.close()
    screen = walk.screen.getvalue()
    assert walk.child.exitstatus == CODES[signum], screen
    assert "Traceback" not in screen
    assert f"claude-doctor: interrupted ({NAMES[signum]}); the checks that finished" in screen
    report = _assert_interrupted_report(fake_home, "settings")
    assert report["command"] == "guided"


def test_the_schema_doc_describes_interrupted() -> None:
    doc = (Path(ROOT) / "docs" / "report-schema.md").read_text()
    assert "| `interrupted` | boolean |" in doc
