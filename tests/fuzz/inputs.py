"""Hostile inputs for every reader: JSON text built from fragments (deep nesting, numbers
too large to hold, lone surrogates, wrong types in every field Claude Code writes), binary
bytes, and a fixed set of bad files. Every input a test feeds is recorded in :data:`SEEN`
so the suite can say how many distinct inputs it tried."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from hypothesis import strategies as st

#: reader -> digests of the distinct inputs fed to it.
SEEN: defaultdict[str, set[str]] = defaultdict(set)


def seen(reader: str, data: bytes | str) -> None:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    SEEN[reader].add(hashlib.sha256(raw).hexdigest())


def total() -> int:
    return len({(reader, digest) for reader, digests in SEEN.items() for digest in digests})


FIELDS = (
    "claudeAiOauth",
    "accessToken",
    "refreshToken",
    "expiresAt",
    "scopes",
    "subscriptionType",
    "mcpOAuth",
    "oauthAccount",
    "emailAddress",
    "customApiKeyResponses",
    "approved",
    "env",
    "apiKeyHelper",
    "model",
    "max_tokens",
    "messages",
    "role",
    "content",
    "type",
    "text",
    "source",
    "system",
    "tools",
    "sessionId",
    "cwd",
    "message",
    "usage",
    "input_tokens",
    "timestamp",
    "schema_version",
    "verdict",
    "findings",
)

HUGE_NUMBERS = st.sampled_from(
    [
        "9" * 401,
        "9" * 5000,
        "-" + "1" * 4400,
        "1e999",
        "-1e999",
        "1e300",
        "1e-999",
        "NaN",
        "Infinity",
        "-Infinity",
        "0.0000000000000000000000001",
        "4" * 4300,
    ]
)
SURROGATES = st.sampled_from(
    ['"\\ud800"', '"\\udfff"', '"a\\udc00b"', '"\\ud83d"', '"\\ude00\\ud83d"', '"\\ud83d\\ude00"']
)
PLAIN = st.one_of(
    st.sampled_from(["null", "true", "false", "0", "-1", '""', "[]", "{}"]),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=20).map(lambda s: json.dumps(s)),
)
SCALAR = st.one_of(PLAIN, HUGE_NUMBERS, SURROGATES)
KEY = st.one_of(st.sampled_from(FIELDS).map(json.dumps), SURROGATES)


def _array(items: list[str]) -> str:
    return "[" + ",".join(items) + "]"


def _object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"


FRAGMENT = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(_array),
        st.lists(st.tuples(KEY, inner), max_size=5).map(_object),
    ),
    max_leaves=12,
)


@st.composite
def deep(draw: st.DrawFn) -> str:
    """A value nested ``n`` deep, closed or not."""
    n = draw(st.sampled_from([300, 1000, 5000, 100_000]))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    closed = draw(st.booleans())
    return opener * n + draw(SCALAR) + (closer * n if closed else "")


@st.composite
def shaped(draw: st.DrawFn) -> str:
    """An object with the fields a reader looks at, each holding anything at all."""
    pairs = draw(st.lists(st.tuples(st.sampled_from(FIELDS), FRAGMENT), min_size=1, max_size=6))
    if draw(st.booleans()):
        inner = _object([(json.dumps(k), v) for k, v in pairs])
        return _object([(json.dumps(draw(st.sampled_from(FIELDS))), inner)])
    return _object([(json.dumps(k), v) for k, v in pairs])


JSON_TEXT = st.one_of(FRAGMENT, shaped(), deep())
BINARY = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"\x00" * 64,
            b"\xff\xfe{\x00}\x00",
            b"\xef\xbb\xbf{}",
            b'{"a": "\xe9"}',
            b"\xed\xa0\x80",
            b'{"a": "\xc3"}',
        ]
    ),
)
DOCUMENT = st.one_of(JSON_TEXT.map(lambda s: s.encode("utf-8")), BINARY)

#: Fixed bad files, whatever the generator draws.
FIXED: dict[str, bytes] = {
    "surrogate": b'{"model": "\\ud800", "env": {"X": "\\udfff"}}',
    "deep array": b"[" * 100_000 + b"]" * 100_000,
    "deep object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "5000 digits": b'{"max_tokens": ' + b"9" * 5000 + b"}",
    "1e999": b'{"expiresAt": 1e999}',
    "binary": bytes(range(256)),
    "truncated": b'{"claudeAiOauth": {"accessToken": "x',
    "a list": b"[1, 2, 3]",
    "a string": b'"just a string"',
    "empty": b"",
    "whitespace": b"  \n\t ",
    "utf-16": "{}".encode("utf-16"),
    "nul in json": b'{"a": "\x00"}',
    "duplicates": b'{"a": 1, "a": 2, "env": {"K": "1", "K": "2"}}',
    "NaN": b'{"expiresAt": NaN, "max_tokens": Infinity}',
}
