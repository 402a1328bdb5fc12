"""Settings from the environment, and the network factory built from them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from claude_doctor.net import (
    build_http_client,
    build_resolver,
    bypasses_proxy,
    fetch,
    join_url,
    proxy_for,
)
from claude_doctor.settings import (
    DEFAULT_API_BASE_URL,
    DEFAULT_STATUS_URL,
    HostPort,
    SettingsError,
    load_settings,
)
from tests.kit.local import Reply, ScriptedServer


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(tmp_path), **extra}


def test_defaults(tmp_path: Path) -> None:
    s = load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME=str(tmp_path / "d")))
    assert s.status_url == DEFAULT_STATUS_URL
    assert s.api_base_url == DEFAULT_API_BASE_URL and not s.api_base_url_custom
    assert s.claude_config_dir == tmp_path / ".claude"
    assert s.claude_json_path == tmp_path / ".claude.json"
    assert s.timeout == 10.0 and not s.no_input
    assert s.dns_servers == () and dict(s.connect_to) == {}


def test_every_knob_is_read(tmp_path: Path) -> None:
    s = load_settings(
        env(
            tmp_path,
            CLAUDE_DOCTOR_STATUS_URL="https://127.0.0.1:8443/",
            ANTHROPIC_BASE_URL="http://localhost:4000",
            CLAUDE_DOCTOR_DNS_SERVERS="127.0.0.1:5353, [::1]:53,10.0.0.1",
            CLAUDE_DOCTOR_CONNECT_TO="api.anthropic.com:443:127.0.0.1:9443",
            SSL_CERT_FILE="/tmp/ca.pem",
            CLAUDE_DOCTOR_PUBLIC_CA_FILE="/tmp/public.pem",
            CLAUDE_CONFIG_DIR=str(tmp_path / "cfg"),
            CLAUDE_DOCTOR_HOME=str(tmp_path / "doc"),
            CLAUDE_DOCTOR_TIMEOUT="3.5",
            CLAUDE_DOCTOR_NO_INPUT="yes",
        )
    )
    assert s.status_url == "https://127.0.0.1:8443"
    assert s.api_base_url == "http://localhost:4000" and s.api_base_url_custom
    assert s.dns_servers == (
        HostPort("127.0.0.1", 5353),
        HostPort("::1", 53),
        HostPort("10.0.0.1", 53),
    )
    assert s.connect_target("API.anthropic.com", 443) == HostPort("127.0.0.1", 9443)
    assert s.connect_target("api.anthropic.com", 80) == HostPort("api.anthropic.com", 80)
    assert s.ssl_cert_file == Path("/tmp/ca.pem")
    assert s.public_ca_file == Path("/tmp/public.pem")
    assert s.claude_config_dir == tmp_path / "cfg"
    assert s.claude_json_path == tmp_path / "cfg" / ".claude.json"
    assert s.doctor_home == tmp_path / "doc"
    assert s.timeout == 3.5 and s.no_input


def test_flags_override_environment(tmp_path: Path) -> None:
    s = load_settings(
        env(tmp_path, CLAUDE_DOCTOR_TIMEOUT="3", CLAUDE_DOCTOR_HOME="x"), timeout=7, no_input=True
    )
    assert s.timeout == 7 and s.no_input


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAUDE_DOCTOR_TIMEOUT", "soon"),
        ("CLAUDE_DOCTOR_TIMEOUT", "-1"),
        ("CLAUDE_DOCTOR_TIMEOUT", "nan"),
        ("CLAUDE_DOCTOR_STATUS_URL", "status.claude.com"),
        ("ANTHROPIC_BASE_URL", "ftp://x"),
        ("CLAUDE_DOCTOR_DNS_SERVERS", "1.2.3.4:dns"),
        ("CLAUDE_DOCTOR_CONNECT_TO", "a:443:b"),
        ("CLAUDE_DOCTOR_CONNECT_TO", "a:x:b:1"),
    ],
)
def test_bad_knobs_are_named(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x", **{name: value}))
    assert value.split(":")[0] in str(err.value) or name in str(err.value)


def test_timeout_is_clamped(tmp_path: Path) -> None:
    assert load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x"), timeout=0.01).timeout == 0.5
    assert load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x"), timeout=1e9).timeout == 600


def test_proxy_choice_follows_claude_codes_order() -> None:
    environ = {
        "HTTPS_PROXY": "http://upper:1",
        "https_proxy": "http://lower:1",
        "HTTP_PROXY": "http://h:1",
    }
    choice = proxy_for("https://api.anthropic.com", environ)
    assert (
        choice is not None and choice.url == "http://lower:1" and choice.variable == "https_proxy"
    )
    plain = proxy_for("http://example.test", environ)
    assert plain is not None and plain.variable == "HTTP_PROXY"
    assert proxy_for("https://api.anthropic.com", {}) is None


@pytest.mark.parametrize(
    ("no_proxy", "host", "bypass"),
    [
        ("*", "api.anthropic.com", True),
        ("anthropic.com", "api.anthropic.com", True),
        (".anthropic.com", "api.anthropic.com", True),
        ("*.anthropic.com", "api.anthropic.com", True),
        ("localhost, api.anthropic.com", "api.anthropic.com", True),
        ("localhost 127.0.0.1", "127.0.0.1", True),
        ("claude.ai", "api.anthropic.com", False),
        ("thropic.com", "api.anthropic.com", False),
        ("", "api.anthropic.com", False),
    ],
)
def test_no_proxy(no_proxy: str, host: str, bypass: bool) -> None:
    assert bypasses_proxy(host, {"NO_PROXY": no_proxy}) is bypass
    environ = {"HTTPS_PROXY": "http://p:3128", "NO_PROXY": no_proxy}
    assert (proxy_for(f"https://{host}/", environ) is None) is bypass


def test_connect_to_reaches_local_server_keeping_sni_and_host(
    tmp_path: Path, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/api/v2/status.json"] = Reply(200, {"status": {"indicator": "none"}})
    settings = load_settings(
        env(
            tmp_path,
            CLAUDE_DOCTOR_HOME="x",
            SSL_CERT_FILE=str(ca_file),
            CLAUDE_DOCTOR_CONNECT_TO=f"status.claude.com:443:127.0.0.1:{https_server.port}",
        )
    )

    async def go() -> None:
        client = build_http_client(settings)
        try:
            got = await fetch(
                client, "https://status.claude.com/api/v2/status.json", max_bytes=1000
            )
        finally:
            await client.aclose()
        assert got.status == 200
        assert b'"none"' in got.body

    asyncio.run(go())
    assert https_server.seen[0].headers["host"] == "status.claude.com"


def test_without_the_ca_the_same_server_is_not_trusted(
    tmp_path: Path, https_server: ScriptedServer, ca: object
) -> None:
    import trustme

    other = trustme.CA()
    other_file = tmp_path / "other.pem"
    other.cert_pem.write_to_path(str(other_file))
    settings = load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x", SSL_CERT_FILE=str(other_file)))

    async def go() -> None:
        client = build_http_client(settings)
        try:
            with pytest.raises(httpx.ConnectError):
                await fetch(client, https_server.url + "/", max_bytes=100)
        finally:
            await client.aclose()

    asyncio.run(go())


def test_fetch_caps_the_bytes_read(
    tmp_path: Path, https_server: ScriptedServer, ca_file: Path
) -> None:
    https_server.routes["/big"] = Reply(200, b"x" * 500_000)
    settings = load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x", SSL_CERT_FILE=str(ca_file)))

    async def go() -> None:
        client = build_http_client(settings)
        try:
            got = await fetch(client, https_server.url + "/big", max_bytes=1000)
        finally:
            await client.aclose()
        assert got.truncated and len(got.body) == 1000

    asyncio.run(go())


def test_requests_go_through_the_proxy_from_the_settings(
    tmp_path: Path, http_server: ScriptedServer
) -> None:
    # A plain-HTTP request through an HTTP proxy is sent to the proxy with the full URL.
    http_server.routes["http://origin.test/hello"] = Reply(200, b"via proxy")
    settings = load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x", HTTP_PROXY=http_server.url))

    async def go() -> None:
        client = build_http_client(settings)
        try:
            got = await fetch(client, "http://origin.test/hello", max_bytes=100)
        finally:
            await client.aclose()
        assert got.body == b"via proxy"

    asyncio.run(go())


def test_resolver_uses_the_configured_servers(tmp_path: Path) -> None:
    settings = load_settings(
        env(tmp_path, CLAUDE_DOCTOR_HOME="x", CLAUDE_DOCTOR_DNS_SERVERS="127.0.0.1:5353")
    )
    resolver = build_resolver(settings)
    assert [(n.address, n.port) for n in resolver.nameservers] == [("127.0.0.1", 5353)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("base", "path", "query", "joined"),
    [
        ("https://gw/x?key=1", "/v1/models", "", "https://gw/x/v1/models?key=1"),
        ("https://gw/x?key=1", "/v1/models", "limit=1", "https://gw/x/v1/models?key=1&limit=1"),
        ("https://gw/?key=1#frag", "/v1/models", "", "https://gw/v1/models?key=1"),
        (
            "https://api.anthropic.com",
            "/v1/models",
            "limit=1",
            "https://api.anthropic.com/v1/models?limit=1",
        ),
        ("https://gw/base/", "v1/models", "", "https://gw/base/v1/models"),
        ("http://127.0.0.1:8080", "/", "", "http://127.0.0.1:8080/"),
    ],
)
def test_join_url_puts_the_path_before_the_query(
    base: str, path: str, query: str, joined: str
) -> None:
    assert join_url(base, path, query) == joined


@pytest.mark.timeout(30)
def test_fetch_is_bounded_in_all_against_a_trickle(
    tmp_path: Path, https_server: ScriptedServer, ca_file: Path
) -> None:
    import time

    https_server.routes["/slow"] = Reply(200, b"x" * 100, trickle=1, trickle_pause=0.5)
    settings = load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x", SSL_CERT_FILE=str(ca_file)))

    async def go() -> None:
        client = build_http_client(settings)
        try:
            with pytest.raises(TimeoutError):
                await fetch(client, https_server.url + "/slow", max_bytes=1000, timeout=1.0)
        finally:
            await client.aclose()

    began = time.monotonic()
    asyncio.run(go())
    assert time.monotonic() - began < 1 + 2


@pytest.mark.parametrize("how", ["fetch", "probe"])
def test_no_request_follows_a_redirect_to_another_port(
    tmp_path: Path,
    https_server: ScriptedServer,
    http_server: ScriptedServer,
    ca_file: Path,
    how: str,
) -> None:
    from claude_doctor.checks.network.probes import http_get

    http_server.routes["/v1/models"] = Reply(200, b"followed")
    https_server.routes["/v1/models"] = Reply(
        302, b"", headers={"location": f"{http_server.url}/v1/models"}
    )
    settings = load_settings(env(tmp_path, CLAUDE_DOCTOR_HOME="x", SSL_CERT_FILE=str(ca_file)))
    url = https_server.url + "/v1/models"

    async def go() -> int | None:
        client = build_http_client(settings)
        try:
            if how == "fetch":
                return (await fetch(client, url, max_bytes=100, timeout=5)).status
            return (await http_get(client, url, 5)).status
        finally:
            await client.aclose()

    assert asyncio.run(go()) == 302
    assert http_server.seen == []
