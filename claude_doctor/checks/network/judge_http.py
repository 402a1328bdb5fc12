"""The HTTP layer of the API host: an unauthenticated ``GET /v1/models`` (no credentials are
sent). Anthropic answers it 401 ``authentication_error`` with a request id; anything else
says who answers instead: a captive portal, a block page, an edge, a gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claude_doctor.checks.network.layer import HostView, Layer
from claude_doctor.checks.network.probes import HttpResult
from claude_doctor.model import Severity
from claude_doctor.net import join_url
from claude_doctor.safe_read import JsonError, loads

#: A failed request's kind -> (cause, what happened).
HTTP_FAILURES = {
    "timeout": ("http.timeout", "the API request times out"),
    "tls_error": ("http.tls_failed", "the API request fails in TLS"),
    "connect_error": ("http.connect_failed", "the API request cannot connect"),
    "closed": ("http.closed", "the connection is closed without an answer"),
    "not_http": ("http.not_http", "the server answers with something that is not HTTP"),
    "proxy_error": ("http.proxy_failed", "the proxy fails the API request"),
}


@dataclass(frozen=True)
class Answer:
    """What the API host answered, read far enough to say who answered."""

    url: str
    status: int
    request_id: str | None
    error_type: str | None
    is_html: bool
    location: str | None


def http_layer(v: HostView) -> Layer:
    h = v.p.http
    if not v.t.is_api:
        return Layer("skipped")
    if v.p.proxy is not None and v.p.proxy.problem:
        return Layer("not_reached")
    if h is None:
        h = HttpResult("timeout")
    url = join_url(v.settings.api_base_url, "/v1/models")
    evidence: dict[str, Any] = {
        "url": url,
        "status": h.status,
        "result": h.kind,
        "credentials_sent": False,
    }
    if h.kind != "ok":
        return http_failure(v, h, evidence)
    answer = read_answer(url, h)
    evidence.update(
        probe_request_id=answer.request_id,
        content_type=h.headers.get("content-type", "") or None,
        error_type=answer.error_type,
    )
    return judge_answer(v, answer, evidence)


def read_answer(url: str, h: HttpResult) -> Answer:
    assert h.status is not None
    request_id = h.headers.get("request-id") or h.headers.get("x-request-id")
    ctype = h.headers.get("content-type", "")
    body = h.body.lstrip()
    error_type = None
    try:
        data = loads(h.body).value if body[:1] in (b"{",) else None
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            error_type = data["error"].get("type")
    except JsonError:
        pass
    is_html = "html" in ctype.lower() or body[:1] == b"<"
    return Answer(url, h.status, request_id, error_type, is_html, h.headers.get("location"))


def judge_answer(v: HostView, a: Answer, evidence: dict[str, Any]) -> Layer:
    """Anthropic's own 401, or who else answers and what it means."""
    if a.status == 401 and a.error_type == "authentication_error" and a.request_id:
        f = v.finding(
            "http.reaches_anthropic",
            Severity.OK,
            f"HTTP: {v.t.label} answers as Anthropic (401 without credentials)",
            f"GET {a.url} without credentials got 401 authentication_error with request-id "
            f"{a.request_id}: the path reaches Anthropic's API end to end.",
            **evidence,
        )
        return Layer("ok", [f])
    if 300 <= a.status < 400 or (a.is_html and a.status < 400):
        return _intercepted_page(v, a, evidence)
    if a.status == 403 and not a.request_id:
        f = v.finding(
            "http.blocked",
            v.severity,
            f"HTTP: {v.t.label} refuses the request (403) before the API",
            "A 403 without Anthropic's request-id comes from an edge, firewall or proxy, "
            "not from the API: your network, country or IP may be blocked.",
            (f"curl -sv {a.url}", "Check https://www.anthropic.com/supported-countries"),
            **evidence,
        )
        return Layer("fail", [f], blocks=True)
    if a.status >= 500:
        return _server_error(v, a, evidence)
    if v.settings.api_base_url_custom:
        f = v.finding(
            "http.gateway_answers",
            Severity.INFO,
            f"HTTP: {v.t.label} answers (HTTP {a.status})",
            f"Your ANTHROPIC_BASE_URL answers GET /v1/models without credentials with "
            f"{a.status}" + (f" ({a.error_type})" if a.error_type else "") + ".",
            **evidence,
        )
        return Layer("info", [f])
    f = v.finding(
        "http.unexpected",
        Severity.WARN,
        f"HTTP: {v.t.label} answers {a.status}, not like Anthropic",
        "Without credentials the API answers 401 authentication_error with a request-id; "
        "this answer differs, so something in between may be answering.",
        (f"curl -sv {a.url}",),
        **evidence,
    )
    return Layer("warn", [f])


def _intercepted_page(v: HostView, a: Answer, evidence: dict[str, Any]) -> Layer:
    f = v.finding(
        "http.intercepted_page",
        v.severity,
        f"HTTP: {v.t.label} answers with a web page (HTTP {a.status}), not the API",
        "The API answers JSON; an HTML page or a redirect comes from something in "
        "between: a captive portal (hotel, airport Wi-Fi), a proxy block page or a "
        "misconfigured gateway." + (f" It redirects to {a.location}." if a.location else ""),
        (
            "Open any http:// page in a browser to finish a captive portal login",
            f"curl -sv {a.url} | head -20",
        ),
        location=a.location,
        **evidence,
    )
    return Layer("fail", [f], blocks=True)


def _server_error(v: HostView, a: Answer, evidence: dict[str, Any]) -> Layer:
    from_api = bool(a.request_id)
    f = v.finding(
        "http.server_error",
        Severity.WARN if from_api else v.severity,
        f"HTTP: {v.t.label} answers {a.status}"
        + (" from Anthropic" if from_api else " from something in between"),
        (
            "Anthropic's API itself answers a server error: check the status page."
            if from_api
            else "A server error without Anthropic's request-id comes from a proxy, "
            "gateway or edge between you and the API."
        ),
        ("claude-doctor status", f"curl -sv {a.url}"),
        **evidence,
    )
    return Layer("warn" if from_api else "fail", [f], blocks=not from_api)


def http_failure(v: HostView, h: HttpResult, evidence: dict[str, Any]) -> Layer:
    cause, what = HTTP_FAILURES.get(h.kind, ("http.failed", f"the API request fails ({h.error})"))
    f = v.finding(
        cause,
        v.severity,
        f"HTTP: {v.t.label} — {what}",
        (
            f"DNS, TCP and TLS worked, but what answered GET /v1/models is not HTTP ({h.error}): "
            "something other than the API listens there (a proxy, a captive portal, another "
            "service)."
            if h.kind == "not_http"
            else "DNS, TCP and TLS worked, but GET /v1/models did not get an answer"
            + (" in time." if h.kind == "timeout" else f" ({h.error or h.kind}).")
        )
        + " "
        + v.why(),
        (f"curl -sv {evidence['url']} --max-time 10",),
        **evidence,
    )
    return Layer("fail", [f], blocks=True)
