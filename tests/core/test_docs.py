"""The README never lies about the CLI: its commands, options and knobs exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from claude_doctor.cli import app
from tests.kit.local import FakeHome, run_cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_and_every_documented_command_exists(
    fake_home: FakeHome,
) -> None:
    registered = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    documented = set(re.findall(r"^\| `claude-doctor (\w+)", README, re.M))
    assert documented == registered


def test_documented_check_options_exist(fake_home: FakeHome) -> None:
    help_text = run_cli(["check", "--help"], fake_home.env()).stdout
    row = re.search(r"^\| `claude-doctor check ([^`]*)`", README, re.M)
    assert row is not None
    for option in re.findall(r"--[\w-]+|-v", row.group(1)):
        assert option in help_text, option


def test_every_knob_in_the_table_is_read_by_the_code() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "claude_doctor").rglob("*.py"))
    knobs = set(re.findall(r"`((?:CLAUDE_DOCTOR|CLAUDE|ANTHROPIC|SSL)_[A-Z_]+)`", README))
    assert knobs
    for knob in knobs:
        assert knob in code, knob


def test_quick_start_has_the_two_commands() -> None:
    assert ".venv/bin/claude-doctor" in README
    assert "scripts/test" in README


def test_readme_installs_like_a_tool() -> None:
    lines = ("pipx install git+", "uv tool install git+", "pipx install .", "uv tool install .")
    for line in lines:
        assert line in README, line
    assert "several minutes" in README
    assert "3.11" in README


def test_package_metadata_is_complete_for_the_index() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert project["readme"] == "README.md"
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    manifest = (ROOT / "MANIFEST.in").read_text().split("\n")
    for folder in ("tests", "scripts", "docs"):
        assert f"graft {folder}" in manifest, folder


def test_documented_top_level_options_exist(fake_home: FakeHome) -> None:
    help_text = run_cli(["--help"], fake_home.env()).stdout
    row = re.search(r"^\| `claude-doctor (\[[^`]*)`", README, re.M)
    assert row is not None
    options = re.findall(r"--[\w-]+|-v", row.group(1))
    assert {"--error", "--no-save", "--run-helpers", "--strict"} <= set(options)
    for option in options:
        assert option in help_text, option
