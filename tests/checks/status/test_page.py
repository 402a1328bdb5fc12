"""The page as typed data: the real Statuspage samples parse, and unknown values and missing
fields are tolerated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claude_doctor.checks.status.assess import assess, error_time
from claude_doctor.checks.status.judge import findings_for
from claude_doctor.checks.status.page import Snapshot, parse_incident_list, parse_summary
from claude_doctor.model import Surface
from tests.kit.statuspages import (
    LOCAL_SAMPLES,
    SAMPLE_NAMES,
    SHARED_SAMPLES,
    sample,
)


def test_local_copies_match_the_shared_samples() -> None:
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    for name in SAMPLE_NAMES:
        assert (LOCAL_SAMPLES / name).read_bytes() == (SHARED_SAMPLES / name).read_bytes()


def test_real_github_summary_parses() -> None:
    summary = parse_summary(sample("github_summary_2022-11-25_incident.json"))
    assert summary.indicator == "minor"
    assert summary.description == "Minor Service Outage"
    assert len(summary.components) == 11
    assert [c.status for c in summary.components if c.name == "Packages"] == ["partial_outage"]
    (incident,) = summary.incidents
    assert (incident.status, incident.impact) == ("investigating", "major")
    assert incident.shortlink == "https://stspg.io/33vh8r7z43kh"
    assert not incident.resolved
    latest = incident.latest_update
    assert latest is not None and latest.body.startswith("Packages is now experiencing")
    assert set(incident.affected().values()) == {"Packages", "Pages"}


def test_real_emma_incidents_handle_all_three_affected_component_forms() -> None:
    incidents = parse_incident_list(sample("emma_incidents_2019-02.json"))
    assert len(incidents) == 22
    assert all(i.resolved for i in incidents)
    # The "No components were affected by this update." form names no component.
    names = {n for i in incidents for n in i.affected().values()}
    assert "No components were affected by this update." not in names
    assert names  # the {code, name, ...} form is kept
    first = incidents[0]
    # 2019-02-20T13:40:58.572-06:00 is 19:40:58 UTC.
    assert first.resolved_at == datetime(2019, 2, 20, 19, 40, 58, 572000, tzinfo=UTC)


def test_unknown_values_and_missing_fields_are_tolerated() -> None:
    summary = parse_summary(
        {
            "status": {"indicator": "apocalyptic"},
            "components": [
                {"id": "x", "name": "Claude Code", "status": "on_fire"},
                {"name": "Claude API (api.anthropic.com)"},
                "not an object",
                {},
            ],
            "incidents": [{"name": "Odd", "incident_updates": None, "impact": None}],
        }
    )
    assert summary.indicator == "apocalyptic"
    assert sorted((c.name, c.status) for c in summary.components) == [
        ("Claude API (api.anthropic.com)", "unknown"),
        ("Claude Code", "on_fire"),
    ]
    (odd,) = summary.incidents
    assert odd.impact == "unknown" and odd.updates == () and odd.latest_update is None
    now = datetime.now(UTC)
    a = assess(
        Snapshot("https://x", summary=summary),
        surfaces=[Surface.CLAUDE_CODE],
        window=error_time(now),
        now=now,
    )
    ids = {f.id: f for f in findings_for(a)}
    # An unknown state is not green, but it is not proof of an outage either.
    assert ids["incident.component_degraded"].severity.value == "warn"
    assert ids["incident.unresolved_unscoped"].severity.value == "warn"
