"""Tools: names, input schemas, tool_choice."""

from __future__ import annotations

from typing import Any

import pytest

from tests.kit.payload import Body, Case, Mutation, assert_reported_at, delete_at, set_at


def _second_tool(name: str, schema: Any = None) -> Mutation:
    def mutate(body: Body) -> None:
        tool = {"name": name, "input_schema": schema or {"type": "object", "properties": {}}}
        body["tools"].append(tool)

    return mutate


CASES: list[Case] = [
    (
        "tool name pattern",
        set_at(["tools", 0, "name"], "get weather"),
        "payload.tool_name_invalid",
        "tools[0].name",
    ),
    (
        "tool name duplicate",
        _second_tool("get_weather"),
        "payload.tool_name_duplicate",
        "tools[1].name",
    ),
    (
        "tool schema invalid",
        set_at(["tools", 0, "input_schema", "properties", "city", "type"], "str"),
        "payload.tool_schema_invalid",
        "tools[0].input_schema.properties.city.type",
    ),
    (
        "tool schema required as bool",
        set_at(["tools", 0, "input_schema", "required"], True),
        "payload.tool_schema_invalid",
        "tools[0].input_schema.required",
    ),
    (
        "tool schema not object",
        set_at(["tools", 0, "input_schema"], {"type": "string"}),
        "payload.tool_schema_not_object",
        "tools[0].input_schema.type",
    ),
    (
        "tool schema missing",
        delete_at(["tools", 0, "input_schema"]),
        "payload.missing_field",
        "tools[0].input_schema",
    ),
    (
        "tool_choice unknown tool",
        set_at(["tool_choice"], {"type": "tool", "name": "get_time"}),
        "payload.tool_choice_unknown_tool",
        "tool_choice.name",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "finding", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_at_its_json_path(
    name: str, mutate: Mutation, finding: str, path: str
) -> None:
    assert_reported_at(mutate, finding, path)
