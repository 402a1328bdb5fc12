"""The payload check: validate the request body the guided run was pointed at.

``ctx.answers.payload_path`` names the file; with no path there is nothing to check and the
check returns no findings. The validation itself lives in :mod:`.validate`.
"""

from __future__ import annotations

from pathlib import Path

from claude_doctor.checks.payload.body import PayloadInputError, read_input
from claude_doctor.checks.payload.validate import report_findings, validate
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, Finding, Severity


def _validate_file(ctx: Context, name: str) -> list[Finding]:
    path = Path(name).expanduser()
    if not path.is_absolute():
        path = ctx.settings.cwd / path
    try:
        raw = read_input(path)
    except PayloadInputError as exc:
        return [
            Finding(
                id="payload.file_unreadable",
                branch=Branch.PAYLOAD,
                severity=Severity.ERROR,
                title=f"the request file could not be read ({exc})",
                detail="Give the path of a saved request body, a logged request or a curl command.",
                next_steps=("claude-doctor payload FILE",),
                evidence={"path": str(path)},
            )
        ]
    if isinstance(raw, Finding):
        return [raw]
    result = validate(raw, base_dir=ctx.settings.cwd)
    if result.body is not None:
        # Header values of a curl command: masked wherever they recur.
        ctx.secrets.add(*result.body.secrets)
    return report_findings(result)


async def payload_check(ctx: Context) -> list[Finding]:
    name = ctx.answers.payload_path
    if not name:
        return []
    return await in_thread(lambda: _validate_file(ctx, name))
