"""Which way Claude Code's requests go: the active authentication route and who set it.

Computed from what :mod:`claude_doctor.claude_home` reads and the settings'
environment (:func:`gather` does the reads, :func:`compute_route` is pure),
following Claude Code's precedence (FACTS §3.5): cloud provider flags,
``ANTHROPIC_AUTH_TOKEN``, ``ANTHROPIC_API_KEY``, ``apiKeyHelper``,
``CLAUDE_CODE_OAUTH_TOKEN``, an Anthropic profile (:mod:`.profile`: only one Claude Code can
use), then the subscription login. Plus a
read-only scan of the usual shell start-up files for the line that sets a variable, so the
fix is one edit, not a hunt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claude_doctor.checks.route.profile import Profile, find_profile
from claude_doctor.claude_home import (
    ClaudeJson,
    FileProblem,
    KeychainState,
    OAuthCredentials,
    Problem,
    SettingsFile,
    read_claude_json,
    read_credentials_file,
    read_keychain,
    read_settings_files,
)
from claude_doctor.redact import is_secret_name, mask
from claude_doctor.safe_read import Unreadable, decode, read_bytes
from claude_doctor.settings import DEFAULT_API_BASE_URL, TRUE_WORDS, Settings

#: The cloud provider switches, in the order Claude Code checks them (observed: 2.1.332
#: picks foundry over vertex when both are set), and what each needs.
CLOUD_FLAGS: tuple[tuple[str, str], ...] = (
    ("CLAUDE_CODE_USE_BEDROCK", "bedrock"),
    ("CLAUDE_CODE_USE_FOUNDRY", "foundry"),
    ("CLAUDE_CODE_USE_ANTHROPIC_AWS", "anthropic_aws"),
    ("CLAUDE_CODE_USE_VERTEX", "vertex"),
)
#: Companion variables a cloud route cannot work without: each entry is "one of these".
CLOUD_COMPANIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "bedrock": (("AWS_REGION", "AWS_DEFAULT_REGION"),),
    "vertex": (("CLOUD_ML_REGION",), ("ANTHROPIC_VERTEX_PROJECT_ID",)),
    "foundry": (("ANTHROPIC_FOUNDRY_RESOURCE", "ANTHROPIC_FOUNDRY_BASE_URL"),),
    "anthropic_aws": (),
}
#: The variables that carry a credential or pick a route: the ones worth tracing.
AUTH_VARIABLES = (
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_API_KEY",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "ANTHROPIC_PROFILE",
    "ANTHROPIC_BASE_URL",
    *(flag for flag, _ in CLOUD_FLAGS),
)

#: Shell start-up files, relative to HOME, in the order shells read them.
SHELL_FILES = (
    ".bashrc",
    ".bash_profile",
    ".zshrc",
    ".zprofile",
    ".profile",
    ".config/fish/config.fish",
)
_SCAN_MAX_BYTES = 1024 * 1024


def masked(secret: str) -> str:
    """The redactor's mask, with line breaks and tabs spelled out so a report shows them."""
    shown = mask(secret.strip())
    return shown.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


@dataclass(frozen=True)
class Origin:
    """A place that sets a variable: a file and line, or a settings ``env`` block."""

    path: Path
    line: int | None
    kind: str  # "shell", "dotenv" or "settings:<scope>"

    def where(self, home: Path) -> str:
        return _tilde(self.path, home)

    def describe(self, home: Path) -> str:
        where = _tilde(self.path, home)
        return f"{where} line {self.line}" if self.line else where

    def short(self, home: Path) -> str:
        """``~/.bashrc:5``, or the file alone for a settings ``env`` block."""
        where = _tilde(self.path, home)
        return f"{where}:{self.line}" if self.line else where


def _tilde(path: Path, home: Path) -> str:
    try:
        return f"~/{path.relative_to(home)}"
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Value:
    """One variable as Claude Code sees it, and where that value came from."""

    name: str
    value: str
    #: "environment" or "settings:<scope>" (a settings ``env`` block).
    source: str
    settings_path: Path | None = None


@dataclass(frozen=True)
class Credential:
    """One credential that could carry requests."""

    #: cloud:<name>, auth_token, api_key, api_key_helper, oauth_token, profile or subscription.
    kind: str
    #: Human words for where it is: "ANTHROPIC_API_KEY (environment)", a file path, ...
    source: str
    #: The raw secret, when there is one; never rendered (see ``masked``).
    secret: str | None = None
    variable: str | None = None
    #: The subscription's plan (``max``, ``pro``) when the stored login names it.
    plan: str | None = None

    @property
    def masked(self) -> str | None:
        return masked(self.secret) if self.secret else None

    def summary(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"kind": self.kind, "source": self.source, "masked": self.masked}
        if self.variable:
            entry["variable"] = self.variable
        if self.plan:
            entry["plan"] = self.plan
        return entry


