"""Error text -> :class:`~claude_doctor.model.ErrorSignal`: the one classifier of the tool.

Every pattern that recognises a Claude error lives in this package (the rest of the tool
imports :func:`classify`, :func:`classify_lines` or :func:`classify_stream`; nothing keeps a
second copy). The wording comes from Claude Code, the API's error bodies, the Python and
TypeScript SDKs, Node/OS network errors, curl and HTML pages put in the API's place, in
their current and older forms (see FACTS.md §2 and §4).

How a text is read:

* It is split into physical lines, ANSI colour codes and carriage returns are dropped, and
  lines a terminal (or Claude Code's ``⎿`` block) wrapped are joined again: an indented line
  continues the one before unless it starts a new message of its own.
* Each joined ("logical") line is matched against the rules; within a line the most
  specific rule wins (a message text beats an ``error.type``, which beats a bare HTTP status).
* Across lines the most recent error wins. A bare phrase ("Internal server error" in
  prose) only counts when no line says anything more specific.

Speed: a log is read in 1 MiB blocks; a cheap prefilter (a few substring scans over the
lower-cased block) finds the lines worth a closer look, and only those are decoded and
matched. Memory stays flat: a line longer than :data:`MAX_LINE` is cut into pieces, and
the request ids kept are capped at :data:`MAX_REQUEST_IDS`.

Its modules: :mod:`.rules` (which words mean which category, and the branch each leads to),
:mod:`.patterns` (what else a line says, the prefilter), :mod:`.line` (one logical line ->
its best match and the signal's fields) and :mod:`.logs` (bytes -> logical lines -> one
:class:`LogSummary`; :func:`classify` for one text).
"""

from claude_doctor.classify.logs import (
    CHUNK,
    MAX_LINE,
    MAX_REQUEST_IDS,
    LogSummary,
    classify,
    classify_chunks,
    classify_lines,
    classify_stream,
)
from claude_doctor.classify.rules import CATEGORY_BRANCH, branch_for

__all__ = [
    "CATEGORY_BRANCH",
    "CHUNK",
    "MAX_LINE",
    "MAX_REQUEST_IDS",
    "LogSummary",
    "branch_for",
    "classify",
    "classify_chunks",
    "classify_lines",
    "classify_stream",
]
