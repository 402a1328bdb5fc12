"""The guided run in-process: questions through prompt_toolkit's pipe input, checks that
start the moment their answers are in, skipped questions, Ctrl-C."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from pathlib import Path

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from claude_doctor.context import Context
from claude_doctor.engine import Check
from claude_doctor.guided.interview import QuestionaryPrompter, skipped_after_error
from claude_doctor.guided.run import GuidedOutcome, guided_run
from claude_doctor.model import (
    Account,
    Activity,
    Answers,
    Branch,
    Category,
    CheckOutcome,
    ErrorSignal,
    Finding,
    Question,
    Severity,
    Surface,
    When,
)
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome

ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"
ERROR_500 = (
    'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server '
    'error"},"request_id":"req_011CV1xyzAbCdEf"}'
)


def drive(home: FakeHome, keys: str, checks: Sequence[Check]) -> tuple[GuidedOutcome, str]:
    settings = load_settings(home.env(), cwd=home.cwd)
    err = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = QuestionaryPrompter(input=pipe, output=DummyOutput(), err=err)
        outcome = asyncio.run(guided_run(settings, checks, prompter))
    return outcome, err.getvalue()


def recorder(name: str, seen: dict[str, object], needs: frozenset[Question] = frozenset()) -> Check:
    async def run(ctx: Context) -> list[Finding]:
        seen[name] = (ctx.answers.surface, ctx.answers.account, ctx.signal)
        return [Finding(f"route.{name}", Branch.ROUTE, Severity.OK, f"{name} ran")]

    return Check(name, "route", Branch.ROUTE, run, 5.0, "nothing", needs=needs)


def test_checks_start_as_soon_as_their_answers_are_in(fake_home: FakeHome) -> None:
    seen: dict[str, object] = {}
    checks = [
        recorder("early", seen),
        recorder("after_account", seen, frozenset({Question.ACCOUNT})),
    ]
    keys = (
        DOWN
        + ENTER  # Claude Code (Enter alone would skip)
        + ERROR_500
        + ENTER
        + ENTER  # the pasted error, then an empty line
        + DOWN
        + ENTER  # just now
        + DOWN * 2
        + ENTER  # resumed session (Enter alone would skip)
        + ENTER  # not sure (default)
    )
    outcome, said = drive(fake_home, keys, checks)
    assert not outcome.interrupted
    assert seen["early"] == (None, None, None)  # started before any answer
    surface, account, signal = seen["after_account"]  # type: ignore[misc]
    assert surface is Surface.CLAUDE_CODE and account is Account.UNSURE
    assert isinstance(signal, ErrorSignal) and signal.category is Category.STATUS_OUTAGE
    assert (
        "Looks like a server error on Anthropic's side (HTTP 500); checking the status page."
        in said
    )
    report = outcome.report
    assert report.signal is not None and report.signal.request_ids == ("req_011CV1xyzAbCdEf",)
    assert report.answers == {
        "surface": "claude_code",
        "when": "now",
        "activity": "resumed",
        "account": "unsure",
        "payload_path": None,
    }
    # A 500 in a resumed Claude Code session with nothing else found: the session branch.
    assert report.verdict.branch is Branch.SESSION


def test_a_started_check_keeps_the_answers_it_started_with(fake_home: FakeHome) -> None:
    last_answer = asyncio.Event()
    seen: dict[str, Answers] = {}

    async def early(ctx: Context) -> list[Finding]:
        seen["at start"] = ctx.answers
        await last_answer.wait()  # every question is answered by now
        seen["at end"] = ctx.answers
        return []

    async def last(ctx: Context) -> list[Finding]:
        seen["last"] = ctx.answers
        last_answer.set()
        return []

    checks = [
        Check("early", "route", Branch.ROUTE, early, 5.0, "x", frozenset({Question.SURFACE})),
        Check("last", "route", Branch.ROUTE, last, 5.0, "x", frozenset(Question)),
    ]
    # Claude Code; no paste; just now; resumed; not sure (default).
    keys = DOWN + ENTER + ENTER + DOWN + ENTER + DOWN * 2 + ENTER + ENTER
    outcome, _said = drive(fake_home, keys, checks)
    assert not outcome.interrupted
    assert seen["at start"] == seen["at end"] == Answers(surface=Surface.CLAUDE_CODE)
    assert (
        seen["last"]
        == outcome.answers
        == Answers(
            surface=Surface.CLAUDE_CODE,
            when=When.NOW,
            activity=Activity.RESUMED,
            account=Account.UNSURE,
        )
    )


def test_the_questions_offer_every_answer() -> None:
    from claude_doctor.guided.interview import ACCOUNTS, ACTIVITIES, SURFACES, WHEN

    assert [v for _t, v in WHEN] == list(When)
    assert [v for _t, v in ACTIVITIES] == list(Activity)
    assert [v for _t, v in ACCOUNTS] == list(Account)
    # The Console is a surface of the status page only: the guided run does not offer it.
    assert {v for _t, v in SURFACES} == set(Surface) - {Surface.CONSOLE, Surface.UNKNOWN}


def test_an_oauth_error_skips_the_remaining_questions(fake_home: FakeHome) -> None:
    keys = ENTER + "OAuth token has expired · Please run /login" + ENTER + ENTER
    outcome, _said = drive(fake_home, keys, [])
    assert not outcome.interrupted  # no further question waited for input
    assert outcome.report.verdict.branch is Branch.LOGIN
    assert outcome.report.answers is not None
    assert outcome.report.answers["when"] is None and outcome.report.answers["account"] is None


def test_every_question_can_be_skipped(fake_home: FakeHome) -> None:
    # Skip is the first (marked) choice of a select without a default and the last of one
    # with; an empty paste skips the error. Only the account has a default ("not sure",
    # last of 4), so Skip is one step down there and under the pointer everywhere else.
    keys = ENTER + ENTER + ENTER + ENTER + DOWN + ENTER
    outcome, _said = drive(fake_home, keys, [])
    assert not outcome.interrupted
    assert outcome.report.signal is None
    assert outcome.report.verdict.branch is Branch.NONE
    assert outcome.answers == Answers()
    assert outcome.report.answers is None  # nothing was stated, so the report has none


def test_ctrl_c_at_a_question_keeps_finished_checks(fake_home: FakeHome) -> None:
    seen: dict[str, object] = {}
    checks = [recorder("early", seen), recorder("late", seen, frozenset({Question.ACCOUNT}))]
    outcome, _said = drive(fake_home, ENTER + CTRL_C, checks)
    assert outcome.interrupted
    runs = {r.name: (r.outcome, r.started) for r in outcome.report.checks}
    # The check still waiting for an answer is reported as not run, never as a pass.
    assert runs == {"early": (CheckOutcome.DONE, True), "late": (CheckOutcome.SKIPPED, False)}
    assert [f.id for f in outcome.report.findings] == ["route.early"]
    assert "late" not in seen


def test_skip_rules() -> None:
    login = ErrorSignal(Category.AUTH_OAUTH_EXPIRED, Branch.LOGIN, "x")
    assert skipped_after_error(login, Surface.CLAUDE_CODE) >= {
        Question.WHEN,
        Question.ACTIVITY,
        Question.ACCOUNT,
    }
    assert Question.PAYLOAD_PATH not in skipped_after_error(None, Surface.API_SDK)
    assert Question.PAYLOAD_PATH in skipped_after_error(None, Surface.CLAUDE_CODE)
    assert Question.ACCOUNT in skipped_after_error(None, Surface.CLAUDE_AI)
    net = ErrorSignal(Category.NETWORK_DNS, Branch.NETWORK, "x")
    assert Question.PAYLOAD_PATH in skipped_after_error(net, Surface.API_SDK)


def test_desktop_config_problems_are_found_when_the_user_says_desktop(
    fake_home: FakeHome, tmp_path: Path
) -> None:
    from claude_doctor.checks.desktop import desktop_check

    config = fake_home.home / ".config" / "Claude" / "claude_desktop_config.json"
    fake_home.write(
        config,
        {
            "mcpServers": {
                "files": {"command": "no-such-mcp-binary", "args": []},
                "ok": {"command": "sh"},
            }
        },
    )
    # Claude Desktop; no paste; just now; skip the activity (account is not asked).
    keys = DOWN * 3 + ENTER + ENTER + ENTER + ENTER
    checks = [
        Check(
            "desktop",
            "desktop",
            Branch.ROUTE,
            desktop_check,
            5.0,
            "x",
            needs=frozenset({Question.SURFACE}),
        )
    ]
    outcome, _said = drive(fake_home, keys, checks)
    ids = [f.id for f in outcome.report.findings]
    assert "route.desktop.mcp_server" in ids
    problem = next(f for f in outcome.report.findings if f.id == "route.desktop.mcp_server")
    assert "no-such-mcp-binary" in problem.title and "'files'" in problem.title


def test_every_check_waits_for_the_answers_it_reads() -> None:
    """A check that reads an answer (or the pasted error) must start after it is given."""
    import inspect

    from claude_doctor.checks import registry

    reads = {
        Question.SURFACE: "answers.surface",
        Question.ERROR_TEXT: "ctx.signal",
        Question.WHEN: "answers.when",
        Question.ACTIVITY: "answers.activity",
        Question.ACCOUNT: "answers.account",
        Question.PAYLOAD_PATH: "answers.payload_path",
    }
    assert set(reads) == set(Question)
    for check in registry.CHECKS:
        module = inspect.getmodule(check.func)
        assert module is not None
        source = _reachable_source(check.func, vars(module))
        for key, marker in reads.items():
            if marker in source:
                assert key in check.needs, (check.name, key)


def _reachable_source(func: object, namespace: dict[str, object], depth: int = 4) -> str:
    """The source of ``func`` and of the module's own functions it calls, a few levels deep."""
    import inspect
    import re

    seen: set[str] = set()
    parts: list[str] = []
    todo = [(func, 0)]
    while todo:
        current, level = todo.pop()
        name = getattr(current, "__name__", "")
        if name in seen or not callable(current):
            continue
        seen.add(name)
        try:
            text = inspect.getsource(current)  # type: ignore[arg-type]
        except (OSError, TypeError):
            continue
        parts.append(text)
        if level < depth:
            for called in re.findall(r"\b([A-Za-z_]\w*)\(", text):
                target = namespace.get(called)
                if inspect.isfunction(target) and target.__module__ == current.__module__:  # type: ignore[attr-defined]
                    todo.append((target, level + 1))
    return "\n".join(parts)


