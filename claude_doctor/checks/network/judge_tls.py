"""The TLS layer of one host: system trust against the public web's (interception, with the
issuer named), certificates that do not verify (expired, not yet valid, wrong host,
self-signed, untrusted), handshakes cut or stalled, and the clock (the login branch's one
clock-skew finding) when the certificate's dates are what fails.
"""

from __future__ import annotations

from typing import Any

from claude_doctor.checks.login import clock as login_clock
from claude_doctor.checks.network import probes
from claude_doctor.checks.network.layer import HostView, Layer, tunnel_closed
from claude_doctor.checks.network.probes import CertInfo, TlsResult
from claude_doctor.model import Finding, Severity

#: Results that mean the handshake never started: an earlier layer's failure.
NOT_REACHED = ("refused", "timeout_tcp", "unreachable", "dns")


def tls_layer(v: HostView) -> Layer:
    p = v.p
    if v.t.scheme != "https":
        return Layer("skipped")
    if not p.tls_started:
        return Layer("not_reached")
    system = p.tls_system or TlsResult("timeout")
    public = p.tls_public
    cert = p.cert
    evidence: dict[str, Any] = {
        "system_trust": system.kind,
        "public_trust": public.kind if public else None,
        "verify_code": system.verify_code,
        "tls_version": system.version,
        "certificate": cert.to_dict() if cert else None,
    }
    issuer = cert.issuer_cn if cert else "an unknown issuer"
    plan = p.proxy
    if system.kind in NOT_REACHED:
        return Layer("not_reached")
    if plan is not None and system.kind in ("auth_required", "rejected", "bad_reply"):
        return Layer("not_reached")
    if system.kind == "ok":
        if public is not None and public.kind == "verify_failed":
            return intercepted(v, issuer, evidence)
        return Layer("ok")
    if system.kind == "verify_failed":
        return verify_failed(v, system, cert, issuer, evidence)
    if system.kind == "closed" and plan is not None:
        return Layer("fail", [tunnel_closed(v, plan)], blocks=True)
    if system.kind in ("closed", "timeout"):
        return Layer("fail", [_cut(v, system.kind, evidence)], blocks=True)
    if plan is not None and system.kind == "error" and p.tunnel is None:
        return Layer("not_reached")
    f = v.finding(
        "tls.failed",
        v.severity,
        f"TLS: the handshake with {v.t.label} fails ({system.error or system.kind})",
        "The TLS handshake failed for a reason other than the certificate. " + v.why(),
        (f"openssl s_client -connect {v.t.host}:{v.t.port} -servername {v.t.host}",),
        **evidence,
    )
    return Layer("fail", [f], blocks=True)


def _cut(v: HostView, kind: str, evidence: dict[str, Any]) -> Finding:
    """TCP connects but the handshake is closed (``closed``) or never completes (``timeout``)."""
    s_client = f"openssl s_client -connect {v.t.host}:{v.t.port} -servername {v.t.host}"
    if kind == "closed":
        return v.finding(
            "tls.closed",
            v.severity,
            f"TLS: the connection to {v.t.label} is closed during the handshake",
            "TCP connects but the TLS handshake is cut: a firewall, a filtering proxy or "
            "antivirus drops TLS to this host. " + v.why(),
            (s_client, "Ask your network team whether TLS to this host is filtered"),
            **evidence,
        )
    return v.finding(
        "tls.timeout",
        v.severity,
        f"TLS: the handshake with {v.t.label} times out",
        "TCP connects but the server side never completes the TLS handshake: "
        "something in between holds the connection. " + v.why(),
        (s_client,),
        **evidence,
    )


def ca_steps(issuer: str) -> tuple[str, ...]:
    return (
        f"Export the root certificate of {issuer} (ask IT) as PEM, e.g. ~/corp-ca.pem",
        "export NODE_EXTRA_CA_CERTS=~/corp-ca.pem  # Claude Code; set it in the shell",
        "export SSL_CERT_FILE=~/corp-ca.pem REQUESTS_CA_BUNDLE=~/corp-ca.pem  "
        "# Python SDK (a bundle with the public roots plus it)",
        "Never set NODE_TLS_REJECT_UNAUTHORIZED=0",
    )


