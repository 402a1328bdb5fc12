"""What the terminal in front of the user can show: colour, how wide a line may be, and a
path in the short form people type (``~/…``).

A terminal's own width is read through :func:`shutil.get_terminal_size`, which honours
``COLUMNS``; a terminal that reports zero columns (a pty opened by ``script``, ``ssh -tt``,
``docker exec -t`` or CI) counts as 80. Output that goes to a file or a pipe is not wrapped
at all unless ``COLUMNS`` asks for a width.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The width of a terminal that reports none.
FALLBACK_COLUMNS = 80


def use_color(stream: Any, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` or ``TERM=dumb``."""
    if "NO_COLOR" in environ or environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _columns_variable(environ: Mapping[str, str]) -> int | None:
    try:
        columns = int(environ.get("COLUMNS", "").strip())
    except ValueError:
        return None
    return columns if columns > 0 else None


def console_width(stream: Any, environ: Mapping[str, str]) -> int | None:
    """The width to wrap ``stream``'s lines at, or None for no wrapping (not a terminal and
    no ``COLUMNS``)."""
    asked = _columns_variable(environ)
    if asked is not None:
        return asked
    if not bool(getattr(stream, "isatty", lambda: False)()):
        return None
    import shutil

    columns = shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns
    return columns if columns > 0 else FALLBACK_COLUMNS


def home_relative(path: Path, home: Path) -> Path:
    """``path`` as ``~/…`` when it is inside ``home``; else as it is."""
    try:
        return Path("~") / path.relative_to(home)
    except ValueError:
        return path
