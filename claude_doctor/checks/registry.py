"""The check registry: every check, its group (what ``--only`` names) and its time budget.

One package per branch lives beside this file. Environment facts always run: they are the
report's ``environment`` block, not a branch.
"""

from __future__ import annotations

from collections.abc import Iterable

from claude_doctor.checks.desktop import desktop_check
from claude_doctor.checks.environment import environment_facts
from claude_doctor.checks.login.check import login_check
from claude_doctor.checks.login.clock import clock_skew
from claude_doctor.checks.network.check import CHECK_TIMEOUT as NETWORK_TIMEOUT
from claude_doctor.checks.network.check import network_paths
from claude_doctor.checks.payload.check import payload_check
from claude_doctor.checks.route.check import route_check
from claude_doctor.checks.session.check import session_check
from claude_doctor.checks.settings_files import settings_sanity
from claude_doctor.checks.status.judge import status_check
from claude_doctor.engine import Check
from claude_doctor.model import Branch, Question

ALWAYS = "environment"

CHECKS: tuple[Check, ...] = (
    Check("environment", ALWAYS, Branch.NONE, environment_facts, 4.0, "`claude --version`"),
    Check("settings", "settings", Branch.ROUTE, settings_sanity, 5.0, "the settings files"),
    Check(
        "status",
        "status",
        Branch.INCIDENT,
        status_check,
        8.0,
        "the status page",
        needs=frozenset({Question.SURFACE, Question.ERROR_TEXT, Question.WHEN}),
    ),
    Check(
        "desktop",
        "desktop",
        Branch.ROUTE,
        desktop_check,
        5.0,
        "Claude Desktop's files",
        needs=frozenset({Question.SURFACE}),
    ),
    Check("network", "network", Branch.NETWORK, network_paths, NETWORK_TIMEOUT, "network probes"),
    Check(
        "payload",
        "payload",
        Branch.PAYLOAD,
        payload_check,
        8.0,
        "the request file",
        needs=frozenset({Question.PAYLOAD_PATH}),
    ),
    Check("session", "session", Branch.SESSION, session_check, 8.0, "the session transcripts"),
    Check(
        "route",
        "route",
        Branch.ROUTE,
        route_check,
        12.0,
        "the apiKeyHelper command",
        needs=frozenset({Question.SURFACE, Question.ERROR_TEXT, Question.ACCOUNT}),
    ),
    Check(
        "login",
        "login",
        Branch.LOGIN,
        login_check,
        7.0,
        "`claude auth status`",
        needs=frozenset({Question.SURFACE, Question.ERROR_TEXT}),
    ),
    Check("clock", "login", Branch.LOGIN, clock_skew, 3.0, "the API's Date header"),
)

#: Branch names accepted by ``--only`` and the check groups they stand for.
BRANCH_GROUPS: dict[str, tuple[str, ...]] = {
    Branch.INCIDENT.value: ("status",),
    Branch.LOGIN.value: ("login",),
    Branch.ROUTE.value: ("route", "settings"),
    Branch.SESSION.value: ("session",),
    Branch.NETWORK.value: ("network",),
    Branch.PAYLOAD.value: ("payload",),
}


class UnknownGroupError(ValueError):
    """``--only`` named something that is neither a check group nor a branch."""


def groups() -> list[str]:
    """Every name ``--only`` accepts: check groups and branch aliases, sorted."""
    names = {c.group for c in CHECKS if c.group != ALWAYS}
    names |= {b for b, gs in BRANCH_GROUPS.items() if any(g in names for g in gs)}
    return sorted(names)


def select_checks(only: Iterable[str] | None = None) -> list[Check]:
    """The checks to run: all of them, or those of the named groups / branches."""
    if only is None:
        return list(CHECKS)
    wanted: set[str] = set()
    valid = groups()
    for raw in only:
        name = raw.strip().lower()
        if not name:
            continue
        if name not in valid:
            raise UnknownGroupError(f"unknown check group {name!r}; choose from {', '.join(valid)}")
        wanted.update(BRANCH_GROUPS.get(name, (name,)))
    return [c for c in CHECKS if c.group == ALWAYS or c.group in wanted]
