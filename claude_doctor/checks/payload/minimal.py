"""Cut a failing request down to a minimal reproduction for a support ticket.

Kept: ``model``, ``max_tokens``, the last user turn, every message and top-level field a
problem finding points at (with the turns a tool_use/tool_result pairing needs), and the
tools that are offending or named by a kept block. Dropped: other images and documents.
Text is trimmed and every string goes through the redactor, except the ``data`` of an
offending image or document, which is the failure itself and is kept byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claude_doctor.checks.payload.body import Body
from claude_doctor.checks.payload.findings import join_path
from claude_doctor.checks.payload.validate import Result, validate
from claude_doctor.model import Finding
from claude_doctor.redact import Redactor, is_secret_name, mask

#: Text longer than this is cut to its first KEEP_CHARS characters.
TRIM_CHARS = 200
KEEP_CHARS = 80
#: Findings about the request as a whole: trimming cannot keep their shape.
WHOLE_REQUEST = frozenset(
    {
        "payload.request_too_large",
        "payload.context_window_exceeded",
        "payload.context_window_tight",
        "payload.too_many_images",
        "payload.too_many_pdf_pages",
        "payload.request_size_platform",
    }
)
PLACEHOLDER = "(earlier turns removed by claude-doctor)"
_MESSAGE = re.compile(r"messages\[(\d+)\]")
_TOOL = re.compile(r"tools\[(\d+)\]")
_TOP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class Minimal:
    """The reduced request and what was done to it."""

    request: dict[str, Any]
    kept_messages: list[int]
    total_messages: int
    dropped_blocks: int = 0
    trimmed_strings: int = 0
    notes: list[str] = field(default_factory=list)


def _covers(block_path: str, offending: set[str]) -> bool:
    """Whether a finding points at ``block_path`` or inside it."""
    return any(
        p == block_path or p.startswith((block_path + ".", block_path + "[")) for p in offending
    )


class _Shrinker:
    def __init__(self, offending: set[str], redactor: Redactor) -> None:
        self.offending = offending
        self.redactor = redactor
        self.dropped = 0
        self.trimmed = 0

    def scrub(self, value: Any, path: str, key: str | None = None, depth: int = 0) -> Any:
        """Trim and redact every string below ``value`` (keeping offending binary data)."""
        if depth > 64:
            return "(deeply nested data removed by claude-doctor)"
        if isinstance(value, str):
            if key == "data" and path in self.offending:
                return value
            if key is not None and is_secret_name(key) and value:
                return mask(value)
            if key in ("data", "signature") and len(value) > TRIM_CHARS:
                self.trimmed += 1
                return f"(removed by claude-doctor: {len(value)} characters)"
            # Redact before trimming: a cut must not leave half a secret unrecognised.
            clean = self.redactor.text(value)
            if len(clean) > TRIM_CHARS:
                self.trimmed += 1
                cut = len(clean) - KEEP_CHARS
                return f"{clean[:KEEP_CHARS]}… [{cut} characters removed by claude-doctor]"
            return clean
        if isinstance(value, dict):
            return {k: self.scrub(v, join_path(path, k), k, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v, join_path(path, i), key, depth + 1) for i, v in enumerate(value)]
        return value

    def blocks(self, blocks: list[Any], path: str) -> list[Any]:
        kept: list[Any] = []
        for j, block in enumerate(blocks):
            bpath = join_path(path, j)
            offending = _covers(bpath, self.offending)
            kind = block.get("type") if isinstance(block, dict) else None
            if kind in ("image", "document") and not offending:
                self.dropped += 1
                continue
            if kind == "tool_result" and isinstance(block.get("content"), list):
                inner_path = join_path(bpath, "content")
                inner = self.blocks(block["content"], inner_path)
                rest = {k: v for k, v in block.items() if k != "content"}
                copy = self.scrub(rest, bpath)
                copy["content"] = inner or "(content removed by claude-doctor)"
                kept.append(copy)
                continue
            kept.append(self.scrub(block, bpath))
        return kept

    def message(self, message: Any, path: str) -> Any:
        if not isinstance(message, dict):
            return self.scrub(message, path)
        content = message.get("content")
        copy = self.scrub({k: v for k, v in message.items() if k != "content"}, path)
        cpath = join_path(path, "content")
        if isinstance(content, list):
            kept = self.blocks(content, cpath)
            if content and not kept:
                kept = [{"type": "text", "text": "(attachments removed by claude-doctor)"}]
            copy["content"] = kept
        elif "content" in message:
            copy["content"] = self.scrub(content, cpath, "content")
        return copy


def _indices(pattern: re.Pattern[str], paths: set[str]) -> set[int]:
    return {int(m.group(1)) for p in paths if (m := pattern.match(p))}


def _block_types(message: Any) -> set[str]:
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, list):
        return set()
    return {str(b.get("type")) for b in content if isinstance(b, dict)}


def _tool_use_names(messages: list[Any]) -> set[str]:
    names: set[str] = set()
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            names.update(
                b["name"]
                for b in content
                if isinstance(b, dict)
                and b.get("type") == "tool_use"
                and isinstance(b.get("name"), str)
            )
    return names


def minimal_request(body: Body, findings: list[Finding], redactor: Redactor) -> Minimal:
    """The smallest request that keeps the failing shape of ``body``."""
    data = body.data
    problems = [f for f in findings if f.severity.is_problem]
    offending: set[str] = set()
    for f in problems:
        for key in ("path", "data_path"):
            value = f.evidence.get(key)
            if isinstance(value, str):
                offending.add(value)
    messages = data.get("messages") if isinstance(data.get("messages"), list) else []
    assert isinstance(messages, list)
    keep = {i for i in _indices(_MESSAGE, offending) if i < len(messages)}
    users = [i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "user"]
    if users:
        keep.add(users[-1])
    for _ in range(2):  # a tool_result needs its tool_use turn and the other way round
        for i in sorted(keep):
            types = _block_types(messages[i])
            if "tool_result" in types and i > 0:
                keep.add(i - 1)
            if "tool_use" in types and i + 1 < len(messages):
                keep.add(i + 1)
    kept = sorted(keep)
    shrink = _Shrinker(offending, redactor)
    new_messages = [shrink.message(messages[i], join_path("messages", i)) for i in kept]
    first_problem = any(f.id == "payload.first_not_user" for f in problems)
    if (
        kept
        and not first_problem
        and isinstance(messages[kept[0]], dict)
        and messages[kept[0]].get("role") != "user"
    ):
        new_messages.insert(0, {"role": "user", "content": PLACEHOLDER})

    request: dict[str, Any] = {}
    top_offending = {m.group(1) for p in offending if (m := _TOP.match(p))}
    for key, value in data.items():
        if key == "messages":
            request[key] = new_messages
        elif key == "tools" and isinstance(value, list):
            wanted = _indices(_TOOL, offending)
            names = _tool_use_names([messages[i] for i in kept])
            choice = data.get("tool_choice")
            if isinstance(choice, dict) and isinstance(choice.get("name"), str):
                names.add(choice["name"])
            tools = [
                shrink.scrub(t, join_path("tools", i))
                for i, t in enumerate(value)
                if i in wanted or (isinstance(t, dict) and t.get("name") in names)
            ]
            if tools:
                request[key] = tools
        elif key in ("model", "max_tokens", "system", "thinking", "tool_choice") or (
            key in top_offending
        ):
            request[key] = shrink.scrub(value, key, key)
    if "messages" not in request and "messages" in data:
        request["messages"] = shrink.scrub(data["messages"], "messages")
    result = Minimal(
        request=request,
        kept_messages=kept,
        total_messages=len(messages),
        dropped_blocks=shrink.dropped,
        trimmed_strings=shrink.trimmed,
    )
    whole = sorted({f.id for f in problems if f.id in WHOLE_REQUEST})
    if whole:
        result.notes.append(
            "these findings are about the request as a whole and cannot survive trimming: "
            + ", ".join(whole)
        )
    if not problems:
        result.notes.append("the request has no problem to keep; this is its last user turn")
    return result


def _what_was_cut(cut: Minimal) -> str:
    kept = f"{len(cut.kept_messages)} of {cut.total_messages} messages kept"
    cuts = [kept]
    if cut.dropped_blocks:
        cuts.append(f"{cut.dropped_blocks} attachment(s) dropped")
    if cut.trimmed_strings:
        cuts.append(f"{cut.trimmed_strings} long text(s) trimmed")
    return ", ".join(cuts) + "; secrets redacted"


def _titles(findings: Sequence[Finding], most: int = 3) -> str:
    titles = list(dict.fromkeys(f.title for f in findings))
    more = f" (and {len(titles) - most} more)" if len(titles) > most else ""
    return "; ".join(titles[:most]) + more


class MinimalWriteError(Exception):
    """OUT could not be written (it exists, or the file system said no)."""


def write_minimal(
    result: Result, out: Path, *, force: bool, model: str | None, redactor: Redactor
) -> list[str]:
    """Write the reduced request to ``out`` (never over an existing file unless ``force``),
    validate it again, and return what to tell the user."""
    if result.body is None:
        return ["No request body could be read, so no minimal reproduction was written."]
    cut = minimal_request(result.body, result.findings, redactor)
    text = json.dumps(cut.request, indent=2, ensure_ascii=False) + "\n"
    try:
        with out.open("w" if force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise MinimalWriteError(f"{out} exists; pass --force to replace it") from None
    except OSError as exc:
        raise MinimalWriteError(f"cannot write {out}: {exc.strerror or exc}") from None
    before = {f.id for f in result.findings if f.severity.is_problem}
    again = validate(text.encode("utf-8"), model=model)
    kept = [f for f in again.findings if f.severity.is_problem and f.id in before]
    lines = [f"Wrote {out} ({len(text.encode('utf-8')):,} bytes): {_what_was_cut(cut)}."]
    still = {f.id for f in kept}
    whole = [
        f
        for f in result.findings
        if f.severity.is_problem and f.id in WHOLE_REQUEST and f.id not in still
    ]
    if not before:
        lines.append("The request had no problem to keep: this is its last user turn alone.")
    elif kept:
        lines.append(f"Checked again, it still fails the same way: {_titles(kept)}.")
    else:
        lines.append(
            "Checked again, it no longer fails: the problem was in what was cut; attach the "
            "original request to the ticket instead."
        )
    if whole:
        lines.append(
            f"Not kept, being about the request as a whole (its size or length): {_titles(whole)}."
        )
    return lines
