"""Bare ``claude-doctor`` takes the options ``check`` takes: without a terminal it is
``check`` with them."""

from __future__ import annotations

from tests.kit.local import FakeHome, run_cli

INVALID_KEY = (
    'API Error: 401 {"type":"error","error":{"type":"authentication_error",'
    '"message":"invalid x-api-key"},"request_id":"req_011CVtop401aBcD"}'
)


def test_the_top_level_accepts_checks_options(fake_home: FakeHome) -> None:
    args = ["--json", "--no-save", "--error", INVALID_KEY, "--only", "route", "--strict"]
    top = run_cli([*args, "--run-helpers"], fake_home.env(), cwd=fake_home.cwd)
    check = run_cli(["check", *args, "--run-helpers"], fake_home.env(), cwd=fake_home.cwd)
    assert "No such option" not in top.stderr, top.stderr
    assert top.code == check.code, (top.stderr, check.stderr)
    assert top.json()["signal"]["category"] == check.json()["signal"]["category"]
    assert top.json()["signal"]["request_id"] == "req_011CVtop401aBcD"
    assert top.json()["verdict"]["branch"] == check.json()["verdict"]["branch"]
    assert not list((fake_home.doctor / "reports").glob("report-*.json"))


def test_the_top_level_saves_by_default_and_names_the_error_plainly(
    fake_home: FakeHome,
) -> None:
    result = run_cli(["--error", INVALID_KEY, "--only", "route"], fake_home.env())
    assert "Your error: looks like the API key was refused" in result.stdout
    assert "(HTTP 401)" in result.stdout
    assert "auth invalid key" not in result.stdout
    assert list((fake_home.doctor / "reports").glob("report-*.json"))
