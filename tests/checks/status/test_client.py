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
