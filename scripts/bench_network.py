"""Benchmark the network branch against local servers.

1. Every probe delayed by 300 ms: the DNS server waits 300 ms before each answer and the
   HTTPS server waits 300 ms before each TLS handshake (so an HTTP request, which makes its own
   connection, also waits 300 ms). TCP accept is the kernel's and is not delayed. All five hosts
   are aimed at these servers. Prints wall time / 300 ms; the target is under 1.5 (the branch
   takes about as long as its slowest probe, never the sum).
2. Every host a black hole (DNS never answers, TCP connects but TLS never answers): prints the
   wall time against the run's deadline, which the branch must not pass.

Run from the repository root: ``python scripts/bench_network.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trustme

from claude_doctor.checks.registry import select_checks
from claude_doctor.context import Context
from claude_doctor.engine import run_checks
from claude_doctor.model import Finding
from claude_doctor.net import Network
from claude_doctor.settings import load_settings
from tests.kit.local import Reply, ScriptedServer, black_hole_port, server_ssl_context
from tests.kit.network import DnsServer, connect_to

DELAY = float(__import__("os").environ.get("BENCH_DELAY", "0.3"))


class SlowHandshakes:
    """A server TLS context whose handshakes start ``DELAY`` seconds late."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def wrap_socket(self, sock: Any, **kwargs: Any) -> Any:
        time.sleep(DELAY)
        return self.inner.wrap_socket(sock, **kwargs)


async def run_branch(env: dict[str, str]) -> tuple[float, list[Finding]]:
    settings = load_settings(env)
    network = Network(settings)
    started = time.monotonic()
    try:
        result = await run_checks(select_checks(["network"]), Context(settings, network))
    finally:
        await network.aclose()
    return time.monotonic() - started, result.findings


def main() -> None:
    ca = trustme.CA()
    hosts = (
        "api.anthropic.com",
        "status.claude.com",
        "platform.claude.com",
        "claude.ai",
        "downloads.claude.ai",
    )
    with tempfile.TemporaryDirectory() as tmp:
        ca_file = Path(tmp) / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        base = {
            "HOME": tmp,
            "CLAUDE_DOCTOR_HOME": tmp,
            "SSL_CERT_FILE": str(ca_file),
            "CLAUDE_DOCTOR_PUBLIC_CA_FILE": str(ca_file),
        }
        server = ScriptedServer(SlowHandshakes(server_ssl_context(ca, *hosts))).start()  # type: ignore[arg-type]
        # Room for every probe's connection at once (socketserver's default backlog is 5,
        # and a full backlog drops SYNs for a second: a server limit, not the client's).
        server.httpd.socket.listen(128)
        server.routes["/v1/models"] = Reply(
            401,
            {"type": "error", "error": {"type": "authentication_error", "message": "no key"}},
            headers={"request-id": "req_bench"},
        )
        dns_server = DnsServer(delay=DELAY).start()
        env = {
            **base,
            "CLAUDE_DOCTOR_DNS_SERVERS": dns_server.address,
            "CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, server.port),
        }
        ratios = []
        for _ in range(5):
            wall, findings = asyncio.run(run_branch(env))
            problems = [f.id for f in findings if f.severity.is_problem]
            ratios.append(wall / DELAY)
            print(
                f"delayed probes: wall {wall * 1000:.0f} ms = {wall / DELAY:.2f} x 300 ms"
                f"  problems: {problems or 'none'}"
            )
        print(f"median ratio {statistics.median(ratios):.2f} (target < 1.5)")
        server.stop()
        dns_server.stop()

        silent = DnsServer({h: "silent" for h in hosts}).start()
        with black_hole_port() as port:
            for deadline in ("10", "3"):
                env = {
                    **base,
                    "CLAUDE_DOCTOR_TIMEOUT": deadline,
                    "CLAUDE_DOCTOR_DNS_SERVERS": silent.address,
                    "CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, port),
                }
                wall, findings = asyncio.run(run_branch(env))
                ids = sorted({f.id for f in findings if f.severity.is_problem})
                print(f"black holes, deadline {deadline} s: wall {wall:.2f} s  findings: {ids}")
        silent.stop()


if __name__ == "__main__":
    main()
