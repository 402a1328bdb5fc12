"""The session check: is the user's own (resumed) session what keeps failing?

Reads the newest transcript of the working directory (:mod:`.transcripts`), takes what
:mod:`.diagnose` marks suspicious about it, and turns what a poisoned session leaves behind
into findings: a run of API errors at its end while other sessions work, a pinned model that
no longer exists, a context near the model's window, an oversized image or document still in
the history, and the structural faults (a ``tool_use`` without its ``tool_result``, an empty
thinking block) that make every later turn fail; and, rebuilt from the transcript
(:mod:`.request_check`), the failing request itself when it is over the size limit or
invalid.
"""

from __future__ import annotations

from typing import Any

from claude_doctor.checks.session.diagnose import (
    NOT_THE_SESSION,
    NOT_THE_SESSION_STATUS,
    OTHERS_TO_READ,
    Diagnosis,
    diagnose,
)
from claude_doctor.checks.session.records import (
    Attachment,
    Listing,
    ScanProblems,
    Session,
    SessionFile,
)
from claude_doctor.checks.session.request_check import failing_request_findings
from claude_doctor.checks.session.transcripts import list_sessions, read_session
from claude_doctor.context import Context, in_thread
from claude_doctor.limits import ATTACHMENT_LIMITS, LIMITS, MiB
from claude_doctor.model import Branch, Finding, FindingMaker, Severity
from claude_doctor.settings import Settings

_SESSION = FindingMaker(Branch.SESSION)


def _limit_bytes(attachment: Attachment, environ: dict[str, str]) -> int:
    limit = ATTACHMENT_LIMITS[attachment.kind]
    # Bedrock and Google Cloud take images up to 5 MB (FACTS §2.5).
    cloud = any(environ.get(k) for k in ("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"))
    return limit.warn_bytes if cloud else limit.fail_bytes


def _resume_step(session: Session) -> str:
    return f"claude --resume {session.session_id}  # to go back to this session later"


def _steps(session: Session, *extra: str) -> tuple[str, ...]:
    return (
        "claude  # a fresh session, not claude --continue",
        "Rerun the same task in it with the smallest context (only the files it needs)",
        *extra,
        _resume_step(session),
    )


def _session_block(d: Diagnosis) -> dict[str, Any]:
    s = d.session
    latest = s.latest_failure
    return {
        "id": s.session_id,
        "path": str(s.path),
        "project": s.project,
        "cwd": s.cwd,
        "resumed": s.resumed,
        "resume_hint": s.resume_hint,
        "runs_appended": s.runs_appended,
        "forked_from": s.forked_from,
        "failed_since_resume": s.failed_since_resume,
        "failing_runs": s.failing_runs,
        "retry": s.retries,
        "last_activity": s.last_activity,
        "trailing_failures": s.trailing_failures,
        "error_statuses": sorted({e.status for e in s.errors if e.status is not None}),
        "request_ids": list(s.request_ids),
        "context_tokens": s.context_tokens,
        "context_window": s.context_window,
        "context_percent": s.context_percent,
        "models": list(s.models),
        "latest_failure": {
            "text": latest.text[:500],
            "status": latest.status,
            "timestamp": latest.timestamp,
            "error": latest.error,
            "api_error_type": latest.api_error_type,
            "network": latest.network,
            "request_id": latest.request_id,
            "category": d.signal.category.value if d.signal else None,
            "classified_from": list(d.basis),
        }
        if latest
        else None,
        "marks": list(d.marks),
    }


def _evidence(d: Diagnosis, **more: Any) -> dict[str, Any]:
    ids = list(d.session.request_ids)
    if d.signal is not None:
        ids.extend(r for r in d.signal.request_ids if r not in ids)
    return {
        "session": _session_block(d),
        "request_ids": ids,
        "resumed": d.session.resumed,
        **more,
    }


def _basis(d: Diagnosis) -> str:
    fields = [b for b in d.basis if b != "text"]
    said = "the fields " + ", ".join(fields) if fields else ""
    if "text" in d.basis:
        said = f"{said} and the text" if said else "the text"
    return said or "the text"


def _retried(s: Session) -> str:
    retry = s.retries
    if not retry["lines"]:
        return ""
    waits = retry["retry_in_ms"]
    low, high = (f"{min(waits) / 1000:.1f}", f"{max(waits) / 1000:.1f}") if waits else ("", "")
    spacing = f", waiting {low if low == high else f'{low}-{high}'} s" if waits else ""
    limit = f" of {retry['max_retries']}" if retry["max_retries"] is not None else ""
    return (
        f" The client retried {retry['lines']} time(s) (up to attempt "
        f"{retry['max_attempt']}{limit}{spacing})."
    )


