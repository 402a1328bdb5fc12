"""The conversation: roles, empty content, block types and where they may stand."""

from __future__ import annotations

import pytest

from tests.kit.payload import Case, Mutation, add_user_block, assert_reported_at, set_at

CASES: list[Case] = [
    (
        "system role",
        set_at(["messages", 1, "role"], "system"),
        "payload.system_role",
        "messages[1].role",
    ),
    (
        "tool role",
        set_at(["messages", 2, "role"], "tool"),
        "payload.invalid_role",
        "messages[2].role",
    ),
    (
        "first from assistant",
        set_at(["messages", 0, "role"], "assistant"),
        "payload.first_not_user",
        "messages[0].role",
    ),
    (
        "empty content",
        set_at(["messages", 1, "content"], []),
        "payload.empty_content",
        "messages[1].content",
    ),
    (
        "blank text",
        set_at(["messages", 0, "content", 0, "text"], "  \n"),
        "payload.empty_content",
        "messages[0].content[0].text",
    ),
    (
        "unknown block type",
        set_at(["messages", 0, "content", 0, "type"], "txt"),
        "payload.unknown_block_type",
        "messages[0].content[0].type",
    ),
    (
        "tool_use in user turn",
        add_user_block({"type": "tool_use", "id": "toolu_x", "name": "get_weather", "input": {}}),
        "payload.block_role_mismatch",
        "messages[0].content[6].type",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "finding", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_at_its_json_path(
    name: str, mutate: Mutation, finding: str, path: str
) -> None:
    assert_reported_at(mutate, finding, path)
