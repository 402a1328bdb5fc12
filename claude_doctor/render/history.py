"""The saved reports' listing (``claude-doctor report``): one line per report, newest
first, with its id, time, what made it, the verdict's one line and whether the run was
interrupted; a file that cannot be read is listed with why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from claude_doctor.redact import Redactor

if TYPE_CHECKING:
    from claude_doctor.store import Entry

#: The verdict's one line is cut here so a listing line fits a terminal.
VERDICT_CHARS = 72


def _when(created_at: str) -> str:
    """``2026-11-25T09:30:00.123Z`` -> ``2026-11-25 09:30:00``."""
    return created_at.replace("T", " ")[:19] if "T" in created_at else created_at or "-"


def _one_line(text: str) -> str:
    """The text on one line, redacted before it is cut: a cut secret is no longer
    recognisable as one."""
    text = Redactor.patterns_only().text(" ".join(text.split()))
    return text if len(text) <= VERDICT_CHARS else text[: VERDICT_CHARS - 1].rstrip() + "…"


def _row(entry: Entry, sources: bool, sessions: bool) -> list[str]:
    report = entry.report
    if report is None:
        cells = [entry.id, "-", "-"]
        verdict = f"cannot be read: {entry.problem}"
    else:
        made = entry.extra.get("source") or report.command or "-"
        cells = [entry.id, _when(report.created_at), made]
        verdict = f"{report.verdict.branch.value}: {_one_line(report.verdict.summary)}"
        if report.interrupted:
            verdict += " (interrupted)"
    if sessions:
        session = entry.extra.get("session_id", "-")
        cells.append(session[:8] + "…" if len(session) > 9 else session)
    return [*cells, verdict]


def render_history(entries: Sequence[Entry], directory: str) -> str:
    """The listing, ready to print; every value goes through the redactor once more."""
    sources = any("source" in e.extra for e in entries)
    sessions = any("session_id" in e.extra for e in entries)
    header = ["ID", "TIME (UTC)", "SOURCE" if sources else "COMMAND"]
    header += ["SESSION"] if sessions else []
    header.append("VERDICT")
    rows = [header] + [_row(e, sources, sessions) for e in entries]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    ]
    lines.append("")
    lines.append(f"{len(entries)} saved in {directory}. Show one: claude-doctor report ID")
    return Redactor.patterns_only().text("\n".join(lines) + "\n")
