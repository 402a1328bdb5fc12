"""A fake Anthropic Messages API on 127.0.0.1 for the real Claude Code client, built on
:class:`tests.kit.local.ScriptedServer`: a healthy streaming answer, the API's JSON errors
(with ``request-id`` and ``retry-after``), a gateway's HTML page, an SSE ``error`` event after
``message_start``, a hang; over HTTP, or HTTPS with a trusted, untrusted, self-signed or
wrong-name certificate. Every request is recorded (``FakeApi.messages()``).

Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import datetime
import json
import ssl
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.kit.local import Reply, ScriptedServer, Seen, server_ssl_context

MESSAGES = "/v1/messages"
MODEL = "claude-sonnet-4-5"
SSE = {"content-type": "text/event-stream", "cache-control": "no-cache"}

#: How the server presents itself over HTTPS.
TLS_MODES = ("trusted", "untrusted_ca", "self_signed", "wrong_host")


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _message_start(message_id: str) -> str:
    return _event(
        "message_start",
        {
            "type": "message_start",
            "message": {
                "id": message_id,
                "type": "message",
                "role": "assistant",
                "model": MODEL,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 10, "output_tokens": 1},
            },
        },
    )


def sse_message(text: str = "hello", message_id: str = "msg_01fake") -> str:
    """A complete streamed answer: message_start … message_stop."""
    return "".join(
        [
            _message_start(message_id),
            _event(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            ),
            _event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": text},
                },
            ),
            _event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            _event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": 5},
                },
            ),
            _event("message_stop", {"type": "message_stop"}),
        ]
    )


def healthy(text: str = "hello", request_id: str = "req_011FakeHealthy01") -> Reply:
    """A 200 streamed answer whose text is ``text``."""
    return Reply(200, sse_message(text), {**SSE, "request-id": request_id})


def api_error(
    status: int,
    error_type: str,
    message: str,
    request_id: str = "req_011FakeError0001",
    retry_after: float | None = None,
    delay: float = 0.0,
) -> Reply:
    """The API's JSON error body, with its ``request-id`` header (and ``retry-after``)."""
    headers = {"request-id": request_id}
    if retry_after is not None:
        headers["retry-after"] = f"{retry_after:g}"
    body = {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }
    return Reply(status, body, headers, delay=delay)


def html_page(status: int, title: str, server: str = "nginx") -> Reply:
    """A gateway's own HTML error page where the API's JSON was expected."""
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>{server}</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return Reply(status, page, {"content-type": "text/html", "server": server})


def sse_error(
    error_type: str = "overloaded_error",
    message: str = "Overloaded",
    request_id: str = "req_011FakeStream001",
) -> Reply:
    """A 200 stream that starts (``message_start``) then carries an ``event: error``."""
    body = _message_start("msg_01fakeerr") + _event(
        "error", {"type": "error", "error": {"type": error_type, "message": message}}
    )
    return Reply(200, body, {**SSE, "request-id": request_id})


def hang(seconds: float = 30.0) -> Reply:
    """An answer that comes only after ``seconds`` (a hung upstream)."""
    return Reply(200, sse_message(), {**SSE, "request-id": "req_011FakeSlow0001"}, delay=seconds)


@dataclass
class Tls:
    """The server's TLS context and the CA file a client would need to trust it (None when no
    CA can make it trusted)."""

    context: ssl.SSLContext
    ca_file: Path | None


def self_signed_context(*names: str) -> ssl.SSLContext:
    """A server context whose leaf for ``names`` signs itself (no CA anywhere)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alt: list[x509.GeneralName] = []
    for n in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            alt.append(x509.DNSName(n))
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # load_cert_chain reads the chain from a file only.
    with tempfile.NamedTemporaryFile(suffix=".pem") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM) + pem_key)
        f.flush()
        ctx.load_cert_chain(f.name)
    return ctx


def tls_for(mode: str, ca: Any, folder: Path) -> Tls:
    """The TLS side of the fake API for one of :data:`TLS_MODES`, with ``ca`` a trustme CA:
    ``trusted`` (a leaf for 127.0.0.1 and the CA file to trust), ``untrusted_ca`` (the same leaf,
    its CA not given), ``self_signed`` and ``wrong_host`` (a leaf for another name, its CA
    given)."""
    ca_file = folder / "fake-api-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    if mode == "trusted":
        return Tls(server_ssl_context(ca, "127.0.0.1", "localhost"), ca_file)
    if mode == "untrusted_ca":
        return Tls(server_ssl_context(ca, "127.0.0.1", "localhost"), None)
    if mode == "self_signed":
        return Tls(self_signed_context("127.0.0.1", "localhost"), None)
    if mode == "wrong_host":
        return Tls(server_ssl_context(ca, "api.other.example"), ca_file)
    raise ValueError(f"unknown TLS mode {mode!r}; one of {TLS_MODES}")


class FakeApi:
    """The fake API: ``replies`` are served to ``POST /v1/messages`` in turn (the last one
    repeats); every other path gets a 404 JSON error."""

    def __init__(self, replies: Reply | Sequence[Reply], tls: Tls | None = None) -> None:
        self.tls = tls
        self.server = ScriptedServer(tls.context if tls else None)
        self.server.default = api_error(404, "not_found_error", "Not Found")
        self.script(replies)

    def script(self, replies: Reply | Sequence[Reply]) -> None:
        """Serve ``replies`` from now on, from the first."""
        turns = [replies] if isinstance(replies, Reply) else list(replies)
        self.server.routes[MESSAGES] = turns
        self.server._turns.pop(MESSAGES, None)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def seen(self) -> list[Seen]:
        return list(self.server.seen)

    def messages(self) -> list[Seen]:
        """The requests to ``/v1/messages``, in order."""
        return [s for s in self.seen if s.path.split("?", 1)[0] == MESSAGES]

    def bodies(self) -> list[Any]:
        """The JSON bodies posted to ``/v1/messages`` (None for one that is not JSON)."""
        out: list[Any] = []
        for s in self.messages():
            try:
                out.append(json.loads(s.body))
            except ValueError:
                out.append(None)
        return out

    def start(self) -> FakeApi:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()


@contextmanager
def fake_api(replies: Reply | Sequence[Reply], tls: Tls | None = None) -> Iterator[FakeApi]:
    """A started :class:`FakeApi`, stopped afterwards."""
    api = FakeApi(replies, tls).start()
    try:
        yield api
    finally:
        api.stop()
