"""Every knob of the tool, read in one place into one frozen object.

Environment variables give the defaults, command-line flags override them. No other module
reads ``os.environ``: checks receive a :class:`Settings` (through the context) and look at
``settings.environ`` when they need to know what Claude Code would see.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_STATUS_URL = "https://status.claude.com"
DEFAULT_API_BASE_URL = "https://api.anthropic.com"
DEFAULT_TIMEOUT = 10.0
#: The deadline can never be shorter or longer than this, whatever is asked.
MIN_TIMEOUT, MAX_TIMEOUT = 0.5, 600.0

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y"})


class SettingsError(ValueError):
    """A knob has a value the tool cannot use; the message says which and why."""


@dataclass(frozen=True)
class HostPort:
    host: str
    port: int


@dataclass(frozen=True)
class Settings:
    """The run's configuration. Built by :func:`load_settings`; tests build their own."""

    #: A copy of the environment as the user's Claude tools would see it.
    environ: Mapping[str, str]
    status_url: str = DEFAULT_STATUS_URL
    api_base_url: str = DEFAULT_API_BASE_URL
    #: Whether ``api_base_url`` came from ``ANTHROPIC_BASE_URL`` rather than the default.
    api_base_url_custom: bool = False
    #: Resolvers under test (``CLAUDE_DOCTOR_DNS_SERVERS``); empty means the system's.
    dns_servers: tuple[HostPort, ...] = ()
    #: curl's ``--connect-to``: (host, port) -> where to connect instead.
    connect_to: Mapping[tuple[str, int], HostPort] = field(default_factory=dict)
    #: The system trust store file (``SSL_CERT_FILE``), or None for the OS store.
    ssl_cert_file: Path | None = None
    #: The reference public CA bundle; None means certifi's.
    public_ca_file: Path | None = None
    home: Path = field(default_factory=Path.home)
    #: Claude Code's config dir (``CLAUDE_CONFIG_DIR`` or ``~/.claude``).
    claude_config_dir: Path = field(default_factory=lambda: Path.home() / ".claude")
    cwd: Path = field(default_factory=Path.cwd)
    #: Where claude-doctor keeps its report history.
    doctor_home: Path = field(default_factory=lambda: Path.home() / ".claude-doctor")
    #: The whole run's deadline, seconds.
    timeout: float = DEFAULT_TIMEOUT
    no_input: bool = False
    platform: str = sys.platform

    @property
    def claude_json_path(self) -> Path:
        """``~/.claude.json``, or ``.claude.json`` inside ``CLAUDE_CONFIG_DIR`` when set."""
        if "CLAUDE_CONFIG_DIR" in self.environ:
            return self.claude_config_dir / ".claude.json"
        return self.home / ".claude.json"

    def connect_target(self, host: str, port: int) -> HostPort:
        """Where a TCP connection meant for ``host:port`` should really go."""
        return self.connect_to.get((host.lower(), port), HostPort(host, port))


def _parse_host_port(text: str, default_port: int) -> HostPort:
    """``1.2.3.4``, ``1.2.3.4:53``, ``[::1]:53`` or ``::1`` -> HostPort."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.lstrip(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if not host:
        raise SettingsError(f"empty host in {text!r}")
    try:
        port = int(port_text) if port_text else default_port
    except ValueError:
        raise SettingsError(f"port is not a number in {text!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"port out of range in {text!r}")
    return HostPort(host, port)


def parse_dns_servers(text: str) -> tuple[HostPort, ...]:
    """``CLAUDE_DOCTOR_DNS_SERVERS``: a comma list of ``ip[:port]``."""
    return tuple(_parse_host_port(part, 53) for part in text.split(",") if part.strip())


def parse_connect_to(text: str) -> dict[tuple[str, int], HostPort]:
    """``CLAUDE_DOCTOR_CONNECT_TO``: a comma list of ``HOST1:PORT1:HOST2:PORT2``."""
    result: dict[tuple[str, int], HostPort] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        pieces = part.split(":")
        if len(pieces) != 4:
            raise SettingsError(
                f"CLAUDE_DOCTOR_CONNECT_TO entry {part!r} is not HOST1:PORT1:HOST2:PORT2"
            )
        host1, port1, host2, port2 = pieces
        try:
            key = (host1.lower(), int(port1))
            target = HostPort(host2, int(port2))
        except ValueError:
            raise SettingsError(f"CLAUDE_DOCTOR_CONNECT_TO entry {part!r}: bad port") from None
        result[key] = target
    return result


def parse_timeout(text: str | float) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise SettingsError(f"timeout {text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise SettingsError(f"timeout {text!r} must be a positive number of seconds")
    return min(max(value, MIN_TIMEOUT), MAX_TIMEOUT)


def _http_url(value: str, name: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name}={value!r} is not an http(s) URL")
    return value.strip().rstrip("/")


def _default_doctor_home() -> Path:
    from platformdirs import user_data_path

    return user_data_path("claude-doctor", appauthor=False)


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    timeout: float | None = None,
    no_input: bool | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Read every knob from ``environ`` (default: the process environment); flags win."""
    env = dict(os.environ if environ is None else environ)
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    config_dir_text = env.get("CLAUDE_CONFIG_DIR", "").strip()
    config_dir = Path(config_dir_text).expanduser() if config_dir_text else home / ".claude"
    base_text = env.get("ANTHROPIC_BASE_URL", "").strip()
    doctor_home_text = env.get("CLAUDE_DOCTOR_HOME", "").strip()
    ssl_cert = env.get("SSL_CERT_FILE", "").strip()
    public_ca = env.get("CLAUDE_DOCTOR_PUBLIC_CA_FILE", "").strip()
    return Settings(
        environ=env,
        status_url=_http_url(
            env.get("CLAUDE_DOCTOR_STATUS_URL") or DEFAULT_STATUS_URL, "CLAUDE_DOCTOR_STATUS_URL"
        ),
        api_base_url=_http_url(base_text, "ANTHROPIC_BASE_URL")
        if base_text
        else DEFAULT_API_BASE_URL,
        api_base_url_custom=bool(base_text),
        dns_servers=parse_dns_servers(env.get("CLAUDE_DOCTOR_DNS_SERVERS", "")),
        connect_to=parse_connect_to(env.get("CLAUDE_DOCTOR_CONNECT_TO", "")),
        ssl_cert_file=Path(ssl_cert) if ssl_cert else None,
        public_ca_file=Path(public_ca) if public_ca else None,
        home=home,
        claude_config_dir=config_dir,
        cwd=cwd or Path.cwd(),
        doctor_home=Path(doctor_home_text).expanduser()
        if doctor_home_text
        else _default_doctor_home(),
        timeout=parse_timeout(
            timeout if timeout is not None else env.get("CLAUDE_DOCTOR_TIMEOUT") or DEFAULT_TIMEOUT
        ),
        no_input=no_input
        if no_input is not None
        else env.get("CLAUDE_DOCTOR_NO_INPUT", "").strip().lower() in TRUE_WORDS,
    )
