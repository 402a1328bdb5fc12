"""The status page client: every kind of bad answer becomes a problem, never an exception."""

from __future__ import annotations

import pytest

from claude_doctor.checks.status.client import MAX_BYTES, decode
from claude_doctor.checks.status.page import PageProblem, ProblemKind, parse_summary


def _decode(body: bytes, status: int = 200, ctype: str = "application/json", **kw: bool) -> object:
    return decode(
        "summary",
        "https://x/api/v2/summary.json",
        status,
        ctype,
        body,
        kw.get("cut", False),
        parse_summary,
    )


@pytest.mark.parametrize(
    ("body", "status", "ctype", "kind"),
    [
        (b"<!DOCTYPE html><html><title>Wi-Fi login</title>", 200, "text/html", ProblemKind.HTML),
        (b"<html>blocked by policy</html>", 403, "text/plain", ProblemKind.HTML),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", 200, "application/json", ProblemKind.NOT_JSON),
        (b"this is not json at all", 200, "application/json", ProblemKind.NOT_JSON),
        (b'{"page": {"id": "tymt9n04zgry"}, "components": [{"id": "a", "na', 200, "", "truncated"),
        (b"", 200, "application/json", ProblemKind.NOT_JSON),
        (b'{"error": "Service Unavailable"}', 503, "application/json", ProblemKind.HTTP_STATUS),
        (b"[1, 2, 3]", 200, "application/json", ProblemKind.WRONG_SHAPE),
        (b'{"hello": "world"}', 200, "application/json", ProblemKind.WRONG_SHAPE),
    ],
)
def test_bad_answers_become_problems(body: bytes, status: int, ctype: str, kind: str) -> None:
    got = _decode(body, status, ctype)
    assert isinstance(got, PageProblem)
    assert got.kind == kind
    assert got.detail


def test_a_capped_body_is_too_large() -> None:
    got = _decode(b'{"status": {' + b" " * 100, cut=True)
    assert isinstance(got, PageProblem) and got.kind is ProblemKind.TOO_LARGE
    assert str(MAX_BYTES // 1024) in got.detail


def test_a_refused_connection_is_said_in_words_and_the_raw_text_kept() -> None:
    import asyncio

    import httpx

    from claude_doctor.checks.status.client import translate_error
    from tests.kit.local import refused_port

    url = f"http://127.0.0.1:{refused_port()}/api/v2/summary.json"

    async def fetch() -> BaseException:
        try:
            async with httpx.AsyncClient() as client:
                await client.get(url)
        except httpx.HTTPError as exc:
            return exc
        raise AssertionError("the port answered")

    got = translate_error("summary", url, asyncio.run(fetch()))
    assert got.kind is ProblemKind.UNREACHABLE
    assert got.detail == "could not connect: the connection was refused"
    assert got.raw_error and "Errno" not in got.detail
    assert got.to_dict()["raw_error"] == got.raw_error


def test_a_name_that_does_not_resolve_reads_as_such() -> None:
    import socket

    import httpx

    from claude_doctor.checks.status.client import os_error_words, translate_error

    # getaddrinfo's own error, as httpx wraps it (no resolver to ask offline).
    cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    exc = httpx.ConnectError(f"[Errno {socket.EAI_NONAME}] Name or service not known")
    exc.__cause__ = cause
    assert os_error_words(exc) == "the name does not resolve"
    got = translate_error("summary", "https://status.test", exc)
    assert got.detail == "could not connect: the name does not resolve"
    assert got.raw_error == "[Errno -2] Name or service not known"
    assert os_error_words(ValueError("nothing")) is None
