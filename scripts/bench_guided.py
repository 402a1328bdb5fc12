#!/usr/bin/env python3
"""Guided-run benchmark: the time from the last answer to the verdict, against the time the
slowest check still running needed after that answer.

A scripted person answers the six questions at a steady pace while eight checks of
different lengths run behind them (some wait for answers). Target: the verdict arrives no
later than the slowest check still running at the last answer (overhead near 0 ms).
Usage: python scripts/bench_guided.py [--pace 0.4] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claude_doctor.context import Context
from claude_doctor.engine import Check
from claude_doctor.guided.run import guided_run
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.settings import load_settings


class ScriptedPerson:
    """Answers every question with its default after ``pace`` seconds."""

    def __init__(self, pace: float) -> None:
        self.pace = pace
        self.last_answer = 0.0

    async def _answer(self) -> None:
        await asyncio.sleep(self.pace)
        self.last_answer = time.monotonic()

    async def select(
        self, message: str, choices: Sequence[tuple[str, str]], default: str | None
    ) -> str | None:
        await self._answer()
        return default

    async def paste(self, message: str) -> str:
        await self._answer()
        return "API Error: 500 Internal server error"

    async def path(self, message: str) -> str:
        await self._answer()
        return ""

    async def confirm(self, message: str, default: bool) -> bool:
        return default

    def say(self, text: str) -> None:
        pass


def sleeper(name: str, seconds: float, ends: dict[str, float], needs: set[str]) -> Check:
    async def run(ctx: Context) -> list[Finding]:
        await asyncio.sleep(seconds)
        ends[name] = time.monotonic()
        return [Finding(f"route.{name}", Branch.ROUTE, Severity.OK, name)]

    return Check(name, "route", Branch.ROUTE, run, 30, "a sleep", needs=frozenset(needs))


def one_run(pace: float) -> tuple[float, float]:
    ends: dict[str, float] = {}
    checks = [
        sleeper("a", 0.3, ends, set()),
        sleeper("b", 1.0, ends, set()),
        sleeper("c", 2.6, ends, set()),
        sleeper("d", 0.8, ends, {"surface"}),
        sleeper("e", 1.5, ends, {"error_text", "when"}),
        sleeper("f", 0.9, ends, {"account"}),
        sleeper("g", 0.6, ends, {"account"}),
        sleeper("h", 0.2, ends, {"payload_path"}),
    ]
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings({"HOME": home, "CLAUDE_DOCTOR_HOME": home}, timeout=30)
        person = ScriptedPerson(pace)
        asyncio.run(guided_run(settings, checks, person))
        verdict = time.monotonic()
    slowest_left = max(0.0, max(ends.values()) - person.last_answer)
    return verdict - person.last_answer, slowest_left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pace", type=float, default=0.4, help="seconds per answer")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    gaps, lefts = [], []
    for _ in range(args.runs):
        gap, left = one_run(args.pace)
        gaps.append(gap)
        lefts.append(left)
        print(
            f"last answer -> verdict {gap * 1000:7.1f} ms; "
            f"slowest check still running needed {left * 1000:7.1f} ms; "
            f"overhead {(gap - left) * 1000:6.1f} ms"
        )
    overhead = statistics.median(g - left for g, left in zip(gaps, lefts, strict=True))
    print(f"median overhead over {args.runs} runs: {overhead * 1000:.1f} ms (target: about 0)")


if __name__ == "__main__":
    main()
