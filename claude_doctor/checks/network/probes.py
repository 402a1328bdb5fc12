"""Raw network probes, one layer each: DNS (dnspython and the OS resolver), TCP, TLS, an HTTP
CONNECT tunnel through a proxy, the certificate of an untrusted chain, and one HTTP GET.

Every probe has its own timeout and returns a plain result: a network failure is never raised
but classified into a ``kind`` by exception type, DNS rcode or OpenSSL ``verify_code`` (never
by message text, which differs between platforms and versions). The checks decide what a
result means; nothing here knows about findings.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from claude_doctor.net import not_http_answer, unreadable_dns_answer

if TYPE_CHECKING:
    import dns.asyncresolver
    import httpx

#: OpenSSL ``X509_V_ERR_*`` codes as ``ssl.SSLCertVerificationError.verify_code`` carries them.
VERIFY_NOT_YET_VALID = 9
VERIFY_EXPIRED = 10
VERIFY_SELF_SIGNED_LEAF = 18
VERIFY_SELF_SIGNED_IN_CHAIN = 19
VERIFY_UNKNOWN_ISSUER = 20
VERIFY_UNKNOWN_ISSUER_LEAF = 21
VERIFY_HOSTNAME_MISMATCH = 62
VERIFY_IP_MISMATCH = 64
#: Largest HTTP response head read from a proxy or a plain HEAD request.
MAX_HEAD_BYTES = 16384


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


@dataclass
class DnsResult:
    """One DNS question (A or AAAA, or the OS resolver's getaddrinfo)."""

    #: ok, nxdomain, no_answer, servfail, refused, timeout, unreachable, no_config, error
    kind: str
    addresses: list[str] = field(default_factory=list)
    ms: float = 0.0
    #: The exception's type name when the lookup failed (for the evidence, not for logic).
    error: str = ""


def _no_nameservers_kind(exc: Exception) -> str:
    """NoNameservers folds several failures together; its ``errors`` trace says which."""
    kinds: set[str] = set()
    for entry in exc.kwargs.get("errors", ()) if hasattr(exc, "kwargs") else ():
        problem = entry[3] if len(entry) > 3 else None
        if isinstance(problem, OSError):
            kinds.add("unreachable")
        elif isinstance(problem, str):
            kinds.add("refused" if problem == "REFUSED" else "servfail")
        elif isinstance(problem, Exception) and unreadable_dns_answer(problem):
            kinds.add("unreadable")
        else:
            kinds.add("servfail")
    for kind in ("unreadable", "servfail", "refused", "unreachable"):
        if kind in kinds:
            return kind
    return "servfail"


async def dns_query(
    resolver: dns.asyncresolver.Resolver, name: str, rdtype: str, timeout: float
) -> DnsResult:
    """Ask ``resolver`` for ``name``'s ``rdtype`` records, giving up after ``timeout``.

    dnspython's own lifetime overshoots by a few hundred milliseconds, so the deadline is
    enforced from outside as well.
    """
    import dns.exception
    import dns.resolver

    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            answer = await resolver.resolve(name, rdtype, lifetime=timeout, search=False)
        addresses = [str(getattr(r, "address", r)) for r in answer]
        return DnsResult("ok", addresses, _ms(start))
    except TimeoutError:
        return DnsResult("timeout", ms=_ms(start), error="TimeoutError")
    except dns.resolver.NXDOMAIN:
        return DnsResult("nxdomain", ms=_ms(start), error="NXDOMAIN")
    except dns.resolver.NoAnswer:
        return DnsResult("no_answer", ms=_ms(start), error="NoAnswer")
    except dns.resolver.NoNameservers as exc:
        return DnsResult(_no_nameservers_kind(exc), ms=_ms(start), error="NoNameservers")
    except dns.exception.Timeout:
        return DnsResult("timeout", ms=_ms(start), error="LifetimeTimeout")
    except dns.resolver.NoResolverConfiguration:
        return DnsResult("no_config", ms=_ms(start), error="NoResolverConfiguration")
    except OSError as exc:
        return DnsResult("unreachable", ms=_ms(start), error=type(exc).__name__)
    except dns.exception.DNSException as exc:
        return DnsResult("error", ms=_ms(start), error=type(exc).__name__)


#: ``getaddrinfo`` error numbers: the name does not exist, or the resolver did not answer.
_GAI_NONAME = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n)}
_GAI_AGAIN = {getattr(socket, "EAI_AGAIN", -3)}


