"""An Anthropic profile counts as a route only when Claude Code could use it, and the cloud
switches win in Claude Code's order (both as Claude Code 2.1.332 was seen to decide)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.kit.auth import by_id, oauth, run
from tests.kit.local import FakeHome

DAY_MS = 86_400_000


def _route(home: FakeHome, **env: str) -> dict[str, Any]:
    block: dict[str, Any] = by_id(run(home, home.env(**env)), "route.active").evidence["route"]
    return block


def _profile(directory: Path, name: str, auth: dict[str, Any] | str) -> Path:
    path = directory / "configs" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(auth if isinstance(auth, str) else json.dumps({"authentication": auth}))
    return path


def test_a_profile_name_without_its_config_is_no_credential(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    route = _route(fake_home, ANTHROPIC_PROFILE="work")
    assert route["active"] == "subscription" and route["competing"] == []
    assert _route(fake_home, ANTHROPIC_IDENTITY_TOKEN="abc")["active"] == "subscription"


def test_a_named_federation_profile_wins_over_the_subscription(fake_home: FakeHome) -> None:
    fake_home.credentials(oauth(30 * DAY_MS))
    _profile(fake_home.home / ".config" / "anthropic", "work", {"type": "oidc_federation"})
    route = _route(fake_home, ANTHROPIC_PROFILE="work")
    assert route["active"] == "profile"
    assert route["source"] == "profile work (~/.config/anthropic/configs/work.json)"
    assert [c["kind"] for c in route["competing"]] == ["subscription"]
    assert _route(fake_home, ANTHROPIC_PROFILE="other")["active"] == "subscription"


@pytest.mark.parametrize(
    "auth", [{"type": "api_key"}, {"type": "user_oauth"}, "{broken", {"nothing": 1}]
)
def test_an_unusable_profile_is_no_credential(fake_home: FakeHome, auth: Any) -> None:
    _profile(fake_home.home / ".config" / "anthropic", "work", auth)
    assert _route(fake_home, ANTHROPIC_PROFILE="work")["active"] == "none"


def test_a_user_oauth_profile_needs_its_credentials(fake_home: FakeHome) -> None:
    config = fake_home.home / ".config" / "anthropic"
    _profile(config, "work", {"type": "user_oauth"})
    fake_home.write(config / "credentials" / "work.json", '{"access_token": "x"}')
    assert _route(fake_home, ANTHROPIC_PROFILE="work")["active"] == "profile"
    elsewhere = fake_home.write(fake_home.root / "creds.json", "  ")
    _profile(config, "work", {"type": "user_oauth", "credentials_path": str(elsewhere)})
    assert _route(fake_home, ANTHROPIC_PROFILE="work")["active"] == "none"


def test_an_implied_profile_default_or_active(fake_home: FakeHome) -> None:
    config = fake_home.home / ".config" / "anthropic"
    _profile(config, "default", {"type": "oidc_federation"})
    assert (
        _route(fake_home)["source"] == "profile default (~/.config/anthropic/configs/default.json)"
    )
    _profile(config, "team", {"type": "oidc_federation"})
    (config / "active_config").write_text("team\n")
    assert _route(fake_home)["source"].startswith("profile team ")


def test_the_config_dir_follows_anthropic_config_dir_then_xdg(
    fake_home: FakeHome, tmp_path: Path
) -> None:
    _profile(tmp_path / "named", "work", {"type": "oidc_federation"})
    _profile(tmp_path / "xdg" / "anthropic", "work", {"type": "oidc_federation"})
    named = _route(
        fake_home, ANTHROPIC_PROFILE="work", ANTHROPIC_CONFIG_DIR=str(tmp_path / "named")
    )
    assert named["source"] == f"profile work ({tmp_path / 'named' / 'configs' / 'work.json'})"
    xdg = _route(fake_home, ANTHROPIC_PROFILE="work", XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    assert "xdg/anthropic/configs/work.json" in xdg["source"]


def test_a_profile_name_cannot_leave_the_config_dir(fake_home: FakeHome) -> None:
    _profile(fake_home.home / ".config" / "anthropic", "work", {"type": "oidc_federation"})
    route = _route(fake_home, ANTHROPIC_PROFILE="../anthropic/configs/work")
    assert route["active"] == "none"


def test_federation_from_the_environment(fake_home: FakeHome) -> None:
    route = _route(fake_home, ANTHROPIC_FEDERATION_RULE_ID="r", ANTHROPIC_ORGANIZATION_ID="o")
    assert route["active"] == "profile" and "ANTHROPIC_FEDERATION_RULE_ID" in route["source"]
    assert _route(fake_home, ANTHROPIC_FEDERATION_RULE_ID="r")["active"] == "none"


def test_cloud_switches_win_in_claude_codes_order(fake_home: FakeHome) -> None:
    both = {"CLAUDE_CODE_USE_VERTEX": "1", "CLAUDE_CODE_USE_FOUNDRY": "1"}
    assert _route(fake_home, **both)["active"] == "cloud:foundry"
    aws = {"CLAUDE_CODE_USE_VERTEX": "1", "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"}
    assert _route(fake_home, **aws)["active"] == "cloud:anthropic_aws"
    assert _route(fake_home, CLAUDE_CODE_USE_BEDROCK="1", **both)["active"] == "cloud:bedrock"
