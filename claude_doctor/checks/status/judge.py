"""The status branch: is it Anthropic right now, and was it at the time of the error?

Reads the status page (:mod:`claude_doctor.checks.status.page`), keeps the components the user's
surface relies on (matched by substring, since the page renames components, FACTS §1.5),
and says: which of them are not operational, which unresolved incidents and maintenances
touch them, and whether an incident, resolved or not, overlapped the time of the error
(with a 15 minute margin). A page that cannot be read is not an incident: it is said so,
and the network branch is where to look.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from claude_doctor.checks.status.page import (
    COMPONENT_STATES,
    Component,
    Incident,
    Snapshot,
    fetch_snapshot,
)
from claude_doctor.context import Context
from claude_doctor.model import Branch, Finding, Severity, Surface, When

MARGIN = timedelta(minutes=15)
#: An upcoming maintenance this close is worth saying.
SOON = timedelta(hours=1)
UPDATE_TEXT_LIMIT = 400

#: Component keys -> (name substrings, component ids as a secondary key; FACTS §1.5).
COMPONENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "claude_code": (("claude code",), ("yyzkbfz2thpt",)),
    "api": (("api.anthropic.com", "claude api"), ("k8w3r06qmzrp",)),
    "claude_ai": (("claude.ai",), ("rwppv331jlwc",)),
    "console": (("platform.claude.com", "console"), ("0qbwn08sd68x",)),
}
#: What each surface relies on (the issue's mapping): Claude Code calls the API too.
SURFACE_COMPONENTS: dict[Surface, tuple[str, ...]] = {
    Surface.CLAUDE_CODE: ("claude_code", "api"),
    Surface.API_SDK: ("api",),
    Surface.CLAUDE_AI: ("claude_ai",),
    Surface.DESKTOP: ("claude_ai",),
    Surface.CONSOLE: ("console",),
    Surface.OTHER_TOOL: ("api",),
}
SURFACE_LABELS: dict[Surface, str] = {
    Surface.CLAUDE_CODE: "Claude Code",
    Surface.API_SDK: "the API/SDK",
    Surface.CLAUDE_AI: "claude.ai",
    Surface.DESKTOP: "Claude Desktop",
    Surface.CONSOLE: "the Console",
    Surface.OTHER_TOOL: "a tool on the API",
}
DEFAULT_SURFACES: tuple[Surface, ...] = (Surface.CLAUDE_CODE,)
#: How far back each answer to "when did it happen?" reaches, and how it reads.
WHEN_WINDOWS: dict[When, tuple[timedelta, str]] = {
    When.NOW: (timedelta(0), "just now"),
    When.HOUR: (timedelta(hours=1), "within the last hour"),
    When.TODAY: (timedelta(hours=24), "today"),
}
NETWORK_STEP = "claude-doctor check --only network"
BAD_STATES = frozenset(COMPONENT_STATES) - {"operational"}


def component_keys(surfaces: Iterable[Surface]) -> frozenset[str]:
    keys: set[str] = set()
    for surface in surfaces:
        keys.update(SURFACE_COMPONENTS.get(surface, SURFACE_COMPONENTS[Surface.CLAUDE_CODE]))
    return frozenset(keys)


def matches(cid: str, name: str, keys: Iterable[str]) -> bool:
    """Whether a component (by id or by name substring) is one of ``keys``."""
    lowered = name.lower()
    for key in keys:
        patterns, ids = COMPONENTS[key]
        if cid in ids or any(p in lowered for p in patterns):
            return True
    return False


def surfaces_from(ctx: Context) -> tuple[Surface, ...]:
    """The user's surface: what they said, else what the error text showed, else the
    default (Claude Code, which relies on the API as well)."""
    for surface in (ctx.answers.surface, ctx.signal.surface if ctx.signal else None):
        if surface is not None and surface is not Surface.UNKNOWN:
            return (surface,)
    return DEFAULT_SURFACES


@dataclass(frozen=True)
class ErrorTime:
    """The span in which the error happened, margin included."""

    start: datetime
    end: datetime
    #: "signal", "answer", "option" or "now".
    source: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": _iso(self.start),
            "to": _iso(self.end),
            "source": self.source,
            "label": self.label,
        }


def error_time(
    now: datetime, *, at: datetime | None = None, when: When | None = None, source: str = "now"
) -> ErrorTime:
    """A point in time gets 15 minutes either side; "now", "hour" and "today" reach back
    that far, plus the margin; nothing known means "just now"."""
    if at is not None:
        return ErrorTime(at - MARGIN, at + MARGIN, source, f"around {_iso(at)}")
    if when is not None:
        back, label = WHEN_WINDOWS[when]
        return ErrorTime(now - back - MARGIN, now, "answer", label)
    return ErrorTime(now - MARGIN, now, "now", "just now")


def error_time_from(ctx: Context, now: datetime) -> ErrorTime:
    from claude_doctor.checks.status.page import parse_time

    at = parse_time(ctx.signal.occurred_at) if ctx.signal else None
    if at is not None:
        return error_time(now, at=at, source="signal")
    return error_time(now, when=ctx.answers.when)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def age_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h ago"
    return f"{round(seconds / 86400)} days ago"


def state_text(status: str) -> str:
    return status.replace("_", " ")


@dataclass(frozen=True)
class Assessment:
    """The page read against the user's surface and error time."""

    snapshot: Snapshot
    now: datetime
    surfaces: tuple[Surface, ...]
    keys: frozenset[str]
    window: ErrorTime
    yours_down: tuple[Component, ...]
    others_down: tuple[Component, ...]
    open_yours: tuple[Incident, ...]
    open_unscoped: tuple[Incident, ...]
    open_others: tuple[Incident, ...]
    maintenance_yours: tuple[Incident, ...]
    maintenance_others: tuple[Incident, ...]
    maintenance_soon: tuple[Incident, ...]
    overlapping: tuple[Incident, ...]
    #: Whether any component on the page matched the user's surface at all.
    components_found: bool

    def is_yours(self, cid: str, name: str) -> bool:
        return matches(cid, name, self.keys)

    @property
    def ok_for_you(self) -> bool:
        """The page was read and nothing the user relies on is down, in an open incident or
        under maintenance: the moment to retry the same path."""
        return (
            self.snapshot.reachable
            and not self.yours_down
            and not self.open_yours
            and not self.maintenance_yours
        )

    @property
    def surface_label(self) -> str:
        return " + ".join(SURFACE_LABELS.get(s, s.value) for s in self.surfaces)


