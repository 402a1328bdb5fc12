"""Environment facts: the OS, Python, and Claude Code's version when ``claude`` is on PATH."""

from __future__ import annotations

import platform
import re
import sys

from claude_doctor import __version__
from claude_doctor.context import Context, run_command, which
from claude_doctor.model import Branch, Finding, Severity

FACTS_ID = "environment.facts"
CLAUDE_VERSION_TIMEOUT = 3.0
_VERSION = re.compile(rb"\d+\.\d+\.\d+[\w.+-]*")


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
