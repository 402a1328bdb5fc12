"""Tool calls and their results across turns: every ``tool_use`` of an assistant message is
answered by a ``tool_result`` in the user message right after it, results come first in
that message, and no result answers a call that is not there. An id that is not a string
(a tool_use's is checked with its block) pairs with nothing."""

from __future__ import annotations

from typing import Any

from claude_doctor.checks.payload.findings import join_path
from claude_doctor.checks.payload.validate.state import State
from claude_doctor.model import Severity


def _blocks(msg: Any) -> list[tuple[int, dict[str, Any]]]:
    content = msg.get("content") if isinstance(msg, dict) else None
    if not isinstance(content, list):
        return []
    return [(j, b) for j, b in enumerate(content) if isinstance(b, dict)]


def check_tool_pairs(s: State, messages: list[Any]) -> None:
    previous_ids: dict[str, int] = {}
    for i, msg in enumerate(messages):
        if not isinstance(msg, dict):
            previous_ids = {}
            continue
        role = msg.get("role")
        path = join_path("messages", i)
        if role == "user":
            _results(s, path, msg, previous_ids)
            previous_ids = {}
        elif role == "assistant":
            nxt = messages[i + 1] if i + 1 < len(messages) else None
            previous_ids = _calls(s, path, msg, nxt)
        else:
            previous_ids = {}


def _results(s: State, path: str, msg: dict[str, Any], previous_ids: dict[str, int]) -> None:
    """The tool_result blocks of a user message, against the calls just before it."""
    seen_other = False
    for j, b in _blocks(msg):
        bpath = join_path(join_path(path, "content"), j)
        if b.get("type") != "tool_result":
            seen_other = True
            continue
        if seen_other:
            s.add(
                "tool_result_order",
                Severity.FAIL,
                bpath,
                "tool_result blocks must come first in the user message",
                detail="Put every tool_result before any text in that message.",
            )
            seen_other = False
        tid = b.get("tool_use_id")
        if "tool_use_id" not in b:
            s.missing(bpath, "tool_use_id", "A tool_result block")
        elif not isinstance(tid, str):
            s.wrong_type(join_path(bpath, "tool_use_id"), tid, "a string")
        elif tid not in previous_ids:
            s.add(
                "orphan_tool_result",
                Severity.FAIL,
                join_path(bpath, "tool_use_id"),
                f"tool_result for {tid!r} answers no tool_use in the previous assistant message",
                detail=(
                    "Each tool_result must answer a tool_use id from the assistant "
                    "message right before it. Usually a turn was dropped or "
                    "trimmed from the history."
                ),
                steps=("Keep the assistant tool_use turn, or drop this tool_result",),
                tool_use_id=tid,
            )


def _calls(s: State, path: str, msg: dict[str, Any], nxt: Any) -> dict[str, int]:
    """The tool_use ids of an assistant message (block index by id), each checked for an
    answer in the next message."""
    ids: dict[str, int] = {}
    for j, b in _blocks(msg):
        if b.get("type") == "tool_use" and isinstance(b.get("id"), str):
            if b["id"] in ids:
                s.add(
                    "tool_use_id_duplicate",
                    Severity.FAIL,
                    join_path(join_path(join_path(path, "content"), j), "id"),
                    f"tool_use id {b['id']!r} is used twice in this message",
                )
            ids[b["id"]] = j
    answered: set[str] = set()
    if isinstance(nxt, dict) and nxt.get("role") == "user":
        answered = {
            b["tool_use_id"]
            for _, b in _blocks(nxt)
            if b.get("type") == "tool_result" and isinstance(b.get("tool_use_id"), str)
        }
    for tid, j in ids.items():
        if tid in answered:
            continue
        s.add(
            "tool_use_unanswered",
            Severity.FAIL,
            join_path(join_path(path, "content"), j),
            f"tool_use {tid!r} has no tool_result in the next user message",
            detail=(
                "Every tool_use must be answered by a tool_result with its id in the "
                "user message that immediately follows."
                + (" This is the last message." if nxt is None else "")
            ),
            steps=("Add the tool_result to the next user message",),
            tool_use_id=tid,
        )
    return ids
