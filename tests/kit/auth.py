"""Helpers for the route, login and verify tests: run the checks in-process against a fake
home, with fake credentials that look real enough to be caught if they ever leaked."""

from __future__ import annotations

import asyncio
import dataclasses
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