async def os_lookup(
    name: str,
    port: int,
    timeout: float,
    run_blocking: Callable[[Callable[[], Any]], Awaitable[Any]],
) -> DnsResult:
    """What the operating system's resolver (``getaddrinfo``, as Node uses it) answers.

    ``run_blocking`` runs the call in a thread so a stuck resolver cannot hold the deadline.
    """
    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            infos = await run_blocking(
                lambda: socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
            )
    except TimeoutError:
        return DnsResult("timeout", ms=_ms(start), error="TimeoutError")
    except socket.gaierror as exc:
        if exc.errno in _GAI_NONAME:
            kind = "nxdomain"
        elif exc.errno in _GAI_AGAIN:
            kind = "timeout"
        else:
            kind = "error"
        return DnsResult(kind, ms=_ms(start), error="gaierror")
    except OSError as exc:
        # A refused lookup (a sandbox or a firewall hook) is a lookup that failed.
        return DnsResult("unreachable", ms=_ms(start), error=type(exc).__name__)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return DnsResult("ok" if addresses else "no_answer", addresses, _ms(start))


def _os_error_kind(exc: OSError) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return "closed"
    if isinstance(exc, socket.gaierror):
        return "dns"
    if exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.EADDRNOTAVAIL,
        errno.EAFNOSUPPORT,
    ):
        return "unreachable"
    if exc.errno == errno.ETIMEDOUT:
        return "timeout"
    return "error"


@dataclass
class TcpResult:
    #: ok, refused, timeout, unreachable, dns, error
    kind: str
    address: str
    port: int
    ms: float = 0.0
    error: str = ""


Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        writer.close()


async def open_tcp(host: str, port: int, timeout: float) -> tuple[TcpResult, Stream | None]:
    """A TCP connection to ``host:port`` (an address, or a name the OS resolves)."""
    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        return TcpResult("timeout", host, port, _ms(start), "TimeoutError"), None
    except OSError as exc:
        return TcpResult(_os_error_kind(exc), host, port, _ms(start), type(exc).__name__), None
    return TcpResult("ok", host, port, _ms(start)), (reader, writer)


async def tcp_probe(host: str, port: int, timeout: float) -> TcpResult:
    """Connect and close again: can this address be reached at all?"""
    result, stream = await open_tcp(host, port, timeout)
    if stream is not None:
        _close(stream[1])
    return result


@dataclass
class TunnelResult:
    """An HTTP CONNECT through a proxy."""

    #: ok, refused, timeout, unreachable, auth_required, rejected, closed, bad_reply, error
    kind: str
    status: int | None = None
    #: Milliseconds to reach the proxy, and for the proxy to answer the CONNECT.
    connect_ms: float = 0.0
    tunnel_ms: float = 0.0
    error: str = ""


async def _read_head(reader: asyncio.StreamReader) -> bytes:
    """An HTTP response head (status line and headers), at most ``MAX_HEAD_BYTES``."""
    head = b""
    while b"\r\n\r\n" not in head and len(head) < MAX_HEAD_BYTES:
        chunk = await reader.read(4096)
        if not chunk:
            break
        head += chunk
    return head


def _status_of(head: bytes) -> int | None:
    parts = head.split(b"\r\n", 1)[0].split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


async def open_tunnel(
    proxy_host: str,
    proxy_port: int,
    host: str,
    port: int,
    timeout: float,
    *,
    credentials: tuple[str, str] | None = None,
) -> tuple[TunnelResult, Stream | None]:
    """Ask an HTTP proxy for a CONNECT tunnel to ``host:port``, as Claude Code would."""
    tcp, stream = await open_tcp(proxy_host, proxy_port, timeout)
    if stream is None:
        return TunnelResult(tcp.kind, connect_ms=tcp.ms, error=tcp.error), None
    reader, writer = stream
    start = time.monotonic()
    lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
    if credentials is not None:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()
        lines.append(f"Proxy-Authorization: Basic {token}")
    try:
        async with asyncio.timeout(timeout):
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
            await writer.drain()
            head = await _read_head(reader)
    except TimeoutError:
        _close(writer)
        return TunnelResult("timeout", connect_ms=tcp.ms, tunnel_ms=_ms(start)), None
    except OSError as exc:
        _close(writer)
        kind = "closed" if isinstance(exc, ConnectionResetError | BrokenPipeError) else "error"
        return TunnelResult(kind, connect_ms=tcp.ms, error=type(exc).__name__), None
    tunnel_ms = _ms(start)
    if not head:
        _close(writer)
        return TunnelResult("closed", connect_ms=tcp.ms, tunnel_ms=tunnel_ms), None
    status = _status_of(head)
    if status is None:
        _close(writer)
        return TunnelResult("bad_reply", connect_ms=tcp.ms, tunnel_ms=tunnel_ms), None
    if not 200 <= status < 300:
        _close(writer)
        kind = "auth_required" if status == 407 else "rejected"
        return TunnelResult(kind, status, tcp.ms, tunnel_ms), None
    return TunnelResult("ok", status, tcp.ms, tunnel_ms), stream


@dataclass
class TlsResult:
    """One TLS handshake with one trust store."""

    #: ok, verify_failed, closed, timeout, error, or a TCP/tunnel kind when that failed first
    kind: str
    verify_code: int | None = None
    version: str | None = None
    ms: float = 0.0
    error: str = ""
    #: The server's leaf certificate (DER), when the handshake got that far.
    der: bytes | None = None


