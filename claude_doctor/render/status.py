"""The ``claude-doctor status`` view: the page at a glance, a pure function of one reading.

Every component (those on the user's path marked), unresolved incidents and maintenance with
their latest update, what was open at the time of the error, and one line saying whether
what the user relies on is operational. The text goes through the run's redactor.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from claude_doctor.checks.status.assess import Assessment, age_text, scope, state_text
from claude_doctor.checks.status.watch import RETRY_NOW, Poll
from claude_doctor.redact import Redactor

if TYPE_CHECKING:
    from claude_doctor.checks.status.page import Incident
    from claude_doctor.render.layout import Printer

_COMPONENT_MARKS = {
    "operational": ("✓", "green"),
    "degraded_performance": ("!", "yellow"),
    "under_maintenance": ("~", "cyan"),
}


def render_status(result: Poll, redactor: Redactor, *, color: bool, width: int | None = 100) -> str:
    """The page at a glance, wrapped at ``width`` (None: not wrapped, for a pipe)."""
    from claude_doctor.render.console import text_console
    from claude_doctor.render.layout import Printer

    buffer = io.StringIO()
    out = Printer(text_console(buffer, width=width or 4096, color=color), width)
    a = result.assessment
    _page(out, a)
    _open_now(out, a)
    out.line()
    _at_error_time(out, a)
    _verdict(out, a)
    return redactor.text(buffer.getvalue())


def _page(out: Printer, a: Assessment) -> None:
    """The page's headline and every component, or why it could not be read."""
    from rich.text import Text

    s = a.snapshot
    summary = s.summary
    if summary is None:
        problem = s.problem("summary")
        out.line(Text(f"Could not read the status page at {s.base_url}", style="bold"))
        if problem is not None:
            out.line(Text(f"  {problem.detail}"), indent=4)
        out.line(
            "This is not a sign of an Anthropic incident: the path from this machine to the "
            "page fails. Find the failing layer with: claude-doctor check --only network"
        )
        return
    title = Text("Claude status: ", style="bold")
    title.append(summary.description or summary.indicator)
    title.append(f" (indicator {summary.indicator}) · {s.base_url}", style="dim")
    out.line(title)
    out.line(Text(f"For {a.surface_label}: components marked ◀ are on your path.", "dim"))
    out.line()
    name_width = max((len(c.name) for c in summary.components), default=10) + 2
    if out.width is not None:  # a narrow terminal: the state follows the name, not a column
        name_width = min(name_width, max(out.width - 20, 12))
    for c in summary.components:
        if c.group:
            continue
        sign, style = _COMPONENT_MARKS.get(c.status, ("✗", "red"))
        line = Text(f"  {sign} ", style=style)
        line.append(c.name + " " * max(1, name_width - len(c.name)))
        line.append(state_text(c.status), style=style)
        if a.is_yours(c.id, c.name):
            line.append("  ◀", style="bold")
        out.line(line, indent=6, keep=(state_text(c.status),))


def _open_now(out: Printer, a: Assessment) -> None:
    """Unresolved incidents, maintenance in progress and the next maintenances."""
    from rich.text import Text

    s = a.snapshot
    for heading, items, mark in (
        ("Unresolved incidents", s.open_incidents(), "✗"),
        ("Maintenance in progress", s.maintenances_in_progress(), "~"),
    ):
        if items:
            out.line()
            out.line(Text(heading, style="bold"))
            for item in items:
                _incident(out, item, a, mark)
    upcoming = [m for m in s.maintenances_scheduled() if m.scheduled_for][:3]
    if upcoming:
        out.line()
        out.line(Text("Upcoming maintenance", style="bold"))
        for m in upcoming:
            when = (m.scheduled_for or a.now).isoformat(timespec="minutes")
            out.line(Text(f"  ~ {m.name} — from {when.replace('+00:00', 'Z')}"), indent=4)


def _incident(out: Printer, item: Incident, a: Assessment, mark: str) -> None:
    from rich.text import Text

    yours = " (on your path)" if scope(item, a.keys) != "others" else ""
    out.line(
        Text.assemble(
            f"  {mark} ",
            (item.name, "bold"),
            f" — {state_text(item.status)}, {item.impact} impact{yours}",
        ),
        indent=4,
    )
    latest = item.latest_update
    if latest is not None and latest.body:
        age = age_text((a.now - latest.at).total_seconds()) if latest.at else "undated"
        body = " ".join(latest.body.split())  # an update's own line breaks read as spaces
        out.line(Text(f"      latest update, {age}: {body}"), indent=8)
    if item.shortlink:
        out.whole(Text(f"      {item.shortlink}"))


def _at_error_time(out: Printer, a: Assessment) -> None:
    """What was open at the time of the error, when the page's history was read."""
    from rich.text import Text

    if a.overlapping:
        out.line(
            Text(f"At the time of your error ({a.window.label}) an incident was open:", "bold")
        )
        for item in a.overlapping:
            ended = item.ended()
            state = f"resolved {age_text((a.now - ended).total_seconds())}" if ended else "open"
            link = f" {item.shortlink}" if item.shortlink else ""
            out.line(Text(f"  • {item.name} ({state}){link}"), indent=4)
    elif a.snapshot.recent is not None:
        out.line(Text(f"No incident on your path at the time of your error ({a.window.label})."))


def _verdict(out: Printer, a: Assessment) -> None:
    from rich.text import Text

    if a.ok_for_you:
        out.line(Text(f"{a.surface_label}: operational — {RETRY_NOW}.", style="bold green"))
    elif a.snapshot.summary is not None:
        out.line(
            Text(
                f"{a.surface_label}: not operational — stop changing local settings, wait "
                "(claude-doctor status --watch), then retry the same path.",
                style="bold red",
            )
        )
