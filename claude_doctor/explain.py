"""``explain``: what a classified error means, the one first move and what not to do.

The advice per error category (and per kind users confuse) in that category's own words; a
first move or warning a category does not give is its branch's, read from the branch's
playbook (:mod:`claude_doctor.board`), and a request error from a Claude Code session takes
the session playbook's. :func:`explain_input` reads and classifies the text, a file or stdin;
:func:`explain_document` builds the ``explain`` document, redacted, which
:mod:`claude_doctor.render.explain` turns into text or JSON. The patterns themselves live in
:mod:`claude_doctor.classify`; this module only says what each category means.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from claude_doctor.board import PLAYBOOKS
from claude_doctor.classify import CATEGORY_BRANCH, LogSummary
from claude_doctor.model import GATEWAY_KIND, Branch, Category, ErrorSignal
from claude_doctor.redact import Redactor


@dataclass(frozen=True)
class Explanation:
    """What one category of error means, in its own words. A first move or warning it leaves
    out (``None``) is its branch's, from the branch's playbook."""

    #: The category in a few words ("DNS failure").
    words: str
    #: What the error means.
    meaning: str
    #: The one command to run next.
    next_command: str
    #: The category's own first move; ``None``: its branch's.
    first_move: str | None = None
    #: The category's own warning of what not to do; ``None``: its branch's first.
    dont: str | None = None


@dataclass(frozen=True)
class Advice:
    """What ``explain`` tells a person about one error: an :class:`Explanation` with nothing
    left out."""

    words: str
    meaning: str
    first_move: str
    dont: str
    next_command: str


_SESSION_CMD = "claude-doctor check --only session"
_PAYLOAD_CMD = "claude-doctor payload FILE"
_NETWORK_CMD = "claude-doctor check --only network"
_ROUTE_CMD = "claude-doctor check --only route"
#: The network playbook's warning that the install is not what fails.
_NOT_THE_INSTALL = PLAYBOOKS[Branch.NETWORK].what_not_to_do[1]
#: The rate-limit playbook's warning against retrying in a loop.
_NO_TIGHT_LOOP = PLAYBOOKS[Branch.RATE_LIMIT].what_not_to_do[0]

EXPLANATIONS: dict[Category, Explanation] = {
    Category.STATUS_OUTAGE: Explanation(
        "Server error (5xx) from Anthropic",
        "The API failed on its side while handling your request; it is usually temporary.",
        "claude-doctor check --only status",
        first_move=(
            "Check the status page before changing anything locally, then retry the same "
            "request once."
        ),
        dont="Do not reinstall, log out or rotate keys because of a 500.",
    ),
    Category.OVERLOADED: Explanation(
        "Overloaded (529)",
        "Anthropic's servers are at capacity for everyone right now; your setup is fine.",
        "claude-doctor status",
    ),
    Category.RATE_LIMIT: Explanation(
        "Rate or usage limit (429)",
        "Your account, key or organization hit one of its limits.",
        _ROUTE_CMD,
    ),
    Category.AUTH_INVALID_KEY: Explanation(
        "Invalid or missing API key (401)",
        "The API rejected the credential that was sent: a key that is wrong, revoked, or not "
        "the one you think is in use.",
        _ROUTE_CMD,
        first_move=(
            "Find out which credential is really sent (ANTHROPIC_API_KEY, apiKeyHelper, /login) "
            "and fix or remove the wrong one."
        ),
    ),
    Category.AUTH_OAUTH_EXPIRED: Explanation(
        "Login expired or missing",
        "Your Claude login (OAuth token) expired, was revoked or is missing.",
        "claude-doctor check --only login",
        first_move=(
            "Log in again: run /login in Claude Code (check the system clock if it keeps expiring)."
        ),
    ),
    Category.PERMISSION: Explanation(
        "Permission denied (403)",
        "The credential works but is not allowed to do this: a model, an organization setting "
        "or your region.",
        _ROUTE_CMD,
        first_move=(
            "Check which account and organization the request runs as, and that it may use "
            "this model from where you are."
        ),
        dont="Do not retry the same request: a 403 does not clear by itself.",
    ),
    Category.NOT_FOUND_MODEL: Explanation(
        "Model or endpoint not found (404)",
        "The model id does not exist for this account (retired, misspelled) or the base URL "
        "points at the wrong place.",
        _ROUTE_CMD,
        first_move="Pick a current model id (/model in Claude Code) and check ANTHROPIC_BASE_URL.",
        dont="Do not reinstall: the name in the request, not the install, is wrong.",
    ),
    Category.REQUEST_TOO_LARGE: Explanation(
        "Request too large (413)",
        "The request body is over the API's size limit (32 MB) or an image or PDF is over its "
        "own limit.",
        _PAYLOAD_CMD,
        first_move=(
            "Remove or shrink the large attachment (images, PDFs, pasted files) and send again."
        ),
    ),
    Category.CONTEXT_TOO_LONG: Explanation(
        "Prompt too long for the context window",
        "The conversation plus the answer's room no longer fit the model's context window.",
        _PAYLOAD_CMD,
        first_move="Compact or clear the conversation (/compact, /clear) or send less context.",
        dont="Do not keep retrying the same conversation: it only grows.",
    ),
    Category.INVALID_REQUEST: Explanation(
        "Invalid request (400)",
        "The API refused the request's shape or content (for example a tool_use without its "
        "tool_result, a bad parameter or an unreadable image).",
        _PAYLOAD_CMD,
        first_move=(
            "Fix the part of the request the message names; in Claude Code start a fresh session."
        ),
    ),
    Category.NETWORK_DNS: Explanation(
        "DNS failure",
        "Your machine could not resolve the API's host name.",
        _NETWORK_CMD,
        first_move="Check DNS and VPN: resolve api.anthropic.com from this machine.",
        dont=_NOT_THE_INSTALL,
    ),
    Category.NETWORK_TLS: Explanation(
        "TLS certificate problem",
        "The secure connection failed certificate checks, most often because a corporate proxy "
        "or antivirus intercepts TLS with its own certificate.",
        _NETWORK_CMD,
        first_move=(
            "Trust your organization's CA properly (NODE_EXTRA_CA_CERTS / SSL_CERT_FILE) or ask "
            "IT to allowlist *.anthropic.com."
        ),
    ),
    Category.NETWORK_CONNECTION: Explanation(
        "Connection failure",
        "The connection to the API was refused, reset or answered by something else (a proxy, "
        "firewall or captive portal).",
        _NETWORK_CMD,
        first_move=(
            "Find the failing layer: proxy settings, firewall, VPN, or a page answering instead "
            "of the API."
        ),
        dont=_NOT_THE_INSTALL,
    ),
    Category.TIMEOUT: Explanation(
        "Timeout",
        "The request took too long: the network path is slow or blocked, or the response was "
        "very long.",
        _NETWORK_CMD,
        first_move="Check the network path and proxy; for long outputs use streaming.",
        dont="Do not only raise timeouts before you know which hop is slow.",
    ),
    Category.BILLING_CREDIT: Explanation(
        "Billing: credit balance too low",
        "The request was billed to an API key whose organization has no credit left; often a "
        "key in the environment shadows a subscription login.",
        _ROUTE_CMD,
        first_move=(
            "Check which credential is used; unset a stray ANTHROPIC_API_KEY or add credits to "
            "that organization."
        ),
        dont="Do not buy credits before you know which organization the key belongs to.",
    ),
    Category.OTHER: Explanation(
        "Not a recognised Claude error",
        "Nothing in the text matches a known Claude, API, SDK or network error.",
        "claude-doctor check",
        first_move="Run the checks to look for a cause on this machine.",
    ),
}

#: Finer advice for kinds users confuse, whole: a kind says its own first move and warning.
KIND_EXPLANATIONS: dict[str, Advice] = {
    "subscription_limit": Advice(
        "Subscription usage limit (429)",
        "Your Claude plan's session, weekly or model limit is used up; it resets at the time "
        "shown.",
        first_move="Wait for the reset time shown (or check /usage in Claude Code).",
        dont="Do not add an API key to get around it unless you mean to pay per token.",
        next_command="claude  # then /usage",
    ),
    "server_throttle": Advice(
        "Server-side throttling (429, not your usage limit)",
        "Anthropic is temporarily limiting requests; your own usage limit is not reached.",
        first_move="Wait a little and retry once; check the status page if it persists.",
        dont="Do not hammer retries, and do not change plans or keys for this.",
        next_command="claude-doctor status",
    ),
    "api_tier_limit": Advice(
        "API rate limit of your key's tier (429)",
        "The key's organization exceeded its requests or tokens per minute.",
        first_move="Honour retry-after, slow down, or raise the usage tier in the Console.",
        dont=_NO_TIGHT_LOOP,
        next_command=_ROUTE_CMD,
    ),
    "spend_limit": Advice(
        "Spend limit reached",
        "The organization, workspace or gateway reached its spend cap; retries fail until it "
        "resets.",
        first_move=(
            "Raise the spend limit (Console or your gateway admin) or wait for the reset date."
        ),
        dont="Do not retry: spend-limit 429s do not clear by retrying.",
        next_command=_ROUTE_CMD,
    ),
    GATEWAY_KIND: Advice(
        "Server error from your gateway or custom base URL",
        "The 5xx came from the gateway or proxy in ANTHROPIC_BASE_URL, not necessarily from "
        "Anthropic.",
        first_move="Check the gateway's own logs and status; compare with the direct API.",
        dont="Do not assume an Anthropic incident before checking the gateway.",
        next_command=_ROUTE_CMD,
    ),
    "bedrock_throttle": Advice(
        "Amazon Bedrock throttling (ThrottlingException)",
        "Bedrock refused the call under your AWS account's quota for this model (requests or "
        "tokens per minute); Anthropic's own limits are not involved.",
        first_move=(
            "Check the model's quotas in AWS Service Quotas for this region and ask for more, "
            "or use a cross-region inference profile; retry with backoff meanwhile."
        ),
        dont="Do not change your Anthropic plan or key: the quota is your AWS account's.",
        next_command=_ROUTE_CMD,
    ),
    "vertex_quota": Advice(
        "Vertex AI quota exhausted (RESOURCE_EXHAUSTED)",
        "Google Cloud refused the call under your project's quota for this model and region.",
        first_move=(
            "Check the model's quota in the Google Cloud console (IAM & Admin, Quotas) for this "
            "region and request an increase, or use another region or the global endpoint."
        ),
        dont="Do not change your Anthropic plan or key: the quota is your Google project's.",
        next_command=_ROUTE_CMD,
    ),
    "cloud_model_access": Advice(
        "No access to the model on your cloud account",
        "The cloud account or role may not invoke this model: model access is not enabled, "
        "or IAM (or AWS Marketplace) permissions are missing.",
        first_move=(
            "Enable the model for the account (Bedrock: Model access; Vertex: Model Garden) and "
            "give the role permission to invoke it."
        ),
        dont="Do not rotate Anthropic keys: the cloud account's access is what is missing.",
        next_command=_ROUTE_CMD,
    ),
    "cloud_inference_profile": Advice(
        "Model needs an inference profile (Bedrock)",
        "This model cannot be called on demand by its bare id in this region; Bedrock wants "
        "the id or ARN of an inference profile that contains it.",
        first_move=(
            "Call the model through its inference profile id (e.g. us.anthropic.claude-…) "
            "instead of the bare model id."
        ),
        dont="Do not request quota or access for this: the id is what is wrong.",
        next_command=_ROUTE_CMD,
    ),
    "cloud_model_id": Advice(
        "Model id not valid on this provider",
        "The cloud provider does not know this model id, or not in this region or deployment.",
        first_move=(
            "Use the model id exactly as the provider's console lists it for your region "
            "(Bedrock ids end in -v1:0, Vertex ids carry @date)."
        ),
        dont="Do not reinstall: the name in the request, not the install, is wrong.",
        next_command=_ROUTE_CMD,
    ),
    "org_policy": Advice(
        "Blocked by your organization's policy",
        "An administrator's policy refuses this (an organization setting, an IAM or "
        "service-control policy, an IP restriction); your own setup is not at fault.",
        first_move="Ask your organization's admin to allow it, or use a credential it allows.",
        dont="Do not keep retrying or reinstalling: the policy does not change by itself.",
        next_command=_ROUTE_CMD,
    ),
    "proxy_block": Advice(
        "A corporate proxy blocked the request",
        "A filtering proxy answered with its own block page instead of letting the request "
        "reach the API.",
        first_move="Ask IT to allow api.anthropic.com (and claude.ai) through the proxy.",
        dont="Do not reinstall or change keys: the request never reached Anthropic.",
        next_command=_NETWORK_CMD,
    ),
    "cdn_timeout": Advice(
        "Gateway timeout at the edge (504/524)",
        "A CDN or gateway in front of the API gave up waiting for an answer; the request may "
        "still have run.",
        first_move=(
            "Retry once; for long requests use streaming so the edge sees data early, and check "
            "the status page if many requests fail this way."
        ),
        dont="Do not treat it as a broken connection: the network path to the edge works.",
        next_command="claude-doctor check --only status",
    ),
    "max_tokens": Advice(
        "max_tokens above the model's output limit",
        "The request asks the model to write more tokens than it can; the prompt is not the "
        "problem.",
        first_move=(
            "Lower max_tokens to the limit the error names (in Claude Code, unset or lower "
            "CLAUDE_CODE_MAX_OUTPUT_TOKENS)."
        ),
        dont="Do not compact or clear the conversation: its length is not what is refused.",
        next_command="claude-doctor payload FILE",
    ),
    "aws_credentials": Advice(
        "AWS credentials rejected",
        "The AWS security token or keys sent with the request are invalid or expired.",
        first_move=(
            "Refresh the AWS credentials the client uses (aws sso login, AWS_PROFILE, or new "
            "keys) and check the region."
        ),
        dont="Do not change Anthropic keys: Bedrock authenticates with AWS credentials.",
        next_command=_ROUTE_CMD,
    ),
    "mcp_server": Advice(
        "MCP server failure (not an API error)",
        "An MCP server failed to start, timed out or disconnected; Claude and its API are fine.",
        first_move=(
            "Read the server's own log (mcp-server-NAME.log) and run its command from the "
            "config by hand to see why it stops."
        ),
        dont="Do not log out or change keys: the API is not involved.",
        next_command="claude-doctor check",
    ),
    "wrapper_exit": Advice(
        "A tool reported that Claude Code exited",
        "The tool around Claude Code saw it exit; its list of usual causes is a guess, not "
        "the error.",
        first_move="Run claude directly in a terminal to see its own error, then explain that.",
        dont="Do not work through the tool's list of causes one by one.",
        next_command="claude-doctor check",
    ),
    "extra_usage": Advice(
        "Extra usage needed (a plan's usage gate)",
        "What was asked (such as a 1M-token context) needs extra usage, paid beyond the plan, "
        "and it is not turned on.",
        first_move="Turn on extra usage at claude.ai/settings/usage (or /extra-usage in Claude "
        "Code), or switch to a standard-context model with /model.",
        dont="Do not retry or wait for a reset: this gate does not reset by itself.",
        next_command="claude-doctor check --only route",
    ),
    "install": Advice(
        "A missing package or command (not an API error)",
        "A module, package or command the tool needs is not installed where it runs; no "
        "request reached the API.",
        first_move="Install what the message names (its pip or npm line) in the environment "
        "the tool runs in, then try again.",
        dont="Do not change keys or models: the request never left.",
        next_command="claude-doctor check",
    ),
    "client_bug": Advice(
        "A bug in the client (not the network or the API)",
        "The tool failed in its own code (a JavaScript TypeError) before or while sending; "
        'the "Connection error" above it is how it reports that, not a network failure.',
        first_move="Update the tool (or go back to the last version that worked); if it "
        "persists, report the TypeError to the tool's project.",
        dont="Do not change the network, proxy or keys: the request failed inside the tool.",
        next_command="claude-doctor check",
    ),
    "local_files": Advice(
        "A local file or settings problem (not an API error)",
        "The tool could not open one of its own files, or rejected its settings; the API is "
        "not involved.",
        first_move="Fix the file the message names: its owner and mode, or the setting it "
        "says is wrong.",
        dont="Do not log out or change keys: the API is not involved.",
        next_command="claude-doctor check --only settings",
    ),
}


def _cloud_sign_in(words: str, meaning: str, first_move: str) -> Advice:
    """Advice for a cloud's own credentials: renewed with the cloud's sign-in, not Claude's."""
    return Advice(
        words,
        meaning,
        first_move=first_move,
        dont="Do not run /login or set ANTHROPIC_API_KEY for this, since the cloud provider "
        "signs these requests, not Claude.",
        next_command=_ROUTE_CMD,
    )


