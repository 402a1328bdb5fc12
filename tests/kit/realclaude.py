"""The real Claude Code client as a test part: where the pinned binary is, and ``claude``
runs in a :class:`~tests.kit.local.FakeHome` with a clean environment aimed at a local fake
API (``tests.kit.fakeapi``), stdin from /dev/null and a hard timeout; the session files a run
wrote, read tolerantly.

The pinned version is ``CLIENT_VERSION`` in ``scripts/real-claude``, which installs it.
Nothing the client is given points beyond 127.0.0.1; a run with ``isolated_net`` happens in a
fresh network namespace with only loopback (no resolver at all).
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.kit.local import CliResult, FakeHome, run_cli

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "real-claude"
#: Set to the binary's path to use a client installed elsewhere.
BINARY_ENV = "CLAUDE_DOCTOR_REAL_CLAUDE"
#: Set to 1 to make a missing client a failure instead of a skip (CI).
REQUIRE_ENV = "CLAUDE_DOCTOR_REQUIRE_REAL_CLIENT"
MISSING = "real Claude Code client not installed: run scripts/real-claude (needs npm)"

#: Fake credentials the client is given; none is real, and none may appear in a report.
FAKE_API_KEY = "sk-ant-api03-" + "FakeRealClientKey0" * 5 + "x9AA"
FAKE_OAUTH_TOKEN = "sk-ant-oat01-" + "FakeRealClientOAuth" * 5 + "x9AA"


def script_constant(script: Path, name: str) -> str:
    """The value of ``NAME="…"`` in an install script: the one place a pin is written."""
    m = re.search(rf'^{name}="([^"]+)"', script.read_text(encoding="utf-8"), re.M)
    if not m:
        raise RuntimeError(f"no {name} in {script}")
    return m.group(1)


@functools.cache
def pinned_version() -> str:
    """The client version ``scripts/real-claude`` installs."""
    return script_constant(SCRIPT, "CLIENT_VERSION")


def platform_package() -> str:
    """The npm package holding the native binary for this machine."""
    system = {"Linux": "linux", "Darwin": "darwin"}.get(platform.system(), platform.system())
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(machine, machine)
    musl = (
        system == "linux"
        and platform.libc_ver()[0] != "glibc"
        and any(Path("/lib").glob("ld-musl-*"))
    )
    return f"@anthropic-ai/claude-code-{system}-{arch}{'-musl' if musl else ''}"


def cache_binary() -> Path:
    """Where ``scripts/real-claude`` puts the binary."""
    base = os.environ.get("CLAUDE_DOCTOR_REAL_CLAUDE_DIR")
    if not base:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(cache) / "claude-doctor" / "real-claude")
    return Path(base) / pinned_version() / "node_modules" / platform_package() / "claude"


def find_binary() -> Path | None:
    """The client's binary: ``$CLAUDE_DOCTOR_REAL_CLAUDE``, else the cache path; None when
    there is no executable file there."""
    chosen = os.environ.get(BINARY_ENV)
    path = Path(chosen) if chosen else cache_binary()
    return path if path.is_file() and os.access(path, os.X_OK) else None


def client_version(binary: Path) -> str | None:
    """What ``claude --version`` answers (``2.1.332``), or None when it does not."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {"HOME": scratch, "PATH": "/usr/bin:/bin", **_QUIET}
        try:
            proc = subprocess.run(
                [str(binary), "--version"],
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    words = proc.stdout.decode("utf-8", "replace").split()
    return words[0] if proc.returncode == 0 and words else None


@functools.cache
def netns_unavailable() -> str | None:
    """None when ``unshare`` can give a run its own loopback-only network; else why not."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip not found: cannot run the client without a real resolver"
    try:
        proc = subprocess.run([*_NETNS, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare --net failed: {exc}"
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"unshare --net refused here: {reason[-1] if reason else proc.returncode}"
    return None


_NETNS = ["unshare", "--net", "--map-root-user", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
_QUIET = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
}


@dataclass
class ClaudeRun:
    """One finished run of the client."""

    args: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float
    home: FakeHome
    #: The environment the client ran with.
    env: dict[str, str]

    @property
    def text(self) -> str:
        """What it printed, stripped."""
        return self.stdout.strip()

    def json(self) -> Any:
        return json.loads(self.stdout)

    def json_lines(self) -> list[dict[str, Any]]:
        """stdout read as JSON lines (``stream-json``); lines that are not objects are left."""
        return _objects(self.stdout.splitlines())

    def sessions(self) -> list[Path]:
        return session_files(self.home)


def client_env(
    home: FakeHome,
    base_url: str,
    *,
    api_key: str | None = FAKE_API_KEY,
    oauth_token: str | None = None,
    max_retries: int | None = 0,
    api_timeout_ms: int | None = None,
    ca_file: Path | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The client's whole environment: nothing from the developer's shell leaks in."""
    env = {
        "HOME": str(home.home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "ANTHROPIC_BASE_URL": base_url,
        **_QUIET,
    }
    if api_key is not None:
        env["ANTHROPIC_API_KEY"] = api_key
    if oauth_token is not None:
        env["CLAUDE_CODE_OAUTH_TOKEN"] = oauth_token
    if max_retries is not None:
        env["CLAUDE_CODE_MAX_RETRIES"] = str(max_retries)
    if api_timeout_ms is not None:
        env["API_TIMEOUT_MS"] = str(api_timeout_ms)
    if ca_file is not None:
        env["NODE_EXTRA_CA_CERTS"] = str(ca_file)
    env.update(extra or {})
    return env


class RealClaude:
    """The pinned client binary, run one child at a time per call (calls may overlap)."""

    def __init__(self, binary: Path, version: str) -> None:
        self.binary = binary
        self.version = version

    def run(
        self,
        home: FakeHome,
        base_url: str,
        args: Sequence[str] = ("-p", "say hi"),
        *,
        timeout: float = 60,
        isolated_net: bool = False,
        **env: Any,
    ) -> ClaudeRun:
        """``claude ARGS`` in ``home`` (its working directory ``home.cwd``) with
        :func:`client_env` (``env`` are its keyword options); killed after ``timeout``."""
        argv = [str(self.binary), *args]
        if isolated_net:
            argv = [*_NETNS, *argv]
        full_env = client_env(home, base_url, **env)
        started = time.monotonic()
        proc = subprocess.Popen(
            argv,
            env=full_env,
            cwd=home.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise AssertionError(
                f"claude {' '.join(args)} still running after {timeout} s"
            ) from None
        return ClaudeRun(
            list(args),
            proc.returncode,
            out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"),
            round(time.monotonic() - started, 2),
            home,
            full_env,
        )


#: What claude-doctor is given of the client's environment: the same route and credential.
ROUTE_ENV = ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN")


#: Compiled claude-doctor modules, kept outside the tree: dozens of short runs start faster.
PYCACHE = Path(tempfile.gettempdir()) / f"claude-doctor-test-pycache-{os.getuid()}"


def doctor_env(run: ClaudeRun) -> dict[str, str]:
    """The environment for ``claude-doctor`` looking at what ``run`` left: its fake home and
    the client's route and credential."""
    env = run.home.env()
    env.update({k: run.env[k] for k in ROUTE_ENV if k in run.env})
    env.update(PYTHONPYCACHEPREFIX=str(PYCACHE), PYTHONDONTWRITEBYTECODE="")
    return env


def doctor(
    run: ClaudeRun, *args: str, stdin: bytes | None = None, timeout: float = 60
) -> CliResult:
    """``claude-doctor ARGS`` on what ``run`` left, from the client's working directory."""
    return run_cli(list(args), doctor_env(run), cwd=run.home.cwd, stdin=stdin, timeout=timeout)


def session_files(home: FakeHome) -> list[Path]:
    """The transcripts under ``HOME/.claude/projects``, oldest first."""
    projects = home.claude / "projects"
    if not projects.is_dir():
        return []
    return sorted(projects.glob("*/*.jsonl"), key=lambda p: (p.stat().st_mtime_ns, p.name))


def transcript(path: Path) -> list[dict[str, Any]]:
    """A transcript's lines as objects; blank, broken or non-object lines are left."""
    return _objects(path.read_text(encoding="utf-8", errors="replace").splitlines())


def _objects(lines: Sequence[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            out.append(value)
    return out


@functools.cache
def locate() -> RealClaude | str:
    """The pinned client ready to run, or the one-line reason it is not."""
    binary = find_binary()
    if binary is None:
        chosen = os.environ.get(BINARY_ENV)
        return f"{MISSING} ({BINARY_ENV}={chosen} is not an executable file)" if chosen else MISSING
    version = client_version(binary)
    if version != pinned_version():
        return (
            f"real Claude Code client at {binary} answers --version with {version},"
            f" not the pinned {pinned_version()}: run scripts/real-claude"
        )
    return RealClaude(binary, version)


def report_header() -> str:
    """One line for pytest's header: the client the real-client suite runs, or why none."""
    found = locate()
    if isinstance(found, str):
        return f"real Claude Code client: none ({found})"
    return f"real Claude Code client: {found.version} at {found.binary}"


def required() -> bool:
    """Whether a missing client fails the suite instead of skipping it."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")
