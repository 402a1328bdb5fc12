"""The plain data: the answers' enums keep their words through the report JSON, the answers
are frozen, and every surface has the words a user may type for it."""

from __future__ import annotations

import dataclasses
import enum
import json

import jsonschema
import pytest

from claude_doctor.model import (
    SURFACE_WORDS,
    Account,
    Activity,
    AlsoFound,
    Answers,
    Branch,
    Category,
    Confidence,
    ErrorSignal,
    Question,
    Ruling,
    Surface,
    Verdict,
    When,
)
from claude_doctor.redact import Redactor
from claude_doctor.report import Report, build_report, report_from_dict, report_schema

#: Each answer field and the enum of its values.
ANSWER_ENUMS: dict[str, type[enum.StrEnum]] = {
    "surface": Surface,
    "when": When,
    "activity": Activity,
    "account": Account,
}


def through_json(answers: Answers | None = None, signal: ErrorSignal | None = None) -> Report:
    """A report with ``answers`` and ``signal``, written as JSON and read back."""
    report = build_report(
        findings=[],
        verdict=Verdict(Branch.NONE, "nothing", "nothing"),
        redactor=Redactor(),
        signal=signal,
        answers=answers,
    )
    data = json.loads(report.to_json())
    jsonschema.validate(data, report_schema())
    return report_from_dict(data)


@pytest.mark.parametrize(
    ("field", "member"),
    [(name, member) for name, kind in ANSWER_ENUMS.items() for member in kind],
)
def test_every_answer_value_round_trips_through_the_report_json(
    field: str, member: enum.StrEnum
) -> None:
    report = through_json(Answers(**{field: member}))
    assert report.answers is not None
    written = report.answers[field]
    assert type(written) is str and written == member.value
    assert ANSWER_ENUMS[field](written) is member


@pytest.mark.parametrize("surface", list(Surface))
def test_every_surface_round_trips_as_the_signals_surface(surface: Surface) -> None:
    signal = ErrorSignal(Category.OTHER, Branch.NONE, "x", surface=surface)
    report = through_json(signal=signal)
    assert report.signal is not None and report.signal.surface is surface


def test_the_schema_knows_every_surface() -> None:
    schema = report_schema()["properties"]["signal"]["oneOf"]
    (signal,) = [part for part in schema if part.get("type") == "object"]
    assert set(signal["properties"]["surface"]["enum"]) == {s.value for s in Surface}


def test_answers_are_frozen() -> None:
    answers = Answers(when=When.NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answers.when = When.HOUR  # type: ignore[misc]
    later = dataclasses.replace(answers, account=Account.UNSURE)
    assert answers.account is None and later.when is When.NOW


def test_each_question_names_the_answer_it_fills_in_the_order_asked() -> None:
    assert [q.value for q in Question] == [f.name for f in dataclasses.fields(Answers)]


def test_the_surface_words_cover_every_surface() -> None:
    assert set(SURFACE_WORDS.values()) == set(Surface) - {Surface.UNKNOWN}
    for surface in Surface:
        if surface is not Surface.UNKNOWN:
            assert SURFACE_WORDS[surface.value] is surface
    assert Surface.UNKNOWN.value not in SURFACE_WORDS


def test_the_verdicts_reasoning_round_trips_through_the_report_json() -> None:
    verdict = Verdict(
        Branch.PAYLOAD,
        "The request itself is rejected.",
        "Fix it.",
        because=("payload.unknown_param",),
        confidence=Confidence.HIGH,
        ruled_out=(Ruling(Branch.NETWORK, "signal", "the error reached Anthropic"),),
        open=(Ruling(Branch.INCIDENT, "incident.status_page_unreachable", "open the status URL"),),
        also_found=(AlsoFound("network.dns.failed", Branch.NETWORK, "DNS fails"),),
    )
    report = build_report(findings=[], verdict=verdict, redactor=Redactor())
    data = json.loads(report.to_json())
    jsonschema.validate(data, report_schema())
    assert data["verdict"]["confidence"] == "high"
    assert data["verdict"]["ruled_out"] == [
        {"branch": "network", "by": "signal", "reason": "the error reached Anthropic"}
    ]
    assert data["verdict"]["also_found"] == [
        {"id": "network.dns.failed", "branch": "network", "title": "DNS fails"}
    ]
    assert report_from_dict(data).verdict == verdict


def test_an_old_verdict_without_the_reasoning_reads_back_with_defaults() -> None:
    data = json.loads(through_json().to_json())
    for key in ("confidence", "ruled_out", "open", "also_found"):
        del data["verdict"][key]
    verdict = report_from_dict(data).verdict
    assert verdict.confidence is Confidence.MEDIUM
    assert verdict.ruled_out == verdict.open == verdict.also_found == ()
