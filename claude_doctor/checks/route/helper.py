"""The ``apiKeyHelper``: is its command runnable, and, with consent, what one run gives.

Claude Code runs the helper through the shell and uses what it prints as the API key, so
its output is a secret: it goes into ``ctx.secrets`` the moment it is read.
"""

from __future__ import annotations

import os
import shlex
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claude_doctor.checks.route.state import Route, masked
from claude_doctor.context import Context, in_thread, run_command
from claude_doctor.model import Branch, Finding, FindingMaker, Severity

#: Claude Code shows a slow-helper notice past 10 s (FACTS §3.4): the most we wait.
HELPER_TIMEOUT = 10.0
#: A helper slower than this delays every request burst (it is re-run every 5 minutes).
HELPER_SLOW = 5.0

_route = FindingMaker(Branch.ROUTE)


def _helper_command(command: str, ctx: Context) -> tuple[str | None, str | None]:
    """The program a helper command runs, and what is wrong with it (None if fine)."""
    try:
        words = shlex.split(command)
    except ValueError as exc:
        return None, f"cannot be parsed as a shell command ({exc})"
    if not words:
        return None, "is empty"
    program = words[0]
    if "/" in program:
        path = Path(program).expanduser()
        if not path.is_absolute():
            path = ctx.settings.cwd / path
        if not path.exists():
            return str(path), f"runs {path}, which does not exist"
        if not path.is_file() or not os.access(path, os.X_OK):
            return str(path), f"runs {path}, which is not executable (chmod +x)"
        return str(path), None
    found = shutil.which(program, path=ctx.settings.environ.get("PATH", ""))
    if found is None:
        return program, f"runs {program}, which is not on PATH"
    return found, None


async def run_helper(ctx: Context, command: str, *, timeout: float) -> tuple[int | None, bytes]:
    """Run an ``apiKeyHelper`` the way Claude Code does: through the shell."""
    code, out, _err = await run_command(ctx, ["/bin/sh", "-c", command], timeout=timeout)
    return code, out


async def helper_findings(route: Route, ctx: Context) -> list[Finding]:
    """What is wrong with the ``apiKeyHelper``, if one is set; run only with consent."""
    command = route.api_key_helper
    if not command:
        return []
    where = route.api_key_helper_source or "settings"
    program, problem = await in_thread(lambda: _helper_command(command, ctx))
    if problem:
        return [
            _route(
                "api_key_helper.broken",
                Severity.FAIL,
                f"apiKeyHelper {problem}",
                f"The apiKeyHelper in {where} {problem}; Claude Code shows 'Your apiKeyHelper "
                "script is failing'.",
                (f"fix or remove apiKeyHelper in {where}",),
                program=program,
            )
        ]
    if not ctx.consent:
        return [
            _route(
                "api_key_helper.not_run",
                Severity.INFO,
                "apiKeyHelper found; not run without your consent",
                f"The apiKeyHelper in {where} runs {program}. It was not run.",
                ("claude-doctor check --run-helpers  # runs it once, 10 s limit",),
                program=program,
            )
        ]
    started = time.monotonic()
    try:
        code, out = await run_helper(ctx, command, timeout=HELPER_TIMEOUT)
    except OSError as exc:
        code, out = 127, b""
        problem = f"could not start: {exc.strerror or exc}"
    output = out.decode("utf-8", "replace").strip()
    ctx.secrets.add(output)
    ran = _Ran(where, program, code, output, problem, round(time.monotonic() - started, 2))
    return [_judge_run(ran)]


@dataclass(frozen=True)
class _Ran:
    """One run of the helper: where it is set, what it runs and how that went."""

    where: str
    program: str | None
    code: int | None
    output: str
    problem: str | None
    seconds: float


def _judge_run(ran: _Ran) -> Finding:
    """The one finding for a helper that was run: hung, failing, empty, slow or fine."""
    common: dict[str, Any] = {"program": ran.program, "seconds": ran.seconds}
    if ran.code is None:
        return _route(
            "api_key_helper.timed_out",
            Severity.FAIL,
            f"apiKeyHelper gave no answer within {HELPER_TIMEOUT:.0f} s",
            f"The apiKeyHelper in {ran.where} did not finish in {HELPER_TIMEOUT:.0f} s; "
            "Claude Code waits for it before every request burst.",
            (f"run it by hand and see where it hangs: {ran.program}",),
            **common,
        )
    if ran.code != 0 or ran.problem:
        return _route(
            "api_key_helper.failing",
            Severity.FAIL,
            f"apiKeyHelper {ran.problem or f'exited {ran.code}'}",
            f"The apiKeyHelper in {ran.where} {ran.problem or f'exited with status {ran.code}'}; "
            "Claude Code reports 'Your apiKeyHelper script is failing'.",
            (f"run it by hand to see its error: {ran.program}",),
            exit_code=ran.code,
            **common,
        )
    if not ran.output:
        return _route(
            "api_key_helper.empty",
            Severity.FAIL,
            "apiKeyHelper printed nothing",
            f"The apiKeyHelper in {ran.where} exited 0 but printed no key.",
            (f"run it by hand: {ran.program}",),
            **common,
        )
    if ran.seconds > HELPER_SLOW:
        return _route(
            "api_key_helper.slow",
            Severity.WARN,
            f"apiKeyHelper took {ran.seconds:.1f} s",
            f"The apiKeyHelper in {ran.where} answered, but slowly ({ran.seconds:.1f} s); Claude "
            "Code re-runs it every 5 minutes and on each 401.",
            ("make the helper cache its key",),
            **common,
        )
    return _route(
        "api_key_helper.ok",
        Severity.OK,
        f"apiKeyHelper answered in {ran.seconds:.1f} s",
        f"The apiKeyHelper in {ran.where} printed a key ({masked(ran.output)}).",
        **common,
    )
