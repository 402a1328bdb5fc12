"""What ``verify`` says in words: the layer an attempt without an answer failed at
("could not resolve api.anthropic.com (DNS)"), which failures no retry can fix, and the
credential it will send, masked, with where it was set."""

from __future__ import annotations

from claude_doctor.checks.route.state import AuthState, find_origins
from claude_doctor.net import not_http_answer
from claude_doctor.settings import Settings

#: Failures a retry cannot fix, by layer: the words that say so.
FINAL_LAYERS: dict[str, str] = {
    "dns": "a name that does not resolve",
    "tcp": "a refused connection",
    "tls": "a certificate that fails verification",
    "http": "a server that does not speak HTTP",
}
#: What each kind of credential is called when ``verify`` names the one it will send.
CREDENTIAL_WORDS: dict[str, str] = {
    "api_key": "the API key",
    "auth_token": "the bearer token",
    "api_key_helper": "the key your apiKeyHelper prints",
    "oauth_token": "the OAuth token",
    "subscription": "your subscription login",
    "profile": "the profile",
}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen and len(seen) < 10:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def no_answer(exc: BaseException, url: str) -> tuple[str, str]:
    """(layer, words) for an attempt that got no answer: which layer failed, said plainly."""
    import socket
    import ssl

    import httpx

    parts = httpx.URL(url)
    host, port = parts.host, parts.port or (443 if parts.scheme == "https" else 80)
    chain = _chain(exc)
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "dns", f"could not resolve {host} (DNS)"
    cert = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
    if cert is not None:
        why = cert.verify_message or "verification failed"
        return "tls", f"the certificate of {host} could not be verified (TLS): {why}"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "tcp", f"{host} port {port} refused the connection (TCP)"
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return "tls", f"the secure connection to {host} failed (TLS)"
    if any(isinstance(e, httpx.TimeoutException | TimeoutError) for e in chain):
        return "timeout", f"no answer from {host} in time"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "connection", f"{host} closed the connection without an answer"
    answer = not_http_answer(exc)
    if answer is not None:
        return "http", f"{host} answered with something that is not HTTP ({answer})"
    return "connection", f"no answer from {host} ({type(exc).__name__})"


def describe_credential(state: AuthState, settings: Settings) -> str:
    """The credential ``verify`` would send, masked, where it came from, and where to:
    ``the API key sk-ant-api03-…AKAA from ANTHROPIC_API_KEY (environment), set in
    ~/.bashrc line 5, to https://api.anthropic.com``."""
    route = state.route
    active = route.active
    if active is None:
        return "no credential on any route"
    words = CREDENTIAL_WORDS.get(active.kind, f"the {active.kind} route")
    shown = f"{words} {active.masked}" if active.masked else words
    text = f"{shown} from {active.source}"
    if active.variable and "(environment)" in active.source:
        origins = find_origins(settings, active.variable)
        if origins:
            more = f" (and {len(origins) - 1} more)" if len(origins) > 1 else ""
            text += f", set in {origins[0].describe(settings.home)}{more}"
    return f"{text}, to {route.base_url}"
