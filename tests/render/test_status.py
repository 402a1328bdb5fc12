"""The ``status`` view: a pure function of one reading, drawn without a terminal."""

from __future__ import annotations

from datetime import UTC, datetime

from claude_doctor.checks.status.assess import assess, error_time
from claude_doctor.checks.status.judge import findings_for
from claude_doctor.checks.status.page import PageProblem, ProblemKind, Snapshot
from claude_doctor.checks.status.watch import RETRY_NOW, Poll
from claude_doctor.model import Surface
from claude_doctor.redact import Redactor
from claude_doctor.render.status import render_status
from tests.kit.statuspages import API, ago, claude_page, incident, maintenance, snapshot_of

SECRET = "sk-ant-api03-" + "V" * 80 + "w1Ew"


def reading(snapshot: Snapshot, surface: Surface = Surface.CLAUDE_CODE) -> Poll:
    now = datetime.now(UTC)
    a = assess(snapshot, surfaces=[surface], window=error_time(now), now=now)
    return Poll(a, findings_for(a))


def test_an_outage_at_a_glance() -> None:
    outage = incident(
        "apiout01",
        "Elevated errors on Claude API",
        started=ago(minutes=50),
        components=(API,),
        updates=(("identified", f"A fix is rolling out ({SECRET}).", ago(minutes=12)),),
    )
    work = maintenance(
        "maint001",
        "Database upgrade",
        status="scheduled",
        starts=ago(minutes=-30),
        ends=ago(minutes=-90),
        components=(API,),
    )
    page = claude_page(
        {API: "major_outage"},
        indicator="major",
        description="Partial System Outage",
        unresolved=[outage],
        upcoming=[work],
    )
    text = render_status(reading(snapshot_of(page)), Redactor([SECRET]), color=False)
    lines = text.splitlines()
    assert (
        lines[0] == "Claude status: Partial System Outage (indicator major) · https://status.test"
    )
    assert "For Claude Code: components marked ◀ are on your path." in lines
    api = next(line for line in lines if "Claude API" in line)
    assert api.startswith("  ✗ ") and "major outage" in api and api.endswith("◀")
    cowork = next(line for line in lines if "Claude Cowork" in line)
    assert cowork.startswith("  ✓ ") and not cowork.endswith("◀")
    assert "  ✗ Elevated errors on Claude API — investigating, major impact (on your path)" in lines
    assert "latest update, 12 min ago: A fix is rolling out" in text
    assert "Upcoming maintenance" in lines
    assert "At the time of your error (just now) an incident was open:" in lines
    assert lines[-2].startswith("Claude Code: not operational — stop changing local settings")
    assert lines[-1] == "  then retry the same path."  # a hanging indent
    assert SECRET not in text
    assert "\x1b[" not in text
    assert "\x1b[" in render_status(reading(snapshot_of(page)), Redactor(), color=True)


def test_all_operational_says_retry() -> None:
    text = render_status(reading(snapshot_of(claude_page())), Redactor(), color=False)
    lines = text.splitlines()
    assert "No incident on your path at the time of your error (just now)." in lines
    assert lines[-1] == f"Claude Code: operational — {RETRY_NOW}."


def test_an_unreadable_page_points_at_the_network() -> None:
    problem = PageProblem(
        "summary", "https://status.test/api/v2/summary.json", ProblemKind.HTML, "a web page"
    )
    snapshot = Snapshot("https://status.test", problems=(problem,))
    text = render_status(reading(snapshot), Redactor(), color=False)
    assert text.splitlines()[:2] == [
        "Could not read the status page at https://status.test",
        "  a web page",
    ]
    assert "claude-doctor check --only network" in text
    assert "operational" not in text


def test_a_narrow_status_view_breaks_at_spaces_with_hanging_indents() -> None:
    outage = incident(
        "apiout02",
        "Elevated errors on Claude API for some requests",
        started=ago(minutes=50),
        components=(API,),
        updates=(("identified", "A fix is rolling out\nto every region.", ago(minutes=12)),),
    )
    page = claude_page({API: "major_outage"}, indicator="major", unresolved=[outage])
    text = render_status(reading(snapshot_of(page)), Redactor(), color=False, width=40)
    lines = text.splitlines()
    words = set(text.split())
    for line in lines:
        assert len(line) <= 40 or " " not in line.strip(), line
    # Each piece of a broken line is indented under its start, and no word was split.
    at = next(i for i, line in enumerate(lines) if "Elevated errors" in line)
    assert lines[at].startswith("  ✗ ") and lines[at + 1].startswith("    ")
    assert {"Elevated", "errors", "requests"} <= words
    update = next(i for i, line in enumerate(lines) if "latest update" in line)
    assert lines[update + 1].startswith("        ")
    assert "rolling out to every region." in " ".join(text.split())
    assert lines[-1].startswith("  ")
