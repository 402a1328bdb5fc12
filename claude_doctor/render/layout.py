"""Lines that fit a width: text wrapped at spaces only, with a hanging indent, and never
inside a word, a command or a path.

A command (`` `claude-doctor report --last` ``, ``(claude-doctor check --error '...')``) or
a path longer than the room left stays whole on a line of its own and runs past the edge:
a terminal that wraps it still copies it as one line, a hard break would not. A width of
None means no wrapping at all (output going to a file or a pipe).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

#: Spans kept whole wherever they are: backticked commands, a parenthesised command.
_WHOLE = re.compile(r"`[^`\n]+`|\((?:claude|claude-doctor) [^()\n]*\)")
#: The least room a continuation line keeps, however deep its indent.
_MIN_ROOM = 16


def _protected(plain: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _WHOLE.finditer(plain)]
    for part in keep:
        if not part:
            continue
        start = plain.find(part)
        while start >= 0:
            spans.append((start, start + len(part)))
            start = plain.find(part, start + len(part))
    return spans


def _words(plain: str, protected: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where each word starts and ends; a protected span's spaces do not end a word."""
    inside = [False] * len(plain)
    for start, end in protected:
        for i in range(start, end):
            inside[i] = True
    words: list[tuple[int, int]] = []
    i = 0
    while i < len(plain):
        if plain[i] == " ":
            i += 1
            continue
        start = i
        while i < len(plain) and (plain[i] != " " or inside[i]):
            i += 1
        words.append((start, i))
    return words


def fit(line: Text, width: int | None, indent: int = 2, keep: Iterable[str] = ()) -> list[Text]:
    """``line`` broken into lines of at most ``width`` cells where it can be: breaks only
    at spaces, continuation lines indented by ``indent``, the ``keep`` parts and commands
    never broken."""
    plain = line.plain
    if width is None or cell_len(plain) <= width:
        return [line]
    indent = max(0, min(indent, width - _MIN_ROOM))
    words = _words(plain, _protected(plain, keep))
    lines: list[tuple[int, int]] = []
    start, end = 0, 0
    room = width
    for w_start, w_end in words:
        if end == 0 and not lines:
            end = w_end
            continue
        if cell_len(plain[start:w_end]) <= room:
            end = w_end
            continue
        lines.append((start, end))
        start, end = w_start, w_end
        room = width - indent
    lines.append((start, end))
    out: list[Text] = []
    for n, (a, b) in enumerate(lines):
        piece = line[a:b]
        if n:
            piece = Text(" " * indent) + piece
        out.append(piece)
    return out


def fit_plain(text: str, width: int | None, indent: int = 2) -> str:
    """Plain ``text`` (lines of it) fitted like :func:`fit`, each line ending in a newline
    (``text`` ending in one gives an empty line after it)."""
    out: list[str] = []
    for line in text.split("\n"):
        out += [piece.plain for piece in fit(Text(line), width, indent)]
    return "".join(f"{line}\n" for line in out)


class Printer:
    """Prints lines fitted to the width (:func:`fit`) on a rich console."""

    def __init__(self, console: Console, width: int | None) -> None:
        self.console = console
        self.width = width

    def line(self, text: Text | str = "", indent: int = 2, keep: tuple[str, ...] = ()) -> None:
        line = text if isinstance(text, Text) else Text(text)
        for piece in fit(line, self.width, indent, keep):
            self.console.print(piece, soft_wrap=True)

    def command(self, step: str) -> None:
        """``  $ command  # comment``; where that does not fit, the comment goes on the
        next line so the command stays whole and copyable."""
        command, _, comment = step.partition("  #")
        if self.width is None or not comment or len(step) + 4 <= self.width:
            self.whole(Text(f"  $ {step}"))
            return
        self.whole(Text(f"  $ {command.rstrip()}"))
        self.line(Text(f"    #{comment}", style="dim"), indent=6)

    def whole(self, text: Text | str) -> None:
        """A line that is never broken: a command to copy."""
        self.console.print(text if isinstance(text, Text) else Text(text), soft_wrap=True)
