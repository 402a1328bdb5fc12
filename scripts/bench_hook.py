#!/usr/bin/env python3
"""StopFailure hook benchmark: the wall time ``claude -p`` takes to fail against a local
fake API answering 500 with claude-doctor's hook installed, with a hook that does nothing
(``true``: what Claude Code's own hook machinery costs) and without any (runs alternating,
each next run only once the last recorder is done), what the hook's own command line
takes, and how long the detached recorder needs to save its report.

Needs the real client (``scripts/real-claude`` installs it; ``CLAUDE_DOCTOR_REAL_CLAUDE``
points elsewhere). Nothing leaves 127.0.0.1.
Usage: python scripts/bench_hook.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kit import fakeapi as api  # noqa: E402
from tests.kit.local import FakeHome, run_cli  # noqa: E402
from tests.kit.realclaude import RealClaude, locate  # noqa: E402
from tests.real_client.test_hook import hook_env  # noqa: E402

OFFLINE_STATUS = "http://127.0.0.1:9"


def one_run(client: RealClaude, home: FakeHome, url: str) -> float:
    started = time.perf_counter()
    client.run(home, url, ("-p", "say hi"), extra=hook_env(home, OFFLINE_STATUS))
    return time.perf_counter() - started


def settle(home: FakeHome, count: int, seconds: float = 30) -> float | None:
    """Seconds until ``home`` holds ``count`` reports (None: not within ``seconds``)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if len(list((home.doctor / "reports").glob("report-*.json"))) >= count:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def hook_line(home: FakeHome, runs: int) -> list[float]:
    """The hook's own command line, fed a hook input, until it returns."""
    settings = json.loads(home.settings_path("user").read_text())
    command = settings["hooks"]["StopFailure"][0]["hooks"][0]["command"]
    data = json.dumps({"session_id": "bench", "cwd": str(home.cwd), "error": "server_error"})
    env = {**home.env(), **hook_env(home, OFFLINE_STATUS)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(["sh", "-c", command], input=data.encode(), env=env, check=False)
        times.append(time.perf_counter() - started)
    return times


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    client = locate()
    if isinstance(client, str):
        sys.exit(client)
    without: list[float] = []
    with_hook: list[float] = []
    with_true: list[float] = []
    delays: list[float | None] = []
    with tempfile.TemporaryDirectory() as scratch:
        bare, hooked = FakeHome(Path(scratch) / "bare"), FakeHome(Path(scratch) / "hooked")
        idle = FakeHome(Path(scratch) / "idle")
        entry = {"hooks": [{"type": "command", "command": "true", "timeout": 10}]}
        idle.settings("user", {"hooks": {"StopFailure": [entry]}})
        installed = run_cli(["hook", "install", "--yes"], hooked.env(), cwd=hooked.cwd)
        if installed.code != 0:
            sys.exit(installed.stderr)
        reply = api.api_error(500, "api_error", "Internal server error")
        with api.fake_api(reply) as fake:
            one_run(client, bare, fake.url)  # the client's first start is slower
            for n in range(1, args.runs + 1):
                without.append(one_run(client, bare, fake.url))
                with_true.append(one_run(client, idle, fake.url))
                with_hook.append(one_run(client, hooked, fake.url))
                delays.append(settle(hooked, n))
        line = hook_line(hooked, args.runs)
    added = [b - a for a, b in zip(without, with_hook, strict=True)]
    machinery = [b - a for a, b in zip(without, with_true, strict=True)]
    print(f"claude -p failing with 500, hook absent:   median {ms(without)} ({args.runs} runs)")
    print(f"claude -p failing with 500, `true` hook:   median {ms(with_true)}")
    print(f"claude -p failing with 500, hook present:  median {ms(with_hook)}")
    print(f"added by any hook (pairwise):              median {ms(machinery)}")
    print(f"added by claude-doctor's hook (pairwise):  median {ms(added)}")
    print(f"the hook's command line alone:             median {ms(line)}")
    done = [d for d in delays if d is not None]
    if done:
        print(f"report saved after the client exited:      median {statistics.median(done):7.1f} s")
    print(f"reports saved: {len(done)} of {len(delays)}")


if __name__ == "__main__":
    main()
