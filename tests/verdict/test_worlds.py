"""Every compound world through the real ``check`` path: the verdict's branch, the branches
under "Also found" (and the ids the issue names), the confidence, what is left open, and the
exit code, against what a support engineer would answer.

A failure reads as one line: what the tool said, then what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.kit.local import FakeHome
from tests.verdict import table_accounts, table_network, table_service
from tests.verdict.machine import Lab
from tests.verdict.runner import run_world
from tests.verdict.world import World

WORLDS: tuple[World, ...] = (
    *table_network.WORLDS,
    *table_accounts.WORLDS,
    *table_service.WORLDS,
)


def test_the_table_is_large_and_every_world_is_named_once() -> None:
    names = [w.name for w in WORLDS]
    assert len(names) >= 40
    assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]
    assert all(w.says and len(w.says) < 200 for w in WORLDS)


def said(verdict: dict[str, Any], code: int | None) -> dict[str, Any]:
    """The parts of a verdict the worlds judge, as plain values."""
    also = verdict.get("also_found") or []
    return {
        "branch": verdict.get("branch"),
        "also": sorted({a.get("branch") for a in also}),
        "also_ids": sorted({a.get("id") for a in also}),
        "confidence": verdict.get("confidence"),
        "because": list(verdict.get("because") or []),
        "open": sorted({o.get("branch") for o in verdict.get("open") or []}),
        "exit": code,
    }


def mismatches(world: World, got: dict[str, Any], summary: str) -> list[str]:
    wrong: list[str] = []
    if got["branch"] != world.branch:
        wrong.append(f"branch {got['branch']} (want {world.branch})")
    if set(got["also"]) != world.also:
        wrong.append(f"also_found {got['also']} (want {sorted(world.also)})")
    missing_ids = world.also_ids - set(got["also_ids"])
    if missing_ids:
        wrong.append(f"also_found ids {got['also_ids']} (want {sorted(missing_ids)})")
    if got["confidence"] != world.confidence:
        wrong.append(f"confidence {got['confidence']} (want {world.confidence})")
    if world.because_any and not world.because_any & set(got["because"]):
        wrong.append(f"because {got['because']} (want one of {sorted(world.because_any)})")
    if not world.open <= set(got["open"]):
        wrong.append(f"open {got['open']} (want {sorted(world.open)})")
    for words in world.summary_lacks:
        if words in summary.lower():
            wrong.append(f"summary says {words!r}")
    if got["exit"] is not None and got["exit"] != world.exit_code:
        wrong.append(f"exit {got['exit']} (want {world.exit_code})")
    return wrong


@pytest.mark.parametrize("world", WORLDS, ids=[w.name for w in WORLDS])
def test_world(lab: Lab, world: World, tmp_path: Path) -> None:
    outcome = run_world(lab, world, FakeHome(tmp_path))
    verdict = outcome.report["verdict"]
    wrong = mismatches(world, said(verdict, outcome.code), verdict.get("summary", ""))
    assert not wrong, f"{world.name}: " + "; ".join(wrong) + f" — summary: {verdict['summary']}"


@pytest.mark.parametrize(
    "name", ["offline_without_login", "gateway_nginx_html_500", "expired_renewable_idle"]
)
def test_a_child_process_says_what_the_process_says(lab: Lab, name: str, tmp_path: Path) -> None:
    """The worlds run the CLI in-process for speed; the real executable agrees."""
    world = next(w for w in WORLDS if w.name == name)
    inside = run_world(lab, world, FakeHome(tmp_path / "inside"))
    outside = run_world(lab, world, FakeHome(tmp_path / "outside"), subprocess=True)
    assert said(inside.report["verdict"], inside.code) == said(
        outside.report["verdict"], outside.code
    )
