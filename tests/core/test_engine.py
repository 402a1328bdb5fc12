"""The engine: concurrency, per-check timeouts, the run's deadline, crashes as findings."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from claude_doctor.context import Context, in_thread
from claude_doctor.engine import Check, run_checks
from claude_doctor.model import Branch, CheckOutcome, Finding, Severity
from claude_doctor.net import Network
from claude_doctor.settings import load_settings


def make_ctx(tmp_path: Path, timeout: float = 10.0) -> Context:
    settings = load_settings({"HOME": str(tmp_path), "CLAUDE_DOCTOR_HOME": str(tmp_path)})
    settings = type(settings)(**{**settings.__dict__, "timeout": timeout})
    return Context(settings=settings, network=Network(settings))


def ok_finding(name: str) -> Finding:
    return Finding(f"route.{name}", Branch.ROUTE, Severity.OK, f"{name} fine")


def sleeper(name: str, seconds: float) -> Check:
    async def run(ctx: Context) -> list[Finding]:
        await asyncio.sleep(seconds)
        return [ok_finding(name)]

    return Check(name, "route", Branch.ROUTE, run, 5.0, "a sleep")


def test_ten_checks_run_concurrently(tmp_path: Path) -> None:
    checks = [sleeper(f"s{i}", 0.3) for i in range(10)]
    started = time.monotonic()
    result = asyncio.run(run_checks(checks, make_ctx(tmp_path)))
    elapsed = time.monotonic() - started
    assert elapsed < 0.6, elapsed
    assert [f.id for f in result.findings] == [f"route.s{i}" for i in range(10)]
    assert all(r.outcome is CheckOutcome.DONE for r in result.runs)


def test_crashing_check_becomes_error_finding_and_others_finish(tmp_path: Path) -> None:
    async def boom(ctx: Context) -> list[Finding]:
        raise KeyError("settings")

    checks = [Check("boom", "route", Branch.ROUTE, boom, 5.0, "x"), sleeper("fine", 0.01)]
    result = asyncio.run(run_checks(checks, make_ctx(tmp_path)))
    crash = result.findings[0]
    assert crash.id == "engine.boom.crashed"
    assert crash.severity is Severity.ERROR
    assert "KeyError" in crash.title and crash.evidence["exception"] == "KeyError"
    assert result.runs[0].outcome is CheckOutcome.CRASHED
    assert result.findings[1].id == "route.fine"


def test_check_over_its_own_timeout_is_reported_with_what_it_waited_for(tmp_path: Path) -> None:
    async def hang(ctx: Context) -> list[Finding]:
        await asyncio.sleep(30)
        return []

    checks = [Check("status", "status", Branch.INCIDENT, hang, 0.2, "the status page")]
    started = time.monotonic()
    result = asyncio.run(run_checks(checks, make_ctx(tmp_path)))
    assert time.monotonic() - started < 1.0
    finding = result.findings[0]
    assert finding.id == "engine.status.timed_out"
    assert "the status page" in finding.detail
    assert result.runs[0].outcome is CheckOutcome.TIMED_OUT


def test_run_deadline_cuts_hanging_checks_and_keeps_finished_results(tmp_path: Path) -> None:
    async def hang(ctx: Context) -> list[Finding]:
        await asyncio.sleep(30)
        return []

    checks = [
        Check("hang1", "network", Branch.NETWORK, hang, 60, "DNS"),
        sleeper("quick", 0.05),
        Check("hang2", "network", Branch.NETWORK, hang, 60, "TLS"),
    ]
    started = time.monotonic()
    result = asyncio.run(run_checks(checks, make_ctx(tmp_path), deadline=0.5))
    elapsed = time.monotonic() - started
    assert elapsed < 1.0
    ids = [f.id for f in result.findings]
    assert ids == ["engine.hang1.timed_out", "route.quick", "engine.hang2.timed_out"]
    assert "run's deadline" in result.findings[0].detail
    assert [r.outcome for r in result.runs] == [
        CheckOutcome.TIMED_OUT,
        CheckOutcome.DONE,
        CheckOutcome.TIMED_OUT,
    ]


def test_blocking_work_in_a_thread_does_not_hold_the_deadline(tmp_path: Path) -> None:
    async def stuck(ctx: Context) -> list[Finding]:
        await in_thread(lambda: time.sleep(3))
        return []

    checks = [Check("stuck", "settings", Branch.ROUTE, stuck, 0.3, "a slow disk")]
    started = time.monotonic()
    result = asyncio.run(run_checks(checks, make_ctx(tmp_path)))
    assert time.monotonic() - started < 1.0
    assert result.runs[0].outcome is CheckOutcome.TIMED_OUT


def test_in_thread_passes_exceptions_through(tmp_path: Path) -> None:
    def fail() -> int:
        raise PermissionError("nope")

    async def go() -> None:
        try:
            await in_thread(fail)
        except PermissionError as exc:
            assert str(exc) == "nope"
        else:
            raise AssertionError("expected PermissionError")

    asyncio.run(go())


def test_finding_maker_names_the_finding_and_merges_evidence() -> None:
    from claude_doctor.model import FindingMaker

    net = FindingMaker(Branch.NETWORK, evidence={"host": "api.anthropic.com", "layer": "dns"})
    f = net("dns.nxdomain", Severity.FAIL, "no such name", "d", ["dig x"], layer="tcp", rcode=3)
    assert f.id == "network.dns.nxdomain"
    assert f.branch is Branch.NETWORK
    assert f.next_steps == ("dig x",)
    assert f.evidence == {"host": "api.anthropic.com", "layer": "tcp", "rcode": 3}
    assert FindingMaker(Branch.INCIDENT, "incident")("x", Severity.OK, "t").id == "incident.x"
