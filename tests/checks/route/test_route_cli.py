"""The real ``check`` on fake homes: the verdict, ``evidence.route``, and no secret anywhere."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claude_doctor.report import report_schema
from tests.kit.auth import ACCESS, API_KEY, HELPER_KEY, OTHER_KEY, REFRESH, oauth
from tests.kit.local import FakeHome, run_cli

DAY_MS = 86_400_000


def check_json(home: FakeHome, env: dict[str, str], *extra: str) -> dict[str, Any]:
    # The network branch has its own tests; under the test guard it would fail every host.
    only = () if "--only" in extra else ("--only", "route,login,settings")
    result = run_cli(["check", "--json", *only, *extra], env, cwd=home.cwd)
    assert result.code in (0, 1), result.stderr
    data: dict[str, Any] = result.json()
    jsonschema.validate(data, report_schema())
    return data


def test_healthy_subscription_home_is_none(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    data = check_json(fake_home, fake_home.env())
    assert data["verdict"]["branch"] == "none"
    route = data["evidence"]["route"]
    assert route["active"] == "subscription"
    assert route["source"] == "~/.claude/.credentials.json"
    assert route["masked"].startswith("sk-ant-oat01-…")


def _env_key(home: FakeHome) -> dict[str, str]:
    home.credentials(oauth(30 * DAY_MS))
    home.write(home.home / ".zshrc", f"export PATH=$PATH\n\nexport ANTHROPIC_API_KEY={API_KEY}\n")
    return home.env(ANTHROPIC_API_KEY=API_KEY)


def _settings_key(home: FakeHome) -> dict[str, str]:
    home.credentials(oauth(30 * DAY_MS))
    home.settings("user", {"env": {"ANTHROPIC_API_KEY": OTHER_KEY}})
    return home.env()


def _newline_key(home: FakeHome) -> dict[str, str]:
    return home.env(ANTHROPIC_API_KEY=API_KEY[:41] + "\n" + API_KEY[41:])


def _bedrock(home: FakeHome) -> dict[str, str]:
    home.settings("project", {"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}})
    return home.env()


def _expired(home: FakeHome) -> dict[str, str]:
    home.credentials(oauth(-DAY_MS, refreshToken=None))
    return home.env()


def _expiring(home: FakeHome) -> dict[str, str]:
    home.credentials(oauth(DAY_MS))
    return home.env()


def _corrupt(home: FakeHome) -> dict[str, str]:
    home.write(home.claude / ".credentials.json", b"\x00\x01binary")
    return home.env()


def _nothing(home: FakeHome) -> dict[str, str]:
    return home.env()


@pytest.mark.parametrize(
    ("setup", "branch", "active", "source"),
    [
        (_env_key, "route", "api_key", "ANTHROPIC_API_KEY (environment)"),
        (_settings_key, "route", "api_key", "ANTHROPIC_API_KEY in the env block of ~/.claude/"),
        (_newline_key, "route", "api_key", "ANTHROPIC_API_KEY (environment)"),
        (_bedrock, "route", "cloud:bedrock", "CLAUDE_CODE_USE_BEDROCK in the env block of"),
        (_expired, "login", "subscription", "~/.claude/.credentials.json"),
        (_expiring, "login", "subscription", "~/.claude/.credentials.json"),
        (_corrupt, "login", "none", None),
        (_nothing, "login", "none", None),
    ],
)
def test_check_names_the_route_and_the_branch(
    fake_home: FakeHome, setup: Any, branch: str, active: str, source: str | None
) -> None:
    data = check_json(fake_home, setup(fake_home))
    assert data["verdict"]["branch"] == branch, data["verdict"]
    route = data["evidence"]["route"]
    assert route["active"] == active
    if source is None:
        assert route["source"] is None
    else:
        assert route["source"].startswith(source)
    text = str(data)
    for secret in (API_KEY, OTHER_KEY, ACCESS, REFRESH):
        assert secret not in text


def test_env_key_report_says_where_it_is_set(fake_home: FakeHome) -> None:
    data = check_json(fake_home, _env_key(fake_home))
    assert data["evidence"]["route"]["set_in"] == [
        {"variable": "ANTHROPIC_API_KEY", "places": ["~/.zshrc line 3"]}
    ]
    because = data["verdict"]["because"]
    assert because == ["route.api_key_shadows_subscription"]
    assert "delete or comment out line 3 of ~/.zshrc" in data["verdict"]["next_steps"]


def test_only_login_runs_login_checks(fake_home: FakeHome) -> None:
    data = check_json(fake_home, fake_home.env(), "--only", "login")
    assert [c["name"] for c in data["checks"]] == ["environment", "login", "clock"]


def test_no_secret_reaches_any_output(fake_home: FakeHome, tmp_path: Path) -> None:
    fake_home.credentials(oauth(-DAY_MS), mode=0o644)
    fake_home.settings("project", {"env": {"ANTHROPIC_AUTH_TOKEN": f"Bearer {OTHER_KEY}"}})
    helper = fake_home.write(fake_home.root / "helper.sh", f"#!/bin/sh\necho {HELPER_KEY}\n", 0o755)
    fake_home.settings("user", {"apiKeyHelper": str(helper)})
    fake_home.write(fake_home.home / ".bashrc", f"export ANTHROPIC_API_KEY='{API_KEY}'\n")
    env = fake_home.env(ANTHROPIC_API_KEY=API_KEY[:50] + "\n" + API_KEY[50:])
    outputs = [
        run_cli(["check", "-v", "--run-helpers"], env, cwd=fake_home.cwd),
        run_cli(["check", "--json", "--run-helpers"], env, cwd=fake_home.cwd),
        run_cli(["report", "--last", "--format", "markdown"], env),
        run_cli(["report", "--last", "--format", "json"], env),
        run_cli(["report", "--last", "--format", "console"], env),
    ]
    assert "route.api_key_helper.ok" in outputs[1].stdout
    assert "route.auth_token_bearer_prefix" in outputs[1].stdout
    reports = list((fake_home.doctor / "reports").glob("*.json"))
    assert reports
    for path in reports:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    texts = [o.stdout + o.stderr for o in outputs] + [p.read_text() for p in reports]
    pieces = (API_KEY, API_KEY[:50], API_KEY[50:], OTHER_KEY, ACCESS, REFRESH, HELPER_KEY)
    for text in texts:
        for secret in pieces:
            assert secret not in text
