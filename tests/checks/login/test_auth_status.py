"""Claude Code's own view beside claude-doctor's: a fake `claude` on PATH prints what
`claude auth status` prints (Claude Code 2.1.332's JSON shapes), in fake homes; agreement,
each kind of disagreement, and answers that are not what they should be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_doctor.checks.login import status
from claude_doctor.checks.login.check import login_check
from claude_doctor.model import Finding, Severity
from claude_doctor.redact import SecretSet
from tests.kit.auth import (
    ACCESS,
    API_KEY,
    HELPER_KEY,
    auth_status,
    by_id,
    fake_claude,
    ids,
    oauth,
    run,
    script,
    with_bin,
)
from tests.kit.local import FakeHome

DAY_MS = 86_400_000
AGREES = "login.claude_auth_status.agrees"
DISAGREES = "login.claude_auth_status.disagrees"
UNAVAILABLE = "login.claude_auth_status.unavailable"


def _ask(
    home: FakeHome, output: dict[str, object] | str, code: int | None = None, **env: str
) -> Finding:
    fake_claude(home, output, code)
    found = run(home, with_bin(home, home.env(**env)), checks=(login_check,))
    matches = [f for f in found if f.id.startswith("login.claude_auth_status.")]
    assert len(matches) == 1, ids(found)
    return matches[0]


def _agrees(finding: Finding) -> Finding:
    assert finding.id == AGREES, (finding.title, finding.evidence.get("differences"))
    assert finding.severity is Severity.OK
    return finding


def _disagrees(finding: Finding, *differences: str) -> Finding:
    assert finding.id == DISAGREES, finding.title
    assert finding.severity is Severity.WARN
    assert finding.evidence["differences"] == list(differences)
    return finding


def test_a_key_in_the_environment_agrees(fake_home: FakeHome) -> None:
    said = auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    ok = _agrees(_ask(fake_home, said, ANTHROPIC_API_KEY=API_KEY))
    assert ok.title == "Claude Code agrees: API key from ANTHROPIC_API_KEY (environment)"
    assert "says API key from ANTHROPIC_API_KEY" in ok.detail
    assert "does not tell the environment from a settings env block" in ok.detail
    assert ok.evidence["claude_auth_status"]["apiKeySource"] == "ANTHROPIC_API_KEY"
    assert ok.evidence["claude_doctor"]["route"] == "api_key"
    assert ok.evidence["exit_code"] == 0


def test_a_key_in_a_settings_env_block_agrees(fake_home: FakeHome) -> None:
    fake_home.settings("user", {"env": {"ANTHROPIC_API_KEY": API_KEY}})
    said = auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    ok = _agrees(_ask(fake_home, said))
    assert "in the env block of ~/.claude/settings.json" in ok.title


@pytest.mark.parametrize("variable", ["CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_AUTH_TOKEN"])
def test_either_token_is_oauth_token_to_claude_code(fake_home: FakeHome, variable: str) -> None:
    ok = _agrees(_ask(fake_home, auth_status(fake_home, "oauth_token"), **{variable: ACCESS}))
    assert variable in ok.title
    assert "does not tell CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_AUTH_TOKEN" in ok.detail


def test_an_api_key_helper_agrees(fake_home: FakeHome) -> None:
    fake_home.settings("user", {"apiKeyHelper": f"echo {HELPER_KEY}"})
    said = auth_status(fake_home, "api_key_helper", api_key_source="apiKeyHelper")
    ok = _agrees(_ask(fake_home, said))
    assert ok.title == "Claude Code agrees: API key from apiKeyHelper in ~/.claude/settings.json"


def test_helper_and_key_reads_as_the_key_it_sends(fake_home: FakeHome) -> None:
    # 2.1.332 says api_key_helper here, but its requests carry the environment's key.
    fake_home.settings("user", {"apiKeyHelper": f"echo {HELPER_KEY}"})
    said = auth_status(fake_home, "api_key_helper", api_key_source="ANTHROPIC_API_KEY")
    ok = _agrees(_ask(fake_home, said, ANTHROPIC_API_KEY=API_KEY))
    assert ok.evidence["claude_doctor"]["route"] == "api_key"


def test_an_expired_subscription_is_still_claude_ai(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(-3 * DAY_MS))
    said = auth_status(fake_home, "claude.ai", subscription_type="max")
    ok = _agrees(_ask(fake_home, said))
    assert ok.title == (
        "Claude Code agrees: your Max subscription login (~/.claude/.credentials.json)"
    )
    assert "a claude.ai Max subscription login" in ok.detail
    assert ok.evidence["claude_auth_status"]["subscriptionType"] == "max"


def test_a_key_beside_the_subscription_wins_in_both(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    said = auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    _agrees(_ask(fake_home, said, ANTHROPIC_API_KEY=API_KEY))


def test_a_different_winner_names_both(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    said = auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    bad = _disagrees(_ask(fake_home, said), "credential")
    assert bad.title == (
        "Claude Code says: API key from ANTHROPIC_API_KEY; claude-doctor found: your Max "
        "subscription login (~/.claude/.credentials.json)"
    )
    assert "A different credential wins in each." in bad.detail
    assert bad.evidence["claude_auth_status"]["authMethod"] == "api_key"
    assert bad.evidence["claude_doctor"]["route"] == "subscription"
    assert bad.next_steps == ("claude auth status --text", "claude-doctor verify")


def test_a_login_claude_code_has_and_we_do_not(fake_home: FakeHome) -> None:
    said = auth_status(fake_home, "claude.ai", subscription_type="pro")
    bad = _disagrees(_ask(fake_home, said), "logged_in")
    assert bad.title == (
        "Claude Code says: a claude.ai Pro subscription login; claude-doctor found: no "
        "credential at all"
    )


def test_not_logged_in_exit_1_agrees_with_nothing(fake_home: FakeHome) -> None:
    said = auth_status(fake_home, "none", logged_in=False)
    ok = _agrees(_ask(fake_home, said))
    assert ok.title == "Claude Code agrees: no credential at all"
    assert ok.evidence["exit_code"] == 1


def test_not_logged_in_beside_our_key_disagrees(fake_home: FakeHome) -> None:
    said = auth_status(fake_home, "none", logged_in=False)
    bad = _disagrees(_ask(fake_home, said, ANTHROPIC_API_KEY=API_KEY), "logged_in")
    assert bad.title.startswith("Claude Code says: not logged in; claude-doctor found: API key")


def test_a_json_without_logged_in_reads_the_exit_code(fake_home: FakeHome) -> None:
    bad = _disagrees(
        _ask(fake_home, {"authMethod": "none"}, 1, ANTHROPIC_API_KEY=API_KEY), "logged_in"
    )
    assert bad.evidence["claude_auth_status"]["loggedIn"] is False


def test_bedrock_agrees_and_other_providers_do_not(fake_home: FakeHome) -> None:
    bedrock = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
    said = auth_status(fake_home, "third_party", provider="bedrock")
    ok = _agrees(_ask(fake_home, said, **bedrock))
    assert "a cloud provider (bedrock)" in ok.title and "a cloud provider (bedrock)" in ok.detail
    vertex = auth_status(fake_home, "third_party", provider="vertex")
    bad = _disagrees(_ask(fake_home, vertex, **bedrock), "provider")
    assert bad.title.startswith("Claude Code says: a cloud provider (vertex); claude-doctor")
    _disagrees(_ask(fake_home, said, ANTHROPIC_API_KEY=API_KEY), "provider")
    first_party = auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    _disagrees(_ask(fake_home, first_party, ANTHROPIC_API_KEY=API_KEY, **bedrock), "provider")


def test_anthropic_aws_is_our_anthropic_aws(fake_home: FakeHome) -> None:
    said = auth_status(fake_home, "third_party", provider="anthropicAws")
    _agrees(_ask(fake_home, said, CLAUDE_CODE_USE_ANTHROPIC_AWS="1"))


def test_another_config_directory_disagrees(fake_home: FakeHome, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    said = auth_status(
        fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY", config_dir=elsewhere
    )
    bad = _disagrees(_ask(fake_home, said, ANTHROPIC_API_KEY=API_KEY), "config_directory")
    assert f"Claude Code reads {elsewhere}, claude-doctor read {fake_home.claude}" in bad.detail
    assert bad.evidence["claude_doctor"]["config_directory"] == str(fake_home.claude)


def test_claude_config_dir_agrees_when_both_read_it(fake_home: FakeHome, tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    config.mkdir()
    fake_home.write(config / ".credentials.json", oauth(30 * DAY_MS), 0o600)
    said = auth_status(fake_home, "claude.ai", subscription_type="max", config_dir=config)
    ok = _agrees(_ask(fake_home, said, CLAUDE_CONFIG_DIR=str(config)))
    assert ok.evidence["claude_doctor"]["config_directory"] == str(config)


def test_missing_and_unknown_keys_are_tolerated(fake_home: FakeHome) -> None:
    ok = _agrees(_ask(fake_home, {"loggedIn": True, "brandNew": [1, 2]}, ANTHROPIC_API_KEY=API_KEY))
    assert ok.evidence["claude_auth_status"]["other_keys"] == ["brandNew"]
    assert ok.evidence["claude_auth_status"]["authMethod"] is None
    odd = {"loggedIn": True, "authMethod": "quantum", "apiProvider": "firstParty"}
    ok = _agrees(_ask(fake_home, odd, ANTHROPIC_API_KEY=API_KEY))
    assert "quantum" in ok.detail


def test_values_of_the_wrong_type_are_unknowns(fake_home: FakeHome) -> None:
    odd = {
        "loggedIn": "yes",
        "authMethod": ["api_key"],
        "apiProvider": {"x": 1},
        "loginExpiresAt": 17,
    }
    ok = _agrees(_ask(fake_home, odd, 0, ANTHROPIC_API_KEY=API_KEY))
    said = ok.evidence["claude_auth_status"]
    assert said["loggedIn"] is True and said["authMethod"] is None and said["apiProvider"] is None
    assert said["loginExpiresAt"] == "17"


def test_json_after_a_warning_line_is_read(fake_home: FakeHome) -> None:
    said = json.dumps(auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY"))
    _agrees(_ask(fake_home, "Warning: something odd\n" + said, ANTHROPIC_API_KEY=API_KEY))


@pytest.mark.parametrize(
    "output",
    [
        "Login method: Claude Max Account\nOrganization: Acme",
        "[1, 2, 3]",
        "{not json",
        "[" * 50_000,
        "\x00\xff\xfe garbage",
        "",
    ],
)
def test_answers_that_are_not_json_are_information(fake_home: FakeHome, output: str) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    info = _ask(fake_home, output, 0)
    assert info.id == UNAVAILABLE and info.severity is Severity.INFO
    assert "did not answer in JSON" in info.title
    assert info.evidence["cut"] is False


def test_a_huge_answer_is_cut_not_waited_for(fake_home: FakeHome) -> None:
    claude = script(fake_home.root / "bin" / "claude", "head -c 20000000 /dev/zero | tr '\\0' 'x'")
    found = run(fake_home, with_bin(fake_home, fake_home.env()), checks=(login_check,))
    info = by_id(found, UNAVAILABLE)
    assert info.evidence["cut"] is True and info.evidence["claude"] == str(claude)


def test_a_hang_is_cut_by_the_timeout(fake_home: FakeHome, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status, "AUTH_STATUS_TIMEOUT", 0.5)
    script(fake_home.root / "bin" / "claude", "sleep 30")
    found = run(fake_home, with_bin(fake_home, fake_home.env()), checks=(login_check,))
    assert "no answer within" in by_id(found, UNAVAILABLE).title


def test_a_claude_that_cannot_start(fake_home: FakeHome) -> None:
    path = fake_home.root / "bin" / "claude"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/nonexistent/interpreter\n")
    path.chmod(0o755)
    found = run(fake_home, with_bin(fake_home, fake_home.env()), checks=(login_check,))
    assert "could not start" in by_id(found, UNAVAILABLE).title


def test_no_claude_on_path_asks_nothing(fake_home: FakeHome) -> None:
    env = fake_home.env(PATH=str(fake_home.root / "empty"))
    assert not [f for f in run(fake_home, env) if "claude_auth_status" in f.id]


def test_the_claude_first_on_path_is_asked(fake_home: FakeHome, tmp_path: Path) -> None:
    later = script(tmp_path / "later" / "claude", "echo '{\"loggedIn\": false}'; exit 1")
    first = fake_claude(
        fake_home, auth_status(fake_home, "api_key", api_key_source="ANTHROPIC_API_KEY")
    )
    env = with_bin(fake_home, fake_home.env(ANTHROPIC_API_KEY=API_KEY))
    env["PATH"] = f"{env['PATH']}:{later.parent}"
    ok = by_id(run(fake_home, env, checks=(login_check,)), AGREES)
    assert ok.evidence["claude"] == str(first)


def test_a_secret_in_the_answer_never_shows(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    said = auth_status(fake_home, "claude.ai", subscription_type="max")
    said.update(apiKeySource=API_KEY, configDirectory=f"/tmp/{ACCESS}", leaked=API_KEY)
    secrets = SecretSet()
    fake_claude(fake_home, said)
    found = run(
        fake_home, with_bin(fake_home, fake_home.env()), checks=(login_check,), secrets=secrets
    )
    finding = next(f for f in found if "claude_auth_status" in f.id)
    shown = finding.title + finding.detail + json.dumps(finding.evidence)
    assert API_KEY not in shown and ACCESS not in shown
    fake_claude(fake_home, f"Logged in with {API_KEY}")
    found = run(fake_home, with_bin(fake_home, fake_home.env()), checks=(login_check,))
    info = by_id(found, UNAVAILABLE)
    assert API_KEY not in json.dumps(info.evidence) and info.evidence["first_line"]
