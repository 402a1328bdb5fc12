"""The one factory for everything that touches the network: TLS contexts, the HTTP client,
the DNS resolver, proxy selection and ``CLAUDE_DOCTOR_CONNECT_TO``.

Built from :class:`~claude_doctor.settings.Settings` only, so the whole tool can be aimed at
local servers exactly as at the real ones. Heavy imports (httpx, httpcore, dnspython,
truststore, certifi) happen inside, never at module import, to keep ``--help`` fast.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from claude_doctor.settings import Settings

if TYPE_CHECKING:
    import dns.asyncresolver
    import httpcore
    import httpx

USER_AGENT = "claude-doctor"
#: The proxy variables in the order Claude Code reads them (FACTS §3.6).
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")


def system_ssl_context(settings: Settings) -> ssl.SSLContext:
    """Trust as the system sees it: ``SSL_CERT_FILE`` when set, else the OS store."""
    if settings.ssl_cert_file is not None:
        return ssl.create_default_context(cafile=str(settings.ssl_cert_file))
    try:
        import truststore
    except ImportError:  # pragma: no cover - truststore is a dependency
        return ssl.create_default_context()
    ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return ctx


def public_ssl_context(settings: Settings) -> ssl.SSLContext:
    """Trust as the public web PKI sees it: ``CLAUDE_DOCTOR_PUBLIC_CA_FILE`` or certifi."""
    if settings.public_ca_file is not None:
        return ssl.create_default_context(cafile=str(settings.public_ca_file))
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def node_ssl_context(settings: Settings, extra_ca_file: str) -> ssl.SSLContext:
    """Trust as Claude Code (Node) sees it with ``NODE_EXTRA_CA_CERTS``: the public bundle
    plus the extra file. Raises ``ssl.SSLError`` / ``OSError`` when the file cannot be used."""
    ctx = public_ssl_context(settings)
    ctx.load_verify_locations(cafile=extra_ca_file)
    return ctx


def unverified_ssl_context() -> ssl.SSLContext:
    """A context that verifies nothing, only to read an untrusted server's certificate (its
    issuer names the interceptor) and its clock. Never used to send anything that matters."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def join_url(base: str, path: str, query: str = "") -> str:
    """``base`` with ``path`` added to its path and ``query`` to its query: the path goes
    before the query (``https://gw/x?key=1`` + ``/v1/models`` is ``https://gw/x/v1/models?key=1``);
    a fragment is never sent, so it is dropped."""
    parts = urlsplit(base.strip())
    joined = parts.path.rstrip("/") + "/" + path.lstrip("/")
    queries = "&".join(q for q in (parts.query, query) if q)
    return urlunsplit((parts.scheme, parts.netloc, joined, queries, ""))


def _no_proxy_entries(environ: Mapping[str, str]) -> list[str]:
    raw = environ.get("no_proxy") or environ.get("NO_PROXY") or ""
    return [part.strip().lower() for part in raw.replace(" ", ",").split(",") if part.strip()]


def bypasses_proxy(host: str, environ: Mapping[str, str]) -> bool:
    """Whether ``NO_PROXY`` covers ``host`` (``*``, exact names, ``.suffix`` and ``suffix``)."""
    host = host.lower().strip("[]")
    for entry in _no_proxy_entries(environ):
        if entry == "*":
            return True
        entry = entry.split(":", 1)[0] if entry.count(":") == 1 else entry
        bare = entry.lstrip(".").lstrip("*.")
        if host == bare or host.endswith("." + bare):
            return True
    return False


@dataclass(frozen=True)
class ProxyChoice:
    """Which proxy a URL would go through, and the variable that said so."""

    url: str
    variable: str


def proxy_for(url: str, environ: Mapping[str, str]) -> ProxyChoice | None:
    """The proxy Claude Code would use for ``url``, or None for a direct connection."""
    parts = urlsplit(url)
    if not parts.hostname or bypasses_proxy(parts.hostname, environ):
        return None
    names = PROXY_VARIABLES if parts.scheme == "https" else PROXY_VARIABLES[2:]
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return ProxyChoice(value, name)
    return None


def _connect_to_backend(settings: Settings) -> httpcore.AsyncNetworkBackend:
    """A network backend that applies ``CLAUDE_DOCTOR_CONNECT_TO`` at the TCP layer only:
    httpcore still sends the original host as SNI and checks the certificate against it,
    and the Host header is untouched, exactly like curl's ``--connect-to``."""
    import httpcore

    class ConnectToBackend(httpcore.AsyncNetworkBackend):
        def __init__(self) -> None:
            self._inner = httpcore.AnyIOBackend()

        async def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.AsyncNetworkStream:
            target = settings.connect_target(host, port)
            return await self._inner.connect_tcp(
                target.host,
                target.port,
                timeout=timeout,
                local_address=local_address,
                socket_options=socket_options,
            )

        async def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Any = None
        ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - not used
            return await self._inner.connect_unix_socket(path, timeout, socket_options)

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    return ConnectToBackend()


def _make_transport(
    settings: Settings, ctx: ssl.SSLContext, proxy: str | None
) -> httpx.AsyncHTTPTransport:
    import httpx

    transport = httpx.AsyncHTTPTransport(verify=ctx, proxy=proxy, retries=0)
    if settings.connect_to:
        # httpx has no public hook for the network backend; the pool keeps it here.
        transport._pool._network_backend = _connect_to_backend(settings)
    return transport


