"""The status branch's findings, one kind each, from pages read in-process: the deciding
ones first, the ``status_page`` block on the first, incidents and maintenances listed the
same way (state, latest update, link; their ids in the evidence)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from claude_doctor.checks.status.assess import assess, error_time
from claude_doctor.checks.status.judge import findings_for
from claude_doctor.checks.status.page import PageProblem, ProblemKind, Snapshot
from claude_doctor.model import Branch, Finding, Severity, Surface
from tests.kit.statuspages import (
    API,
    CODE,
    WEB,
    ago,
    claude_page,
    incident,
    maintenance,
    snapshot_of,
)


def judged(snapshot: Snapshot, surface: Surface = Surface.CLAUDE_CODE) -> list[Finding]:
    now = datetime.now(UTC)
    return findings_for(assess(snapshot, surfaces=[surface], window=error_time(now), now=now))


def by_id(findings: list[Finding]) -> dict[str, Finding]:
    return {f.id: f for f in findings}


def test_all_operational_carries_the_page_block() -> None:
    [ok] = judged(snapshot_of(claude_page()))
    assert (ok.id, ok.severity, ok.branch) == (
        "incident.all_operational",
        Severity.OK,
        Branch.INCIDENT,
    )
    assert ok.evidence["status_page"]["ok_for_you"] is True
    assert "no incident on them around the time of your error" in ok.detail


def test_an_unreadable_page_is_not_an_incident() -> None:
    problem = PageProblem(
        "summary", "https://status.test/api/v2/summary.json", ProblemKind.HTML, "a web page"
    )
    [f] = judged(Snapshot("https://status.test", problems=(problem,)))
    # Not `error`: the schema keeps that for a check that crashed or timed out.
    assert f.id == "incident.status_page_unreadable" and f.severity is Severity.INFO
    assert f.next_steps[0] == "claude-doctor check --only network"
    assert f.evidence["problem"] == "html" and "status_page" in f.evidence


def test_deciding_findings_come_first_and_list_their_incidents() -> None:
    outage = incident(
        "apiout01",
        "Elevated errors on Claude API",
        started=ago(minutes=30),
        components=(API,),
        updates=(("identified", "A fix is rolling out.", ago(minutes=5)),),
    )
    work = maintenance(
        "maint001",
        "Database upgrade",
        status="in_progress",
        starts=ago(minutes=10),
        ends=ago(minutes=-50),
        components=(CODE,),
    )
    soon = maintenance(
        "maint002",
        "Console work",
        status="scheduled",
        starts=ago(minutes=-30),
        ends=ago(minutes=-90),
        components=(CODE,),
    )
    page = claude_page(
        {API: "major_outage", WEB: "partial_outage"},
        unresolved=[outage],
        active=[work],
        upcoming=[soon],
    )
    findings = judged(snapshot_of(page))
    assert [f.id for f in findings] == [
        "incident.component_degraded",
        "incident.unresolved",
        "incident.maintenance_active",
        "incident.overlapped_error_time",
        "incident.maintenance_soon",
        "incident.elsewhere",
    ]
    assert "status_page" in findings[0].evidence
    assert all("status_page" not in f.evidence for f in findings[1:])
    found = by_id(findings)
    unresolved = found["incident.unresolved"]
    assert unresolved.severity is Severity.FAIL
    assert unresolved.evidence == {"incident_ids": ["apiout01"]}
    assert unresolved.next_steps == ("claude-doctor status --watch", "https://stspg.io/apiout01")
    assert "A fix is rolling out." in unresolved.detail
    assert found["incident.maintenance_active"].evidence == {"maintenance_ids": ["maint001"]}
    assert found["incident.maintenance_soon"].detail.startswith("Starts at ")
    assert found["incident.maintenance_soon"].next_steps == ()
    assert "claude.ai: partial outage" in found["incident.elsewhere"].title


def test_an_incident_naming_no_component_may_be_yours() -> None:
    vague = incident("vague001", "Elevated errors", started=ago(minutes=3), components=())
    found = by_id(judged(snapshot_of(claude_page(unresolved=[vague]))))
    unscoped = found["incident.unresolved_unscoped"]
    assert unscoped.severity is Severity.WARN
    assert unscoped.detail.startswith("It does not say which components it touches")
    assert "incident.all_operational" not in found


def test_a_page_without_your_components_says_so() -> None:
    found = by_id(judged(snapshot_of(claude_page()), surface=Surface.CONSOLE))
    assert "incident.components_not_found" not in found
    renamed = snapshot_of(claude_page())
    assert renamed.summary is not None
    odd = [c for c in renamed.summary.components if c.name != CODE and "API" not in c.name]
    page = dataclasses.replace(
        renamed, summary=dataclasses.replace(renamed.summary, components=tuple(odd))
    )
    assert "incident.components_not_found" in by_id(judged(page))
