"""The conversation: each message's role and content, and each content block's type, its
place (user or assistant turn) and its own fields. Images and documents are judged by
:mod:`.media`, the pairing of tool calls and results across turns by :mod:`.pairs`."""

from __future__ import annotations

import re
from typing import Any

from claude_doctor.checks.payload.findings import did_you_mean, join_path
from claude_doctor.checks.payload.jsontext import json_size
from claude_doctor.checks.payload.validate.media import check_document, check_image
from claude_doctor.checks.payload.validate.pairs import check_tool_pairs
from claude_doctor.checks.payload.validate.state import State
from claude_doctor.model import Severity

USER_BLOCKS = frozenset(
    {"text", "image", "document", "tool_result", "search_result", "container_upload"}
)
ASSISTANT_BLOCKS = frozenset(
    {
        "text",
        "tool_use",
        "thinking",
        "redacted_thinking",
        "server_tool_use",
        "web_search_tool_result",
        "web_fetch_tool_result",
        "code_execution_tool_result",
        "bash_code_execution_tool_result",
        "text_editor_code_execution_tool_result",
        "tool_search_tool_result",
        "mcp_tool_use",
        "mcp_tool_result",
        "compaction",
    }
)
KNOWN_BLOCKS = USER_BLOCKS | ASSISTANT_BLOCKS
#: Blocks a tool_result's content may hold.
TOOL_RESULT_BLOCKS = ("text", "image", "document", "search_result")

_TOOL_USE_ID = re.compile(r"[a-zA-Z0-9_-]+\Z")


def check_messages(s: State, messages: list[Any]) -> None:
    last = len(messages) - 1
    for i, msg in enumerate(messages):
        path = join_path("messages", i)
        if not isinstance(msg, dict):
            s.wrong_type(path, msg, "a message object")
            continue
        role = msg.get("role")
        _role(s, path, role, i)
        content = msg.get("content")
        if "content" not in msg:
            s.missing(path, "content", "A message")
            continue
        final_assistant = i == last and role == "assistant"
        _content(s, join_path(path, "content"), content, role, final_assistant)
    check_tool_pairs(s, messages)


def _role(s: State, path: str, role: Any, i: int) -> None:
    if role == "system":
        s.add(
            "system_role",
            Severity.FAIL,
            join_path(path, "role"),
            "'system' is not a message role; use the top-level system parameter",
            detail=(
                "The Messages API takes the system prompt as the top-level `system` "
                "field; messages alternate between user and assistant."
            ),
            steps=("Move this message's content to the top-level system field",),
        )
    elif role not in ("user", "assistant"):
        hint = (
            " (tool results go in a user message as tool_result blocks)"
            if role in ("tool", "function")
            else ""
        )
        s.add(
            "invalid_role",
            Severity.FAIL,
            join_path(path, "role"),
            f"role {role!r} is not 'user' or 'assistant'{hint}",
        )
    if i == 0 and role == "assistant":
        s.add(
            "first_not_user",
            Severity.FAIL,
            join_path(path, "role"),
            "the first message must come from the user",
            detail="Start the conversation with a user message.",
        )


def _content(s: State, path: str, content: Any, role: Any, final_assistant: bool) -> None:
    if isinstance(content, str):
        if not content.strip() and not final_assistant:
            _empty(s, path, content)
        s.count_text(content)
        return
    if not isinstance(content, list):
        s.wrong_type(path, content, "a string or an array of content blocks")
        return
    if not content and not final_assistant:
        _empty(s, path, content)
    for j, block in enumerate(content):
        _block(s, join_path(path, j), block, role, final_assistant)


def _empty(s: State, path: str, value: Any) -> None:
    what = "empty" if not value else "only whitespace"
    s.add(
        "empty_content",
        Severity.FAIL,
        path,
        f"content is {what}",
        detail=(
            "Every message needs non-empty content (only a final assistant message may be "
            "empty), and text blocks need non-whitespace text."
        ),
        steps=("Remove this message or give it content",),
    )


def _block(s: State, path: str, block: Any, role: Any, final_assistant: bool) -> None:
    if not isinstance(block, dict):
        s.wrong_type(path, block, "a content block object")
        return
    kind = block.get("type")
    if not isinstance(kind, str):
        s.missing(path, "type", "A content block")
        return
    if kind not in KNOWN_BLOCKS:
        _unknown_block(s, path, kind)
        return
    _block_role(s, path, kind, role)
    if kind == "text":
        text = block.get("text")
        if not isinstance(text, str):
            s.missing(path, "text", "A text block")
        else:
            if not text.strip() and not final_assistant:
                _empty(s, join_path(path, "text"), text)
            s.count_text(text)
    elif kind == "image":
        check_image(s, path, block)
    elif kind == "document":
        check_document(s, path, block)
    elif kind == "tool_use":
        _tool_use(s, path, block)
    elif kind == "tool_result":
        _tool_result(s, path, block.get("content"))
    elif kind in ("thinking", "redacted_thinking"):
        s.text_bytes += json_size(block)


def _unknown_block(s: State, path: str, kind: str) -> None:
    guess = did_you_mean(kind, KNOWN_BLOCKS)
    s.add(
        "unknown_block_type",
        Severity.FAIL if guess else Severity.WARN,
        join_path(path, "type"),
        f"unknown content block type {kind!r}" + (f" (did you mean {guess!r}?)" if guess else ""),
        detail=(
            "Known types: text, image, document, tool_use, tool_result, thinking, ..."
            if guess
            else "Not a block type claude-doctor knows; the API may reject it."
        ),
        block_type=kind,
    )


def _block_role(s: State, path: str, kind: str, role: Any) -> None:
    if role == "user" and kind not in USER_BLOCKS:
        s.add(
            "block_role_mismatch",
            Severity.FAIL,
            join_path(path, "type"),
            f"a {kind} block cannot be in a user message",
            detail=f"{kind} blocks come from the assistant; send them in assistant turns.",
        )
    elif role == "assistant" and kind not in ASSISTANT_BLOCKS:
        s.add(
            "block_role_mismatch",
            Severity.FAIL,
            join_path(path, "type"),
            f"a {kind} block cannot be in an assistant message",
            detail=(
                "tool_result, image and document blocks go in user messages."
                if kind in USER_BLOCKS
                else ""
            ),
        )


def _tool_use(s: State, path: str, block: dict[str, Any]) -> None:
    if not isinstance(block.get("id"), str) or not _TOOL_USE_ID.match(block["id"]):
        s.add(
            "invalid_value",
            Severity.FAIL,
            join_path(path, "id"),
            "tool_use id must be a string of letters, digits, '_' and '-'",
        )
    if not isinstance(block.get("input"), dict):
        s.wrong_type(join_path(path, "input"), block.get("input"), "an object")
    s.text_bytes += json_size(block.get("input"))


def _tool_result(s: State, path: str, inner: Any) -> None:
    if isinstance(inner, str):
        s.count_text(inner)
    elif isinstance(inner, list):
        for k, sub in enumerate(inner):
            sub_path = join_path(join_path(path, "content"), k)
            if isinstance(sub, dict) and sub.get("type") in TOOL_RESULT_BLOCKS:
                _block(s, sub_path, sub, "user", False)
            else:
                s.add(
                    "invalid_block",
                    Severity.FAIL,
                    sub_path,
                    "tool_result content may hold text, image, document and "
                    "search_result blocks only",
                )
    elif inner is not None:
        s.wrong_type(join_path(path, "content"), inner, "a string or an array")
