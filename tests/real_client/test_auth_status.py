"""The real Claude Code's `claude auth status` agrees with claude-doctor's route, home by
home. The pinned client goes on PATH as `claude` in a fake home with a clean environment,
nonessential traffic off, the API and every proxy pointed at a refused local port (with a
stored login the client tries to reach the network: through the refused proxy, nothing
leaves the machine)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_doctor.checks.login.check import login_check
from claude_doctor.checks.route.check import route_check
from tests.kit.auth import ACCESS, API_KEY, HELPER_KEY, by_id, oauth, run
from tests.kit.local import FakeHome, refused_port
from tests.kit.realclaude import RealClaude

DAY_MS = 86_400_000


def _federation(home: FakeHome) -> None:
    home.write(
        home.home / ".config" / "anthropic" / "configs" / "work.json",
        {"authentication": {"type": "oidc_federation"}},
    )


#: name -> (environment, how the home is set up, our route kind, its authMethod)
CASES: dict[str, tuple[dict[str, str], Callable[[FakeHome], object] | None, str, str]] = {
    "key in the environment": ({"ANTHROPIC_API_KEY": API_KEY}, None, "api_key", "api_key"),
    "key in a settings env block": (
        {},
        lambda h: h.settings("user", {"env": {"ANTHROPIC_API_KEY": API_KEY}}),
        "api_key",
        "api_key",
    ),
    "CLAUDE_CODE_OAUTH_TOKEN": (
        {"CLAUDE_CODE_OAUTH_TOKEN": ACCESS},
        None,
        "oauth_token",
        "oauth_token",
    ),
    "ANTHROPIC_AUTH_TOKEN": ({"ANTHROPIC_AUTH_TOKEN": ACCESS}, None, "auth_token", "oauth_token"),
    "apiKeyHelper": (
        {},
        lambda h: h.settings("user", {"apiKeyHelper": f"echo {HELPER_KEY}"}),
        "api_key_helper",
        "api_key_helper",
    ),
    "apiKeyHelper and a key": (
        {"ANTHROPIC_API_KEY": API_KEY},
        lambda h: h.settings("user", {"apiKeyHelper": f"echo {HELPER_KEY}"}),
        "api_key",
        "api_key_helper",
    ),
    "subscription": ({}, lambda h: h.credentials(oauth(30 * DAY_MS)), "subscription", "claude.ai"),
    "expired subscription": (
        {},
        lambda h: h.credentials(oauth(-3 * DAY_MS)),
        "subscription",
        "claude.ai",
    ),
    "subscription and a key": (
        {"ANTHROPIC_API_KEY": API_KEY},
        lambda h: h.credentials(oauth(30 * DAY_MS)),
        "api_key",
        "api_key",
    ),
    "subscription and an auth token": (
        {"ANTHROPIC_AUTH_TOKEN": ACCESS},
        lambda h: h.credentials(oauth(30 * DAY_MS)),
        "auth_token",
        "oauth_token",
    ),
    "bedrock": (
        {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"},
        None,
        "cloud:bedrock",
        "third_party",
    ),
    "vertex and foundry": (
        {"CLAUDE_CODE_USE_VERTEX": "1", "CLAUDE_CODE_USE_FOUNDRY": "1"},
        None,
        "cloud:foundry",
        "third_party",
    ),
    "a profile name alone": ({"ANTHROPIC_PROFILE": "work"}, None, "none", "none"),
    "a federation profile": ({"ANTHROPIC_PROFILE": "work"}, _federation, "profile", "oauth_token"),
    "none": ({}, None, "none", "none"),
}


@pytest.fixture(scope="module", autouse=True)
def warm_client(real_claude: RealClaude, tmp_path_factory: pytest.TempPathFactory) -> None:
    """One `claude auth status` before the homes: the client's first start on a machine can
    take longer than the check's 5 s (it answers in well under a second after that), and a
    cold start is not what these tests compare."""
    home = FakeHome(tmp_path_factory.mktemp("warm"))
    # Only a warm-up: a start that hangs is stopped here (within the fixture's own time
    # limit), and the tests themselves then say whether the client answers.
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(
            [str(real_claude.binary), "auth", "status"],
            env=_env(home, real_claude, {}),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=40,
            check=False,
        )


def _env(home: FakeHome, client: RealClaude, extra: dict[str, str]) -> dict[str, str]:
    bin_dir = home.root / "bin"
    bin_dir.mkdir(exist_ok=True)
    link = bin_dir / "claude"
    if not link.exists():
        link.symlink_to(client.binary)
    nowhere = f"http://127.0.0.1:{refused_port()}"
    return home.env(
        PATH=f"{bin_dir}:/usr/bin:/bin",
        ANTHROPIC_BASE_URL=nowhere,
        HTTPS_PROXY=nowhere,
        HTTP_PROXY=nowhere,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        DISABLE_AUTOUPDATER="1",
        **extra,
    )


@pytest.mark.parametrize("case", list(CASES))
def test_the_real_client_agrees_with_our_route(
    real_claude: RealClaude, fake_home: FakeHome, case: str
) -> None:
    extra, setup, ours, theirs = CASES[case]
    if setup is not None:
        setup(fake_home)
    found = run(fake_home, _env(fake_home, real_claude, extra), checks=(route_check, login_check))
    assert by_id(found, "route.active").evidence["route"]["active"] == ours
    said = [f for f in found if f.id.startswith("login.claude_auth_status.")]
    assert len(said) == 1, [f.id for f in found]
    finding = said[0]
    assert finding.evidence.get("claude_auth_status", {}).get("authMethod") == theirs, finding.title
    assert finding.id == "login.claude_auth_status.agrees", finding.title


def test_the_real_client_reads_claude_config_dir(
    real_claude: RealClaude, fake_home: FakeHome, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    fake_home.write(config / ".credentials.json", oauth(30 * DAY_MS), 0o600)
    found = run(fake_home, _env(fake_home, real_claude, {"CLAUDE_CONFIG_DIR": str(config)}))
    agrees = by_id(found, "login.claude_auth_status.agrees")
    assert agrees.evidence["claude_auth_status"]["configDirectory"] == str(config)
    assert agrees.evidence["claude_doctor"]["route"] == "subscription"
    fake_home.credentials(oauth(30 * DAY_MS))
    found = run(
        fake_home, _env(fake_home, real_claude, {"CLAUDE_CONFIG_DIR": str(tmp_path / "empty")})
    )
    assert by_id(found, "login.claude_auth_status.agrees").title.endswith("no credential at all")
