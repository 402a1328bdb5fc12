"""What ``claude-doctor hook …`` does once parsed: ``install`` and ``uninstall`` (the only
commands that write a user's file: they show the change, ask first unless ``--yes``, keep
a backup), ``status`` (read only) and ``stop-failure`` (what the hook runs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

from claude_doctor.commands import ExitCode, ask_yes_no, fail, is_interactive, load_settings
from claude_doctor.hooks import install as hi
from claude_doctor.settings import Settings


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def _confirm(settings: Settings, question: str, yes: bool) -> None:
    if yes:
        return
    if not is_interactive(settings):
        fail("no terminal to ask in; re-run with --yes to write the change", ExitCode.USAGE)
    if not ask_yes_no(question):
        sys.stderr.write("Nothing changed.\n")
        raise typer.Exit(int(ExitCode.USAGE))


def _write(settings: Settings, plan: hi.Plan, question: str, yes: bool) -> Path | None:
    from claude_doctor.redact import Redactor

    # The file's other lines are shown as context: a key in its "env" is masked there.
    _out(Redactor.for_run(settings).text(plan.diff()))
    _confirm(settings, question, yes)
    try:
        return hi.apply(plan)
    except hi.HookFileError as exc:
        fail(str(exc), ExitCode.TOOL_FAILED)


def install(*, scope: str, yes: bool, notify: bool) -> NoReturn:
    settings = load_settings()
    try:
        plan = hi.plan_install(settings, scope, hi.hook_command(hi.inbox(settings), notify))
    except hi.HookFileError as exc:
        fail(str(exc), ExitCode.USAGE)
    if not plan.changed:
        _out(f"The StopFailure hook is already installed in {plan.path}; nothing changed.")
        raise typer.Exit(int(ExitCode.OK))
    backup = _write(settings, plan, f"Add this hook to {plan.path}?", yes)
    try:
        hi.inbox(settings).mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        fail(f"cannot create {hi.inbox(settings)}: {exc.strerror or exc}", ExitCode.TOOL_FAILED)
    _out(
        f"Installed: Claude Code runs `claude-doctor hook stop-failure` when a turn fails "
        f"({plan.path})."
    )
    if backup is not None:
        _out(f"The file as it was is kept as {backup}.")
    _out(
        f"Reports go to {settings.doctor_home / 'reports'}; remove the hook with "
        "`claude-doctor hook uninstall`."
    )
    raise typer.Exit(int(ExitCode.OK))


def uninstall(*, scope: str | None, yes: bool) -> NoReturn:
    settings = load_settings()
    found = hi.installed(settings)
    scopes = [scope] if scope else sorted({i.scope for i in found if i.scope in hi.SCOPES})
    managed = [i for i in found if i.scope not in hi.SCOPES]
    if not scopes:
        if managed:
            fail(
                f"the hook is in managed settings ({managed[0].path}), which claude-doctor "
                "never edits; ask whoever manages them",
                ExitCode.FINDINGS,
            )
        _out("The StopFailure hook is not installed; nothing changed.")
        raise typer.Exit(int(ExitCode.OK))
    for name in scopes:
        try:
            plan = hi.plan_uninstall(settings, name)
        except hi.HookFileError as exc:
            fail(str(exc), ExitCode.USAGE)
        if not plan.changed:
            _out(f"No claude-doctor hook in {plan.path}; nothing changed.")
            continue
        backup = _write(settings, plan, f"Remove the hook from {plan.path}?", yes)
        kept = f"; the file as it was is kept as {backup}." if backup else "."
        _out(f"Removed from {plan.path}{kept}")
    raise typer.Exit(int(ExitCode.OK))


def status_document(settings: Settings) -> dict[str, Any]:
    """Where the hook is installed and when it last fired (read only)."""
    from claude_doctor.hooks.recorded import recorded_failures
    from claude_doctor.hooks.recorder import hooks_dir
    from claude_doctor.redact import Redactor

    last: Any = None
    try:
        last = json.loads((hooks_dir(settings) / "last.json").read_bytes()[:65536])
    except (OSError, ValueError):
        last = None
    reports = recorded_failures(settings, hours=None)
    doc = {
        "installed": [
            {"scope": i.scope, "path": str(i.path), "command": i.command}
            for i in hi.installed(settings)
        ],
        "last_fired": last if isinstance(last, dict) else None,
        "reports": len(reports),
        "newest_report": str(reports[0].path) if reports else None,
    }
    data: dict[str, Any] = Redactor.for_run(settings).data(doc)
    return data


def status(*, as_json: bool) -> NoReturn:
    settings = load_settings()
    doc = status_document(settings)
    if as_json:
        _out(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        if not doc["installed"]:
            _out("The StopFailure hook is not installed. Install it: claude-doctor hook install")
        for item in doc["installed"]:
            _out(f"Installed in {item['scope']} settings: {item['path']}")
        last = doc["last_fired"]
        if last:
            _out(
                f"Last fired: {last.get('at')} (session {last.get('session_id')}, "
                f"{last.get('error') or 'error'})"
            )
        else:
            _out("Last fired: never")
        if doc["newest_report"]:
            _out(f"Recorded failures: {doc['reports']} (newest {doc['newest_report']})")
    raise typer.Exit(int(ExitCode.OK if doc["installed"] else ExitCode.FINDINGS))


def stop_failure(*, notify: bool, input_file: Path | None) -> NoReturn:
    from claude_doctor.hooks.capture import capture_main

    args = ["--notify"] if notify else []
    capture_main([*args, "--input", str(input_file)] if input_file else args)
