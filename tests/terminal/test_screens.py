"""The guided run and ``check`` in a real pseudo-terminal at 0, 40, 80 and 120 columns, read
through a terminal emulator as a person sees them, against golden screens.

Each person (:mod:`tests.terminal.scenes`) has a fake home, a local network and status page
that are healthy, and their own error. A golden screen is written on its first run; review
it before committing. ``CLAUDE_DOCTOR_SCREENS_DIR`` set: the screens are also written there
as drawn (the header included), for people to read.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.kit.local import FakeHome
from tests.kit.network import healthy_network
from tests.kit.statuspages import claude_page
from tests.kit.terminal import ROOT_SHOWN_AS, Terminal, short_root, stable
from tests.terminal.scenes import API_KEY, SCENES, doctor_home

GOLDEN = Path(__file__).parent / "golden"
WIDTHS = (0, 40, 80, 120)


@pytest.fixture
def home() -> Iterator[FakeHome]:
    root = short_root()
    yield FakeHome(root)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def knobs(ca: Any, ca_file: Path) -> Iterator[dict[str, str]]:
    with healthy_network(ca, ca_file, dict(claude_page())) as found:
        yield found


def environment(home: FakeHome, knobs: dict[str, str], scene: str) -> dict[str, str]:
    env = home.env(**knobs, **SCENES[scene].build(home))
    env["CLAUDE_DOCTOR_HOME"] = doctor_home(home)
    return env


def guided(home: FakeHome, env: dict[str, str], scene: str, columns: int) -> tuple[Terminal, int]:
    env = dict(env)
    env.pop("CLAUDE_DOCTOR_NO_INPUT", None)
    terminal = Terminal([], env, home.cwd, columns)
    SCENES[scene].walk(terminal)
    return terminal, terminal.finish()


def check(home: FakeHome, env: dict[str, str], scene: str, columns: int) -> tuple[Terminal, int]:
    terminal = Terminal(["check", "--no-input", *SCENES[scene].check_args], env, home.cwd, columns)
    return terminal, terminal.finish()


def compare(name: str, screen: str, home: FakeHome) -> None:
    shown = re.sub(r"clock within \d+ s", "clock within N s", stable(screen, home)) + "\n"
    path = GOLDEN / f"{name}.txt"
    if not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(shown, encoding="utf-8")
    assert shown == path.read_text(encoding="utf-8")
    out = os.environ.get("CLAUDE_DOCTOR_SCREENS_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / f"{name}.txt").write_text(
            screen.replace(str(home.root), ROOT_SHOWN_AS) + "\n", encoding="utf-8"
        )


EXIT = {"subscriber_shadowing_key": 1, "claude_ai_user": 0, "api_developer_failing_body": 1}


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_guided_run_screen(home: FakeHome, knobs: dict[str, str], scene: str, columns: int) -> None:
    terminal, code = guided(home, environment(home, knobs, scene), scene, columns)
    screen = terminal.text()
    assert code == EXIT[scene]
    assert "Verdict: " in screen
    assert API_KEY not in "".join(terminal.raw)
    compare(f"guided_{scene}_{columns}", screen, home)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_check_screen(home: FakeHome, knobs: dict[str, str], scene: str, columns: int) -> None:
    terminal, code = check(home, environment(home, knobs, scene), scene, columns)
    screen = terminal.text()
    assert code == EXIT[scene]
    assert "Verdict: " in screen and "Report saved:" in screen
    assert API_KEY not in "".join(terminal.raw)
    compare(f"check_{scene}_{columns}", screen, home)


def test_a_terminal_with_zero_columns_gets_the_whole_report_at_80(
    home: FakeHome, knobs: dict[str, str]
) -> None:
    env = environment(home, knobs, "subscriber_shadowing_key")
    terminal, code = check(home, env, "subscriber_shadowing_key", 0)
    lines = terminal.text().splitlines()
    assert code == 1
    assert any(line.startswith("Verdict: route") for line in lines)
    assert any(line.startswith("[✗] route") for line in lines)
    # Wrapped at 80: no line of the report was left to the terminal to fold.
    drawn = "".join(terminal.raw).replace("\r", "").splitlines()
    assert max(len(line) for line in drawn if "Verdict" in line) <= 80


def test_the_subscribers_credential_line_names_key_place_and_what_it_beats(
    home: FakeHome, knobs: dict[str, str]
) -> None:
    env = environment(home, knobs, "subscriber_shadowing_key")
    terminal, _code = check(home, env, "subscriber_shadowing_key", 120)
    assert (
        "Credential: ANTHROPIC_API_KEY sk-ant-api03-…AKAA from ~/.bashrc:5 — wins over your "
        "Max subscription login"
    ) in terminal.text().splitlines()


def test_ctrl_c_after_the_route_check_keeps_the_credential_line_and_says_what_did_not_run(
    home: FakeHome, knobs: dict[str, str]
) -> None:
    env = environment(home, knobs, "api_developer_failing_body")
    env.pop("CLAUDE_DOCTOR_NO_INPUT")
    terminal = Terminal([], env, home.cwd, 100)
    t = terminal
    t.choose("Where did you see the error?", "My own code")
    t.paste("Paste the error", SCENES_ERROR)
    t.choose("When did it happen?", "Just now")
    t.choose("What were you doing?", "script")
    t.choose("Which account do you think you use?", "Console API key")
    t.wait_for("Path to the request body")
    # The route check starts once the account is answered and reads local files only; Ctrl-C
    # stops whatever is still running, so give it the moment it needs to finish first.
    time.sleep(3)
    t.child.sendcontrol("c")
    code = t.finish()
    lines = t.text().splitlines()
    assert code == 130
    assert any(
        line.startswith("Credential: ANTHROPIC_API_KEY sk-ant-api03-…AKAA from ~/.zshrc:1")
        for line in lines
    ), t.text()
    assert "[-] payload    not run" in lines
    assert not any(line.startswith("[✓] payload") for line in lines)


SCENES_ERROR = 'Error code: 400 - {"type": "error", "error": {"type": "invalid_request_error"}}'


def test_a_pasted_key_is_masked_once_the_paste_ends_and_words_stay_whole(
    home: FakeHome, knobs: dict[str, str]
) -> None:
    env = environment(home, knobs, "claude_ai_user")
    env.pop("CLAUDE_DOCTOR_NO_INPUT")
    pasted = f"invalid x-api-key {API_KEY} sent by the integration's configuration helper"
    t = Terminal([], env, home.cwd, 40)
    t.choose("Where did you see the error?", "My own code")
    t.paste("Paste the error", pasted)
    t.choose("When did it happen?", "Skip")
    t.child.sendcontrol("c")
    t.finish()
    screen = t.text()
    # The box the paste was typed into is gone; what is left is the tool's own line.
    assert API_KEY not in screen and "sk-ant-api03-…AKAA" in screen
    words = set(screen.split())
    assert {"integration's", "configuration", "helper"} <= words
