"""The route branch: which credential wins, who set it, and what is wrong with it."""

from __future__ import annotations

import pytest

from claude_doctor.checks import registry as checks
from claude_doctor.checks.route import helper as route_mod
from claude_doctor.checks.route.state import find_origins, key_defects
from claude_doctor.model import Account, Answers, Branch, Category, ErrorSignal, Severity
from claude_doctor.redact import SecretSet
from claude_doctor.settings import load_settings
from tests.kit.auth import (
    ACCESS,
    API_KEY,
    HELPER_KEY,
    OTHER_KEY,
    by_id,
    ids,
    oauth,
    run,
    script,
)
from tests.kit.local import FakeHome

DAY_MS = 86_400_000


def problems(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.id for f in findings if f.severity.is_problem]


def test_subscription_only_is_the_active_route(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    secrets = SecretSet()
    findings = run(fake_home, secrets=secrets)
    active = by_id(findings, "route.active")
    assert active.evidence["route"]["active"] == "subscription"
    assert active.evidence["route"]["source"] == "~/.claude/.credentials.json"
    assert active.evidence["route"]["competing"] == []
    assert ACCESS in secrets
    assert problems(findings) == []
    assert "login.oauth.ok" in ids(findings)


def test_env_key_shadows_subscription_and_names_the_line(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    fake_home.write(
        fake_home.home / ".zshrc",
        f"# my shell\nalias ll='ls -l'\nexport ANTHROPIC_API_KEY={API_KEY}\n",
    )
    fake_home.claude_json(
        {
            "oauthAccount": {"emailAddress": "a@example.com"},
            "customApiKeyResponses": {"approved": [API_KEY[-20:]], "rejected": []},
        }
    )
    secrets = SecretSet()
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY), secrets=secrets)
    shadow = by_id(findings, "route.api_key_shadows_subscription")
    assert shadow.severity is Severity.FAIL and shadow.branch is Branch.ROUTE
    assert "~/.zshrc line 3" in shadow.detail
    assert "approved" in shadow.detail
    assert "delete or comment out line 3 of ~/.zshrc" in shadow.next_steps
    assert "route" not in shadow.evidence  # the block lives on route.active only
    block = by_id(findings, "route.active").evidence["route"]
    assert block["active"] == "api_key"
    assert block["masked"] == "sk-ant-api03-…Wz4k"
    assert block["competing"][0]["kind"] == "subscription"
    assert block["competing"][0]["masked"].startswith("sk-ant-oat01-…")
    assert block["set_in"] == [{"variable": "ANTHROPIC_API_KEY", "places": ["~/.zshrc line 3"]}]
    assert block["key_approved_in_claude_code"] is True
    assert API_KEY in secrets and ACCESS in secrets


def test_an_api_key_without_any_subscription_login_is_used_on_purpose(
    fake_home: FakeHome,
) -> None:
    fake_home.write(fake_home.home / ".bashrc", f"export ANTHROPIC_API_KEY={API_KEY}\n")
    fake_home.claude_json({"customApiKeyResponses": {"approved": [API_KEY[-20:]]}})
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY))
    assert "route.api_key_shadows_subscription" not in ids(findings)
    assert problems(findings) == []
    block = by_id(findings, "route.active").evidence["route"]
    assert block["active"] == "api_key" and block["competing"] == []


def test_the_same_key_beside_a_subscription_login_shadows_it(fake_home: FakeHome) -> None:
    fake_home.write(fake_home.home / ".bashrc", f"export ANTHROPIC_API_KEY={API_KEY}\n")
    fake_home.credentials(oauth(30 * DAY_MS))
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY))
    shadow = by_id(findings, "route.api_key_shadows_subscription")
    assert shadow.severity is Severity.FAIL and "~/.bashrc line 1" in shadow.detail


def test_declined_key_is_a_warning_not_a_failure(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    fake_home.claude_json({"customApiKeyResponses": {"rejected": [API_KEY[-20:]]}})
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY))
    shadow = by_id(findings, "route.api_key_shadows_subscription")
    assert shadow.severity is Severity.WARN
    assert "claude -p" in shadow.detail


def test_key_from_a_settings_env_block(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    path = fake_home.settings("project", {"env": {"ANTHROPIC_API_KEY": OTHER_KEY}})
    # The settings env block is applied over the shell's value.
    secrets = SecretSet()
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY), secrets=secrets)
    block = by_id(findings, "route.active").evidence["route"]
    assert block["active"] == "api_key"
    assert block["masked"] == "sk-ant-api03-…Qm2n"
    assert block["source"] == f"ANTHROPIC_API_KEY in the env block of {path}"
    shadow = by_id(findings, "route.api_key_shadows_subscription")
    assert f"remove ANTHROPIC_API_KEY from the env block of {path}" in shadow.next_steps
    assert OTHER_KEY in secrets


