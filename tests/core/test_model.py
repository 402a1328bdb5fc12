"""The plain data: every surface keeps its word through the report JSON and has the words
a user may type for it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from claude_doctor.model import (
    SURFACE_WORDS,
    Branch,
    Category,
    ErrorSignal,
    Surface,
    Verdict,
)
from claude_doctor.redact import Redactor
from claude_doctor.report import Report, build_report, report_from_dict, report_schema


def through_json(signal: ErrorSignal | None = None) -> Report:
    """A report with ``signal``, written as JSON and read back."""
    report = build_report(
        findings=[],
        verdict=Verdict(Branch.NONE, "nothing", "nothing"),
        redactor=Redactor(),
        signal=signal,
    )
    data = json.loads(report.to_json())
    jsonschema.validate(data, report_schema())
    return report_from_dict(data)


@pytest.mark.parametrize("surface", list(Surface))
def test_every_surface_round_trips_as_the_signals_surface(surface: Surface) -> None:
    signal = ErrorSignal(Category.OTHER, Branch.NONE, "x", surface=surface)
    report = through_json(signal=signal)
    assert report.signal is not None and report.signal.surface is surface


def test_the_schema_knows_every_surface() -> None:
    schema = report_schema()["properties"]["signal"]["oneOf"]
    (signal,) = [part for part in schema if part.get("type") == "object"]
    assert set(signal["properties"]["surface"]["enum"]) == {s.value for s in Surface}


def test_the_surface_words_cover_every_surface() -> None:
    assert set(SURFACE_WORDS.values()) == set(Surface) - {Surface.UNKNOWN}
    for surface in Surface:
        if surface is not Surface.UNKNOWN:
            assert SURFACE_WORDS[surface.value] is surface
    assert Surface.UNKNOWN.value not in SURFACE_WORDS
