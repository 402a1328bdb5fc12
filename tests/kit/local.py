"""Real local parts for tests: an HTTPS server whose answers a test scripts, a fake home for
Claude Code's state, a black-hole port and a refused port, and a runner for the real CLI.

Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GUARD_DIR = ROOT / "tests" / "netguard"


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering.
    delay: float = 0.0
    #: Send the body in pieces of this many bytes, ``trickle_pause`` seconds apart.
    trickle: int = 0
    trickle_pause: float = 0.0
    #: Close the connection without answering.
    hang_up: bool = False

    def payload(self) -> bytes:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode()
        if isinstance(self.body, str):
            return self.body.encode()
        return self.body


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    #: ``time.monotonic()`` when the request had been read.
    at: float = field(default_factory=time.monotonic)


Route = Reply | list[Reply] | Callable[[Seen], Reply]


class ScriptedServer:
    """An HTTP(S) server on 127.0.0.1. ``routes`` maps a path (query ignored) to a reply, a
    list of replies served in turn (the last repeats), or a function of the request."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.default = Reply(404, {"error": "no route"})
        self._ssl = ssl_context
        self._turns: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                reply = server._reply_for(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.hang_up:
                    self.close_connection = True
                    return
                payload = reply.payload()
                self.send_response(reply.status)
                headers = {"content-type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                if self.command == "HEAD":
                    return
                if reply.trickle:
                    for i in range(0, len(payload), reply.trickle):
                        self.wfile.write(payload[i : i + reply.trickle])
                        self.wfile.flush()
                        time.sleep(reply.trickle_pause)
                else:
                    self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _serve

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def process_request_thread(self, request: Any, client_address: Any) -> None:
                # TLS per connection thread: a slow handshake never blocks accept().
                if server._ssl is not None:
                    try:
                        request.settimeout(5)
                        request = server._ssl.wrap_socket(request, server_side=True)
                        request.settimeout(None)
                    except (OSError, ssl.SSLError):
                        self.shutdown_request(request)
                        return
                super().process_request_thread(request, client_address)

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.httpd = Server((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.host = host
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self._ssl is not None else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def _reply_for(self, seen: Seen) -> Reply:
        path = seen.path.split("?", 1)[0]
        with self._lock:
            self.seen.append(seen)
            route = self.routes.get(path, self.default)
            if isinstance(route, list):
                turn = self._turns.get(path, 0)
                self._turns[path] = turn + 1
                return route[min(turn, len(route) - 1)]
        if callable(route) and not isinstance(route, Reply):
            return route(seen)
        return route

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def server_ssl_context(ca: Any, *names: str, **leaf_kwargs: Any) -> ssl.SSLContext:
    """A server-side TLS context with a trustme leaf for ``names`` signed by ``ca``."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf = ca.issue_cert(*(names or ("127.0.0.1", "localhost")), **leaf_kwargs)
    leaf.configure_cert(ctx)
    return ctx


@contextmanager
def black_hole_port() -> Iterator[int]:
    """A port that accepts TCP connections into its backlog but never answers: TLS
    handshakes and HTTP reads time out."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def refused_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


class FakeHome:
    """A home directory for Claude Code's state, and the environment that points at it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.claude = self.home / ".claude"
        self.cwd = root / "project"
        self.managed = root / "managed"
        self.doctor = root / "doctor"
        for d in (self.home, self.claude, self.cwd, self.managed):
            d.mkdir(parents=True, exist_ok=True)

    def settings_path(self, scope: str) -> Path:
        return {
            "user": self.claude / "settings.json",
            "project": self.cwd / ".claude" / "settings.json",
            "project_local": self.cwd / ".claude" / "settings.local.json",
            "managed": self.managed / "managed-settings.json",
        }[scope]

    def write(self, path: Path, content: bytes | str | dict[str, Any], mode: int = 0o644) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = json.dumps(content, indent=2)
        if isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)
        path.chmod(mode)
        return path

    def settings(self, scope: str, content: bytes | str | dict[str, Any]) -> Path:
        return self.write(self.settings_path(scope), content)

    def credentials(self, data: dict[str, Any], mode: int = 0o600) -> Path:
        return self.write(self.claude / ".credentials.json", data, mode)

    def subscription(self, *, expires_in: float = 30 * 86400, **oauth: Any) -> Path:
        """A healthy subscription login: OAuth credentials valid for ``expires_in`` seconds
        (fake tokens, never real ones), as ``/login`` leaves them."""
        block: dict[str, Any] = {
            "accessToken": "sk-ant-oat01-" + "fakeAccessT0ken" * 6,
            "refreshToken": "sk-ant-ort01-" + "fakeRefreshT0k" * 6,
            "expiresAt": int((time.time() + expires_in) * 1000),
            "scopes": ["user:inference", "user:profile", "user:sessions:claude_code"],
            "subscriptionType": "max",
        }
        block.update(oauth)
        return self.credentials({"claudeAiOauth": block})

    def claude_json(self, data: dict[str, Any]) -> Path:
        return self.write(self.home / ".claude.json", data)

    def env(self, **extra: str) -> dict[str, str]:
        """A clean environment: nothing from the developer's own shell leaks in."""
        env = {
            "HOME": str(self.home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "CLAUDE_DOCTOR_HOME": str(self.doctor),
            "CLAUDE_DOCTOR_MANAGED_SETTINGS_DIR": str(self.managed),
            "CLAUDE_DOCTOR_NO_INPUT": "1",
            "NO_COLOR": "1",
        }
        env.update(extra)
        return env


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(
    args: list[str],
    env: Mapping[str, str],
    *,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: float = 30,
) -> CliResult:
    """Run the real ``claude-doctor`` in a child process with the network guard loaded."""
    full_env = dict(env)
    full_env["PYTHONPATH"] = os.pathsep.join([str(GUARD_DIR), str(ROOT)])
    full_env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    proc = subprocess.run(
        [sys.executable, "-m", "claude_doctor", *args],
        env=full_env,
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return CliResult(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )
