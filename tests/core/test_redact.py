"""Secrets never leave: the redactor alone, then every renderer and the store."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claude_doctor.decide import decide
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.redact import (
    Redactor,
    find_secret_values,
    is_secret_name,
    mask,
    secrets_from_environ,
)
from claude_doctor.render import OutputFormat, render
from claude_doctor.report import build_report
from claude_doctor.store import Store

BODY = string.ascii_letters + string.digits + "_-"
anthropic_secret = st.builds(
    lambda kind, body: f"sk-ant-{kind}-{body}",
    st.sampled_from(["api03", "oat01", "ort01", "admin01", "sid99", "future7"]),
    st.text(BODY, min_size=20, max_size=110),
)
opaque_secret = st.text(string.ascii_letters + string.digits + "+/=._~", min_size=8, max_size=80)
filler = st.text(string.printable, max_size=60)


@pytest.mark.parametrize(
    ("secret", "masked"),
    [
        ("sk-ant-api03-abcdefghijklmnopqrstuvwxyz-WXYZ", "sk-ant-api03-…WXYZ"),
        ("sk-ant-oat01-0123456789abcdef0123", "sk-ant-oat01-…0123"),
        ("abcdefghijklmnopqrstuvwxyz", "abc…wxyz"),
        ("short-secret", "…redacted…"),
    ],
)
def test_mask_keeps_a_prefix_and_the_last_four(secret: str, masked: str) -> None:
    assert mask(secret) == masked


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("ANTHROPIC_API_KEY", True),
        ("ANTHROPIC_AUTH_TOKEN", True),
        ("AWS_BEARER_TOKEN_BEDROCK", True),
        ("DB_PASSWORD", True),
        ("CLIENT_SECRET", True),
        ("accessToken", True),
        ("refreshToken", True),
        ("x-api-key", True),
        ("authorization", True),
        ("CLAUDE_CODE_MAX_OUTPUT_TOKENS", False),
        ("input_tokens", False),
        ("apiKeyHelper", False),
        ("api_key_source", False),
        ("PATH", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer {s}",
        "authorization: bearer {s}",
        "x-api-key: {s}",
        '"x-api-key": "{s}"',
        "export ANTHROPIC_API_KEY={s}",
        'ANTHROPIC_AUTH_TOKEN="{s}"',
        '{{"accessToken": "{s}"}}',
        "curl -H 'Authorization: Bearer {s}' https://api.anthropic.com",
        "https://user:{s}@proxy.corp:8080",
    ],
)
def test_patterns_mask_secrets_in_context(text: str) -> None:
    secret = "Zq8vN2pL4xW9mK3rT7yB"
    out = Redactor().text(text.format(s=secret))
    assert secret not in out


@given(secret=anthropic_secret, before=filler, after=filler)
def test_anthropic_secrets_never_survive_text(secret: str, before: str, after: str) -> None:
    assert secret not in Redactor().text(before + secret + after)


@given(secret=opaque_secret, before=filler, after=filler)
def test_known_values_never_survive_text(secret: str, before: str, after: str) -> None:
    assert secret not in Redactor([secret]).text(before + secret + after)


@given(secret=st.one_of(anthropic_secret, opaque_secret))
def test_redaction_is_idempotent(secret: str) -> None:
    r = Redactor([secret])
    once = r.text(f"key {secret} end")
    assert r.text(once) == once


def test_find_secret_values_walks_nested_data() -> None:
    data = {"claudeAiOauth": {"accessToken": "A" * 20, "refreshToken": "B" * 20, "scopes": ["x"]}}
    assert sorted(find_secret_values(data)) == ["A" * 20, "B" * 20]


# Each example saves a report, which the store flushes to disk (fsync): how long the disk
# takes is not what this property is about, so there is no per-example deadline.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    secret=st.one_of(anthropic_secret, opaque_secret),
    where=st.sampled_from(
        ["title", "detail", "next_step", "evidence_value", "evidence_secret_field", "evidence_list"]
    ),
)
def test_a_secret_anywhere_in_findings_never_reaches_any_output(
    tmp_path: Path, secret: str, where: str
) -> None:
    fields: dict[str, object] = {"title": "t", "detail": "d", "next_steps": (), "evidence": {}}
    if where == "title":
        fields["title"] = f"key {secret} leaked"
    elif where == "detail":
        fields["detail"] = f"header x-api-key: {secret}"
    elif where == "next_step":
        fields["next_steps"] = (f"export ANTHROPIC_API_KEY={secret}",)
    elif where == "evidence_value":
        fields["evidence"] = {"line": f"seen {secret} here"}
    elif where == "evidence_secret_field":
        fields["evidence"] = {"accessToken": secret}
    else:
        fields["evidence"] = {"lines": ["a", {"deep": [f"{secret}"]}]}
    finding = Finding("route.test", Branch.ROUTE, Severity.FAIL, **fields)  # type: ignore[arg-type]
    report = build_report(
        findings=[finding], verdict=decide([finding]), redactor=Redactor([secret])
    )
    outputs = [render(report, fmt, verbose=True) for fmt in OutputFormat]
    # A "secret" that the fixed text of every report contains anyway (a field name such as
    # "created_") proves nothing either way.
    empty = Finding("route.test", Branch.ROUTE, Severity.FAIL, "t", "d")
    baseline = build_report(findings=[empty], verdict=decide([empty]), redactor=Redactor())
    assume(all(secret not in render(baseline, fmt, verbose=True) for fmt in OutputFormat))
    store = Store(tmp_path / f"s{abs(hash(secret))}")
    outputs.append(store.save(report).read_text())
    for out in outputs:
        assert secret not in out


def test_secret_named_fields_holding_lists_and_numbers_keep_the_json_valid(
    tmp_path: Path,
) -> None:
    import json

    finding = Finding(
        "route.shapes",
        Branch.ROUTE,
        Severity.WARN,
        "shapes",
        evidence={
            "ANTHROPIC_API_KEY": ["sk-ant-api03-" + "k" * 30, {"x": 1}],
            "prompt_token": 5,
            "accessToken": {"nested": "sk-ant-oat01-" + "t" * 30},
        },
    )
    report = build_report(findings=[finding], verdict=decide([finding]), redactor=Redactor())
    text = render(report, OutputFormat.JSON)
    data = json.loads(text)
    evidence = data["findings"][0]["evidence"]
    assert evidence["prompt_token"] == 5
    assert evidence["ANTHROPIC_API_KEY"][0] == "sk-ant-api03-…kkkk"
    assert "t" * 30 not in text and "k" * 30 not in text
    stored = Store(tmp_path).save(report).read_text()
    assert json.loads(stored)["findings"][0]["evidence"]["prompt_token"] == 5


# --- bare names at the start of a line, and URL queries and fragments ---------------------

BARE_NAMES = st.sampled_from(["password", "pass", "secret", "token", "PASSWORD", "Token", "pwd"])
SEPARATORS = st.sampled_from(["=", ": ", ":", " = ", '="', ": '"])
# Text before a line: nothing, or whole lines ending in a line break.
LINES_BEFORE = st.one_of(
    st.just(""), st.text(string.printable, max_size=40).map(lambda t: t + "\n")
)
PARAMS = st.sampled_from(
    ["key", "api_key", "token", "access_token", "sig", "signature", "password", "secret",
     "auth", "code", "X-Amz-Signature", "client_secret"]
)  # fmt: skip
HOSTS = st.sampled_from(["https://gw.example", "http://127.0.0.1:8080", "https://proxy.corp/x/y"])
random_value = st.text(string.ascii_letters + string.digits, min_size=16, max_size=60).filter(
    lambda v: any(c.isdigit() for c in v) and any(c.isalpha() for c in v)
)


@pytest.mark.parametrize(
    "text",
    [
        "password={s}",
        "pass: {s}",
        "secret={s}",
        "token: {s}",
        "error on connect\npassword={s}\nretrying",
        "PASSWORD = {s}",
        "ANTHROPIC_BASE_URL=https://gw.example/?key={s}",
        "https://gw.example/v1?limit=1&api_key={s}",
        "https://gw.example/cb#access_token={s}&token_type=bearer",
        "(see https://gw.example/x?sig={s}).",
        "https://storage.example/o?X-Amz-Signature={s}&X-Amz-Expires=300",
    ],
)
def test_bare_fields_and_url_parameters_are_masked(text: str) -> None:
    secret = "hunter2-Qz7"  # short and plain: only the name can give it away
    out = Redactor().text(text.format(s=secret))
    assert secret not in out
    assert "…" in out


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("https://gw.example/v1/models?limit=1&page=2", "?limit=1&page=2"),
        ("https://status.claude.com/incidents/abc123", "/incidents/abc123"),
        ("max_tokens: 4096", "4096"),
        ("input_tokens=12 output_tokens=34", "output_tokens=34"),
        ("bypass: true", "true"),
        ("passed: 12 tests", "12 tests"),
    ],
)
def test_plain_words_and_plain_parameters_are_kept(text: str, kept: str) -> None:
    assert kept in Redactor().text(text)


@given(name=BARE_NAMES, sep=SEPARATORS, secret=opaque_secret, before=LINES_BEFORE, after=filler)
def test_a_bare_field_at_the_start_of_a_line_never_survives(
    name: str, sep: str, secret: str, before: str, after: str
) -> None:
    assume(not secret.startswith(("'", '"')) and secret not in before + after)
    text = f"{before}{name}{sep}{secret}" + (f" {after}" if after else "")
    assert secret not in Redactor().text(text)


@given(
    host=HOSTS,
    param=PARAMS,
    secret=opaque_secret,
    where=st.sampled_from(["?", "&", "#"]),
    before=filler,
    after=st.sampled_from(["", " then", "&limit=1", "#top", ")."]),
)
def test_a_credential_parameter_in_any_url_never_survives(
    host: str, param: str, secret: str, where: str, before: str, after: str
) -> None:
    lead = "?limit=1&" if where == "&" else where
    text = f"{before} {host}/v1{lead}{param}={secret}{after}"
    assume(not secret.endswith(tuple(".,;:!?)]}'\"")) and secret not in before)
    assert secret not in Redactor().text(text)


@given(host=HOSTS, name=st.sampled_from(["x", "q", "state", "id"]), value=random_value)
def test_a_random_looking_parameter_value_never_survives(host: str, name: str, value: str) -> None:
    assert value not in Redactor().text(f"{host}/cb?{name}={value}&limit=1")


@given(host=HOSTS, param=PARAMS, secret=opaque_secret)
def test_url_redaction_is_idempotent_and_keeps_the_path(host: str, param: str, secret: str) -> None:
    once = Redactor().text(f"{host}/v1/models?{param}={secret}&limit=1")
    assert once.startswith(f"{host}/v1/models?{param}=") and once.endswith("&limit=1")
    assert Redactor().text(once) == once


def test_bare_names_are_secret_field_names() -> None:
    for name in ("password", "pass", "secret", "token", "pwd"):
        assert is_secret_name(name), name
    for name in ("key", "tokens", "bypass", "passed"):
        assert not is_secret_name(name), name


def test_the_working_directory_is_not_a_secret() -> None:
    environ = {"PWD": "/home/u/work", "OLDPWD": "/home/u", "DB_PASSWORD": "hunter2hunter2"}
    assert secrets_from_environ(environ) == ["hunter2hunter2"]
    redactor = Redactor(secrets_from_environ(environ))
    assert redactor.text("saved in /home/u/work/report.json") == "saved in /home/u/work/report.json"
