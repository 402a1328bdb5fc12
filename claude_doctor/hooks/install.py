"""The ``StopFailure`` entry in a Claude Code settings file: what adding or removing it
changes (shown before it is written), the write itself (a timestamped backup first, the
file replaced atomically, a symlink's target edited in place of the link), and where it is
installed now. Managed settings are read, never written."""

from __future__ import annotations

import difflib
import os
import shlex
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claude_doctor.claude_home import managed_settings_dir, settings_locations
from claude_doctor.hooks.jsonedit import (
    JsonEditError,
    Node,
    add_item,
    add_member,
    parse,
    remove_item,
    remove_member,
)
from claude_doctor.settings import Settings

EVENT = "StopFailure"
#: Seconds Claude Code gives the hook; it returns in milliseconds, so this is a ceiling.
HOOK_TIMEOUT = 10
#: Claude Code refuses a settings file above 2 MiB (FACTS §3.4).
MAX_SETTINGS_BYTES = 2 * 1024 * 1024
SCOPES = ("user", "project", "project_local")
_MARKS = ("claude-doctor hook stop-failure", "claude_doctor hook stop-failure")


class HookFileError(Exception):
    """A settings file cannot be changed safely; the message names the file and why."""


def inbox(settings: Settings) -> Path:
    """Where the hook's command line leaves its input for the recorder (0700)."""
    return settings.doctor_home / "hooks" / "inbox"


def hook_command(inbox_dir: Path, notify: bool = False, argv0: str | None = None) -> str:
    """The hook's command line. Under ``claude -p`` Claude Code does not wait for the hook
    and kills it within milliseconds (FACTS §3.9a), so the line ignores the signals that
    kill it (the recorder inherits that until it has its own session), copies the hook's
    input with shell builtins only into ``inbox_dir``, then starts this very claude-doctor,
    by absolute path, in a new session in the background, and returns."""
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name == "claude-doctor" and script.is_file():
        words = [str(script.resolve()), "hook", "stop-failure"]
    else:
        words = [sys.executable, "-m", "claude_doctor", "hook", "stop-failure"]
    if notify:
        words.append("--notify")
    run = f'{shlex.join(words)} --input "$f" </dev/null >/dev/null 2>&1 &'
    where = shlex.quote(str(inbox_dir / "in."))
    return (
        f"trap '' HUP INT TERM; umask 077; f={where}$$; "
        """while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done >"$f"; """
        f"if command -v setsid >/dev/null; then setsid {run} else {run} fi; exit 0"
    )


def is_ours(command: object) -> bool:
    """Whether a hook's command is the one :func:`hook_command` writes."""
    return isinstance(command, str) and any(mark in command for mark in _MARKS)


def settings_file(settings: Settings, scope: str) -> Path:
    """The settings file of ``scope`` (``user``, ``project`` or ``project_local``)."""
    by_scope = {loc.scope: loc.path for loc in settings_locations(settings)}
    if scope not in SCOPES:
        raise HookFileError(f"unknown scope {scope!r}; choose from {', '.join(SCOPES)}")
    return by_scope[scope]


