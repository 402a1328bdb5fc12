"""The one way claude-doctor reads a file, and parses JSON text.

A file is checked before it is opened and again once open (non-blocking, then ``fstat``):
anything but a regular file (a FIFO, a device, a socket, a directory) is refused, and a
symbolic link is followed only to a regular file. Reads stop at a cap the caller names, and
say when they stopped. Text is decoded with bytes that are not UTF-8 replaced. JSON is
parsed with a nesting limit, numbers too large to hold become infinities (recorded), lone
surrogates (``"\\ud800"``) are replaced, and keys that appear twice in one object are
recorded. Every failure is an :class:`Unreadable` value with the reason, never an exception.
"""

from __future__ import annotations

import enum
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

#: Deeper JSON than this is refused before it is parsed (no request, settings file or
#: transcript line Claude Code writes comes near it).
MAX_DEPTH = 256
#: Python refuses to turn longer digit strings into an int (``sys.int_info``).
MAX_INT_DIGITS = 4300
#: How much a stream read takes at a time.
CHUNK = 1024 * 1024


class Problem(enum.StrEnum):
    MISSING = "missing"
    NOT_A_FILE = "not_a_file"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    BINARY = "binary"
    INVALID_JSON = "invalid_json"
    NOT_AN_OBJECT = "not_an_object"


@dataclass(frozen=True)
class Unreadable:
    """Why a file could not be used, in words a user can act on."""

    path: Path
    problem: Problem
    message: str
    line: int | None = None
    column: int | None = None
    size: int | None = None
    #: The operating system's error number, when it gave one.
    errno: int | None = None


@dataclass(frozen=True)
class Bytes:
    """The bytes read from a regular file."""

    path: Path
    data: bytes
    #: The file's size when it was opened.
    size: int
    mode: int
    #: The cap stopped the read: ``data`` is the file's first ``len(data)`` bytes.
    cut: bool = False


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """``a FIFO (named pipe)``, ``a character device``... for a mode that is not a file."""
    return next((words for test, words in _KINDS if test(mode)), "not a file")


def _os_problem(path: Path, exc: OSError) -> Unreadable:
    if isinstance(exc, FileNotFoundError):
        return Unreadable(path, Problem.MISSING, "does not exist", errno=exc.errno)
    if isinstance(exc, PermissionError):
        return Unreadable(
            path, Problem.UNREADABLE, "cannot be read: permission denied", errno=exc.errno
        )
    return Unreadable(
        path, Problem.UNREADABLE, f"cannot be read: {exc.strerror or exc}", errno=exc.errno
    )


def _not_regular(path: Path, mode: int) -> Unreadable:
    where = ""
    try:
        if path.is_symlink():
            where = f" (a link to {os.path.realpath(path)})"
    except (OSError, ValueError):
        pass
    return Unreadable(path, Problem.NOT_A_FILE, f"is not a regular file: {file_kind(mode)}{where}")


