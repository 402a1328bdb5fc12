"""Secrets never leave: one redactor for every renderer, report and stored file.

What is masked: Anthropic keys and tokens (``sk-ant-<kind>-…``), ``Authorization`` and
``x-api-key`` header values, Bearer tokens, values of variables whose names contain KEY,
TOKEN, SECRET or PASSWORD, of fields named so or plainly ``password``, ``pass``,
``secret`` or ``token`` (at the start of a line as anywhere), the values of URL query and
fragment parameters with credential names (``key``, ``token``, ``sig``, ``code``, …) or
random-looking values, URL passwords, and any literal secret value the redactor was told
about (the environment's, the credentials file's). A masked secret keeps a short prefix and its last
four characters so a user can still tell which key it was: ``sk-ant-api03-…x7Qa``.

A run collects the secret values its checks discover in a :class:`SecretSet` (the
Context's ``secrets``); :meth:`Redactor.for_run` is the one way to a redactor that knows
them and the environment's. :meth:`Redactor.patterns_only` is the renderers' last line of
defence for a report that its run already redacted.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claude_doctor.settings import Settings

ELLIPSIS = "…"
#: Literal values shorter than this are not searched for in text (too many false hits).
MIN_LITERAL = 8

_ANTHROPIC = re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}(?![A-Za-z0-9_\-…])")
_ANTHROPIC_KIND = re.compile(r"^sk-ant-[a-z]+\d*-")
_HEADER = re.compile(
    r"(?i)(\b(?:authorization|proxy-authorization|x-api-key)[\"']?\s*[:=]\s*[\"']?"
    r"(?:(?:bearer|basic)\s+)?)([^\s\"',;}]+)"
)
_BEARER = re.compile(r"(?i)(\bbearer\s+)([A-Za-z0-9._~+/=\-]{8,})")
# Environment-style names contain the word (AWS_BEARER_TOKEN_BEDROCK); other names end
# with it (accessToken, api_key, x-api-key). Plural TOKENS counts tokens, not secrets.
_ENV_NAME = r"[A-Z][A-Z0-9_]*(?:KEY|TOKEN(?!S)|SECRET|PASSWORD|PASSWD)[A-Z0-9_]*"
_FIELD_NAME = r"[A-Za-z_][A-Za-z0-9_\-]*?(?i:key|token|secret|password|passwd)"
# A name that is the word alone: ``password=…`` at the start of a line, ``pass: …``.
_BARE_NAME = r"(?i:password|passwd|pass|pwd|secret|token)(?![A-Za-z0-9_\-])"
_SECRET_FIELD = re.compile(rf"^(?:{_ENV_NAME}|{_FIELD_NAME}|{_BARE_NAME}|authorization)$")
_ASSIGNMENT = re.compile(
    rf"(\b(?:{_ENV_NAME}|{_FIELD_NAME}|{_BARE_NAME})[\"']?\s*[=:]\s*[\"']?)([^\s\"',;}}]+)"
)
_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]*://[^\s\"'<>`]+")
_URL_PARAM = re.compile(r"([?&#;])([^=&#;\s]*)(=?)([^&#;\s]*)")
#: Query and fragment parameters that carry a credential whatever their value looks like.
SECRET_PARAMS = frozenset(
    {
        "key", "api_key", "apikey", "api-key", "token", "access_token", "refresh_token",
        "id_token", "auth", "auth_token", "authorization", "sig", "signature", "password",
        "passwd", "pass", "pwd", "secret", "client_secret", "code", "session", "sessionid",
        "sid", "jwt", "credential", "credentials", "x-amz-signature", "x-amz-credential",
        "x-amz-security-token", "x-goog-signature", "x-goog-credential",
    }
)  # fmt: skip
_RANDOM = re.compile(r"[A-Za-z0-9_\-.~+/%=]{16,}")
_TRAILING = ".,;:!?)]}'\""
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.\-]*://[^:/@\s]+:)([^@/\s]+)(@)")


def mask(secret: str) -> str:
    """``sk-ant-api03-…WXYZ``; other secrets keep 3 characters and the last 4 (long ones
    only): short secrets are masked whole."""
    kind = _ANTHROPIC_KIND.match(secret)
    if kind:
        return f"{kind.group()}{ELLIPSIS}{secret[-4:]}"
    if secret.startswith("sk-ant-"):
        return f"sk-ant-{ELLIPSIS}{secret[-4:]}"
    if len(secret) >= 16:
        return f"{secret[:3]}{ELLIPSIS}{secret[-4:]}"
    return f"{ELLIPSIS}redacted{ELLIPSIS}"


def _random_looking(value: str) -> bool:
    """A long run of letters and digits mixed, as keys, tokens and signatures are."""
    return bool(
        _RANDOM.fullmatch(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
    )


def _mask_param(match: re.Match[str]) -> str:
    sep, name, eq, value = match.groups()
    if not eq:
        # A fragment or query that is a value alone (``#Zq8v…``).
        name, value = "", name
    core = value.rstrip(_TRAILING)
    tail = value[len(core) :]
    secret_name = name.lower() in SECRET_PARAMS or (bool(name) and is_secret_name(name))
    if not core or _already_masked(core) or not (secret_name or _random_looking(core)):
        return match.group()
    return f"{sep}{name}{eq}{mask(core)}{tail}"


def redact_url(url: str) -> str:
    """``url`` with the values of its query and fragment parameters masked when their name
    says they hold a credential (``key``, ``token``, ``sig``, …) or they look random; the
    scheme, host and path are kept."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=-1)
    if cut < 0:
        return url
    return url[:cut] + _URL_PARAM.sub(_mask_param, url[cut:])