def _runs(s: Session) -> str:
    if not s.resumed or s.resume_offset is None:
        return ""
    return (
        f" Since the last resume {s.failed_since_resume} request(s) failed; the failures "
        f"span {s.failing_runs} run(s)."
    )


def _mb(n: int) -> str:
    return f"{n / MiB:.1f} MB"


# --- one finding per mark ---------------------------------------------------------------


def _findings_for(
    d: Diagnosis, others_ok: list[Session], settings: Settings, elsewhere: bool
) -> list[Finding]:
    s = d.session
    where = f"session {s.session_id}" + (" (not from this directory)" if elsewhere else "")
    resumed = f" It was resumed: {s.resume_hint}." if s.resumed else ""
    findings: list[Finding] = []
    if "repeated_errors" in d.marks and s.latest_failure is not None:
        findings.append(_repeated_errors(d, others_ok, where, resumed))
    if "model_not_found" in d.marks:
        findings.append(_model_not_found(d, where))
    if "context_full" in d.marks and s.context_percent is not None:
        findings.append(_context_full(d, where, resumed))
    if "oversized_attachment" in d.marks:
        findings.append(_oversized_attachment(d, dict(settings.environ), where, resumed))
    findings.extend(_history_faults(d, where))
    return findings


def _repeated_errors(d: Diagnosis, others_ok: list[Session], where: str, resumed: str) -> Finding:
    s = d.session
    latest = s.latest_failure
    assert latest is not None
    statuses = sorted({e.status for e in s.errors if e.status is not None})
    status_text = ", ".join(str(x) for x in statuses) or "no status"
    other_branch = (
        d.signal.category in NOT_THE_SESSION
        if d.signal is not None
        else latest.status in NOT_THE_SESSION_STATUS
    )
    since = (
        f" Meanwhile {len(others_ok)} newer session(s) got answers, so the service works."
        if others_ok
        else ""
    )
    category = f" ({d.signal.category.value}, from {_basis(d)})" if d.signal else ""
    return _SESSION(
        "repeated_api_errors",
        Severity.WARN if other_branch else Severity.FAIL,
        f"the latest session ends in {s.trailing_failures} API errors in a row",
        f"Claude Code's {where} has {s.trailing_failures} failed requests "
        f"after its last good reply (HTTP {status_text}){category}; the latest: "
        f"{latest.text[:300]!r}.{_retried(s)}{resumed}{_runs(s)}{since} Every new turn "
        "resends the same history, so it keeps failing the same way.",
        _steps(s, "/compact or /clear in the failing session"),
        **_evidence(d, succeeded_since=[o.session_id for o in others_ok], statuses=statuses),
    )


def _model_not_found(d: Diagnosis, where: str) -> Finding:
    s = d.session
    latest = s.latest_failure
    model = s.last_model or (s.models[-1] if s.models else "unknown")
    return _SESSION(
        "model_not_found",
        Severity.FAIL,
        f"the session's pinned model {model} is not found",
        f"The {where} pins model {model} and its latest request failed with "
        f"not found: {latest.text[:200] if latest else ''!r}. A resumed session "
        "keeps its model even after that model is retired.",
        _steps(s, "/model in Claude Code to pick a current model"),
        **_evidence(d, model=model),
    )


def _context_full(d: Diagnosis, where: str, resumed: str) -> Finding:
    s = d.session
    percent = s.context_percent
    assert percent is not None
    return _SESSION(
        "context_near_limit",
        Severity.FAIL,
        f"the session's context is {percent:.0f} % of the model's window",
        f"The last reply in {where} used {s.context_tokens:,} tokens of context "
        f"(input + cache read + cache creation) of {s.last_model}'s "
        f"{s.context_window:,}-token window. The next turns may be refused "
        f"('Prompt is too long') or compaction may fail.{resumed}",
        _steps(s, "/compact in the session (or /clear to start over)"),
        **_evidence(d),
    )


def _oversized_attachment(
    d: Diagnosis, environ: dict[str, str], where: str, resumed: str
) -> Finding:
    s = d.session
    over = [a for a in s.oversized if a.base64_bytes > _limit_bytes(a, environ)]
    total_over = s.attachment_bytes > LIMITS.request_bytes
    biggest = max(s.oversized, key=lambda a: a.base64_bytes, default=None)
    if biggest is not None:
        what = f"a {_mb(biggest.base64_bytes)} base64 {biggest.kind} ({biggest.media_type})"
    else:
        what = f"{_mb(s.attachment_bytes)} of images and documents"
    limit = ATTACHMENT_LIMITS[biggest.kind].why if biggest else "a request may be 32 MB"
    return _SESSION(
        "oversized_attachment",
        Severity.FAIL if (over or total_over) else Severity.WARN,
        f"the session's history carries {what}",
        f"Since its last compaction, {where} holds {what}; {limit}, and the "
        "history is resent with every turn, so every request fails "
        "('Request too large' / 'image exceeds ... maximum')."
        f"{resumed}",
        _steps(s, "Double press Esc in the session to go back before the attachment, or /clear"),
        **_evidence(
            d, attachments=[a.to_dict() for a in s.oversized], attachment_bytes=s.attachment_bytes
        ),
    )


