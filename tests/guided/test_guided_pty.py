"""The guided run end to end, in a real pseudo-terminal: one walk per branch, answering the
questions as a person would, against local servers and fake homes.

Every check runs (none is switched off): the network branch is aimed at a healthy local
path, the status page is served by the same local host, Claude Code's state is a fake home.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.kit.local import GUARD_DIR, ROOT, FakeHome
from tests.kit.network import healthy_network
from tests.kit.statuspages import CODE, claude_page

ENTER = "\r"
DOWN = "\x1b[B"
API_KEY = "sk-ant-api03-" + "R7x" * 28 + "Qm2w"
ERROR_500 = (
    'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server '
    'error"},"request_id":"req_011CVpty500aBcD"}'
)


@pytest.fixture
def lab(ca: Any, ca_file: Path) -> Iterator[dict[str, Any]]:
    """A healthy network and a green status page; tests change the page as they need."""
    routes: dict[str, Any] = dict(claude_page())
    with healthy_network(ca, ca_file, routes) as knobs:
        yield {"knobs": knobs, "routes": routes}


class Walk:
    """``claude-doctor`` in a pseudo-terminal."""

    def __init__(self, home: FakeHome, knobs: dict[str, str], *args: str, **env: str) -> None:
        environ = home.env(**knobs, **env)
        environ.pop("CLAUDE_DOCTOR_NO_INPUT")
        environ.update(
            PROMPT_TOOLKIT_NO_CPR="1",
            TERM="xterm",
            PYTHONPATH=os.pathsep.join([str(GUARD_DIR), str(ROOT)]),
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.home = home
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "claude_doctor", *args],
            env=environ,
            cwd=str(home.cwd),
            encoding="utf-8",
            timeout=25,
            dimensions=(50, 160),
        )
        self.answers = 0
        self.screen = io.StringIO()  # everything the program drew, prompts included
        self.child.logfile_read = self.screen

    def answer(self, prompt: str, keys: str) -> None:
        self.child.expect_exact(prompt)
        self.child.send(keys)
        self.answers += 1

    def paste(self, text: str) -> None:
        self.answer("Paste the error", text + ENTER + ENTER)

    def finish(self) -> tuple[str, int]:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.screen.getvalue(), self.child.exitstatus

    def report(self) -> dict[str, Any]:
        paths = sorted((self.home.doctor / "reports").glob("report-*.json"))
        assert paths, "no report saved"
        data: dict[str, Any] = json.loads(paths[-1].read_text())
        return data


def test_resumed_session_with_a_500_reaches_session_in_five_answers(
    fake_home: FakeHome, lab: dict[str, Any]
) -> None:
    fake_home.subscription()
    walk = Walk(fake_home, lab["knobs"])
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.paste(ERROR_500)
    walk.answer("When did it happen?", ENTER)  # skipped
    walk.answer("What were you doing?", DOWN * 2 + ENTER)  # a resumed session
    walk.answer("Which account do you think you use?", ENTER)  # a subscription? not sure
    out, code = walk.finish()
    assert walk.answers == 5
    assert "Verdict: session" in out
    assert "Report saved:" in out
    assert code == 1  # the verdict names a branch: the session
    report = walk.report()
    assert report["verdict"]["branch"] == "session"
    assert report["evidence"]["request_ids"][0] == "req_011CVpty500aBcD"
    assert report["evidence"]["status_page"]["reachable"] is True
    outcomes = {c["name"]: c["outcome"] for c in report["checks"]}
    assert set(outcomes.values()) == {"done"}, outcomes
    assert {"network", "status", "route", "login", "session"} <= set(outcomes)


def test_a_key_set_while_thinking_subscription_reaches_route(
    fake_home: FakeHome, lab: dict[str, Any]
) -> None:
    fake_home.subscription()
    fake_home.write(
        fake_home.home / ".zshrc", f"alias ll='ls -l'\nexport ANTHROPIC_API_KEY={API_KEY}\n"
    )
    walk = Walk(fake_home, lab["knobs"], ANTHROPIC_API_KEY=API_KEY)
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.paste("Credit balance is too low")
    walk.answer("When did it happen?", ENTER)
    walk.answer("What were you doing?", DOWN * 3 + ENTER)  # a fresh session
    walk.answer("Which account do you think you use?", DOWN * 3 + ENTER)  # subscription
    out, code = walk.finish()
    assert "Verdict: route" in out
    # The one safe next action: the exact lines, nothing edited.
    assert "unset ANTHROPIC_API_KEY" in out
    assert "line 2 of ~/.zshrc" in out
    assert code == 1
    assert API_KEY not in out
    assert API_KEY not in json.dumps(walk.report())
    assert (fake_home.home / ".zshrc").read_text().count("ANTHROPIC_API_KEY") == 1


def test_an_outage_of_claude_code_reaches_incident_and_offers_to_watch(
    fake_home: FakeHome, ca: Any, ca_file: Path
) -> None:
    fake_home.subscription()
    with healthy_network(ca, ca_file, dict(claude_page({CODE: "major_outage"}))) as knobs:
        walk = Walk(fake_home, knobs)
        walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
        walk.paste(ERROR_500)
        walk.answer("When did it happen?", ENTER)
        walk.answer("What were you doing?", DOWN * 3 + ENTER)
        walk.answer("Which account do you think you use?", ENTER)
        walk.answer("Watch the status page until it clears", "n")
        out, code = walk.finish()
    assert "Verdict: incident" in out
    assert code == 1
    assert walk.report()["verdict"]["branch"] == "incident"


def test_an_expired_login_goes_straight_to_login(fake_home: FakeHome, lab: dict[str, Any]) -> None:
    fake_home.subscription(expires_in=-3600, refreshToken=None)
    walk = Walk(fake_home, lab["knobs"])
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.paste("OAuth token has expired · Please run /login")
    walk.answer("Send one request", "n")  # no more questions: the verify offer comes next
    out, code = walk.finish()
    assert walk.answers == 3
    assert "Looks like your Claude login expired or is missing; checking your login." in out
    assert "Verdict: login" in out
    assert code == 1


def test_a_failing_network_layer_reaches_network(fake_home: FakeHome, lab: dict[str, Any]) -> None:
    fake_home.subscription()
    knobs = dict(lab["knobs"])
    # The API host's TCP connections land on a port nothing listens on.
    from tests.kit.local import refused_port

    dead = refused_port()
    knobs["CLAUDE_DOCTOR_CONNECT_TO"] = ",".join(
        f"api.anthropic.com:443:127.0.0.1:{dead}"
        if entry.startswith("api.anthropic.com:")
        else entry
        for entry in knobs["CLAUDE_DOCTOR_CONNECT_TO"].split(",")
    )
    walk = Walk(fake_home, knobs)
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.paste("API Error: Connection error.")
    walk.answer("When did it happen?", ENTER)
    walk.answer("What were you doing?", DOWN * 3 + ENTER)
    walk.answer("Which account do you think you use?", ENTER)
    out, code = walk.finish()
    assert "Verdict: network" in out
    assert code == 1
    ids = {f["id"] for f in walk.report()["findings"]}
    assert any(i.startswith("network.tcp.") for i in ids), ids


def test_an_api_user_with_a_broken_body_reaches_payload_and_gets_a_repro(
    fake_home: FakeHome, lab: dict[str, Any]
) -> None:
    fake_home.subscription()
    body = {
        "model": "claude-sonnet-4-5",
        "max_token": 1024,
        "messages": [{"role": "user", "content": "hello"}],
    }
    (fake_home.cwd / "request.json").write_text(json.dumps(body))
    walk = Walk(fake_home, lab["knobs"])
    walk.answer("Where did you see the error?", DOWN * 2 + ENTER)  # my own code with the API
    walk.paste(
        'anthropic.BadRequestError: Error code: 400 - {"type": "error", "error": {"type": '
        '"invalid_request_error", "message": "max_tokens: Field required"}}'
    )
    walk.answer("When did it happen?", ENTER)
    walk.answer("What were you doing?", DOWN + ENTER)  # a script
    walk.answer("Which account do you think you use?", DOWN + ENTER)  # a Console API key
    walk.answer("Path to the request body", "request.json" + ENTER)
    walk.answer("Write a minimal reproduction", "y")
    out, code = walk.finish()
    assert "Verdict: payload" in out
    assert "payload FILE" not in out  # the verdict names the body it was given
    assert code == 1
    repro = fake_home.cwd / "claude-doctor-repro.json"
    assert repro.is_file() and "max_token" in repro.read_text()
    ids = {f["id"] for f in walk.report()["findings"]}
    assert "payload.unknown_parameter" in ids or "payload.missing_field" in ids, ids


def test_ctrl_c_at_a_question_exits_130_and_keeps_the_report(
    fake_home: FakeHome, lab: dict[str, Any]
) -> None:
    fake_home.subscription()
    walk = Walk(fake_home, lab["knobs"])
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.child.expect_exact("Paste the error")
    walk.child.sendcontrol("c")
    out, code = walk.finish()
    assert code == 130
    assert "Traceback" not in out
    report = walk.report()
    finished = {c["name"] for c in report["checks"] if c["outcome"] == "done"}
    assert "environment" in finished


def test_a_key_in_the_base_url_and_a_pasted_password_never_reach_the_screen(
    fake_home: FakeHome, lab: dict[str, Any]
) -> None:
    gateway_key = "gwq" + "Hb6tL2wQ" * 3
    password = "hunter2-" + "Mv8sJd"
    fake_home.subscription()
    walk = Walk(
        fake_home,
        lab["knobs"],
        ANTHROPIC_BASE_URL=f"https://api.anthropic.com/gw?key={gateway_key}",
        ANTHROPIC_API_KEY=API_KEY,
    )
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.paste(f"password={password} API Error: 401 authentication_error")
    walk.answer("When did it happen?", ENTER)
    walk.answer("What were you doing?", DOWN * 3 + ENTER)
    walk.answer("Which account do you think you use?", ENTER)
    out, _code = walk.finish()
    report = json.dumps(walk.report(), ensure_ascii=False)
    # The terminal echoes what the person pasted while they paste it; after the questions,
    # nothing the program writes carries it.
    after_questions = out.split("Checking…", 1)[1]
    assert gateway_key not in out
    for text in (after_questions, report):
        assert gateway_key not in text
        assert password not in text
        assert API_KEY not in text
    assert "/gw?key=gwq…" in report  # the base URL was on its way out, masked


def test_the_top_level_takes_checks_options_in_the_guided_run(
    fake_home: FakeHome, lab: dict[str, Any]
) -> None:
    fake_home.subscription(expires_in=-3600, refreshToken=None)
    error = "OAuth token has expired · Please run /login"
    walk = Walk(fake_home, lab["knobs"], "--no-save", "--error", error, "--strict")
    walk.answer("Where did you see the error?", DOWN + ENTER)  # Claude Code
    walk.answer("Send one request", "n")  # the error was given: no paste, no more questions
    out, code = walk.finish()
    assert "Paste the error" not in out
    assert "Looks like your Claude login expired or is missing; checking your login." in out
    assert "Verdict: login" in out
    assert code == 1
    assert "Report saved" not in out
    assert not list((fake_home.doctor / "reports").glob("report-*.json"))
