"""tool_use and tool_result across turns: answered, in order, never orphaned; an id that is
not a string is a finding at its path, never a crash."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.kit.payload import (
    WEATHER_TOOL,
    Body,
    Case,
    Mutation,
    assert_reported_at,
    delete_at,
    problems,
    run,
    valid_request,
)


def _orphan(body: Body) -> None:
    body["messages"][2]["content"][0]["tool_use_id"] = "toolu_gone"


def _text_before_result(body: Body) -> None:
    body["messages"][2]["content"].reverse()


CASES: list[Case] = [
    (
        "tool_use unanswered",
        delete_at(["messages", 2, "content", 0]),
        "payload.tool_use_unanswered",
        "messages[1].content[1]",
    ),
    (
        "orphan tool_result",
        _orphan,
        "payload.orphan_tool_result",
        "messages[2].content[0].tool_use_id",
    ),
    (
        "tool_result without tool_use_id",
        delete_at(["messages", 2, "content", 0, "tool_use_id"]),
        "payload.missing_field",
        "messages[2].content[0].tool_use_id",
    ),
    (
        "tool_result after text",
        _text_before_result,
        "payload.tool_result_order",
        "messages[2].content[1]",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "finding", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_at_its_json_path(
    name: str, mutate: Mutation, finding: str, path: str
) -> None:
    assert_reported_at(mutate, finding, path)


def test_tool_use_round_trip_with_several_tools_is_clean() -> None:
    body = valid_request()
    body["tools"].append({**WEATHER_TOOL, "name": "get_time"})
    body["messages"][1]["content"].append(
        {"type": "tool_use", "id": "toolu_02B", "name": "get_time", "input": {"city": "Paris"}}
    )
    body["messages"][2]["content"].insert(
        1,
        {
            "type": "tool_result",
            "tool_use_id": "toolu_02B",
            "content": [{"type": "text", "text": "noon"}],
        },
    )
    assert problems(run(body)) == {}
    # a final assistant turn may be empty (prefill) without a finding
    body["messages"].append({"role": "assistant", "content": ""})
    assert problems(run(body)) == {}


#: JSON values that are not strings: null, booleans, numbers, and arrays and objects of them.
not_a_string = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _fails_at(body: Body) -> dict[str, set[str]]:
    """JSON path -> ids of the fail findings there."""
    out: dict[str, set[str]] = {}
    for f in run(body).findings:
        if f.severity.is_problem:
            out.setdefault(f.evidence["path"], set()).add(f.id)
    return out


@settings(max_examples=40, deadline=None)
@given(value=not_a_string)
@example(value=["toolu_01A"])
@example(value={"id": "toolu_01A"})
@example(value=7)
@example(value=None)
@example(value=True)
def test_a_tool_use_id_that_is_not_a_string_is_a_finding_at_its_path(value: Any) -> None:
    body = valid_request()
    body["messages"][2]["content"][0]["tool_use_id"] = value
    found = _fails_at(body)
    assert found.get("messages[2].content[0].tool_use_id") == {"payload.wrong_type"}, found
    # the call it fails to answer is still unanswered
    assert "payload.tool_use_unanswered" in found["messages[1].content[1]"]


@settings(max_examples=40, deadline=None)
@given(value=not_a_string)
@example(value=["toolu_01A"])
@example(value={"id": "toolu_01A"})
@example(value=7)
@example(value=None)
@example(value=True)
def test_a_tool_use_id_of_a_call_that_is_not_a_string_is_a_finding_at_its_path(
    value: Any,
) -> None:
    body = valid_request()
    body["messages"][1]["content"][1]["id"] = value
    body["messages"][2]["content"][0]["tool_use_id"] = value
    found = _fails_at(body)
    assert found.get("messages[1].content[1].id") == {"payload.invalid_value"}, found
    assert found.get("messages[2].content[0].tool_use_id") == {"payload.wrong_type"}, found
