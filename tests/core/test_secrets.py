"""Secrets a run discovers travel in the Context's set to the run's redactor, and nothing a
command emits (report, JSON document, stored history, minimal reproduction) carries one."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from claude_doctor.checks.login.check import login_check
from claude_doctor.context import Context
from claude_doctor.engine import Check
from claude_doctor.model import Branch, Finding, Severity
from claude_doctor.pipeline import RunInput, execute
from claude_doctor.redact import mask
from claude_doctor.settings import load_settings
from tests.kit.local import FakeHome, Reply, ScriptedServer, refused_port, run_cli
from tests.kit.payload import valid_request
from tests.kit.statuspages import ago, claude_page, incident, serve
from tests.kit.transcripts import Transcript

# Shaped like nothing the redactor's patterns know: only the literal value can mask them.
ACCESS = "oat-plain-" + "Vb7nM3kQ" * 5
REFRESH = "ort-plain-" + "Jw2xR8pL" * 5
CUSTOM = "svc-" + "Tq4zH6yN" * 4
PROXY_PASSWORD = "pw-" + "Ld9cE5sA" * 3
CURL_TOKEN = "gw-" + "Nf3uK7oB" * 4
PLANTED = (ACCESS, REFRESH, CUSTOM, PROXY_PASSWORD, CURL_TOKEN)


def _logged_in(home: FakeHome) -> None:
    home.credentials(
        {
            "claudeAiOauth": {
                "accessToken": ACCESS,
                "refreshToken": REFRESH,
                "expiresAt": int((time.time() + 30 * 86400) * 1000),
                "scopes": ["user:inference", "user:profile"],
                "subscriptionType": "max",
            }
        }
    )


def _echoes(secret: str) -> Check:
    """A check whose finding quotes ``secret``, as a transcript's error text might."""

    async def echo(ctx: Context) -> list[Finding]:
        return [Finding("session.echo", Branch.SESSION, Severity.WARN, f"the error said {secret}")]

    return Check("echo", "session", Branch.SESSION, echo, 5.0, "nothing")


def test_a_token_a_check_discovers_is_masked_in_the_report(fake_home: FakeHome) -> None:
    _logged_in(fake_home)  # the token is in the credentials file, not in the environment
    login = Check("login", "login", Branch.LOGIN, login_check, 5.0, "the login")
    settings = load_settings(fake_home.env(), cwd=fake_home.cwd)

    report, _result = asyncio.run(
        execute(RunInput(settings=settings, checks=[login, _echoes(ACCESS)]))
    )

    text = json.dumps(report.to_dict(), ensure_ascii=False)
    assert ACCESS not in text
    assert f"the error said {mask(ACCESS)}" in text
    assert "_secrets" not in text


def test_without_the_check_that_reads_it_the_token_is_not_known(fake_home: FakeHome) -> None:
    _logged_in(fake_home)
    settings = load_settings(fake_home.env(), cwd=fake_home.cwd)
    report, _result = asyncio.run(execute(RunInput(settings=settings, checks=[_echoes(ACCESS)])))
    # Nothing told the redactor: the literal survives, which is what the test above guards.
    assert ACCESS in json.dumps(report.to_dict())


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {str(k) for k in value} | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _failing_session(home: FakeHome) -> None:
    """A session whose last errors quote every secret the check run can discover."""
    t = Transcript(str(home.cwd))
    t.user("hello", at=0).assistant()
    for i in range(3):
        said = f"token {ACCESS} (renewed with {REFRESH}) via {PROXY_PASSWORD}, {CUSTOM}"
        t.api_error(401, f"API Error: 401 {said} #{i}")
    t.write(home.claude)


def _curl_file(home: FakeHome) -> Path:
    body = valid_request() | {"max_tokens": 0}
    body["messages"].append(
        {"role": "user", "content": [{"type": "text", "text": f"{CURL_TOKEN} and {CUSTOM}"}]}
    )
    body["messages"].insert(-1, {"role": "assistant", "content": "ok"})
    command = (
        "curl https://api.anthropic.com/v1/messages "
        f"-H 'authorization: Bearer {CURL_TOKEN}' -d '{json.dumps(body)}'"
    )
    return home.write(home.cwd / "request.sh", command)


