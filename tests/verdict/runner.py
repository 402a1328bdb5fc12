"""One world through the real ``check`` path: ``claude-doctor check --json`` (in this process
through the Typer app, or in a child process), or the guided run in-process with an answer
sheet in place of the person; the JSON report and the exit code.
"""

from __future__ import annotations

import asyncio
import json
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.kit.local import FakeHome, run_cli
from tests.verdict.machine import Lab, build
from tests.verdict.world import World


def timeout_for(world: World) -> float:
    """Short deadlines where something never answers; room to spare elsewhere."""
    return 3.0 if world.black_holes else 8.0


@dataclass(frozen=True)
class Outcome:
    report: dict[str, Any]
    #: The CLI's exit code (None for the guided run, which is in-process).
    code: int | None


def run_world(lab: Lab, world: World, home: FakeHome, *, subprocess: bool = False) -> Outcome:
    """``world`` through the real ``check`` path: the CLI (in this process, or in a child
    with ``subprocess``) or the guided run; the JSON report and the exit code."""
    with ExitStack() as stack:
        env = build(lab, world, home, stack)
        if world.via == "guided":
            return Outcome(_guided(world, home, env), None)
        args = ["check", "--json", "--no-save", "--timeout", str(timeout_for(world))]
        if world.error:
            args += ["--error", world.error]
        code, stdout, stderr = _cli([*args, *world.flags], env, home.cwd, subprocess)
    assert "Traceback" not in stderr, stderr
    assert code in (0, 1), f"exit {code}: {stderr}"
    return Outcome(json.loads(stdout), code)


def _cli(args: list[str], env: dict[str, str], cwd: Path, subprocess: bool) -> tuple[int, str, str]:
    """``claude-doctor ARGS`` in ``env`` and ``cwd``: in a child process, or in this one
    through the same Typer app (the whole environment swapped, nothing of ours leaking)."""
    if subprocess:
        result = run_cli(args, env, cwd=cwd, timeout=60)
        return result.code, result.stdout, result.stderr
    from typer.testing import CliRunner

    from claude_doctor.cli import app

    saved, where = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        outcome = CliRunner().invoke(app, args, catch_exceptions=False)
    finally:
        os.chdir(where)
        os.environ.clear()
        os.environ.update(saved)
    return outcome.exit_code, outcome.stdout, outcome.stderr


class AnswerSheet:
    """The guided run's person: answers each question from the world, by what it asks."""

    def __init__(self, world: World, payload_path: str) -> None:
        from claude_doctor.model import Account, Activity, Surface, When

        self.by_family: list[tuple[frozenset[str], str | None]] = [
            (frozenset(Surface), world.surface),
            (frozenset(When), "now" if world.error else None),
            (frozenset(Activity), world.activity),
            (frozenset(Account), world.account),
        ]
        self.error = world.error or ""
        self.payload_path = payload_path
        self.said: list[str] = []

    async def select(self, message: str, choices: Any, default: str | None) -> str | None:
        values = {str(value) for _title, value in choices}
        for family, answer in self.by_family:
            if values <= family:
                return answer
        return None

    async def paste(self, message: str) -> str:
        return self.error

    async def path(self, message: str) -> str:
        return self.payload_path

    async def confirm(self, message: str, default: bool) -> bool:
        return False

    def say(self, text: str) -> None:
        self.said.append(text)


def _guided(world: World, home: FakeHome, env: dict[str, str]) -> dict[str, Any]:
    from claude_doctor.checks.registry import CHECKS
    from claude_doctor.guided.run import guided_run
    from claude_doctor.render import OutputFormat, render
    from claude_doctor.settings import load_settings

    path = ""
    if world.payload is not None:
        path = str(home.write(home.cwd / "request.json", world.payload))
    settings = load_settings(env, timeout=timeout_for(world), no_input=False, cwd=home.cwd)
    outcome = asyncio.run(guided_run(settings, CHECKS, AnswerSheet(world, path)))
    assert not outcome.interrupted
    report: dict[str, Any] = json.loads(render(outcome.report, OutputFormat.JSON))
    return report