def build_http_client(
    settings: Settings, ctx: ssl.SSLContext | None = None, *, timeout: float = 5.0
) -> httpx.AsyncClient:
    """The run's HTTP client: one prebuilt SSL context, proxies chosen per request from the
    settings' environment the way Claude Code chooses them, ``CONNECT_TO`` applied."""
    import httpx

    ctx = ctx or system_ssl_context(settings)
    transports: dict[str | None, httpx.AsyncHTTPTransport] = {}

    def transport_for(url: str) -> httpx.AsyncHTTPTransport:
        choice = proxy_for(url, settings.environ)
        key = choice.url if choice else None
        if key not in transports:
            transports[key] = _make_transport(settings, ctx, key)
        return transports[key]

    class RoutingTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return await transport_for(str(request.url)).handle_async_request(request)

        async def aclose(self) -> None:
            for transport in transports.values():
                await transport.aclose()

    return httpx.AsyncClient(
        transport=RoutingTransport(),
        timeout=httpx.Timeout(timeout),
        headers={"user-agent": USER_AGENT},
        follow_redirects=False,
        trust_env=False,
    )


def build_resolver(settings: Settings) -> dns.asyncresolver.Resolver:
    """The resolver under test: ``CLAUDE_DOCTOR_DNS_SERVERS`` or the system configuration.

    Its servers report an unreadable UDP answer as an error (the lookup then says the
    resolver gave an unreadable answer) instead of waiting past it until the time runs out.
    Raises ``dns.resolver.NoResolverConfiguration`` when the system has none.
    """
    import dns.asyncresolver

    strict = _strict_nameserver()
    if not settings.dns_servers:
        resolver = dns.asyncresolver.Resolver(configure=True)
        resolver.nameservers = [
            strict(ns, resolver.port) if isinstance(ns, str) else ns for ns in resolver.nameservers
        ]
        return resolver
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = [strict(server.host, server.port) for server in settings.dns_servers]
    return resolver


def unreadable_dns_answer(exc: BaseException) -> bool:
    """A DNS server's reply that could not be parsed as DNS (raised by the resolver's
    servers, :func:`build_resolver`)."""
    import dns.exception

    return isinstance(exc, dns.exception.FormError) or not isinstance(
        exc, OSError | EOFError | NotImplementedError | dns.exception.DNSException
    )


def not_http_answer(exc: BaseException) -> str | None:
    """What a server sent instead of HTTP, in short, when it did answer but not with HTTP
    (``illegal status line: …``, a head too long to be one, ``Receive buffer too long``);
    None for any other failure (no answer, a closed connection, a timeout)."""
    import httpx

    if not isinstance(exc, httpx.RemoteProtocolError):
        return None
    text = re.sub(r"bytearray\(b'(.*?)'\)", r"'\1'", " ".join(str(exc).split()))
    if not text or "without sending" in text or "peer closed" in text:
        return None
    return text if len(text) <= 120 else text[:119] + "…"


_STRICT: list[Any] = []


def _strict_nameserver() -> Any:
    """A UDP nameserver like dnspython's own, except that an unparseable answer raises."""
    if _STRICT:
        return _STRICT[0]
    import dns.asyncquery
    import dns.nameserver

    class StrictDo53(dns.nameserver.Do53Nameserver):
        async def async_query(  # type: ignore[no-untyped-def]
            self, request, timeout, source, source_port, max_size, backend, *args, **kw
        ):
            if max_size:
                return await super().async_query(
                    request, timeout, source, source_port, max_size, backend, *args, **kw
                )
            return await dns.asyncquery.udp(
                request,
                self.address,
                timeout=timeout,
                port=self.port,
                source=source,
                source_port=source_port,
                raise_on_truncation=True,
                backend=backend,
                ignore_errors=False,
                ignore_unexpected=True,
            )

    _STRICT.append(StrictDo53)
    return StrictDo53


@dataclass(frozen=True)
class Fetched:
    """An HTTP response read with a byte cap."""

    status: int
    headers: dict[str, str]
    body: bytes
    #: True when the body was longer than the cap and reading stopped there.
    truncated: bool
    url: str


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> Fetched:
    """GET ``url`` and read at most ``max_bytes`` of the body, in at most ``timeout`` seconds
    in all: httpx's own timeouts bound each connect and each read, and the whole exchange is
    bounded too (``TimeoutError``), so a server that trickles a byte at a time still ends.
    Redirects are never followed.
    """
    import httpx

    kwargs: dict[str, Any] = {"headers": dict(headers or {}), "follow_redirects": False}
    if timeout is None:
        return await _fetch(client, url, max_bytes, kwargs)
    kwargs["timeout"] = httpx.Timeout(timeout)
    async with asyncio.timeout(timeout):
        return await _fetch(client, url, max_bytes, kwargs)


async def _fetch(
    client: httpx.AsyncClient, url: str, max_bytes: int, kwargs: dict[str, Any]
) -> Fetched:
    async with client.stream("GET", url, **kwargs) as response:
        chunks: list[bytes] = []
        size = 0
        truncated = False
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                truncated = True
                break
        body = b"".join(chunks)[:max_bytes]
        return Fetched(
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            truncated=truncated,
            url=str(response.url),
        )


class Network:
    """Lazily built network parts for one run: one client, one resolver, two TLS contexts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._system_ctx: ssl.SSLContext | None = None
        self._public_ctx: ssl.SSLContext | None = None
        self._client: httpx.AsyncClient | None = None

    @property
    def system_ssl(self) -> ssl.SSLContext:
        if self._system_ctx is None:
            self._system_ctx = system_ssl_context(self.settings)
        return self._system_ctx

    @property
    def public_ssl(self) -> ssl.SSLContext:
        if self._public_ctx is None:
            self._public_ctx = public_ssl_context(self.settings)
        return self._public_ctx

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = build_http_client(self.settings, self.system_ssl)
        return self._client

    def resolver(self) -> dns.asyncresolver.Resolver:
        return build_resolver(self.settings)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