def test_no_command_emits_a_secret_or_a_secrets_key(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    _logged_in(fake_home)
    _failing_session(fake_home)
    base = fake_home.env(MY_SERVICE_TOKEN=CUSTOM, SSL_CERT_FILE=str(ca_file))
    proxied = {
        **base,
        "https_proxy": f"http://alice:{PROXY_PASSWORD}@127.0.0.1:{refused_port()}",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    local = {
        **base,
        "ANTHROPIC_BASE_URL": https_server.url,
        "CLAUDE_DOCTOR_STATUS_URL": https_server.url,
    }
    revoked = {
        "type": "error",
        "error": {"type": "authentication_error", "message": f"token {ACCESS} revoked, {CUSTOM}"},
        "request_id": "req_011CVrevoked",
    }
    outage = incident(
        "inc1",
        f"Errors for {CUSTOM}",
        started=ago(minutes=20),
        components=("Claude API (api.anthropic.com)",),
        updates=(("investigating", f"Looking into {CUSTOM}", ago(minutes=10)),),
    )
    serve(https_server, {**claude_page(unresolved=[outage]), "/v1/models": Reply(401, revoked)})
    minimal = fake_home.cwd / "repro.json"
    cwd = fake_home.cwd

    outputs = [
        run_cli(["check", "--json"], proxied, cwd=cwd),
        run_cli(["check", "-v"], proxied, cwd=cwd),
        run_cli(["verify", "--json", "--yes"], local, cwd=cwd),
        run_cli(["verify", "--yes"], local, cwd=cwd),
        run_cli(["payload", "--json", str(_curl_file(fake_home)), "--minimal", str(minimal)], base),
        run_cli(["status", "--json"], local),
        run_cli(["report", "--last", "--format", "json"], base),
        run_cli(["report", "--last", "--format", "markdown"], base),
    ]

    for result in outputs:
        assert "Traceback" not in result.stderr, result.stderr
    assert [r.code for r in outputs] == [1, 1, 1, 1, 1, 1, 0, 0]
    stored = sorted((fake_home.doctor / "reports").glob("*.json"))
    assert len(stored) == 4  # both checks and both verifies
    documents = [outputs[i].json() for i in (0, 2, 4, 5, 6)]
    documents += [json.loads(p.read_text()) for p in stored]
    for document in documents:
        assert "_secrets" not in _keys(document)
    texts = [r.stdout + r.stderr for r in outputs] + [p.read_text() for p in stored]
    texts.append(minimal.read_text())
    for text in texts:
        assert "_secrets" not in text
        for secret in PLANTED:
            assert secret not in text
    # Each secret really was on its way out, and left masked.
    everything = "\n".join(texts)
    for secret in PLANTED:
        assert mask(secret) in everything, secret


GATEWAY_KEY = "gwq" + "Xc4vB8nM" * 3
PASTED_PASSWORD = "hunter2-" + "Rk5wPz"


def test_a_key_in_the_base_urls_query_and_a_bare_password_never_leave(
    fake_home: FakeHome, https_server: ScriptedServer, ca_file: Path
) -> None:
    serve(https_server, {**claude_page(), "/gw/v1/models": Reply(401, {"error": {"type": "x"}})})
    env = fake_home.env(
        ANTHROPIC_BASE_URL=f"{https_server.url}/gw?key={GATEWAY_KEY}",
        ANTHROPIC_API_KEY="sk-ant-api03-" + "Gk" * 40 + "Zz9q",
        CLAUDE_DOCTOR_STATUS_URL=https_server.url,
        SSL_CERT_FILE=str(ca_file),
    )
    pasted = f"password={PASTED_PASSWORD}\nAPI Error: 401 authentication_error"
    cwd = fake_home.cwd
    outputs = [
        run_cli(["check", "-v", "--error", pasted], env, cwd=cwd),
        run_cli(["check", "--json", "--error", pasted], env, cwd=cwd),
        run_cli(["verify", "--yes"], env, cwd=cwd),
        run_cli(["verify", "--yes", "--json"], env, cwd=cwd),
        run_cli(["report", "--last"], env),
        run_cli(["report", "--last", "--format", "json"], env),
        run_cli(["explain", pasted], env),
    ]
    for result in outputs:
        assert "Traceback" not in result.stderr, result.stderr
    sent = {s.path for s in https_server.seen}
    assert f"/gw/v1/models?key={GATEWAY_KEY}&limit=1" in sent  # verify: the path, then the query
    assert f"/gw/v1/models?key={GATEWAY_KEY}" in sent  # the network check's probe
    stored = sorted((fake_home.doctor / "reports").glob("*.json"))
    assert len(stored) == 4
    texts = [r.stdout + r.stderr for r in outputs] + [p.read_text() for p in stored]
    for text in texts:
        assert GATEWAY_KEY not in text
        assert PASTED_PASSWORD not in text
    everything = "\n".join(texts)
    assert f"/gw?key={mask(GATEWAY_KEY)}" in everything  # the URL was shown, masked