@dataclass(frozen=True)
class Route:
    """The active route and everything that competes with it."""

    active: Credential | None
    competing: tuple[Credential, ...]
    base_url: str
    base_url_source: str
    #: The effective environment: process environment overlaid by settings ``env`` blocks.
    values: Mapping[str, Value]
    api_key_helper: str | None = None
    api_key_helper_source: str | None = None
    force_login_method: str | None = None
    model: str | None = None
    model_source: str | None = None
    #: Whether the API key was approved / rejected in Claude Code's prompt (None: not asked).
    key_approved: bool | None = None
    origins: dict[str, list[Origin]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.active.kind if self.active else "none"

    @property
    def base_url_custom(self) -> bool:
        return self.base_url.rstrip("/") != DEFAULT_API_BASE_URL

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        return value.value if value else None

    def secrets(self) -> list[str]:
        """Every secret value in play, for the redactor."""
        found = [c.secret for c in (self.active, *self.competing) if c and c.secret]
        found += [
            v.value
            for v in self.values.values()
            if v.name in SECRET_VARIABLES or is_secret_name(v.name)
        ]
        return [s for s in found if s]

    def _set_at(self, home: Path) -> list[str]:
        """Where the active credential was set, shortest words first: ``~/.bashrc:5``, a
        settings file, ``the environment`` (set, but in no file read), or its own source."""
        active = self.active
        if active is None:
            return []
        if not active.variable:
            return [active.source]
        places = [o.short(home) for o in self.origins.get(active.variable, [])]
        if places:
            return places
        value = self.values.get(active.variable)
        if value is not None and value.settings_path is not None:
            return [_tilde(value.settings_path, home)]
        return ["the environment"]

    def evidence(self, home: Path) -> dict[str, Any]:
        """The compact, masked ``route`` block of the report."""
        block: dict[str, Any] = {
            "active": self.kind,
            "source": self.active.source if self.active else None,
            "masked": self.active.masked if self.active else None,
            "base_url": self.base_url,
            "base_url_source": self.base_url_source,
            "competing": [c.summary() for c in self.competing],
        }
        if self.active is not None:
            if self.active.variable:
                block["variable"] = self.active.variable
            if self.active.plan:
                block["plan"] = self.active.plan
            block["set_at"] = self._set_at(home)
        if self.key_approved is not None:
            block["key_approved_in_claude_code"] = self.key_approved
        if self.model:
            block["model"] = self.model
            block["model_source"] = self.model_source
        if self.force_login_method:
            block["force_login_method"] = self.force_login_method
        if self.origins:
            # A list of objects, not {VARIABLE: [...]}: a secret-looking key holding a list
            # would be mangled by the text redaction every renderer applies.
            block["set_in"] = [
                {"variable": name, "places": [o.describe(home) for o in places]}
                for name, places in self.origins.items()
            ]
        return block


SECRET_VARIABLES = frozenset(
    {
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_REFRESH_TOKEN",
        "ANTHROPIC_FOUNDRY_API_KEY",
        "AWS_BEARER_TOKEN_BEDROCK",
        "ANTHROPIC_IDENTITY_TOKEN",
    }
)


def effective_values(environ: Mapping[str, str], files: Sequence[SettingsFile]) -> dict[str, Value]:
    """The environment Claude Code runs with: settings ``env`` blocks are applied over the
    process environment, the highest-precedence file (managed first) winning."""
    values = {k: Value(k, v, "environment") for k, v in environ.items()}
    for f in reversed(files):  # lowest precedence first, so higher ones overwrite
        for name, value in f.env.items():
            values[name] = Value(name, value, f"settings:{f.location.scope}", f.location.path)
    return values


def effective_base_url(settings: Settings) -> str:
    """``ANTHROPIC_BASE_URL`` as Claude Code sees it (settings ``env`` blocks included)."""
    value = effective_values(settings.environ, read_settings_files(settings)).get(
        "ANTHROPIC_BASE_URL"
    )
    if value is None or not value.value.strip():
        return DEFAULT_API_BASE_URL
    return value.value.strip().rstrip("/")


def describe_value(value: Value, home: Path) -> str:
    if value.settings_path is not None:
        return f"{value.name} in the env block of {_tilde(value.settings_path, home)}"
    return f"{value.name} (environment)"


def _truthy(text: str | None) -> bool:
    return (text or "").strip().lower() in TRUE_WORDS


def compute_route(
    settings: Settings,
    files: Sequence[SettingsFile],
    credentials: OAuthCredentials | None,
    claude_json: ClaudeJson | None,
    *,
    keychain_present: bool = False,
    profile: Profile | None = None,
) -> Route:
    """The route Claude Code would take, with every competing credential (FACTS §3.5)."""
    home = settings.home
    values = effective_values(settings.environ, files)

    def val(name: str) -> Value | None:
        v = values.get(name)
        return v if v is not None and v.value.strip() else None

    found: list[Credential] = []
    for flag, name in CLOUD_FLAGS:
        v = val(flag)
        if v and _truthy(v.value):
            found.append(Credential(f"cloud:{name}", describe_value(v, home), variable=flag))
    for name, kind in (("ANTHROPIC_AUTH_TOKEN", "auth_token"), ("ANTHROPIC_API_KEY", "api_key")):
        v = val(name)
        if v:
            found.append(Credential(kind, describe_value(v, home), v.value, name))
    helper = next((f for f in files if f.api_key_helper), None)
    if helper:
        found.append(
            Credential("api_key_helper", f"apiKeyHelper in {_tilde(helper.location.path, home)}")
        )
    v = val("CLAUDE_CODE_OAUTH_TOKEN")
    if v:
        found.append(Credential("oauth_token", describe_value(v, home), v.value, v.name))
    if profile is not None:
        found.append(Credential("profile", profile.where, variable=profile.variable))
    if credentials is not None and credentials.present:
        where = (
            _tilde(credentials.path, home)
            if credentials.path
            else f"macOS Keychain ({credentials.source})"
        )
        found.append(
            Credential(
                "subscription", where, credentials.access_token, plan=credentials.subscription_type
            )
        )
    elif keychain_present:
        found.append(Credential("subscription", "macOS Keychain item Claude Code-credentials"))

    base = val("ANTHROPIC_BASE_URL")
    base_url = base.value.strip().rstrip("/") if base else DEFAULT_API_BASE_URL
    model = val("ANTHROPIC_MODEL")
    model_file = next((f for f in files if f.model), None)
    key = val("ANTHROPIC_API_KEY")
    approved: bool | None = None
    if key and claude_json is not None:
        suffix = key.value.strip()[-20:]
        if suffix in claude_json.approved_key_suffixes:
            approved = True
        elif suffix in claude_json.rejected_key_suffixes:
            approved = False
    return Route(
        active=found[0] if found else None,
        competing=tuple(found[1:]),
        base_url=base_url,
        base_url_source=describe_value(base, home) if base else "default",
        values=values,
        api_key_helper=helper.api_key_helper if helper else None,
        api_key_helper_source=str(helper.location.path) if helper else None,
        force_login_method=next(
            (f.force_login_method for f in files if f.force_login_method), None
        ),
        # ANTHROPIC_MODEL beats `model` in any settings file (FACTS §3.4).
        model=model.value if model else (model_file.model if model_file else None),
        model_source=describe_value(model, home)
        if model
        else (str(model_file.location.path) if model_file else None),
        key_approved=approved,
    )


# --- Where a variable is set ----------------------------------------------------------------


def _assignment_pattern(name: str) -> re.Pattern[str]:
    n = re.escape(name)
    return re.compile(
        rf"^\s*(?:(?:export|declare\s+-x|typeset\s+-x|local)\s+)?{n}\s*="  # sh, bash, zsh, .env
        rf"|^\s*set\s+(?:-[A-Za-z]+\s+)*{n}(?:\s|$)"  # fish
        rf"|^\s*setenv\s+{n}(?:\s|$)"  # csh-style, seen in shared rc files
    )


def _scan_file(path: Path, pattern: re.Pattern[str]) -> list[int]:
    got = read_bytes(path, _SCAN_MAX_BYTES, cut=True)
    if isinstance(got, Unreadable):
        return []
    lines = decode(got.data).splitlines()
    return [i for i, line in enumerate(lines, 1) if pattern.search(line)]


def dotenv_files(cwd: Path) -> list[Path]:
    """``.env`` in the current directory and each parent, nearest first."""
    return [d / ".env" for d in (cwd, *cwd.parents)]


def find_origins(settings: Settings, name: str, files: Sequence[SettingsFile] = ()) -> list[Origin]:
    """Every line that sets ``name``: shell start-up files, ``.env`` files, settings env
    blocks. Read-only; a file that cannot be read is skipped."""
    pattern = _assignment_pattern(name)
    found: list[Origin] = []
    for rel in SHELL_FILES:
        path = settings.home / rel
        found += [Origin(path, n, "shell") for n in _scan_file(path, pattern)]
    for path in dotenv_files(settings.cwd):
        found += [Origin(path, n, "dotenv") for n in _scan_file(path, pattern)]
    for f in files:
        if name in f.env:
            found.append(Origin(f.location.path, None, f"settings:{f.location.scope}"))
    return found


# --- What is wrong with a key's text ------------------------------------------------------


@dataclass(frozen=True)
class KeyDefect:
    """A fault in a key's text, with the 1-based character position it starts at."""

    what: str
    position: int | None


_EXPECTED_PREFIX = {
    "ANTHROPIC_API_KEY": "sk-ant-api",
    "CLAUDE_CODE_OAUTH_TOKEN": "sk-ant-oat",
}
#: Anthropic API keys seen are 108 characters; anything far shorter was cut by a parser.
MIN_KEY_LENGTH = 90
MAX_KEY_LENGTH = 200


def key_defects(name: str, value: str) -> list[KeyDefect]:
    """Whitespace, quotes, line breaks, a wrong prefix or a suspicious length."""
    defects: list[KeyDefect] = []
    for i, ch in enumerate(value, 1):
        if ch in "\r\n":
            lines = len(value.splitlines()) or 1
            defects.append(
                KeyDefect(
                    f"contains a line break at character {i} ({len(value)} characters "
                    f"on {lines} lines)",
                    i,
                )
            )
            break
    for i, ch in enumerate(value, 1):
        if ch in "\"'`":
            defects.append(KeyDefect(f"contains a quote ({ch}) at character {i}", i))
            break
    for i, ch in enumerate(value, 1):
        if ch in " \t" or (ch.isspace() and ch not in "\r\n"):
            where = "leading" if i == 1 else "trailing" if i == len(value) else "inner"
            defects.append(KeyDefect(f"contains {where} whitespace at character {i}", i))
            break
    core = value.strip().strip("\"'`").strip()
    prefix = _EXPECTED_PREFIX.get(name)
    if name == "ANTHROPIC_API_KEY" and core.startswith("sk-ant-oat"):
        defects.append(
            KeyDefect(
                "is an OAuth token (sk-ant-oat…), not an API key: it belongs in "
                "CLAUDE_CODE_OAUTH_TOKEN",
                1,
            )
        )
    elif prefix and not core.startswith(prefix):
        defects.append(KeyDefect(f"does not start with {prefix}", 1))
    if prefix == "sk-ant-api" and core.startswith(prefix):
        if len(core) < MIN_KEY_LENGTH:
            defects.append(
                KeyDefect(
                    f"is {len(core)} characters long, shorter than a whole key "
                    f"(about 108): it looks cut off",
                    None,
                )
            )
        elif len(core) > MAX_KEY_LENGTH:
            defects.append(KeyDefect(f"is {len(core)} characters long: two keys pasted?", None))
    return defects


# --- Everything at once -------------------------------------------------------------------


@dataclass(frozen=True)
class AuthState:
    """Claude Code's auth state as read from disk (and the Keychain on macOS)."""

    files: list[SettingsFile]
    credentials: OAuthCredentials | None
    credentials_problem: FileProblem | None
    claude_json: ClaudeJson | None
    keychain: KeychainState | None
    route: Route
    #: ``~/.claude.json`` is there but cannot be used.
    claude_json_problem: FileProblem | None = None

    def secrets(self) -> list[str]:
        """Every secret value read: the route's credentials and the stored login's tokens."""
        return [*self.route.secrets(), *(self.credentials.secrets if self.credentials else ())]


def gather(settings: Settings, *, read_keychain_secret: bool = False) -> AuthState:
    """Read everything the route depends on (blocking: run it with ``in_thread``)."""
    files = read_settings_files(settings)
    creds_or_problem = read_credentials_file(settings)
    creds = creds_or_problem if isinstance(creds_or_problem, OAuthCredentials) else None
    problem = creds_or_problem if isinstance(creds_or_problem, FileProblem) else None
    keychain = None
    if settings.platform == "darwin":
        keychain = read_keychain(settings, read_secret=read_keychain_secret)
        if creds is None and keychain.credentials is not None:
            creds, problem = keychain.credentials, None
    cj = read_claude_json(settings)
    claude_json = cj if isinstance(cj, ClaudeJson) else None
    cj_problem = cj if isinstance(cj, FileProblem) and cj.problem is not Problem.MISSING else None
    values = effective_values(settings.environ, files)
    route = compute_route(
        settings,
        files,
        creds,
        claude_json,
        keychain_present=bool(keychain and keychain.present and keychain.credentials is None),
        profile=find_profile(
            lambda n: values[n].value if n in values else None,
            settings.home,
            lambda p: _tilde(p, settings.home),
        ),
    )
    origins: dict[str, list[Origin]] = {}
    for name in AUTH_VARIABLES:
        value = route.values.get(name)
        if value is not None and value.value.strip():
            places = find_origins(settings, name, files)
            if places:
                origins[name] = places
    route = replace(route, origins=origins)
    return AuthState(files, creds, problem, claude_json, keychain, route, cj_problem)