def _history_faults(d: Diagnosis, where: str) -> list[Finding]:
    """Blocks in the history that the API rejects when they are resent: warnings while the
    session is failing, information otherwise."""
    s = d.session
    severity = Severity.WARN if s.trailing_failures else Severity.INFO
    faults: list[tuple[str, str, str, tuple[str, ...], dict[str, Any]]] = []
    if s.dangling_tool_uses:
        faults.append(
            (
                "tool_use_without_result",
                f"{len(s.dangling_tool_uses)} tool call(s) in the history have no result",
                f"{where} has tool_use blocks with no matching tool_result: the API "
                "rejects every later request with such a history (400 invalid_request).",
                ("Double press Esc to go back before the broken turn",),
                {"tool_use_ids": s.dangling_tool_uses[:20]},
            )
        )
    if s.empty_thinking:
        faults.append(
            (
                "empty_thinking",
                f"{s.empty_thinking} thinking block(s) in the history are empty",
                f"{where} holds thinking blocks with empty text; when they are resent the "
                "API may reject the request.",
                (),
                {"empty_thinking_blocks": s.empty_thinking},
            )
        )
    return [
        _SESSION(cause, severity, title, detail, _steps(s, *extra), **_evidence(d, **more))
        for cause, title, detail, extra, more in faults
    ]


# --- the check ----------------------------------------------------------------------------


def _no_transcripts(listing: Listing, detail: str) -> Finding:
    return _SESSION(
        "no_transcripts",
        Severity.INFO,
        "no Claude Code transcripts to read",
        detail,
        projects_dir=str(listing.projects_dir),
    )


def _problems_finding(problems: ScanProblems, listing: Listing) -> Finding:
    counts = problems.to_dict()
    said = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v)
    return _SESSION(
        "transcripts_damaged",
        Severity.INFO,
        f"some transcript content could not be read ({said})",
        f"Under {listing.projects_dir}: {said}. They were skipped; the rest was read. "
        "A damaged transcript can also make `claude --resume` fail.",
        problems=counts,
    )


def _healthy(d: Diagnosis) -> Finding:
    target = d.session
    pct = target.context_percent
    return _SESSION(
        "ok",
        Severity.OK,
        f"latest session looks healthy ({target.turns} turns"
        + (f", context {pct:.0f} %" if pct is not None else "")
        + ")",
        f"Session {target.session_id}: no run of API errors at its end, context "
        "within the window, no oversized attachment in its history.",
        session=_session_block(d),
    )


def _others_ok(target: Session, everywhere: list[SessionFile]) -> list[Session]:
    """Newer sessions elsewhere that got an answer after the target's latest failure."""
    others_ok: list[Session] = []
    failed_at = target.latest_failure.timestamp if target.latest_failure else None
    newer = [f for f in everywhere if f.path != target.path and f.mtime >= target.mtime - 1][
        :OTHERS_TO_READ
    ]
    for f in newer:
        other = read_session(f, deep_bytes=0)
        if other.last_success and (failed_at is None or other.last_success > failed_at):
            others_ok.append(other)
    return others_ok


def _scan(ctx: Context) -> list[Finding]:
    settings = ctx.settings
    listing = list_sessions(settings, all_projects=False)
    problems = ScanProblems()
    if not listing.exists:
        return [
            _no_transcripts(
                listing, f"{listing.projects_dir} does not exist: no session history here."
            )
        ]
    everywhere = list_sessions(settings, all_projects=True)
    # The listing of every project covers this one's: count its problems once.
    problems.add(everywhere.problems)
    elsewhere = False
    files = listing.files
    if not files:
        files, elsewhere = everywhere.files, True
    if not files:
        return [_no_transcripts(listing, f"No transcripts under {listing.projects_dir}.")]
    target = read_session(files[0])
    problems.add(target.problems)
    d = diagnose(target, dict(settings.environ))
    others_ok = _others_ok(target, everywhere.files) if target.trailing_failures else []
    findings = _findings_for(d, others_ok, settings, elsewhere)
    if target.trailing_failures:
        findings += failing_request_findings(target.path, target.session_id)
    findings = findings or [_healthy(d)]
    if problems.total:
        findings.append(_problems_finding(problems, listing))
    return findings


async def session_check(ctx: Context) -> list[Finding]:
    return await in_thread(lambda: _scan(ctx))