def test_claude_codes_login_does_not_decide_for_a_claude_ai_user(fake_home: FakeHome) -> None:
    from claude_doctor.checks.registry import select_checks

    # No Claude Code credentials at all: for a Claude Code user that is "not logged in".
    keys = DOWN * 3 + ENTER + ENTER + ENTER + ENTER  # claude.ai; no paste; skip; skip
    outcome, _said = drive(fake_home, keys, select_checks(["login", "route"]))
    assert not outcome.interrupted
    login = next(f for f in outcome.report.findings if f.id == "login.not_logged_in")
    assert login.severity is Severity.INFO and "claude_ai" in login.detail
    assert outcome.report.verdict.branch is Branch.NONE


class Recording:
    """A person who presses Enter at every question, and what each question offered."""

    def __init__(self) -> None:
        self.offered: dict[str, list[str]] = {}
        self.said: list[str] = []

    async def select(
        self, message: str, choices: Sequence[tuple[str, str]], default: str | None
    ) -> str | None:
        self.offered[message] = [title for title, _value in choices]
        return default

    async def paste(self, message: str) -> str:
        return ""

    async def path(self, message: str) -> str:
        return ""

    async def confirm(self, message: str, default: bool) -> bool:
        return default

    def say(self, text: str) -> None:
        self.said.append(text)


