"""``explain``: what a classified error means and the one first move, as text or JSON.

Pure functions of an :class:`~claude_doctor.model.ErrorSignal` (and, for a log, its
:class:`~claude_doctor.classify.LogSummary`); every string that leaves goes through the
:class:`~claude_doctor.redact.Redactor` first. The patterns themselves live in
``classify.py``; this module only says what each category means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from claude_doctor.classify import LogSummary
from claude_doctor.model import Branch, Category, ErrorSignal
from claude_doctor.redact import Redactor


@dataclass(frozen=True)
class Explanation:
    """What to tell a person about one kind of error."""

    words: str
    meaning: str
    first_move: str
    dont: str
    next_command: str


_SESSION_CMD = "claude-doctor check --only session"
_PAYLOAD_CMD = "claude-doctor payload FILE"

EXPLANATIONS: dict[Category, Explanation] = {
    Category.STATUS_OUTAGE: Explanation(
        "Server error (5xx) from Anthropic",
        "The API failed on its side while handling your request; it is usually temporary.",
        "Check the status page before changing anything locally, then retry the same request once.",
        "Do not reinstall, log out or rotate keys because of a 500.",
        "claude-doctor check --only status",
    ),
    Category.OVERLOADED: Explanation(
        "Overloaded (529)",
        "Anthropic's servers are at capacity for everyone right now; your setup is fine.",
        "Back off: wait a minute before one retry, or switch to a smaller model (/model).",
        "Do not hammer retries on a 529: every retry adds to the load and fails the same way.",
        "claude-doctor status",
    ),
    Category.RATE_LIMIT: Explanation(
        "Rate or usage limit (429)",
        "Your account, key or organization hit one of its limits.",
        "Wait until the limit resets (honour retry-after), then retry once.",
        "Do not retry in a tight loop: it keeps the limit hit.",
        "claude-doctor check --only route",
    ),
    Category.AUTH_INVALID_KEY: Explanation(
        "Invalid or missing API key (401)",
        "The API rejected the credential that was sent: a key that is wrong, revoked, or not "
        "the one you think is in use.",
        "Find out which credential is really sent (ANTHROPIC_API_KEY, apiKeyHelper, /login) "
        "and fix or remove the wrong one.",
        "Do not rotate keys before you know which credential is really used.",
        "claude-doctor check --only route",
    ),
    Category.AUTH_OAUTH_EXPIRED: Explanation(
        "Login expired or missing",
        "Your Claude login (OAuth token) expired, was revoked or is missing.",
        "Log in again: run /login in Claude Code (check the system clock if it keeps expiring).",
        "Do not set ANTHROPIC_API_KEY to work around a subscription login: it bills the key.",
        "claude-doctor check --only login",
    ),
    Category.PERMISSION: Explanation(
        "Permission denied (403)",
        "The credential works but is not allowed to do this: a model, an organization setting "
        "or your region.",
        "Check which account and organization the request runs as, and that it may use this "
        "model from where you are.",
        "Do not retry the same request: a 403 does not clear by itself.",
        "claude-doctor check --only route",
    ),
    Category.NOT_FOUND_MODEL: Explanation(
        "Model or endpoint not found (404)",
        "The model id does not exist for this account (retired, misspelled) or the base URL "
        "points at the wrong place.",
        "Pick a current model id (/model in Claude Code) and check ANTHROPIC_BASE_URL.",
        "Do not reinstall: the name in the request, not the install, is wrong.",
        "claude-doctor check --only route",
    ),
    Category.REQUEST_TOO_LARGE: Explanation(
        "Request too large (413)",
        "The request body is over the API's size limit (32 MB) or an image or PDF is over its "
        "own limit.",
        "Remove or shrink the large attachment (images, PDFs, pasted files) and send again.",
        "Do not resend the same body unchanged: it fails the same way.",
        _PAYLOAD_CMD,
    ),
    Category.CONTEXT_TOO_LONG: Explanation(
        "Prompt too long for the context window",
        "The conversation plus the answer's room no longer fit the model's context window.",
        "Compact or clear the conversation (/compact, /clear) or send less context.",
        "Do not keep retrying the same conversation: it only grows.",
        _PAYLOAD_CMD,
    ),
    Category.INVALID_REQUEST: Explanation(
        "Invalid request (400)",
        "The API refused the request's shape or content (for example a tool_use without its "
        "tool_result, a bad parameter or an unreadable image).",
        "Fix the part of the request the message names; in Claude Code start a fresh session.",
        "Do not resend the same body unchanged: it fails the same way.",
        _PAYLOAD_CMD,
    ),
    Category.NETWORK_DNS: Explanation(
        "DNS failure",
        "Your machine could not resolve the API's host name.",
        "Check DNS and VPN: resolve api.anthropic.com from this machine.",
        "Do not reinstall Claude Code; the network, not the install, fails.",
        "claude-doctor check --only network",
    ),
    Category.NETWORK_TLS: Explanation(
        "TLS certificate problem",
        "The secure connection failed certificate checks, most often because a corporate proxy "
        "or antivirus intercepts TLS with its own certificate.",
        "Trust your organization's CA properly (NODE_EXTRA_CA_CERTS / SSL_CERT_FILE) or ask IT "
        "to allowlist *.anthropic.com.",
        "Do not set NODE_TLS_REJECT_UNAUTHORIZED=0: it hides interception and is unsafe.",
        "claude-doctor check --only network",
    ),
    Category.NETWORK_CONNECTION: Explanation(
        "Connection failure",
        "The connection to the API was refused, reset or answered by something else (a proxy, "
        "firewall or captive portal).",
        "Find the failing layer: proxy settings, firewall, VPN, or a page answering instead of "
        "the API.",
        "Do not reinstall Claude Code; the network, not the install, fails.",
        "claude-doctor check --only network",
    ),
    Category.TIMEOUT: Explanation(
        "Timeout",
        "The request took too long: the network path is slow or blocked, or the response was "
        "very long.",
        "Check the network path and proxy; for long outputs use streaming.",
        "Do not only raise timeouts before you know which hop is slow.",
        "claude-doctor check --only network",
    ),
    Category.BILLING_CREDIT: Explanation(
        "Billing: credit balance too low",
        "The request was billed to an API key whose organization has no credit left; often a "
        "key in the environment shadows a subscription login.",
        "Check which credential is used; unset a stray ANTHROPIC_API_KEY or add credits to "
        "that organization.",
        "Do not buy credits before you know which organization the key belongs to.",
        "claude-doctor check --only route",
    ),
    Category.OTHER: Explanation(
        "Not a recognised Claude error",
        "Nothing in the text matches a known Claude, API, SDK or network error.",
        "Run the checks to look for a cause on this machine.",
        "Do not change several settings at once while retrying.",
        "claude-doctor check",
    ),
}

#: Finer advice for kinds users confuse.
KIND_EXPLANATIONS: dict[str, Explanation] = {
    "subscription_limit": Explanation(
        "Subscription usage limit (429)",
        "Your Claude plan's session, weekly or model limit is used up; it resets at the time "
        "shown.",
        "Wait for the reset time shown (or check /usage in Claude Code).",
        "Do not add an API key to get around it unless you mean to pay per token.",
        "claude  # then /usage",
    ),
    "server_throttle": Explanation(
        "Server-side throttling (429, not your usage limit)",
        "Anthropic is temporarily limiting requests; your own usage limit is not reached.",
        "Wait a little and retry once; check the status page if it persists.",
        "Do not hammer retries, and do not change plans or keys for this.",
        "claude-doctor status",
    ),
    "api_tier_limit": Explanation(
        "API rate limit of your key's tier (429)",
        "The key's organization exceeded its requests or tokens per minute.",
        "Honour retry-after, slow down, or raise the usage tier in the Console.",
        "Do not retry in a tight loop: it keeps the limit hit.",
        "claude-doctor check --only route",
    ),
    "spend_limit": Explanation(
        "Spend limit reached",
        "The organization, workspace or gateway reached its spend cap; retries fail until it "
        "resets.",
        "Raise the spend limit (Console or your gateway admin) or wait for the reset date.",
        "Do not retry: spend-limit 429s do not clear by retrying.",
        "claude-doctor check --only route",
    ),
    "gateway_error": Explanation(
        "Server error from your gateway or custom base URL",
        "The 5xx came from the gateway or proxy in ANTHROPIC_BASE_URL, not necessarily from "
        "Anthropic.",
        "Check the gateway's own logs and status; compare with the direct API.",
        "Do not assume an Anthropic incident before checking the gateway.",
        "claude-doctor check --only route",
    ),
}


def explanation_for(signal: ErrorSignal) -> Explanation:
    """The advice for ``signal``: by its kind when one is known, else by its category."""
    if signal.kind and signal.kind in KIND_EXPLANATIONS:
        return KIND_EXPLANATIONS[signal.kind]
    base = EXPLANATIONS[signal.category]
    if signal.branch is Branch.SESSION:
        return Explanation(
            base.words,
            base.meaning,
            "Start a fresh session (claude, not --continue) or /compact; the transcript "
            "resends what breaks.",
            "Do not keep resuming the failing session.",
            _SESSION_CMD,
        )
    return base


def explain_document(
    signal: ErrorSignal, summary: LogSummary | None, redactor: Redactor
) -> dict[str, Any]:
    """The ``explain --json`` document: the signal's fields, the advice, and for a log the
    counts by category and every request id. Redacted."""
    advice = explanation_for(signal)
    doc: dict[str, Any] = signal.to_dict()
    doc["category_words"] = advice.words
    doc["meaning"] = advice.meaning
    doc["first_move"] = advice.first_move
    doc["what_not_to_do"] = advice.dont
    doc["next_command"] = advice.next_command
    if summary is not None:
        log = summary.to_dict()
        doc["request_ids"] = log["request_ids"] or doc["request_ids"]
        doc["log"] = log
    redacted: dict[str, Any] = redactor.data(doc)
    return redacted


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_console(doc: dict[str, Any]) -> str:
    """Plain text for a terminal, from an already redacted document."""
    status = f" · HTTP {doc['http_status']}" if doc.get("http_status") else ""
    kind = f" · {doc['kind']}" if doc.get("kind") else ""
    lines = [
        f"Error:      {doc['category_words']} ({doc['category']}{kind}{status})",
        f"Branch:     {doc['branch']}",
        f"Meaning:    {doc['meaning']}",
        f"First move: {doc['first_move']}",
        f"Don't:      {doc['what_not_to_do']}",
        f"Next:       {doc['next_command']}",
    ]
    if doc.get("request_ids"):
        ids = doc["request_ids"]
        shown = ", ".join(ids[-3:])
        more = f" (and {len(ids) - 3} earlier)" if len(ids) > 3 else ""
        lines.append(f"Request id: {shown}{more}")
    if doc.get("occurred_at"):
        lines.append(f"When:       {doc['occurred_at']}")
    if doc.get("message") and doc["category"] != "other":
        message = " ".join(str(doc["message"]).split())
        if len(message) > 160:
            message = message[:157] + "..."
        lines.append(f"Message:    {message}")
    log = doc.get("log")
    if log and log.get("errors", 0) > 1:
        counts = ", ".join(f"{k} {v}" for k, v in log["counts"].items())
        lines.append(f"In the log: {log['errors']} errors ({counts}); the most recent is above.")
    return "\n".join(lines) + "\n"


class ExplainInputError(ValueError):
    """The input cannot be explained: none given, empty, or unreadable."""


def explain_input(
    text: str | None, file: Path | None, stdin: BinaryIO | None
) -> tuple[ErrorSignal, LogSummary | None]:
    """Classify TEXT, or the file, or stdin (streamed). Returns the signal to explain and,
    for a log (a file, stdin, or text with several errors), its summary."""
    from claude_doctor.classify import classify, classify_lines, classify_stream

    if text is not None and file is not None:
        raise ExplainInputError("give the error text or --file, not both")
    if text is not None:
        summary = classify_lines(text.splitlines())
        summary.bytes_read = len(text.encode("utf-8", "replace"))
    elif file is not None:
        try:
            with file.open("rb") as stream:
                summary = classify_stream(stream)
        except IsADirectoryError:
            raise ExplainInputError(f"{file} is a directory, not a file") from None
        except FileNotFoundError:
            raise ExplainInputError(f"{file}: no such file") from None
        except PermissionError:
            raise ExplainInputError(f"{file}: permission denied") from None
        except OSError as exc:
            raise ExplainInputError(f"{file}: cannot read: {exc.strerror or exc}") from None
    elif stdin is None:
        raise ExplainInputError("nothing to explain: give the error text, --file, or pipe it in")
    else:
        summary = classify_stream(stdin)
    blank_text = text is not None and not text.strip()
    if summary.signal is None and (summary.bytes_read == 0 or blank_text):
        raise ExplainInputError("nothing to explain: the input is empty")
    signal = summary.signal
    if signal is None:
        if text is not None:
            signal = classify(text)
        else:
            what = "binary data" if summary.binary else f"{summary.lines} lines"
            signal = classify(f"no recognisable Claude error in {what}")
    log = summary if (text is None or summary.errors > 1) else None
    return signal, log