_AWS = _cloud_sign_in(
    "AWS credentials rejected or expired",
    "The AWS credentials Claude Code signs Bedrock requests with are missing, wrong or ran "
    "out; Claude's login and API key are not involved.",
    "Renew them (aws sso login, or your credential process) and check "
    "`aws sts get-caller-identity` with the same AWS_PROFILE and region.",
)
_GCP = _cloud_sign_in(
    "Google Cloud credentials rejected or expired",
    "The Google Cloud credentials used for Vertex AI are missing, wrong or ran out; Claude's "
    "login and API key are not involved.",
    "Renew them (gcloud auth application-default login) and check the project in "
    "ANTHROPIC_VERTEX_PROJECT_ID.",
)
_ENTRA = _cloud_sign_in(
    "Microsoft Entra ID sign-in failed",
    "The identity provider of your cloud federation refused the sign-in (its app's secret or "
    "certificate, a grant that ran out, or a tenant policy); Claude's login is not involved.",
    "Sign in again through the federation's credential process; if it still fails, have its "
    "admin check the app's client secret or certificate.",
)
KIND_EXPLANATIONS.update(
    aws_credentials=_AWS,
    aws_sso=_AWS,
    gcp_credentials=_GCP,
    entra_credentials=_ENTRA,
    entra_session=_ENTRA,
)
KIND_EXPLANATIONS["bedrock_quota"] = KIND_EXPLANATIONS["bedrock_throttle"]
KIND_EXPLANATIONS["bedrock_model_access"] = KIND_EXPLANATIONS["cloud_model_access"]


