"""Real local parts for the network branch: a DNS server on a loopback UDP port, an HTTP
CONNECT proxy on loopback, a port that drops connection attempts, and a lab that aims every
host Claude needs at local servers (DNS, ``CLAUDE_DOCTOR_CONNECT_TO`` and both trust stores).

Nothing here reaches beyond 127.0.0.1 / ::1.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.message
import dns.rcode
import dns.rrset

from tests.kit.local import Reply

#: Addresses in Anthropic's published ranges: public, so never "suspicious".
PUBLIC_A = "160.79.104.10"
PUBLIC_AAAA = "2607:6bc0::10"
HOSTS = (
    "api.anthropic.com",
    "status.claude.com",
    "platform.claude.com",
    "claude.ai",
    "downloads.claude.ai",
)
#: The API's answer to an unauthenticated request: 401 with a request id.
REQUEST_ID = "req_011CSHoEeqs5C35K2UUqR7Fy"
AUTH_401 = Reply(
    401,
    {
        "type": "error",
        "error": {"type": "authentication_error", "message": "x-api-key header is required"},
        "request_id": REQUEST_ID,
    },
    headers={"request-id": REQUEST_ID},
)


class DnsServer:
    """A DNS server on 127.0.0.1 over UDP built on dnspython's message parsing.

    ``modes`` maps a name to: ``public`` (default), ``nxdomain``, ``servfail``, ``sinkhole``
    (0.0.0.0), ``private`` (10.20.30.40), ``silent`` (never answers), ``garbage`` (answers
    with the query's id and bytes that are not a DNS message), or a dict
    ``{"A": [...], "AAAA": [...]}``. Each answer waits ``delay`` seconds (in its own thread).
    """

    def __init__(self, modes: dict[str, Any] | None = None, delay: float = 0.0) -> None:
        self.modes: dict[str, Any] = dict(modes or {})
        self.delay = delay
        self.queries: list[tuple[str, str]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> DnsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop = True
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            threading.Thread(target=self._answer, args=(data, peer), daemon=True).start()

    def _answer(self, data: bytes, peer: Any) -> None:
        query = dns.message.from_wire(data)
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, rdtype))
        mode = self.modes.get(name, "public")
        if mode == "silent":
            return
        if self.delay:
            time.sleep(self.delay)
        if mode == "garbage":
            with contextlib.suppress(OSError):
                self.sock.sendto(data[:2] + b"\x81\x80\xde\xad", peer)
            return
        response = dns.message.make_response(query)
        if mode == "nxdomain":
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif mode == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
        else:
            tables: dict[str, dict[str, list[str]]] = {
                "public": {"A": [PUBLIC_A], "AAAA": [PUBLIC_AAAA]},
                "sinkhole": {"A": ["0.0.0.0"], "AAAA": ["::"]},
                "private": {"A": ["10.20.30.40"], "AAAA": []},
            }
            table = mode if isinstance(mode, dict) else tables.get(mode, tables["public"])
            values = table.get(rdtype, [])
            if values:
                response.answer.append(
                    dns.rrset.from_text_list(question.name, 60, "IN", rdtype, values)
                )
        with contextlib.suppress(OSError):
            self.sock.sendto(response.to_wire(), peer)


class _Listener:
    """A TCP listener on 127.0.0.1 that hands each connection to ``_handle`` in a thread of
    its own; ``connections`` counts them."""

    def _listen(self) -> None:
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port: int = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        self.sock.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        raise NotImplementedError


class ConnectProxy(_Listener):
    """An HTTP CONNECT proxy on 127.0.0.1. ``routes`` maps (host, port) of a CONNECT to the
    local address to tunnel to. ``mode``: ``ok``, ``auth`` (407 unless the right Basic
    credentials come), ``close`` (200, then closes the tunnel at once)."""

    def __init__(
        self,
        routes: dict[tuple[str, int], tuple[str, int]],
        mode: str = "ok",
        credentials: str | None = None,
    ) -> None:
        self.routes = routes
        self.mode = mode
        self.credentials = credentials
        self.requests: list[str] = []
        self._listen()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.decode("latin-1").split("\r\n")
            self.requests.append(head.decode("latin-1"))
            method, target, _ = lines[0].split(" ", 2)
            if method != "CONNECT":
                conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            if self.mode == "auth":
                import base64

                sent = [
                    line.split(":", 1)[1].strip()
                    for line in lines
                    if line.lower().startswith("proxy-authorization:")
                ]
                want = "Basic " + base64.b64encode((self.credentials or "").encode()).decode()
                if not self.credentials or want not in sent:
                    conn.sendall(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                        b'Proxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n'
                    )
                    return
            host, _, port = target.rpartition(":")
            destination = self.routes.get((host.lower(), int(port)))
            if destination is None:
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            if self.mode == "close":
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                return
            try:
                upstream = socket.create_connection(destination, timeout=5)
            except OSError:
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self._pipe(conn, upstream)

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        def copy(src: socket.socket, dst: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while chunk := src.recv(65536):
                    dst.sendall(chunk)
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

        a.settimeout(None)
        b.settimeout(None)
        t = threading.Thread(target=copy, args=(b, a), daemon=True)
        t.start()
        copy(a, b)
        t.join(10)
        b.close()


class RawServer(_Listener):
    """A TCP server on 127.0.0.1 (TLS with ``ssl_context``) that answers every connection
    with the same bytes, whatever was asked, then closes it: another service on the port
    (``SSH-2.0-…``), or a head that never ends."""

    def __init__(self, answer: bytes, ssl_context: Any = None) -> None:
        self.answer = answer
        self.ssl_context = ssl_context
        self._listen()

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{self.port}"

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.ssl_context is not None:
                conn = self.ssl_context.wrap_socket(conn, server_side=True)
            with contextlib.suppress(OSError):
                conn.recv(4096)
            conn.sendall(self.answer)
        except OSError:
            pass
        finally:
            conn.close()


@contextlib.contextmanager
def syn_drop_port() -> Iterator[int]:
    """A port whose accept queue is full: further connection attempts get no answer at all
    (the kernel drops the SYN), like a firewall that drops packets."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port: int = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            s.connect(("127.0.0.1", port))
        fillers.append(s)
    time.sleep(0.05)
    try:
        yield port
    finally:
        for s in fillers:
            s.close()
        listener.close()


def write_bundle(path: Path, *cas: Any) -> Path:
    """A PEM bundle of the given trustme CAs."""
    path.write_bytes(b"".join(ca.cert_pem.bytes() for ca in cas))
    return path


def connect_to(mapping: dict[str, int], default_port: int | None = None) -> str:
    """``CLAUDE_DOCTOR_CONNECT_TO`` aiming each host's port 443 at a local port."""
    ports = {host: default_port for host in HOSTS} if default_port else {}
    ports.update(mapping)
    return ",".join(f"{host}:443:127.0.0.1:{port}" for host, port in ports.items() if port)


@contextlib.contextmanager
def healthy_network(
    ca: Any, ca_file: Path, routes: dict[str, Any] | None = None
) -> Iterator[dict[str, str]]:
    """Environment knobs aiming every host Claude needs at one local HTTPS server that
    answers like the API (401 authentication_error with a request-id), with DNS answers from
    a local server: the network branch finds nothing wrong."""
    from tests.kit.local import ScriptedServer, server_ssl_context

    server = ScriptedServer(server_ssl_context(ca, *HOSTS)).start()
    server.httpd.socket.listen(128)  # every probe connects at once
    server.routes["/v1/models"] = Reply(
        401,
        {"type": "error", "error": {"type": "authentication_error", "message": "no key"}},
        headers={"request-id": "req_local_0001"},
    )
    # Extra routes (a status page, say) served by the same host-of-all-hosts.
    server.routes.update(routes or {})
    dns_server = DnsServer().start()
    try:
        yield {
            "CLAUDE_DOCTOR_DNS_SERVERS": dns_server.address,
            "CLAUDE_DOCTOR_CONNECT_TO": connect_to({}, server.port),
            "SSL_CERT_FILE": str(ca_file),
            "CLAUDE_DOCTOR_PUBLIC_CA_FILE": str(ca_file),
        }
    finally:
        dns_server.stop()
        server.stop()
