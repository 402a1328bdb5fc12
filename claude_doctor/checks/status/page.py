"""The Atlassian Statuspage public API v2 (FACTS §1), as status.claude.com runs it, as typed
data: components, incidents and their updates, maintenances, one :class:`Snapshot` of a
whole page, and :class:`PageProblem` for an endpoint that gave no usable answer.

The parsing of ``summary.json``, the incident lists and the maintenance lists tolerates what
real pages send: unknown status values, missing or null fields, and the three forms of
``affected_components``. Reading the endpoints is :mod:`.client`'s.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

OPERATIONAL = "operational"
#: Component states in order of badness; anything else is "unknown" but still not green.
COMPONENT_STATES = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)
RESOLVED_STATES = frozenset({"resolved", "postmortem", "completed"})
INDICATORS = ("none", "minor", "major", "critical", "maintenance")


class ProblemKind(enum.StrEnum):
    """Why an endpoint gave no usable answer."""

    TIMEOUT = "timeout"
    TLS = "tls"
    PROXY = "proxy"
    UNREACHABLE = "unreachable"
    HTTP_STATUS = "http_status"
    HTML = "html"
    NOT_JSON = "not_json"
    TRUNCATED = "truncated"
    TOO_LARGE = "too_large"
    WRONG_SHAPE = "wrong_shape"
    REDIRECT = "redirect"
    #: Something answered, but not with HTTP (another service on the port, a broken proxy).
    NOT_HTTP = "not_http"

    @property
    def reached(self) -> bool:
        """The server answered (with something unusable), as opposed to no answer at all."""
        return self not in (
            ProblemKind.TIMEOUT,
            ProblemKind.TLS,
            ProblemKind.PROXY,
            ProblemKind.UNREACHABLE,
        )


@dataclass(frozen=True)
class PageProblem:
    """One endpoint that could not be read, and why, in words a person can act on."""

    endpoint: str
    url: str
    kind: ProblemKind
    detail: str
    http_status: int | None = None
    #: The error as the system said it (``[Errno -2] Name or service not known``), when
    #: ``detail`` puts it in words.
    raw_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "endpoint": self.endpoint,
            "url": self.url,
            "kind": self.kind.value,
            "detail": self.detail,
            "http_status": self.http_status,
        }
        if self.raw_error:
            data["raw_error"] = self.raw_error
        return data


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    #: As the page says it; may be a value this version does not know.
    status: str
    position: int = 0
    group: bool = False
    group_id: str | None = None

    @property
    def operational(self) -> bool:
        return self.status == OPERATIONAL

    @property
    def known_status(self) -> bool:
        return self.status in COMPONENT_STATES


@dataclass(frozen=True)
class AffectedComponent:
    """One entry of an update's ``affected_components``. The 2019 form
    ``[{"name": "No components were affected by this update."}]`` has no ``code`` and is
    dropped by the parser, so it never counts as a component."""

    code: str
    name: str
    old_status: str | None = None
    new_status: str | None = None


@dataclass(frozen=True)
class IncidentUpdate:
    id: str
    status: str
    body: str
    at: datetime | None
    affected: tuple[AffectedComponent, ...] = ()


@dataclass(frozen=True)
class Incident:
    """An incident or a scheduled maintenance (same fields, plus the schedule)."""

    id: str
    name: str
    status: str
    impact: str
    shortlink: str | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None
    resolved_at: datetime | None = None
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None
    #: Components named on the incident itself: (id, name).
    components: tuple[tuple[str, str], ...] = ()
    updates: tuple[IncidentUpdate, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED_STATES or self.resolved_at is not None

    @property
    def latest_update(self) -> IncidentUpdate | None:
        dated = [u for u in self.updates if u.at is not None]
        if dated:
            return max(dated, key=lambda u: u.at or datetime.min.replace(tzinfo=UTC))
        return self.updates[0] if self.updates else None

    def affected(self) -> dict[str, str]:
        """Every component this incident names, id -> name: its own list and every
        update's ``affected_components``."""
        found: dict[str, str] = {}
        for cid, name in self.components:
            found.setdefault(cid, name)
        for update in self.updates:
            for a in update.affected:
                found.setdefault(a.code, a.name)
        return found

    def began(self) -> datetime | None:
        return self.started_at or self.scheduled_for or self.created_at

    def ended(self) -> datetime | None:
        """When it ended, or None while it is still open."""
        if self.resolved_at is not None:
            return self.resolved_at
        if self.status in RESOLVED_STATES:
            latest = self.latest_update
            return (latest.at if latest else None) or self.updated_at
        return None


@dataclass(frozen=True)
class Summary:
    page_name: str
    page_url: str
    updated_at: datetime | None
    indicator: str
    description: str
    components: tuple[Component, ...]
    incidents: tuple[Incident, ...]
    maintenances: tuple[Incident, ...]


