"""A check that crashed or timed out is never healthy: its branch stays open, the verdict
names the check that could not run, and the exit code is 1."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import jsonschema

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


def test_checks_that_crash_leave_their_branches_open_and_exit_1(fake_home: FakeHome) -> None:
    fake_home.subscription(expiresAt=HUGE)
    result = run_cli(["check", "--json", "--only", "login,route"], fake_home.env())
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    outcomes = {c["name"]: c["outcome"] for c in data["checks"]}
    assert outcomes["login"] == "crashed" and outcomes["route"] == "crashed"
    verdict = data["verdict"]
    assert verdict["branch"] == "none"
    assert {"login", "route"} <= {r["branch"] for r in verdict["open"]}
    assert "Nothing wrong found" not in verdict["summary"]
    assert "not every check could run" in verdict["summary"]
    assert "login check crashed" in verdict["summary"]
    assert "route check crashed" in verdict["summary"]
    assert not {"login", "route"} & {r["branch"] for r in verdict["ruled_out"]}
    assert result.code == 1


def test_the_console_says_which_check_could_not_run(fake_home: FakeHome) -> None:
    fake_home.subscription(expiresAt=HUGE)
    result = run_cli(["check", "--only", "login", "--no-save"], fake_home.env())
    assert "Verdict: none — No cause found, but not every check could run" in result.stdout
    assert "login check crashed" in result.stdout
    assert result.code == 1


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


def test_a_named_branch_still_says_what_could_not_run(fake_home: FakeHome) -> None:
    fake_home.subscription(expiresAt=HUGE)
    args = ["check", "--json", "--no-save", "--only", "login", "--error", "529 Overloaded"]
    result = run_cli(args, fake_home.env())
    verdict = result.json()["verdict"]
    assert verdict["branch"] == "overloaded"
    assert "Could not run: login check crashed" in verdict["summary"]
    assert result.code == 1
