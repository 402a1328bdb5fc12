"""Which sessions look poisoned, and why: the data behind the session check and the
``claude-doctor sessions`` table.

Kept apart from the check (no asyncio, no engine) so the ``sessions`` command starts fast.
A session's latest failure is read from the structured fields the client wrote first
(:func:`structured_category`: ``apiError``, ``error``, ``apiErrorStatus``,
``apiErrorType``, a retry's connection code) and from its text second, in exactly one
place, :func:`classify_error`; the text refines the fields where it is more specific.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from claude_doctor.checks.session.records import (
    ApiError,
    Listing,
    ScanProblems,
    Session,
    SessionFile,
)
from claude_doctor.checks.session.transcripts import DEEP_SCAN_BYTES, list_sessions, read_session
from claude_doctor.limits import LIMITS
from claude_doctor.model import Branch, Category, ErrorSignal, Surface
from claude_doctor.settings import Settings

#: A session that ends in this many failed requests (after its last good reply) is stuck.
REPEATED_FAILURES = 3
#: A resumed session whose failures since its last good reply span this many runs.
FAILING_RUNS = 2
#: Context in use over this share of the window leaves no room for the next turn.
CONTEXT_FAIL_PERCENT = 90.0
#: How many newer sessions elsewhere are read to see whether requests work there.
OTHERS_TO_READ = 5
#: A listing scans the whole history (since compaction, bounded) of its newest sessions for
#: attachments; older ones only within their tail, so listing thousands stays fast.
DEEP_SESSIONS = 20

#: Categories that belong to another branch even when they repeat inside one session: the
#: service, the login, the network or the limits answer those, not the transcript.
NOT_THE_SESSION = frozenset(
    {
        Category.RATE_LIMIT,
        Category.OVERLOADED,
        Category.AUTH_INVALID_KEY,
        Category.AUTH_OAUTH_EXPIRED,
        Category.PERMISSION,
        Category.BILLING_CREDIT,
        Category.NETWORK_DNS,
        Category.NETWORK_TLS,
        Category.NETWORK_CONNECTION,
        Category.TIMEOUT,
    }
)
#: The same, by HTTP status, for when no classifier is available.
NOT_THE_SESSION_STATUS = frozenset({401, 402, 403, 429, 529})


def classify_failure(text: str) -> ErrorSignal | None:
    """The one call into the ``explain`` classifier for transcript error text. Imported
    here, lazily: listing sessions without errors never pays for the classifier."""
    if not text.strip():
        return None
    from claude_doctor.classify import classify

    try:
        return classify(text, surface=Surface.CLAUDE_CODE)
    except Exception:  # a classifier bug must not hide the transcript's evidence
        return None


#: A failed connection's system error code (a retry's ``error.connection.code``).
CONNECTION_CODES = {
    "ENOTFOUND": Category.NETWORK_DNS,
    "EAI_AGAIN": Category.NETWORK_DNS,
    "ECONNREFUSED": Category.NETWORK_CONNECTION,
    "ECONNRESET": Category.NETWORK_CONNECTION,
    "ETIMEDOUT": Category.TIMEOUT,
}
#: Where the text may say more than the fields: the categories it may refine each one to.
REFINES = {
    Category.NETWORK_CONNECTION: frozenset(
        {Category.NETWORK_CONNECTION, Category.NETWORK_DNS, Category.TIMEOUT}
    ),
    Category.AUTH_INVALID_KEY: frozenset({Category.AUTH_INVALID_KEY, Category.AUTH_OAUTH_EXPIRED}),
    Category.INVALID_REQUEST: frozenset(
        {Category.INVALID_REQUEST, Category.CONTEXT_TOO_LONG, Category.REQUEST_TOO_LARGE}
    ),
    Category.STATUS_OUTAGE: frozenset(
        {Category.STATUS_OUTAGE, Category.TIMEOUT, Category.OVERLOADED}
    ),
}


def _network_category(error: ApiError, code: str | None) -> tuple[Category, list[str]] | None:
    if error.network and error.network.startswith("tls"):
        return Category.NETWORK_TLS, [f"apiError={error.network}"]
    if error.network == "connection_failed":
        fields = ["apiError=connection_failed"]
        if code in CONNECTION_CODES:
            return CONNECTION_CODES[code], [*fields, f"connection.code={code}"]
        return Category.NETWORK_CONNECTION, fields
    if code in CONNECTION_CODES:
        return CONNECTION_CODES[code], [f"connection.code={code}"]
    return None


def _status_category(error: ApiError) -> tuple[Category, list[str]] | None:
    status, kind, api_type = error.status, error.error, error.api_error_type
    said = [f"status={status}"] if status is not None else []
    if kind == "authentication_failed":
        # The client says authentication_failed for a 403 too: that key lacks permission.
        category = Category.PERMISSION if status == 403 else Category.AUTH_INVALID_KEY
        return category, [f"error={kind}", *said]
    rules: list[tuple[bool, Category, list[str]]] = [
        (kind == "rate_limit", Category.RATE_LIMIT, [f"error={kind}"]),
        (status == 429, Category.RATE_LIMIT, said),
        (api_type == "overloaded_error", Category.OVERLOADED, [f"apiErrorType={api_type}"]),
        (status == 529, Category.OVERLOADED, said),
        (kind == "billing_error", Category.BILLING_CREDIT, [f"error={kind}"]),
        (kind == "model_not_found", Category.NOT_FOUND_MODEL, [f"error={kind}"]),
        (api_type == "permission_error", Category.PERMISSION, [f"apiErrorType={api_type}"]),
        (status == 413, Category.REQUEST_TOO_LARGE, said),
        (kind == "invalid_request", Category.INVALID_REQUEST, [f"error={kind}"]),
        (status is not None and status >= 500, Category.STATUS_OUTAGE, said),
    ]
    for matches, category, fields in rules:
        if matches:
            return category, fields
    return None


def structured_category(
    error: ApiError, earlier: list[ApiError] | None = None
) -> tuple[Category, list[str]] | None:
    """What the structured fields of ``error`` say definitely, with the fields that said
    it; ``None`` when they say nothing definite (a network failure with no ``apiError``,
    ``error: unknown``, a timeout's bare ``server_error``). ``earlier`` errors lend the
    connection code of the retries of the same turn (after the error message before it)."""
    code = error.connection_code
    before = [e for e in earlier or [] if e.offset is not None and error.offset is not None]
    for other in reversed([e for e in before if (e.offset or 0) < (error.offset or 0)]):
        if code is not None or other.kind == "message":
            break
        code = other.connection_code
    return _network_category(error, code) or _status_category(error)


def classify_error(
    error: ApiError, earlier: list[ApiError] | None = None
) -> tuple[ErrorSignal | None, list[str]]:
    """The signal for one transcript error and what decided it (``field=value`` names, and
    ``text``): the structured fields when they say something definite, the text where it
    says more (an ``ENOTFOUND`` text refines a failed connection to DNS), else the text."""
    text_signal = classify_failure(error.text)
    found = structured_category(error, earlier)
    if found is None:
        return text_signal, (["text"] if text_signal is not None else [])
    category, fields = found
    if text_signal is not None and text_signal.category in REFINES.get(category, {category}):
        return text_signal, [*fields, "text"]
    from claude_doctor.classify import branch_for

    ids = (error.request_id,) if error.request_id else ()
    base = text_signal or ErrorSignal(
        category=category, branch=Branch.NONE, message=error.text[:500], request_ids=ids
    )
    signal = replace(
        base,
        category=category,
        branch=branch_for(category, Surface.CLAUDE_CODE),
        http_status=error.status if error.status is not None else base.http_status,
        error_type=error.api_error_type or base.error_type,
        surface=Surface.CLAUDE_CODE,
        confidence=max(base.confidence, 0.95),
        matched=", ".join(fields),
        kind=None,
    )
    return signal, fields


@dataclass
class Diagnosis:
    """A session and what is suspicious about it."""

    session: Session
    signal: ErrorSignal | None
    marks: list[str]
    #: What decided the signal: ``field=value`` names of structured fields, and ``text``.
    basis: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = self.session.to_dict()
        latest = data.get("latest_failure")
        if latest is not None and self.signal is not None:
            latest["category"] = self.signal.category.value
            latest["branch"] = self.signal.branch.value
            latest["request_ids"] = list(self.signal.request_ids)
            latest["classified_from"] = list(self.basis)
        data["suspicious"] = bool(self.marks)
        data["marks"] = list(self.marks)
        return data


def _is_not_found(session: Session, signal: ErrorSignal | None) -> bool:
    if signal is not None:
        return signal.category is Category.NOT_FOUND_MODEL
    latest = session.latest_failure
    return latest is not None and latest.status == 404


def resumed_failing(session: Session) -> bool:
    """A resumed (continued, forked) session whose last runs all end in failures: at
    least :data:`FAILING_RUNS` runs since its last good reply, one of them the latest."""
    return (
        session.resumed and session.failed_since_resume > 0 and session.failing_runs >= FAILING_RUNS
    )


def diagnose(session: Session, environ: dict[str, str] | None = None) -> Diagnosis:
    environ = environ or {}
    latest = session.latest_failure
    signal, basis = classify_error(latest, session.errors) if latest else (None, [])
    marks: list[str] = []
    if session.trailing_failures >= REPEATED_FAILURES or resumed_failing(session):
        marks.append("repeated_errors")
    if latest is not None and session.trailing_failures and _is_not_found(session, signal):
        marks.append("model_not_found")
    percent = session.context_percent
    if percent is not None and percent > CONTEXT_FAIL_PERCENT:
        marks.append("context_full")
    if session.oversized or session.attachment_bytes > LIMITS.request_bytes:
        marks.append("oversized_attachment")
    if session.dangling_tool_uses:
        marks.append("tool_use_without_result")
    if session.empty_thinking:
        marks.append("empty_thinking")
    return Diagnosis(session, signal, marks, basis)


# ---------------------------------------------------------------------------------------
# The ``sessions`` command's data


@dataclass
class SessionsView:
    listing: Listing
    diagnoses: list[Diagnosis]
    all_projects: bool
    problems: ScanProblems

    @property
    def suspicious(self) -> list[Diagnosis]:
        return [d for d in self.diagnoses if d.marks]

    def to_dict(self, cwd: str) -> dict[str, Any]:
        return {
            "projects_dir": str(self.listing.projects_dir),
            "projects_dir_exists": self.listing.exists,
            "scope": "all" if self.all_projects else "project",
            "cwd": cwd,
            "projects": len(self.listing.project_dirs),
            "total_sessions": len(self.listing.files),
            "shown": len(self.diagnoses),
            "suspicious": len(self.suspicious),
            "request_ids": [r for d in self.suspicious for r in d.session.request_ids],
            "problems": self.problems.to_dict(),
            "sessions": [d.to_dict() for d in self.diagnoses],
        }


def sessions_view(settings: Settings, *, all_projects: bool, limit: int) -> SessionsView:
    """The newest ``limit`` sessions (0: all) of this directory or of every project."""
    listing = list_sessions(settings, all_projects=all_projects)
    problems = ScanProblems()
    problems.add(listing.problems)
    chosen: list[SessionFile] = listing.files[:limit] if limit > 0 else listing.files
    diagnoses: list[Diagnosis] = []
    environ = dict(settings.environ)
    for n, f in enumerate(chosen):
        session = read_session(f, deep_bytes=DEEP_SCAN_BYTES if n < DEEP_SESSIONS else 0)
        problems.add(session.problems)
        diagnoses.append(diagnose(session, environ))
    return SessionsView(listing, diagnoses, all_projects, problems)
