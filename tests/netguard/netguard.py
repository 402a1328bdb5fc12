"""Refuse every connection that would leave this machine.

Installed in the test process (conftest) and, through ``sitecustomize``, in every
``claude-doctor`` child process a test starts. It watches audit events, so UDP (DNS) is
caught as well as TCP. A refused attempt raises :class:`InternetBlockedError`, an
``OSError``, so the code under test sees an ordinary network failure at once instead of
hanging.
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class InternetBlockedError(ConnectionRefusedError):
    """A test tried to reach beyond loopback."""


def _is_local(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like
    host = host.strip("[]").split("%", 1)[0]
    if host.lower() in LOOPBACK_NAMES or host == "":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        host = address[0] if isinstance(address, tuple) and address else address
        if isinstance(host, str | bytes) and not _is_local(host):
            raise InternetBlockedError(f"test network guard: refused {event} to {address!r}")
    elif event == "socket.getaddrinfo" and not _is_local(args[0]):
        raise InternetBlockedError(f"test network guard: refused lookup of {args[0]!r}")


_installed = False


def install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
