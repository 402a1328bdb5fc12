"""The standard streams as a shell leaves them: closed, full, a reader that went away, an
encoding that cannot show the marks. Every case is a real child process with real file
descriptors; each ends by its documented exit code with no traceback and no "Exception
ignored"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from claude_doctor import runtime
from claude_doctor.commands import ExitCode
from tests.kit.local import GUARD_DIR, ROOT, FakeHome

BAD_SETTINGS = '{"model": '
SECRET = "sk-ant-api03-" + "W4q" * 28 + "Zp7e"


def _env(home: FakeHome, **extra: str) -> dict[str, str]:
    env = home.env(**extra)
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD_DIR), str(ROOT)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def shell(home: FakeHome, redirect: str, *args: str, **extra: str) -> tuple[int, bytes, str]:
    """``claude-doctor ARGS REDIRECT`` under /bin/sh (``>&-``, ``2>&-``, ``>/dev/full``):
    exit code, stdout (when it is a pipe) and stderr (when it is not closed)."""
    command = f'exec "$@" {redirect}'
    proc = subprocess.run(
        ["/bin/sh", "-c", command, "sh", sys.executable, "-m", "claude_doctor", *args],
        env=_env(home, **extra),
        cwd=home.cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def clean(stderr: str) -> None:
    for bad in ("Traceback", "Exception ignored", "internal error"):
        assert bad not in stderr, stderr


def saved(home: FakeHome) -> list[Path]:
    return sorted((home.doctor / "reports").glob("report-*.json"))


def test_a_closed_stdout_exits_74_with_one_line_and_the_report_saved(fake_home: FakeHome) -> None:
    code, _out, err = shell(fake_home, ">&-", "check", "--only", "settings")
    clean(err)
    assert code == 74
    assert err.strip().splitlines() == [
        "claude-doctor: could not write the output to stdout: it is closed"
    ]
    assert len(saved(fake_home)) == 1


@pytest.mark.parametrize(
    "args",
    [["check", "--no-save"], ["check", "--json", "--no-save"], ["explain", "529 Overloaded"]],
)
def test_a_full_stdout_exits_74(fake_home: FakeHome, args: list[str]) -> None:
    code, _out, err = shell(fake_home, ">/dev/full", *args, CLAUDE_DOCTOR_ONLY="settings")
    clean(err)
    assert code == 74
    assert "No space left on device" in err


def test_a_closed_stderr_still_runs_the_checks_and_exits_by_the_result(
    fake_home: FakeHome,
) -> None:
    code, out, _err = shell(fake_home, "2>&-", "check", "--only", "settings", "--no-save")
    assert code == 0 and b"Verdict: none" in out
    fake_home.settings("user", BAD_SETTINGS)  # the verdict names route: exit 1
    code, out, _err = shell(fake_home, "2>&-", "check", "--only", "settings", "--json")
    assert code == 1 and b'"branch": "route"' in out
    assert len(saved(fake_home)) == 1


def test_a_reader_that_goes_away_ends_by_the_result(fake_home: FakeHome) -> None:
    fake_home.settings("user", BAD_SETTINGS)
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_doctor", "check", "--only", "settings", "--no-save"],
        env=_env(fake_home),
        cwd=fake_home.cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before a line is written
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == 1  # the settings file is broken: the verdict names route
    clean(err)
    assert "could not write" not in err


@pytest.mark.parametrize(
    ("extra", "codec"),
    [
        ({"PYTHONIOENCODING": "ascii"}, "ascii"),
        ({"PYTHONIOENCODING": "latin-1"}, "latin-1"),
        ({"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}, "ascii"),
    ],
    ids=["ascii", "latin-1", "c-locale"],
)
def test_an_encoding_without_the_marks_falls_back_to_ascii(
    fake_home: FakeHome, extra: dict[str, str], codec: str
) -> None:
    fake_home.settings("user", BAD_SETTINGS)
    code, out, err = shell(fake_home, "", "check", "--only", "settings", "--no-save", **extra)
    clean(err)
    assert code == 1
    text = out.decode(codec)  # every byte is of the stream's own encoding
    assert "[x] route" in text
    assert "Verdict: route - " in text
    assert not {"✗", "✓", "—", "→", "…"} & set(text)
    if codec == "ascii":
        assert "Linux" in text and " - Python " in text


def test_the_ascii_fallback_keeps_secrets_masked(fake_home: FakeHome) -> None:
    fake_home.settings("user", {"env": {"ANTHROPIC_API_KEY": SECRET}})
    _code, out, err = shell(
        fake_home,
        "",
        "check",
        "--only",
        "route,settings",
        "-v",
        "--no-save",
        PYTHONIOENCODING="ascii",
    )
    clean(err)
    text = out.decode("ascii")
    assert SECRET not in text and "W4qW4qW4q" not in text
    assert "sk-ant-api03-...Zp7e" in text


def test_the_exit_codes_agree_with_the_process_layer() -> None:
    assert runtime.OUTPUT_FAILED == ExitCode.OUTPUT_FAILED
    for signum, code in (
        (signal.SIGHUP, ExitCode.HUNG_UP),
        (signal.SIGINT, ExitCode.INTERRUPTED),
        (signal.SIGTERM, ExitCode.TERMINATED),
    ):
        assert runtime.Interrupted(signum).code == code