def _scope(incident: Incident, keys: frozenset[str]) -> str:
    """ "yours", "others" or "unscoped" (the incident names no component)."""
    affected = incident.affected()
    if affected:
        return "yours" if any(matches(c, n, keys) for c, n in affected.items()) else "others"
    return "yours" if matches("", incident.name, keys) else "unscoped"


def _overlaps(incident: Incident, window: ErrorTime, now: datetime) -> bool:
    began = incident.began()
    if began is None:
        return False
    ended = incident.ended() or now
    return began <= window.end and ended >= window.start


def assess(
    snapshot: Snapshot, *, surfaces: Sequence[Surface], window: ErrorTime, now: datetime
) -> Assessment:
    keys = component_keys(surfaces)
    components = snapshot.summary.components if snapshot.summary else ()
    # Groups are rolled up from their members; showing both would count one outage twice.
    leaves = [c for c in components if not c.group]
    yours = [c for c in leaves if matches(c.id, c.name, keys)]
    by_scope: dict[str, list[Incident]] = {"yours": [], "others": [], "unscoped": []}
    for incident in snapshot.open_incidents():
        by_scope[_scope(incident, keys)].append(incident)
    maintenance_yours: list[Incident] = []
    maintenance_others: list[Incident] = []
    for m in snapshot.maintenances_in_progress():
        (maintenance_yours if _scope(m, keys) == "yours" else maintenance_others).append(m)
    soon = [
        m
        for m in snapshot.maintenances_scheduled()
        if m.scheduled_for is not None
        and now <= m.scheduled_for <= now + SOON
        and _scope(m, keys) != "others"
    ]
    history: dict[str, Incident] = {}
    for incident in (*(snapshot.recent or ()), *snapshot.open_incidents()):
        history.setdefault(incident.id or incident.name, incident)
    overlapping = [
        i for i in history.values() if _scope(i, keys) != "others" and _overlaps(i, window, now)
    ]
    return Assessment(
        snapshot=snapshot,
        now=now,
        surfaces=tuple(surfaces),
        keys=keys,
        window=window,
        yours_down=tuple(c for c in yours if not c.operational),
        others_down=tuple(c for c in leaves if not c.operational and c not in yours),
        open_yours=tuple(by_scope["yours"]),
        open_unscoped=tuple(by_scope["unscoped"]),
        open_others=tuple(by_scope["others"]),
        maintenance_yours=tuple(maintenance_yours),
        maintenance_others=tuple(maintenance_others),
        maintenance_soon=tuple(soon),
        overlapping=tuple(overlapping),
        components_found=bool(yours) or not components,
    )


