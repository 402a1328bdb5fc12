"""The client of the status page: reads the Statuspage endpoints at once into a
:class:`~.page.Snapshot`, each bounded in time (in all, not only per read) and in bytes.
A redirect is followed only on the same host (a path moved, http to https) or between
Anthropic's two status hosts (``status.anthropic.com`` now answers with a redirect to
``status.claude.com``, FACTS §1.1); one to any other host is not followed and becomes a
problem that names where it pointed.

Anything that is not a usable answer (a dead network, a captive portal's HTML, a 200 with
garbage, JSON cut off by the byte cap) becomes a :class:`~.page.PageProblem` value, never an
exception.
"""

from __future__ import annotations

import asyncio
import errno
import json
import socket
import ssl
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

from claude_doctor.checks.status.page import (
    PageProblem,
    ProblemKind,
    ShapeError,
    Snapshot,
    parse_incident_list,
    parse_maintenance_list,
    parse_summary,
)
from claude_doctor.net import not_http_answer
from claude_doctor.safe_read import scrub, too_deep

if TYPE_CHECKING:
    import httpx

    from claude_doctor.net import Fetched

#: Every endpoint this client reads, by the name used in evidence and problems.
ENDPOINTS: dict[str, str] = {
    "summary": "/api/v2/summary.json",
    "unresolved": "/api/v2/incidents/unresolved.json",
    "incidents": "/api/v2/incidents.json",
    "active_maintenances": "/api/v2/scheduled-maintenances/active.json",
    "upcoming_maintenances": "/api/v2/scheduled-maintenances/upcoming.json",
}
#: Claude's summary is about 2 KB and 50 incidents a few hundred KB; anything far beyond
#: that is not a status page.
MAX_BYTES = 2 * 1024 * 1024
#: Redirects followed on the same host before giving up.
MAX_REDIRECTS = 3

T = TypeVar("T")


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:512].lstrip().lower()
    return "html" in content_type or head.startswith((b"<!doctype", b"<html", b"<"))


def decode(
    endpoint: str,
    url: str,
    status: int,
    content_type: str,
    body: bytes,
    truncated: bool,
    parser: Callable[[Any], T],
) -> T | PageProblem:
    """One HTTP answer -> the parsed value, or the problem that stops it being one."""

    def problem(kind: ProblemKind, detail: str) -> PageProblem:
        return PageProblem(endpoint, url, kind, detail, status)

    if truncated:
        return problem(
            ProblemKind.TOO_LARGE,
            f"the answer is larger than {MAX_BYTES // 1024} KiB, far beyond a status page; "
            "reading stopped there",
        )
    if _looks_like_html(body, content_type.lower()):
        return problem(
            ProblemKind.HTML,
            f"HTTP {status} with an HTML page instead of JSON: a captive portal, a proxy's "
            "block page or a login wall is answering in place of the status page",
        )
    if status != 200:
        return problem(ProblemKind.HTTP_STATUS, f"HTTP {status} instead of 200")
    if not body.strip():
        return problem(ProblemKind.NOT_JSON, "HTTP 200 with an empty body")
    try:
        text = body.decode("utf-8")
        if too_deep(text):
            return problem(ProblemKind.NOT_JSON, "HTTP 200 but JSON nested too deeply to read")
        data = scrub(json.loads(text))[0]
    except UnicodeDecodeError:
        return problem(ProblemKind.NOT_JSON, "HTTP 200 with a body that is not UTF-8 text")
    except json.JSONDecodeError as exc:
        if exc.pos >= len(body.rstrip()) - 1 or exc.msg.startswith("Unterminated string"):
            return problem(
                ProblemKind.TRUNCATED,
                f"the JSON ends early (after {len(body)} bytes): the answer was cut off",
            )
        return problem(
            ProblemKind.NOT_JSON,
            f"HTTP 200 but not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
        )
    except (ValueError, RecursionError):
        return problem(ProblemKind.NOT_JSON, "HTTP 200 but JSON with a number too large to read")
    try:
        return parser(data)
    except ShapeError as exc:
        return problem(ProblemKind.WRONG_SHAPE, f"JSON, but not a Statuspage answer: {exc}")


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


