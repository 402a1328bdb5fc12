"""Plain data: severities, branches, findings, the classified error signal, the verdict
(with its confidence, rulings and the other problems found), the surfaces and the guided
run's answers.

Nothing here does I/O. Every other room of the tool speaks in these types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    """How bad a finding is. ``error`` means the check itself could not finish."""

    OK = "ok"
    INFO = "info"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order for sorting: ok < info < warn < fail; ``error`` sits between info and warn
        because "could not check" is worth a look but is not evidence of a cause."""
        return _SEVERITY_RANK[self]

    @property
    def is_problem(self) -> bool:
        """True for warn and fail: the severities that make the exit code 1."""
        return self in (Severity.WARN, Severity.FAIL)


_SEVERITY_RANK = {
    Severity.OK: 0,
    Severity.INFO: 1,
    Severity.ERROR: 2,
    Severity.WARN: 3,
    Severity.FAIL: 4,
}


class Branch(enum.StrEnum):
    """The branches of the route board (DESIGN.md): where a Claude error comes from."""

    INCIDENT = "incident"
    LOGIN = "login"
    SESSION = "session"
    ROUTE = "route"
    NETWORK = "network"
    PAYLOAD = "payload"
    RATE_LIMIT = "rate_limit"
    OVERLOADED = "overloaded"
    NONE = "none"


class Category(enum.StrEnum):
    """Error categories that ``explain`` assigns to a piece of error text."""

    STATUS_OUTAGE = "status_outage"
    OVERLOADED = "overloaded"
    RATE_LIMIT = "rate_limit"
    AUTH_INVALID_KEY = "auth_invalid_key"
    AUTH_OAUTH_EXPIRED = "auth_oauth_expired"
    PERMISSION = "permission"
    NOT_FOUND_MODEL = "not_found_model"
    REQUEST_TOO_LARGE = "request_too_large"
    CONTEXT_TOO_LONG = "context_too_long"
    INVALID_REQUEST = "invalid_request"
    NETWORK_DNS = "network_dns"
    NETWORK_TLS = "network_tls"
    NETWORK_CONNECTION = "network_connection"
    TIMEOUT = "timeout"
    BILLING_CREDIT = "billing_credit"
    OTHER = "other"


class Surface(enum.StrEnum):
    """Where the user met the error."""

    CLAUDE_CODE = "claude_code"
    API_SDK = "api_sdk"
    CLAUDE_AI = "claude_ai"
    DESKTOP = "desktop"
    #: The Console (platform.claude.com): its own component on the status page.
    CONSOLE = "console"
    OTHER_TOOL = "other_tool"
    UNKNOWN = "unknown"


#: The words a user may type for a surface (``status --surface``): each surface's own name
#: and the short ones people use. ``unknown`` is what the tool says, never what a user picks.
SURFACE_WORDS: dict[str, Surface] = {
    **{s.value: s for s in Surface if s is not Surface.UNKNOWN},
    "api": Surface.API_SDK,
    "sdk": Surface.API_SDK,
    "code": Surface.CLAUDE_CODE,
    "web": Surface.CLAUDE_AI,
}


@dataclass(frozen=True)
class Finding:
    """One observation of one check.

    ``id`` is part of the JSON contract (``branch.cause`` style, e.g.
    ``network.tls.intercepted``); once released it is kept.
    """

    id: str
    branch: Branch
    severity: Severity
    title: str
    detail: str = ""
    #: Exact commands or actions, most useful first.
    next_steps: tuple[str, ...] = ()
    #: Machine-readable facts behind the finding (JSON-serialisable values only).
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "branch": self.branch.value,
            "severity": self.severity.value,
            "title": self.title,
            "detail": self.detail,
            "next_steps": list(self.next_steps),
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class FindingMaker:
    """Builds one branch's findings, so a check writes only what differs.

    ``login = FindingMaker(Branch.LOGIN)`` then ``login("token.expired", Severity.FAIL,
    title, detail, ("/login",), expires_at=...)`` gives the finding ``login.token.expired``.
    ``prefix`` defaults to the branch name; ``evidence`` is merged under each finding's own.
    """

    branch: Branch
    prefix: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)

    def __call__(
        self,
        cause: str,
        severity: Severity,
        title: str,
        detail: str = "",
        next_steps: tuple[str, ...] | list[str] = (),
        **evidence: Any,
    ) -> Finding:
        return Finding(
            id=f"{self.prefix or self.branch.value}.{cause}",
            branch=self.branch,
            severity=severity,
            title=title,
            detail=detail,
            next_steps=tuple(next_steps),
            evidence={**self.evidence, **evidence},
        )


#: The :attr:`ErrorSignal.kind` of a server error raised by a gateway or custom base URL.
GATEWAY_KIND = "gateway_error"


