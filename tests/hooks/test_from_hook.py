"""``check --from-hook``: a failure recorded an hour ago, during an incident the page has
resolved since, is diagnosed with its time, so the incident of that moment counts in the
verdict; an unknown id is a usage error naming what was looked for."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from claude_doctor.model import Branch, Category, ErrorSignal, Surface
from claude_doctor.report import utc_timestamp
from claude_doctor.store import Store
from tests.kit.local import FakeHome, ScriptedServer, run_cli
from tests.kit.reports import canned_report
from tests.kit.statuspages import CODE, ago, claude_page, incident, serve


@pytest.fixture
def page() -> Iterator[ScriptedServer]:
    started, ended = ago(minutes=70), ago(minutes=40)
    item = incident(
        "inc0then01",
        "Elevated errors on Claude Code",
        status="resolved",
        started=started,
        resolved=ended,
        components=(CODE,),
        updates=(("investigating", "Looking.", started), ("resolved", "Fixed.", ended)),
    )
    server = ScriptedServer().start()
    serve(server, claude_page(history=[item]))
    yield server
    server.stop()


def record(home: FakeHome, session: str, minutes_ago: float) -> None:
    at = utc_timestamp(ago(minutes=minutes_ago))
    signal = ErrorSignal(
        Category.STATUS_OUTAGE,
        Branch.INCIDENT,
        "API Error: 500 Internal server error. This is a server-side issue, usually temporary.",
        http_status=500,
        request_ids=("req_011RecordedThen01",),
        occurred_at=at,
        surface=Surface.CLAUDE_CODE,
    )
    hook = {"session_id": session, "cwd": str(home.cwd), "failed_at": at, "message": signal.message}
    report = replace(
        canned_report(), created_at=at, source="stop_failure", hook=hook, signal=signal
    )
    Store(home.doctor).save(report)


def test_the_incident_at_the_time_counts_in_the_verdict(
    tmp_path: Path, page: ScriptedServer
) -> None:
    home = FakeHome(tmp_path)
    record(home, "aaaa1111-old", minutes_ago=55)
    env = home.env(CLAUDE_DOCTOR_STATUS_URL=page.url)
    result = run_cli(["check", "--from-hook", "aaaa", "--json", "--only", "status"], env)
    doc = result.json()
    assert doc["signal"]["request_ids"] == ["req_011RecordedThen01"]
    ids = [f["id"] for f in doc["findings"]]
    assert "incident.overlapped_error_time" in ids
    assert doc["evidence"]["status_page"]["overlapping"][0]["id"] == "inc0then01"
    assert doc["verdict"]["branch"] == "incident"
    assert "incident.overlapped_error_time" in doc["verdict"]["because"]
    # The same error pasted without its time finds nothing now.
    pasted = run_cli(
        ["check", "--json", "--only", "status", "--error", doc["signal"]["message"]], env
    ).json()
    assert "incident.overlapped_error_time" not in [f["id"] for f in pasted["findings"]]


def test_an_unknown_or_missing_recording_is_a_usage_error(tmp_path: Path) -> None:
    home = FakeHome(tmp_path)
    result = run_cli(["check", "--from-hook", "--json"], home.env())
    assert result.code == 2 and "hook install" in result.stderr and result.stdout == ""
    record(home, "bbbb2222-one", minutes_ago=1)
    result = run_cli(["check", "--from-hook", "zzzz"], home.env())
    assert result.code == 2 and "'zzzz'" in result.stderr