# --- evidence ----------------------------------------------------------------------------


def incident_brief(incident: Incident, now: datetime, keys: frozenset[str]) -> dict[str, Any]:
    latest = incident.latest_update
    update: dict[str, Any] | None = None
    if latest is not None:
        body = latest.body
        if len(body) > UPDATE_TEXT_LIMIT:
            body = body[: UPDATE_TEXT_LIMIT - 1].rstrip() + "…"
        update = {
            "status": latest.status,
            "body": body,
            "at": _iso(latest.at),
            "age_seconds": int((now - latest.at).total_seconds()) if latest.at else None,
        }
    return {
        "id": incident.id,
        "name": incident.name,
        "status": incident.status,
        "impact": incident.impact,
        "shortlink": incident.shortlink,
        "started_at": _iso(incident.began()),
        "resolved_at": _iso(incident.ended()),
        "components": sorted(set(incident.affected().values())),
        "yours": _scope(incident, keys) != "others",
        "latest_update": update,
    }


def _maintenance_brief(m: Incident, now: datetime, keys: frozenset[str]) -> dict[str, Any]:
    brief = incident_brief(m, now, keys)
    brief["scheduled_for"] = _iso(m.scheduled_for)
    brief["scheduled_until"] = _iso(m.scheduled_until)
    return brief


def status_page_block(a: Assessment) -> dict[str, Any]:
    """The compact ``status_page`` evidence block (lifted to the report's evidence)."""
    s = a.snapshot
    summary = s.summary
    return {
        "url": s.base_url,
        "reachable": s.reachable,
        "indicator": summary.indicator if summary else None,
        "description": summary.description if summary else None,
        "updated_at": _iso(summary.updated_at) if summary else None,
        "surfaces": [s.value for s in a.surfaces],
        "components": [
            {"name": c.name, "status": c.status, "yours": a.is_yours(c.id, c.name)}
            for c in (summary.components if summary else ())
            if not c.group
        ],
        "unresolved": [incident_brief(i, a.now, a.keys) for i in s.open_incidents()],
        "maintenance": {
            "active": [_maintenance_brief(m, a.now, a.keys) for m in s.maintenances_in_progress()],
            "upcoming": [
                _maintenance_brief(m, a.now, a.keys) for m in s.maintenances_scheduled()[:5]
            ],
        },
        "error_time": a.window.to_dict(),
        "overlapping": [incident_brief(i, a.now, a.keys) for i in a.overlapping],
        "ok_for_you": a.ok_for_you,
        "problems": [p.to_dict() for p in s.problems],
    }


# --- findings ----------------------------------------------------------------------------


def _incident_lines(incidents: Iterable[Incident], now: datetime) -> str:
    lines: list[str] = []
    for i in incidents:
        lines.append(f"{i.name} — {state_text(i.status)}, {i.impact} impact.")
        latest = i.latest_update
        if latest is not None and latest.body:
            age = f" ({age_text((now - latest.at).total_seconds())})" if latest.at else ""
            lines.append(f"Latest update{age}: {latest.body[:UPDATE_TEXT_LIMIT]}")
        if i.shortlink:
            lines.append(i.shortlink)
    return "\n".join(lines)


def _names(incidents: Sequence[Incident]) -> str:
    return "; ".join(i.name for i in incidents)


def _components_text(components: Sequence[Component]) -> str:
    return "; ".join(f"{c.name}: {state_text(c.status)}" for c in components)


