"""Error text -> :class:`~claude_doctor.model.ErrorSignal`: the one classifier of the tool.

Every pattern that recognises a Claude error lives in this package (the rest of the tool
imports :func:`classify`, :func:`classify_lines` or :func:`classify_stream`; nothing keeps a
second copy). The wording comes from Claude Code, claude.ai and Desktop, the API's error
bodies, the Python and TypeScript SDKs, the cloud providers (Amazon Bedrock, Google Vertex
AI) and the tools around them, Node/OS network errors, curl, CDNs, gateways and proxies, in
their current and older forms (see FACTS.md §2 and §4).

How a text is read:

* It is split into physical lines, ANSI colour codes and carriage returns are dropped, and
  lines a terminal (or Claude Code's ``⎿`` block, or a paste) wrapped are joined again: an
  indented line continues the one before unless it starts a new message of its own; a line
  that leaves a JSON string or a bracket open, breaks off mid-sentence or announces a body
  goes on on the next line unless that one starts a new record (:mod:`.wrapping`); a blank
  line inside an HTML page does not end the page.
* Structure first: in each joined ("logical") line :mod:`.structure` finds what is built
  to be read: a cloud provider's exception name or canonical code (``ThrottlingException``,
  ``RESOURCE_EXHAUSTED``, ``google.api_core.exceptions.X``), curl's ``curl: (N)``, a Node
  or OpenSSL error code, an HTML page's title and the signature of the CDN, reverse proxy or
  filtering proxy that sent it, an MCP server's failure or a tool's wrapper around Claude
  Code's exit (those are ``other``: not API errors). Then the phrase rules of :mod:`.phrases`
  read the words; the most specific match in the line wins (a message text beats an
  exception name or ``error.type``, which beats a bare HTTP status; an HTML page's own
  status beats the status of what wrapped it). A line no rule names is read last by
  :mod:`.meaning`: what its words mean in any wording, a weak match.
* Across lines: the most recent error wins, with two exceptions. A less specific match
  that retells the chosen error does not replace it: one of the same family (an expired
  login, then "Invalid authentication credentials"; a DNS failure, then "Connection
  error"), or any later link of the same exception chain (after Python's "The above
  exception was the direct cause…" or "During handling of…", TypeScript's ``[cause]:``,
  Java's ``Caused by:``; a new time-stamped record ends the chain). And a text that is not
  an API error never replaces one. A weak match (a bare phrase such as "Internal server
  error" in prose, a bare status) only counts when no line says anything stronger.
  :func:`classify_lines` counts every error by category all the same.

Speed: a log is read in 1 MiB blocks; a cheap prefilter (one Aho-Corasick pass for its
literals over the lower-cased block) finds the lines worth a closer look, and only those
are decoded and matched. Memory stays flat: a line longer than :data:`MAX_LINE` is cut
into pieces, and the request ids kept are capped at :data:`MAX_REQUEST_IDS`.

Its modules: :mod:`.phrases_quota`, :mod:`.phrases`, :mod:`.phrases_relay`,
:mod:`.phrases_request` and :mod:`.phrases_network` (which words mean which category and
kind), :mod:`.codes` (which codes and class names mean which), :mod:`.meaning` (the weak
reading of words no rule names),
:mod:`.rules` (the families, the priorities, the status tables and the branch each category
leads to: a cloud provider's quota, outage or credentials kind leads to ``route``),
:mod:`.structure` (the structures read before the words), :mod:`.patterns` (what else a
line says, the prefilter), :mod:`.line` (one logical line -> its best match and the
signal's fields), :mod:`.wrapping` (physical lines -> logical lines) and :mod:`.logs`
(bytes -> logical lines -> one :class:`LogSummary`; :func:`classify` for one text).
"""

from claude_doctor.classify.logs import (
    CHUNK,
    MAX_REQUEST_IDS,
    LogSummary,
    classify,
    classify_chunks,
    classify_lines,
    classify_stream,
)
from claude_doctor.classify.rules import CATEGORY_BRANCH, branch_for
from claude_doctor.classify.wrapping import MAX_LINE

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
