"""The guided run offers a failure the StopFailure hook recorded lately as the error (with
its time), and asks for a paste when declined or when none was recorded."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from claude_doctor.context import Context
from claude_doctor.engine import Check
from claude_doctor.guided.interview import QuestionaryPrompter
from claude_doctor.guided.run import GuidedOutcome, guided_run
from claude_doctor.model import Branch, Category, ErrorSignal, Finding, Question, Severity, Surface
from claude_doctor.report import utc_timestamp
from claude_doctor.settings import load_settings
from claude_doctor.store import Store
from tests.kit.local import FakeHome
from tests.kit.reports import canned_report

ENTER = "\r"
RECORDED = ErrorSignal(
    Category.STATUS_OUTAGE,
    Branch.INCIDENT,
    "API Error: 500 Internal server error. This is a server-side issue.",
    http_status=500,
    request_ids=("req_011RecordedByHook",),
    occurred_at="2026-12-01T14:02:00.000Z",
    surface=Surface.CLAUDE_CODE,
)


def record(home: FakeHome) -> None:
    hook = {"session_id": "3f2a1b2c-0000", "cwd": "/work/api", "message": RECORDED.message}
    report = replace(
        canned_report(),
        created_at=utc_timestamp(),
        source="stop_failure",
        hook=hook,
        signal=RECORDED,
    )
    Store(home.doctor).save(report)


def drive(home: FakeHome, keys: str) -> tuple[GuidedOutcome, str, dict[str, object]]:
    seen: dict[str, object] = {}

    async def look(ctx: Context) -> list[Finding]:
        seen["signal"] = ctx.signal
        return [Finding("route.looked", Branch.ROUTE, Severity.OK, "looked")]

    checks = [
        Check("look", "route", Branch.ROUTE, look, 5.0, "x", frozenset({Question.ERROR_TEXT}))
    ]
    settings = load_settings(home.env(), cwd=home.cwd)
    err = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = QuestionaryPrompter(input=pipe, output=DummyOutput(), err=err)
        outcome = asyncio.run(guided_run(settings, checks, prompter))
    return outcome, err.getvalue(), seen


def test_a_recorded_failure_is_offered_and_taken(fake_home: FakeHome) -> None:
    record(fake_home)
    # Claude Code; yes, use it; then when, activity, account at their defaults.
    outcome, said, seen = drive(fake_home, ENTER + ENTER + ENTER + ENTER + ENTER)
    assert not outcome.interrupted
    assert "StopFailure hook recorded a failure" in said and "session 3f2a1b2c" in said
    assert "in /work/api" in said and "2026-12-01 14:02 UTC" in said
    signal = seen["signal"]
    assert isinstance(signal, ErrorSignal)
    assert signal.request_ids == ("req_011RecordedByHook",)
    assert signal.occurred_at == RECORDED.occurred_at
    assert outcome.report.signal is not None
    assert outcome.report.signal.occurred_at == RECORDED.occurred_at


def test_declined_it_asks_for_a_paste(fake_home: FakeHome) -> None:
    record(fake_home)
    keys = (
        ENTER
        + "n"
        + "API Error: Request rejected (429) · Rate limited."
        + ENTER
        + ENTER
        + ENTER
        + ENTER
        + ENTER
    )
    _outcome, said, seen = drive(fake_home, keys)
    assert "Several lines are fine" in said
    signal = seen["signal"]
    assert isinstance(signal, ErrorSignal) and signal.category is Category.RATE_LIMIT


def test_nothing_recorded_means_no_offer(fake_home: FakeHome) -> None:
    _outcome, said, _seen = drive(fake_home, ENTER + ENTER + ENTER + ENTER + ENTER + ENTER)
    assert "StopFailure" not in said and "Several lines are fine" in said
