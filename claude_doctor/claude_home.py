"""Read Claude Code's local state into typed objects, safely.

Every read goes through :mod:`claude_doctor.safe_read`: bounded in size, regular files only,
and every failure (missing, not a regular file, unreadable, binary, not JSON, too deep, too
large) comes back as a :class:`FileProblem` value the checks turn into findings; a key twice
in one object is noted. Nothing here writes.
"""

from __future__ import annotations

import json
import math
import re
import stat
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claude_doctor.safe_read import (
    JsonError,
    TooDeep,
    Unreadable,
    loads,
    read_bytes,
)
from claude_doctor.safe_read import Problem as Problem
from claude_doctor.settings import Settings

#: Claude Code refuses settings files over 2 MiB (FACTS §3.4).
SETTINGS_MAX_BYTES = 2 * 1024 * 1024


#: The reason a file could not be used (the safe reader's).
FileProblem = Unreadable


@dataclass(frozen=True)
class JsonFile:
    """A JSON object read from disk."""

    path: Path
    data: dict[str, Any]
    size: int
    mode: int
    #: Keys that appear more than once in one object, with where: ``env.FOO``.
    duplicate_keys: tuple[str, ...] = ()


def read_json_object(path: Path, *, max_bytes: int = SETTINGS_MAX_BYTES) -> JsonFile | FileProblem:
    """Read ``path`` as a JSON object through the safe reader, never more than
    ``max_bytes`` + 1 bytes."""
    got = read_bytes(path, max_bytes)
    if isinstance(got, Unreadable):
        if got.problem is Problem.NOT_A_FILE:
            return replace(got, message=f"{got.message}, not a JSON file")
        return got
    return parse_json_object(path, got.data, mode=got.mode)


