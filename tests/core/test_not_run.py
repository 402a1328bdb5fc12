"""A check that crashed or timed out is never healthy: its branch stays open, the verdict
names the check that could not run, and the exit code is 1."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from claude_doctor.checks import registry
from claude_doctor.cli import app
from claude_doctor.commands import ExitCode, verdict_exit
from claude_doctor.context import Context
from claude_doctor.engine import Check
from claude_doctor.model import Branch, CheckOutcome, Finding
from claude_doctor.pipeline import RunInput, execute
from claude_doctor.report import report_schema
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, run_cli

#: An ``expiresAt`` far past any float: the login and route checks crash on it today.
HUGE = int("9" * 401)


@pytest.fixture
def crashing_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """The login group's check raises, whatever the home holds: a bug of the tool's own."""

    async def boom(ctx: Context) -> list[Finding]:
        raise OverflowError("int too large to convert to float")

    crash = Check("login", "login", Branch.LOGIN, boom, 5.0, "the credentials")
    checks = [c for c in registry.CHECKS if c.name != "login"] + [crash]
    monkeypatch.setattr(registry, "CHECKS", checks)


def test_a_crashed_check_leaves_its_branch_open_and_exits_1(
    fake_home: FakeHome, crashing_login: None
) -> None:
    result = CliRunner().invoke(
        app, ["check", "--json", "--no-save", "--only", "login"], env=fake_home.env()
    )
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    assert {c["name"]: c["outcome"] for c in data["checks"]}["login"] == "crashed"
    verdict = data["verdict"]
    assert verdict["branch"] == "none"
    assert [r["branch"] for r in verdict["open"]] == ["login"]
    assert "login" not in {r["branch"] for r in verdict["ruled_out"]}
    assert "Nothing wrong found" not in verdict["summary"]
    assert verdict["summary"].startswith("No cause found, but not every check could run: ")
    assert "login check crashed (OverflowError)" in verdict["summary"]
    assert result.exit_code == 1


def test_the_console_says_which_check_could_not_run(
    fake_home: FakeHome, crashing_login: None
) -> None:
    result = CliRunner().invoke(app, ["check", "--only", "login", "--no-save"], env=fake_home.env())
    assert "Verdict: none — No cause found, but not every check could run" in result.stdout
    assert "login check crashed (OverflowError)" in result.stdout
    assert result.exit_code == 1


def test_a_named_branch_still_says_what_could_not_run(
    fake_home: FakeHome, crashing_login: None
) -> None:
    args = ["check", "--json", "--no-save", "--only", "login", "--error", "529 Overloaded"]
    result = CliRunner().invoke(app, args, env=fake_home.env())
    verdict = json.loads(result.stdout)["verdict"]
    assert verdict["branch"] == "overloaded"
    assert "Could not run: login check crashed" in verdict["summary"]
    assert result.exit_code == 1


def test_a_401_digit_expiry_is_never_healthy(fake_home: FakeHome) -> None:
    """A real input that once crashed the login check: whether the check reads it or
    crashes on it, the run does not say nothing is wrong, and it exits 1."""
    only = "login"
    fake_home.subscription(expiresAt=HUGE)
    result = run_cli(["check", "--json", "--only", only], fake_home.env())
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    assert "Nothing wrong found" not in data["verdict"]["summary"]
    assert result.code == 1
    if {c["name"]: c["outcome"] for c in data["checks"]}[only] == "crashed":
        assert f"{only} check crashed" in data["verdict"]["summary"]
        assert only in {r["branch"] for r in data["verdict"]["open"]}


def test_a_check_that_timed_out_leaves_its_branch_open_and_exits_1(tmp_path: Path) -> None:
    async def hang(ctx: Context) -> list[Finding]:
        await asyncio.Event().wait()
        return []

    settings = load_settings({"HOME": str(tmp_path), "CLAUDE_DOCTOR_HOME": str(tmp_path)})
    check = Check("route", "route", Branch.ROUTE, hang, 0.05, "the helper")
    report, _ = asyncio.run(execute(RunInput(settings=settings, checks=[check])))
    assert [c.outcome for c in report.checks] == [CheckOutcome.TIMED_OUT]
    assert [r.branch for r in report.verdict.open] == [Branch.ROUTE]
    assert "route check timed out" in report.verdict.summary
    assert verdict_exit(report) is ExitCode.FINDINGS


def test_a_401_digit_expiry_no_longer_crashes_the_route_check(fake_home: FakeHome) -> None:
    """The same input under the route check alone: the route is read, nothing crashes."""
    fake_home.subscription(expiresAt=HUGE)
    result = run_cli(["check", "--json", "--only", "route"], fake_home.env())
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    assert {c["name"]: c["outcome"] for c in data["checks"]}["route"] != "crashed"
    assert result.code in (0, 1)