def advice_for(signal: ErrorSignal) -> Advice:
    """The advice for ``signal``: by its kind when one is known, else by its category; a
    first move or warning neither gives is the playbook's of the category's branch. A request
    error from Claude Code (branch ``session``) takes the session playbook's first move and
    warning instead of the category's: the transcript resends what breaks."""
    if signal.kind and signal.kind in KIND_EXPLANATIONS:
        return KIND_EXPLANATIONS[signal.kind]
    explanation = EXPLANATIONS[signal.category]
    if signal.branch is Branch.SESSION:
        explanation = replace(explanation, first_move=None, dont=None, next_command=_SESSION_CMD)
        book = PLAYBOOKS[Branch.SESSION]
    else:
        book = PLAYBOOKS[CATEGORY_BRANCH[signal.category]]
    return Advice(
        words=explanation.words,
        meaning=explanation.meaning,
        first_move=explanation.first_move or book.first_move,
        dont=explanation.dont or book.what_not_to_do[0],
        next_command=explanation.next_command,
    )


_TYPICAL_STATUS = re.compile(r" \((\d{3})\)$")


def words_for(words: str, status: int | None) -> str:
    """The category's words as shown for one error: the status they name ("Overloaded
    (529)") only when the text carried that status, so a 503 read as a rate limit is not
    headed "(429)"."""
    typical = _TYPICAL_STATUS.search(words)
    if typical and str(status) != typical.group(1):
        return words[: typical.start()]
    return words