#: What the system's connection errors mean, by errno (getaddrinfo's EAI_* are negative).
_ERRNO_WORDS = {
    socket.EAI_NONAME: "the name does not resolve",
    socket.EAI_AGAIN: "the name could not be looked up (no DNS answer)",
    errno.ECONNREFUSED: "the connection was refused",
    errno.ECONNRESET: "the connection was reset",
    errno.ENETUNREACH: "the network is unreachable",
    errno.EHOSTUNREACH: "the host is unreachable",
    errno.ETIMEDOUT: "the connection timed out",
}
_ERRNO_WORDS.update(
    {getattr(socket, n): "the name does not resolve" for n in ("EAI_NODATA",) if hasattr(socket, n)}
)


def os_error_words(exc: BaseException) -> str | None:
    """The words for the system error under ``exc`` (its causes followed), or None."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return None
        number = getattr(seen, "errno", None)
        if isinstance(seen, OSError) and isinstance(number, int) and number in _ERRNO_WORDS:
            return _ERRNO_WORDS[number]
        seen = seen.__cause__ or seen.__context__
    return None


def translate_error(endpoint: str, url: str, exc: BaseException) -> PageProblem:
    """A transport failure -> a problem that names the layer (TESTING.md: classify by type)."""
    import httpx

    def problem(kind: ProblemKind, detail: str) -> PageProblem:
        return PageProblem(endpoint, url, kind, detail)

    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        # The async ConnectTimeout has an empty message, so the words are ours.
        return problem(ProblemKind.TIMEOUT, "no complete answer before the time limit")
    if isinstance(exc, httpx.ProxyError):
        return problem(ProblemKind.PROXY, f"the proxy refused or failed the request ({exc})")
    cause = _ssl_cause(exc)
    if cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return problem(
                ProblemKind.TLS,
                f"the certificate was not trusted ({cause.verify_message or cause.reason}); "
                "a TLS-inspecting proxy or a missing CA in SSL_CERT_FILE",
            )
        return problem(ProblemKind.TLS, f"the TLS handshake failed ({type(cause).__name__})")
    answer = not_http_answer(exc)
    if answer is not None:
        return problem(
            ProblemKind.NOT_HTTP,
            f"the server answered, but not with HTTP ({answer}): something other than the "
            "status page listens there (a proxy, a captive portal or another service)",
        )
    if isinstance(exc, httpx.HTTPError | OSError):
        text = str(exc) or type(exc).__name__
        words = os_error_words(exc)
        if words is not None:
            return PageProblem(
                endpoint, url, ProblemKind.UNREACHABLE, f"could not connect: {words}", None, text
            )
        return problem(ProblemKind.UNREACHABLE, f"could not connect ({text})")
    return problem(ProblemKind.UNREACHABLE, f"{type(exc).__name__}: {exc}")


#: The status page's hosts: the old name redirects to the new one.
STATUS_HOSTS = frozenset({"status.anthropic.com", "status.claude.com"})


def same_host(url: str, target: str) -> bool:
    """Whether a redirect from ``url`` to ``target`` stays on the same host and port (or
    goes from http to https on the host's default ports, or from one of Anthropic's status
    hosts to the other over https); a downgrade to http does not."""
    a, b = urlsplit(url), urlsplit(target)
    try:
        ports = (a.port, b.port)
    except ValueError:
        return False
    if {a.hostname, b.hostname} <= STATUS_HOSTS and b.scheme == "https":
        return b.port is None
    if a.hostname is None or a.hostname != b.hostname:
        return False
    if a.scheme == b.scheme:
        return ports[0] == ports[1]
    return (a.scheme, b.scheme) == ("http", "https") and ports == (None, None)


def redirect_problem(endpoint: str, url: str, status: int, target: str) -> PageProblem:
    """A redirect to another host, not followed: the problem names where it pointed."""
    host = urlsplit(target).hostname or target
    return PageProblem(
        endpoint,
        url,
        ProblemKind.REDIRECT,
        f"HTTP {status} redirect to {target} (another host, {host}): not followed; a captive "
        "portal or proxy redirects like this, and if it is the status page's new address, "
        "set CLAUDE_DOCTOR_STATUS_URL to it",
        status,
    )


async def fetch_raw(
    client: httpx.AsyncClient,
    base_url: str,
    endpoint: str,
    *,
    timeout: float,
    max_bytes: int = MAX_BYTES,
    headers: dict[str, str] | None = None,
) -> Fetched | PageProblem:
    """GET one endpoint, following a few redirects on the same host, within ``timeout``
    seconds in all (the outer deadline holds even against a server that trickles bytes):
    the last answer as it came, or the problem that stopped it."""
    from claude_doctor.net import fetch

    url = base_url.rstrip("/") + ENDPOINTS[endpoint]
    try:
        async with asyncio.timeout(timeout):
            for _hop in range(MAX_REDIRECTS + 1):
                got = await fetch(
                    client,
                    url,
                    max_bytes=max_bytes,
                    headers={"accept": "application/json", **(headers or {})},
                    timeout=timeout,
                )
                location = got.headers.get("location")
                if got.status in (301, 302, 303, 307, 308) and location:
                    target = urljoin(url, location)
                    if not same_host(url, target):
                        return redirect_problem(endpoint, url, got.status, target)
                    url = target
                    continue
                return got
            return PageProblem(
                endpoint, url, ProblemKind.HTTP_STATUS, f"more than {MAX_REDIRECTS} redirects"
            )
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        return translate_error(endpoint, url, exc)


async def fetch_endpoint(
    client: httpx.AsyncClient,
    base_url: str,
    endpoint: str,
    parser: Callable[[Any], T],
    *,
    timeout: float,
    max_bytes: int = MAX_BYTES,
) -> T | PageProblem:
    """GET one endpoint (:func:`fetch_raw`) and parse it."""
    got = await fetch_raw(client, base_url, endpoint, timeout=timeout, max_bytes=max_bytes)
    if isinstance(got, PageProblem):
        return got
    return decode(
        endpoint,
        got.url,
        got.status,
        got.headers.get("content-type", ""),
        got.body,
        got.truncated,
        parser,
    )


#: What each endpoint's answer is parsed with.
PARSERS: dict[str, Callable[[Any], Any]] = {
    "summary": parse_summary,
    "unresolved": parse_incident_list,
    "incidents": parse_incident_list,
    "active_maintenances": parse_maintenance_list,
    "upcoming_maintenances": parse_maintenance_list,
}


def snapshot_of(base_url: str, values: dict[str, Any], problems: Sequence[PageProblem]) -> Snapshot:
    """The endpoints' parsed values (by name) and problems as one snapshot."""
    return Snapshot(
        base_url=base_url,
        summary=values.get("summary"),
        unresolved=values.get("unresolved"),
        recent=values.get("incidents"),
        active_maintenances=values.get("active_maintenances"),
        upcoming_maintenances=values.get("upcoming_maintenances"),
        problems=tuple(problems),
    )


async def fetch_snapshot(
    client: httpx.AsyncClient,
    base_url: str,
    *,
    timeout: float,
    max_bytes: int = MAX_BYTES,
    endpoints: Sequence[str] = tuple(ENDPOINTS),
) -> Snapshot:
    """Read the endpoints at once; each is bounded by ``timeout`` seconds."""
    results = await asyncio.gather(
        *(
            fetch_endpoint(
                client, base_url, name, PARSERS[name], timeout=timeout, max_bytes=max_bytes
            )
            for name in endpoints
        )
    )
    values: dict[str, Any] = {}
    problems: list[PageProblem] = []
    for name, result in zip(endpoints, results, strict=True):
        if isinstance(result, PageProblem):
            problems.append(result)
        else:
            values[name] = result
    return snapshot_of(base_url, values, problems)