async def tls_handshake(
    open_stream: Callable[[], Awaitable[tuple[str, Stream | None]]],
    server_name: str,
    ctx: ssl.SSLContext,
    timeout: float,
    *,
    keep_open: bool = False,
) -> tuple[TlsResult, Stream | None]:
    """Open a stream (direct or through a tunnel), then handshake with SNI ``server_name``
    and verify with ``ctx``. ``open_stream`` returns (failure kind, None) or ("ok", stream)."""
    kind, stream = await open_stream()
    if stream is None:
        return TlsResult(kind), None
    reader, writer = stream
    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            await writer.start_tls(ctx, server_hostname=server_name)
    except TimeoutError:
        _close(writer)
        return TlsResult("timeout", ms=_ms(start), error="TimeoutError"), None
    except ssl.SSLCertVerificationError as exc:
        _close(writer)
        return TlsResult("verify_failed", exc.verify_code, ms=_ms(start), error="verify"), None
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError, ConnectionResetError, BrokenPipeError) as e:
        # A middlebox (or a proxy) that drops the connection during the handshake.
        _close(writer)
        return TlsResult("closed", ms=_ms(start), error=type(e).__name__), None
    except (ssl.SSLError, OSError, asyncio.IncompleteReadError) as exc:
        _close(writer)
        return TlsResult("error", ms=_ms(start), error=type(exc).__name__), None
    ssl_object = writer.get_extra_info("ssl_object")
    version = ssl_object.version() if ssl_object is not None else None
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    result = TlsResult("ok", version=version, ms=_ms(start), der=der)
    if keep_open:
        return result, (reader, writer)
    _close(writer)
    return result, None


async def head_dates(stream: Stream, host: str, timeout: float) -> list[str]:
    """Send ``HEAD /`` on an open stream and return the server's ``Date`` header values.

    Used on an unverified connection only to read the server's clock: nothing else is sent.
    """
    reader, writer = stream
    try:
        async with asyncio.timeout(timeout):
            writer.write(f"HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            head = await _read_head(reader)
    except (TimeoutError, OSError, ssl.SSLError):
        return []
    finally:
        _close(writer)
    dates: list[str] = []
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "date":
            dates.append(value.strip())
    return dates


@dataclass
class CertInfo:
    """What a leaf certificate says, decoded from DER (works for untrusted chains too)."""

    subject: str
    issuer: str
    issuer_cn: str
    sans: list[str]
    not_before: datetime
    not_after: datetime
    self_issued: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "sans": self.sans[:20],
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "self_issued": self.self_issued,
        }


def decode_certificate(der: bytes) -> CertInfo | None:
    """Decode a DER certificate with ``cryptography`` (imported here: it is heavy)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    names = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    orgs = cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    issuer_cn = str((names or orgs)[0].value) if (names or orgs) else cert.issuer.rfc4514_string()
    sans: list[str] = []
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        sans = [str(v) for v in ext.value.get_values_for_type(x509.DNSName)]
        sans += [str(v) for v in ext.value.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        pass
    return CertInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        issuer_cn=issuer_cn,
        sans=sans,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_issued=cert.issuer == cert.subject,
    )


@dataclass
class HttpResult:
    """One HTTP GET through the run's client."""

    #: ok, timeout, connect_error, tls_error, closed, proxy_error, error
    kind: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    first_byte_ms: float = 0.0
    total_ms: float = 0.0
    error: str = ""
    verify_code: int | None = None


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


async def http_get(
    client: httpx.AsyncClient, url: str, timeout: float, *, max_bytes: int = 65536
) -> HttpResult:
    """GET ``url`` with no credentials (the client carries only a user agent); the time to
    the response head is the "first byte"."""
    import httpx

    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            async with client.stream("GET", url, timeout=httpx.Timeout(timeout)) as response:
                first_byte = _ms(start)
                body = b""
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= max_bytes:
                        break
                headers = {k.lower(): v for k, v in response.headers.items()}
                return HttpResult(
                    "ok",
                    response.status_code,
                    headers,
                    body[:max_bytes],
                    first_byte,
                    _ms(start),
                )
    except (TimeoutError, httpx.TimeoutException) as exc:
        return HttpResult("timeout", total_ms=_ms(start), error=type(exc).__name__)
    except httpx.ProxyError as exc:
        return HttpResult("proxy_error", total_ms=_ms(start), error=type(exc).__name__)
    except httpx.ConnectError as exc:
        cause = _ssl_cause(exc)
        if cause is not None:
            code = getattr(cause, "verify_code", None)
            return HttpResult("tls_error", total_ms=_ms(start), error="ssl", verify_code=code)
        return HttpResult("connect_error", total_ms=_ms(start), error=type(exc).__name__)
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        answer = not_http_answer(exc)
        kind = "not_http" if answer else "closed"
        return HttpResult(kind, total_ms=_ms(start), error=answer or type(exc).__name__)
    except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
        return HttpResult("error", total_ms=_ms(start), error=type(exc).__name__)
