"""Run a command in the network namespace ``unshare --net --mount --map-root-user`` gives:
only loopback, and ``/etc/resolv.conf`` replaced (in that namespace only) by one naming
127.0.0.1. With ``--nxdomain`` a DNS server on 127.0.0.1:53 answers every name NXDOMAIN (a
name that does not exist); without it nothing answers there (a machine with no reachable
resolver). The command's stdin, stdout, stderr and exit code are its own.

Usage: ``unshare --net --mount --map-root-user python tests/sdk_texts/isolated.py
[--nxdomain] -- CMD ...``. Nothing here reaches beyond the namespace.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


def _nxdomain(sock: socket.socket) -> None:
    import dns.message
    import dns.rcode

    while True:
        try:
            data, peer = sock.recvfrom(4096)
            response = dns.message.make_response(dns.message.from_wire(data))
            response.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(response.to_wire(), peer)
        except OSError:
            return
        except Exception:  # a datagram that is not a DNS query
            continue


def main(argv: list[str]) -> int:
    nxdomain = "--nxdomain" in argv[: argv.index("--")]
    command = argv[argv.index("--") + 1 :]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)
    with tempfile.TemporaryDirectory() as scratch:
        resolv = Path(scratch) / "resolv.conf"
        resolv.write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        subprocess.run(["mount", "--bind", str(resolv), "/etc/resolv.conf"], check=True, timeout=10)
        if nxdomain:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 53))
            threading.Thread(target=_nxdomain, args=(sock,), daemon=True).start()
        return subprocess.run(command, check=False, timeout=60).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
