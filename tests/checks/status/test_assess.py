"""The page read against the user: surfaces and their components (matched by name or id,
surviving renames), the surface and time vocabularies, and the error's time window."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from claude_doctor.checks.status.assess import (
    SURFACE_COMPONENTS,
    SURFACE_LABELS,
    WHEN_WINDOWS,
    assess,
    error_time,
    matches,
)
from claude_doctor.checks.status.judge import status_page_block
from claude_doctor.checks.status.page import Snapshot
from claude_doctor.checks.status.watch import parse_surfaces
from claude_doctor.model import SURFACE_WORDS, Surface, When


def test_surface_matching_survives_renames() -> None:
    keys = ["console"]
    assert matches("", "platform.claude.com (formerly console.anthropic.com)", keys)
    assert matches("", "Claude Console (platform.claude.com)", keys)
    assert matches("k8w3r06qmzrp", "Renamed API", ["api"])
    assert not matches("", "Claude Console (platform.claude.com)", ["claude_ai"])
    assert not matches("", "Claude Cowork", ["claude_code", "api"])


def test_the_status_tables_key_on_every_surface_a_user_can_name() -> None:
    named = set(SURFACE_WORDS.values())
    assert set(SURFACE_COMPONENTS) == named and set(SURFACE_LABELS) == named
    for word, surface in SURFACE_WORDS.items():
        assert parse_surfaces(word) == (surface,)
    assert parse_surfaces("code, web,api,sdk") == (
        Surface.CLAUDE_CODE,
        Surface.CLAUDE_AI,
        Surface.API_SDK,
    )


@pytest.mark.parametrize("surface", sorted(SURFACE_COMPONENTS))
def test_the_surfaces_in_the_status_json_are_the_surface_words(surface: Surface) -> None:
    now = datetime.now(UTC)
    a = assess(Snapshot("https://x"), surfaces=[surface], window=error_time(now), now=now)
    written = json.loads(json.dumps(status_page_block(a)))["surfaces"]
    assert written == [surface.value] and SURFACE_WORDS[written[0]] is surface


def test_every_when_answer_reaches_back_its_own_span() -> None:
    assert set(WHEN_WINDOWS) == set(When)
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    starts = [error_time(now, when=w).start for w in (When.NOW, When.HOUR, When.TODAY)]
    assert starts == sorted(starts, reverse=True)
    assert {error_time(now, when=w).label for w in When} == {w[1] for w in WHEN_WINDOWS.values()}


def test_error_time_windows() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    at = error_time(now, at=now - timedelta(hours=2), source="signal")
    assert (at.start, at.end) == (
        now - timedelta(hours=2, minutes=15),
        now - timedelta(hours=1, minutes=45),
    )
    hour = error_time(now, when=When.HOUR)
    assert (hour.start, hour.end) == (now - timedelta(hours=1, minutes=15), now)
    assert error_time(now).start == now - timedelta(minutes=15)
    assert json.dumps(at.to_dict())