def open_file(path: Path) -> BinaryIO | Unreadable:
    """``path`` opened for reading, or why not. Only a regular file is opened for reading
    (a link is followed to one); a FIFO or device is refused without waiting on it."""
    try:
        before = path.stat()
    except (OSError, ValueError) as exc:
        return _os_problem(path, exc if isinstance(exc, OSError) else OSError(str(exc)))
    if not stat.S_ISREG(before.st_mode):
        return _not_regular(path, before.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return _os_problem(path, exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            os.close(fd)
            return _not_regular(path, info.st_mode)
        os.set_blocking(fd, True)
    except OSError as exc:
        os.close(fd)
        return _os_problem(path, exc)
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, cap: int, *, cut: bool = False) -> Bytes | Unreadable:
    """At most ``cap`` bytes of ``path``. A larger file is ``TOO_LARGE`` (judged by its size
    before anything is read), or with ``cut`` its first ``cap`` bytes marked ``cut``."""
    handle = open_file(path)
    if isinstance(handle, Unreadable):
        return handle
    with handle:
        try:
            info = os.fstat(handle.fileno())
            if info.st_size > cap and not cut:
                return Unreadable(
                    path,
                    Problem.TOO_LARGE,
                    f"is {human_size(info.st_size)}, over the {human_size(cap)} limit",
                    size=info.st_size,
                )
            raw = handle.read(cap + 1)
        except OSError as exc:
            return _os_problem(path, exc)
    if len(raw) > cap:
        if not cut:  # it grew while being read
            return Unreadable(
                path, Problem.TOO_LARGE, f"is over the {human_size(cap)} limit", size=len(raw)
            )
        return Bytes(path, raw[:cap], max(info.st_size, len(raw)), info.st_mode, cut=True)
    return Bytes(path, raw, info.st_size, info.st_mode)


def chunks(handle: BinaryIO, cap: int, cut: list[int] | None = None) -> Iterator[bytes]:
    """A stream's blocks, never more than ``cap`` bytes in all; when the cap stops it,
    ``cut`` (if given) gets the number of bytes read."""
    total = 0
    while total < cap:
        block = handle.read(min(CHUNK, cap - total))
        if not block:
            return
        total += len(block)
        yield block
    if handle.read(1) and cut is not None:
        cut.append(total)


def human_size(n: float) -> str:
    """``5242880`` -> ``5.0 MiB``."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{int(n)} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def decode(raw: bytes) -> str:
    """UTF-8 text with a byte-order mark dropped and bytes that are not UTF-8 replaced."""
    return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")


# --- JSON -----------------------------------------------------------------------------


class JsonError(ValueError):
    """The text is not JSON this reader takes: a syntax error, or nested too deeply."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class TooDeep(JsonError):
    """Nested deeper than :data:`MAX_DEPTH`."""


@dataclass
class Json:
    """A parsed JSON value and what the parse noticed on the way."""

    value: Any
    #: id() of each object that had a key twice -> those keys (only when asked for).
    duplicates: dict[int, list[str]] = field(default_factory=dict)
    #: ``NaN``, ``Infinity`` literals met (recorded with ``duplicates``).
    nonfinite: list[str] = field(default_factory=list)
    #: Number literals too large to hold, each cut to 40 characters (now infinities).
    huge: list[str] = field(default_factory=list)
    #: Lone surrogates were replaced with U+FFFD.
    surrogates: bool = False

    def nonfinite_hook(self, name: str) -> float:
        self.nonfinite.append(name)
        return float(name)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE = re.compile("[\ud800-\udfff]")


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Arrays and objects nest deeper than ``limit`` (strings skipped), without recursion."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return bool(brackets) and max(accumulate(map(_STEP.__getitem__, brackets))) > limit


def _huge_int(text: str, huge: list[str]) -> Any:
    if len(text.lstrip("-")) <= MAX_INT_DIGITS:
        return int(text)
    huge.append(text[:40])
    return float("-inf") if text.startswith("-") else float("inf")


def _float(text: str, huge: list[str]) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        huge.append(text[:40])
    return value


def loads(text: str | bytes, *, duplicates: bool = False, max_depth: int = MAX_DEPTH) -> Json:
    """Parse ``text`` (bytes are decoded with :func:`decode`). Raises :class:`JsonError`
    (:class:`TooDeep` for nesting) and nothing else; with ``duplicates`` records keys
    met twice in one object."""
    if isinstance(text, bytes):
        text = decode(text)
    if too_deep(text, max_depth):
        raise TooDeep(f"is nested more than {max_depth} levels deep")
    found = Json(None)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj:
                found.duplicates.setdefault(id(obj), []).append(key)
            obj[key] = value
        return obj

    try:
        found.value = _parse(text, found, pairs if duplicates else None, numbers=duplicates)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError) or duplicates:
            raise _json_error(exc) from None
        try:  # an integer too long for int(): parse again, holding such numbers apart
            found.value = _parse(text, found, None, numbers=True)
        except (ValueError, RecursionError, TypeError, OverflowError) as again:
            raise _json_error(again) from None
    except (RecursionError, TypeError, OverflowError) as exc:
        raise _json_error(exc) from None
    if ("\\ud" in text or "\\uD" in text) and _SURROGATE_ESCAPE.search(text):
        found.value, found.surrogates = scrub(found.value)
        found.duplicates = {k: scrub(keys)[0] for k, keys in found.duplicates.items()}
    return found


def _parse(text: str, found: Json, pairs: Any, *, numbers: bool) -> Any:
    """``json.loads``; with ``numbers``, literals too large to hold are recorded."""
    if not numbers and pairs is None:
        return json.loads(text)  # the shared decoder: no hooks, nothing recorded
    if not numbers:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=found.nonfinite_hook)
    return json.loads(
        text,
        object_pairs_hook=pairs,
        parse_constant=found.nonfinite_hook,
        parse_int=lambda s: _huge_int(s, found.huge),
        parse_float=lambda s: _float(s, found.huge),
    )


def _json_error(exc: BaseException) -> JsonError:
    if isinstance(exc, json.JSONDecodeError):
        return JsonError(
            f"{exc.msg} at line {exc.lineno}, column {exc.colno}", exc.lineno, exc.colno
        )
    if isinstance(exc, RecursionError):
        return TooDeep("is nested too deeply to read")
    return JsonError(f"cannot be read as JSON ({type(exc).__name__})")


def scrub(value: Any) -> tuple[Any, bool]:
    """``value`` with lone surrogates in its strings and keys replaced by U+FFFD (in place
    for containers, so ids stay), and whether any were; iterative."""
    if isinstance(value, str):
        fixed = _LONE.sub("\ufffd", value)
        return fixed, fixed != value
    changed = False
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            items = list(node.items())
            if any(isinstance(k, str) and _LONE.search(k) for k, _ in items):
                node.clear()
                node.update((_LONE.sub("\ufffd", k), v) for k, v in items)
                changed = True
            for key, child in node.items():
                if isinstance(child, str) and _LONE.search(child):
                    node[key] = _LONE.sub("\ufffd", child)
                    changed = True
                elif isinstance(child, dict | list):
                    stack.append(child)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                if isinstance(child, str) and _LONE.search(child):
                    node[i] = _LONE.sub("\ufffd", child)
                    changed = True
                elif isinstance(child, dict | list):
                    stack.append(child)
    return value, changed
