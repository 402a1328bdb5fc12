"""A real pseudo-terminal with a terminal emulator reading it: the screen as a person sees
it, at a chosen width (0 columns too: the pty then reports a 0x0 window, as ``script``,
``ssh -tt`` and CI ptys do).

``Terminal`` spawns ``claude-doctor`` under pexpect with the network guard loaded, feeds
everything it draws into a pyte screen tall enough that nothing scrolls away, and answers
questionary's prompts by the option's words (it reads where the pointer is), so a walk does
not depend on the order of the options.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pexpect
import pyte

from tests.kit.local import GUARD_DIR, ROOT, FakeHome

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
#: What the emulator shows when the pty reports no width: the program falls back to 80.
ZERO_WIDTH_SHOWN_AS = 80
_ROWS = 1000


class Terminal:
    """``claude-doctor ARGS`` in a pty of ``columns`` columns (0: a 0x0 window)."""

    def __init__(
        self, args: list[str], env: Mapping[str, str], cwd: Path, columns: int, rows: int = 50
    ) -> None:
        environ = dict(env)
        environ.update(
            PROMPT_TOOLKIT_NO_CPR="1",
            TERM="xterm",
            PYTHONPATH=os.pathsep.join([str(GUARD_DIR), str(ROOT)]),
            PYTHONDONTWRITEBYTECODE="1",
        )
        environ.pop("COLUMNS", None)
        environ.pop("LINES", None)
        self.screen = pyte.Screen(columns or ZERO_WIDTH_SHOWN_AS, _ROWS)
        self.stream = pyte.Stream(self.screen)
        self.raw: list[str] = []
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "claude_doctor", *args],
            env=environ,
            cwd=str(cwd),
            encoding="utf-8",
            codec_errors="replace",
            timeout=40,
            dimensions=(rows if columns else 0, columns),
        )
        self.child.logfile_read = self  # type: ignore[assignment]

    # pexpect's logfile protocol: everything read from the pty lands here.
    def write(self, data: str) -> None:
        self.raw.append(data)
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def wait_for(self, text: str) -> None:
        self.child.expect_exact(text)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def choose(self, prompt: str, option: str) -> None:
        """At the select ``prompt``, move the pointer to the option holding ``option`` and
        press Enter."""
        self.wait_for(prompt)
        # The options are drawn right after the prompt; wait for the wanted one.
        self.child.expect_exact(option)
        options = self._options_below(prompt)
        current = next(i for i, line in enumerate(options) if "»" in line)
        wanted = next(i for i, line in enumerate(options) if option in line)
        self.send((DOWN if wanted > current else UP) * abs(wanted - current) + ENTER)

    def _options_below(self, prompt: str) -> list[str]:
        """The lines under ``prompt`` once the pointer is drawn among them (the options can
        arrive before the pointer's line does)."""
        for _ in range(50):
            lines = self.text().splitlines()
            top = max(i for i, line in enumerate(lines) if prompt in line)
            options = lines[top + 1 :]
            if any("»" in line for line in options):
                return options
            with contextlib.suppress(pexpect.TIMEOUT):
                self.child.expect(r".+", timeout=0.1)
        raise AssertionError(f"no pointer under {prompt!r}:\n{self.text()}")

    def paste(self, prompt: str, text: str) -> None:
        self.wait_for(prompt)
        self.send(text + ENTER + ENTER)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)

    def text(self) -> str:
        """The screen as shown: trailing spaces and the empty rows below cut."""
        lines = [line.rstrip() for line in self.screen.display]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)


#: What a fake home's root (:func:`short_root`, always this long) reads as in a golden.
ROOT_SHOWN_AS = "/tmp/cd-XXXXXXXX"


def short_root() -> Path:
    """A fresh directory whose path is always as long as :data:`ROOT_SHOWN_AS`, so a path
    the terminal folds folds at the same place on every run."""
    return Path(tempfile.mkdtemp(prefix="cd-", dir="/tmp"))


def _refold(text: str, literal: str, shown: str) -> str:
    """``literal`` replaced by ``shown`` (as long) also where the terminal folded it."""
    pattern = "\n?".join(re.escape(c) for c in literal)

    def swap(match: re.Match[str]) -> str:
        chars = iter(shown)
        return "".join(c if c == "\n" else next(chars) for c in match.group())

    return re.sub(pattern, swap, text)


def stable(screen: str, home: FakeHome) -> str:
    """A screen with what differs from run to run or machine to machine replaced: the
    header's platform and run time (with its continuation lines), the fake home's path,
    the saved report's time stamp."""
    lines: list[str] = []
    in_header = False
    for line in screen.splitlines():
        if line.startswith("claude-doctor ") and " · " in line:
            lines.append("claude-doctor <version · platform · run time>")
            in_header = True
            continue
        if in_header and line.startswith("  "):
            continue
        in_header = False
        lines.append(line)
    text = _refold("\n".join(lines), str(home.root), ROOT_SHOWN_AS[: len(str(home.root))])
    # The saved report's name, even where the terminal folded it: each digit becomes 0, so
    # the folds stay where they were.
    name = "\n?".join("report-") + "[0-9TZ\n-]+" + "".join(f"\n?{re.escape(c)}" for c in ".json")
    return re.sub(name, lambda m: re.sub(r"[0-9]", "0", m.group()), text)


def fake_bin(home: FakeHome, claude_version: str | None, auth_status: str | None) -> str:
    """A PATH holding only ``sh`` and ``cat``, and a ``claude`` that answers ``--version``
    and ``auth status`` when a version is given (else Claude Code is not installed)."""
    import shlex

    bin_dir = home.root / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("sh", "cat"):
        link = bin_dir / tool
        if not link.exists():
            link.symlink_to(f"/bin/{tool}")
    if claude_version is not None:
        said = home.write(home.root / "claude-says.txt", (auth_status or "{}") + "\n")
        script = bin_dir / "claude"
        script.write_text(
            "#!/bin/sh\n"
            f'if [ "$1" = "--version" ]; then echo {shlex.quote(claude_version)}; exit 0; fi\n'
            f"cat {shlex.quote(str(said))}\n"
        )
        script.chmod(0o755)
    return str(bin_dir)


def spawn(args: list[str], env: Mapping[str, str], cwd: Path, timeout: float = 20) -> Any:
    """``claude-doctor ARGS`` in a plain pty (no emulator) with the network guard loaded and
    nothing that switches its prompts off: for answering one question by keys."""
    environ = {k: v for k, v in env.items() if k not in ("CLAUDE_DOCTOR_NO_INPUT", "CI")}
    environ.update(PYTHONPATH=os.pathsep.join([str(GUARD_DIR), str(ROOT)]), TERM="xterm")
    return pexpect.spawn(
        sys.executable,
        ["-m", "claude_doctor", *args],
        env=environ,
        cwd=str(cwd),
        encoding="utf-8",
        timeout=timeout,
    )