def test_managed_settings_beat_user_settings(fake_home: FakeHome) -> None:
    fake_home.settings("user", {"env": {"ANTHROPIC_BASE_URL": "https://user.example"}})
    managed = fake_home.settings("managed", {"env": {"ANTHROPIC_BASE_URL": "https://corp.example"}})
    fake_home.credentials(oauth(30 * DAY_MS))
    findings = run(fake_home)
    assert "route.gateway" in ids(findings)
    block = by_id(findings, "route.active").evidence["route"]
    assert block["base_url"] == "https://corp.example"
    assert block["base_url_source"] == f"ANTHROPIC_BASE_URL in the env block of {managed}"


def test_precedence_auth_token_then_key_then_helper_then_oauth_token(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    fake_home.settings("user", {"apiKeyHelper": "echo hi"})
    env = fake_home.env(
        ANTHROPIC_AUTH_TOKEN="gateway-token-123456789",
        ANTHROPIC_API_KEY=API_KEY,
        CLAUDE_CODE_OAUTH_TOKEN=ACCESS,
    )
    block = by_id(run(fake_home, env), "route.active").evidence["route"]
    assert block["active"] == "auth_token"
    assert [c["kind"] for c in block["competing"]] == [
        "api_key",
        "api_key_helper",
        "oauth_token",
        "subscription",
    ]
    env = fake_home.env(
        CLAUDE_CODE_USE_BEDROCK="1", AWS_REGION="us-east-1", **{"ANTHROPIC_API_KEY": API_KEY}
    )
    block = by_id(run(fake_home, env), "route.active").evidence["route"]
    assert block["active"] == "cloud:bedrock"


def test_key_with_a_line_break_names_the_position(fake_home: FakeHome) -> None:
    broken = API_KEY[:40] + "\n" + API_KEY[40:]
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=broken))
    bad = by_id(findings, "route.key_malformed")
    assert bad.severity is Severity.FAIL
    assert "line break at character 41" in bad.title
    assert "(108 characters on 2 lines)" in bad.title
    assert "sk-ant-api03-…Wz4k" in bad.detail
    assert broken not in bad.detail and API_KEY[40:] not in bad.detail
    assert bad.evidence["defects"][0]["position"] == 41


@pytest.mark.parametrize(
    ("value", "words", "position"),
    [
        (f'"{API_KEY}"', "quote", 1),
        (f"{API_KEY} ", "trailing whitespace", 108),
        (f" {API_KEY}", "leading whitespace", 1),
        (API_KEY[:50], "cut off", None),
        ("sk-proj-" + "x" * 60, "does not start with sk-ant-api", 1),
        (ACCESS, "OAuth token", 1),
    ],
)
def test_key_defects(value: str, words: str, position: int | None) -> None:
    defects = key_defects("ANTHROPIC_API_KEY", value)
    assert any(words in d.what and d.position == position for d in defects), defects


def test_a_clean_key_has_no_defects() -> None:
    assert key_defects("ANTHROPIC_API_KEY", API_KEY) == []


def test_auth_token_with_bearer_prefix(fake_home: FakeHome) -> None:
    env = fake_home.env(ANTHROPIC_AUTH_TOKEN="Bearer gw-token-abcdef1234567890")
    bad = by_id(run(fake_home, env), "route.auth_token_bearer_prefix")
    assert bad.severity is Severity.FAIL
    assert "Bearer Bearer" in bad.detail
    assert "gw-token-abcdef1234567890" not in bad.detail


