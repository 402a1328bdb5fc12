"""The ``explain`` views: pure functions of the (already redacted) document that
:func:`claude_doctor.explain.explain_document` builds, as plain text or JSON."""

from __future__ import annotations

import json
from typing import Any

#: Below this confidence a reading rests on the words alone (a bare status, a weak phrase).
WEAK = 0.7


def render_json(doc: dict[str, Any]) -> str:
    """The document as one JSON object and a newline."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_console(doc: dict[str, Any]) -> str:
    """Plain text for a terminal, from an already redacted document."""
    status = f" · HTTP {doc['http_status']}" if doc.get("http_status") else ""
    kind = f" · {doc['kind']}" if doc.get("kind") else ""
    lines = [
        f"Error:      {doc['category_words']} ({doc['category']}{kind}{status})",
        f"Branch:     {doc['branch']}",
        f"Meaning:    {doc['meaning']}",
        f"First move: {doc['first_move']}",
        f"Don't:      {doc['what_not_to_do']}",
        f"Next:       {doc['next_command']}",
    ]
    if doc["category"] != "other" and 0 < doc.get("confidence", 1.0) < WEAK:
        lines.append(
            "Read from:  the words alone (no known error message); paste the whole error if"
            " this looks wrong"
        )
    if doc.get("request_ids"):
        ids = doc["request_ids"]
        shown = ", ".join(ids[-3:])
        more = f" (and {len(ids) - 3} earlier)" if len(ids) > 3 else ""
        lines.append(f"Request id: {shown}{more}")
    if doc.get("occurred_at"):
        lines.append(f"When:       {doc['occurred_at']}")
    if doc.get("message") and doc["category"] != "other":
        message = " ".join(str(doc["message"]).split())
        if len(message) > 160:
            message = message[:157] + "..."
        lines.append(f"Message:    {message}")
    log = doc.get("log")
    if log and log.get("errors", 0) > 1:
        counts = ", ".join(f"{k} {v}" for k, v in log["counts"].items())
        # The chosen one: the most recent, unless a later line only retells it or it is the
        # error a bug report is about, above the report's log of earlier ones.
        lines.append(f"In the log: {log['errors']} errors ({counts}); the one read is above.")
    if log and log.get("cut_at_bytes"):
        cap = f"{log['cut_at_bytes'] // (1024 * 1024)} MB"
        if log.get("unread_bytes"):
            before = f"{log['unread_bytes'] / (1024 * 1024):,.0f} MB"
            lines.append(
                f"Note:       cut at {cap}: read the last {cap}; the first {before} were not read."
            )
        else:
            lines.append(f"Note:       cut at {cap}: the rest of the input was not read.")
    return "\n".join(lines) + "\n"