def is_secret_name(name: str) -> bool:
    """Whether a variable or field called ``name`` holds a secret."""
    return bool(_SECRET_FIELD.match(name))


def _already_masked(value: str) -> bool:
    return ELLIPSIS in value


class SecretSet:
    """The secret values a run has discovered (a credentials file's tokens, an apiKeyHelper's
    output, a proxy password, a curl command's headers). Checks ``add`` to it, possibly from
    a worker thread; the run's redactor reads it when the report is built."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self.add(*values)

    def add(self, *values: str) -> None:
        """Remember ``values`` (empty ones are ignored)."""
        with self._lock:
            self._values.update(v for v in values if v)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(sorted(self._values))

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def __contains__(self, value: object) -> bool:
        with self._lock:
            return value in self._values


class Redactor:
    """Masks secrets in text and in JSON-like data. A run's redactor comes from
    :meth:`for_run`; ``Redactor(values)`` masks the given literal values and the patterns."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        literal = {s.strip() for s in secrets if s and len(s.strip()) >= MIN_LITERAL}
        # Longest first, so a secret that contains another is masked whole.
        self._literals = sorted(literal, key=len, reverse=True)

    @classmethod
    def for_run(cls, settings: Settings, found: Iterable[str] = ()) -> Redactor:
        """The run's redactor: every secret value in the environment, and those the run
        ``found`` (its :class:`SecretSet`)."""
        return cls([*secrets_from_environ(settings.environ), *found])

    @classmethod
    def patterns_only(cls) -> Redactor:
        """A redactor that knows no literal value: keys, tokens, headers and secret-named
        fields by their shape only. The renderers pass everything they print through it,
        so a report built without its run's redactor still cannot show a key."""
        return cls()

    def text(self, text: str) -> str:
        """Mask every secret in ``text``."""
        for secret in self._literals:
            if secret in text:
                text = text.replace(secret, mask(secret))
        text = _ANTHROPIC.sub(lambda m: mask(m.group()), text)
        text = _URL.sub(lambda m: redact_url(m.group()), text)
        text = _HEADER.sub(self._mask_group, text)
        text = _BEARER.sub(self._mask_group, text)
        text = _ASSIGNMENT.sub(self._mask_group, text)
        return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{ELLIPSIS}{m.group(3)}", text)

    @staticmethod
    def _mask_group(match: re.Match[str]) -> str:
        value = match.group(2)
        if _already_masked(value):
            return match.group()
        return f"{match.group(1)}{mask(value)}"

    def data(self, value: Any, *, key: str | None = None) -> Any:
        """A copy of JSON-like ``value`` with every string masked; string values under a
        secret field name are masked whole."""
        if isinstance(value, str):
            if key is not None and is_secret_name(key) and value and not _already_masked(value):
                return mask(value)
            return self.text(value)
        if isinstance(value, Mapping):
            return {str(k): self.data(v, key=str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(v, key=key) for v in value]
        return value


#: Shell variables whose names read like a secret's but hold none (the working directory).
NOT_SECRET_VARIABLES = frozenset({"PWD", "OLDPWD"})


def secrets_from_environ(environ: Mapping[str, str]) -> list[str]:
    """Values of every variable whose name says it holds a secret."""
    return [
        v for k, v in environ.items() if v and k not in NOT_SECRET_VARIABLES and is_secret_name(k)
    ]


def find_secret_values(data: Any) -> list[str]:
    """Every string under a secret field name anywhere in JSON-like ``data`` (for example
    the tokens of a credentials file), so the redactor can mask them wherever they recur."""
    found: list[str] = []

    def walk(value: Any, key: str | None) -> None:
        if isinstance(value, str):
            if key is not None and is_secret_name(key) and value:
                found.append(value)
        elif isinstance(value, Mapping):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, key)

    walk(data, None)
    return found


def masked_by_pattern(text: str) -> str:
    """``text`` with every secret the patterns know masked, where no run's values are at hand
    (what a person pasted, shown back to them)."""
    return Redactor().text(text)