@dataclass(frozen=True)
class Snapshot:
    """Everything read from the page in one go. A part that could not be read is None and
    its reason is in ``problems``."""

    base_url: str
    summary: Summary | None = None
    unresolved: tuple[Incident, ...] | None = None
    recent: tuple[Incident, ...] | None = None
    active_maintenances: tuple[Incident, ...] | None = None
    upcoming_maintenances: tuple[Incident, ...] | None = None
    problems: tuple[PageProblem, ...] = field(default=())

    @property
    def reachable(self) -> bool:
        return self.summary is not None

    def problem(self, endpoint: str) -> PageProblem | None:
        for p in self.problems:
            if p.endpoint == endpoint:
                return p
        return None

    def open_incidents(self) -> tuple[Incident, ...]:
        """Unresolved incidents: the dedicated list when it was read, else the summary's."""
        if self.unresolved is not None:
            return tuple(i for i in self.unresolved if not i.resolved)
        if self.summary is not None:
            return tuple(i for i in self.summary.incidents if not i.resolved)
        return ()

    def maintenances_in_progress(self) -> tuple[Incident, ...]:
        if self.active_maintenances is not None:
            return self.active_maintenances
        if self.summary is None:
            return ()
        return tuple(
            m for m in self.summary.maintenances if m.status in ("in_progress", "verifying")
        )

    def maintenances_scheduled(self) -> tuple[Incident, ...]:
        if self.upcoming_maintenances is not None:
            return self.upcoming_maintenances
        if self.summary is None:
            return ()
        return tuple(m for m in self.summary.maintenances if m.status == "scheduled")


# --- parsing -----------------------------------------------------------------------------


class ShapeError(ValueError):
    """The JSON parsed but is not the document the endpoint should return."""


def _str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as Statuspage writes it (``Z`` or an offset), aware UTC; else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _dicts(value: Any) -> list[dict[str, Any]]:
    """A list of objects; a null, a non-list or non-object items are skipped silently,
    since one odd entry must not hide the rest of the page."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def parse_component(data: Mapping[str, Any]) -> Component | None:
    cid = _str(data.get("id"))
    name = _str(data.get("name"))
    if not cid and not name:
        return None
    position = data.get("position")
    return Component(
        id=cid,
        name=name or cid,
        status=_str(data.get("status"), "unknown").strip().lower() or "unknown",
        position=position if isinstance(position, int) else 0,
        group=data.get("group") is True,
        group_id=_opt_str(data.get("group_id")),
    )


def _affected(value: Any) -> tuple[AffectedComponent, ...]:
    # Three forms (FACTS §1.4): null; [{code, name, old_status, new_status}]; and
    # [{"name": "No components were affected by this update."}], which names no component.
    found: list[AffectedComponent] = []
    for item in _dicts(value):
        code = _opt_str(item.get("code"))
        if code is None:
            continue
        found.append(
            AffectedComponent(
                code=code,
                name=_str(item.get("name"), code),
                old_status=_opt_str(item.get("old_status")),
                new_status=_opt_str(item.get("new_status")),
            )
        )
    return tuple(found)


def parse_incident(data: Mapping[str, Any]) -> Incident | None:
    iid = _str(data.get("id"))
    name = _str(data.get("name"))
    if not iid and not name:
        return None
    updates = tuple(
        IncidentUpdate(
            id=_str(u.get("id")),
            status=_str(u.get("status"), "unknown"),
            body=_str(u.get("body")).strip(),
            at=parse_time(u.get("display_at")) or parse_time(u.get("created_at")),
            affected=_affected(u.get("affected_components")),
        )
        for u in _dicts(data.get("incident_updates"))
    )
    components = tuple(
        (_str(c.get("id")), _str(c.get("name"), _str(c.get("id"))))
        for c in _dicts(data.get("components"))
        if c.get("id") or c.get("name")
    )
    return Incident(
        id=iid,
        name=name or iid,
        status=_str(data.get("status"), "unknown").strip().lower() or "unknown",
        impact=_str(data.get("impact"), "unknown").strip().lower() or "unknown",
        shortlink=_opt_str(data.get("shortlink")),
        created_at=parse_time(data.get("created_at")),
        started_at=parse_time(data.get("started_at")),
        updated_at=parse_time(data.get("updated_at")),
        resolved_at=parse_time(data.get("resolved_at")),
        scheduled_for=parse_time(data.get("scheduled_for")),
        scheduled_until=parse_time(data.get("scheduled_until")),
        components=components,
        updates=updates,
    )


def _incidents(value: Any) -> tuple[Incident, ...]:
    return tuple(i for i in (parse_incident(d) for d in _dicts(value)) if i is not None)


def parse_summary(data: Any) -> Summary:
    """``summary.json``. Raises :class:`ShapeError` when it is not a summary at all."""
    if not isinstance(data, dict):
        raise ShapeError("the top level is not an object")
    status = data.get("status")
    components = data.get("components")
    if not isinstance(status, dict) and not isinstance(components, list):
        raise ShapeError("it has neither a 'status' object nor a 'components' list")
    status = status if isinstance(status, dict) else {}
    raw_page = data.get("page")
    page: dict[str, Any] = raw_page if isinstance(raw_page, dict) else {}
    parsed = [parse_component(c) for c in _dicts(components)]
    return Summary(
        page_name=_str(page.get("name")),
        page_url=_str(page.get("url")),
        updated_at=parse_time(page.get("updated_at")),
        indicator=_str(status.get("indicator"), "unknown").strip().lower() or "unknown",
        description=_str(status.get("description")),
        components=tuple(
            sorted((c for c in parsed if c is not None), key=lambda c: (c.position, c.name))
        ),
        incidents=_incidents(data.get("incidents")),
        maintenances=_incidents(data.get("scheduled_maintenances")),
    )


def _list_parser(key: str) -> Callable[[Any], tuple[Incident, ...]]:
    def parse(data: Any) -> tuple[Incident, ...]:
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise ShapeError(f"it has no '{key}' list")
        return _incidents(data[key])

    return parse


parse_incident_list = _list_parser("incidents")
parse_maintenance_list = _list_parser("scheduled_maintenances")
