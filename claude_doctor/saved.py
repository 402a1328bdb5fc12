"""The ``report`` command: list the saved reports, or show one (by id, or the newest that
can be read) in any output format. A stored file that cannot be read is skipped with a
one-line note, never an internal error."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from claude_doctor.commands import ExitCode, ReportFormat, fail, for_stdout, load_settings


def _none_saved(reports_dir: str) -> NoReturn:
    sys.stderr.write(f"No saved reports in {reports_dir}. Run `claude-doctor check` first.\n")
    raise typer.Exit(int(ExitCode.FINDINGS))


def report(*, last: bool, fmt: ReportFormat, wanted: str | None = None) -> None:
    """The listing (no id, no ``--last``), the report ``wanted``, or the newest one that
    can be read; none saved is exit 1, an unknown id exit 2."""
    from claude_doctor.render import OutputFormat
    from claude_doctor.render.history import render_history
    from claude_doctor.store import Store, StoreError

    settings = load_settings()
    store = Store(settings.doctor_home)
    if wanted is None and not last:
        entries = store.entries()
        if not entries:
            _none_saved(str(store.reports_dir))
        sys.stdout.write(render_history(entries, str(store.reports_dir)))
        sys.stdout.flush()
        return
    if wanted is not None:
        try:
            found = store.find(wanted)
        except StoreError as exc:
            fail(str(exc), ExitCode.USAGE)
    else:
        notes: list[str] = []
        newest = store.last(notes)
        for note in notes:
            sys.stderr.write(f"claude-doctor: {note}\n")
        if newest is None:
            _none_saved(str(store.reports_dir))
        found = newest
    path, stored = found
    sys.stdout.write(for_stdout(stored, settings, OutputFormat(fmt.value), saved=path))
    sys.stdout.flush()
