"""The request's tools: unique, well-formed names, a valid JSON Schema object as each
client tool's ``input_schema``, and a ``tool_choice`` that names a tool the request has."""

from __future__ import annotations

import importlib
import re
from typing import Any

from claude_doctor.checks.payload.findings import join_path, type_name
from claude_doctor.checks.payload.jsontext import json_size
from claude_doctor.checks.payload.validate.state import State
from claude_doctor.model import Severity

TOOL_CHOICE_TYPES = ("auto", "any", "tool", "none")


def check_tools(s: State, tools: Any) -> None:
    if not isinstance(tools, list):
        return
    s.tool_bytes += json_size(tools)
    seen: dict[str, int] = {}
    for i, tool in enumerate(tools):
        path = join_path("tools", i)
        if not isinstance(tool, dict):
            s.wrong_type(path, tool, "a tool object")
            continue
        server_tool = isinstance(tool.get("type"), str) and tool["type"] != "custom"
        _tool_name(s, path, tool.get("name"), i, seen, server_tool)
        if server_tool:
            continue
        if "input_schema" not in tool:
            s.missing(path, "input_schema", "A client tool")
            continue
        _tool_schema(s, join_path(path, "input_schema"), tool["input_schema"])


def _tool_name(
    s: State, path: str, name: Any, i: int, seen: dict[str, int], server_tool: bool
) -> None:
    if not isinstance(name, str):
        s.missing(path, "name", "A tool")
        return
    s.tool_names.add(name)
    if name in seen:
        s.add(
            "tool_name_duplicate",
            Severity.FAIL,
            join_path(path, "name"),
            f"tool name {name!r} is also used by tools[{seen[name]}]",
            detail="Tool names must be unique within a request.",
            name=name,
            first=f"tools[{seen[name]}]",
        )
    else:
        seen[name] = i
    if not server_tool and not re.match(s.limits.tool_name_pattern, name):
        s.add(
            "tool_name_invalid",
            Severity.FAIL,
            join_path(path, "name"),
            f"tool name {name!r} does not match {s.limits.tool_name_pattern}",
            detail=(
                "Tool names may use letters, digits, '_' and '-' only, 1 to 64 "
                "characters: no spaces, dots or slashes."
            ),
            name=name,
        )


def _tool_schema(s: State, path: str, schema: Any) -> None:
    if not isinstance(schema, dict):
        s.add(
            "tool_schema_invalid",
            Severity.FAIL,
            path,
            f"input_schema must be a JSON Schema object, not {type_name(schema)}",
        )
        return
    # Imported lazily (only requests with tools pay for it) and as a module object:
    # jsonschema ships no type stubs.
    validators: Any = importlib.import_module("jsonschema.validators")
    schema_error: type[Exception] = importlib.import_module("jsonschema.exceptions").SchemaError
    try:
        validators.validator_for(schema).check_schema(schema)
    except schema_error as exc:
        err: Any = exc
        where = path
        for part in err.absolute_path:
            where = join_path(where, part)
        s.add(
            "tool_schema_invalid",
            Severity.FAIL,
            where,
            f"input_schema is not a valid JSON Schema: {err.message}",
            detail=(
                "The API answers 400 for a tool whose input_schema fails the JSON Schema "
                "meta-schema. Common causes: a type name like 'str' or 'int' (use "
                "'string', 'integer'), 'required' given as true on a property instead of "
                "a list on the object."
            ),
            steps=(f"Fix {where}",),
            schema_path="/".join(str(p) for p in err.absolute_schema_path),
        )
        return
    except RecursionError:
        s.add(
            "tool_schema_invalid", Severity.FAIL, path, "input_schema is nested too deeply to check"
        )
        return
    if schema.get("type") != "object":
        s.add(
            "tool_schema_not_object",
            Severity.FAIL,
            join_path(path, "type"),
            f"input_schema type must be 'object', not {schema.get('type')!r}",
            detail="A tool's input is always a JSON object; wrap other types in a property.",
            steps=('Set "type": "object" and put the fields under "properties"',),
        )


def check_tool_choice(s: State, choice: Any) -> None:
    if not isinstance(choice, dict):
        return
    kind = choice.get("type")
    if kind not in TOOL_CHOICE_TYPES:
        s.add(
            "invalid_value",
            Severity.FAIL,
            "tool_choice.type",
            f"tool_choice type {kind!r} is not one of {', '.join(TOOL_CHOICE_TYPES)}",
        )
    elif kind == "tool" and choice.get("name") not in s.tool_names:
        s.add(
            "tool_choice_unknown_tool",
            Severity.FAIL,
            "tool_choice.name",
            f"tool_choice names {choice.get('name')!r}, which is not in tools",
            name=choice.get("name"),
        )
