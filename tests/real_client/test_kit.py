"""The parts the real-client suite stands on, checked without the client: the fake API's
answers and certificates, ``scripts/real-claude`` reusing a good install and failing in one
line without npm, and the suite skipping (or, when required, failing) without a client."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.kit import fakeapi
from tests.kit.local import ROOT
from tests.kit.realclaude import MISSING, SCRIPT, pinned_version, platform_package

#: What scripts/real-claude needs from the system besides npm.
TOOLS = ("bash", "uname", "ldd", "grep", "mktemp", "rm", "mkdir", "env", "timeout", "tail", "mv")


def _post(api: fakeapi.FakeApi, body: dict[str, Any]) -> httpx.Response:
    with httpx.Client(trust_env=False, timeout=5) as client:
        return client.post(f"{api.url}/v1/messages?beta=true", json=body)


def test_the_fake_api_serves_its_replies_in_turn_and_records_each_body() -> None:
    replies = [
        fakeapi.api_error(529, "overloaded_error", "Overloaded", "req_011A", retry_after=2),
        fakeapi.html_page(502, "502 Bad Gateway"),
        fakeapi.healthy("hi there", "req_011B"),
    ]
    with fakeapi.fake_api(replies) as api:
        first, second, third, fourth = (_post(api, {"n": i}) for i in range(4))
        assert api.bodies() == [{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3}]
    assert first.status_code == 529
    assert (first.headers["request-id"], first.headers["retry-after"]) == ("req_011A", "2")
    assert first.json() == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
        "request_id": "req_011A",
    }
    assert second.status_code == 502 and "<h1>502 Bad Gateway</h1>" in second.text
    for ok in (third, fourth):
        events = [line[7:] for line in ok.text.splitlines() if line.startswith("event: ")]
        assert events[0] == "message_start" and events[-1] == "message_stop"
        assert '"text": "hi there"' in ok.text
        assert ok.headers["content-type"] == "text/event-stream"


def test_the_mid_stream_error_comes_after_message_start() -> None:
    with fakeapi.fake_api(fakeapi.sse_error("overloaded_error", "Overloaded")) as api:
        text = _post(api, {}).text
    events = [line[7:] for line in text.splitlines() if line.startswith("event: ")]
    assert events == ["message_start", "error"]
    assert '"type": "overloaded_error"' in text


@pytest.mark.parametrize(
    ("mode", "verify_code"),
    [("trusted", None), ("untrusted_ca", 20), ("self_signed", 18), ("wrong_host", 64)],
)
def test_each_tls_mode_fails_verification_the_way_it_names(
    ca: Any, tmp_path: Path, mode: str, verify_code: int | None
) -> None:
    import trustme

    tls = fakeapi.tls_for(mode, ca, tmp_path)
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    trust = ssl.create_default_context(cafile=str(tls.ca_file or other))
    with (
        fakeapi.fake_api(fakeapi.healthy(), tls) as api,
        socket.create_connection(("127.0.0.1", api.server.port), timeout=5) as sock,
    ):
        try:
            with trust.wrap_socket(sock, server_hostname="127.0.0.1"):
                got = None
        except ssl.SSLCertVerificationError as exc:
            got = exc.verify_code
    assert got == verify_code
    assert (tls.ca_file is not None) == (mode in ("trusted", "wrong_host"))


def _bin_without_npm(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (folder / tool).symlink_to(found)
    return folder


def _script(tmp_path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": str(_bin_without_npm(tmp_path)),
        "HOME": str(tmp_path),
        "CLAUDE_DOCTOR_REAL_CLAUDE_DIR": str(cache),
    }
    return subprocess.run(
        [str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30, check=False
    )


def _fake_client(cache: Path, answer: str) -> Path:
    binary = cache / pinned_version() / "node_modules" / platform_package() / "claude"
    binary.parent.mkdir(parents=True)
    binary.write_text(f"#!/bin/sh\necho '{answer}'\n")
    binary.chmod(0o755)
    return binary


def test_the_install_script_reuses_an_install_that_answers_the_pinned_version(
    tmp_path: Path,
) -> None:
    binary = _fake_client(tmp_path / "cache", f"{pinned_version()} (Claude Code)")
    proc = _script(tmp_path, tmp_path / "cache")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{binary}\n", "")


def test_the_install_script_fails_in_one_line_without_npm(tmp_path: Path) -> None:
    _fake_client(tmp_path / "cache", "2.0.0 (Claude Code)")
    proc = _script(tmp_path, tmp_path / "cache")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "npm not found" in proc.stderr


def test_the_pinned_version_is_read_from_the_install_script() -> None:
    assert f'CLIENT_VERSION="{pinned_version()}"' in SCRIPT.read_text()
    assert pinned_version().count(".") == 2


def _suite(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_DOCTOR_")}
    env.update(CLAUDE_DOCTOR_REAL_CLAUDE=str(tmp_path / "no-claude"), **extra)
    target = "tests/real_client/test_errors.py::test_retry_after_is_honoured"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_the_client_the_suite_skips_with_one_reason(tmp_path: Path) -> None:
    proc = _suite(tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "1 skipped" in proc.stdout
    assert MISSING in proc.stdout
    assert "real Claude Code client: none" in proc.stdout


def test_without_the_client_the_suite_fails_when_it_is_required(tmp_path: Path) -> None:
    proc = _suite(tmp_path, CLAUDE_DOCTOR_REQUIRE_REAL_CLIENT="1")
    assert proc.returncode == 1, proc.stdout
    assert "1 error" in proc.stdout
    assert MISSING in proc.stdout