def test_custom_base_url_is_a_gateway_route(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    env = fake_home.env(ANTHROPIC_BASE_URL="https://llm-gw.corp.example/anthropic")
    gateway = by_id(run(fake_home, env), "route.gateway")
    assert gateway.severity is Severity.INFO
    assert gateway.evidence["base_url"] == "https://llm-gw.corp.example/anthropic"
    assert "status.claude.com" in gateway.detail
    signal = ErrorSignal(Category.STATUS_OUTAGE, Branch.INCIDENT, "API Error: 500", 500)
    gateway = by_id(run(fake_home, env, signal=signal), "route.gateway")
    assert gateway.severity is Severity.WARN


def test_bedrock_without_region(fake_home: FakeHome) -> None:
    fake_home.settings("user", {"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}})
    findings = run(fake_home)
    bad = by_id(findings, "route.cloud.missing_companion")
    assert bad.severity is Severity.FAIL
    assert "AWS_REGION" in bad.title
    assert bad.evidence["provider"] == "bedrock"
    assert "login.not_logged_in" not in ids(findings)


def test_vertex_needs_region_and_project(fake_home: FakeHome) -> None:
    env = fake_home.env(CLAUDE_CODE_USE_VERTEX="true", CLOUD_ML_REGION="us-east5")
    bad = by_id(run(fake_home, env), "route.cloud.missing_companion")
    assert bad.evidence["missing"] == ["ANTHROPIC_VERTEX_PROJECT_ID"]


def test_account_mismatch_names_who_wins(fake_home: FakeHome) -> None:
    fake_home.write(fake_home.home / ".bashrc", "x=1\n\nexport ANTHROPIC_API_KEY=sk\n")
    findings = run(
        fake_home,
        fake_home.env(ANTHROPIC_API_KEY=API_KEY),
        answers=Answers(account=Account.SUBSCRIPTION),
    )
    bad = by_id(findings, "route.account_mismatch")
    assert bad.severity is Severity.FAIL
    assert bad.title == "you think subscription, but ANTHROPIC_API_KEY from ~/.bashrc line 3 wins"
    ok = run(
        fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY), answers=Answers(account=Account.UNSURE)
    )
    assert "route.account_mismatch" not in ids(ok)


def test_origins_in_dotenv_of_a_parent_and_fish(fake_home: FakeHome) -> None:
    (fake_home.cwd / "sub").mkdir()
    fake_home.write(fake_home.cwd / ".env", "OTHER=1\nANTHROPIC_API_KEY=sk-x\n")
    fake_home.write(
        fake_home.home / ".config" / "fish" / "config.fish", "set -gx ANTHROPIC_API_KEY sk-y\n"
    )
    fake_home.write(fake_home.home / ".profile", "# export ANTHROPIC_API_KEY=old\n")
    settings = load_settings(fake_home.env(), cwd=fake_home.cwd / "sub")
    found = [(o.path, o.line) for o in find_origins(settings, "ANTHROPIC_API_KEY")]
    assert found == [
        (fake_home.home / ".config" / "fish" / "config.fish", 1),
        (fake_home.cwd / ".env", 2),
    ]


def _helper(fake_home: FakeHome, body: str) -> None:
    path = script(fake_home.root / "helper.sh", body)
    fake_home.settings("user", {"apiKeyHelper": str(path)})


def test_helper_is_not_run_without_consent(fake_home: FakeHome) -> None:
    marker = fake_home.root / "ran"
    _helper(fake_home, f"touch {marker}; echo {HELPER_KEY}")
    findings = run(fake_home)
    assert by_id(findings, "route.active").evidence["route"]["active"] == "api_key_helper"
    assert "route.api_key_helper.not_run" in ids(findings)
    assert not marker.exists()


def test_helper_ok_never_shows_its_output(fake_home: FakeHome) -> None:
    _helper(fake_home, f"echo {HELPER_KEY}")
    secrets = SecretSet()
    ok = by_id(run(fake_home, consent=True, secrets=secrets), "route.api_key_helper.ok")
    assert HELPER_KEY in secrets
    assert HELPER_KEY not in ok.detail + ok.title
    assert "sk-ant-api03-…Hk9z" in ok.detail


def test_helper_failing_empty_missing_and_not_executable(fake_home: FakeHome) -> None:
    _helper(fake_home, "echo oops >&2; exit 3")
    bad = by_id(run(fake_home, consent=True), "route.api_key_helper.failing")
    assert bad.severity is Severity.FAIL and bad.evidence["exit_code"] == 3
    _helper(fake_home, "true")
    assert "route.api_key_helper.empty" in ids(run(fake_home, consent=True))
    fake_home.settings("user", {"apiKeyHelper": str(fake_home.root / "gone.sh") + " --x"})
    bad = by_id(run(fake_home, consent=True), "route.api_key_helper.broken")
    assert "does not exist" in bad.title
    plain = fake_home.write(fake_home.root / "plain.sh", "echo k\n")
    fake_home.settings("user", {"apiKeyHelper": str(plain)})
    assert "not executable" in by_id(run(fake_home), "route.api_key_helper.broken").title
    fake_home.settings("user", {"apiKeyHelper": "no-such-helper-cmd-xyz"})
    assert "not on PATH" in by_id(run(fake_home), "route.api_key_helper.broken").title


def test_helper_slow_and_timed_out(fake_home: FakeHome, monkeypatch: pytest.MonkeyPatch) -> None:
    # Shrink the limits instead of waiting 10 s for real.
    monkeypatch.setattr(route_mod, "HELPER_SLOW", 0.2)
    monkeypatch.setattr(route_mod, "HELPER_TIMEOUT", 1.0)
    _helper(fake_home, f"sleep 0.4; echo {HELPER_KEY}")
    assert "route.api_key_helper.slow" in ids(run(fake_home, consent=True))
    _helper(fake_home, "sleep 5; echo late")
    bad = by_id(run(fake_home, consent=True), "route.api_key_helper.timed_out")
    assert bad.severity is Severity.FAIL
    assert bad.evidence["seconds"] < 3


def test_route_and_login_are_registered_groups() -> None:
    assert {"route", "login"} <= set(checks.groups())
    names = [c.name for c in checks.select_checks(["login"])]
    assert names == ["environment", "login", "clock"]
    assert "route" in [c.name for c in checks.select_checks(["route"])]
