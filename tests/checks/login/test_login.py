"""The login branch: no credential, an unhealthy OAuth login, Claude Code's own view, the
macOS Keychain (through a fake `security`), and clock skew against a local API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from claude_doctor.checks.login.check import login_check
from claude_doctor.model import Branch, Category, ErrorSignal, Severity
from claude_doctor.redact import Redactor, SecretSet
from tests.kit.auth import (
    ACCESS,
    API_KEY,
    REFRESH,
    by_id,
    ids,
    oauth,
    run,
    script,
    with_bin,
)
from tests.kit.local import FakeHome, run_cli

DAY_MS = 86_400_000


def test_nothing_anywhere_is_not_logged_in(fake_home: FakeHome) -> None:
    findings = run(fake_home)
    bad = by_id(findings, "login.not_logged_in")
    assert bad.severity is Severity.FAIL and bad.branch is Branch.LOGIN
    assert bad.next_steps[0] == "claude  # then type /login"
    assert by_id(findings, "route.active").evidence["route"]["active"] == "none"


def test_a_key_alone_is_logged_in(fake_home: FakeHome) -> None:
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY))
    assert "login.not_logged_in" not in ids(findings)
    assert not [f for f in findings if f.severity.is_problem]


def test_expired_without_refresh_token_fails(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(-2 * DAY_MS, refreshToken=None))
    secrets = SecretSet()
    bad = by_id(run(fake_home, checks=(login_check,), secrets=secrets), "login.oauth.expired")
    assert bad.severity is Severity.FAIL
    assert "expired 2 days ago" in bad.title
    assert ACCESS in secrets


def test_expired_with_refresh_token_is_information_until_an_auth_error(
    fake_home: FakeHome,
) -> None:
    fake_home.credentials(oauth(-3 * 3_600_000))
    expired = by_id(run(fake_home), "login.oauth.expired")
    assert expired.severity is Severity.INFO
    assert expired.evidence["refresh_token_present"] is True
    assert expired.evidence["renewable"] is True
    assert "renews it" in expired.title and "normal" in expired.detail
    assert not expired.next_steps
    signal = ErrorSignal(Category.AUTH_OAUTH_EXPIRED, Branch.LOGIN, "OAuth token has expired")
    refused = by_id(run(fake_home, signal=signal), "login.oauth.expired")
    assert refused.severity is Severity.FAIL and refused.evidence["renewable"] is False
    assert "renewal did not work" in refused.detail and refused.next_steps
    a_401 = ErrorSignal(Category.OTHER, Branch.NONE, "API Error: 401", http_status=401)
    assert by_id(run(fake_home, signal=a_401), "login.oauth.expired").severity is Severity.FAIL


def test_a_renewable_expired_login_is_not_the_verdict(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(-3 * 3_600_000))
    result = run_cli(["check", "--json", "--only", "login"], fake_home.env(), cwd=fake_home.cwd)
    data = result.json()
    assert data["verdict"]["branch"] == "none", data["verdict"]
    assert result.code == 0


def test_expiring_within_three_days_warns(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(2 * DAY_MS + 60_000))
    warn = by_id(run(fake_home), "login.oauth.expiring")
    assert warn.severity is Severity.WARN and "2 days" in warn.title
    fake_home.credentials(oauth(5 * DAY_MS))
    assert "login.oauth.ok" in ids(run(fake_home))


def test_expiry_uses_the_context_clock(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    later = datetime.now(UTC) + timedelta(days=31)
    findings = run(fake_home, now=lambda: later)
    assert "login.oauth.expired" in ids(findings)


def test_an_api_key_makes_a_stale_login_informational(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(-2 * DAY_MS, refreshToken=None))
    findings = run(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY))
    assert by_id(findings, "login.oauth.expired").severity is Severity.INFO


def test_missing_inference_scope(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS, scopes=["user:profile"]))
    bad = by_id(run(fake_home), "login.oauth.scope_missing")
    assert bad.severity is Severity.FAIL and "user:inference" in bad.title


def test_scopes_not_a_list(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS, scopes="user:inference"))
    bad = by_id(run(fake_home), "login.credentials.bad_scopes")
    assert bad.severity is Severity.FAIL


def test_corrupt_credentials_file(fake_home: FakeHome) -> None:
    fake_home.write(
        fake_home.claude / ".credentials.json", f'{{"claudeAiOauth": {{"accessToken": "{ACCESS}"'
    )
    findings = run(fake_home)
    bad = by_id(findings, "login.credentials.corrupt")
    assert bad.severity is Severity.FAIL and bad.evidence["problem"] == "invalid_json"
    assert ACCESS not in bad.detail
    assert "login.not_logged_in" in ids(findings)


def test_a_login_block_without_a_token_says_so_in_words_the_redactor_keeps(
    fake_home: FakeHome,
) -> None:
    fake_home.credentials({"claudeAiOauth": {"refreshToken": "x", "expiresAt": 1}})
    missing = by_id(run(fake_home), "login.credentials.no_token")
    assert Redactor.patterns_only().text(missing.detail) == missing.detail
    assert "log in again" in missing.detail


def test_credentials_readable_by_others(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS), mode=0o644)
    bad = by_id(run(fake_home), "login.credentials.mode")
    assert bad.severity is Severity.WARN and bad.evidence["mode"] == "0644"


def test_mcp_only_credentials_are_signed_out(fake_home: FakeHome) -> None:
    fake_home.credentials({"mcpOAuth": {"srv": {"accessToken": "mcp-token-abcdefgh"}}})
    findings = run(fake_home)
    assert "login.credentials.mcp_only" in ids(findings)
    assert "only MCP" in by_id(findings, "login.not_logged_in").detail


def _security(fake_home: FakeHome, body: str) -> dict[str, str]:
    script(fake_home.root / "bin" / "security", body)
    return with_bin(fake_home, fake_home.env())


def test_keychain_item_present_counts_as_a_login(fake_home: FakeHome) -> None:
    log = fake_home.root / "security.log"
    env = _security(
        fake_home,
        f'echo "$@" >> {log}\n'
        "echo 'keychain: \"/Users/u/Library/Keychains/login.keychain-db\"'\n"
        'echo \'    "mdat"<timedate>=0x32303236 "20261120093000Z\\000"\'',
    )
    findings = run(fake_home, env, platform="darwin")
    assert by_id(findings, "route.active").evidence["route"]["active"] == "subscription"
    item = by_id(findings, "login.keychain.item")
    assert item.evidence["present"] is True and item.evidence["modified"] == "20261120093000Z"
    # Presence only: the secret (-w) is never asked for without consent.
    assert "-w" not in log.read_text()
    assert "find-generic-password -s Claude Code-credentials" in log.read_text()


def test_locked_keychain(fake_home: FakeHome) -> None:
    env = _security(
        fake_home,
        "echo 'security: SecKeychainSearchCopyNext: User interaction is not allowed.' >&2; exit 36",
    )
    findings = run(fake_home, env, platform="darwin")
    bad = by_id(findings, "login.keychain.locked")
    assert bad.severity is Severity.FAIL
    assert bad.next_steps[0] == "security unlock-keychain ~/Library/Keychains/login.keychain-db"


def test_keychain_absent_and_linux_never_asks(fake_home: FakeHome) -> None:
    env = _security(
        fake_home,
        f"touch {fake_home.root / 'asked'}\n"
        "echo 'security: The specified item could not be found in the keychain.' >&2; exit 44",
    )
    findings = run(fake_home, env, platform="darwin")
    assert by_id(findings, "login.keychain.item").evidence["present"] is False
    assert "login.not_logged_in" in ids(findings)
    (fake_home.root / "asked").unlink()
    run(fake_home, env, platform="linux")
    assert not (fake_home.root / "asked").exists()


def test_tokens_only_travel_as_secrets(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(-1 * DAY_MS, refreshToken=REFRESH))
    secrets = SecretSet()
    for finding in run(fake_home, secrets=secrets):
        assert ACCESS not in str(finding) and REFRESH not in str(finding)
    assert ACCESS in secrets and REFRESH in secrets


def test_keychain_secret_is_read_only_with_consent(fake_home: FakeHome) -> None:
    import json

    item = json.dumps(oauth(-DAY_MS, refreshToken=None))
    env = _security(
        fake_home,
        'case "$*" in *-w*) cat <<"EOF"\n' + item + "\nEOF\n;; *) echo found;; esac",
    )
    findings = run(fake_home, env, platform="darwin")
    assert "login.oauth.expired" not in ids(findings)
    secrets = SecretSet()
    findings = run(fake_home, env, platform="darwin", consent=True, secrets=secrets)
    expired = by_id(findings, "login.oauth.expired")
    assert expired.severity is Severity.FAIL and expired.evidence["source"] == "keychain"
    assert ACCESS in secrets
    assert ACCESS not in expired.detail + expired.title


def test_credentials_path_is_a_directory(fake_home: FakeHome) -> None:
    (fake_home.claude / ".credentials.json").mkdir()
    bad = by_id(run(fake_home), "login.credentials.unreadable")
    assert bad.severity is Severity.FAIL and "directory" in bad.title


def test_secret_named_settings_env_values_reach_the_redactor(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    fake_home.settings("user", {"env": {"CORP_GATEWAY_TOKEN": "corp-gw-secret-99887766"}})
    secrets = SecretSet()
    run(fake_home, secrets=secrets)
    assert "corp-gw-secret-99887766" in secrets
