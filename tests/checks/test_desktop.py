"""Claude Desktop's files and the surfaces without local state."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from claude_doctor.checks.desktop import desktop_check, desktop_paths
from claude_doctor.context import Context
from claude_doctor.model import Answers, Branch, Finding, Severity, Surface
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, run_cli


def run(home: FakeHome, surface: Surface | None = Surface.DESKTOP) -> list[Finding]:
    settings = load_settings(home.env(), cwd=home.cwd)
    ctx = Context(settings=settings, network=Network(settings), answers=Answers(surface=surface))
    return asyncio.run(desktop_check(ctx))


def app_dir(home: FakeHome) -> Path:
    return home.home / ".config" / "Claude"


def test_paths_per_os(tmp_path: Path) -> None:
    env = {
        "HOME": str(tmp_path),
        "CLAUDE_DOCTOR_HOME": "x",
        "APPDATA": r"C:\Users\u\AppData\Roaming",
    }
    settings = load_settings(env)
    mac = desktop_paths(type(settings)(**{**settings.__dict__, "platform": "darwin"}))
    assert mac.config == tmp_path / "Library/Application Support/Claude/claude_desktop_config.json"
    assert mac.logs_dir == tmp_path / "Library/Logs/Claude"
    win = desktop_paths(type(settings)(**{**settings.__dict__, "platform": "win32"}))
    assert str(win.config).endswith("claude_desktop_config.json")
    assert "Roaming" in str(win.config)
    linux = desktop_paths(settings)
    assert linux.config == tmp_path / ".config/Claude/claude_desktop_config.json"


def test_no_desktop_and_no_answer_means_no_findings(fake_home: FakeHome) -> None:
    assert run(fake_home, surface=None) == []


def test_missing_config_when_the_user_says_desktop(fake_home: FakeHome) -> None:
    [finding] = run(fake_home)
    assert finding.id == "route.desktop.no_config" and finding.severity is Severity.INFO


def test_broken_config_names_line_and_column(fake_home: FakeHome) -> None:
    fake_home.write(app_dir(fake_home) / "claude_desktop_config.json", '{"mcpServers": {,}}')
    [finding] = run(fake_home)
    assert finding.id == "route.desktop.config_invalid_json"
    assert finding.severity is Severity.FAIL
    assert ":1:" in finding.detail


def test_log_errors_are_classified_into_their_branch(fake_home: FakeHome) -> None:
    logs = app_dir(fake_home) / "logs"
    fake_home.write(app_dir(fake_home) / "claude_desktop_config.json", {"mcpServers": {}})
    fake_home.write(
        logs / "main.log",
        "2026-11-25 info started\n"
        '2026-11-25 error API Error: 529 {"type":"error","error":{"type":'
        '"overloaded_error","message":"Overloaded"}}\n',
    )
    old = logs / "old.log"
    fake_home.write(old, "error getaddrinfo ENOTFOUND api.anthropic.com\n")
    week_ago = time.time() - 7 * 86400
    os.utime(old, (week_ago, week_ago))
    findings = {f.id: f for f in run(fake_home)}
    log = findings["overloaded.desktop.log_errors"]
    assert log.branch is Branch.OVERLOADED and log.severity is Severity.WARN
    assert log.evidence["error_lines_by_file"] == {"main.log": 1}  # the week-old log is skipped


def test_claude_ai_users_get_the_browser_steps(fake_home: FakeHome) -> None:
    [finding] = run(fake_home, surface=Surface.CLAUDE_AI)
    assert finding.id == "none.claude_ai.browser_steps"
    assert any("private window" in step for step in finding.next_steps)


def test_a_piped_stdin_never_prompts(fake_home: FakeHome) -> None:
    fake_home.subscription()
    env = fake_home.env(CLAUDE_DOCTOR_ONLY="settings,login")
    del env["CLAUDE_DOCTOR_NO_INPUT"]
    result = run_cli([], env, cwd=fake_home.cwd, stdin=b"\n\n\n")
    assert result.code == 0, result.stderr
    assert "Where did you see the error?" not in result.stdout + result.stderr
    assert "Verdict: none" in result.stdout
