"""The status branch: is it Anthropic right now, and was it at the time of the error?

Reads the status page (:mod:`.page`), assesses it against the user's surface and error time
(:mod:`.assess`) and says it as findings, one kind each: a page that cannot be read (not an
incident: the network branch is where to look), components not operational, unresolved
incidents and maintenances on the user's path, an incident that overlapped the error, what
is down elsewhere, and all operational. The ``status_page`` evidence block rides on the
first finding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from claude_doctor.checks.status.assess import (
    Assessment,
    age_text,
    assess,
    error_time_from,
    iso,
    scope,
    state_text,
    surfaces_from,
)
from claude_doctor.checks.status.cache import read_page
from claude_doctor.checks.status.page import COMPONENT_STATES, Component, Incident
from claude_doctor.context import Context
from claude_doctor.model import Branch, Finding, FindingMaker, Severity

UPDATE_TEXT_LIMIT = 400
NETWORK_STEP = "claude-doctor check --only network"
WATCH_STEP = "claude-doctor status --watch"
BAD_STATES = frozenset(COMPONENT_STATES) - {"operational"}

incident = FindingMaker(Branch.INCIDENT)


# --- evidence ----------------------------------------------------------------------------


def incident_brief(item: Incident, now: datetime, keys: frozenset[str]) -> dict[str, Any]:
    latest = item.latest_update
    update: dict[str, Any] | None = None
    if latest is not None:
        body = latest.body
        if len(body) > UPDATE_TEXT_LIMIT:
            body = body[: UPDATE_TEXT_LIMIT - 1].rstrip() + "…"
        update = {
            "status": latest.status,
            "body": body,
            "at": iso(latest.at),
            "age_seconds": int((now - latest.at).total_seconds()) if latest.at else None,
        }
    return {
        "id": item.id,
        "name": item.name,
        "status": item.status,
        "impact": item.impact,
        "shortlink": item.shortlink,
        "started_at": iso(item.began()),
        "resolved_at": iso(item.ended()),
        "components": sorted(set(item.affected().values())),
        "yours": scope(item, keys) != "others",
        "latest_update": update,
    }


def _maintenance_brief(m: Incident, now: datetime, keys: frozenset[str]) -> dict[str, Any]:
    brief = incident_brief(m, now, keys)
    brief["scheduled_for"] = iso(m.scheduled_for)
    brief["scheduled_until"] = iso(m.scheduled_until)
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
        "updated_at": iso(summary.updated_at) if summary else None,
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


def _listed(
    a: Assessment,
    cause: str,
    severity: Severity,
    title: str,
    items: Sequence[Incident],
    *,
    lead: str = "",
    steps: tuple[str, ...] = (),
    ids: str = "incident_ids",
) -> list[Finding]:
    """A finding about incidents or maintenances: each one's state, latest update and link
    in the detail (after ``lead``), their ids in the evidence under ``ids``."""
    return [
        incident(
            cause,
            severity,
            title,
            lead + _incident_lines(items, a.now),
            steps,
            **{ids: [i.id for i in items]},
        )
    ]


def _unreadable(a: Assessment) -> list[Finding]:
    s = a.snapshot
    if s.reachable:
        return []
    problem = s.problem("summary")
    page = s.base_url
    if problem is None:  # not reachable always comes with the summary's problem
        title, detail, reached, kind = "Status page not read", "", False, "unknown"
    else:
        reached, kind = problem.kind.reached, problem.kind.value
        verb = "answered but could not be read" if reached else "unreachable"
        title = f"Status page {verb}: {problem.detail}"
        detail = problem.detail
    finding = incident(
        "status_page_unreadable" if reached else "status_page_unreachable",
        # Not `error` (a crashed or timed-out check): the check finished and says what it
        # could not read; the verdict still leaves the incident branch open (decide).
        Severity.INFO,
        title,
        f"claude-doctor could not read {page}: {detail}. This is not a sign of an "
        "Anthropic incident; it says something about the path from this machine (proxy, "
        "captive portal, DNS, TLS). The network check names the failing layer. You can "
        "also open the status page in a browser.",
        (NETWORK_STEP, f"{page} in a browser"),
        problem=kind,
    )
    return [finding]


def _components_down(a: Assessment) -> list[Finding]:
    if not a.yours_down:
        return []
    known = any(c.status in BAD_STATES for c in a.yours_down)
    finding = incident(
        "component_degraded",
        Severity.FAIL if known else Severity.WARN,
        f"Not operational: {_components_text(a.yours_down)}",
        f"The status page shows a component {a.surface_label} relies on as not "
        "operational. Errors now are likely Anthropic's, not this machine's: "
        "wait, then retry the same path.",
        (WATCH_STEP, a.snapshot.base_url),
        components=[[c.name, c.status] for c in a.yours_down],
    )
    return [finding]


def _unresolved(a: Assessment) -> list[Finding]:
    if not a.open_yours:
        return []
    first = a.open_yours[0]
    title = (
        f"Unresolved incident: {first.name} ({state_text(first.status)}, {first.impact} impact)"
        if len(a.open_yours) == 1
        else f"{len(a.open_yours)} unresolved incidents: {_names(a.open_yours)}"
    )
    links = tuple(i.shortlink for i in a.open_yours if i.shortlink)
    return _listed(a, "unresolved", Severity.FAIL, title, a.open_yours, steps=(WATCH_STEP, *links))


def _maintenance_active(a: Assessment) -> list[Finding]:
    if not a.maintenance_yours:
        return []
    title = f"Maintenance in progress: {_names(a.maintenance_yours)}"
    return _listed(
        a,
        "maintenance_active",
        Severity.FAIL,
        title,
        a.maintenance_yours,
        steps=(WATCH_STEP,),
        ids="maintenance_ids",
    )


def _unscoped(a: Assessment) -> list[Finding]:
    if not a.open_unscoped:
        return []
    return _listed(
        a,
        "unresolved_unscoped",
        Severity.WARN,
        f"Unresolved incident naming no component: {_names(a.open_unscoped)}",
        a.open_unscoped,
        lead=f"It does not say which components it touches, so it may touch {a.surface_label}.\n",
        steps=(WATCH_STEP,),
    )


def _overlapped(a: Assessment) -> list[Finding]:
    """An incident on the user's path within 15 minutes of the error's time."""
    if not a.overlapping:
        return []
    resolved = [i for i in a.overlapping if i.ended() is not None]
    tail = (
        " It has been resolved since: retry the same path now."
        if resolved and len(resolved) == len(a.overlapping)
        else ""
    )
    # An error that carries its own time (pasted with it, or recorded by the StopFailure
    # hook at that moment) makes the overlap evidence about that error, not a guess.
    severity = Severity.WARN if a.window.source == "signal" else Severity.INFO
    return _listed(
        a,
        "overlapped_error_time",
        severity,
        f"An incident overlapped the time of your error ({a.window.label}): "
        f"{_names(a.overlapping)}",
        a.overlapping,
        lead=f"Between {iso(a.window.start)} and {iso(a.window.end)} (15 minutes "
        f"margin) the page had an incident on what you use.{tail}\n",
        steps=tuple(i.shortlink for i in a.overlapping if i.shortlink),
    )


def _maintenance_soon(a: Assessment) -> list[Finding]:
    if not a.maintenance_soon:
        return []
    starts = a.maintenance_soon[0].scheduled_for
    when = age_text((starts - a.now).total_seconds()) if starts else "soon"
    return _listed(
        a,
        "maintenance_soon",
        Severity.INFO,
        f"Maintenance within the hour: {_names(a.maintenance_soon)}",
        a.maintenance_soon,
        lead=f"Starts at {iso(starts)}"
        + (f" (in {when.removesuffix(' ago')})" if starts and starts > a.now else "")
        + ".\n",
        ids="maintenance_ids",
    )


def _elsewhere(a: Assessment) -> list[Finding]:
    """What is down, in an incident or under maintenance off the user's path."""
    others: list[str] = []
    if a.others_down:
        others.append(_components_text(a.others_down))
    if a.open_others:
        others.append("incident: " + _names(a.open_others))
    if a.maintenance_others:
        others.append("maintenance: " + _names(a.maintenance_others))
    if not others:
        return []
    finding = incident(
        "elsewhere",
        Severity.INFO,
        f"Not on your path ({a.surface_label}): {'; '.join(others)}",
        "These do not touch the components your surface relies on.",
    )
    return [finding]


