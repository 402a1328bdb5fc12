"""Which sessions look poisoned, and why: the data behind the session check and the
``claude-doctor sessions`` table.

Kept apart from the check (no asyncio, no engine) so the ``sessions`` command starts fast.
Error text from transcripts is classified in exactly one place, :func:`classify_failure`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claude_doctor.checks.session.records import Listing, ScanProblems, Session, SessionFile
from claude_doctor.checks.session.transcripts import DEEP_SCAN_BYTES, list_sessions, read_session
from claude_doctor.limits import LIMITS
from claude_doctor.model import Category, ErrorSignal, Surface
from claude_doctor.settings import Settings

#: A session that ends in this many failed requests (after its last good reply) is stuck.
REPEATED_FAILURES = 3
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


@dataclass
class Diagnosis:
    """A session and what is suspicious about it."""

    session: Session
    signal: ErrorSignal | None
    marks: list[str]

    def to_dict(self) -> dict[str, Any]:
        data = self.session.to_dict()
        latest = data.get("latest_failure")
        if latest is not None and self.signal is not None:
            latest["category"] = self.signal.category.value
            latest["branch"] = self.signal.branch.value
            latest["request_ids"] = list(self.signal.request_ids)
        data["suspicious"] = bool(self.marks)
        data["marks"] = list(self.marks)
        return data


def _is_not_found(session: Session, signal: ErrorSignal | None) -> bool:
    if signal is not None:
        return signal.category is Category.NOT_FOUND_MODEL
    latest = session.latest_failure
    return latest is not None and latest.status == 404


def diagnose(session: Session, environ: dict[str, str] | None = None) -> Diagnosis:
    environ = environ or {}
    latest = session.latest_failure
    signal = classify_failure(latest.text) if latest else None
    marks: list[str] = []
    if session.trailing_failures >= REPEATED_FAILURES:
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
    return Diagnosis(session, signal, marks)


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
