"""The failures the ``StopFailure`` hook recorded, read back from the history: the recent
ones, one by its report id or session id, its one-line summary, and the signal a new run
takes from it (the error with its time, so the incident at that moment counts)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from claude_doctor.model import ErrorSignal, Surface
from claude_doctor.redact import Redactor
from claude_doctor.report import Report
from claude_doctor.settings import Settings
from claude_doctor.store import Store, StoreError

SOURCE = "stop_failure"
#: How far back the guided run and ``check`` look for a recorded failure by default.
RECENT_HOURS = 6.0


@dataclass(frozen=True)
class Recorded:
    path: Path
    report: Report

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def session_id(self) -> str:
        return str((self.report.hook or {}).get("session_id") or "?")

    @property
    def failed_at(self) -> str:
        signal = self.report.signal
        at = (self.report.hook or {}).get("failed_at") or (signal.occurred_at if signal else None)
        return str(at or self.report.created_at)


def _when(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recorded_failures(
    settings: Settings, *, hours: float | None = RECENT_HOURS, now: datetime | None = None
) -> list[Recorded]:
    """Hook reports in the history, newest first; with ``hours`` only those younger."""
    store = Store(settings.doctor_home)
    since = (now or datetime.now(UTC)) - timedelta(hours=hours) if hours is not None else None
    found: list[Recorded] = []
    for path in store.paths():
        try:
            report = store.load(path)
        except StoreError:
            continue
        if report.source != SOURCE:
            continue
        at = _when(report.created_at)
        if since is not None and (at is None or at < since):
            continue
        found.append(Recorded(path, report))
    return found


class NotRecordedError(LookupError):
    """No recorded failure matches; the message says what was looked for."""


def find_recorded(settings: Settings, ident: str | None) -> Recorded:
    """The newest recorded failure, or the one whose report id or session id starts with
    ``ident`` (unique)."""
    everything = recorded_failures(settings, hours=None)
    if not everything:
        raise NotRecordedError(
            "no failure recorded by the StopFailure hook; install it: claude-doctor hook install"
        )
    if not ident:
        return everything[0]
    matches = [r for r in everything if r.id.startswith(ident) or r.session_id.startswith(ident)]
    sessions = {r.session_id for r in matches}
    if not matches:
        raise NotRecordedError(f"no recorded failure has the id or session {ident!r}")
    if len(matches) > 1 and len(sessions) > 1:
        raise NotRecordedError(f"{ident!r} matches more than one session; give more of it")
    return matches[0]


def recorded_signal(recorded: Recorded) -> ErrorSignal | None:
    """The signal a new run takes from a recorded failure: its error, request ids and the
    time it happened."""
    signal = recorded.report.signal
    if signal is None:
        return None
    return replace(
        signal,
        occurred_at=signal.occurred_at or recorded.failed_at,
        surface=Surface.CLAUDE_CODE if signal.surface is Surface.UNKNOWN else signal.surface,
    )


def run_signal(
    settings: Settings, error: str | None, surface: Surface | None, from_hook: str | None
) -> ErrorSignal | None:
    """``check``'s signal: the failure the hook recorded (``from_hook``: ``""`` for the
    newest, else an id or session prefix; :class:`NotRecordedError` when none matches),
    else the ``error`` text classified."""
    if from_hook is not None:
        import sys

        recorded = find_recorded(settings, from_hook or None)
        line = Redactor.for_run(settings).text(summary_line(recorded))
        sys.stderr.write(f"claude-doctor: the failure recorded {line}\n")
        return recorded_signal(recorded)
    if not error or not error.strip():
        recent = recorded_failures(settings)
        if recent:
            import sys

            line = Redactor.for_run(settings).text(summary_line(recent[0]))
            sys.stderr.write(
                f"claude-doctor: a failure was recorded {line}\n"
                "  `claude-doctor check --from-hook` diagnoses it with its time.\n"
            )
        return None
    from claude_doctor.classify import classify

    return classify(error, surface=surface)


def incident_then(report: Report) -> str | None:
    """The incident the status page showed at the moment of the failure, as a phrase."""
    page = report.evidence.get("status_page")
    if not isinstance(page, dict):
        return None
    items = [*(page.get("overlapping") or []), *(page.get("unresolved") or [])]
    for item in items:
        if isinstance(item, dict) and item.get("name"):
            return str(item["name"])
    return None


def summary_line(recorded: Recorded) -> str:
    """``14:02 UTC, session 3f2a1b2c in /work/api: API Error 500 …; the status page showed
    Elevated errors on Claude Code at that moment``."""
    hook = recorded.report.hook or {}
    at = _when(recorded.failed_at)
    when = at.strftime("%Y-%m-%d %H:%M UTC") if at else recorded.failed_at
    signal = recorded.report.signal
    text = str(hook.get("message") or (signal.message if signal else "") or "an API error")
    text = " ".join(text.split())
    if len(text) > 100:
        text = text[:99] + "…"
    where = f" in {hook['cwd']}" if hook.get("cwd") else ""
    line = f"{when}, session {recorded.session_id[:8]}{where}: {text}"
    count = hook.get("count")
    if isinstance(count, int) and count > 1:
        line += f" ({count} failures)"
    incident = incident_then(recorded.report)
    if incident:
        line += f"; the status page showed {incident!r} at that moment"
    return line
