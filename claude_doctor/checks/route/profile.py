"""An Anthropic profile, as Claude Code (observed: 2.1.332) finds one.

A profile is a ``configs/<name>.json`` in the Anthropic config directory
(``ANTHROPIC_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/anthropic``, else
``~/.config/anthropic``) whose ``authentication.type`` is ``oidc_federation``, or
``user_oauth`` with a non-empty credentials file (``authentication.credentials_path``, else
``credentials/<name>.json``). Its name is ``ANTHROPIC_PROFILE``, else the one in the
directory's ``active_config`` file, else ``default``. Workload identity federation can also
come straight from the environment: ``ANTHROPIC_FEDERATION_RULE_ID`` and
``ANTHROPIC_ORGANIZATION_ID`` both set, checked after a named profile and before an implied
one. A name with no usable config is no credential at all: Claude Code says "Not logged in",
and so does :func:`find_profile` (it returns None).

Reads at most two small files; a file that cannot be read counts as absent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claude_doctor.safe_read import JsonError, Unreadable, decode, loads, read_bytes

FEDERATION_VARIABLES = ("ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_ORGANIZATION_ID")
USABLE_TYPES = ("oidc_federation", "user_oauth")
_MAX_BYTES = 256 * 1024
_NAME = re.compile(r"[\w.-]{1,128}")


@dataclass(frozen=True)
class Profile:
    """Where a usable profile was found."""

    #: Words for the report: "profile work (~/.config/anthropic/configs/work.json)".
    where: str
    #: The variable that named it, when one did.
    variable: str | None
    #: ``oidc_federation`` or ``user_oauth``.
    auth_type: str


def config_dir(get: Callable[[str], str | None], home: Path) -> Path:
    """The Anthropic config directory Claude Code reads profiles from."""
    named = (get("ANTHROPIC_CONFIG_DIR") or "").strip()
    if named:
        return Path(named).expanduser()
    xdg = (get("XDG_CONFIG_HOME") or "").strip()
    return Path(xdg) / "anthropic" if xdg else home / ".config" / "anthropic"


def _read(path: Path) -> str | None:
    got = read_bytes(path, _MAX_BYTES, cut=True)
    return None if isinstance(got, Unreadable) else decode(got.data)


def _usable(directory: Path, name: str) -> str | None:
    """The profile's authentication type when Claude Code can use it, else None."""
    if not _NAME.fullmatch(name) or name in (".", ".."):
        return None
    text = _read(directory / "configs" / f"{name}.json")
    try:
        data = loads(text).value if text is not None else None
    except JsonError:
        return None
    auth = data.get("authentication") if isinstance(data, dict) else None
    if not isinstance(auth, dict) or auth.get("type") not in USABLE_TYPES:
        return None
    kind = auth["type"]
    if kind == "user_oauth":
        stored = auth.get("credentials_path")
        path = (
            Path(stored).expanduser()
            if isinstance(stored, str) and stored
            else directory / "credentials" / f"{name}.json"
        )
        if not (_read(path) or "").strip():
            return None
    return str(kind)


def find_profile(
    get: Callable[[str], str | None], home: Path, shown: Callable[[Path], str]
) -> Profile | None:
    """The profile Claude Code would use, if any. ``get`` reads a variable as Claude Code
    sees it; ``shown`` writes a path for the report."""
    directory = config_dir(get, home)
    named = (get("ANTHROPIC_PROFILE") or "").strip()
    if named:
        kind = _usable(directory, named)
        where = f"profile {named} ({shown(directory / 'configs' / f'{named}.json')})"
        return Profile(where, "ANTHROPIC_PROFILE", kind) if kind else None
    if all((get(n) or "").strip() for n in FEDERATION_VARIABLES):
        where = f"workload identity federation ({' and '.join(FEDERATION_VARIABLES)})"
        return Profile(where, FEDERATION_VARIABLES[0], USABLE_TYPES[0])
    active = (_read(directory / "active_config") or "").strip() or "default"
    kind = _usable(directory, active)
    if kind is None:
        return None
    return Profile(
        f"profile {active} ({shown(directory / 'configs' / f'{active}.json')})", None, kind
    )
