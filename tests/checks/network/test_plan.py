"""What the network branch probes: the hosts (deduplicated, with the ones Claude cannot do
without marked), the proxy plan read from a variable's value, and kinds of address."""

from __future__ import annotations

import pytest

from claude_doctor.checks.network.plan import not_public, plan_proxy, sinkhole, targets
from claude_doctor.net import ProxyChoice
from claude_doctor.settings import load_settings


def test_default_targets_are_the_api_the_status_page_and_claude_codes_hosts() -> None:
    found = targets(load_settings({}))
    assert [(t.host, t.role) for t in found] == [
        ("api.anthropic.com", "api"),
        ("status.claude.com", "status"),
        ("platform.claude.com", "platform"),
        ("claude.ai", "claude_ai"),
        ("downloads.claude.ai", "downloads"),
    ]
    critical = {t.role: t.critical for t in found}
    assert critical["api"] and critical["platform"] and critical["claude_ai"]
    assert not critical["status"] and not critical["downloads"]
    assert all(t.public for t in found)


def test_a_custom_base_url_is_probed_on_its_port_and_is_not_a_public_name() -> None:
    settings = load_settings({"ANTHROPIC_BASE_URL": "https://gw.test:8443/anthropic"})
    api = targets(settings)[0]
    assert (api.host, api.port, api.label, api.public) == ("gw.test", 8443, "gw.test:8443", False)
    assert api.url == "https://gw.test:8443/"
    assert api.role == "api" and api.critical


@pytest.mark.parametrize(
    "flag", ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"]
)
def test_on_a_cloud_route_anthropics_api_host_is_not_the_routes(flag: str) -> None:
    api = targets(load_settings({flag: "1"}))[0]
    assert (api.host, api.role, api.critical, api.is_api) == (
        "api.anthropic.com",
        "anthropic_api",
        False,
        True,
    )
    for off in ("0", "false", ""):
        assert targets(load_settings({flag: off}))[0].role == "api"


@pytest.mark.parametrize(
    ("value", "problem", "shown"),
    [
        ("proxy.corp.example:8080", "no_scheme", "proxy.corp.example:8080"),
        ("socks5://127.0.0.1", "socks", "socks5://127.0.0.1:1080"),
        ("ftp://proxy.corp.example", "invalid", "ftp://proxy.corp.example:80"),
        ("http://proxy.corp.example:99999", "invalid", "http://proxy.corp.example"),
        ("https://proxy.corp.example", "https_proxy", "https://proxy.corp.example:443"),
        ("http://proxy.corp.example:3128", "", "http://proxy.corp.example:3128"),
    ],
)
def test_proxy_plan(value: str, problem: str, shown: str) -> None:
    plan = plan_proxy(ProxyChoice(value, "HTTPS_PROXY"))
    assert (plan.problem, plan.shown, plan.variable) == (problem, shown, "HTTPS_PROXY")


def test_proxy_credentials_are_kept_apart_from_what_is_shown() -> None:
    plan = plan_proxy(ProxyChoice("http://alice:s3cret@proxy.corp.example:3128", "HTTPS_PROXY"))
    assert plan.credentials == ("alice", "s3cret")
    assert "s3cret" not in plan.shown and plan.host == "proxy.corp.example"


def test_kinds_of_address() -> None:
    assert sinkhole("0.0.0.0") and sinkhole("::") and sinkhole("127.0.0.1")
    assert not sinkhole("10.1.2.3") and not sinkhole("api.anthropic.com")
    assert not_public("10.1.2.3") and not_public("[fe80::1]") and not_public("127.0.0.1")
    assert not not_public("160.79.104.10") and not not_public("api.anthropic.com")