def parse_json_object(path: Path, raw: bytes, *, mode: int = 0) -> JsonFile | FileProblem:
    """Parse bytes already read from ``path``; see :func:`read_json_object`."""
    if not raw.strip():
        return FileProblem(path, Problem.EMPTY, "is empty", size=len(raw))
    if b"\x00" in raw:
        return FileProblem(path, Problem.BINARY, "holds binary data, not JSON text", size=len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FileProblem(
            path,
            Problem.BINARY,
            f"is not UTF-8 text (bad byte at offset {exc.start})",
            size=len(raw),
        )
    try:
        parsed = loads(text, duplicates=True)
    except TooDeep as exc:
        return FileProblem(path, Problem.INVALID_JSON, f"is not valid JSON: it {exc.message}")
    except JsonError as exc:
        return FileProblem(
            path,
            Problem.INVALID_JSON,
            f"is not valid JSON: {exc.message}",
            line=exc.line,
            column=exc.column,
            size=len(raw),
        )
    data = parsed.value
    if not isinstance(data, dict):
        return FileProblem(
            path,
            Problem.NOT_AN_OBJECT,
            f"holds a JSON {_json_type(data)}, but an object {{...}} is expected",
            size=len(raw),
        )
    dupes = tuple(duplicate_key_paths(data, parsed.duplicates)) if parsed.duplicates else ()
    return JsonFile(path, data, len(raw), stat.S_IMODE(mode), dupes)


def _json_type(value: Any) -> str:
    names = {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def duplicate_key_paths(value: Any, duplicates: dict[int, list[str]]) -> list[str]:
    """``a.b`` for each key met twice in one object, walked iteratively."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            for key in sorted(set(duplicates.get(id(node), ()))):
                found.append(f"{where}.{key}" if where else key)
            stack.extend((f"{where}.{k}" if where else str(k), c) for k, c in node.items())
        elif isinstance(node, list):
            stack.extend((f"{where}[{i}]", c) for i, c in enumerate(node))
    return sorted(found)


@dataclass(frozen=True)
class SettingsLocation:
    """One file of Claude Code's settings hierarchy, highest precedence first."""

    scope: str  # managed | managed.d | project_local | project | user
    path: Path


def managed_settings_dir(settings: Settings) -> Path:
    """Where this OS keeps managed (enterprise) settings (FACTS §3.4)."""
    override = settings.environ.get("CLAUDE_DOCTOR_MANAGED_SETTINGS_DIR", "").strip()
    if override:
        return Path(override)
    if settings.platform == "darwin":
        return Path("/Library/Application Support/ClaudeCode")
    if settings.platform.startswith("win"):
        return Path(settings.environ.get("ProgramFiles", r"C:\Program Files")) / "ClaudeCode"
    return Path("/etc/claude-code")


def settings_locations(settings: Settings) -> list[SettingsLocation]:
    """Every settings file Claude Code would read, highest precedence first."""
    managed = managed_settings_dir(settings)
    found = [SettingsLocation("managed", managed / "managed-settings.json")]
    drop_in = managed / "managed-settings.d"
    try:
        extra = sorted(p for p in drop_in.iterdir() if p.suffix == ".json")
    except OSError:
        extra = []
    found += [SettingsLocation("managed.d", p) for p in extra]
    project = settings.cwd / ".claude"
    found += [
        SettingsLocation("project_local", project / "settings.local.json"),
        SettingsLocation("project", project / "settings.json"),
        SettingsLocation("user", settings.claude_config_dir / "settings.json"),
    ]
    return found


# --- Typed readers for the auth state (route and login branches) --------------------------

#: Credentials and ``.claude.json`` are small; anything bigger is not what Claude Code wrote.
STATE_MAX_BYTES = 8 * 1024 * 1024
CREDENTIALS_MAX_BYTES = 1024 * 1024
KEYCHAIN_SERVICE = "Claude Code-credentials"


@dataclass(frozen=True)
class ClaudeJson:
    """What ``~/.claude.json`` says about the sign-in (FACTS §3.2, partly 3rd-party)."""

    path: Path
    #: ``oauthAccount`` without personal fields beyond what a report needs.
    account_email: str | None
    organization: str | None
    billing_type: str | None
    signed_in: bool
    #: Last 20 characters of API keys the user approved / rejected in Claude Code.
    approved_key_suffixes: tuple[str, ...]
    rejected_key_suffixes: tuple[str, ...]


def read_claude_json(settings: Settings) -> ClaudeJson | FileProblem:
    result = read_json_object(settings.claude_json_path, max_bytes=STATE_MAX_BYTES)
    if isinstance(result, FileProblem):
        return result
    data = result.data
    account = data.get("oauthAccount")
    account = account if isinstance(account, dict) else {}
    responses = data.get("customApiKeyResponses")
    responses = responses if isinstance(responses, dict) else {}

    def strings(value: Any) -> tuple[str, ...]:
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    def text(key: str) -> str | None:
        value = account.get(key)
        return value if isinstance(value, str) and value else None

    return ClaudeJson(
        path=result.path,
        account_email=text("emailAddress"),
        organization=text("organizationName"),
        billing_type=text("billingType"),
        signed_in=bool(account),
        approved_key_suffixes=strings(responses.get("approved")),
        rejected_key_suffixes=strings(responses.get("rejected")),
    )


@dataclass(frozen=True)
class OAuthCredentials:
    """The ``claudeAiOauth`` block of ``.credentials.json`` or the Keychain item.

    Holds the raw tokens: callers hand them to the run's redactor (``ctx.secrets``) and
    never put them anywhere else.
    """

    source: str  # "file" or "keychain"
    path: Path | None
    #: Permission bits of the file (None for the Keychain).
    mode: int | None
    access_token: str | None
    refresh_token: str | None
    expires_at: datetime | None
    #: None when ``scopes`` is absent; ``scopes_valid`` False when it is not a list.
    scopes: tuple[str, ...] | None
    scopes_valid: bool
    subscription_type: str | None
    rate_limit_tier: str | None
    #: Only ``mcpOAuth`` (MCP server logins), no Claude login at all.
    mcp_only: bool
    #: Every secret value in the document, for the redactor.
    secrets: tuple[str, ...]
    #: ``expiresAt`` is there but not a time: what it is instead.
    expires_at_problem: str | None = None

    @property
    def present(self) -> bool:
        """A Claude login is stored (it may still be expired)."""
        return bool(self.access_token) and not self.mcp_only


def epoch_to_datetime(value: Any) -> datetime | None:
    """``expiresAt`` is epoch milliseconds; a value under 1e12 is taken as seconds."""
    return read_expiry(value)[0]


def read_expiry(value: Any) -> tuple[datetime | None, str | None]:
    """``expiresAt`` as a time, or why it is not one (``None, None`` when absent)."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = _json_type(value)
        article = "an" if kind[0] in "aeiou" else "a"
        return None, f"expiresAt is not a time: {article} {kind} ({_shown(value)})"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"expiresAt is not a time: {_shown(value)}"
    try:
        seconds = value / 1000 if value > 1e12 else float(value)
        return datetime.fromtimestamp(seconds, UTC), None
    except (OverflowError, OSError, ValueError):
        return None, f"expiresAt is not a time: {_shown(value)} is out of range"


_TIME_TEXT = re.compile(r"[0-9TZ:.+\- ]{1,30}")


def _shown(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**40:
        return f"a {int(abs(value).bit_length() * 0.30103) + 1}-digit number"
    if isinstance(value, float) and math.isinf(value):
        return "a number too large to hold"
    if isinstance(value, str) and not _TIME_TEXT.fullmatch(value):
        return f"{len(value)} characters"  # never a piece of what may be a secret
    if isinstance(value, list | dict):
        noun = "item" if isinstance(value, list) else "key"
        return f"{len(value)} {noun}" + ("" if len(value) == 1 else "s")
    return json.dumps(value, ensure_ascii=True)[:40]


def parse_credentials(
    data: dict[str, Any], *, source: str, path: Path | None, mode: int | None
) -> OAuthCredentials:
    from claude_doctor.redact import find_secret_values

    oauth = data.get("claudeAiOauth")
    oauth = oauth if isinstance(oauth, dict) else {}
    scopes_raw = oauth.get("scopes")
    scopes: tuple[str, ...] | None = None
    scopes_valid = True
    if isinstance(scopes_raw, list):
        scopes = tuple(str(s) for s in scopes_raw)
    elif scopes_raw is not None:
        scopes_valid = False

    def text(key: str) -> str | None:
        value = oauth.get(key)
        return value if isinstance(value, str) and value else None

    expires_at, expiry_problem = read_expiry(oauth.get("expiresAt"))
    return OAuthCredentials(
        source=source,
        path=path,
        mode=mode,
        access_token=text("accessToken"),
        refresh_token=text("refreshToken"),
        expires_at=expires_at,
        expires_at_problem=expiry_problem,
        scopes=scopes,
        scopes_valid=scopes_valid,
        subscription_type=text("subscriptionType"),
        rate_limit_tier=text("rateLimitTier"),
        mcp_only=not oauth and "mcpOAuth" in data,
        secrets=tuple(find_secret_values(data)),
    )


def credentials_path(settings: Settings) -> Path:
    return settings.claude_config_dir / ".credentials.json"


def read_credentials_file(settings: Settings) -> OAuthCredentials | FileProblem:
    """``.credentials.json`` under the config dir (Linux and Windows; FACTS §3.1)."""
    result = read_json_object(credentials_path(settings), max_bytes=CREDENTIALS_MAX_BYTES)
    if isinstance(result, FileProblem):
        return result
    return parse_credentials(result.data, source="file", path=result.path, mode=result.mode)


@dataclass(frozen=True)
class SettingsFile:
    """One parsed settings file's auth-relevant keys."""

    location: SettingsLocation
    env: dict[str, str]
    api_key_helper: str | None
    force_login_method: str | None
    model: str | None


def read_settings_files(settings: Settings) -> list[SettingsFile]:
    """Every readable settings file, highest precedence first (broken ones are the settings
    check's to report; here they are simply not applied, as in Claude Code)."""
    found: list[SettingsFile] = []
    for location in settings_locations(settings):
        result = read_json_object(location.path, max_bytes=SETTINGS_MAX_BYTES)
        if isinstance(result, FileProblem):
            continue
        data = result.data
        env_raw = data.get("env")
        env = (
            {str(k): str(v) for k, v in env_raw.items() if isinstance(v, str | int | float)}
            if isinstance(env_raw, dict)
            else {}
        )

        def text(key: str, data: dict[str, Any] = data) -> str | None:
            value = data.get(key)
            return value.strip() if isinstance(value, str) and value.strip() else None

        found.append(
            SettingsFile(
                location=location,
                env=env,
                api_key_helper=text("apiKeyHelper"),
                force_login_method=text("forceLoginMethod"),
                model=text("model"),
            )
        )
    return found


# --- macOS Keychain (only when settings.platform == "darwin") ------------------------------


@dataclass(frozen=True)
class KeychainState:
    """What ``security`` says about Claude Code's Keychain item, without its secret unless
    the user agreed to read it."""

    service: str
    #: True / False, or None when ``security`` could not say (not found on PATH, timed out).
    present: bool | None
    locked: bool
    #: Modification date as ``security`` prints it (metadata only).
    modified: str | None = None
    #: The parsed item, only when read with consent.
    credentials: OAuthCredentials | None = None
    #: The item was read but is not the JSON Claude Code writes.
    corrupt: str | None = None
    error: str | None = None


def keychain_service(settings: Settings) -> str:
    """``Claude Code-credentials``, suffixed with the first 8 hex digits of the SHA-256 of
    a non-default ``CLAUDE_CONFIG_DIR`` (FACTS §3.1, 3rd-party)."""
    import hashlib

    raw = settings.environ.get("CLAUDE_CONFIG_DIR", "").strip()
    if not raw:
        return KEYCHAIN_SERVICE
    digest = hashlib.sha256(raw.encode()).hexdigest()[:8]
    return f"{KEYCHAIN_SERVICE}-{digest}"


_LOCKED_WORDS = ("interaction is not allowed", "locked")
_MDAT = re.compile(r'"mdat"<timedate>=0x[0-9A-F]+\s+"([^"\\\x00]+)')


def read_keychain(settings: Settings, *, read_secret: bool, timeout: float = 5.0) -> KeychainState:
    """Ask ``security`` for the item's presence and metadata (no ``-w``: the secret stays
    in the Keychain); with ``read_secret`` (the user agreed) read and parse it too."""
    import shutil
    import subprocess

    service = keychain_service(settings)
    security = shutil.which("security", path=settings.environ.get("PATH", ""))
    if security is None:
        return KeychainState(service, None, False, error="`security` is not on PATH")
    env = dict(settings.environ)

    def run(*args: str) -> tuple[int | None, str, str]:
        try:
            proc = subprocess.run(
                [security, *args],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, "", ""
        except OSError as exc:
            return 1, "", str(exc.strerror or exc)
        return (
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    code, out, err = run("find-generic-password", "-s", service)
    if code is None:
        return KeychainState(service, None, False, error="`security` gave no answer in time")
    locked = any(word in err.lower() for word in _LOCKED_WORDS)
    if code != 0:
        # 44 = errSecItemNotFound; anything else (36 = locked, no UI over SSH) is a problem.
        present: bool | None = False if code == 44 or "could not be found" in err else None
        return KeychainState(
            service, present, locked, error=None if present is False else err.strip()[:200]
        )
    match = _MDAT.search(out)
    modified = match.group(1).strip() if match else None
    if not read_secret:
        return KeychainState(service, True, False, modified=modified)
    code, out, err = run("find-generic-password", "-s", service, "-w")
    if code != 0:
        locked = any(word in err.lower() for word in _LOCKED_WORDS)
        return KeychainState(
            service, True, locked, modified=modified, error=err.strip()[:200] or None
        )
    parsed = parse_json_object(Path(f"keychain:{service}"), out.strip().encode())
    if isinstance(parsed, FileProblem):
        return KeychainState(service, True, False, modified=modified, corrupt=parsed.message)
    creds = parse_credentials(parsed.data, source="keychain", path=None, mode=None)
    return KeychainState(service, True, False, modified=modified, credentials=creds)
