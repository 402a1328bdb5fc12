"""The people the terminal suite draws screens for, each a fake home and a walk through
the guided run: a subscriber whose ``ANTHROPIC_API_KEY`` shadows the login, a claude.ai user
without Claude Code, and an API developer whose request body is broken."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from tests.kit.auth import auth_status
from tests.kit.local import FakeHome
from tests.kit.terminal import Terminal, fake_bin

#: A fake key: the suite checks that it never reaches the screen whole.
API_KEY = "sk-ant-api03-" + "Zq9" * 30 + "AKAA"
CREDIT = "Credit balance is too low"
CLAUDE_AI_500 = "Something went wrong. Please try again later. (Error 500)"
BAD_BODY = (
    'anthropic.BadRequestError: Error code: 400 - {"type": "error", "error": {"type": '
    '"invalid_request_error", "message": "max_tokens: Field required"}}'
)


@dataclass
class Scene:
    """One person: their home, their walk through the guided run, their ``check``."""

    name: str
    #: Builds the home and returns the extra environment.
    build: Callable[[FakeHome], dict[str, str]]
    #: Walks the guided run in a terminal.
    walk: Callable[[Terminal], None]
    #: ``check`` arguments for the same person.
    check_args: tuple[str, ...]


def _subscriber_with_key(home: FakeHome) -> dict[str, str]:
    home.subscription()
    lines = [
        "# ~/.bashrc",
        "alias ll='ls -l'",
        "export EDITOR=vi",
        "",
        f"export ANTHROPIC_API_KEY={API_KEY}",
    ]
    home.write(home.home / ".bashrc", "\n".join(lines) + "\n")
    status = auth_status(home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    return {
        "PATH": fake_bin(home, "2.1.332 (Claude Code)", json.dumps(status)),
        "ANTHROPIC_API_KEY": API_KEY,
    }


def _walk_subscriber(t: Terminal) -> None:
    t.choose("Where did you see the error?", "Claude Code")
    t.paste("Paste the error", CREDIT)
    t.choose("When did it happen?", "Just now")
    t.choose("What were you doing?", "In a fresh session")
    t.choose("Which account do you think you use?", "subscription")


def _claude_ai_user(home: FakeHome) -> dict[str, str]:
    return {"PATH": fake_bin(home, None, None)}


def _walk_claude_ai(t: Terminal) -> None:
    t.choose("Where did you see the error?", "claude.ai")
    t.paste("Paste the error", CLAUDE_AI_500)
    t.choose("When did it happen?", "Just now")
    t.choose("What were you doing?", "In a new chat")


def _api_developer(home: FakeHome) -> dict[str, str]:
    body = {
        "model": "claude-sonnet-4-5",
        "max_token": 1024,
        "messages": [{"role": "user", "content": "hello"}],
    }
    (home.cwd / "request.json").write_text(json.dumps(body))
    home.write(home.home / ".zshrc", f"export ANTHROPIC_API_KEY={API_KEY}\n")
    return {"PATH": fake_bin(home, None, None), "ANTHROPIC_API_KEY": API_KEY}


def _walk_api_developer(t: Terminal) -> None:
    t.choose("Where did you see the error?", "My own code")
    t.paste("Paste the error", BAD_BODY)
    t.choose("When did it happen?", "Just now")
    t.choose("What were you doing?", "script")
    t.choose("Which account do you think you use?", "Console API key")
    t.wait_for("Path to the request body")
    t.send("request.json\r")
    t.wait_for("Write a minimal reproduction")
    t.send("n")


SCENES = {
    s.name: s
    for s in (
        Scene(
            "subscriber_shadowing_key",
            _subscriber_with_key,
            _walk_subscriber,
            ("--error", CREDIT, "--surface", "claude-code"),
        ),
        Scene(
            "claude_ai_user",
            _claude_ai_user,
            _walk_claude_ai,
            ("--error", CLAUDE_AI_500, "--surface", "claude.ai"),
        ),
        Scene(
            "api_developer_failing_body",
            _api_developer,
            _walk_api_developer,
            ("--error", BAD_BODY, "--surface", "api"),
        ),
    )
}


def doctor_home(home: FakeHome) -> str:
    """Where the reports go: inside the fake home, so the screen shows ``~/…`` paths."""
    return str(home.home / ".local" / "share" / "claude-doctor")
