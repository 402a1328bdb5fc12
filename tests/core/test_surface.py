"""The surface a run is about: ``check --surface`` (and ``CLAUDE_DOCTOR_SURFACE``), the root
command's, and the one the error text shows; Claude Code's route and login findings are
listed, never the verdict, for someone whose error came from elsewhere."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from claude_doctor.classify import classify
from claude_doctor.model import Answers, Surface, When
from claude_doctor.pipeline import effective_answers
from claude_doctor.report import report_schema
from tests.kit.auth import API_KEY, oauth
from tests.kit.local import CliResult, FakeHome, run_cli

DAY_MS = 86_400_000
ONLY = ("--only", "route,login,settings")
CLAUDE_AI_ERROR = (
    "Due to unexpected capacity constraints, Claude is unable to respond to your message. "
    "Please try again soon."
)


def _shadowed(home: FakeHome, **extra: str) -> dict[str, str]:
    """A subscriber whose ~/.bashrc exports an API key: for Claude Code it wins."""
    home.credentials(oauth(30 * DAY_MS))
    home.write(home.home / ".bashrc", f"export ANTHROPIC_API_KEY={API_KEY}\n")
    return home.env(ANTHROPIC_API_KEY=API_KEY, **extra)


def _json(result: CliResult) -> dict[str, Any]:
    assert result.code in (0, 1), result.stderr
    data: dict[str, Any] = result.json()
    jsonschema.validate(data, report_schema())
    return data


def _shadow(data: dict[str, Any]) -> dict[str, Any]:
    return next(f for f in data["findings"] if f["id"] == "route.api_key_shadows_subscription")


def test_the_route_finding_decides_for_claude_code(fake_home: FakeHome) -> None:
    env = _shadowed(fake_home)
    data = _json(run_cli(["check", "--json", *ONLY], env, cwd=fake_home.cwd))
    assert _shadow(data)["severity"] == "fail"
    assert data["verdict"]["branch"] == "route"


@pytest.mark.parametrize(
    ("args", "extra_env"),
    [
        (["check", "--json", "--surface", "claude_ai", *ONLY], {}),
        (["check", "--json", "--surface", "web", *ONLY], {}),
        (["check", "--json", *ONLY], {"CLAUDE_DOCTOR_SURFACE": "claude_ai"}),
        (["--json", "--surface", "claude_ai", *ONLY], {}),  # the root command, no terminal
    ],
)
def test_for_a_claude_ai_user_the_route_finding_is_only_listed(
    fake_home: FakeHome, args: list[str], extra_env: dict[str, str]
) -> None:
    env = _shadowed(fake_home, **extra_env)
    data = _json(run_cli(args, env, cwd=fake_home.cwd))
    shadow = _shadow(data)
    assert shadow["severity"] == "info"
    assert "claude_ai" in shadow["detail"]
    assert data["verdict"]["branch"] != "route"
    assert "route.api_key_shadows_subscription" not in data["verdict"]["because"]
    assert data["answers"]["surface"] == "claude_ai"
    assert API_KEY not in str(data)


def test_the_surface_is_inferred_from_the_error_text(fake_home: FakeHome) -> None:
    env = _shadowed(fake_home)
    result = run_cli(["check", "--json", "--error", CLAUDE_AI_ERROR, *ONLY], env, cwd=fake_home.cwd)
    data = _json(result)
    assert data["signal"]["surface"] == "claude_ai"
    assert data["answers"]["surface"] == "claude_ai"
    assert _shadow(data)["severity"] == "info"
    assert data["verdict"]["branch"] != "route"


def test_a_given_surface_wins_over_the_error_text(fake_home: FakeHome) -> None:
    env = _shadowed(fake_home)
    args = ["check", "--json", "--surface", "claude_code", "--error", CLAUDE_AI_ERROR, *ONLY]
    data = _json(run_cli(args, env, cwd=fake_home.cwd))
    assert data["signal"]["surface"] == "claude_code"
    assert _shadow(data)["severity"] == "fail"
    # The capacity banner is an overloaded error: its branch decides, the route is listed.
    assert (data["signal"]["category"], data["verdict"]["branch"]) == ("overloaded", "overloaded")


@pytest.mark.parametrize(
    ("args", "extra_env", "said"),
    [
        (["check", "--surface", "browser"], {}, "unknown surface 'browser'; choose from api,"),
        (["check"], {"CLAUDE_DOCTOR_SURFACE": "vscode"}, "unknown surface 'vscode'"),
        (["--surface", "browser"], {}, "unknown surface 'browser'"),
        (["check", "--surface", "api,claude_code"], {}, "check takes one surface"),
    ],
)
def test_a_bad_surface_is_a_usage_error(
    fake_home: FakeHome, args: list[str], extra_env: dict[str, str], said: str
) -> None:
    result = run_cli([*args, *ONLY], fake_home.env(**extra_env), cwd=fake_home.cwd)
    assert result.code == 2, result.stderr
    assert said in result.stderr
    assert "claude_ai" in result.stderr or "one surface" in result.stderr
    assert result.stdout == ""


def test_effective_answers_the_given_surface_then_the_errors() -> None:
    sdk = classify("anthropic.APIConnectionError: Connection error.")
    bare = classify('{"type":"error","error":{"type":"api_error","message":"Internal server"}}')
    assert effective_answers(None, None) == Answers()
    assert effective_answers(None, sdk) == Answers(surface=Surface.API_SDK)
    assert effective_answers(None, bare).surface is None
    given = Answers(surface=Surface.DESKTOP, when=When.NOW)
    assert effective_answers(given, sdk) == given
    assert effective_answers(Answers(when=When.NOW), sdk) == Answers(
        surface=Surface.API_SDK, when=When.NOW
    )