def _page_gaps(a: Assessment) -> list[Finding]:
    """A page read in part: no component matching the surface, or endpoints not read."""
    s = a.snapshot
    if not s.reachable:
        return []
    found: list[Finding] = []
    if not a.components_found:
        found.append(
            incident(
                "components_not_found",
                Severity.INFO,
                f"No component on the page matches {a.surface_label}",
                "The page's components may have been renamed; every component's state "
                "is in the evidence (claude-doctor status shows them all).",
            )
        )
    missing = [p for p in s.problems if p.endpoint != "summary"]
    if missing:
        found.append(
            incident(
                "status_partial",
                Severity.INFO,
                f"Part of the status page could not be read ({missing[0].endpoint})",
                "; ".join(f"{p.endpoint}: {p.detail}" for p in missing),
                endpoints=[p.endpoint for p in missing],
            )
        )
    return found


def _all_operational(a: Assessment) -> list[Finding]:
    s = a.snapshot
    if not (s.reachable and a.ok_for_you and not a.open_unscoped):
        return []
    summary = s.summary
    page = summary.description or summary.indicator if summary else ""
    history = (
        "no incident on them around the time of your error"
        if s.recent is not None and not a.overlapping
        else ""
    )
    finding = incident(
        "all_operational",
        Severity.OK,
        f"Status page: {a.surface_label} operational ({page})",
        f"Every component {a.surface_label} relies on is operational"
        + (f"; {history}" if history else "")
        + ".",
    )
    return [finding]


#: Each kind of finding, the deciding ones first.
FINDING_KINDS: tuple[Callable[[Assessment], list[Finding]], ...] = (
    _unreadable,
    _components_down,
    _unresolved,
    _maintenance_active,
    _unscoped,
    _overlapped,
    _maintenance_soon,
    _elsewhere,
    _page_gaps,
    _all_operational,
)


def findings_for(a: Assessment) -> list[Finding]:
    """The status branch's findings, the deciding ones first; the ``status_page`` block
    rides on the first."""
    out = [finding for kind in FINDING_KINDS for finding in kind(a)]
    if out:
        first = out[0]
        out[0] = dataclasses.replace(
            first, evidence={**first.evidence, "status_page": status_page_block(a)}
        )
    return out


def fetch_timeout(run_timeout: float) -> float:
    """Each request's share of the run: inside the check's own limit, so a trickling
    server ends as a clear "timed out" finding of ours rather than the engine's."""
    return max(0.3, min(7.0, run_timeout * 0.8))


async def status_check(ctx: Context) -> list[Finding]:
    snapshot = await read_page(
        ctx.network.client, ctx.settings, timeout=fetch_timeout(ctx.settings.timeout)
    )
    now = ctx.now()
    assessment = assess(
        snapshot, surfaces=surfaces_from(ctx), window=error_time_from(ctx, now), now=now
    )
    return findings_for(assessment)
