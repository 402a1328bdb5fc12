"""Environment facts: the OS, Python, and Claude Code's version when ``claude`` is on PATH."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import re
import shutil
import signal
import sys

from claude_doctor import __version__
from claude_doctor.engine import Context
from claude_doctor.model import Branch, Finding, Severity

FACTS_ID = "environment.facts"
CLAUDE_VERSION_TIMEOUT = 3.0
_VERSION = re.compile(rb"\d+\.\d+\.\d+[\w.+-]*")


async def run_command(
    ctx: Context, argv: list[str], *, timeout: float, max_bytes: int = 64 * 1024
) -> tuple[int | None, bytes, bytes]:
    """Run ``argv`` with the user's environment, no stdin, a hard timeout and bounded output.

    The child gets its own process group, and a timeout kills the whole group: a shell
    script's own children (a ``sleep``) would otherwise hold the pipes open and keep us
    waiting. Returns (exit code or None when it timed out, stdout, stderr).
    """
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(ctx.settings.environ),
        cwd=str(ctx.settings.cwd) if ctx.settings.cwd.is_dir() else None,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        async with asyncio.timeout(timeout):
            out, err = await asyncio.gather(
                proc.stdout.read(max_bytes), proc.stderr.read(max_bytes)
            )
            code = await proc.wait()
    except TimeoutError:
        return None, b"", b""
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
    return code, out, err


def which(ctx: Context, name: str) -> str | None:
    """``name`` on the user's PATH (the settings' environment, not this process's)."""
    return shutil.which(name, path=ctx.settings.environ.get("PATH", ""))


async def environment_facts(ctx: Context) -> list[Finding]:
    evidence: dict[str, object] = {
        "os": f"{platform.system()} {platform.release()}".strip(),
        "platform": sys.platform,
        "machine": platform.machine(),
        "python": platform.python_version(),
        "claude_doctor_version": __version__,
        "claude_path": None,
        "claude_code_version": None,
    }
    claude = which(ctx, "claude")
    detail = "`claude` is not on PATH; Claude Code checks use its files only."
    if claude:
        evidence["claude_path"] = claude
        try:
            code, out, _err = await run_command(
                ctx, [claude, "--version"], timeout=CLAUDE_VERSION_TIMEOUT
            )
        except OSError as exc:
            detail = f"`{claude} --version` could not start: {exc.strerror or exc}."
        else:
            match = _VERSION.search(out)
            if code is None:
                detail = f"`claude --version` gave no answer within {CLAUDE_VERSION_TIMEOUT:.0f} s."
            elif code == 0 and match:
                evidence["claude_code_version"] = match.group().decode()
                detail = f"Claude Code {evidence['claude_code_version']} at {claude}."
            else:
                detail = f"`claude --version` exited {code} without a version."
    return [
        Finding(
            id=FACTS_ID,
            branch=Branch.NONE,
            severity=Severity.INFO,
            title=f"{evidence['os']}, Python {evidence['python']}",
            detail=detail,
            evidence=evidence,
        )
    ]