def explain_document(
    signal: ErrorSignal, summary: LogSummary | None, redactor: Redactor
) -> dict[str, Any]:
    """The ``explain --json`` document: the signal's fields, the advice, and for a log the
    counts by category and every request id. Redacted."""
    advice = advice_for(signal)
    doc: dict[str, Any] = signal.to_dict()
    doc["category_words"] = words_for(advice.words, signal.http_status)
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


class ExplainInputError(ValueError):
    """The input cannot be explained: none given, empty, or unreadable."""


#: ``explain`` reads at most this much of a file (its end, where the latest errors are) or
#: of stdin (its beginning), and says so when it stops.
LOG_CAP_BYTES = 256 * 1024 * 1024


def _explain_file(file: Path) -> LogSummary:
    """A log file's summary through the safe reader; its last :data:`LOG_CAP_BYTES`."""
    from claude_doctor.safe_read import Problem, Unreadable, open_file

    opened = open_file(file)
    if isinstance(opened, Unreadable):
        if opened.problem is Problem.MISSING:
            raise ExplainInputError(f"{file}: no such file")
        raise ExplainInputError(f"{file} {opened.message}")
    try:
        with opened as stream:
            size = os.fstat(stream.fileno()).st_size
            skipped = max(0, size - LOG_CAP_BYTES)
            stream.seek(skipped)
            return _classify_capped(stream, skipped)
    except OSError as exc:
        raise ExplainInputError(f"{file}: cannot read: {exc.strerror or exc}") from None


