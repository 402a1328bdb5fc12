"""Renderers: each is a pure function that returns a string, of a
:class:`~claude_doctor.report.Report` (console, JSON, markdown, all reached through
:func:`render`) or of one command's redacted document (``sessions``, ``explain``). Only the
CLI writes."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import assert_never

from claude_doctor.report import Report


class OutputFormat(enum.StrEnum):
    CONSOLE = "console"
    JSON = "json"
    MARKDOWN = "markdown"


def render(
    report: Report,
    fmt: OutputFormat,
    *,
    verbose: bool = False,
    color: bool = False,
    width: int | None = 100,
    saved_to: Path | None = None,
    home: Path | None = None,
    elapsed: float | None = None,
) -> str:
    """``report`` in ``fmt``; every renderer is reached from here. The markdown shows
    ``home`` (the user's home folder) as ``~``. The console view is wrapped at ``width``
    (None: not wrapped) and its header shows ``elapsed`` seconds when given."""
    if fmt is OutputFormat.JSON:
        from claude_doctor.render.json import render_json

        return render_json(report)
    if fmt is OutputFormat.MARKDOWN:
        from claude_doctor.render.markdown import render_markdown

        return render_markdown(report, home=str(home) if home else None)
    if fmt is OutputFormat.CONSOLE:
        from claude_doctor.render.console import render_console

        return render_console(
            report, verbose=verbose, color=color, width=width, saved_to=saved_to, elapsed=elapsed
        )
    assert_never(fmt)
