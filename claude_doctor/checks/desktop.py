"""Surfaces without Claude Code's state: Claude Desktop's config and logs, claude.ai in a
browser, and other tools that call Claude.

Claude Desktop keeps ``claude_desktop_config.json`` (MCP servers) and its logs in a folder
per OS; a broken config or an MCP command missing from PATH makes it fail quietly, and its
logs carry the API errors it met.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from claude_doctor.claude_home import FileProblem, Problem, read_json_object
from claude_doctor.context import Context, in_thread
from claude_doctor.model import Branch, ErrorSignal, Finding, FindingMaker, Severity, Surface
from claude_doctor.safe_read import Unreadable, decode, open_file
from claude_doctor.settings import Settings

CONFIG_NAME = "claude_desktop_config.json"
CONFIG_MAX_BYTES = 2 * 1024 * 1024
#: Only this much of the end of each log is read, and only logs touched within a day.
LOG_TAIL_BYTES = 256 * 1024
LOG_MAX_FILES = 20
LOG_RECENT = timedelta(hours=24)
CACHE_DIRS = ("Cache", "Code Cache", "GPUCache")
CACHE_MAX_ENTRIES = 50_000
CACHE_LARGE_BYTES = 1024**3
_ERROR_LINE = re.compile(r"\b(?:error|failed|exception)\b", re.IGNORECASE)

_route_desktop = FindingMaker(Branch.ROUTE, "route.desktop")
_none = FindingMaker(Branch.NONE)


@dataclass(frozen=True)
class DesktopPaths:
    """Where Claude Desktop keeps its files on this OS."""

    app_dir: Path
    logs_dir: Path

    @property
    def config(self) -> Path:
        return self.app_dir / CONFIG_NAME


def desktop_paths(settings: Settings) -> DesktopPaths:
    env = settings.environ
    if settings.platform == "darwin":
        return DesktopPaths(
            settings.home / "Library" / "Application Support" / "Claude",
            settings.home / "Library" / "Logs" / "Claude",
        )
    if settings.platform.startswith("win"):
        appdata = Path(env.get("APPDATA") or settings.home / "AppData" / "Roaming")
        return DesktopPaths(appdata / "Claude", appdata / "Claude" / "logs")
    config_home = Path(env.get("XDG_CONFIG_HOME") or settings.home / ".config")
    return DesktopPaths(config_home / "Claude", config_home / "Claude" / "logs")


def _config_findings(ctx: Context, paths: DesktopPaths) -> list[Finding]:
    result = read_json_object(paths.config, max_bytes=CONFIG_MAX_BYTES)
    if isinstance(result, FileProblem):
        if result.problem is Problem.MISSING:
            return [
                _route_desktop(
                    "no_config",
                    Severity.INFO,
                    "no Claude Desktop config file",
                    f"{paths.config} does not exist: Claude Desktop runs with no MCP servers.",
                    path=str(paths.config),
                )
            ]
        where = paths.config
        if result.line is not None:
            where = Path(f"{paths.config}:{result.line}:{result.column}")
        return [
            _route_desktop(
                f"config_{result.problem.value}",
                Severity.FAIL,
                f"Claude Desktop config {result.message}",
                f"{where} {result.message}. Claude Desktop ignores the whole file, so none "
                "of its MCP servers start.",
                (f"Fix {where}, then quit Claude Desktop fully and reopen it",),
                path=str(paths.config),
                problem=result.problem.value,
            )
        ]
    servers = result.data.get("mcpServers") or {}
    if not isinstance(servers, dict):
        return [
            _route_desktop(
                "config_mcp_not_object",
                Severity.FAIL,
                "mcpServers in the Claude Desktop config is not an object",
                f"{paths.config}: mcpServers must be an object of name -> server.",
                path=str(paths.config),
            )
        ]
    path_var = ctx.settings.environ.get("PATH", "")
    findings = [
        f
        for name, server in servers.items()
        for f in _server_findings(paths, name, server, path_var)
    ]
    findings.append(
        _route_desktop(
            "config_ok" if not findings else "config_read",
            Severity.OK,
            f"Claude Desktop config read ({len(servers)} MCP servers)",
            path=str(paths.config),
            mcp_servers=sorted(map(str, servers)),
        )
    )
    return findings


def _server_findings(
    paths: DesktopPaths, name: str, server: object, path_var: str
) -> list[Finding]:
    """What stops one MCP server of the config from starting (nothing for a remote one)."""
    if not isinstance(server, dict):
        return [_server_problem(paths, name, "is not an object")]
    if "url" in server and "command" not in server:
        return []  # a remote server: nothing local to find
    command = server.get("command")
    if not isinstance(command, str) or not command.strip():
        return [_server_problem(paths, name, "has no command")]
    findings: list[Finding] = []
    found = shutil.which(command, path=path_var) or (
        command if Path(command).is_absolute() and os.access(command, os.X_OK) else None
    )
    if not found:
        findings.append(
            _server_problem(
                paths,
                name,
                f"runs `{command}`, which is not on PATH",
                f"Install {command}, or give its full path in {paths.config}. Claude "
                "Desktop does not read your shell's PATH additions.",
            )
        )
    env = server.get("env")
    if env is not None and not (
        isinstance(env, dict) and all(isinstance(v, str) for v in env.values())
    ):
        findings.append(_server_problem(paths, name, "has env values that are not strings"))
    return findings


def _server_problem(paths: DesktopPaths, name: str, what: str, step: str = "") -> Finding:
    return _route_desktop(
        "mcp_server",
        Severity.WARN,
        f"MCP server {name!r} {what}",
        f"In {paths.config}, the MCP server {name!r} {what}; Claude Desktop cannot start it.",
        (step or f"Fix the {name!r} entry in {paths.config}",),
        path=str(paths.config),
        server=name,
    )


def _tail_lines(path: Path) -> list[str]:
    opened = open_file(path)
    if isinstance(opened, Unreadable):
        raise OSError(opened.errno, opened.message)
    with opened as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - LOG_TAIL_BYTES))
        data = handle.read(LOG_TAIL_BYTES)
    lines = decode(data).splitlines()
    return lines[1:] if size > LOG_TAIL_BYTES else lines  # the first may be cut


def _log_findings(ctx: Context, paths: DesktopPaths) -> list[Finding]:
    try:
        logs = [p for p in paths.logs_dir.iterdir() if p.suffix == ".log"]
    except OSError:
        return []
    now = ctx.now()
    recent: list[tuple[float, Path]] = []
    for log in logs:
        try:
            info = log.stat()
        except OSError:
            continue
        if (
            stat.S_ISREG(info.st_mode)
            and now - datetime.fromtimestamp(info.st_mtime, tz=now.tzinfo) <= LOG_RECENT
        ):
            recent.append((info.st_mtime, log))
    recent.sort(reverse=True)
    errors: list[tuple[str, str]] = []
    unreadable: list[str] = []
    for _mtime, log in recent[:LOG_MAX_FILES]:
        try:
            lines = _tail_lines(log)
        except OSError:
            unreadable.append(log.name)
            continue
        errors.extend((log.name, line.strip()[:500]) for line in lines if _ERROR_LINE.search(line))
    if not errors:
        return []
    latest_file, latest = errors[-1]
    signal = _classify(latest)
    branch = signal.branch if signal is not None else Branch.NONE
    counts: dict[str, int] = {}
    for name, _line in errors:
        counts[name] = counts.get(name, 0) + 1
    return [
        FindingMaker(branch)(
            "desktop.log_errors",
            Severity.WARN if branch is not Branch.NONE else Severity.INFO,
            f"{len(errors)} error lines in Claude Desktop's logs of the last day",
            f"The latest, in {latest_file}: {latest}",
            (f"Read the end of {paths.logs_dir / latest_file}",),
            logs_dir=str(paths.logs_dir),
            error_lines_by_file=counts,
            latest=latest,
            latest_category=signal.category.value if signal else None,
            unreadable=unreadable,
        )
    ]


def _classify(line: str) -> ErrorSignal | None:
    from claude_doctor.classify import classify

    signal = classify(line, surface=Surface.DESKTOP)
    return signal if signal.category.value != "other" else None


def _cache_finding(paths: DesktopPaths) -> list[Finding]:
    total = 0
    seen = 0
    for name in CACHE_DIRS:
        root = paths.app_dir / name
        for dirpath, _dirs, files in os.walk(root):
            for file in files:
                seen += 1
                if seen > CACHE_MAX_ENTRIES:
                    break
                try:
                    total += (Path(dirpath) / file).lstat().st_size
                except OSError:
                    continue
    if total < CACHE_LARGE_BYTES:
        return []
    return [
        _route_desktop(
            "cache_large",
            Severity.INFO,
            f"Claude Desktop's cache holds {total / 1024**3:.1f} GiB",
            "A large cache can slow Claude Desktop down; it is safe to clear while it is closed.",
            (
                f"Quit Claude Desktop, then delete the {', '.join(CACHE_DIRS)} folders "
                f"in {paths.app_dir}",
            ),
            cache_bytes=total,
            app_dir=str(paths.app_dir),
        )
    ]


def _desktop(ctx: Context) -> list[Finding]:
    paths = desktop_paths(ctx.settings)
    asked = ctx.answers.surface is Surface.DESKTOP
    if not asked and not paths.app_dir.is_dir():
        return []  # no Claude Desktop here, and the user did not say they use it
    return [*_config_findings(ctx, paths), *_log_findings(ctx, paths), *_cache_finding(paths)]


async def desktop_check(ctx: Context) -> list[Finding]:
    findings = await in_thread(lambda: _desktop(ctx))
    findings.extend(_surface_advice(ctx))
    return findings


BROWSER_STEPS = (
    "Open claude.ai in a private window: if it works there, an extension or a stale cookie "
    "is the cause",
    "Clear cookies and site data for claude.ai only (not the whole browser)",
    "Turn off extensions that touch pages (ad blockers, privacy tools, VPN extensions) and retry",
    "Switch off a VPN or proxy and retry; some regions and VPN exits are blocked",
)


def _surface_advice(ctx: Context) -> list[Finding]:
    surface = ctx.answers.surface
    if surface is Surface.CLAUDE_AI:
        return [
            _none(
                "claude_ai.browser_steps",
                Severity.INFO,
                "claude.ai in a browser: the steps that matter",
                "claude.ai keeps no local state this tool can read; its status-page component "
                "and the DNS/TLS path to claude.ai are checked above.",
                BROWSER_STEPS,
            )
        ]
    if surface is Surface.OTHER_TOOL and not ctx.settings.api_base_url_custom:
        return [
            _none(
                "other_tool.route",
                Severity.INFO,
                "another tool: its own settings decide where requests go",
                "If the tool sends requests through its own gateway or proxy, that gateway's "
                "errors are not on Anthropic's status page; check the tool's base URL setting.",
            )
        ]
    return []
