"""Output that goes to a pipe: not wrapped unless ``COLUMNS`` asks, and when it asks, only
the spaces change; a command or the saved report's path is never broken."""

from __future__ import annotations

import re

import pytest

from tests.kit.local import FakeHome, run_cli
from tests.terminal.scenes import API_KEY, CREDIT, SCENES, doctor_home

ARGS = ["check", "--only", "route,login", "--error", CREDIT, "--surface", "claude_code"]


def _env(home: FakeHome, **extra: str) -> dict[str, str]:
    env = home.env(**SCENES["subscriber_shadowing_key"].build(home), **extra)
    env["CLAUDE_DOCTOR_HOME"] = doctor_home(home)
    return env


def _words(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Credential:"))
    body = "\n".join(lines[start:])  # the header before it holds the run time
    body = re.sub(r"report-[0-9TZ-]+\.json", "report.json", body)
    return body.split()


def test_a_pipe_gets_whole_lines(fake_home: FakeHome) -> None:
    result = run_cli(ARGS, _env(fake_home))
    assert result.code == 1
    lines = result.stdout.splitlines()
    verdict = next(line for line in lines if line.startswith("Verdict: route"))
    assert len(verdict) > 100 and verdict.endswith(".")  # one line, however long
    assert not any(line.startswith("  ") and not line.startswith(("  $", "  -")) for line in lines)
    assert API_KEY not in result.stdout


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_columns_wraps_a_pipe_with_hanging_indents_and_whole_words(
    fake_home: FakeHome, columns: int
) -> None:
    whole = run_cli(ARGS, _env(fake_home)).stdout
    wrapped = run_cli(ARGS, _env(fake_home, COLUMNS=str(columns))).stdout
    assert _words(wrapped) == _words(whole)  # only the spaces changed: no word was split
    for line in wrapped.splitlines():
        if len(line) > columns:
            # Past the edge only what must stay whole: a command, the report's path.
            assert (
                line.startswith("  $ ") or "/reports/report-" in line or "`claude-doctor" in line
            ), line
    assert "~/.local/share/claude-doctor/reports/report-" in wrapped  # the path in one piece
    assert "  $ unset ANTHROPIC_API_KEY" in wrapped.splitlines()
    assert API_KEY not in wrapped