def _classify_capped(stream: BinaryIO, skipped: int) -> LogSummary:
    from claude_doctor.classify.logs import classify_chunks
    from claude_doctor.safe_read import chunks

    cut: list[int] = []
    summary = classify_chunks(chunks(stream, LOG_CAP_BYTES, cut))
    if skipped or cut:
        summary.cap_bytes = LOG_CAP_BYTES
        summary.unread_bytes = skipped
    return summary


def stdin_dashes(text: str | None, file: Path | None) -> tuple[str | None, Path | None]:
    """TEXT and the file with a lone ``-`` (for stdin) taken as not given, when the other
    is not given either."""
    if text == "-" and file is None:
        return None, None
    if file is not None and str(file) == "-" and text is None:
        return None, None
    return text, file


def explain_input(
    text: str | None, file: Path | None, stdin: BinaryIO | None
) -> tuple[ErrorSignal, LogSummary | None]:
    """Classify TEXT, or the file, or stdin (streamed; also for a TEXT or file of ``-``).
    Returns the signal to explain and, for a log (a file, stdin, or text with several
    errors), its summary."""
    from claude_doctor.classify import classify, classify_lines

    text, file = stdin_dashes(text, file)
    if text is not None and file is not None:
        raise ExplainInputError("give the error text or --file, not both")
    if text is not None:
        summary = classify_lines(text.splitlines())
        summary.bytes_read = len(text.encode("utf-8", "replace"))
    elif file is not None:
        summary = _explain_file(file)
    elif stdin is None:
        raise ExplainInputError("nothing to explain: give the error text, --file, or pipe it in")
    else:
        summary = _classify_capped(stdin, 0)
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
