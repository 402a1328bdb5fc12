"""The payload check: validate the request body the guided run was pointed at.

``ctx.answers.payload_path`` names the file; with no path there is nothing to check and the
check returns no findings. The validation itself lives in :mod:`.validate`.
"""

from __future__ import annotations

from pathlib import Path

from claude_doctor.checks.payload.body import PayloadInputError
from claude_doctor.checks.payload.findings import payload_finding
from claude_doctor.checks.payload.validate import read_and_validate, report_findings
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Finding, Severity


def _validate_file(ctx: Context, name: str) -> list[Finding]:
    path = Path(name).expanduser()
    if not path.is_absolute():
        path = ctx.settings.cwd / path
    try:
        result = read_and_validate(path, base_dir=ctx.settings.cwd)
    except PayloadInputError as exc:
        unreadable = payload_finding(
            "file_unreadable",
            Severity.ERROR,
            f"the request file could not be read ({exc})",
            "Give the path of a saved request body, a logged request or a curl command.",
            ("claude-doctor payload FILE",),
            path=str(path),
        )
        return [unreadable]
    if not result.read:
        return result.findings  # an input over the cap: its one finding
    if result.body is not None:
        # Header values of a curl command: masked wherever they recur.
        ctx.secrets.add(*result.body.secrets)
    return report_findings(result)


async def payload_check(ctx: Context) -> list[Finding]:
    name = ctx.answers.payload_path
    if not name:
        return []
    return await in_thread(lambda: _validate_file(ctx, name))
