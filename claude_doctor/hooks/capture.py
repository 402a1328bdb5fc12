"""What the ``StopFailure`` hook runs first: read the hook's JSON from stdin (bounded in size
and time), detach a recorder into its own session with its standard streams on /dev/null,
and return at once with exit 0.

Under ``claude -p`` Claude Code does not wait for the hook: it exits as soon as the hook
starts and the hook's process dies with it (FACTS §3.9a). So this module imports nothing
beyond the standard library's basics, and the slow work happens in the detached recorder
(:mod:`claude_doctor.hooks.recorder`).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

#: The hook's input is about half a KiB; the error text is bounded by Claude Code.
MAX_INPUT_BYTES = 1024 * 1024
#: Stdin is read for at most this long (a terminal or a writer that never closes).
READ_SECONDS = 2.0


def read_input(fd: int = 0, limit: int = MAX_INPUT_BYTES, seconds: float = READ_SECONDS) -> bytes:
    """What ``fd`` gives before EOF, ``limit`` bytes or ``seconds``, whichever comes first."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + seconds
    while size < limit:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            ready, _w, _x = select.select([fd], [], [], left)
        except (OSError, ValueError):
            break
        if not ready:
            break
        try:
            chunk = os.read(fd, min(65536, limit - size))
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def detach(work: Callable[[], None]) -> None:
    """Run ``work`` in a grandchild in a new session, its standard streams on /dev/null,
    and return in the caller at once. Without ``fork`` (Windows) ``work`` runs here."""
    if not hasattr(os, "fork"):
        work()
        return
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        for signum in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        # Claude Code is exiting or still at work: the recorder yields the CPU to it.
        with contextlib.suppress(OSError, AttributeError):
            os.nice(10)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        work()
    except BaseException:
        pass
    os._exit(0)


def _record(data: bytes, notify: bool) -> Callable[[], None]:
    def work() -> None:
        from claude_doctor.hooks.recorder import record

        record(data, notify=notify)

    return work


def read_file(path: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The input the hook's command line saved, then the file removed."""
    file = Path(path)
    try:
        with file.open("rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""
    finally:
        with contextlib.suppress(OSError):
            file.unlink()


def fast_args(args: list[str]) -> tuple[bool, str | None] | None:
    """``[--notify] [--input FILE]`` -> (notify, file); None for anything else (the CLI
    then parses it and says what is wrong)."""
    notify, path = False, None
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word == "--notify":
            notify = True
        elif word == "--input" and rest:
            path = rest.pop(0)
        else:
            return None
    return notify, path


def capture_main(args: list[str]) -> NoReturn:
    """``claude-doctor hook stop-failure [--notify] [--input FILE]``: read the input (the
    file, else stdin), detach the recorder, exit 0 whatever happens (Claude Code ignores
    a hook's exit; a failure here must not show there)."""
    try:
        parsed = fast_args(args)
        notify, path = parsed if parsed is not None else (False, None)
        data = read_file(path) if path else read_input()
        if data.strip():
            detach(_record(data, notify))
    except BaseException:
        pass
    os._exit(0)
