"""Status pages for tests: the real Statuspage samples, and Claude-shaped pages built with the
real component names and ids of status.claude.com (FACTS §1.5), served by a ScriptedServer.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.kit.local import ROOT, Reply, ScriptedServer

#: CI has shared/ beside the checkout; tests/fixtures holds copies so the suite runs alone.
SHARED_SAMPLES = ROOT.parent / "shared" / "fixtures" / "statuspage"
LOCAL_SAMPLES = ROOT / "tests" / "fixtures" / "statuspage"
SAMPLE_NAMES = ("github_summary_2022-11-25_incident.json", "emma_incidents_2019-02.json")


def sample_path(name: str) -> Path:
    shared = SHARED_SAMPLES / name
    return shared if shared.is_file() else LOCAL_SAMPLES / name


def sample(name: str) -> Any:
    return json.loads(sample_path(name).read_text(encoding="utf-8"))


PAGE = {
    "id": "tymt9n04zgry",
    "name": "Claude",
    "url": "https://status.claude.com",
    "time_zone": "Etc/UTC",
    "updated_at": "2026-11-25T09:00:00.000Z",
}
COMPONENTS = (
    ("rwppv331jlwc", "claude.ai"),
    ("0qbwn08sd68x", "Claude Console (platform.claude.com)"),
    ("k8w3r06qmzrp", "Claude API (api.anthropic.com)"),
    ("yyzkbfz2thpt", "Claude Code"),
    ("bpp5gb3hpjcl", "Claude Cowork"),
    ("0scnb50nvy53", "Claude for Government"),
)
IDS = {name: cid for cid, name in COMPONENTS}
CODE, API, WEB = "Claude Code", "Claude API (api.anthropic.com)", "claude.ai"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def component(name: str, status: str = "operational") -> dict[str, Any]:
    cid = IDS[name]
    return {
        "id": cid,
        "name": name,
        "status": status,
        "created_at": "2023-07-11T17:00:00.000Z",
        "updated_at": "2026-11-25T09:00:00.000Z",
        "position": [n for _, n in COMPONENTS].index(name) + 1,
        "description": None,
        "showcase": False,
        "start_date": None,
        "group_id": None,
        "page_id": PAGE["id"],
        "group": False,
        "only_show_if_degraded": False,
    }


def incident(
    iid: str,
    name: str,
    *,
    status: str = "investigating",
    impact: str = "major",
    started: datetime,
    resolved: datetime | None = None,
    components: tuple[str, ...] = (),
    updates: tuple[tuple[str, str, datetime], ...] = (),
    affected_form: str = "list",
) -> dict[str, Any]:
    """An incident as Statuspage writes it; ``affected_form`` picks how updates name
    components: "list" ({code, name, ...}), "null" or "none_affected" (the 2019 form)."""

    def affected() -> Any:
        if affected_form == "null":
            return None
        if affected_form == "none_affected":
            return [{"name": "No components were affected by this update."}]
        return [
            {
                "code": IDS[c],
                "name": c,
                "old_status": "operational",
                "new_status": "major_outage",
            }
            for c in components
        ]

    return {
        "id": iid,
        "name": name,
        "status": status,
        "created_at": iso(started),
        "updated_at": iso(resolved or (updates[-1][2] if updates else started)),
        "monitoring_at": None,
        "resolved_at": iso(resolved) if resolved else None,
        "impact": impact,
        "shortlink": f"https://stspg.io/{iid}",
        "started_at": iso(started),
        "page_id": PAGE["id"],
        "incident_updates": [
            {
                "id": f"{iid}-u{n}",
                "status": state,
                "body": body,
                "incident_id": iid,
                "created_at": iso(at),
                "updated_at": iso(at),
                "display_at": iso(at),
                "affected_components": affected(),
                "deliver_notifications": True,
                "custom_tweet": None,
                "tweet_id": None,
            }
            for n, (state, body, at) in reversed(list(enumerate(updates)))
        ],
        "components": [component(c) for c in components] if affected_form == "list" else [],
    }


def maintenance(
    iid: str,
    name: str,
    *,
    status: str,
    starts: datetime,
    ends: datetime,
    components: tuple[str, ...],
) -> dict[str, Any]:
    data = incident(
        iid,
        name,
        status=status,
        impact="maintenance",
        started=starts,
        components=components,
        updates=((status, f"{name}: {status.replace('_', ' ')}.", starts),),
    )
    data.update(scheduled_for=iso(starts), scheduled_until=iso(ends))
    return data


def claude_page(
    states: dict[str, str] | None = None,
    *,
    indicator: str = "none",
    description: str = "All Systems Operational",
    unresolved: list[dict[str, Any]] | None = None,
    history: list[dict[str, Any]] | None = None,
    active: list[dict[str, Any]] | None = None,
    upcoming: list[dict[str, Any]] | None = None,
) -> dict[str, Reply]:
    """Routes for a whole Claude status page in one state."""
    states = states or {}
    unresolved = unresolved or []
    active = active or []
    upcoming = upcoming or []
    summary = {
        "page": PAGE,
        "components": [component(n, states.get(n, "operational")) for _, n in COMPONENTS],
        "incidents": unresolved,
        "scheduled_maintenances": active + upcoming,
        "status": {"indicator": indicator, "description": description},
    }
    return {
        "/api/v2/summary.json": Reply(200, summary),
        "/api/v2/incidents/unresolved.json": Reply(200, {"page": PAGE, "incidents": unresolved}),
        "/api/v2/incidents.json": Reply(
            200, {"page": PAGE, "incidents": unresolved + (history or [])}
        ),
        "/api/v2/scheduled-maintenances/active.json": Reply(
            200, {"page": PAGE, "scheduled_maintenances": active}
        ),
        "/api/v2/scheduled-maintenances/upcoming.json": Reply(
            200, {"page": PAGE, "scheduled_maintenances": upcoming}
        ),
    }


def serve(server: ScriptedServer, routes: dict[str, Reply]) -> None:
    server.routes.clear()
    server.routes.update(routes)


def all_routes(reply: Reply) -> dict[str, Reply]:
    """The same reply on every endpoint (an HTML portal, a timeout, ...)."""
    return {
        path: reply
        for path in (
            "/api/v2/summary.json",
            "/api/v2/incidents/unresolved.json",
            "/api/v2/incidents.json",
            "/api/v2/scheduled-maintenances/active.json",
            "/api/v2/scheduled-maintenances/upcoming.json",
        )
    }


def snapshot_of(routes: dict[str, Reply], base_url: str = "https://status.test") -> Any:
    """The :class:`Snapshot` a page of ``claude_page`` routes reads as, without a server."""
    from claude_doctor.checks.status.page import (
        Snapshot,
        parse_incident_list,
        parse_maintenance_list,
        parse_summary,
    )

    def body(path: str) -> Any:
        return routes[f"/api/v2/{path}"].body

    return Snapshot(
        base_url=base_url,
        summary=parse_summary(body("summary.json")),
        unresolved=parse_incident_list(body("incidents/unresolved.json")),
        recent=parse_incident_list(body("incidents.json")),
        active_maintenances=parse_maintenance_list(body("scheduled-maintenances/active.json")),
        upcoming_maintenances=parse_maintenance_list(body("scheduled-maintenances/upcoming.json")),
    )
