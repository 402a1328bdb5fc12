"""Every ``claude-doctor`` command the README, ``--help`` and the verdicts' next steps print
exists and runs: its command is registered, ``--help`` of it exits 0, and every option it
names is one that command takes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from claude_doctor.board import PLAYBOOKS
from claude_doctor.cli import app
from tests.kit.local import FakeHome, run_cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths() -> set[str]:
    """Every command, and every subcommand of a group as ``group sub``."""
    paths: set[str] = set()
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        paths.add(name)
        paths |= {f"{name} {sub}" for sub in getattr(command, "commands", {})}
    return paths


COMMANDS = _command_paths()
#: A mention: ``claude-doctor`` and its words up to the end of the span or the line.
MENTION = re.compile(r"(?<![\w/-])claude-doctor(?![\w.-])((?: +[^\s`|)#;,]+)*)")


def _spans(text: str) -> list[str]:
    """The command-looking parts of a markdown text: backticked spans and the lines of
    fenced ``sh`` blocks."""
    spans = re.findall(r"`([^`\n]+)`", text)
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        spans += block.splitlines()
    return spans


def mentions(text: str, *, markdown: bool) -> list[str]:
    found: list[str] = []
    for span in _spans(text) if markdown else text.splitlines():
        found += [m.group(1).strip() for m in MENTION.finditer(span)]
    return found


def _parts(args: str) -> tuple[str | None, list[str]]:
    words = [w.strip("[]") for w in args.split()]
    command = words[0] if words and re.fullmatch(r"[a-z]+", words[0]) else None
    if command is not None and len(words) > 1 and f"{command} {words[1]}" in COMMANDS:
        command = f"{command} {words[1]}"
    return command, [w.split("=", 1)[0] for w in words if re.fullmatch(r"--?[a-z][\w-]*(=.*)?", w)]


@pytest.fixture(scope="module")
def helps(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, str]:
    home = FakeHome(tmp_path_factory.mktemp("help"))
    env = home.env(COLUMNS="200")
    texts: dict[str | None, str] = {}
    for command in [None, *sorted(COMMANDS)]:
        result = run_cli([*(command.split() if command else []), "--help"], env)
        assert result.code == 0, (command, result.stderr)
        assert "Usage: claude-doctor" in result.stdout
        texts[command] = result.stdout
    return texts


def _assert_runs(args: str, helps: dict[str | None, str], where: str) -> None:
    command, options = _parts(args)
    if command is not None and command not in COMMANDS:
        # A word after the name that is not a command is the top level's argument
        # (none is taken), so it must be a command.
        pytest.fail(f"{where}: `claude-doctor {args}` names no command")
    for option in options:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", helps[command]), (
            f"{where}: `claude-doctor {args}`: {option} is not an option of "
            f"{command or 'the top level'}"
        )


def test_every_command_in_the_readme_exists_and_takes_its_options(
    helps: dict[str | None, str],
) -> None:
    found = mentions(README, markdown=True)
    assert len(found) > 10
    for args in found:
        _assert_runs(args, helps, "README")


def test_every_command_named_in_help_exists_and_takes_its_options(
    helps: dict[str | None, str],
) -> None:
    for command, text in helps.items():
        for args in mentions(text, markdown=False):
            if args.startswith("[OPTIONS]") or (command and args.startswith(command)):
                continue
            _assert_runs(args, helps, f"--help of {command or 'claude-doctor'}")


def test_every_claude_doctor_next_step_of_a_verdict_runs(helps: dict[str | None, str]) -> None:
    steps = [s for book in PLAYBOOKS.values() for s in (*book.next_steps, book.verify)]
    found = [args for step in steps for args in mentions(step, markdown=False)]
    assert found
    for args in found:
        _assert_runs(args, helps, "a verdict's next steps")


def test_the_mentions_reader_finds_what_a_person_would_copy() -> None:
    text = (
        "Run `claude-doctor check --only route -v` or\n```sh\npbpaste | claude-doctor explain\n```"
    )
    assert mentions(text, markdown=True) == ["check --only route -v", "explain"]
    assert _parts("check --only route -v --timeout=3") == ("check", ["--only", "-v", "--timeout"])
    assert _parts("verify [--yes] [--json]") == ("verify", ["--yes", "--json"])