def intercepted(v: HostView, issuer: str, evidence: dict[str, Any]) -> Layer:
    """The system trusts the certificate and the public web does not: a gateway the user set
    up, or a TLS-inspecting proxy (which ``NODE_EXTRA_CA_CERTS`` may cover for Claude Code)."""
    if v.is_gateway:
        f = v.finding(
            "tls.private_gateway",
            Severity.INFO,
            f"TLS: {v.t.label} uses a private CA ({issuer}): your gateway",
            "ANTHROPIC_BASE_URL points at a private address whose certificate your system "
            "trusts but the public web does not: a gateway you set up, not interception.",
            **evidence,
        )
        return Layer("info", [f])
    node = v.p.tls_node
    covered = node is not None and node.kind == "ok"
    tail = (
        " NODE_EXTRA_CA_CERTS covers it, so Claude Code works; other clients may not."
        if covered
        else ""
    )
    f = v.finding(
        "tls.intercepted",
        Severity.WARN if covered else v.severity,
        f"TLS: {v.t.label} is intercepted by {issuer}",
        f"The certificate for {v.t.host} is issued by {issuer}, which your system "
        "trusts but the public web PKI does not: a TLS-inspecting proxy or antivirus sits "
        "in between. Claude Code and the SDKs reject it unless told to trust that CA." + tail,
        ca_steps(issuer),
        issuer=issuer,
        **evidence,
    )
    return Layer("warn" if covered else "fail", [f], blocks=not covered)


def verify_failed(
    v: HostView, system: TlsResult, cert: CertInfo | None, issuer: str, evidence: dict[str, Any]
) -> Layer:
    """The certificate does not verify: the cause by OpenSSL's code, and the clock when the
    certificate's dates are what fails."""
    code = system.verify_code
    clock = clock_finding(v, code)
    cause, title, detail, steps = _verify_cause(v, code, cert, issuer)
    if clock is not None:
        detail += " Your clock is off, which makes valid certificates look invalid."
    f = v.finding(cause, v.severity, title, f"{detail} {v.why()}", steps, issuer=issuer, **evidence)
    return Layer("fail", [f] if clock is None else [f, clock], blocks=True)


def _verify_cause(
    v: HostView, code: int | None, cert: CertInfo | None, issuer: str
) -> tuple[str, str, str, tuple[str, ...]]:
    """(cause, title, detail, next steps) for OpenSSL's verify code."""
    label, host = v.t.label, v.t.host
    if code == probes.VERIFY_EXPIRED:
        when = f" on {cert.not_after:%Y-%m-%d}" if cert else ""
        return (
            "tls.expired",
            f"TLS: the certificate of {label} expired{when}",
            f"The certificate (issued by {issuer}) has expired{when}.",
            (
                "If your clock is right, whatever serves this certificate (a proxy, a gateway) "
                "must renew it",
            ),
        )
    if code == probes.VERIFY_NOT_YET_VALID:
        when = f" until {cert.not_before:%Y-%m-%d}" if cert else ""
        return (
            "tls.not_yet_valid",
            f"TLS: the certificate of {label} is not valid yet",
            f"The certificate (issued by {issuer}) is not valid{when}.",
            ("Check your system clock: date -u",),
        )
    if code in (probes.VERIFY_HOSTNAME_MISMATCH, probes.VERIFY_IP_MISMATCH):
        names = ", ".join(cert.sans[:5]) if cert else "other names"
        return (
            "tls.wrong_host",
            f"TLS: the certificate of {label} is for another host",
            f"The certificate presented for {host} names {names}: the connection "
            "lands on the wrong server (a DNS override, a captive portal or a proxy).",
            (
                f"openssl s_client -connect {host}:{v.t.port} -servername "
                f"{host} | openssl x509 -noout -subject -ext subjectAltName",
            ),
        )
    if code in (probes.VERIFY_SELF_SIGNED_LEAF, probes.VERIFY_SELF_SIGNED_IN_CHAIN):
        return (
            "tls.self_signed",
            f"TLS: {label} presents a self-signed certificate ({issuer})",
            f"The chain ends in a self-signed certificate ({issuer}) that your system does "
            "not trust: a TLS-inspecting proxy or a local gateway.",
            ca_steps(issuer),
        )
    if code in (probes.VERIFY_UNKNOWN_ISSUER, probes.VERIFY_UNKNOWN_ISSUER_LEAF, 2):
        return (
            "tls.untrusted",
            f"TLS: {label} is signed by an untrusted issuer ({issuer})",
            f"The certificate for {host} is issued by {issuer}, which neither your "
            "system nor the public web trusts: a TLS-inspecting proxy or antivirus whose "
            "CA is not installed.",
            ca_steps(issuer),
        )
    return (
        "tls.verify_failed",
        f"TLS: the certificate of {label} does not verify (code {code})",
        f"Certificate verification failed with OpenSSL code {code}.",
        (f"openssl s_client -connect {host}:{v.t.port} -servername {host}",),
    )


def clock_finding(v: HostView, code: int | None) -> Finding | None:
    """``login.clock.skew`` when the certificate's dates fail and the server's ``Date`` says
    our clock is off (the one threshold of :mod:`claude_doctor.checks.login.clock`)."""
    if code not in (probes.VERIFY_NOT_YET_VALID, probes.VERIFY_EXPIRED):
        return None
    server = login_clock.server_date(v.p.server_dates)
    if server is None:
        return None
    url = f"{v.t.scheme}://{v.t.label}/"
    found = login_clock.clock_finding(v.now, server, url, whose=v.t.host)
    return None if found.severity is Severity.OK else found
