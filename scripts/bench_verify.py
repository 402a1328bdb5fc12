"""Benchmark ``claude-doctor verify --yes --timeout 3`` against two hostile local APIs.

1. A black hole: TCP connects into a backlog, TLS never answers. The target is 3.5 s for
   the whole command, start-up included: every attempt and backoff fits in the timeout.
2. A trickling server: the response head at once, then one byte of the body every 0.5 s.
   The total-time limit, not the per-read one, must end it near the timeout as well.

Each runs the real command in a child process (the network guard loaded, a fake home, a
fake key) and prints its wall time and exit code. Run from the repository root:
``python scripts/bench_verify.py`` (``BENCH_TIMEOUT`` changes the 3 s).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trustme

from tests.kit.local import (
    FakeHome,
    Reply,
    ScriptedServer,
    black_hole_port,
    run_cli,
    server_ssl_context,
)

TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "3"))
TARGET = TIMEOUT + 0.5
KEY = "sk-ant-api03-" + "benchKey0" * 9 + "Zz9q"


def timed(home: FakeHome, base_url: str, ca_file: Path) -> tuple[float, int, str]:
    env = home.env(
        ANTHROPIC_BASE_URL=base_url,
        ANTHROPIC_API_KEY=KEY,
        SSL_CERT_FILE=str(ca_file),
        CLAUDE_DOCTOR_TIMEOUT=f"{TIMEOUT:g}",
    )
    began = time.monotonic()
    result = run_cli(
        ["verify", "--yes", "--no-save", "--timeout", f"{TIMEOUT:g}"],
        env,
        cwd=home.cwd,
        timeout=120,
    )
    took = time.monotonic() - began
    last = (result.stdout.strip().splitlines() or result.stderr.strip().splitlines() or [""])[-1]
    return took, result.code, last


def main() -> None:
    ca = trustme.CA()
    with tempfile.TemporaryDirectory() as tmp:
        home = FakeHome(Path(tmp))
        ca_file = Path(tmp) / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        rows: list[tuple[str, float, int, str]] = []
        with black_hole_port() as port:
            rows.append(("black hole", *timed(home, f"https://127.0.0.1:{port}", ca_file)))
        server = ScriptedServer(server_ssl_context(ca, "127.0.0.1")).start()
        try:
            body = b'{"data": [' + b" " * 4096 + b"]}"
            server.routes["/v1/models"] = Reply(200, body, trickle=1, trickle_pause=0.5)
            rows.append(("trickling body", *timed(home, server.url, ca_file)))
        finally:
            server.stop()
    print(f"verify --yes --timeout {TIMEOUT:g} (target: at most {TARGET:g} s)")
    worst = 0.0
    for name, took, code, last in rows:
        worst = max(worst, took)
        print(f"  {name:<15} {took:6.2f} s  exit {code}  {last[:90]}")
    print(f"  worst {worst:.2f} s: {'within' if worst <= TARGET else 'OVER'} the target")


if __name__ == "__main__":
    main()
