"""The vocabularies HTTP stacks name their failures in: every code and class in the tables
reads as its category wherever it stands in a line (the prefilter lets it through), and the
messages the common stacks print for the same failures (Go's net/http, Java, .NET, Rust's
reqwest, Python's socket and ssl, curl, Windows) read alike."""

from __future__ import annotations

import pytest

from claude_doctor.classify import classify
from claude_doctor.classify.structure import (
    EXCEPTION_CLASSES,
    GATEWAY_CODES,
    NODE_CODES,
    OAUTH_CODES,
)
from claude_doctor.model import Category

C = Category


@pytest.mark.parametrize(("code", "category"), [(k, v[0]) for k, v in NODE_CODES.items()])
def test_every_error_code_reads_as_its_category(code: str, category: Category) -> None:
    assert classify(code).category is category
    assert (
        classify(f"request to https://api.anthropic.com/v1/messages: code: '{code}'").category
        is category
    )


@pytest.mark.parametrize(("name", "category"), [(k, v[0]) for k, v in EXCEPTION_CLASSES.items()])
def test_every_exception_class_reads_as_its_category(name: str, category: Category) -> None:
    assert classify(f"somelib.{name}: while sending the request").category is category


@pytest.mark.parametrize(("code", "category"), [(k, v[0]) for k, v in OAUTH_CODES.items()])
def test_every_oauth_error_code_reads_as_its_category(code: str, category: Category) -> None:
    assert classify(f'{{"error":"{code}","error_description":"see the docs"}}').category is category


@pytest.mark.parametrize(("code", "category"), [(k, v[0]) for k, v in GATEWAY_CODES.items()])
def test_every_gateway_error_code_reads_as_its_category(code: str, category: Category) -> None:
    body = f'{{"error":{{"message":"see the docs","type":"new_api_error","code":"{code}"}}}}'
    assert classify(body).category is category
    assert classify(f"400 {body}").category is category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("dial tcp: lookup api.anthropic.com on 127.0.0.53:53: no such host", C.NETWORK_DNS),
        ("java.net.UnknownHostException: api.anthropic.com", C.NETWORK_DNS),
        (
            "System.Net.Http.HttpRequestException: No such host is known. (api.anthropic.com:443)",
            C.NETWORK_DNS,
        ),
        ("curl: (28) Resolving timed out after 10000 milliseconds", C.NETWORK_DNS),
        ("error trying to connect: invalid peer certificate: UnknownIssuer", C.NETWORK_TLS),
        ("x509: certificate is valid for *.corp.example, not api.anthropic.com", C.NETWORK_TLS),
        (
            "curl: (60) SSL: no alternative certificate subject name matches target host "
            "name 'api.anthropic.com'",
            C.NETWORK_TLS,
        ),
        (
            "schannel: next InitializeSecurityContext failed: SEC_E_UNTRUSTED_ROOT (0x80090325)",
            C.NETWORK_TLS,
        ),
        ("Error: certificate is not yet valid", C.NETWORK_TLS),
        (
            "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host "
            "api.anthropic.com:443 ssl:default [Connect call failed ('160.79.104.10', 443)]",
            C.NETWORK_CONNECTION,
        ),
        (
            "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host "
            "api.anthropic.com:443 ssl:default [Name or service not known]",
            C.NETWORK_DNS,
        ),
        ("java.net.NoRouteToHostException: No route to host", C.NETWORK_CONNECTION),
        ("curl: (56) Received HTTP code 407 from proxy after CONNECT", C.NETWORK_CONNECTION),
        (
            "http2: server sent GOAWAY and closed the connection; LastStreamID=1",
            C.NETWORK_CONNECTION,
        ),
        ("stream error: stream ID 3; INTERNAL_ERROR; received from peer", C.NETWORK_CONNECTION),
        (
            "urllib3.exceptions.ProtocolError: ('Connection broken: IncompleteRead(0 bytes "
            "read, 10 more expected)', IncompleteRead(0 bytes read, 10 more expected))",
            C.NETWORK_CONNECTION,
        ),
        (
            "TimeoutError: [WinError 10060] A connection attempt failed because the "
            "connected party did not properly respond after a period of time",
            C.TIMEOUT,
        ),
        ("httpx.ConnectTimeout: timed out", C.TIMEOUT),
        ("INTERNAL: Internal error encountered.", C.STATUS_OUTAGE),
        (
            '{"error":{"code":"billing_hard_limit_reached","message":"Billing hard limit has '
            'been reached"}}',
            C.BILLING_CREDIT,
        ),
        (
            "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
            C.AUTH_INVALID_KEY,
        ),
        (
            "google.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or "
            "revoked.', {'error': 'invalid_grant'})",
            C.AUTH_OAUTH_EXPIRED,
        ),
    ],
)
def test_the_common_stacks_words_for_a_failure(text: str, category: Category) -> None:
    assert classify(text).category is category
