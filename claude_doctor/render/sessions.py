"""The ``claude-doctor sessions`` table: a pure function of the sessions document.

Takes the (already redacted) dict from ``SessionsView.to_dict`` and returns plain text, one
row a session, newest first, suspicious ones marked with ``!``; times in UTC, said so in
the header; the legend explains only the marks the table shows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_MARK_WORDS = {
    "repeated_errors": "errors",
    "model_not_found": "model gone",
    "context_full": "context full",
    "oversized_attachment": "big attachment",
    "tool_use_without_result": "tool_use w/o result",
    "empty_thinking": "empty thinking",
}


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _when(stamp: str | None) -> str:
    """A time stamp in UTC, to the minute (the table's header says UTC)."""
    if not stamp:
        return "?"
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp.replace("T", " ")[:16]
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M")


def _row(s: dict[str, Any]) -> list[str]:
    pct = s.get("context_percent")
    turns = f"{'~' if s.get('turns_estimated') else ''}{s.get('turns', 0)}"
    notes: list[str] = [_MARK_WORDS.get(m, m) for m in s.get("marks", [])]
    if s.get("resumed"):
        notes.append("resumed")
    if s.get("compactions"):
        notes.append(f"compacted {s['compactions']}x")
    errors = s.get("api_error_messages", 0)
    statuses = ",".join(str(x) for x in s.get("error_statuses", []))
    return [
        "!" if s.get("suspicious") else " ",
        _when(s.get("last_activity")),
        str(s.get("session_id", ""))[:36],
        _size(int(s.get("size", 0))),
        turns,
        str(s.get("last_model") or (s.get("models") or ["?"])[-1]),
        f"{pct:.0f}%" if isinstance(pct, int | float) else "?",
        f"{errors} ({statuses})" if errors and statuses else str(errors),
        ", ".join(notes),
    ]


def render_sessions(doc: dict[str, Any]) -> str:
    """The table, a footer with counts, and the resume hint for the worst session."""
    sessions: list[dict[str, Any]] = doc.get("sessions", [])
    where = "every project" if doc.get("scope") == "all" else str(doc.get("cwd"))
    lines = [f"Claude Code sessions for {where} ({doc.get('projects_dir')})", ""]
    if not sessions:
        lines.append("No sessions found.")
        return "\n".join(lines) + "\n"
    header = [
        "",
        "last activity (UTC)",
        "session",
        "size",
        "turns",
        "model",
        "ctx",
        "errors",
        "notes",
    ]
    rows = [header, *(_row(s) for s in sessions)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    lines.append("")
    shown, total = doc.get("shown", 0), doc.get("total_sessions", 0)
    footer = f"{shown} of {total} sessions shown, newest first"
    suspicious = doc.get("suspicious", 0)
    if any(s.get("suspicious") for s in sessions):
        footer += f"; {suspicious} suspicious (!)"
    elif suspicious:
        footer += f"; {suspicious} suspicious"
    footer += "."
    if any(s.get("turns_estimated") for s in sessions):
        footer += " ~ marks a turn count estimated from the end of the file."
    lines.append(footer)
    problems = {k: v for k, v in (doc.get("problems") or {}).items() if v}
    if problems:
        said = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in problems.items())
        lines.append(f"Skipped while reading: {said}.")
    bad = [s for s in sessions if s.get("suspicious")]
    if bad:
        worst = bad[0]
        latest = worst.get("latest_failure") or {}
        lines.append("")
        lines.append(f"Newest suspicious session: {worst.get('session_id')}")
        if latest.get("text"):
            lines.append(f"  latest error: {str(latest['text'])[:200]}")
        if worst.get("request_ids"):
            lines.append(f"  request ids: {', '.join(worst['request_ids'])}")
        lines.append("  start fresh: claude   (not claude --continue)")
        lines.append(f"  go back later: claude --resume {worst.get('session_id')}")
    return "\n".join(lines) + "\n"
