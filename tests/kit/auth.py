"""Helpers for the route, login and verify tests: run the checks in-process against a fake
home, with fake credentials that look real enough to be caught if they ever leaked."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from claude_doctor.checks.login.check import login_check
from claude_doctor.checks.login.clock import clock_skew
from claude_doctor.checks.route.check import route_check
from claude_doctor.context import Context
from claude_doctor.model import Answers, ErrorSignal, Finding
from claude_doctor.net import Network
from claude_doctor.redact import SecretSet
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome

API_KEY = "sk-ant-api03-" + "Rt7vXq2Lm9" * 9 + "Wz4k"  # 107 characters, like a real key
OTHER_KEY = "sk-ant-api03-" + "Pp0oIi9uYy" * 9 + "Qm2n"
ACCESS = "sk-ant-oat01-" + "Hh5gFf4dSs" * 8
REFRESH = "sk-ant-ort01-" + "Kk8jJj7hGg" * 8
HELPER_KEY = "sk-ant-api03-" + "HelperKeyX" * 9 + "Hk9z"


def oauth(expires_in_ms: int, **extra: Any) -> dict[str, Any]:
    import time

    block: dict[str, Any] = {
        "accessToken": ACCESS,
        "refreshToken": REFRESH,
        "expiresAt": int(time.time() * 1000) + expires_in_ms,
        "scopes": ["user:inference", "user:profile"],
        "subscriptionType": "max",
    }
    block.update(extra)
    return {"claudeAiOauth": {k: v for k, v in block.items() if v is not None}}


def script(path: Path, body: str) -> Path:
    """An executable shell script (a fake `claude`, `security` or apiKeyHelper)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


def auth_status(
    home: FakeHome,
    auth_method: str,
    *,
    logged_in: bool = True,
    provider: str = "firstParty",
    api_key_source: str | None = None,
    subscription_type: str | None = None,
    config_dir: Path | None = None,
) -> dict[str, Any]:
    """What `claude auth status` prints (Claude Code 2.1.332's shape, its extra keys too)."""
    claude = config_dir or home.claude
    data: dict[str, Any] = {
        "loggedIn": logged_in,
        "authMethod": auth_method,
        "apiProvider": provider,
        "analyticsDisabled": True,
        "projectsDirectory": str(claude / "projects"),
        "configDirectory": str(claude),
        "loginExpiresAt": None,
    }
    if provider == "firstParty":
        data["consoleProfileSignInOffered"] = True
    if api_key_source:
        data["apiKeySource"] = api_key_source
    if auth_method == "claude.ai":
        data.update(
            email=None,
            orgId=None,
            orgName=None,
            subscriptionType=subscription_type,
            storedClaudeAiLogin=True,
            planTier=f"{subscription_type}_other",
        )
    return data


def fake_claude(home: FakeHome, output: dict[str, Any] | str, code: int | None = None) -> Path:
    """A `claude` in the home's ``bin`` whose `auth status` prints ``output`` and exits
    with ``code`` (by default 1 when the JSON says not logged in, as the real one does)."""
    text = output if isinstance(output, str) else json.dumps(output, indent=2)
    if code is None:
        code = 1 if isinstance(output, dict) and output.get("loggedIn") is False else 0
    printed = home.write(home.root / "claude-says.txt", text + "\n")
    return script(home.root / "bin" / "claude", f"cat '{printed}'\nexit {code}")


def with_bin(home: FakeHome, env: dict[str, str]) -> dict[str, str]:
    """Put the home's ``bin`` first on PATH (for fake `claude` / `security`)."""
    env = dict(env)
    env["PATH"] = f"{home.root / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def run(
    home: FakeHome,
    env: dict[str, str] | None = None,
    *,
    checks: tuple[Callable[[Context], Any], ...] = (route_check, login_check),
    now: Callable[[], datetime] | None = None,
    consent: bool = False,
    answers: Answers | None = None,
    signal: ErrorSignal | None = None,
    platform: str | None = None,
    secrets: SecretSet | None = None,
) -> list[Finding]:
    """Run ``checks`` in turn on one Context; the secrets they discover land in ``secrets``."""
    settings = load_settings(env if env is not None else home.env(), cwd=home.cwd)
    if platform is not None:
        settings = dataclasses.replace(settings, platform=platform)
    ctx = Context(
        settings=settings,
        network=Network(settings),
        signal=signal,
        answers=answers or Answers(),
        consent=consent,
        secrets=secrets if secrets is not None else SecretSet(),
    )
    if now is not None:
        ctx.now = now

    async def go() -> list[Finding]:
        try:
            found: list[Finding] = []
            for check in checks:
                found += await check(ctx)
            return found
        finally:
            await ctx.network.aclose()

    return asyncio.run(go())


def ids(findings: list[Finding]) -> list[str]:
    return [f.id for f in findings]


def by_id(findings: list[Finding], fid: str) -> Finding:
    matches = [f for f in findings if f.id == fid]
    assert matches, f"{fid} not in {ids(findings)}"
    return matches[0]


__all__ = ["clock_skew"]
