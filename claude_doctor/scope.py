"""What matters to one user, read from the findings: the active route (the ``route.active``
finding's ``evidence.route``), whether it goes through a gateway, the hosts' roles their
surface and route depend on, and the incidents about nothing their route uses. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from claude_doctor.board import (
    ANTHROPIC_API_COMPONENTS,
    CLOUD_ROUTE,
    KEY_ROUTES,
    LOGIN_ROLES,
    ROLES,
)
from claude_doctor.model import Branch, Finding, Surface


def route_block(findings: Iterable[Finding]) -> dict[str, Any]:
    for f in findings:
        if f.id == "route.active" and isinstance(f.evidence.get("route"), dict):
            block: dict[str, Any] = f.evidence["route"]
            return block
    return {}


def is_gateway(route: dict[str, Any]) -> bool:
    base = route.get("base_url")
    return isinstance(base, str) and base.rstrip("/") not in ("", "https://api.anthropic.com")


def incident_components(findings: Sequence[Finding]) -> dict[str, list[str]]:
    """Each incident or maintenance id on the status page, with the components it names."""
    named: dict[str, list[str]] = {}
    for f in findings:
        page = f.evidence.get("status_page")
        if not isinstance(page, dict):
            continue
        maintenance = page.get("maintenance")
        active = maintenance.get("active", []) if isinstance(maintenance, dict) else []
        for item in [*page.get("unresolved", []), *active]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                named[item["id"]] = [str(c) for c in item.get("components") or []]
    return named


def unused_incidents(findings: Sequence[Finding], route_kind: str | None) -> frozenset[str]:
    """On a cloud route, the incident findings that name only Anthropic's own API."""
    if not (route_kind or "").startswith(CLOUD_ROUTE):
        return frozenset()
    named = incident_components(findings)
    unused: set[str] = set()
    for f in findings:
        if f.branch is not Branch.INCIDENT:
            continue
        names = [str(c[0]) for c in f.evidence.get("components") or [] if c]
        for key in ("incident_ids", "maintenance_ids"):
            for item in f.evidence.get(key) or []:
                names.extend(named.get(item, []))
        if names and all(any(w in n.lower() for w in ANTHROPIC_API_COMPONENTS) for n in names):
            unused.add(f.id)
    return frozenset(unused)


def roles_for(surface: Surface, route_kind: str | None) -> frozenset[str]:
    """The roles that matter: the login hosts only to a route that logs in through them."""
    roles = ROLES[surface]
    keyed = route_kind in KEY_ROUTES or (route_kind or "").startswith(CLOUD_ROUTE)
    if keyed and surface in (Surface.CLAUDE_CODE, Surface.UNKNOWN):
        return roles - LOGIN_ROLES
    return roles