@dataclass(frozen=True)
class ErrorSignal:
    """What a piece of error text says, as ``explain`` classifies it."""

    category: Category
    branch: Branch
    message: str
    http_status: int | None = None
    error_type: str | None = None
    #: Every ``req_…`` id / ``request-id`` value in the text, in order of appearance.
    request_ids: tuple[str, ...] = ()
    retry_after: float | None = None
    #: ISO 8601 UTC time of the error when the text carries one.
    occurred_at: str | None = None
    surface: Surface = Surface.UNKNOWN
    confidence: float = 0.0
    #: The span of text that decided the category.
    matched: str = ""
    #: Finer kind inside a category, e.g. ``subscription_limit`` for a 429.
    kind: str | None = None

    @property
    def request_id(self) -> str | None:
        return self.request_ids[-1] if self.request_ids else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "branch": self.branch.value,
            "http_status": self.http_status,
            "error_type": self.error_type,
            "request_id": self.request_id,
            "request_ids": list(self.request_ids),
            "message": self.message,
            "retry_after": self.retry_after,
            "occurred_at": self.occurred_at,
            "surface": self.surface.value,
            "confidence": self.confidence,
            "matched": self.matched,
            "kind": self.kind,
        }


class CheckOutcome(enum.StrEnum):
    """How a check ended, independent of what it found."""

    DONE = "done"
    TIMED_OUT = "timed_out"
    CRASHED = "crashed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckRun:
    """One check's run: its name, branch, how it ended and how long it took."""

    name: str
    branch: Branch
    outcome: CheckOutcome
    duration_ms: int
    #: False for a check the run stopped before it could start (``skipped`` only).
    started: bool = True

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "branch": self.branch.value,
            "outcome": self.outcome.value,
            "duration_ms": self.duration_ms,
        }
        if not self.started:
            data["started"] = False
        return data


class Confidence(enum.StrEnum):
    """How sure the verdict is of its branch."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Ruling:
    """A branch the verdict excluded (``ruled_out``) or could not check (``open``).

    ``by`` names what ruled: a finding id, ``signal``, ``answers.<field>`` or a check name.
    For an open branch ``reason`` says how to check it another way.
    """

    branch: Branch
    by: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"branch": self.branch.value, "by": self.by, "reason": self.reason}


@dataclass(frozen=True)
class AlsoFound:
    """Another real problem, beside the one the verdict names."""

    id: str
    branch: Branch
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "branch": self.branch.value, "title": self.title}


@dataclass(frozen=True)
class Verdict:
    """The answer: which branch, the one first move, how to verify it on the same path."""

    branch: Branch
    summary: str
    first_move: str
    next_steps: tuple[str, ...] = ()
    what_not_to_do: tuple[str, ...] = ()
    #: How to check, on the same path, that the first move worked.
    verify: str = ""
    #: Ids of the findings (or ``signal``) that decided the branch.
    because: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    #: Branches the evidence excludes, and by what.
    ruled_out: tuple[Ruling, ...] = ()
    #: Branches that could not be checked; each reason says how to check it another way.
    open: tuple[Ruling, ...] = ()
    #: The other real problems, most important first.
    also_found: tuple[AlsoFound, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "branch": self.branch.value,
            "summary": self.summary,
            "first_move": self.first_move,
            "next_steps": list(self.next_steps),
            "what_not_to_do": list(self.what_not_to_do),
            "verify": self.verify,
            "because": list(self.because),
            "confidence": self.confidence.value,
            "ruled_out": [r.to_dict() for r in self.ruled_out],
            "open": [r.to_dict() for r in self.open],
            "also_found": [a.to_dict() for a in self.also_found],
        }


class Question(enum.StrEnum):
    """The guided run's questions, in the order they are asked. Each value is the
    :class:`Answers` field the question fills; a check ``needs`` the ones it reads."""

    SURFACE = "surface"
    ERROR_TEXT = "error_text"
    WHEN = "when"
    ACTIVITY = "activity"
    ACCOUNT = "account"
    PAYLOAD_PATH = "payload_path"


class When(enum.StrEnum):
    """When the error happened, as the user remembers it."""

    NOW = "now"
    HOUR = "hour"
    TODAY = "today"


class Activity(enum.StrEnum):
    """What the user was doing when the error came."""

    LOGIN = "login"
    RESUMED = "resumed"
    FRESH = "fresh"
    SCRIPT = "script"


class Account(enum.StrEnum):
    """Which account the user thinks pays for their requests."""

    SUBSCRIPTION = "subscription"
    API_KEY = "api_key"
    CLOUD = "cloud"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Answers:
    """What the user told the guided run (every field optional: questions are skippable).

    Frozen: the interview makes a new one per answer, so a check holds one consistent
    snapshot while the questions go on.
    """

    surface: Surface | None = None
    error_text: str | None = None
    when: When | None = None
    activity: Activity | None = None
    account: Account | None = None
    payload_path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "surface": self.surface.value if self.surface else None,
            "when": self.when.value if self.when else None,
            "activity": self.activity.value if self.activity else None,
            "account": self.account.value if self.account else None,
            "payload_path": self.payload_path,
        }
