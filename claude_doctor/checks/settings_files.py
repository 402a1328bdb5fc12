"""Claude Code settings sanity: every file of the hierarchy parses and is within limits.

A broken settings file silently drops its ``env`` block, ``apiKeyHelper`` and model, which
changes the route requests take; so these findings belong to the ``route`` branch.
"""

from __future__ import annotations

from claude_doctor.claude_home import (
    SETTINGS_MAX_BYTES,
    FileProblem,
    Problem,
    SettingsLocation,
    read_json_object,
    settings_locations,
)
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, Finding, FindingMaker, Severity

_settings = FindingMaker(Branch.ROUTE, "route.settings")

_FIX = {
    Problem.TOO_LARGE: "Claude Code refuses settings files over 2 MiB: move large data out of it",
    Problem.INVALID_JSON: "fix the JSON syntax at the line and column shown",
    Problem.BINARY: "the file is not text: restore it from a backup or recreate it",
    Problem.EMPTY: "put {} in it or delete it",
    Problem.NOT_AN_OBJECT: "the top level must be an object: {...}",
    Problem.UNREADABLE: "give your user read access to it (ls -l shows the owner and mode)",
    Problem.NOT_A_FILE: "remove it or move it away; a settings file must be a regular file",
}


def _problem_finding(location: SettingsLocation, problem: FileProblem) -> Finding:
    severity = Severity.WARN if problem.problem is Problem.EMPTY else Severity.FAIL
    evidence: dict[str, object] = {
        "path": str(location.path),
        "scope": location.scope,
        "problem": problem.problem.value,
    }
    where = str(location.path)
    if problem.line is not None:
        evidence.update(line=problem.line, column=problem.column)
        where = f"{location.path}:{problem.line}:{problem.column}"
    if problem.size is not None:
        evidence["size"] = problem.size
    return _settings(
        problem.problem.value,
        severity,
        f"{location.scope} settings file {problem.message}",
        f"{where} {problem.message}. Claude Code cannot use it, so its env, "
        "apiKeyHelper and model settings are not applied.",
        (f"{_FIX[problem.problem]}: {where}",),
        **evidence,
    )


def _duplicates_finding(location: SettingsLocation, keys: tuple[str, ...]) -> Finding:
    shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
    return _settings(
        "duplicate_key",
        Severity.WARN,
        f"{location.scope} settings file has a key twice: {shown}",
        f"{location.path} has {shown} more than once in the same object. JSON readers keep "
        "the last one, so the value above it is silently ignored; it may not be the one you "
        "meant.",
        (f"keep one of each in {location.path}",),
        path=str(location.path),
        scope=location.scope,
        keys=list(keys),
    )


def _scan(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    checked: list[str] = []
    for location in settings_locations(ctx.settings):
        result = read_json_object(location.path, max_bytes=SETTINGS_MAX_BYTES)
        if isinstance(result, FileProblem):
            if result.problem is not Problem.MISSING:
                findings.append(_problem_finding(location, result))
            continue
        checked.append(str(location.path))
        if result.duplicate_keys:
            findings.append(_duplicates_finding(location, result.duplicate_keys))
    if not findings:
        findings.append(
            _settings(
                "ok",
                Severity.OK,
                f"settings files valid ({len(checked)} found)",
                "Every Claude Code settings file present is valid JSON within limits.",
                files=checked,
            )
        )
    return findings


async def settings_sanity(ctx: Context) -> list[Finding]:
    return await in_thread(lambda: _scan(ctx))