def _unreadable(a: Assessment) -> Finding:
    s = a.snapshot
    problem = s.problem("summary")
    page = s.base_url
    if problem is None:  # not reachable always comes with the summary's problem
        title, detail, reached, kind = "Status page not read", "", False, "unknown"
    else:
        reached, kind = problem.kind.reached, problem.kind.value
        verb = "answered but could not be read" if reached else "unreachable"
        title = f"Status page {verb}: {problem.detail}"
        detail = problem.detail
    return Finding(
        id="incident.status_page_unreadable" if reached else "incident.status_page_unreachable",
        branch=Branch.INCIDENT,
        severity=Severity.ERROR,
        title=title,
        detail=(
            f"claude-doctor could not read {page}: {detail}. This is not a sign of an "
            "Anthropic incident; it says something about the path from this machine (proxy, "
            "captive portal, DNS, TLS). The network check names the failing layer. You can "
            "also open the status page in a browser."
        ),
        next_steps=(NETWORK_STEP, f"{page} in a browser"),
        evidence={"problem": kind},
    )


def findings_for(a: Assessment) -> list[Finding]:
    """The status branch's findings, the deciding ones first; the ``status_page`` block
    rides on the first."""
    s = a.snapshot
    out: list[Finding] = []
    watch = "claude-doctor status --watch"
    if not s.reachable:
        out.append(_unreadable(a))
    if a.yours_down:
        known = any(c.status in BAD_STATES for c in a.yours_down)
        out.append(
            Finding(
                id="incident.component_degraded",
                branch=Branch.INCIDENT,
                severity=Severity.FAIL if known else Severity.WARN,
                title=f"Not operational: {_components_text(a.yours_down)}",
                detail=(
                    f"The status page shows a component {a.surface_label} relies on as not "
                    "operational. Errors now are likely Anthropic's, not this machine's: "
                    "wait, then retry the same path."
                ),
                next_steps=(watch, s.base_url),
                evidence={"components": [[c.name, c.status] for c in a.yours_down]},
            )
        )
    if a.open_yours:
        count = len(a.open_yours)
        first = a.open_yours[0]
        title = (
            f"Unresolved incident: {first.name} ({state_text(first.status)}, {first.impact} impact)"
            if count == 1
            else f"{count} unresolved incidents: {_names(a.open_yours)}"
        )
        links = tuple(i.shortlink for i in a.open_yours if i.shortlink)
        out.append(
            Finding(
                id="incident.unresolved",
                branch=Branch.INCIDENT,
                severity=Severity.FAIL,
                title=title,
                detail=_incident_lines(a.open_yours, a.now),
                next_steps=(watch, *links),
                evidence={"incident_ids": [i.id for i in a.open_yours]},
            )
        )
    if a.maintenance_yours:
        out.append(
            Finding(
                id="incident.maintenance_active",
                branch=Branch.INCIDENT,
                severity=Severity.FAIL,
                title=f"Maintenance in progress: {_names(a.maintenance_yours)}",
                detail=_incident_lines(a.maintenance_yours, a.now),
                next_steps=(watch,),
                evidence={"maintenance_ids": [m.id for m in a.maintenance_yours]},
            )
        )
    if a.open_unscoped:
        out.append(
            Finding(
                id="incident.unresolved_unscoped",
                branch=Branch.INCIDENT,
                severity=Severity.WARN,
                title=f"Unresolved incident naming no component: {_names(a.open_unscoped)}",
                detail=(
                    "It does not say which components it touches, so it may touch "
                    f"{a.surface_label}.\n" + _incident_lines(a.open_unscoped, a.now)
                ),
                next_steps=(watch,),
                evidence={"incident_ids": [i.id for i in a.open_unscoped]},
            )
        )
    if a.overlapping:
        resolved = [i for i in a.overlapping if i.ended() is not None]
        tail = (
            " It has been resolved since: retry the same path now."
            if resolved and len(resolved) == len(a.overlapping)
            else ""
        )
        out.append(
            Finding(
                id="incident.overlapped_error_time",
                branch=Branch.INCIDENT,
                severity=Severity.INFO,
                title=(
                    f"An incident overlapped the time of your error ({a.window.label}): "
                    f"{_names(a.overlapping)}"
                ),
                detail=(
                    f"Between {_iso(a.window.start)} and {_iso(a.window.end)} (15 minutes "
                    f"margin) the page had an incident on what you use.{tail}\n"
                    + _incident_lines(a.overlapping, a.now)
                ),
                next_steps=tuple(i.shortlink for i in a.overlapping if i.shortlink),
                evidence={"incident_ids": [i.id for i in a.overlapping]},
            )
        )
    if a.maintenance_soon:
        first = a.maintenance_soon[0]
        starts = first.scheduled_for
        when = age_text((starts - a.now).total_seconds()) if starts else "soon"
        out.append(
            Finding(
                id="incident.maintenance_soon",
                branch=Branch.INCIDENT,
                severity=Severity.INFO,
                title=f"Maintenance within the hour: {_names(a.maintenance_soon)}",
                detail=(
                    f"Starts at {_iso(starts)}"
                    + (f" (in {when.removesuffix(' ago')})" if starts and starts > a.now else "")
                    + ".\n"
                    + _incident_lines(a.maintenance_soon, a.now)
                ),
                evidence={"maintenance_ids": [m.id for m in a.maintenance_soon]},
            )
        )
    others: list[str] = []
    if a.others_down:
        others.append(_components_text(a.others_down))
    if a.open_others:
        others.append("incident: " + _names(a.open_others))
    if a.maintenance_others:
        others.append("maintenance: " + _names(a.maintenance_others))
    if others:
        out.append(
            Finding(
                id="incident.elsewhere",
                branch=Branch.INCIDENT,
                severity=Severity.INFO,
                title=f"Not on your path ({a.surface_label}): {'; '.join(others)}",
                detail="These do not touch the components your surface relies on.",
            )
        )
    if s.reachable and not a.components_found:
        out.append(
            Finding(
                id="incident.components_not_found",
                branch=Branch.INCIDENT,
                severity=Severity.INFO,
                title=f"No component on the page matches {a.surface_label}",
                detail=(
                    "The page's components may have been renamed; every component's state "
                    "is in the evidence (claude-doctor status shows them all)."
                ),
            )
        )
    missing = [p for p in s.problems if p.endpoint != "summary"]
    if s.reachable and missing:
        out.append(
            Finding(
                id="incident.status_partial",
                branch=Branch.INCIDENT,
                severity=Severity.INFO,
                title=f"Part of the status page could not be read ({missing[0].endpoint})",
                detail="; ".join(f"{p.endpoint}: {p.detail}" for p in missing),
                evidence={"endpoints": [p.endpoint for p in missing]},
            )
        )
    if s.reachable and a.ok_for_you and not a.open_unscoped:
        summary = s.summary
        page = summary.description or summary.indicator if summary else ""
        history = (
            "no incident on them around the time of your error"
            if s.recent is not None and not a.overlapping
            else ""
        )
        out.append(
            Finding(
                id="incident.all_operational",
                branch=Branch.INCIDENT,
                severity=Severity.OK,
                title=f"Status page: {a.surface_label} operational ({page})",
                detail=(
                    f"Every component {a.surface_label} relies on is operational"
                    + (f"; {history}" if history else "")
                    + "."
                ),
            )
        )
    if out:
        first_finding = out[0]
        out[0] = Finding(
            first_finding.id,
            first_finding.branch,
            first_finding.severity,
            first_finding.title,
            first_finding.detail,
            first_finding.next_steps,
            {**first_finding.evidence, "status_page": status_page_block(a)},
        )
    return out


def fetch_timeout(run_timeout: float) -> float:
    """Each request's share of the run: inside the check's own limit, so a trickling
    server ends as a clear "timed out" finding of ours rather than the engine's."""
    return max(0.3, min(7.0, run_timeout * 0.8))


async def status_check(ctx: Context) -> list[Finding]:
    snapshot = await fetch_snapshot(
        ctx.network.client, ctx.settings.status_url, timeout=fetch_timeout(ctx.settings.timeout)
    )
    now = ctx.now()
    assessment = assess(
        snapshot, surfaces=surfaces_from(ctx), window=error_time_from(ctx, now), now=now
    )
    return findings_for(assessment)
