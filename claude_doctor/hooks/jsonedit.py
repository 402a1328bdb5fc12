"""Edits to a JSON document as text: a member or an array element added or taken away
while every other byte (key order, indentation, the formatting of other entries) stays as
it was. The document is first parsed for its structure, each value with where it starts
and ends in the text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonEditError(ValueError):
    """The text is not a JSON document this editor can change; the message says where."""


@dataclass
class Node:
    """One value of the document: its kind, its span in the text and its parts."""

    kind: str  # object | array | scalar
    start: int
    end: int
    value: Any = None
    #: An object's members in order: (key, where the key starts, the value).
    members: list[tuple[str, int, Node]] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)

    def member(self, key: str) -> Node | None:
        for name, _at, node in self.members:
            if name == key:
                return node
        return None


def _skip(text: str, at: int) -> int:
    match = _WS.match(text, at)
    return match.end() if match else at


def _value(text: str, at: int, depth: int) -> Node:
    if depth > 64:
        raise JsonEditError("the JSON is nested too deeply")
    at = _skip(text, at)
    if at >= len(text):
        raise JsonEditError("the JSON ends early")
    char = text[at]
    if char == "{":
        return _object(text, at, depth)
    if char == "[":
        return _array(text, at, depth)
    try:
        value, end = _DECODER.raw_decode(text, at)
    except json.JSONDecodeError as exc:
        raise JsonEditError(f"{exc.msg} at character {exc.pos}") from None
    return Node("scalar", at, end, value)


def _object(text: str, at: int, depth: int) -> Node:
    node = Node("object", at, at)
    at = _skip(text, at + 1)
    if text[at : at + 1] == "}":
        node.end = at + 1
        return node
    while True:
        key_node = _value(text, at, depth + 1)
        if not isinstance(key_node.value, str) or key_node.kind != "scalar":
            raise JsonEditError(f"an object key is not a string at character {key_node.start}")
        at = _skip(text, key_node.end)
        if text[at : at + 1] != ":":
            raise JsonEditError(f"expected ':' at character {at}")
        child = _value(text, at + 1, depth + 1)
        node.members.append((key_node.value, key_node.start, child))
        at = _skip(text, child.end)
        if text[at : at + 1] == "}":
            node.end = at + 1
            return node
        if text[at : at + 1] != ",":
            raise JsonEditError(f"expected ',' or '}}' at character {at}")
        at = _skip(text, at + 1)


def _array(text: str, at: int, depth: int) -> Node:
    node = Node("array", at, at)
    at = _skip(text, at + 1)
    if text[at : at + 1] == "]":
        node.end = at + 1
        return node
    while True:
        child = _value(text, at, depth + 1)
        node.items.append(child)
        at = _skip(text, child.end)
        if text[at : at + 1] == "]":
            node.end = at + 1
            return node
        if text[at : at + 1] != ",":
            raise JsonEditError(f"expected ',' or ']' at character {at}")
        at = _skip(text, at + 1)


def parse(text: str) -> Node:
    """The document's structure; :class:`JsonEditError` names what is wrong (with the line
    and column ``json`` reports) when it is not JSON."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonEditError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise JsonEditError("the JSON is nested too deeply") from None
    return _value(text, 0, 0)


def indent_unit(text: str) -> str:
    """The indentation step the document uses (two spaces when it shows none)."""
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else "  "


def line_indent(text: str, at: int) -> str:
    """The whitespace before the first character of the line holding ``at``."""
    start = text.rfind("\n", 0, at) + 1
    match = _WS.match(text, start)
    head = text[start : match.end() if match else start]
    return head.replace("\n", "").replace("\r", "")


def dumps_at(value: Any, indent: str, unit: str) -> str:
    """``value`` as JSON, indented by ``unit``, every line after the first starting at
    ``indent``."""
    rendered = json.dumps(value, indent=unit, ensure_ascii=False)
    return rendered.replace("\n", "\n" + indent)


def _container_indent(text: str, node: Node) -> tuple[str, str]:
    """The indent of a container's line and of its children's."""
    unit = indent_unit(text)
    outer = line_indent(text, node.start)
    children = [n.start for n in node.items] or [at for _k, at, _n in node.members]
    inner = line_indent(text, children[0]) if children else outer + unit
    if children and "\n" not in text[node.start : children[0]]:
        inner = outer + unit
    return outer, inner


def add_member(text: str, obj: Node, key: str, value: Any) -> str:
    """``text`` with ``"key": value`` as the object's last member."""
    unit = indent_unit(text)
    outer, inner = _container_indent(text, obj)
    piece = f"{json.dumps(key)}: {dumps_at(value, inner, unit)}"
    if obj.members:
        last = obj.members[-1][2].end
        return f"{text[:last]},\n{inner}{piece}{text[last:]}"
    return f"{text[: obj.start + 1]}\n{inner}{piece}\n{outer}{text[obj.end - 1 :]}"


def add_item(text: str, array: Node, value: Any) -> str:
    """``text`` with ``value`` as the array's last element."""
    unit = indent_unit(text)
    outer, inner = _container_indent(text, array)
    piece = dumps_at(value, inner, unit)
    if array.items:
        last = array.items[-1].end
        return f"{text[:last]},\n{inner}{piece}{text[last:]}"
    return f"{text[: array.start + 1]}\n{inner}{piece}\n{outer}{text[array.end - 1 :]}"


def _remove_span(text: str, container: Node, starts: list[int], ends: list[int], i: int) -> str:
    if len(starts) == 1:
        return text[: container.start + 1] + text[container.end - 1 :]
    if i > 0:
        return text[: ends[i - 1]] + text[ends[i] :]
    return text[: starts[0]] + text[starts[1] :]


def remove_member(text: str, obj: Node, key: str) -> str:
    """``text`` without the object's member ``key`` (and the comma that joined it)."""
    keys = [k for k, _at, _n in obj.members]
    i = keys.index(key)
    starts = [at for _k, at, _n in obj.members]
    ends = [n.end for _k, _at, n in obj.members]
    return _remove_span(text, obj, starts, ends, i)


def remove_item(text: str, array: Node, index: int) -> str:
    """``text`` without the array's element ``index`` (and the comma that joined it)."""
    starts = [n.start for n in array.items]
    ends = [n.end for n in array.items]
    return _remove_span(text, array, starts, ends, index)
