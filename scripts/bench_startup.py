#!/usr/bin/env python3
"""Startup benchmark: median wall time of `claude-doctor --help` against `python -c pass`.

Target: `--help` under 0.15 s median on a 2-core machine.
Usage: python scripts/bench_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_wall(argv: list[str], runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    baseline = median_wall([sys.executable, "-c", "pass"], args.runs)
    help_time = median_wall([sys.executable, "-m", "claude_doctor", "--help"], args.runs)
    print(f"python -c pass         median {baseline * 1000:7.1f} ms over {args.runs} runs")
    print(f"claude-doctor --help   median {help_time * 1000:7.1f} ms over {args.runs} runs")
    print(f"ratio                  {help_time / baseline:7.2f}x")
    print(f"target                 < 150 ms: {'met' if help_time < 0.15 else 'NOT met'}")


if __name__ == "__main__":
    main()
