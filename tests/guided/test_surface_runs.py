"""The guided run and the surface: ``--surface`` answers the question, the pasted error's
surface counts when the question is skipped, and the guided run, ``check`` and
``check --error`` give the same branch on the same machine with the same error."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from claude_doctor.checks.registry import select_checks
from claude_doctor.context import Context
from claude_doctor.engine import Check
from claude_doctor.guided.interview import QuestionaryPrompter
from claude_doctor.guided.run import GuidedOutcome, guided_run
from claude_doctor.model import Branch, Finding, Question, Severity, Surface
from claude_doctor.settings import load_settings
from tests.kit.auth import API_KEY, oauth
from tests.kit.local import FakeHome, run_cli

ENTER = "\r"
DOWN = "\x1b[B"
DAY_MS = 86_400_000
#: Claude Code, with ANTHROPIC_API_KEY from ~/.bashrc overriding the subscription: the key
#: is refused. The route is the branch, whichever way the tool is run.
INVALID_KEY = (
    'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":'
    '"invalid x-api-key"},"request_id":"req_011CWq8vPzJ3mXbE7dNaFh2K"} · Please run /login'
)
SDK_ERROR = "anthropic.APIConnectionError: Connection error."
SDK_BAD_REQUEST = (
    "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': "
    "'invalid_request_error', 'message': 'sytem: Extra inputs are not permitted'}, "
    "'request_id': 'req_011CWx3nJ8pQeR5tYvK2mZaB'}"
)


def drive(
    env: dict[str, str],
    home: FakeHome,
    keys: str,
    checks: Sequence[Check],
    surface: Surface | None = None,
) -> tuple[GuidedOutcome, str]:
    settings = load_settings(env, cwd=home.cwd)
    err = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = QuestionaryPrompter(input=pipe, output=DummyOutput(), err=err)
        outcome = asyncio.run(guided_run(settings, checks, prompter, surface=surface))
    return outcome, err.getvalue()


def recorder(seen: list[Surface | None]) -> Check:
    async def run(ctx: Context) -> list[Finding]:
        seen.append(ctx.answers.surface)
        return [Finding("route.seen", Branch.ROUTE, Severity.OK, "seen")]

    return Check("seen", "route", Branch.ROUTE, run, 5.0, "nothing", needs={Question.ERROR_TEXT})


def test_guided_check_and_check_error_give_the_same_branch(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    fake_home.write(fake_home.home / ".bashrc", f"export ANTHROPIC_API_KEY={API_KEY}\n")
    env = fake_home.env(ANTHROPIC_API_KEY=API_KEY)
    only = ["route", "login", "settings"]
    keys = (
        DOWN
        + ENTER  # Claude Code
        + INVALID_KEY
        + ENTER
        + ENTER  # the paste ends
        + ENTER  # skip when it happened
        + ENTER  # skip "what were you doing" (Enter alone)
        + ENTER  # not sure which account
    )
    outcome, _said = drive(env, fake_home, keys, select_checks(only))
    assert not outcome.interrupted
    guided = outcome.report.verdict

    cli = ["check", "--json", "--only", ",".join(only)]
    plain = run_cli(cli, env, cwd=fake_home.cwd)
    with_error = run_cli([*cli, "--error", INVALID_KEY], env, cwd=fake_home.cwd)
    assert plain.code == with_error.code == 1, (plain.stderr, with_error.stderr)

    branches = {
        "guided": guided.branch.value,
        "check": plain.json()["verdict"]["branch"],
        "check --error": with_error.json()["verdict"]["branch"],
    }
    assert set(branches.values()) == {"route"}, branches
    assert "route.api_key_shadows_subscription" in guided.because
    assert "route.api_key_shadows_subscription" in plain.json()["verdict"]["because"]
    assert "route.api_key_shadows_subscription" in with_error.json()["verdict"]["because"]


def test_a_given_surface_answers_the_question(fake_home: FakeHome) -> None:
    seen: list[Surface | None] = []
    # No surface question: the first key goes to the paste.
    keys = SDK_ERROR + ENTER + ENTER + ENTER + ENTER + ENTER + ENTER
    outcome, said = drive(
        fake_home.env(), fake_home, keys, [recorder(seen)], surface=Surface.CLAUDE_AI
    )
    assert not outcome.interrupted
    assert "Where did you see the error?" not in said
    assert seen == [Surface.CLAUDE_AI]
    assert outcome.answers.surface is Surface.CLAUDE_AI
    assert outcome.report.signal is not None
    assert outcome.report.signal.surface is Surface.CLAUDE_AI
    assert outcome.answers.error_text == SDK_ERROR  # the first keys went to the paste


def test_a_skipped_surface_question_takes_the_errors_surface(fake_home: FakeHome) -> None:
    seen: list[Surface | None] = []
    keys = (
        ENTER  # skip the surface question (Enter alone)
        + SDK_BAD_REQUEST
        + ENTER
        + ENTER
        + ENTER  # skip when it happened
        + ENTER  # skip "what were you doing" (Enter alone)
        + ENTER  # not sure which account
        + "body.json"  # the request body: asked only of an SDK user
        + ENTER
    )
    outcome, _said = drive(fake_home.env(), fake_home, keys, [recorder(seen)])
    assert not outcome.interrupted
    assert seen == [Surface.API_SDK]
    assert outcome.answers.surface is Surface.API_SDK
    assert outcome.answers.payload_path == "body.json"
