"""The status page read against the user: which components their surface relies on (matched
by substring, since the page renames components, FACTS §1.5), which of them are not
operational, which unresolved incidents and maintenances touch them, and which incidents,
resolved or not, overlapped the time of the error (with a 15 minute margin).

The surface and time vocabularies live here; what the assessment means, as findings, is
:mod:`.judge`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from claude_doctor.checks.status.page import Component, Incident, Snapshot
from claude_doctor.context import Context
from claude_doctor.model import Surface, When

MARGIN = timedelta(minutes=15)
#: An upcoming maintenance this close is worth saying.
SOON = timedelta(hours=1)

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


def component_keys(surfaces: Iterable[Surface]) -> frozenset[str]:
    """The component keys the surfaces rely on."""
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
            "from": iso(self.start),
            "to": iso(self.end),
            "source": self.source,
            "label": self.label,
        }


def error_time(
    now: datetime, *, at: datetime | None = None, when: When | None = None, source: str = "now"
) -> ErrorTime:
    """A point in time gets 15 minutes either side; "now", "hour" and "today" reach back
    that far, plus the margin; nothing known means "just now"."""
    if at is not None:
        return ErrorTime(at - MARGIN, at + MARGIN, source, f"around {iso(at)}")
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


def iso(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 UTC to the second, ``Z`` for UTC."""
    if moment is None:
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def age_text(seconds: float) -> str:
    """How long ago, in words: seconds, minutes, hours or days."""
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h ago"
    return f"{round(seconds / 86400)} days ago"


def state_text(status: str) -> str:
    """A page state in words (``partial_outage`` -> ``partial outage``)."""
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


def scope(incident: Incident, keys: frozenset[str]) -> str:
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
    """The page against the surfaces' components and the error's time."""
    keys = component_keys(surfaces)
    components = snapshot.summary.components if snapshot.summary else ()
    # Groups are rolled up from their members; showing both would count one outage twice.
    leaves = [c for c in components if not c.group]
    yours = [c for c in leaves if matches(c.id, c.name, keys)]
    by_scope: dict[str, list[Incident]] = {"yours": [], "others": [], "unscoped": []}
    for incident in snapshot.open_incidents():
        by_scope[scope(incident, keys)].append(incident)
    maintenance_yours: list[Incident] = []
    maintenance_others: list[Incident] = []
    for m in snapshot.maintenances_in_progress():
        (maintenance_yours if scope(m, keys) == "yours" else maintenance_others).append(m)
    soon = [
        m
        for m in snapshot.maintenances_scheduled()
        if m.scheduled_for is not None
        and now <= m.scheduled_for <= now + SOON
        and scope(m, keys) != "others"
    ]
    history: dict[str, Incident] = {}
    for incident in (*(snapshot.recent or ()), *snapshot.open_incidents()):
        history.setdefault(incident.id or incident.name, incident)
    overlapping = [
        i for i in history.values() if scope(i, keys) != "others" and _overlaps(i, window, now)
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
