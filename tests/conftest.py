"""Shared fixtures: the network guard, a trustme CA, HTTPS servers, fake homes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent / "netguard"))
import netguard

from tests.kit.local import FakeHome, ScriptedServer, server_ssl_context

netguard.install()


def pytest_report_header(config: pytest.Config) -> str:
    from tests.kit.realclaude import report_header

    return report_header()


@pytest.fixture(scope="session")
def ca() -> Any:
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def https_server(ca: Any) -> Iterator[ScriptedServer]:
    """An HTTPS server on 127.0.0.1 whose certificate names 127.0.0.1, localhost and the
    real Anthropic hosts (for ``CLAUDE_DOCTOR_CONNECT_TO`` tests)."""
    ctx = server_ssl_context(
        ca,
        "127.0.0.1",
        "localhost",
        "status.claude.com",
        "api.anthropic.com",
        "platform.claude.com",
        "claude.ai",
    )
    server = ScriptedServer(ctx).start()
    yield server
    server.stop()


@pytest.fixture
def http_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake_home(tmp_path: Path) -> FakeHome:
    return FakeHome(tmp_path)
