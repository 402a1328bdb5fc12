"""How a command meets its process: the standard streams, and the signals that stop a run.

**Streams.** A standard descriptor that is closed at start is reopened on ``/dev/null``, so
no file the tool opens takes its number. stdout and stderr are wrapped: a write that fails
(a closed or full stdout, a reader that went away, a terminal that hung up) is remembered
and the rest of the output dropped, never raised, so a run still ends by its own result;
:func:`exit_code` then says 74 when stdout could not be written (not for a reader that
stopped reading: that is its choice). Text the stream's encoding cannot hold (ASCII,
Latin-1, a lone surrogate) falls back to ASCII: ``✗`` to ``x``, ``·`` to ``-``, ``→`` to
``->``, anything else to ``?``.

**Signals.** SIGINT, SIGTERM and SIGHUP during :func:`run` cancel the run's work, which may
keep what finished (the checks do: the report is saved marked interrupted); outside a run
they end the command at once. Either way the exit code is 128 + the signal's number (130,
143, 129) and :class:`Interrupted` carries it.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

#: stdout could not be written (closed, full, an I/O error): sysexits' EX_IOERR.
OUTPUT_FAILED = 74
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
SIGNAL_NAMES = {
    int(signal.SIGINT): "Ctrl-C",
    int(signal.SIGTERM): "SIGTERM",
    int(signal.SIGHUP): "SIGHUP",
}
ERROR_HANDLER = "claude_doctor.ascii"
#: What a character the output's encoding cannot hold becomes.
ASCII_FALLBACK = {
    "✓": "+",
    "✗": "x",
    "·": "-",
    "•": "*",
    "—": "-",
    "–": "-",
    "→": "->",
    "←": "<-",
    "…": "...",
    "⏱": "~",
    "‼": "?",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "⠋": "-",
    "×": "x",
    "≥": ">=",
    "≤": "<=",
}


class Interrupted(Exception):
    """The command was stopped by a signal; ``code`` is its exit code."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum
        self.code = 128 + signum


def signal_name(signum: int) -> str:
    return SIGNAL_NAMES.get(int(signum), f"signal {signum}")


class _State:
    received: int | None = None


STATE = _State()


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    return "".join(ASCII_FALLBACK.get(ch, "?") for ch in text), exc.end


class GuardedStream(io.TextIOBase):
    """A text stream whose failed writes are remembered (``lost``), not raised."""

    def __init__(self, inner: TextIO, *, closed_at_start: bool = False) -> None:
        self.inner = inner
        self.closed_at_start = closed_at_start
        self.lost: OSError | None = None

    def _lose(self, exc: OSError) -> None:
        if self.lost is None:
            self.lost = exc
        # What is still buffered goes nowhere, so the final flush at exit cannot fail.
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.inner.fileno())
            os.close(null)

    def write(self, text: str) -> int:
        if self.closed_at_start and self.lost is None and text:
            self._lose(OSError(errno.EBADF, "it is closed"))
        if self.lost is None:
            try:
                self.inner.write(text)
            except OSError as exc:
                self._lose(exc)
        return len(text)

    def flush(self) -> None:
        if self.lost is None:
            try:
                self.inner.flush()
            except OSError as exc:
                self._lose(exc)

    def isatty(self) -> bool:
        return self.lost is None and not self.closed_at_start and self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _reopen_closed(fd: int) -> bool:
    """Put ``/dev/null`` on ``fd`` if it is closed; whether it was."""
    try:
        os.fstat(fd)
        return False
    except OSError:
        pass
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)
    return True


def _guard(stream: TextIO | None, fd: int) -> GuardedStream:
    closed = _reopen_closed(fd) or stream is None
    if stream is None or isinstance(stream, GuardedStream):
        if isinstance(stream, GuardedStream):
            return stream
        stream = open(fd, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
        stream.reconfigure(errors=ERROR_HANDLER)  # type: ignore[attr-defined]
    return GuardedStream(stream, closed_at_start=closed and fd == 1)


def prepare_streams() -> None:
    """Make the standard streams safe for the whole command (see the module's docstring)."""
    try:
        codecs.lookup_error(ERROR_HANDLER)
    except LookupError:
        codecs.register_error(ERROR_HANDLER, _fallback)
    _reopen_closed(0)
    sys.stdout = _guard(sys.stdout, 1)
    sys.stderr = _guard(sys.stderr, 2)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, _raise_interrupted)


def _raise_interrupted(signum: int, _frame: object) -> None:
    STATE.received = STATE.received or signum
    raise Interrupted(signum)


def stdout_lost() -> OSError | None:
    """Why stdout could not be written, unless the reader only went away (a broken pipe)."""
    out = sys.stdout
    lost = out.lost if isinstance(out, GuardedStream) else None
    if lost is None or isinstance(lost, BrokenPipeError) or lost.errno == errno.EPIPE:
        return None
    return lost


def exit_code(code: int) -> int:
    """The command's exit code, 74 when its result could not be written to stdout."""
    lost = stdout_lost()
    if lost is None or code not in (0, 1):
        return code
    why = lost.strerror or str(lost)
    sys.stderr.write(f"claude-doctor: could not write the output to stdout: {why}\n")
    sys.stderr.flush()
    return OUTPUT_FAILED


def received() -> int | None:
    """The signal that stopped the run, if one did."""
    return STATE.received


def run(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on an event loop; SIGINT, SIGTERM and SIGHUP cancel it. Work that
    handles the cancellation returns what it has (and :func:`received` names the signal);
    work that does not ends in :class:`Interrupted`."""
    import asyncio

    async def main() -> T:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()

        def stop(signum: int) -> None:
            STATE.received = STATE.received or signum
            if task is not None:
                task.cancel()

        before = {signum: signal.getsignal(signum) for signum in SIGNALS}
        installed = []
        for signum in SIGNALS:
            with contextlib.suppress(ValueError, OSError, RuntimeError, NotImplementedError):
                loop.add_signal_handler(signum, stop, signum)
                installed.append(signum)
        try:
            return await work
        finally:
            for signum in installed:
                loop.remove_signal_handler(signum)
                if before[signum] is not None:
                    signal.signal(signum, before[signum])

    try:
        return asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        raise Interrupted(STATE.received or signal.SIGINT) from None


def dispatch(call: Callable[[], object]) -> int:
    """Run the parsed command line and map every way out to its exit code: a signal or
    Ctrl-C (130, 143, 129), a usage error (2), the tool's own failure (3, one line, no
    traceback)."""
    from typer import _click, exceptions

    try:
        result = call()
    except (KeyboardInterrupt, exceptions.Abort):
        sys.stderr.write("\nclaude-doctor: interrupted\n")
        return 128 + signal.SIGINT
    except Interrupted as exc:
        sys.stderr.write(f"\nclaude-doctor: interrupted ({exc})\n")
        return exc.code
    except exceptions.Exit as exc:
        return int(exc.exit_code)
    except _click.exceptions.ClickException as exc:
        exc.show()
        return 2 if exc.exit_code == 2 else int(exc.exit_code)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the tool's own failure: say so, no traceback
        sys.stderr.write(
            f"claude-doctor: internal error: {type(exc).__name__}: {exc}\n"
            "Please report this at the project's issue tracker.\n"
        )
        return 3
    return result if isinstance(result, int) else 0
