"""tool_use and tool_result across turns: answered, in order, never orphaned."""

from __future__ import annotations

import pytest

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
