"""The Statuspage client's parsing, on the real samples and on every kind of bad answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claude_doctor.checks.status.assess import assess, error_time
from claude_doctor.checks.status.judge import findings_for
from claude_doctor.checks.status.page import (
    MAX_BYTES,
    PageProblem,
    ProblemKind,
    Snapshot,
    decode,
    parse_incident_list,
    parse_summary,
)
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


def _decode(body: bytes, status: int = 200, ctype: str = "application/json", **kw: bool) -> object:
    return decode(
        "summary",
        "https://x/api/v2/summary.json",
        status,
        ctype,
        body,
        kw.get("cut", False),
        parse_summary,
    )


@pytest.mark.parametrize(
    ("body", "status", "ctype", "kind"),
    [
        (b"<!DOCTYPE html><html><title>Wi-Fi login</title>", 200, "text/html", ProblemKind.HTML),
        (b"<html>blocked by policy</html>", 403, "text/plain", ProblemKind.HTML),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", 200, "application/json", ProblemKind.NOT_JSON),
        (b"this is not json at all", 200, "application/json", ProblemKind.NOT_JSON),
        (b'{"page": {"id": "tymt9n04zgry"}, "components": [{"id": "a", "na', 200, "", "truncated"),
        (b"", 200, "application/json", ProblemKind.NOT_JSON),
        (b'{"error": "Service Unavailable"}', 503, "application/json", ProblemKind.HTTP_STATUS),
        (b"[1, 2, 3]", 200, "application/json", ProblemKind.WRONG_SHAPE),
        (b'{"hello": "world"}', 200, "application/json", ProblemKind.WRONG_SHAPE),
    ],
)
def test_bad_answers_become_problems(body: bytes, status: int, ctype: str, kind: str) -> None:
    got = _decode(body, status, ctype)
    assert isinstance(got, PageProblem)
    assert got.kind == kind
    assert got.detail


def test_a_capped_body_is_too_large() -> None:
    got = _decode(b'{"status": {' + b" " * 100, cut=True)
    assert isinstance(got, PageProblem) and got.kind is ProblemKind.TOO_LARGE
    assert str(MAX_BYTES // 1024) in got.detail