def _offered(home: FakeHome, surface: Surface) -> tuple[Recording, GuidedOutcome]:
    settings = load_settings(home.env(), cwd=home.cwd)
    person = Recording()
    outcome = asyncio.run(guided_run(settings, [], person, surface=surface))
    return person, outcome


def test_enter_at_every_question_states_no_fact(fake_home: FakeHome) -> None:
    settings = load_settings(fake_home.env(), cwd=fake_home.cwd)
    person = Recording()
    outcome = asyncio.run(guided_run(settings, [], person))
    asked = {"Where did you see the error?", "When did it happen?", "What were you doing?"}
    assert asked <= set(person.offered)
    # Enter skips: no "Claude Code", "Just now" or "Logging in" by default; the account
    # question's default is "Not sure", which states nothing either.
    assert outcome.answers == Answers(account=Account.UNSURE)
    assert outcome.report.answers is not None
    assert outcome.report.answers["surface"] is None and outcome.report.answers["when"] is None


def test_the_options_fit_where_the_error_was_seen(fake_home: FakeHome) -> None:
    code, _ = _offered(fake_home, Surface.CLAUDE_CODE)
    web, _ = _offered(fake_home, Surface.CLAUDE_AI)
    sdk, _ = _offered(fake_home, Surface.API_SDK)
    doing = "What were you doing?"
    account = "Which account do you think you use?"
    assert any("resumed" in o for o in code.offered[doing])
    assert any("CI" in o for o in code.offered[doing])
    for person in (web, sdk):
        assert not any("resumed" in o for o in person.offered[doing])
    assert not any("CI" in o for o in web.offered[doing])
    assert account not in web.offered  # claude.ai's own login is the only route
    assert not any("subscription" in o for o in sdk.offered[account])


def test_a_given_error_answers_the_paste_question(fake_home: FakeHome) -> None:
    settings = load_settings(fake_home.env(), cwd=fake_home.cwd)
    person = Recording()
    outcome = asyncio.run(
        guided_run(settings, [], person, surface=Surface.CLAUDE_CODE, error=ERROR_500)
    )
    assert outcome.answers.error_text == ERROR_500
    assert outcome.report.signal is not None
    assert outcome.report.signal.request_ids == ("req_011CV1xyzAbCdEf",)
    assert not any("Paste" in line or "Several lines" in line for line in person.said)
