"""The ``claude-doctor sessions --request`` summary: a pure function of the (already
redacted) request document of :func:`~claude_doctor.checks.session.request_out.request_document`.

Plain text: the session, the request's model and counts, its size against the API's limit,
each problem by JSON path, and what could not be rebuilt. Never the conversation.
"""

from __future__ import annotations

from typing import Any

from claude_doctor.redact import Redactor


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _what(r: dict[str, Any]) -> str:
    turn = "the failing turn" if r.get("failed_turn") else "the latest turn (no failure found)"
    counts = [f"{r.get('messages', 0)} messages"]
    for key in ("tools", "images", "documents"):
        if r.get(key):
            counts.append(f"{r[key]} {key if r[key] != 1 else key[:-1]}")
    when = f" at {r['timestamp']}" if r.get("timestamp") else ""
    return f"Request of {turn}{when}: model {r.get('model') or '?'}, {', '.join(counts)}"


def _size_line(r: dict[str, Any]) -> str:
    size, limit = r.get("size_bytes"), r.get("limit_bytes") or 0
    if size is None:
        return "Size: not measured (the request was not rebuilt)"
    mark = "✗" if r.get("over_limit") else "✓"
    margin = r.get("margin_bytes") or 0
    room = (
        f"over by {_size(size - limit)}"
        if r.get("over_limit")
        else f"{_size(max(margin, 0))} to spare once Claude Code adds its "
        f"~{r.get('client_extra_bytes', 0)} bytes (metadata, billing block)"
    )
    return f"[{mark}] Size: {_size(size)} of the API's {_size(limit)} limit; {room}"


def _incomplete(r: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if r.get("stopped"):
        lines.append(f"[!] Not rebuilt: {r['stopped']}")
    missing = r.get("missing") or []
    if missing:
        where = ", ".join(f"messages[{m['index']}]" for m in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        lines.append(
            f"[!] Incomplete: {len(missing)} message(s) not in any transcript: {where}{more}"
        )
    lines.extend(f"[!] Incomplete: {gap}" for gap in r.get("gaps") or [])
    return lines


def render_request(doc: dict[str, Any], *, written: str | None = None) -> str:
    """The summary as text; ``written`` names where the body went."""
    session, r = doc["session"], doc["request"]
    lines = [f"Session {session['id']}  ({session['path']})", _what(r), _size_line(r)]
    problems = doc.get("problems") or []
    for p in problems:
        mark = "✗" if p.get("severity") == "fail" else "!"
        lines.append(f"[{mark}] {p['path']} — {p['title']}")
    if not problems and r.get("size_bytes") is not None:
        lines.append("[✓] The payload validator finds no problem in it")
    lines.extend(_incomplete(r))
    if r.get("complete") and not problems and not r.get("over_limit"):
        lines.append("The request itself looks valid: the failure is likely elsewhere.")
    if doc.get("corrupt_lines"):
        lines.append(f"({doc['corrupt_lines']} corrupt line(s) in the transcript were skipped)")
    if written:
        lines.append(f"Wrote the request body to {written} (secrets redacted; it holds your")
        lines.append("conversation: share it only where you would share the session).")
    else:
        lines.append("Add --out FILE to write the body (secrets redacted) to a file.")
    return Redactor.patterns_only().text("\n".join(lines)) + "\n"