@dataclass(frozen=True)
class Plan:
    """One change to one settings file, not yet written."""

    scope: str
    #: The settings file as Claude Code names it (it may be a symlink).
    path: Path
    #: The file written: the symlink's target, else ``path``.
    target: Path
    #: The text now (None: no such file yet).
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        """The change as a unified diff."""
        old = (self.before or "").splitlines(keepends=True)
        new = self.after.splitlines(keepends=True)
        lines = difflib.unified_diff(
            old, new, fromfile=f"{self.path} (now)", tofile=f"{self.path} (after)"
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _entry(command: str) -> dict[str, Any]:
    return {"hooks": [{"type": "command", "command": command, "timeout": HOOK_TIMEOUT}]}


def _read(settings: Settings, path: Path) -> tuple[Path, str | None]:
    """The file to write and its text; refuses managed settings, a read-only file, one too
    large or not UTF-8."""
    target = path.resolve() if path.is_symlink() else path
    managed = managed_settings_dir(settings).resolve()
    if target.resolve().is_relative_to(managed):
        raise HookFileError(f"{path} is a managed settings file; claude-doctor never edits those")
    if not target.exists():
        if path.is_symlink():
            raise HookFileError(f"{path} is a symlink to {target}, which does not exist")
        return target, None
    if not target.is_file():
        raise HookFileError(f"{path} is not a regular file")
    if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o200:
        raise HookFileError(f"{path} is read-only; nothing was changed")
    try:
        with target.open("rb") as handle:
            raw = handle.read(MAX_SETTINGS_BYTES + 1)
    except OSError as exc:
        raise HookFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise HookFileError(f"{path} is larger than 2 MiB; Claude Code itself refuses it")
    try:
        return target, raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HookFileError(f"{path} is not UTF-8 text; nothing was changed") from None


def _root(path: Path, text: str) -> Node:
    try:
        root = parse(text)
    except JsonEditError as exc:
        raise HookFileError(f"{path} is not valid JSON ({exc}); fix it first") from None
    if root.kind != "object":
        raise HookFileError(f"{path} does not hold a JSON object; nothing was changed")
    return root


def _groups(path: Path, root: Node) -> tuple[Node | None, Node | None]:
    """The ``hooks`` object and its ``StopFailure`` array, where present."""
    hooks = root.member("hooks")
    if hooks is None:
        return None, None
    if hooks.kind != "object":
        raise HookFileError(f'{path}: "hooks" is not an object; nothing was changed')
    groups = hooks.member(EVENT)
    if groups is not None and groups.kind != "array":
        raise HookFileError(f'{path}: "hooks.{EVENT}" is not a list; nothing was changed')
    return hooks, groups


def _our_commands(groups: Node | None) -> list[str]:
    found: list[str] = []
    for group in groups.items if groups else ():
        inner = group.member("hooks") if group.kind == "object" else None
        for hook in inner.items if inner and inner.kind == "array" else ():
            command = hook.member("command") if hook.kind == "object" else None
            if command is not None and is_ours(command.value):
                found.append(command.value)
    return found


def plan_install(settings: Settings, scope: str, command: str) -> Plan:
    """Add the entry; no change when one of ours is there already."""
    path = settings_file(settings, scope)
    target, before = _read(settings, path)
    if before is None or not before.strip():
        return Plan(scope, path, target, before, _fresh(command))
    root = _root(path, before)
    hooks, groups = _groups(path, root)
    if _our_commands(groups):
        return Plan(scope, path, target, before, before)
    if hooks is None:
        after = add_member(before, root, "hooks", {EVENT: [_entry(command)]})
    elif groups is None:
        after = add_member(before, hooks, EVENT, [_entry(command)])
    else:
        after = add_item(before, groups, _entry(command))
    return Plan(scope, path, target, before, after)


def _fresh(command: str) -> str:
    import json

    return json.dumps({"hooks": {EVENT: [_entry(command)]}}, indent=2) + "\n"


def _without_ours(path: Path, text: str) -> str | None:
    """``text`` with one of our hooks removed (and the group, list and ``hooks`` object it
    leaves empty); None when there is none."""
    root = _root(path, text)
    hooks, groups = _groups(path, root)
    if hooks is None or groups is None:
        return None
    for g, group in enumerate(groups.items):
        inner = group.member("hooks") if group.kind == "object" else None
        for h, hook in enumerate(inner.items if inner and inner.kind == "array" else ()):
            command = hook.member("command") if hook.kind == "object" else None
            if command is None or not is_ours(command.value):
                continue
            assert inner is not None
            if len(inner.items) > 1:
                return remove_item(text, inner, h)
            if len(groups.items) > 1:
                return remove_item(text, groups, g)
            if len(hooks.members) > 1:
                return remove_member(text, hooks, EVENT)
            return remove_member(text, root, "hooks")
    return None


def plan_uninstall(settings: Settings, scope: str) -> Plan:
    """Remove every hook of ours from the file, and only those."""
    path = settings_file(settings, scope)
    target, before = _read(settings, path)
    if before is None or not before.strip():
        return Plan(scope, path, target, before, before or "")
    after = before
    for _ in range(32):
        smaller = _without_ours(path, after)
        if smaller is None:
            break
        after = smaller
    return Plan(scope, path, target, before, after)


def backup_path(path: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.claude-doctor-{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.claude-doctor-{stamp}-{n}.bak")
    return candidate


def apply(plan: Plan, now: datetime | None = None) -> Path | None:
    """Write the change: the old text to a backup beside the file first (returned), then
    the new text replaces the file atomically, its mode kept."""
    if not plan.changed:
        return None
    backup: Path | None = None
    mode = 0o644
    try:
        if plan.before is not None:
            mode = plan.target.stat().st_mode & 0o7777
            backup = backup_path(plan.path, now)
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(plan.target.read_bytes())
        plan.target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{plan.target.name}.", dir=plan.target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(plan.after)
            Path(tmp).chmod(mode)
            Path(tmp).replace(plan.target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise HookFileError(f"cannot write {plan.path}: {exc.strerror or exc}") from None
    return backup


@dataclass(frozen=True)
class Installed:
    scope: str
    path: Path
    command: str


def installed(settings: Settings) -> list[Installed]:
    """Every settings file (managed ones too) that holds one of our hooks, read only."""
    found: list[Installed] = []
    for location in settings_locations(settings):
        try:
            raw = location.path.read_bytes()[: MAX_SETTINGS_BYTES + 1]
            root = parse(raw.decode("utf-8"))
            _hooks, groups = _groups(location.path, root) if root.kind == "object" else (None, None)
        except (OSError, UnicodeDecodeError, JsonEditError, HookFileError):
            continue
        found += [Installed(location.scope, location.path, c) for c in _our_commands(groups)]
    return found
